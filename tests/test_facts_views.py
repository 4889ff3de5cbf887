"""The rule registry is a view of the fact layer: every rule stands on a reviewed fact that states
the same figure in the same words, so a correction to what the standards say is made in one place
and a disagreement between the two fails here."""

import re

import pytest

from assistant.checks.rules import load_rules
from assistant.facts import load_facts

NUMBER = re.compile(r"\d+(?:\.\d+)?%?|[一二两三四五六七八九十]+(?=[次个年月人名])")


def _overlaps(a0, a1, b0, b1):
    return a0 < b1 and b0 < a1


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.id)
def test_every_rule_stands_on_a_fact_of_its_clause_stating_its_figure(rule, corpus):
    facts = load_facts()
    leaf = rule.clauses[0]
    text = corpus.get(leaf).text
    start = text.find(rule.quote)
    assert start >= 0, f"{rule.id}: quote not in {leaf}"
    end = start + len(rule.quote)
    backing = [f for f in facts.of_leaf(leaf) if _overlaps(f.start, f.end, start, end)]
    assert backing, f"{rule.id}: no fact of {leaf} covers “{rule.quote}”"
    said = "".join(f.quote for f in backing)
    for number in NUMBER.findall(rule.quote):
        assert number in said, f"{rule.id}: the figure {number} of the rule is in no fact of {leaf}"


def _calendar_duties():
    import tomllib
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "assistant" / "data" / "plan_calendar.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")).get("duty", [])


@pytest.mark.parametrize("duty", _calendar_duties(), ids=lambda d: d["id"])
def test_every_plan_duty_stands_on_a_fact_of_its_clause(duty, corpus):
    facts = load_facts()
    leaf = duty["clauses"][0]
    text = corpus.get(leaf).text
    start = text.find(duty["quote"])
    assert start >= 0, f"{duty['id']}: quote not in {leaf}"
    end = start + len(duty["quote"])
    backing = [f for f in facts.of_leaf(leaf) if _overlaps(f.start, f.end, start, end)]
    assert backing, f"{duty['id']}: no fact of {leaf} covers “{duty['quote']}”"
    said = "".join(f.quote for f in backing)
    for number in NUMBER.findall(duty["quote"]):
        assert number in said, f"{duty['id']}: the figure {number} is in no fact of {leaf}"
