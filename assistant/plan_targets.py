"""Annual plan, pure parts: the registry's rules as targets (with the arithmetic) and calendar entries."""

from __future__ import annotations

import math
from typing import Sequence

from .plan import (
    BLANK, ENTERPRISE_UNITS, PERIOD_SLOTS, PERIOD_UNITS, PERIOD_WORDS, PERIODS_PER_YEAR, SLOT_ORDER,
    CalendarEntry, Duty, ProfileFigure, Target, format_number, format_quantity,
)
from .types import Citation

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
