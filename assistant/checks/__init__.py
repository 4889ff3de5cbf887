"""Deterministic compliance checks of users' own figures against the rule registry.

    check_text("职工1200人，专职党务人员10人")          # extract figures, then check
    check_figures({"employees": 1200, "full_time_party_workers": 10})
"""

from .evaluate import CheckReport, FigureError, Period
from .figures import extract_figures, has_figures, parse_number
from .intent import asks_for_check, restated_only, restates_requirements
from .rules import Figure, Rule, RuleInput, load_registry, load_rules
from .service import bench_checks, check_figures, check_text, parse_period

FIGURES: tuple[Figure, ...] = load_registry().figures

__all__ = [
    "FIGURES", "CheckReport", "asks_for_check", "restated_only", "restates_requirements", "bench_checks", "Figure", "FigureError", "Period", "Rule", "RuleInput",
    "check_figures", "check_text", "extract_figures", "has_figures", "load_registry", "load_rules",
    "parse_number", "parse_period",
]
