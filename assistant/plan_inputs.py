"""What a plan is drafted from, checked before any work: unit type, year, format, the unit's figures,
and the header fields (unit name, drafter, issue date). Every refusal is a Chinese UserInputError."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .questions import shown
from .types import UserInputError

BLANK = "【请填写】"
UNIT_TYPES = ("党支部", "党总支", "党委")
YEAR_MIN, YEAR_MAX = 2000, 2100
FORMATS = ("md", "docx", "json")
MAX_PROFILE_CHARS = 2000


@dataclass(frozen=True)
class ProfileFigure:
    key: str
    label: str
    value: float
    unit: str

    @property
    def text(self) -> str:
        return f"{self.label} {format_quantity(self.value, self.unit)}"


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



MAX_FIELD_CHARS = 60


def field_text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UserInputError(f"{what}应为文字。")
    v = value.strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in v):
        raise UserInputError(f"{what}中含有控制字符（如换行、制表符），请检查。")
    if len(v) > MAX_FIELD_CHARS:
        raise UserInputError(f"{what}过长（{len(v)}字），最多{MAX_FIELD_CHARS}字：{shown(v)}")
    return v


def validate_date(value: object) -> str:
    """The issue date: 2027-01-05, 2027/1/5 or 2027年1月5日, written 2027年1月5日. Empty: today."""
    import datetime as dt

    v = field_text(value, "成文日期")
    if not v:
        d = dt.date.today()
        return f"{d.year}年{d.month}月{d.day}日"
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?", v)
    try:
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        d = None
    if d is None:
        raise UserInputError(f"无法识别的成文日期“{shown(v)}”，请写成 2027-01-05 或 2027年1月5日。")
    return f"{d.year}年{d.month}月{d.day}日"
