"""The one façade the CLI, the app, the HTTP API and the MCP server call.

    svc = AssistantService()
    r = svc.ask("支委会多久开一次？")                     # stateless
    r = svc.ask("那党小组会呢？", history=r.turns)        # follow-up from turns the caller keeps
    cid = svc.store.create_conversation("alice").id
    r = svc.ask("支委会多久开一次？", conversation_id=cid, owner="alice")   # kept in the store

The orchestration lives here once: the answer itself comes from the public API of
`assistant.answer` (`Conversation`), checks from `assistant.checks`, plans and quizzes from their
modules. Nothing heavy is imported until a method needs it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from .types import Answer, Clause, Hit, Turn, UserInputError

HISTORY_CACHE_SIZE = 512
ANSWER_CACHE_SIZE = 2048
MAX_HISTORY_TURNS = 20  # a follow-up needs the last few turns, never a whole day's chat


@dataclass(frozen=True)
class AskResult:
    """An answer with what the caller needs to continue: the query searched, all turns so far."""

    question: str
    query: str
    answer: Answer
    turns: tuple[Turn, ...]
    conversation_id: str | None = None
    turn_id: int | None = None

    def to_json(self) -> dict:
        d = {"question": self.question, "query": self.query, **self.answer.to_json()}
        d["citations"] = [citation_json(c) for c in self.answer.citations]
        if self.conversation_id is not None:
            d["conversation_id"] = self.conversation_id
            d["turn_id"] = self.turn_id
        return d


def citation_json(c) -> dict:
    return {"id": c.id, "label": c.label, "quote": c.quote, "verified": bool(c.verified)}


@dataclass
class _HistoryCache:
    """Turns rebuilt from a list of earlier questions (OpenAI clients resend the whole history)."""

    size: int = HISTORY_CACHE_SIZE
    data: OrderedDict = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key):
        with self.lock:
            v = self.data.get(key)
            if v is not None:
                self.data.move_to_end(key)
            return v

    def put(self, key, value) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


class AssistantService:
    """ask / stream / retrieve / check / plan / quiz / clauses, and the conversation store.

    settings: a config.Settings (default: from the environment). retriever / llm / store: injected
    for tests or shared by a server; by default they are opened on first use. llm=False forces
    extractive answers.
    """

    def __init__(self, settings=None, *, retriever=None, llm=None, store=None):
        from .config import get_settings

        self.settings = settings or get_settings()
        self._retriever = retriever
        self.llm = llm
        self._store = store
        self._lock = threading.Lock()
        self._history = _HistoryCache()
        self._answers = _HistoryCache(ANSWER_CACHE_SIZE)

    # ------------------------------------------------------------ shared resources

    @property
    def retriever(self):
        if self._retriever is None:
            from .retrieval import get_retriever

            self._retriever = get_retriever(self.settings)
        return self._retriever

    @property
    def store(self):
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from .store import open_store

                    self._store = open_store(self.settings.db_url)
        return self._store

    def warm(self) -> None:
        """Open the index and model now (servers call this before taking requests)."""
        self.retriever.search("支委会多久开一次？", k=1)

    def _llm(self, llm):
        return self.llm if llm is None else llm

    # ------------------------------------------------------------ answers

    def _conversation(self, history: Sequence[Turn], llm):
        from .answer import Conversation

        conv = Conversation(retriever=self.retriever, llm=self._llm(llm))
        conv.turns = list(history)[-MAX_HISTORY_TURNS:]
        return conv

    def _history_for(self, conversation_id: str | None, owner: str, history: Sequence[Turn]) -> list[Turn]:
        if conversation_id is None:
            return list(history)
        if history:
            raise UserInputError("请只给出会话编号或历史轮次其中一种。")
        return self.store.history(conversation_id, owner, limit=MAX_HISTORY_TURNS)

    def ask(self, question: str, *, conversation_id: str | None = None, owner: str = "default",
            history: Sequence[Turn] = (), llm=None) -> AskResult:
        """Answer one question. With a conversation id the earlier turns come from the store and the
        new turn is saved there (one transaction); otherwise `history` (turns) gives the context."""
        from .questions import validate_question

        q = validate_question(question)
        turns = self._history_for(conversation_id, owner, history)
        key = (q, tuple(t.query for t in turns[-MAX_HISTORY_TURNS:])) if self._deterministic(llm) else None
        cached = self._answers.get(key) if key else None
        if cached is not None and conversation_id is None:
            return AskResult(q, cached.query, cached.answer, (*turns, Turn(q, cached.query, cached.answer)))
        conv = self._conversation(turns, llm)
        if cached is not None:  # same question after the same queries: the same extractive answer
            conv.turns.append(Turn(q, cached.query, cached.answer))
            answer = cached.answer
        else:
            answer = conv.ask(q)
        result = self._finish(conv, answer, conversation_id, owner)
        if key and cached is None and conversation_id is None:
            self._answers.put(key, result)
        return result

    def _deterministic(self, llm) -> bool:
        """Extractive answers depend only on the question, the earlier queries and the index this
        service holds, so they can be reused; an LLM's cannot."""
        llm = self._llm(llm)
        return llm is False or (llm is None and not self.settings.llm_enabled)

    def stream(self, question: str, *, conversation_id: str | None = None, owner: str = "default",
               history: Sequence[Turn] = (), llm=None) -> Iterator[str | AskResult]:
        """Preview text chunks while an LLM writes, then the final AskResult (the only item in
        extractive mode). The final answer, not the preview, is what was checked and saved."""
        from .questions import validate_question

        q = validate_question(question)
        turns = self._history_for(conversation_id, owner, history)
        conv = self._conversation(turns, llm)
        for item in conv.stream(q):
            if isinstance(item, Answer):
                yield self._finish(conv, item, conversation_id, owner)
                return
            yield item

    def _finish(self, conv, answer: Answer, conversation_id, owner) -> AskResult:
        turn = conv.turns[-1]
        turn_id = None
        if conversation_id is not None:
            turn_id = self.store.add_turn(conversation_id, owner, turn)
        return AskResult(turn.question, turn.query, answer, tuple(conv.turns), conversation_id, turn_id)

    def turns_from_questions(self, questions: Sequence[str]) -> tuple[Turn, ...]:
        """Turns for earlier questions a client sent as history (as OpenAI clients do): each is asked
        again in order, so follow-ups of follow-ups resolve the same way. Cached by the questions."""
        questions = tuple(questions)[-MAX_HISTORY_TURNS:]
        if not questions:
            return ()
        cached = self._history.get(questions)
        if cached is not None:
            return cached
        # Replayed extractively: a follow-up needs the earlier queries and cited clauses, and an LLM
        # call per earlier message would cost seconds each.
        prefix = self.turns_from_questions(questions[:-1])
        conv = self._conversation(prefix, False)
        try:
            conv.ask(questions[-1])
            turns = tuple(conv.turns)
        except UserInputError:  # an earlier message that is not a question: no context from it
            turns = prefix
        self._history.put(questions, turns)
        return turns

    # ------------------------------------------------------------ retrieval and clauses

    def retrieve(self, query: str, k: int = 5, doc: str | None = None) -> list[Hit]:
        from .questions import validate_question
        from .retrieval import validate_doc, validate_k

        q = validate_question(query)
        return self.retriever.search(q, k=validate_k(k), doc=validate_doc(doc))

    def corpus(self):
        from .corpus import load_corpus

        return load_corpus(self.settings.corpus_dir)

    def clauses(self, doc: str | None = None, q: str | None = None) -> list[Clause]:
        """Citable clauses in document order; `q` keeps those whose id, title or text contain it."""
        from .retrieval import validate_doc

        leaves = self.corpus().leaves(validate_doc(doc))
        if q is not None and q.strip():
            from .corpus import normalize_id

            needle, nid = q.strip(), normalize_id(q)
            leaves = [c for c in leaves if needle in c.text or needle in c.title or c.id == nid
                      or c.id.startswith(nid + ".") or needle in c.label]
        return leaves

    def clause(self, clause_id: str) -> dict:
        """One clause (item or sub-item) with its children; UserInputError naming near IDs if unknown."""
        if not isinstance(clause_id, str) or not clause_id.strip():
            raise UserInputError("条款编号为空。编号形如 HG-21.1、SS-2.3、SS-0。")
        corpus = self.corpus()
        c = corpus.require(clause_id)
        d = c.to_json()
        if c.children:
            d["children"] = [corpus.get(i).to_json() for i in c.children]
        return d

    # ------------------------------------------------------------ checks, plans, quizzes

    def check(self, text: str | None = None, figures: dict | None = None, period: str | None = None):
        """A CheckReport for a Chinese text or for figures given as data (exactly one of them)."""
        from .checks import check_figures, check_text

        if (text is None) == (figures is None):
            raise UserInputError("请只给出要核对的文本或数据（figures）其中一种。")
        if figures is not None:
            if not isinstance(figures, dict) or not figures:
                raise UserInputError("数据应是非空的“名称: 数值”对象，如 {\"employees\": 1200}。")
            return check_figures(figures, period)
        if period:
            raise UserInputError("统计期只与数据（figures）一起使用；文本中请直接写明统计期（如“上半年”）。")
        return check_text(text)

    def plan(self, unit: str, year, topic: str | None = None, profile: str | dict | None = None):
        from .plan import build_plan, validate_unit, validate_year

        validate_unit(unit)
        y = validate_year(year)
        retriever = self.retriever if topic and str(topic).strip() else None
        return build_plan(unit, y, topic=topic, profile=profile, retriever=retriever)

    def render_plan(self, plan, fmt: str) -> bytes:
        from .plan import render_plan

        return render_plan(plan, fmt)

    def quiz(self, count=20, types="choice,multi,judge,blank", doc="all", topic: str | None = None, seed=7):
        from .quiz import generate_quiz

        return generate_quiz(count, types=types, doc=doc, topic=topic, seed=seed)

    def render_quiz(self, quiz, fmt: str) -> bytes:
        from .quiz import FORMATS, render_quiz

        f = str(fmt or "").strip().lower()
        f = "md" if f == "markdown" else f
        if f not in FORMATS:
            raise UserInputError(f"未知的输出格式“{fmt}”。可选：json、md、docx、csv。")
        return render_quiz(quiz, f)


_DEFAULT: AssistantService | None = None
_DEFAULT_LOCK = threading.Lock()


def get_service() -> AssistantService:
    """The process-wide service for the environment's current settings (CLI, app, servers); a
    change of settings (ASSISTANT_* variables) gets a fresh service, never stale answers."""
    from .config import get_settings

    global _DEFAULT
    settings = get_settings()
    with _DEFAULT_LOCK:
        if _DEFAULT is None or _DEFAULT.settings != settings:
            _DEFAULT = AssistantService(settings)
        return _DEFAULT
