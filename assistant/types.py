"""Core data types shared by every stage of the pipeline.

All are frozen dataclasses: stages pass data along and never mutate what they were given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


class UserInputError(ValueError):
    """Input a user gave that we cannot work with. The message is Chinese and shown as is.

    The CLI turns it into exit code 2 with no traceback; the app shows it as a warning.
    """


@dataclass(frozen=True)
class Document:
    code: str  # the citation prefix (HG, SS), from corpus/documents.toml
    short_name: str  # 河钢标准
    title: str  # full title
    file: str  # file name under corpus/
    aliases: tuple[str, ...] = ()  # other names a question may use (河钢, 四同步)
    # A bare word that names the document only where it is not part of a longer name the standards
    # use (清单 — but not 任务清单 or 什么清单)
    bare_names: tuple[str, ...] = ()
    # A name that is also a concept's (四同步): it names the document only where a pointing word follows
    # (四同步那边, 四同步那份)
    pointed_names: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.short_name, *self.aliases)


@dataclass(frozen=True)
class Part:
    doc: str
    number: int  # 1-based order within the document (SS: 0 is 总体要求)
    name: str  # 党的政治建设全面加强 / 改革同步谋划·重点融合
    effect: str = ""  # HG 提升效果 line; empty for SS


@dataclass(frozen=True)
class Clause:
    """One node of the clause tree: an item (HG-21, SS-2) or a sub-item (HG-21.1, SS-2.3).

    An item with no numbered sub-items is itself a leaf (HG-22, SS-0). Leaves are the citable units.
    `text` is a verbatim span of the source file.
    """

    id: str
    doc: str
    label: str  # 〔河钢标准 第21条第1款〕
    part: str  # part name
    title: str  # item title (the 执行要点 / the SS item heading)
    text: str
    item_no: int
    sub_no: int | None = None
    children: tuple[str, ...] = ()
    line: int = 0  # 1-based source line, for error messages and the browser

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def item_id(self) -> str:
        return f"{self.doc}-{self.item_no}"

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "doc": self.doc,
            "label": self.label,
            "part": self.part,
            "title": self.title,
            "text": self.text,
        }


@dataclass(frozen=True)
class Hit:
    """A retrieved leaf with its fused score (higher is better) and the per-retriever parts."""

    clause: Clause
    score: float
    lexical: float = 0.0
    dense: float = 0.0
    examples: float = 0.0  # the part of `score` that example questions added (retrieval/examples.py)

    @property
    def word_score(self) -> float:
        """The score the words alone gave, without the example questions' lift."""
        return self.score - self.examples

    def to_json(self) -> dict:
        d = self.clause.to_json()
        d["score"] = round(self.score, 4)
        return d


@dataclass(frozen=True)
class Citation:
    id: str
    label: str
    quote: str  # verbatim span of the leaf's text
    verified: bool = True

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "quote": self.quote, "verified": self.verified}


CheckStatus = Literal["pass", "fail", "warn"]


@dataclass(frozen=True)
class CheckResult:
    rule: str
    clauses: tuple[str, ...]
    status: CheckStatus
    value: str  # the computed value in words, e.g. 0.83%
    requirement: str  # the requirement in words
    explanation: str  # verdict with the gap, e.g. 还差2人
    labels: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "clauses": list(self.clauses),
            "status": self.status,
            "value": self.value,
            "requirement": self.requirement,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Answer:
    text: str
    covered: bool
    citations: tuple[Citation, ...] = ()
    mode: Literal["extractive", "llm"] = "extractive"
    notice: str = ""  # e.g. LLM fell back to extractive
    checks: tuple[CheckResult, ...] = ()
    hits: tuple[Hit, ...] = field(default=(), compare=False)
    direct: int = -1  # how many leading citations are the direct answer (the rest: 相关条款); -1 unknown

    def to_json(self) -> dict:
        d = {
            "answer": self.text,
            "covered": self.covered,
            "citations": [c.to_json() for c in self.citations],
            "mode": self.mode,
        }
        if self.notice:
            d["notice"] = self.notice
        if self.checks:
            d["checks"] = [c.to_json() for c in self.checks]
        return d


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation: what was asked, the query actually searched, the answer."""

    question: str
    query: str
    answer: Answer


@dataclass(frozen=True)
class Fact:
    """One statement a leaf makes: about `subject`, its `attribute` is `value`.

    `quote` is a verbatim span of the leaf's text (`start`..`start+len(quote)`) that contains the
    value and reads on its own; it is what an answer shows next to the leaf's label.
    """

    id: str  # HG-21.1#2: leaf and 1-based position among that leaf's facts
    leaf: str
    doc: str
    subject: str
    attribute: str  # one of facts.ATTRIBUTES
    value: str
    strength: str
    quote: str
    start: int
    condition: str = ""
    members: tuple[str, ...] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.quote)


@dataclass(frozen=True)
class Subject:
    """A thing the standards speak about, with the names people use for it."""

    name: str
    aliases: tuple[str, ...] = ()
    broader: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Reading:
    """What a question asks, read without retrieval: its subjects, the asked attribute, the kind.

    `attribute` is a question attribute key (see assistant/data/question_attributes.toml) or "";
    `attribute_word` is how the Chinese reply names it (任期, 召开频次).
    """

    question: str
    subjects: tuple[str, ...] = ()
    attribute: str = ""
    attribute_word: str = ""
    accepts: tuple[str, ...] = ()  # fact attributes that answer it
    kind: str = "what"  # what | how_often | how_many | when | who | how | whether | compare | define | mention
    docs: tuple[str, ...] = ()  # documents the question names (scope)
    specific: bool = False  # asks for one attribute the standards either state or do not
    displays: tuple[str, ...] = ()  # how the question names its subjects, in order (党小组长)
    cue: str = ""  # the question words that ask the attribute (任期, 职级)
    part: str = ""  # the part of a counted whole whose number is asked (专职委员 of 党委委员7-9人)
