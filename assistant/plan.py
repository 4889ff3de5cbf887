"""Work plans drafted from the standards: an annual calendar and targets, or a topic plan.

Everything in a plan comes from the rule registry (`assistant/data/rules.toml`), the scheduled duties
with no number to check (`assistant/data/plan_calendar.toml`) and the clause tree. Every line carries
the label of the leaf it stands on and a verbatim quote; what the standards leave open is the marked
blank 【请填写】, never a guess.

`build_plan` loads and validates; `assemble_plan` and the helpers below it are pure and tested with
given rules and leaves. `render_plan` writes the same content as Markdown, DOCX or JSON.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from .questions import shown
from .types import Citation, Clause, UserInputError

BLANK = "【请填写】"
UNIT_TYPES = ("党支部", "党总支", "党委")
YEAR_MIN, YEAR_MAX = 2000, 2100
FORMATS = ("md", "docx", "json")
CALENDAR_FILE = Path(__file__).resolve().parent / "data" / "plan_calendar.toml"
MAX_PROFILE_CHARS = 2000

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
DOC_NAMES = {"HG": "河钢标准", "SS": "四同步清单"}
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
class ProfileFigure:
    key: str
    label: str
    value: float
    unit: str

    @property
    def text(self) -> str:
        return f"{self.label} {format_quantity(self.value, self.unit)}"


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


# ---------------------------------------------------------------- validation


def validate_unit(unit: object) -> str:
    if not isinstance(unit, str) or unit.strip() not in UNIT_TYPES:
        raise UserInputError(f"未知的单位类型“{shown(unit)}”，只能是：{'、'.join(UNIT_TYPES)}。")
    return unit.strip()


def validate_year(year: object) -> int:
    # An int is taken as is (str() of a huge int raises); anything else must be digits.
    text = year.strip() if isinstance(year, str) else ""
    if isinstance(year, int) and not isinstance(year, bool):
        y = year
    elif re.fullmatch(r"\d+", text):
        y = int(text) if len(text) <= 6 else YEAR_MAX + 1  # too many digits to be a year at all
    else:
        raise UserInputError(f"年份“{shown(year)}”不是整数，请填写如 2027 这样的四位年份。")
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise UserInputError(f"年份 {shown(text or year, 12)} 超出范围，请填写 {YEAR_MIN}–{YEAR_MAX} 之间的年份。")
    return y


def validate_format(fmt: object) -> str:
    f = str(fmt or "").strip().lower().lstrip(".")
    if f not in FORMATS:
        raise UserInputError(f"未知的输出格式“{shown(fmt)}”，只能是：{'、'.join(FORMATS)}。")
    return f


def parse_profile(profile: str | dict | None, registry) -> tuple[ProfileFigure, ...]:
    """The unit's figures: a dict {figure key: number}, or words like 职工1200人，工资总额8000万元."""
    if profile is None:
        return ()
    if isinstance(profile, str):
        if not profile.strip():
            return ()
        if len(profile) > MAX_PROFILE_CHARS:
            raise UserInputError(f"单位情况过长（{len(profile)}字），请控制在{MAX_PROFILE_CHARS}字以内。")
        values = _figures_from_text(profile)
        if not values:
            raise UserInputError(
                f"无法从“{shown(profile, 40)}”中读出任何数字。请写成如“职工1200人，党员85人，工资总额8000万元”。")
    elif isinstance(profile, dict):
        values = profile
    else:
        raise UserInputError("单位情况必须是文字（如“职工1200人，工资总额8000万元”）或“指标: 数值”的字典。")
    out = []
    for key, value in values.items():
        fig = registry.figure(key)
        if fig is None:
            known = "、".join(f.key for f in registry.figures[:6])
            raise UserInputError(f"单位情况中有未知的指标“{shown(key)}”（可用的指标如 {known}…）。")
        if fig.is_text:
            continue  # text figures (branch form) describe, they do not compute
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:  # NaN
            raise UserInputError(f"单位情况中“{fig.label}”的值“{shown(value)}”不是数字。")
        try:
            value = float(value)
        except OverflowError:  # an integer beyond float range is absurd, not garbage
            value = math.inf
        if value < 0 or not math.isfinite(value) or (fig.max is not None and value > fig.max):
            raise UserInputError(f"单位情况中“{fig.label}”的值 {value:g} 不合理，请核对。")
        out.append(ProfileFigure(fig.key, fig.label, value, fig.unit))
    # The checks' validation too (one judge for the project): a zero total, 0.5人, a part above its whole.
    from .checks.evaluate import validate_figures

    _, errors = validate_figures({f.key: f.value for f in out}, registry)
    if errors:
        raise UserInputError("单位情况有误：" + "".join(e.message for e in errors))
    return tuple(out)


def _figures_from_text(text: str) -> dict:
    """Read figures out of words with the checks feature's extractor (one reader for the project).

    A figure it cannot read (职工很多人, a money figure without 元/万元) is an error, not a guess.
    """
    from .checks.figures import extract_figures

    found = extract_figures(text)
    if found.errors:
        raise UserInputError("单位情况有误：" + "".join(e.message for e in found.errors))
    return {k: v for k, v in found.figures.items() if isinstance(v, (int, float))}


# ---------------------------------------------------------------- numbers


def format_number(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}".replace(",", "")
    return f"{x:.2f}".rstrip("0").rstrip(".")


def format_quantity(x: float, unit: str) -> str:
    """8e7 元 → 8000万元; 1.2e9 元 → 12亿元; others as number + unit."""
    if unit == "元":
        if abs(x) >= 1e8:
            return f"{format_number(x / 1e8)}亿元"
        if abs(x) >= 1e4:
            return f"{format_number(x / 1e4)}万元"
    return f"{format_number(x)}{unit}"


# ---------------------------------------------------------------- annual plan, pure parts


def rule_applies(rule, unit: str) -> bool:
    return unit in rule.applies_to or ("企业" in rule.applies_to and unit in ENTERPRISE_UNITS)


def rule_citation(rule, corpus) -> tuple[Citation, ...]:
    """The primary leaf with the rule's verbatim quote; any further leaf quoted in full."""
    first = corpus.get(rule.clauses[0])
    cites = [Citation(first.id, first.label, rule.quote)]
    for cid in rule.clauses[1:]:
        c = corpus.get(cid)
        cites.append(Citation(c.id, c.label, c.text))
    return tuple(cites)


def duty_citation(duty: Duty, corpus) -> Citation:
    c = corpus.get(duty.clauses[0])
    return Citation(c.id, c.label, duty.quote)


def calendar_entries(unit: str, rules: Sequence, duties: Sequence[Duty], corpus) -> list[CalendarEntry]:
    """Every recurring registry rule and scheduled duty for the unit type, one entry per slot."""
    timing = {d.rule: d for d in duties if d.rule}
    out: list[CalendarEntry] = []
    for rule in rules:
        if rule.kind != "frequency" or not rule.period or not rule_applies(rule, unit):
            continue
        cites = rule_citation(rule, corpus)
        duty = timing.get(rule.id)
        slots, when, blank = PERIOD_SLOTS[rule.period], _period_words(rule), rule.period != "month"
        if duty:
            slots, when, blank = duty.slots, duty.when, duty.date_blank
            extra = duty_citation(duty, corpus)
            if extra.quote not in {c.quote for c in cites}:
                cites += (extra,)
        for slot in slots:
            out.append(CalendarEntry(slot, rule.activity or rule.name, rule.requirement, when, cites,
                                     rule=rule.id, duty=duty.id if duty else None, date_blank=blank,
                                     soft=not rule.strict))
    for duty in duties:
        if duty.rule or unit not in duty.applies_to:
            continue
        for slot in duty.slots:
            out.append(CalendarEntry(slot, duty.activity, duty.requirement, duty.when,
                                     (duty_citation(duty, corpus),), duty=duty.id,
                                     date_blank=duty.date_blank))
    order = {s: i for i, s in enumerate(SLOT_ORDER)}
    return sorted(out, key=lambda e: order[e.slot])  # stable: registry order within a slot


def _period_words(rule) -> str:
    count = f"{format_number(rule.target)}{rule.unit}"
    # soft wording (一般每月召开1次) is not a floor: say the number, the arrangement adds （一般）
    word = "" if not rule.strict else {">=": "不少于", "<=": "不超过"}.get(rule.op, "")
    return f"{PERIOD_WORDS[rule.period]}{word}{count}"


def compute_target(rule, figures: dict[str, ProfileFigure]) -> tuple[str, str, str]:
    """(calculation, result, note) for one rule; the arithmetic is written out, nothing hidden."""
    names = rule.input_names
    pct = lambda x: f"{format_number(x)}%"  # noqa: E731
    if rule.kind == "frequency":
        n = rule.target * PERIODS_PER_YEAR[rule.period] if rule.period else rule.target
        if rule.period and rule.period != "year":
            calc = (f"{PERIOD_WORDS[rule.period]}{format_number(rule.target)}{rule.unit} × "
                    f"{PERIODS_PER_YEAR[rule.period]}{PERIOD_UNITS[rule.period]} = "
                    f"{format_number(n)}{rule.unit}")
        else:
            calc = ""
        return calc, f"全年不少于{format_number(n)}{rule.unit}", ""
    if rule.kind in ("amount_ratio", "ratio_min", "ratio_range") and len(names) == 2:
        part, whole = rule.inputs
        base = figures.get(whole.name)
        if base is None:
            return "", f"{BLANK}（填写{whole.label}后计算）", ""
        lo = base.value * rule.target / 100
        counted = part.unit in ("人", "名", "个")
        if rule.op == "between" and rule.target_max is not None:
            hi = base.value * rule.target_max / 100
            calc = (f"{base.label} {format_quantity(base.value, base.unit)} × {pct(rule.target)} = "
                    f"{format_quantity(lo, part.unit)}；× {pct(rule.target_max)} = "
                    f"{format_quantity(hi, part.unit)}")
            return calc, f"{format_quantity(lo, part.unit)} 至 {format_quantity(hi, part.unit)}", ""
        calc = f"{base.label} {format_quantity(base.value, base.unit)} × {pct(rule.target)} = "
        if counted:
            need = math.ceil(lo - 1e-9)
            calc += f"{format_number(lo)}{part.unit}"
            note = "人数须为整数，向上取整" if need != lo else ""
            return calc, f"{part.label}不少于{need}{part.unit}", note
        calc += format_quantity(lo, part.unit)
        word = "不少于" if rule.op == ">=" and rule.strict else ""  # 一般按…1%安排 is a norm, not a floor
        return calc, f"{part.label}{word}{format_quantity(lo, part.unit)}", ""
    if rule.kind == "minimum" and len(names) == 2:
        part, base_in = rule.inputs
        base = figures.get(base_in.name)
        if base is None:
            return "", f"{BLANK}（填写{base_in.label}后计算）", ""
        need = math.ceil(base.value * rule.target - 1e-9)
        calc = f"{base.label} {format_quantity(base.value, base.unit)} × {format_number(rule.target)}"
        return calc + f" = {need}{part.unit}", f"{part.label}不少于{need}{part.unit}", ""
    if rule.kind == "threshold_choice" and rule.choices and names:
        fig = figures.get(names[0])
        if fig is None:
            return "", f"{BLANK}（填写{rule.inputs[0].label}后判断）", ""
        low, high = rule.choices
        choice = low if fig.value <= rule.target else high
        sign = "≤" if fig.value <= rule.target else ">"
        calc = f"{fig.label} {format_quantity(fig.value, fig.unit)} {sign} {format_number(rule.target)}{rule.unit}"
        return calc, choice, ""
    note = ""
    if rule.exception:
        note = f"例外：{rule.exception.get('quote', '')}"
    return "", _bound_words(rule), note


def _bound_words(rule) -> str:
    t = f"{format_number(rule.target)}{rule.unit}"
    if rule.op == "between" and rule.target_max is not None:
        return f"{format_number(rule.target)}–{format_number(rule.target_max)}{rule.unit}"
    if rule.kind == "deadline":
        return f"{t}内"
    return {">=": f"不少于{t}", "<=": f"不超过{t}", "==": t}.get(rule.op, t)


def annual_targets(unit: str, rules: Sequence, figures: Sequence[ProfileFigure], corpus) -> list[Target]:
    """Every registry rule for the unit type as a target; where the two documents set different
    numbers for the same thing, the rules stand next to each other and each names the other."""
    by_key = {f.key: f for f in figures}
    applicable = [r for r in rules if rule_applies(r, unit)]
    groups: dict[tuple, list] = {}
    for r in applicable:
        groups.setdefault(_comparison_key(r), []).append(r)
    out = []
    for group in groups.values():
        docs = {r.doc for r in group}
        for r in group:
            calc, result, note = compute_target(r, by_key)
            if len(docs) > 1:
                others = [o for o in group if o.doc != r.doc]
                see = "、".join(corpus.get(o.clauses[0]).label for o in others)
                same = all(_same_number(r, o) for o in others)
                diff = (f"两份标准要求一致，另见{see}" if same
                        else f"两份标准规定不同，并列列出：另见{see}")
                note = f"{note}；{diff}" if note else diff
            if not r.strict:
                soft = f"原文为“{r.strength}”，允许特殊情况"
                note = f"{note}；{soft}" if note else soft
            out.append(Target(r.id, r.name, r.requirement, calc, result, rule_citation(r, corpus), note))
    return out


def _same_number(a, b) -> bool:
    return (a.target, a.target_max, a.period, a.unit) == (b.target, b.target_max, b.period, b.unit)


def _comparison_key(rule) -> tuple:
    """Rules that measure the same thing: the same activity, or the same figures."""
    if rule.activity:
        return ("activity", rule.activity, rule.period)
    return ("inputs", rule.input_names)


# ---------------------------------------------------------------- topic plan, pure parts


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", " ", text)
    return {a + b for w in chars.split() for a, b in zip(w, w[1:])} | (
        {w for w in chars.split() if len(w) == 1})


TOPIC_HIT_FLOOR = 0.38  # fused retrieval score (0..1) a hit needs to count as on-topic
TOPIC_HIT_SHARE = 0.35  # … and its share of the best hit's score


def select_topic_leaves(topic: str, leaves: Sequence[Clause], hits: Sequence = (),
                        limit: int = 10) -> list[Clause]:
    """The leaves a topic is about, in document order: character-bigram overlap with each leaf's title
    and text (rarer bigrams count more), plus retriever hits when given. Empty when nothing matches
    well enough: a topic the standards do not cover gets no plan rather than a loose one."""
    terms = _bigrams(topic)
    if not terms or not leaves:
        return []
    docs = [(_bigrams(c.title), _bigrams(c.text)) for c in leaves]
    n = len(leaves)
    idf = {t: math.log((n + 1) / (1 + sum(t in a or t in b for a, b in docs))) + 0.1 for t in terms}
    total = sum(idf.values())
    scores = {}
    for c, (title, text) in zip(leaves, docs):
        s = sum(idf[t] * (1.5 if t in title else 1.0) for t in terms if t in title or t in text)
        # the whole topic written out (三会一课) outweighs its pieces scattered (三会一层运行)
        phrase = 0.5 if re.sub(r"\s+", "", topic) in c.title + c.text else 0.0
        scores[c.id] = s / total + phrase
    best = max(scores.values())
    chosen = {cid: s for cid, s in scores.items() if best >= 0.5 and s >= 0.6 * best}
    # Retriever hits bring the clauses that say the topic in other words (党风廉政 → 党风廉洁和反腐败):
    # those scoring near the best hit, and clearly relevant in absolute terms, join the plan.
    scored = [h for h in hits if getattr(getattr(h, "clause", None), "id", None) in scores]
    if scored:
        top = max(h.score for h in scored)
        for rank, h in enumerate(scored):
            if h.score >= max(TOPIC_HIT_FLOOR, TOPIC_HIT_SHARE * top):
                cid = h.clause.id
                chosen[cid] = max(chosen.get(cid, 0.0), scores[cid]) + 0.3 / (1 + rank)
    if not chosen:
        return []
    keep = set(sorted(chosen, key=lambda i: -chosen[i])[:limit])
    return [c for c in leaves if c.id in keep]


def split_sentences(text: str) -> list[str]:
    """Verbatim sentences of a leaf (split after 。 and ；), without the closing mark."""
    parts = re.split(r"(?<=[。；])", text)
    return [p.strip().rstrip("。；").strip() for p in parts if len(p.strip().rstrip("。；")) >= 2]


def sentence_timing(sentence: str, words: TopicWords) -> str:
    """The words of the sentence that say when (每季度 / “七一”前夕 / 半年内), or BLANK."""
    def find(ws):
        pats = [rf"(?:“[^”]{{1,6}}”)?{re.escape(w)}" if w in ("前夕", "期间") else re.escape(w) for w in ws]
        hits = [m for p in pats for m in re.finditer(p, sentence)]
        return min(hits, key=lambda m: (m.start(), -len(m.group()))) if hits else None

    exact = [m.group() for m in re.finditer("|".join(
        rf"(?:“[^”]{{1,6}}”)?{re.escape(w)}" if w in ("前夕", "期间") else re.escape(w)
        for w in words.timing), sentence)] if words.timing else []
    if exact:
        return "、".join(dict.fromkeys(exact))
    m = find(words.vague_timing) if words.vague_timing else None
    return f"{m.group()}（具体时间{BLANK}）" if m else BLANK


def sentence_actor(sentence: str, words: TopicWords) -> str:
    found = [(sentence.find(a), -len(a), a) for a in words.actors if a in sentence]
    return min(found)[2] if found else BLANK


def topic_plan(topic: str, leaves: Sequence[Clause], rules: Sequence, calendar: Sequence[CalendarEntry],
               words: TopicWords) -> TopicPlan:
    ids = {c.id for c in leaves}
    goals = [Goal(r.quote, Citation(r.clauses[0], _label(leaves, r.clauses[0]), r.quote))
             for r in rules if r.clauses[0] in ids]
    goals.append(Goal(f"结合本单位实际的具体目标：{BLANK}（标准未规定）", None))
    measures = []
    for c in leaves:
        for s in split_sentences(c.text):
            measures.append(Measure(s, Citation(c.id, c.label, s), sentence_timing(s, words),
                                    sentence_actor(s, words)))
    schedule = tuple(e for e in calendar if any(ct.id in ids for ct in e.citations))
    return TopicPlan(topic, tuple(goals), tuple(measures), schedule)


def _label(leaves: Sequence[Clause], cid: str) -> str:
    return next(c.label for c in leaves if c.id == cid)


# ---------------------------------------------------------------- assembling


def assemble_plan(unit: str, year: int, rules: Sequence, duties: Sequence[Duty], corpus,
                  figures: Sequence[ProfileFigure] = (), topic: str | None = None,
                  topic_leaves: Sequence[Clause] = (), words: TopicWords | None = None) -> Plan:
    calendar = calendar_entries(unit, rules, duties, corpus)
    targets = annual_targets(unit, rules, figures, corpus)
    notes = [
        f"本计划依据《河钢集团党建工作质量提升执行标准》（河钢标准）和《国有企业党组织“四同步四融合两晒账”"
        f"规范化建设清单》（四同步清单）生成，每项安排后注明依据条款，条款全文见附录“依据条款”。",
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
    if topic is not None:
        tp = topic_plan(topic, topic_leaves, rules, calendar, words or load_calendar()[1])
        ids = {c.id for c in topic_leaves}
        targets = [t for t in targets if t.citations[0].id in ids]
        calendar = list(tp.schedule)
        title = f"{unit}{year}年“{topic}”专题工作计划"
    else:
        title = f"{unit}{year}年度党建工作计划"
    cited: set[str] = set()
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
                tuple(notes), appendix, covered)


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


# ---------------------------------------------------------------- rendering


def render_plan(plan: Plan, fmt: str) -> bytes:
    fmt = validate_format(fmt)
    if fmt == "json":
        return json.dumps(plan.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "md":
        return render_markdown(plan).encode("utf-8")
    return render_docx(plan)


def labels(citations: Iterable[Citation]) -> str:
    return "".join(dict.fromkeys(c.label for c in citations))


def quotes(citations: Iterable[Citation]) -> str:
    return "；".join(dict.fromkeys(c.quote for c in citations))


def _sections(plan: Plan) -> list[tuple[str, str, Any]]:
    """The plan as (heading, kind, content) in reading order; every renderer walks this list."""
    numerals = "一二三四五六七八九十"
    out: list[tuple[str, str, Any]] = [("说明", "bullets", list(plan.notes))]
    if plan.profile:
        out.append(("单位基本情况", "bullets", ["；".join(f.text for f in plan.profile) + "。"]))
    if plan.topic_plan:
        tp = plan.topic_plan
        out.append(("目标", "goals", tp.goals))
        out.append(("主要措施", "measures", tp.measures))
        out.append(("时间安排", "schedule", schedule_rows(tp.schedule, tp.measures)))
        out.append(("责任分工", "duties", duty_rows(tp.measures)))
        if plan.targets:
            out.append(("相关指标", "targets", target_rows(plan.targets)))
    else:
        out.append(("年度目标与指标", "targets", target_rows(plan.targets)))
        out.append(("全年工作安排（逐月）", "calendar", calendar_rows(plan.calendar)))
    return [(f"{numerals[i]}、{h}", k, c) for i, (h, k, c) in enumerate(out)]


CALENDAR_HEADER = ("时间", "工作事项及安排", "要求（标准原文）", "依据条款")
TARGET_HEADER = ("指标", "标准要求", "本单位测算", "依据条款")
SCHEDULE_HEADER = ("时间", "事项", "依据条款")
DUTIES_HEADER = ("措施", "标准所指责任主体", "牵头部门及责任人", "依据条款")
TABLE_HEADERS = {"calendar": CALENDAR_HEADER, "targets": TARGET_HEADER, "schedule": SCHEDULE_HEADER,
                 "duties": DUTIES_HEADER}
# A4 with 2 cm margins leaves 17 cm
TABLE_WIDTHS_CM = {"calendar": (1.8, 4.2, 7, 4), "targets": (3, 5, 5, 4),
                   "schedule": (3.5, 9.5, 4), "duties": (7, 3, 3, 4)}


def calendar_rows(entries: Sequence[CalendarEntry]) -> list[tuple[str, str, str, str]]:
    rows, last = [], None
    for e in entries:
        time = e.slot_name if e.slot != last else ""
        last = e.slot
        rows.append((time, f"{e.activity}\n{e.arrangement}", quotes(e.citations), labels(e.citations)))
    return rows


def target_rows(targets: Sequence[Target]) -> list[tuple[str, str, str, str]]:
    rows = []
    for t in targets:
        calc = "\n".join(x for x in (t.result, f"计算：{t.calculation}" if t.calculation else "",
                                    t.note) if x)
        rows.append((t.name, t.requirement, calc, labels(t.citations)))
    return rows


def schedule_rows(schedule: Sequence[CalendarEntry], measures: Sequence[Measure]) -> list[tuple[str, str, str]]:
    rows = [(e.slot_name, f"{e.activity}（{e.arrangement}）", labels(e.citations)) for e in schedule]
    seen = {e.slot_name for e in schedule}
    for m in measures:
        if m.timing != BLANK:
            rows.append((m.timing, m.text, m.citation.label))
    if not rows and not seen:
        rows.append((BLANK, "标准未规定时间，请按本单位实际安排", ""))
    return rows


def duty_rows(measures: Sequence[Measure]) -> list[tuple[str, str, str, str]]:
    return [(m.text, m.responsible, BLANK, m.citation.label) for m in measures]


def render_markdown(plan: Plan) -> str:
    lines = [f"# {plan.title}", "", f"单位：{BLANK}（{plan.unit}）　年度：{plan.year}年", ""]

    def table(header, rows):
        cell = lambda s: str(s).replace("|", "｜").replace("\n", "<br>")  # noqa: E731
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines.extend("| " + " | ".join(cell(c) for c in r) + " |" for r in rows)
        lines.append("")

    for heading, kind, content in _sections(plan):
        lines += [f"## {heading}", ""]
        if kind == "bullets":
            lines += [f"- {n}" for n in content] + [""]
        elif kind == "goals":
            lines += [f"- {g.text}" + (f" {g.citation.label}" if g.citation else "") for g in content]
            lines.append("")
        elif kind == "measures":
            lines += [f"{i}. {m.text}。{m.citation.label}" for i, m in enumerate(content, 1)]
            lines.append("")
        else:
            table(TABLE_HEADERS[kind], content)
    lines += ["## 附录　依据条款", ""]
    for c in plan.appendix:
        lines += [f"**{c.label}**（{c.id}，{c.title}）", "", f"> {c.text}", ""]
    return "\n".join(lines)


def render_docx(plan: Plan) -> bytes:
    from docx.shared import Cm, Pt

    from .export import add_table, document_bytes, new_document

    doc = new_document(plan.title, f"单位：{BLANK}（{plan.unit}）　年度：{plan.year}年")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as Chinese offices print
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2.2)

    def table(kind, rows):
        t = add_table(doc, TABLE_HEADERS[kind], rows, TABLE_WIDTHS_CM[kind])
        _fix_layout(t, TABLE_WIDTHS_CM[kind])
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.space_after = Pt(0)
                    for r in p.runs:
                        r.font.size = Pt(9.5)
        if kind == "calendar":
            _merge_time_cells(t)
        doc.add_paragraph()

    for heading, kind, content in _sections(plan):
        doc.add_heading(heading, level=1)
        if kind in ("bullets", "goals"):
            for n in content:
                text = n if kind == "bullets" else n.text + (f" {n.citation.label}" if n.citation else "")
                doc.add_paragraph(text, style="List Bullet")
        elif kind == "measures":
            for m in content:
                p = doc.add_paragraph(style="List Number")
                p.add_run(f"{m.text}。")
                p.add_run(m.citation.label).bold = True
        else:
            table(kind, content)
    doc.add_heading("附录　依据条款", level=1)
    for c in plan.appendix:
        p = doc.add_paragraph()
        p.add_run(c.label).bold = True
        p.add_run(f"（{c.id}，{c.title}）")
        p.paragraph_format.keep_with_next = True
        q = doc.add_paragraph(c.text)
        q.paragraph_format.left_indent = Cm(0.75)
    return document_bytes(doc)


def _fix_layout(table, widths_cm) -> None:
    """Fixed column widths (Word and LibreOffice ignore cell widths without the grid), the header row
    repeated on every page, and no row split across a page break."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    for i, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        flags = ["w:cantSplit"] + (["w:tblHeader"] if i == 0 else [])
        for tag in flags:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            trpr.append(el)


def _merge_time_cells(table) -> None:
    """One merged 时间 cell per month / quarter: rows with an empty first cell continue the one above."""
    rows = table.rows[1:]
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].cells[0].text:
            if i - 1 > start:
                merged = rows[start].cells[0].merge(rows[i - 1].cells[0])
                for p in merged.paragraphs[1:]:  # merging keeps each empty cell's paragraph
                    if not p.text:
                        p._p.getparent().remove(p._p)
            start = i
