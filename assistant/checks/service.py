"""The checks as callers use them: figures or text in, a CheckReport out."""

from __future__ import annotations

from functools import lru_cache

from ..questions import shown, validate_question
from ..types import UserInputError
from .evaluate import PERIOD_KEYS, CheckReport, Period, run_checks, validate_figures
from .figures import _find_periods, extract_figures, normalize
from .rules import load_registry


@lru_cache(maxsize=1)
def clause_labels() -> dict:
    from ..corpus import load_corpus

    return {c.id: c.label for c in load_corpus().clauses}


def parse_period(period: str | None) -> Period | None:
    """`year` / `half_year` / `quarter` / `month`, or Chinese words (上半年, 截至9月底, 一季度)."""
    if period is None or (isinstance(period, str) and not period.strip()):
        return None
    if not isinstance(period, str):
        raise UserInputError("统计期必须是文字，如“今年”“上半年”“一季度”“截至9月底”。")
    key = period.strip()
    if key in PERIOD_KEYS:
        return PERIOD_KEYS[key]
    text = normalize(key)
    found = _find_periods(text)
    if len(found) != 1 or found[0][1] - found[0][0] < len(text.strip()) - 2:
        raise UserInputError(f"无法识别的统计期“{shown(period)}”，可用：今年、上半年、下半年、一季度、前三季度、截至9月底，"
                             f"或 year / half_year / quarter / month。")
    return found[0][2]


def check_figures(figures: dict, period: str | None = None) -> CheckReport:
    """Check figures given as data ({"employees": 1200, ...}); counts cover `period` (default: a year)."""
    if not isinstance(figures, dict):
        raise UserInputError("数据必须是“名称: 数值”的对象，如 {\"employees\": 1200}。")
    registry = load_registry()
    p = parse_period(period)
    clean, errors = validate_figures(figures, registry)
    periods = {k: p for k in clean if p is not None}
    notes = ()
    if p is not None:
        notes = (f"次数和学时按统计期“{p.describe()}”折算应达到的数量。",)
    return run_checks(clean, periods, registry, clause_labels(), errors, notes)


def check_text(text: str) -> CheckReport:
    """Read the figures a Chinese text states, then check them."""
    text = validate_question(text, "文本")
    registry = load_registry()
    ex = extract_figures(text)
    clean, errors = validate_figures(ex.figures, registry)
    periods = {k: v for k, v in ex.periods.items() if k in clean}
    notes = list(ex.notes)
    by_period: dict = {}
    for k, p in periods.items():
        if not p.rate and p.months != 12:
            by_period.setdefault(p.describe(), []).append(registry.figure(k).label)
    for desc, labels in by_period.items():
        notes.append(f"统计期为{desc}：{'、'.join(labels)}应达到的数量按此折算。")
    return run_checks(clean, periods, registry, clause_labels(), ex.errors + errors, tuple(notes))


BENCH_TEXTS = (
    "我们单位1200名职工，配了10个专职党务人员，够不够？",
    "工资总额两亿元，党建经费300万",
    "上半年支委会开了5次，党员大会开了2次，讲党课1次",
    "董事会9人，其中党委成员2人；中层干部50人，其中80后12人",
)


def bench_checks(repeats: int = 200) -> dict:
    """Warm timing of check_text and check_figures: p50/p95 in ms (printed by `assistant bench`)."""
    import statistics
    import time

    check_text(BENCH_TEXTS[0])  # warm: registry, corpus labels, compiled patterns
    out = {}
    for name, call in (
        ("check_text", lambda i: check_text(BENCH_TEXTS[i % len(BENCH_TEXTS)])),
        ("check_figures", lambda i: check_figures({"employees": 1200, "full_time_party_workers": 10,
                                                   "payroll": 2e8, "party_funds": 3e6,
                                                   "branch_committee_meetings": 9})),
    ):
        times = []
        for i in range(repeats):
            t0 = time.perf_counter()
            call(i)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out[name] = {"p50_ms": round(statistics.median(times), 3),
                     "p95_ms": round(times[int(0.95 * (len(times) - 1))], 3), "n": repeats}
    return out
