"""The rule registry: `assistant/data/rules.toml` read into typed, frozen rules.

The data file holds the figures a user can give, the quantitative requirements of both standards
and the leaves that carry a number but set nothing checkable. Loading validates the file's shape;
the tests check it against the corpus (every clause exists, every quote is verbatim).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "rules.toml"

KINDS = ("frequency", "minimum", "maximum", "ratio_min", "ratio_range", "amount_ratio",
         "duration_min", "deadline", "size_range", "threshold_choice")
OPS = (">=", "<=", "between", "==")
PERIODS = ("month", "quarter", "half_year", "year")
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
PERIOD_WORDS = {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}
STRENGTHS = ("一般", "不少于", "至少", "以上", "不低于", "原则上", "力争", "应当", "须")
# Wording that admits exceptions: missing such a target is a warning, not a failure.
SOFT_STRENGTHS = ("一般", "原则上", "力争")
UNIT_TYPES = ("党支部", "党总支", "党委", "企业")


class RegistryError(Exception):
    """The rules file is malformed. Names the entry and what is wrong."""


@dataclass(frozen=True)
class Figure:
    key: str  # snake_case, e.g. employees
    label: str  # 职工人数
    unit: str  # 人 / 元 / 次 / 学时 / 年 / 个月 / % / "" for text figures
    help: str
    synonyms: tuple[str, ...] = ()
    parent: str | None = None  # the whole this figure is a part of
    max: float | None = None  # largest plausible value
    # Words that name this figure only after its parent was mentioned (董事会9人，其中党委成员2人).
    part_synonyms: tuple[str, ...] = ()
    # For a percentage figure: the (part, whole) it is the ratio of (党建经费占工资总额1.2%).
    ratio_of: tuple[str, str] | None = None
    # Words that name this figure when they come right after its number (当了4年党员 -> 党龄).
    trailing_synonyms: tuple[str, ...] = ()
    # A mention only counts when the statement also says one of these (上任3个月 is a training
    # deadline only if 培训 is mentioned): the figure measures the time between two events.
    context: tuple[str, ...] = ()
    # This figure is a narrower reading of `narrows` when one of `narrow_cues` (or a word the thesaurus
    # gives for one) is in the same clause, or in the asker's own description (领导干部……讲党课, 我是公司
    # 副总……讲过一次党课: a leader's lecture, not the branch's).
    narrows: str | None = None
    narrow_cues: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        return self.unit == ""


@dataclass(frozen=True)
class RuleInput:
    name: str  # figure key
    label: str
    unit: str


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    clauses: tuple[str, ...]
    quote: str
    kind: str
    inputs: tuple[RuleInput, ...]
    op: str
    target: float
    unit: str
    strength: str
    applies_to: tuple[str, ...]
    requirement: str
    target_max: float | None = None
    period: str | None = None
    activity: str | None = None
    exception: dict | None = field(default=None, compare=False, hash=False)
    choices: tuple[str, str] | None = None  # threshold_choice: (at or below, above)

    @property
    def strict(self) -> bool:
        return self.strength not in SOFT_STRENGTHS

    @property
    def doc(self) -> str:
        return self.clauses[0].split("-")[0]

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)


@dataclass(frozen=True)
class Registry:
    figures: tuple[Figure, ...]
    rules: tuple[Rule, ...]
    not_checkable: dict  # leaf id -> reason
    # Words by which a chat question asks for its figures to be judged (够不够, 达标吗): see checks/intent.py
    check_requests: tuple[str, ...] = ()

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def _req(entry: dict, key: str, where: str):
    if key not in entry:
        raise RegistryError(f"{where}: 缺少字段 {key}")
    return entry[key]


def _with_variants(cues) -> tuple[str, ...]:
    """The cue words and what people say instead (the one thesaurus): 班子成员 is also 公司领导."""
    from ..text.thesaurus import synonym_groups_raw

    groups = synonym_groups_raw()
    return tuple(dict.fromkeys(w for c in cues for w in (c, *groups.get(c, ()))))


def parse_registry(data: dict) -> Registry:
    figures = []
    for i, f in enumerate(data.get("figures", [])):
        where = f"figures[{i}]"
        figures.append(Figure(
            key=_req(f, "key", where), label=_req(f, "label", where), unit=_req(f, "unit", where),
            help=f.get("help", ""), synonyms=tuple(f.get("synonyms", ())), parent=f.get("parent"),
            max=float(f["max"]) if "max" in f else None,
            part_synonyms=tuple(f.get("part_synonyms", ())),
            ratio_of=tuple(f["ratio_of"]) if "ratio_of" in f else None,
            trailing_synonyms=tuple(f.get("trailing_synonyms", ())),
            context=tuple(f.get("context", ())),
            narrows=f.get("narrows"), narrow_cues=_with_variants(f.get("narrow_cues", ())),
        ))
    by_key = {f.key: f for f in figures}
    if len(by_key) != len(figures):
        raise RegistryError("figures: 有重复的 key")
    for f in figures:
        if f.parent and f.parent not in by_key:
            raise RegistryError(f"figure {f.key}: 未知的 parent {f.parent}")
        if f.ratio_of and not set(f.ratio_of) <= set(by_key):
            raise RegistryError(f"figure {f.key}: 未知的 ratio_of {f.ratio_of}")
        if f.part_synonyms and not f.parent:
            raise RegistryError(f"figure {f.key}: part_synonyms 需要 parent")
        if f.narrows and (f.narrows not in by_key or not f.narrow_cues):
            raise RegistryError(f"figure {f.key}: narrows 需要已知的数据项和 narrow_cues")
    rules = []
    for i, r in enumerate(data.get("rules", [])):
        where = f"rules[{i}] {r.get('id', '?')}"
        kind, op, period = _req(r, "kind", where), _req(r, "op", where), r.get("period")
        strength = _req(r, "strength", where)
        if kind not in KINDS:
            raise RegistryError(f"{where}: 未知的 kind {kind}")
        if op not in OPS:
            raise RegistryError(f"{where}: 未知的 op {op}")
        if period is not None and period not in PERIODS:
            raise RegistryError(f"{where}: 未知的 period {period}")
        if strength not in STRENGTHS:
            raise RegistryError(f"{where}: 未知的 strength {strength}")
        inputs = []
        for name in _req(r, "inputs", where):
            if name not in by_key:
                raise RegistryError(f"{where}: 未知的输入 {name}")
            fig = by_key[name]
            inputs.append(RuleInput(fig.key, fig.label, fig.unit))
        applies = tuple(_req(r, "applies_to", where))
        if not set(applies) <= set(UNIT_TYPES):
            raise RegistryError(f"{where}: applies_to 只能取 {UNIT_TYPES}")
        choices = None
        if kind == "threshold_choice":
            choices = (_req(r, "choice_at_or_below", where), _req(r, "choice_above", where))
        rules.append(Rule(
            id=_req(r, "id", where), name=_req(r, "name", where),
            clauses=tuple(_req(r, "clauses", where)), quote=_req(r, "quote", where), kind=kind,
            inputs=tuple(inputs), op=op, target=float(_req(r, "target", where)),
            unit=_req(r, "unit", where), strength=strength, applies_to=applies,
            requirement=_req(r, "requirement", where),
            target_max=float(r["target_max"]) if "target_max" in r else None,
            period=period, activity=r.get("activity"), exception=r.get("exception"),
            choices=choices,
        ))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RegistryError("rules: 有重复的 id")
    not_checkable = {}
    for i, n in enumerate(data.get("not_checkable", [])):
        where = f"not_checkable[{i}]"
        not_checkable[_req(n, "clause", where)] = _req(n, "reason", where)
    requests = data.get("check_requests", [])
    if not isinstance(requests, list) or not all(isinstance(w, str) and w.strip() for w in requests):
        raise RegistryError("check_requests: 须为非空词语的列表")
    return Registry(tuple(figures), tuple(rules), not_checkable, tuple(requests))


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    return parse_registry(tomllib.loads(RULES_FILE.read_text(encoding="utf-8")))


def load_rules() -> tuple[Rule, ...]:
    """Every rule, in registry order (HG first, then SS). Cached."""
    return load_registry().rules


def rule_by_id(rule_id: str) -> Rule | None:
    return next((r for r in load_rules() if r.id == rule_id), None)


def rules_for_figure(key: str) -> tuple[Rule, ...]:
    return tuple(r for r in load_rules() if key in r.input_names)
