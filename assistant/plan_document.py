"""A plan as the document a party office files: 指导思想, 工作目标, 主要任务, 保障措施 and the annex.

Pure functions from the plan's parts (rules, duties, calendar entries, targets) and the clause tree.
Every sentence in the filed text is either a verbatim clause sentence with its label, a target
computed from the registry, or a fixed connective phrase; drafting guidance stays out (it is shown
on screen as `Plan.notes`), and 【请填写】 marks only what the unit itself must decide.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .text.sentences import sentence_spans
from .types import Citation, Clause

SECTIONS_FILE = Path(__file__).resolve().parent / "data" / "plan_sections.toml"
BLANK = "【请填写】"
GENERAL_TITLE = "总体要求"


@dataclass(frozen=True)
class Task:
    """One measure: a clause sentence in its own words, with its label."""

    text: str
    citation: Citation

    def to_json(self) -> dict:
        return {"text": self.text, "citation": self.citation.to_json()}


@dataclass(frozen=True)
class TaskGroup:
    theme: str  # the standard's own part heading (党内组织生活严肃认真)
    tasks: tuple[Task, ...]

    def to_json(self) -> dict:
        return {"theme": self.theme, "tasks": [t.to_json() for t in self.tasks]}


@dataclass(frozen=True)
class ScheduleRow:
    """A row of 附件 年度工作安排表: a recurring duty once with its months, or a dated one-off item."""

    activity: str
    timing: str  # 每月（1—12月） / 每季度（各季度内） / 1月 / 第四季度内；具体日期【请填写】
    requirement: str
    citations: tuple[Citation, ...]
    recurring: bool

    def to_json(self) -> dict:
        return {"activity": self.activity, "timing": self.timing, "requirement": self.requirement,
                "recurring": self.recurring, "citations": [c.to_json() for c in self.citations]}


@lru_cache(maxsize=1)
def load_safeguards() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = tomllib.loads(SECTIONS_FILE.read_text(encoding="utf-8"))
    return tuple((g["heading"], tuple(g["clauses"])) for g in data.get("safeguard", []))


def guiding_clauses(corpus) -> tuple[Clause, ...]:
    """The standards' own 总体要求 (SS-0): the guiding idea a plan quotes."""
    return tuple(c for c in corpus.leaves() if c.title == GENERAL_TITLE or c.part == GENERAL_TITLE)


def sentence_of(text: str, quote: str) -> str:
    """The whole sentence of `text` that holds `quote` (the one splitter), or the quote itself."""
    pos = text.find(quote)
    if pos < 0:
        return quote
    for a, b in sentence_spans(text):
        if a <= pos < b:
            end = max(b, pos + len(quote))
            return text[a:end]
    return quote


def group_by_theme(tasks: Sequence[Task], corpus) -> tuple[TaskGroup, ...]:
    """Tasks under the part headings of the standards, in document order, each sentence once."""
    order = {c.id: i for i, c in enumerate(corpus.leaves())}
    seen: set[tuple[str, str]] = set()
    groups: dict[str, list[tuple[int, int, Task]]] = {}
    for k, t in enumerate(tasks):
        key = (t.citation.id, t.text)
        if key in seen:
            continue
        seen.add(key)
        leaf = corpus.get(t.citation.id)
        groups.setdefault(leaf.part, []).append((order.get(leaf.id, 0), k, t))
    ordered = sorted(groups.items(), key=lambda kv: min(x[0] for x in kv[1]))
    return tuple(TaskGroup(theme, tuple(t for _, _, t in sorted(items, key=lambda x: (x[0], x[1]))))
                 for theme, items in ordered)


def rule_tasks(rules: Sequence, duties: Sequence, corpus) -> list[Task]:
    """Each registry rule and scheduled duty as the clause sentence that states it."""
    out = []
    for r in rules:
        leaf = corpus.get(r.clauses[0])
        s = sentence_of(leaf.text, r.quote)
        out.append(Task(s, Citation(leaf.id, leaf.label, s)))
    for d in duties:
        leaf = corpus.get(d.clauses[0])
        s = sentence_of(leaf.text, d.quote)
        out.append(Task(s, Citation(leaf.id, leaf.label, s)))
    return out


def safeguards(corpus, exclude: set[str] = frozenset()) -> tuple[TaskGroup, ...]:
    """四、保障措施: the clauses on funds, people and premises, quoted whole."""
    out = []
    for heading, ids in load_safeguards():
        items = []
        for cid in ids:
            leaf = corpus.get(cid)
            if leaf is None:
                raise ValueError(f"plan_sections.toml: 条款 {cid} 不存在")
            items.append(Task(leaf.text.rstrip("。"), Citation(leaf.id, leaf.label, leaf.text)))
        out.append(TaskGroup(heading, tuple(items)))
    return tuple(out)


def safeguard_ids() -> set[str]:
    return {cid for _, ids in load_safeguards() for cid in ids}


QUARTERS = ("Q1", "Q2", "Q3", "Q4")
MONTHS = tuple(str(m) for m in range(1, 13))


def slots_text(slots: Sequence[str], names: dict[str, str]) -> str:
    s = tuple(slots)
    if s == MONTHS:
        return "1—12月"
    if s == QUARTERS:
        return "各季度内"
    if s == ("H1", "H2"):
        return "上、下半年内"
    return "、".join(names[x] for x in s)


def fold_schedule(entries: Sequence, names: dict[str, str]) -> tuple[ScheduleRow, ...]:
    """One row per duty: the calendar's entries for the same rule or duty folded into one, with its
    months; one-off items keep their date. In the order the year reaches them."""
    grouped: dict[tuple, list] = {}
    for e in entries:
        grouped.setdefault((e.rule, e.duty, e.activity), []).append(e)
    rows: dict[tuple, ScheduleRow] = {}
    for es in grouped.values():
        first = es[0]
        slots = [e.slot for e in es]
        recurring = len(slots) > 1
        when = first.arrangement
        if recurring:
            timing = f"{slots_text(slots, names)}，{when}"
        elif first.slot == "Y" or names[first.slot].rstrip("内") in when:
            timing = when
        else:
            timing = f"{names[first.slot]}，{when}"
        key = (first.activity, timing)
        if key in rows:  # the same duty in both standards (党风廉政专题研究 twice a year): one row
            old = rows[key]
            cites = old.citations + tuple(c for c in first.citations if c not in old.citations)
            req = old.requirement if first.requirement == old.requirement else \
                f"{old.requirement}；{first.requirement}"
            rows[key] = ScheduleRow(old.activity, timing, req, cites, recurring)
        else:
            rows[key] = ScheduleRow(first.activity, timing, first.requirement, first.citations, recurring)
    return tuple(rows.values())
