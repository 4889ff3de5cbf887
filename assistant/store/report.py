"""Read-only rows for the question report (问题统计): every logged turn of every owner, with its
citations and the latest feedback on it. Owners are not returned: the report is about questions,
not about who asked them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReportRow:
    turn_id: int
    created_at: datetime
    question: str
    answer: str
    covered: bool
    mode: str
    citations: tuple[tuple[str, str], ...]  # (clause id, label) in the answer's order
    rating: int | None  # the latest feedback on the turn: 1, -1 or none
    comment: str


def report_rows(store, since: datetime | None = None, limit: int = 50_000) -> list[ReportRow]:
    """Turns newest first (at most `limit`), optionally only those created at or after `since`."""
    from sqlalchemy import select

    tu, ci, fb = store.t.turns, store.t.citations, store.t.feedback
    q = select(tu.c.id, tu.c.created_at, tu.c.question, tu.c.answer, tu.c.covered, tu.c.mode)
    if since is not None:
        q = q.where(tu.c.created_at >= since)
    q = q.order_by(tu.c.created_at.desc(), tu.c.id.desc()).limit(max(1, int(limit)))
    with store.engine.connect() as conn:
        turns = conn.execute(q).all()
        ids = [r.id for r in turns]
        cits: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
        last: dict[int, tuple[int, str]] = {}
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            for r in conn.execute(select(ci.c.turn_id, ci.c.clause_id, ci.c.label)
                                  .where(ci.c.turn_id.in_(chunk)).order_by(ci.c.turn_id, ci.c.position)):
                cits[r.turn_id].append((r.clause_id, r.label))
            for r in conn.execute(select(fb.c.turn_id, fb.c.rating, fb.c.comment)
                                  .where(fb.c.turn_id.in_(chunk)).order_by(fb.c.id)):
                last[r.turn_id] = (r.rating, r.comment)  # later rows win: the latest feedback
    return [ReportRow(r.id, r.created_at, r.question, r.answer, bool(r.covered), r.mode, tuple(cits[r.id]),
                      last.get(r.id, (None, ""))[0], last.get(r.id, (None, ""))[1]) for r in turns]


def latest_ratings(store, owner: str, turn_ids) -> dict[int, tuple[int, str]]:
    """The owner's latest (rating, comment) per turn, for showing feedback already given."""
    from sqlalchemy import select

    fb = store.t.feedback
    ids = [int(i) for i in turn_ids]
    out: dict[int, tuple[int, str]] = {}
    if not ids:
        return out
    with store.engine.connect() as conn:
        for r in conn.execute(select(fb.c.turn_id, fb.c.rating, fb.c.comment)
                              .where(fb.c.turn_id.in_(ids), fb.c.owner == owner).order_by(fb.c.id)):
            out[r.turn_id] = (r.rating, r.comment)
    return out
