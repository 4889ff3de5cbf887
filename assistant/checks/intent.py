"""Whether a chat question gives the unit's own figures to be checked, or only restates the standard's.

"党员每年32个学时，是按自然年统计还是按培训年度统计" names the requirement itself (每年32学时) to ask about
it; checking "32学时" against "不少于32学时" would answer a question nobody asked with a confident 达标.
A figure restates the requirement when it equals a rule's target for that figure, per the rule's own
period for a frequency. Only when every figure does so, and the asker does not also ask for a check
(够不够, 达标吗, 还差几个 — `check_requests` in rules.toml), the chat leaves the checks out.
"""

from __future__ import annotations

import re

from .evaluate import Period
from .figures import NUM
from .rules import PERIOD_MONTHS, Registry, Rule

# 开了2次 / 讲过一次 / 配了10个: a completed act with its count is a tally of the unit's own
TALLY = re.compile(rf"[了过]{NUM}")


def _restates(rule: Rule, key: str, value: float, period: Period | None, registry: Registry) -> bool:
    targets = {rule.target} | ({rule.target_max} if rule.target_max is not None else set())
    if rule.kind == "threshold_choice":
        return False
    if rule.period and rule.kind in ("frequency", "duration_min"):
        # 每年2次 restates 每年至少2次, and so does a bare 56学时 beside 每年不少于56学时; 今年2次 is a
        # tally of this year, the unit's own
        per_rule = period is None or period.assumed or (period.rate and period.months == PERIOD_MONTHS[rule.period])
        return per_rule and value in targets
    if rule.kind in ("ratio_min", "amount_ratio"):
        direct = registry.figure(key)
        return bool(direct and direct.ratio_of == rule.input_names) and value in targets
    return key == rule.input_names[0] and len(rule.inputs) == 1 and value in targets


def restates_requirements(figures: dict, periods: dict, registry: Registry) -> bool:
    """Every figure equals what a rule on it requires (a question about the requirement, not a tally)."""
    if not figures:
        return False
    for key, value in figures.items():
        if isinstance(value, str):
            return False
        rules = [r for r in registry.rules if key in r.input_names
                 or any(f.key == key and f.ratio_of == r.input_names for f in registry.figures)]
        if not any(_restates(r, key, float(value), periods.get(key), registry) for r in rules):
            return False
    return True


def asks_for_check(text: str, registry: Registry) -> bool:
    """The asker wants figures judged (够不够, 达标没有, 离底线还差多少)."""
    return any(w in text for w in registry.check_requests)


def restated_only(text: str, report) -> bool:
    """A chat question's figures only restate requirements and no check is asked for: leave checks out."""
    from .figures import extract_figures
    from .rules import load_registry

    registry = load_registry()
    if not report.results or asks_for_check(text, registry) or TALLY.search(text):
        return False
    ex = extract_figures(text)
    return restates_requirements(report.figures, {k: v for k, v in ex.periods.items() if k in report.figures}, registry)
