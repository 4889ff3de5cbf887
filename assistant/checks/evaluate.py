"""Pure evaluation: validated figures + rules -> verdicts. No files, no models, no text parsing.

`validate_figures` turns raw user values into clean numbers and a list of errors (a figure with an
error is dropped, so no verdict is ever computed on it). `evaluate_rule` computes one verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..questions import shown
from ..types import CheckResult
from .rules import PERIOD_MONTHS, PERIOD_WORDS, Figure, Registry, Rule

# Units whose values are counts of whole things.
INTEGER_UNITS = ("人", "名", "次", "个")


@dataclass(frozen=True)
class FigureError:
    figure: str  # figure key (or the words the user wrote when no key applies)
    message: str  # Chinese, names the figure

    def to_json(self) -> dict:
        return {"figure": self.figure, "message": self.message}


@dataclass(frozen=True)
class Period:
    """How many months a count covers. `rate`: the count is per `months` (每月2次), not a total."""

    months: float  # whole months, except a weekly rate (每周) which is 12/52
    label: str  # 今年 / 上半年 / 截至9月底 / 每月
    rate: bool = False
    assumed: bool = False  # no period was given; a full year is assumed and said so

    def describe(self) -> str:
        if self.rate:
            return self.label
        return f"{self.label}（{self.months}个月）" if self.label else f"{self.months}个月"


FULL_YEAR = Period(12, "全年")
ASSUMED_YEAR = Period(12, "全年", assumed=True)
PERIOD_KEYS = {
    "month": Period(1, "一个月"), "quarter": Period(3, "一个季度"),
    "half_year": Period(6, "半年"), "year": FULL_YEAR,
}


@dataclass(frozen=True)
class CheckReport:
    figures: dict
    results: tuple[CheckResult, ...]
    errors: tuple[FigureError, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ran(self) -> bool:
        """At least one check produced a verdict."""
        return bool(self.results)

    def to_json(self) -> dict:
        return {
            "figures": {k: int(v) if isinstance(v, float) and v.is_integer() else v
                        for k, v in self.figures.items()},
            "results": [r.to_json() for r in self.results],
            "errors": [e.to_json() for e in self.errors],
        }

    def to_text(self) -> str:
        status_words = {"pass": "达标", "warn": "提示", "fail": "不达标"}
        lines = []
        for r in self.results:
            lines.append(f"【{status_words[r.status]}】{r.requirement}  {' '.join(r.labels)}")
            lines.append(f"    实际：{r.value}。{r.explanation}")
        for e in self.errors:
            lines.append(f"【无法核对】{e.message}")
        for n in self.notes:
            lines.append(f"（说明）{n}")
        return "\n".join(lines)


# ------------------------------------------------------------------------ number formatting


def fmt_number(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def fmt_percent(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") + "%"


def fmt_money(x: float) -> str:
    if abs(x) >= 1e8:
        return f"{fmt_number(round(x / 1e8, 4))}亿元"
    if abs(x) >= 1e4:
        return f"{fmt_number(round(x / 1e4, 2))}万元"
    return f"{fmt_number(round(x, 2))}元"


def fmt_value(x: float, unit: str) -> str:
    if unit == "元":
        return fmt_money(x)
    if unit == "%":
        return fmt_percent(x)
    return f"{fmt_number(x)}{unit}"


# ------------------------------------------------------------------------ validation


def _to_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:  # a huge integer is still a number: it is reported as out of range, not as garbage
            return float(value)
        except OverflowError:
            return math.inf
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, str):
        from .figures import parse_number  # text like "1.2万" is read with the same converter

        return parse_number(value.strip())
    return None


def totals(registry: Registry) -> set[str]:
    """Figures that are wholes: a parent of another figure or the base of a ratio. Must be > 0."""
    out = {f.parent for f in registry.figures if f.parent}
    for r in registry.rules:
        if r.kind in ("ratio_min", "amount_ratio", "ratio_range") or (r.kind == "minimum" and len(r.inputs) == 2):
            out.add(r.inputs[1].name)
    return out


def validate_figures(raw: dict, registry: Registry) -> tuple[dict, tuple[FigureError, ...]]:
    """Clean numbers for the figures that make sense, and an error for each one that does not."""
    by_key = {f.key: f for f in registry.figures}
    whole_keys = totals(registry)
    clean: dict = {}
    errors: list[FigureError] = []
    for key, value in raw.items():
        fig = by_key.get(key)
        if fig is None:
            known = "、".join(f.key for f in registry.figures[:8])
            errors.append(FigureError(key, f"未知的数据项“{shown(key)}”（可用的如 {known} 等，见 assistant check --list-rules）。"))
            continue
        if fig.is_text:
            if not isinstance(value, str) or not value.strip():
                errors.append(FigureError(key, f"{fig.label}应为文字（{fig.help}）。"))
            else:
                clean[key] = value.strip()
            continue
        x = _to_number(value)
        if x is None:
            errors.append(FigureError(key, f"{fig.label}“{shown(value)}”不是数字，请填写具体数值（单位：{fig.unit}）。"))
            continue
        if math.isinf(x):
            errors.append(FigureError(key, f"{fig.label}的数值{'过大' if x > 0 else '为负无穷'}，超出合理范围，请核对数值和单位。"))
            continue
        if x < 0:
            errors.append(FigureError(key, f"{fig.label}不能为负数（收到 {fmt_number(x)}）。"))
            continue
        if key in whole_keys and x == 0:
            errors.append(FigureError(key, f"{fig.label}为0，无法作为计算比例的总数，请填写实际数值。"))
            continue
        if fig.max is not None and x > fig.max:
            errors.append(FigureError(
                key, f"{fig.label}为{fmt_value(x, fig.unit)}，超出合理范围（不超过{fmt_value(fig.max, fig.unit)}），请核对数值和单位。"))
            continue
        if fig.unit in INTEGER_UNITS and abs(x - round(x)) > 1e-9:
            errors.append(FigureError(key, f"{fig.label}应为整数（收到 {fmt_number(x)}{fig.unit}）。"))
            continue
        clean[key] = x
    # Parts may not exceed their wholes.
    for fig in registry.figures:
        if fig.parent and fig.key in clean and fig.parent in clean and clean[fig.key] > clean[fig.parent]:
            parent = by_key[fig.parent]
            errors.append(FigureError(
                fig.key, f"{fig.label}（{fmt_value(clean[fig.key], fig.unit)}）大于{parent.label}"
                         f"（{fmt_value(clean[fig.parent], parent.unit)}），部分不能多于整体，请核对。"))
            # Either number may be the wrong one, so neither gets a verdict.
            del clean[fig.key]
            clean.pop(fig.parent, None)
    # A percentage and an amount given for the same thing must agree.
    for fig in registry.figures:
        if not fig.ratio_of or fig.key not in clean:
            continue
        part, whole = fig.ratio_of
        if part in clean and whole in clean:
            computed = clean[part] / clean[whole] * 100
            if abs(computed - clean[fig.key]) > max(0.05, 0.05 * clean[fig.key]):
                pf, wf = by_key[part], by_key[whole]
                errors.append(FigureError(
                    part, f"{pf.label}前后矛盾：按金额{fmt_money(clean[part])}计算占{wf.label}的"
                          f"{fmt_percent(computed)}，但又给出比例{fmt_percent(clean[fig.key])}，请核对后只保留正确的一项。"))
                del clean[part]
                del clean[fig.key]
    return clean, tuple(errors)


# ------------------------------------------------------------------------ evaluation


@dataclass(frozen=True)
class Outcome:
    """What evaluating one rule gave: a verdict, or a note saying why there is none."""

    result: CheckResult | None = None
    note: str = ""


def _status(met: bool, rule: Rule) -> str:
    if met:
        return "pass"
    return "fail" if rule.strict else "warn"


def _miss_word(rule: Rule) -> str:
    return "未达到" if rule.strict else f"未达到（要求用语为“{rule.strength}”，作提示）"


def _result(rule: Rule, status: str, value: str, explanation: str, labels: dict) -> Outcome:
    return Outcome(CheckResult(
        rule=rule.id, clauses=rule.clauses, status=status, value=value,
        requirement=rule.requirement, explanation=explanation,
        labels=tuple(labels.get(c, c) for c in rule.clauses),
    ))


def _ratio_value(rule: Rule, figures: dict, registry: Registry) -> tuple[float | None, str]:
    """part/whole in percent, from the two inputs or from a percentage figure given directly."""
    part, whole = rule.input_names
    if part in figures and whole in figures:
        return figures[part] / figures[whole] * 100, "inputs"
    for f in registry.figures:
        if f.ratio_of == (part, whole) and f.key in figures:
            return figures[f.key], "ratio"
    return None, ""


def evaluate_rule(rule: Rule, figures: dict, periods: dict, labels: dict, registry: Registry) -> Outcome | None:
    """The verdict of one rule on validated figures; None when its inputs were not given."""
    names = rule.input_names
    kind = rule.kind
    if kind == "frequency" or (kind == "duration_min" and rule.period):
        return _periodic(rule, figures, periods, labels)
    if kind in ("ratio_min", "amount_ratio"):
        return _ratio(rule, figures, labels, registry)
    if kind == "threshold_choice":
        return _threshold_choice(rule, figures, labels)
    if names[0] not in figures:
        return None
    x = figures[names[0]]
    fig_unit = rule.inputs[0].unit
    value = fmt_value(x, fig_unit)
    if kind == "minimum":
        if len(names) == 2:
            if names[1] not in figures:
                return None
            need = rule.target * figures[names[1]]
            value = f"{value}（{rule.inputs[1].label}{fmt_value(figures[names[1]], rule.inputs[1].unit)}）"
        else:
            need = rule.target
        if x >= need:
            return _result(rule, "pass", value, f"达标：不少于{fmt_value(need, fig_unit)}。", labels)
        gap = math.ceil(need - x - 1e-9)
        return _result(rule, _status(False, rule), value,
                       f"{_miss_word(rule)}：至少需{fmt_value(need, fig_unit)}，还差{fmt_value(gap, fig_unit)}。", labels)
    if kind == "duration_min":
        if x >= rule.target:
            return _result(rule, "pass", value, f"达标：不少于{fmt_value(rule.target, rule.unit)}。", labels)
        exc = rule.exception
        gap = fmt_value(rule.target - x, rule.unit)
        if exc and x >= float(exc["target"]):
            return _result(rule, "warn", value,
                           f"只满足特殊情况的要求（{exc['quote']}），未达到一般要求{fmt_value(rule.target, rule.unit)}"
                           f"，还差{gap}；须属于特殊情况。", labels)
        if exc:
            return _result(rule, "fail", value,
                           f"不达标：连特殊情况的最低要求（{exc['quote']}）也未达到，还差"
                           f"{fmt_value(float(exc['target']) - x, rule.unit)}。", labels)
        return _result(rule, _status(False, rule), value,
                       f"{_miss_word(rule)}：要求{fmt_value(rule.target, rule.unit)}以上，还差{gap}。", labels)
    if kind == "deadline":
        if x <= rule.target:
            return _result(rule, "pass", value, f"达标：在{fmt_value(rule.target, rule.unit)}之内。", labels)
        over = fmt_value(x - rule.target, rule.unit)
        return _result(rule, _status(False, rule), value,
                       f"{_miss_word(rule)}：时限为{fmt_value(rule.target, rule.unit)}，超出{over}。", labels)
    if kind == "size_range":
        lo, hi = rule.target, (rule.target_max if rule.op == "between" else rule.target)
        want = f"{fmt_number(lo)}-{fmt_number(hi)}{rule.unit}" if hi != lo else f"{fmt_number(lo)}{rule.unit}"
        if lo <= x <= hi:
            return _result(rule, "pass", value, f"符合：在{want}之内。", labels)
        diff = f"少{fmt_value(lo - x, rule.unit)}" if x < lo else f"多{fmt_value(x - hi, rule.unit)}"
        return _result(rule, _status(False, rule), value,
                       f"{_miss_word(rule)}：应为{want}，比要求{diff}（适用于大中型企业，小型企业根据实际设置）。", labels)
    if kind == "maximum":
        if x <= rule.target:
            return _result(rule, "pass", value, f"达标：不超过{fmt_value(rule.target, rule.unit)}。", labels)
        return _result(rule, _status(False, rule), value,
                       f"{_miss_word(rule)}：不应超过{fmt_value(rule.target, rule.unit)}，超出{fmt_value(x - rule.target, rule.unit)}。", labels)
    raise ValueError(f"unsupported rule kind {kind}")


def _periodic(rule: Rule, figures: dict, periods: dict, labels: dict) -> Outcome | None:
    key = rule.input_names[0]
    if key not in figures:
        return None
    x = figures[key]
    period: Period = periods.get(key) or ASSUMED_YEAR
    rule_months = PERIOD_MONTHS[rule.period]
    per = f"{PERIOD_WORDS[rule.period]}{fmt_value(rule.target, rule.unit)}"
    if period.rate:
        # 每月2次 against a quarterly rule: 6 per quarter; against a yearly one: 24 per year.
        per_rule_period = x * rule_months / period.months
        value = f"{period.label}{fmt_value(x, rule.unit)}"
        if per_rule_period >= rule.target - 1e-9:
            return _result(rule, "pass", value,
                           f"达标：折合{PERIOD_WORDS[rule.period]}{fmt_value(per_rule_period, rule.unit)}，要求{per}。", labels)
        return _result(rule, _status(False, rule), value,
                       f"{_miss_word(rule)}：折合{PERIOD_WORDS[rule.period]}{fmt_value(per_rule_period, rule.unit)}，要求{per}。", labels)
    full = period.months // rule_months
    value = f"{fmt_value(x, rule.unit)}（{period.label}）"
    assumed = "未说明统计期，按全年计算；" if period.assumed else ""
    if full == 0:
        if x >= rule.target:
            return _result(rule, "pass", value,
                           f"达标：统计期{period.describe()}不足一个完整周期，但已达到{per}的要求。", labels)
        return Outcome(note=(f"{rule.inputs[0].label}：统计期{period.describe()}短于“{per}”的周期，"
                             f"目前{fmt_value(x, rule.unit)}，暂不判断（{labels.get(rule.clauses[0], rule.clauses[0])}）。"))
    expected = rule.target * full
    if period.months == rule_months:
        scale = f"{assumed}要求{per}"
    else:
        scale = (f"{assumed}统计期{period.describe()}含{full}个完整的"
                 f"{'月' if rule.period == 'month' else {'quarter': '季度', 'half_year': '半年', 'year': '年'}[rule.period]}，"
                 f"按{per}应不少于{fmt_value(expected, rule.unit)}")
    if x >= expected - 1e-9:
        return _result(rule, "pass", value, f"达标：{scale}。", labels)
    gap = expected - x
    verb = ("还需召开" if (rule.activity or "").endswith("会") else "还需开展") if rule.unit == "次" else "还差"
    return _result(rule, _status(False, rule), value,
                   f"{_miss_word(rule)}：{scale}，{verb}{fmt_value(gap, rule.unit)}。", labels)


def _ratio(rule: Rule, figures: dict, labels: dict, registry: Registry) -> Outcome | None:
    pct, source = _ratio_value(rule, figures, registry)
    if pct is None:
        return None
    part_in, whole_in = rule.inputs
    value = fmt_percent(pct)
    lo = rule.target
    hi = rule.target_max if rule.op == "between" else None
    want = f"{fmt_percent(lo)}-{fmt_percent(hi)}" if hi is not None else f"{fmt_percent(lo)}"
    if pct >= lo - 1e-9:
        extra = ""
        if hi is not None and pct > hi + 1e-9:
            extra = f"高于区间上限{fmt_percent(hi)}；本条用语为“{rule.strength}”，只设下限，超出不违反。"
        return _result(rule, "pass", value, f"达标：要求{'不低于' if hi is None else ''}{want}。{extra}", labels)
    gap = ""
    if source == "inputs":
        whole = figures[whole_in.name]
        need = lo / 100 * whole
        if part_in.unit in INTEGER_UNITS:
            need_n = math.ceil(need - 1e-9)
            gap = f"按{whole_in.label}{fmt_value(whole, whole_in.unit)}计至少需{fmt_value(need_n, part_in.unit)}，" \
                  f"还差{fmt_value(need_n - figures[part_in.name], part_in.unit)}"
        else:
            gap = f"按{whole_in.label}{fmt_value(whole, whole_in.unit)}计至少需{fmt_value(need, part_in.unit)}，" \
                  f"还差{fmt_value(need - figures[part_in.name], part_in.unit)}"
    else:
        gap = f"还差{fmt_number(round(lo - pct, 2))}个百分点"
    return _result(rule, _status(False, rule), value, f"{_miss_word(rule)}：要求不低于{fmt_percent(lo)}，{gap}。", labels)


def _threshold_choice(rule: Rule, figures: dict, labels: dict) -> Outcome | None:
    count_key, form_key = rule.input_names
    if count_key not in figures:
        return None
    n = figures[count_key]
    below, above = rule.choices
    expected = below if n <= rule.target else above
    why = f"正式党员{fmt_number(n)}人，{'不超过' if n <= rule.target else '超过'}{fmt_number(rule.target)}人，应{'建立' if expected == below else ''}{expected}"
    if form_key not in figures:
        return Outcome(note=f"{why}（{labels.get(rule.clauses[0], rule.clauses[0])}）；未说明现在的设置方式，未作判断。")
    actual = figures[form_key]
    value = f"正式党员{fmt_number(n)}人，{actual}"
    if actual == expected:
        return _result(rule, "pass", value, f"符合：{why}。", labels)
    return _result(rule, "fail", value, f"不符合：{why}，现为{actual}。", labels)


# ------------------------------------------------------------------------ whole report


def run_checks(figures: dict, periods: dict, registry: Registry, labels: dict,
               errors: tuple[FigureError, ...] = (), notes: tuple[str, ...] = ()) -> CheckReport:
    """Evaluate every rule whose inputs were given. Results of rules on the same figures stay
    adjacent (HG then SS), so where the two documents differ both verdicts appear side by side."""
    outcomes: list[tuple[Rule, Outcome]] = []
    for rule in registry.rules:
        o = evaluate_rule(rule, figures, periods, labels, registry)
        if o is not None:
            outcomes.append((rule, o))
    group_order: dict = {}
    for i, (rule, _) in enumerate(outcomes):
        group_order.setdefault(frozenset(rule.input_names), i)
    outcomes.sort(key=lambda ro: group_order[frozenset(ro[0].input_names)])
    results = tuple(o.result for _, o in outcomes if o.result)
    extra_notes = [o.note for _, o in outcomes if o.note]
    by_group: dict = {}
    for rule, o in outcomes:
        if o.result:
            by_group.setdefault(frozenset(rule.input_names), []).append(rule)
    for rules in by_group.values():
        if len({r.doc for r in rules}) > 1:
            parts = "；".join(f"{labels.get(r.clauses[0], r.clauses[0])}：{r.requirement}" for r in rules)
            extra_notes.append(f"两份标准对同一项的要求不同，两条结论并列给出——{parts}。")
    unstated = sorted({r.inputs[0].label for r, o in outcomes
                       if r.period and o.result and r.kind in ("frequency", "duration_min")
                       and (r.input_names[0] not in periods or periods[r.input_names[0]].assumed)})
    if unstated:
        extra_notes.append(f"{'、'.join(unstated)}未说明统计期，按全年计算；如只统计到某月，请写明（如“截至9月底”）。")
    return CheckReport(dict(figures), results, tuple(errors), tuple(notes) + tuple(extra_notes))
