"""Work plans drafted from the standards: an annual calendar and targets, or a topic plan.

Everything in a plan comes from the rule registry (`assistant/data/rules.toml`), the scheduled duties
with no number to check (`assistant/data/plan_calendar.toml`) and the clause tree. Every line carries
the label of the leaf it stands on and a verbatim quote; what the standards leave open is the marked
blank 【请填写】, never a guess.

`build_plan` loads and validates; `assemble_plan` and the helpers below it are pure and tested with
given rules and leaves. `render_plan` writes the same content as Markdown, DOCX or JSON.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .plan_document import (
    Task, group_by_theme, guiding_clauses, rule_tasks, safeguard_ids, safeguards,
    fold_schedule,
)
from .plan_inputs import (  # noqa: F401  (re-exported: the plan's public surface)
    BLANK, FORMATS, MAX_PROFILE_CHARS, UNIT_TYPES, YEAR_MAX, YEAR_MIN, ProfileFigure, field_text,
    format_number, format_quantity, parse_profile, validate_date, validate_format, validate_unit,
    validate_year,
)
from .types import Citation, Clause, UserInputError

CALENDAR_FILE = Path(__file__).resolve().parent / "data" / "plan_calendar.toml"

MONTH_SLOTS = tuple(str(m) for m in range(1, 13))
# Calendar rows in reading order: each quarter's and half-year's "within" row after its last month.
SLOT_ORDER = ("1", "2", "3", "Q1", "4", "5", "6", "Q2", "H1", "7", "8", "9", "Q3",
              "10", "11", "12", "Q4", "H2", "Y")
SLOT_NAMES = {**{str(m): f"{m}月" for m in range(1, 13)},
              "Q1": "第一季度内", "Q2": "第二季度内", "Q3": "第三季度内", "Q4": "第四季度内",
              "H1": "上半年内", "H2": "下半年内", "Y": "全年"}
PERIOD_SLOTS = {"month": MONTH_SLOTS, "quarter": ("Q1", "Q2", "Q3", "Q4"),
                "half_year": ("H1", "H2"), "year": ("Y",)}
PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "half_year": 2, "year": 1}
PERIOD_WORDS = {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}
PERIOD_UNITS = {"month": "个月", "quarter": "个季度", "half_year": "个半年", "year": "年"}
# Registry rules about the enterprise (payroll, board, R&D) belong in the 党委's plan: it leads the
# enterprise. A branch's plan says where they are instead of repeating them.
ENTERPRISE_UNITS = ("党委",)


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class CalendarEntry:
    slot: str  # "1".."12", "Q1".."Q4", "H1", "H2", "Y"
    activity: str
    requirement: str  # what to do, in the standard's words where it has them
    when: str  # the timing in words (每月 / 一般安排在第四季度 / “七一”前夕)
    citations: tuple[Citation, ...]
    rule: str | None = None  # registry rule id behind it
    duty: str | None = None  # plan_calendar.toml duty id behind it
    date_blank: bool = False  # the standards leave the exact date to the unit
    soft: bool = False  # 一般 / 原则上 / 力争: the standard admits exceptions

    @property
    def slot_name(self) -> str:
        return SLOT_NAMES[self.slot]

    @property
    def arrangement(self) -> str:
        text = self.when + ("（一般）" if self.soft and "一般" not in self.when else "")
        return f"{text}；具体日期{BLANK}" if self.date_blank else text

    def to_json(self) -> dict:
        return {"slot": self.slot, "time": self.slot_name, "activity": self.activity,
                "requirement": self.requirement, "arrangement": self.arrangement,
                "date_blank": self.date_blank, "rule": self.rule, "duty": self.duty,
                "citations": [c.to_json() for c in self.citations]}


@dataclass(frozen=True)
class Target:
    """One registry rule as an annual target, with the arithmetic from the profile when it has one."""

    rule: str
    name: str
    requirement: str
    calculation: str  # "8000万元 × 1% = 80万元", or "" when there is nothing to compute
    result: str  # the figure for this year, or what to fill in
    citations: tuple[Citation, ...]
    note: str = ""  # rounding, exceptions, the other document's different number

    def to_json(self) -> dict:
        return {"rule": self.rule, "name": self.name, "requirement": self.requirement,
                "calculation": self.calculation, "result": self.result, "note": self.note,
                "citations": [c.to_json() for c in self.citations]}


@dataclass(frozen=True)
class Goal:
    text: str
    citation: Citation | None  # None: a blank goal for the user to set

    def to_json(self) -> dict:
        return {"text": self.text, "citation": self.citation.to_json() if self.citation else None}


@dataclass(frozen=True)
class Measure:
    """One sentence of a relevant leaf, verbatim, with its timing and owner as the sentence states."""

    text: str
    citation: Citation
    timing: str  # a verbatim fragment of the sentence, or BLANK
    responsible: str  # the acting body named in the sentence, or BLANK

    def to_json(self) -> dict:
        return {"text": self.text, "timing": self.timing, "responsible": self.responsible,
                "lead": BLANK, "citation": self.citation.to_json()}


@dataclass(frozen=True)
class TopicPlan:
    topic: str
    goals: tuple[Goal, ...]
    measures: tuple[Measure, ...]
    schedule: tuple[CalendarEntry, ...]  # calendar entries that stand on the topic's leaves

    def to_json(self) -> dict:
        return {"topic": self.topic, "goals": [g.to_json() for g in self.goals],
                "measures": [m.to_json() for m in self.measures],
                "schedule": [e.to_json() for e in self.schedule]}


@dataclass(frozen=True)
class Plan:
    unit: str
    year: int
    title: str
    topic: str | None
    profile: tuple[ProfileFigure, ...]
    targets: tuple[Target, ...]
    calendar: tuple[CalendarEntry, ...]
    topic_plan: TopicPlan | None
    notes: tuple[str, ...]
    appendix: tuple[Clause, ...]  # every cited leaf, in document order, quoted in full
    rules: tuple[str, ...] = field(default=(), compare=False)  # registry rules the plan covers
    # The filed document (plan_document): 指导思想, 主要任务 by theme, 保障措施, 附件 年度工作安排表
    guiding: tuple[Clause, ...] = ()
    tasks: tuple = ()  # TaskGroup
    safeguards: tuple = ()  # TaskGroup
    schedule: tuple = ()  # ScheduleRow
    org: str = ""  # the unit's name (--org); empty: the unit writes it in
    drafter: str = ""
    date: str = ""  # the date the plan is issued, as written (2027年1月5日)

    @property
    def kind(self) -> str:
        return "topic" if self.topic_plan else "annual"

    def cited_ids(self) -> list[str]:
        return [c.id for c in self.appendix]

    def to_json(self) -> dict:
        return {
            "title": self.title, "kind": self.kind, "unit": self.unit, "year": self.year,
            "topic": self.topic,
            "profile": [{"key": f.key, "label": f.label, "value": f.value, "unit": f.unit}
                        for f in self.profile],
            "notes": list(self.notes),
            "targets": [t.to_json() for t in self.targets],
            "calendar": [e.to_json() for e in self.calendar],
            "topic_plan": self.topic_plan.to_json() if self.topic_plan else None,
            "rules": list(self.rules),
            "org": self.org, "drafter": self.drafter, "date": self.date,
            "guiding": [{"id": c.id, "label": c.label, "text": c.text} for c in self.guiding],
            "tasks": [g.to_json() for g in self.tasks],
            "safeguards": [g.to_json() for g in self.safeguards],
            "schedule": [r.to_json() for r in self.schedule],
            "appendix": [{"id": c.id, "label": c.label, "title": c.title, "text": c.text}
                         for c in self.appendix],
        }


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Duty:
    """A scheduled duty from plan_calendar.toml: the timing of a registry rule, or a duty of its own."""

    id: str
    activity: str
    clauses: tuple[str, ...]
    quote: str
    requirement: str
    slots: tuple[str, ...]
    when: str
    applies_to: tuple[str, ...]
    date_blank: bool
    rule: str | None = None


@dataclass(frozen=True)
class TopicWords:
    timing: tuple[str, ...]
    vague_timing: tuple[str, ...]
    actors: tuple[str, ...]


def parse_calendar(data: dict) -> tuple[tuple[Duty, ...], TopicWords]:
    duties = []
    for i, d in enumerate(data.get("duty", [])):
        where = f"plan_calendar.toml duty[{i}] {d.get('id', '?')}"
        try:
            duty = Duty(id=d["id"], activity=d["activity"], clauses=tuple(d["clauses"]),
                        quote=d["quote"], requirement=d["requirement"], slots=tuple(d["slots"]),
                        when=d["when"], applies_to=tuple(d["applies_to"]),
                        date_blank=bool(d["date_blank"]), rule=d.get("rule"))
        except KeyError as e:
            raise ValueError(f"{where}: 缺少字段 {e.args[0]}") from None
        bad = [s for s in duty.slots if s not in SLOT_NAMES]
        if bad or not duty.slots:
            raise ValueError(f"{where}: 无效的 slots {bad or '（空）'}")
        if not set(duty.applies_to) <= set(UNIT_TYPES):
            raise ValueError(f"{where}: applies_to 只能取 {UNIT_TYPES}")
        duties.append(duty)
    t = data.get("topic", {})
    words = TopicWords(tuple(t.get("timing_words", ())), tuple(t.get("vague_timing_words", ())),
                       tuple(t.get("actors", ())))
    return tuple(duties), words


@lru_cache(maxsize=1)
def load_calendar() -> tuple[tuple[Duty, ...], TopicWords]:
    return parse_calendar(tomllib.loads(CALENDAR_FILE.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- assembling


def assemble_plan(unit: str, year: int, rules: Sequence, duties: Sequence[Duty], corpus,
                  figures: Sequence[ProfileFigure] = (), topic: str | None = None,
                  topic_leaves: Sequence[Clause] = (), words: TopicWords | None = None) -> Plan:
    calendar = calendar_entries(unit, rules, duties, corpus)
    targets = annual_targets(unit, rules, figures, corpus)
    # Notes are for the person drafting (shown on screen and on stderr), never in the filed text.
    notes = [
        "本计划依据《河钢集团党建工作质量提升执行标准》（河钢标准）和《国有企业党组织“四同步四融合两晒账”"
        "规范化建设清单》（四同步清单）起草，每项安排后注明依据条款，条款全文见附件2。",
        f"标有{BLANK}的内容是标准没有规定、须由本单位确定的，请逐项补充。",
        "“一般”“原则上”“力争”是标准原文的措辞，表示允许特殊情况。",
    ]
    if unit != "党委":
        notes.append("党建工作经费、专职党务人员配备、董事会结构等企业层面的指标由企业党委落实，"
                     "见党委年度计划（生成时选择“党委”）。")
    if not figures and unit in ENTERPRISE_UNITS:
        notes.append(f"未提供单位情况，需要按人数、工资总额计算的指标显示为{BLANK}；"
                     "可提供如“职工1200人，党员85人，工资总额8000万元”后重新生成。")
    tp = None
    own_rules = [r for r in rules if rule_applies(r, unit)]
    own_duties = [d for d in duties if unit in d.applies_to]
    if topic is not None:
        tp = topic_plan(topic, topic_leaves, rules, calendar, words or load_calendar()[1])
        ids = {c.id for c in topic_leaves}
        targets = [t for t in targets if t.citations[0].id in ids]
        calendar = list(tp.schedule)
        task_list = [Task(m.text, m.citation) for m in tp.measures]
    else:
        task_list = rule_tasks(own_rules, own_duties, corpus)
    guarded = safeguard_ids()
    tasks = group_by_theme([t for t in task_list if t.citation.id not in guarded], corpus)
    guards = safeguards(corpus)
    guiding = guiding_clauses(corpus)
    schedule = fold_schedule(calendar, SLOT_NAMES)
    title = plan_title(unit, year, topic, "")
    cited: set[str] = {c.id for c in guiding}
    cited |= {t.citation.id for g in (*tasks, *guards) for t in g.tasks}
    for e in calendar:
        cited |= {c.id for c in e.citations}
    for t in targets:
        cited |= {c.id for c in t.citations}
    if tp:
        cited |= {m.citation.id for m in tp.measures}
        cited |= {g.citation.id for g in tp.goals if g.citation}
    appendix = tuple(c for c in corpus.clauses if c.id in cited)
    missing = cited - {c.id for c in appendix}
    if missing:  # a registry or calendar entry names a leaf that does not exist: a data bug
        raise ValueError(f"计划引用了不存在的条款：{sorted(missing)}")
    covered = tuple(dict.fromkeys([t.rule for t in targets] + [e.rule for e in calendar if e.rule]))
    return Plan(unit, year, title, topic, tuple(figures), tuple(targets), tuple(calendar), tp,
                tuple(notes), appendix, covered, guiding, tasks, guards, schedule)


def plan_title(unit: str, year: int, topic: str | None, org: str) -> str:
    who = org or unit
    return f"{who}{year}年“{topic}”专题工作计划" if topic is not None else f"{who}{year}年度党建工作计划"


def with_header(plan: Plan, org: str | None = None, drafter: str | None = None,
                date: str | None = None) -> Plan:
    """The plan with the unit's name, the drafter and the issue date (validated; Chinese errors)."""
    from dataclasses import replace

    o = field_text(org, "单位名称")
    return replace(plan, org=o, drafter=field_text(drafter, "拟稿人"), date=validate_date(date),
                   title=plan_title(plan.unit, plan.year, plan.topic, o))


def build_plan(unit: str, year: int, topic: str | None = None, profile: str | dict | None = None,
               *, corpus=None, retriever=None) -> Plan:
    """An annual plan (no topic) or a topic plan for a unit type. Raises UserInputError (Chinese) on
    an unknown unit, a year out of range, an unreadable profile or a topic the standards do not cover.

    `retriever` (optional, with `.search(query, k)`) adds semantic hits to the topic's leaf selection.
    """
    from .checks.rules import load_registry
    from .corpus import load_corpus

    unit = validate_unit(unit)
    year = validate_year(year)
    if topic is not None:
        from .questions import validate_question

        topic = validate_question(topic, "专题")
    registry = load_registry()
    figures = parse_profile(profile, registry)
    corpus = corpus or load_corpus()
    duties, words = load_calendar()
    leaves: list[Clause] = []
    if topic is not None:
        hits = retriever.search(topic, 10) if retriever is not None else ()
        leaves = select_topic_leaves(topic, corpus.leaves(), hits)
        if not leaves:
            raise UserInputError(
                f"两份标准中没有与“{topic}”直接相关的条款，无法起草有依据的专题计划。"
                "可以换个说法（如“党员教育培训”“三会一课”“党风廉政建设”），或不指定专题生成年度计划。")
    return assemble_plan(unit, year, registry.rules, duties, corpus, figures, topic, leaves, words)


from .plan_targets import (  # noqa: E402,F401  (re-exported)
    annual_targets, calendar_entries, compute_target, duty_citation, rule_applies, rule_citation,
)
from .plan_topic import (  # noqa: E402,F401  (re-exported)
    select_topic_leaves, sentence_actor, sentence_timing, split_sentences, topic_plan,
)
from .plan_render import (  # noqa: E402,F401  (re-exported)
    ANNEX_HEADER, CALENDAR_HEADER, DUTIES_HEADER, SCHEDULE_HEADER, TARGET_HEADER, annex_rows, calendar_rows, duty_rows,
    document_blocks,
    render_docx, render_markdown, render_plan, schedule_rows, target_rows,
)
