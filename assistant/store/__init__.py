"""The conversation store: conversations per owner, their turns (question, rewritten query, answer,
citations, checks, mode) and feedback on turns. SQLAlchemy 2 Core; SQLite by default, PostgreSQL
for several processes on several machines (`ASSISTANT_DB_URL`).

Every write is one transaction: a turn is saved with all its citations or not at all.

    store = open_store("sqlite:///data/assistant.db")
    c = store.create_conversation("alice", "支委会")
    turn_id = store.add_turn(c.id, "alice", turn)          # a types.Turn
    store.list_turns(c.id, "alice"); store.add_feedback(turn_id, "alice", 1, "有用")
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from ..questions import shown
from ..types import Answer, CheckResult, Citation, Turn, UserInputError
from .engine import StoreError, current_revision, head_revision, make_engine, migrate

MAX_TITLE_CHARS = 200
MAX_OWNER_CHARS = 200
MAX_COMMENT_CHARS = 2000
_RETRIES = 5


class NotFound(UserInputError):
    """No such conversation or turn for this owner (another owner's counts as none)."""


@dataclass(frozen=True)
class ConversationInfo:
    id: str
    owner: str
    title: str
    created_at: datetime
    updated_at: datetime
    turns: int = 0

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "created_at": _iso(self.created_at),
                "updated_at": _iso(self.updated_at), "turns": self.turns}


@dataclass(frozen=True)
class TurnRecord:
    id: int
    conversation_id: str
    position: int
    question: str
    query: str
    answer: Answer
    created_at: datetime

    @property
    def turn(self) -> Turn:
        return Turn(self.question, self.query, self.answer)

    def to_json(self) -> dict:
        d = {"id": self.id, "position": self.position, "question": self.question, "query": self.query,
             **self.answer.to_json(), "created_at": _iso(self.created_at)}
        d["citations"] = [{"id": c.id, "label": c.label, "quote": c.quote, "verified": c.verified}
                          for c in self.answer.citations]
        return d


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    turn_id: int
    owner: str
    rating: int
    comment: str
    created_at: datetime

    def to_json(self) -> dict:
        return {"id": self.id, "turn_id": self.turn_id, "rating": self.rating, "comment": self.comment,
                "created_at": _iso(self.created_at)}


def _iso(t: datetime) -> str:
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.isoformat()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _owner(owner: object) -> str:
    if not isinstance(owner, str) or not owner.strip():
        raise UserInputError("用户标识为空。")
    if len(owner) > MAX_OWNER_CHARS or not owner.isprintable():
        raise UserInputError(f"用户标识“{shown(owner)}”无效：应为不超过{MAX_OWNER_CHARS}个可显示字符。")
    return owner.strip()


def _title(title: object) -> str:
    if title is None:
        return ""
    if not isinstance(title, str):
        raise UserInputError("会话标题必须是文字。")
    t = " ".join(title.split())
    if len(t) > MAX_TITLE_CHARS:
        raise UserInputError(f"会话标题过长（{len(t)}字），请控制在{MAX_TITLE_CHARS}字以内。")
    if not t.isprintable():
        raise UserInputError("会话标题含有控制字符，请删除后重试。")
    return t


def _conversation_id(cid: object) -> str:
    if not isinstance(cid, str) or not (1 <= len(cid) <= 32) or not cid.isalnum():
        raise NotFound(f"没有编号为“{shown(cid)}”的会话。")
    return cid


class ConversationStore:
    def __init__(self, engine):
        self.engine = engine
        from . import schema

        self.t = schema

    @property
    def revision(self) -> str | None:
        return current_revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ conversations

    def create_conversation(self, owner: str, title: str | None = "") -> ConversationInfo:
        owner, title = _owner(owner), _title(title)
        now = _now()
        cid = uuid.uuid4().hex
        with self.engine.begin() as conn:
            conn.execute(self.t.conversations.insert().values(id=cid, owner=owner, title=title, created_at=now,
                                                              updated_at=now))
        return ConversationInfo(cid, owner, title, now, now, 0)

    def list_conversations(self, owner: str, limit: int = 100, offset: int = 0) -> list[ConversationInfo]:
        from sqlalchemy import func, select

        c, tu = self.t.conversations, self.t.turns
        n = select(func.count(tu.c.id)).where(tu.c.conversation_id == c.c.id).scalar_subquery()
        q = (select(c, n.label("n")).where(c.c.owner == _owner(owner))
             .order_by(c.c.updated_at.desc(), c.c.id).limit(max(1, min(int(limit), 1000))).offset(max(0, int(offset))))
        with self.engine.connect() as conn:
            return [ConversationInfo(r.id, r.owner, r.title, r.created_at, r.updated_at, r.n)
                    for r in conn.execute(q)]

    def get_conversation(self, cid: str, owner: str) -> ConversationInfo:
        from sqlalchemy import func, select

        tu = self.t.turns
        with self.engine.connect() as conn:
            r = self._require(conn, cid, owner)
            n = conn.execute(select(func.count(tu.c.id)).where(tu.c.conversation_id == r.id)).scalar_one()
        return ConversationInfo(r.id, r.owner, r.title, r.created_at, r.updated_at, n)

    def rename_conversation(self, cid: str, owner: str, title: str) -> ConversationInfo:
        title = _title(title)
        c = self.t.conversations
        with self.engine.begin() as conn:
            self._require(conn, cid, owner)
            conn.execute(c.update().where(c.c.id == cid).values(title=title, updated_at=_now()))
        return self.get_conversation(cid, owner)

    def delete_conversation(self, cid: str, owner: str) -> None:
        """Deletes the conversation with its turns, citations and feedback (one transaction)."""
        from sqlalchemy import select

        c, tu = self.t.conversations, self.t.turns
        with self.engine.begin() as conn:
            self._require(conn, cid, owner)
            turn_ids = select(tu.c.id).where(tu.c.conversation_id == cid)
            conn.execute(self.t.feedback.delete().where(self.t.feedback.c.turn_id.in_(turn_ids)))
            conn.execute(self.t.citations.delete().where(self.t.citations.c.turn_id.in_(turn_ids)))
            conn.execute(tu.delete().where(tu.c.conversation_id == cid))
            conn.execute(c.delete().where(c.c.id == cid))

    def _require(self, conn, cid, owner, lock: bool = False):
        from sqlalchemy import select

        c = self.t.conversations
        q = select(c).where(c.c.id == _conversation_id(cid), c.c.owner == _owner(owner))
        if lock:  # PostgreSQL: appends to one conversation queue on its row (SQLite: BEGIN IMMEDIATE)
            q = q.with_for_update()
        r = conn.execute(q).first()
        if r is None:
            raise NotFound(f"没有编号为“{shown(cid)}”的会话。")
        return r

    # ------------------------------------------------------------ turns

    def add_turn(self, cid: str, owner: str, turn: Turn) -> int:
        """Append a turn with its citations in one transaction; returns the turn id. Two processes
        appending to one conversation at once both succeed: they queue on the conversation's row."""
        from sqlalchemy import func, select
        from sqlalchemy.exc import IntegrityError

        tu, c = self.t.turns, self.t.conversations
        a = turn.answer
        for attempt in range(_RETRIES):
            try:
                with self.engine.begin() as conn:
                    conv = self._require(conn, cid, owner, lock=True)
                    pos = conn.execute(select(func.coalesce(func.max(tu.c.position), -1) + 1)
                                       .where(tu.c.conversation_id == cid)).scalar_one()
                    now = _now()
                    turn_id = conn.execute(tu.insert().values(
                        conversation_id=cid, position=pos, question=turn.question, query=turn.query,
                        answer=a.text, covered=bool(a.covered), mode=a.mode, notice=a.notice or "",
                        checks=json.dumps([r.to_json() for r in a.checks], ensure_ascii=False),
                        created_at=now)).inserted_primary_key[0]
                    for i, cit in enumerate(a.citations):  # consumed inside the transaction
                        conn.execute(self.t.citations.insert().values(
                            turn_id=turn_id, position=i, clause_id=cit.id, label=cit.label, quote=cit.quote,
                            verified=bool(cit.verified)))
                    values = {"updated_at": now}
                    if not conv.title:
                        values["title"] = _title(turn.question[:40])
                    conn.execute(c.update().where(c.c.id == cid).values(**values))
                return int(turn_id)
            except IntegrityError:
                if attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def list_turns(self, cid: str, owner: str, limit: int | None = None) -> list[TurnRecord]:
        """The conversation's turns in order (the last `limit` if given)."""
        from sqlalchemy import select

        tu, ci = self.t.turns, self.t.citations
        with self.engine.connect() as conn:
            self._require(conn, cid, owner)
            q = select(tu).where(tu.c.conversation_id == cid).order_by(tu.c.position.desc())
            if limit is not None:
                q = q.limit(int(limit))
            rows = list(reversed(conn.execute(q).all()))
            cits: dict[int, list[Citation]] = {r.id: [] for r in rows}
            if rows:
                for r in conn.execute(select(ci).where(ci.c.turn_id.in_(list(cits))).order_by(ci.c.turn_id,
                                                                                                ci.c.position)):
                    cits[r.turn_id].append(Citation(r.clause_id, r.label, r.quote, bool(r.verified)))
        return [TurnRecord(r.id, r.conversation_id, r.position, r.question, r.query,
                           Answer(r.answer, bool(r.covered), tuple(cits[r.id]), r.mode, r.notice or "",
                                  _checks(r.checks)), r.created_at) for r in rows]

    def history(self, cid: str, owner: str, limit: int = 20) -> list[Turn]:
        return [r.turn for r in self.list_turns(cid, owner, limit)]

    # ------------------------------------------------------------ feedback

    def add_feedback(self, turn_id: int, owner: str, rating: int, comment: str = "") -> FeedbackRecord:
        """Feedback on a turn of one of the owner's conversations: rating 1 (有用) or -1 (没用)."""
        from sqlalchemy import select

        owner = _owner(owner)
        if isinstance(rating, bool) or rating not in (1, -1):
            raise UserInputError(f"评价应为 1（有用）或 -1（没用），收到：{shown(rating)}。")
        if not isinstance(comment, str):
            raise UserInputError("反馈意见必须是文字。")
        if len(comment) > MAX_COMMENT_CHARS:
            raise UserInputError(f"反馈意见过长（{len(comment)}字），请控制在{MAX_COMMENT_CHARS}字以内。")
        if isinstance(turn_id, bool) or not isinstance(turn_id, int):
            raise NotFound(f"没有编号为“{shown(turn_id)}”的回答。")
        tu, c, fb = self.t.turns, self.t.conversations, self.t.feedback
        now = _now()
        with self.engine.begin() as conn:
            ok = conn.execute(select(tu.c.id).join(c, c.c.id == tu.c.conversation_id)
                              .where(tu.c.id == turn_id, c.c.owner == owner)).first()
            if ok is None:
                raise NotFound(f"没有编号为“{turn_id}”的回答。")
            fid = conn.execute(fb.insert().values(turn_id=turn_id, owner=owner, rating=rating,
                                                  comment=comment.strip(), created_at=now)).inserted_primary_key[0]
        return FeedbackRecord(int(fid), turn_id, owner, rating, comment.strip(), now)

    def list_feedback(self, turn_id: int | None = None, owner: str | None = None) -> list[FeedbackRecord]:
        from sqlalchemy import select

        fb = self.t.feedback
        q = select(fb).order_by(fb.c.id)
        if turn_id is not None:
            q = q.where(fb.c.turn_id == turn_id)
        if owner is not None:
            q = q.where(fb.c.owner == owner)
        with self.engine.connect() as conn:
            return [FeedbackRecord(r.id, r.turn_id, r.owner, r.rating, r.comment, r.created_at)
                    for r in conn.execute(q)]


def _checks(raw: str) -> tuple[CheckResult, ...]:
    out = []
    for d in json.loads(raw or "[]"):
        out.append(CheckResult(d["rule"], tuple(d.get("clauses", ())), d["status"], d.get("value", ""),
                               d.get("requirement", ""), d.get("explanation", "")))
    return tuple(out)


def open_store(url: str | None = None, *, upgrade: bool = True) -> ConversationStore:
    """The store at `url` (default: ASSISTANT_DB_URL), its schema checked and migrated to head."""
    if url is None:
        from ..config import get_settings

        url = get_settings().db_url
    engine = make_engine(url)
    try:
        migrate(engine, upgrade=upgrade)
    except BaseException:
        engine.dispose()
        raise
    return ConversationStore(engine)


__all__ = ["ConversationInfo", "ConversationStore", "FeedbackRecord", "NotFound", "StoreError", "TurnRecord",
           "head_revision", "open_store"]
