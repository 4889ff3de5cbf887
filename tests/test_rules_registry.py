"""The rule registry against the corpus: ids exist, quotes are verbatim, coverage is complete."""

import re

import pytest

from assistant.checks.rules import (
    KINDS, PERIODS, SOFT_STRENGTHS, RegistryError, load_registry, load_rules, parse_registry,
)

# A leaf "carries a number or a frequency" if it has a digit, a frequency word, or a Chinese
# numeral followed by a measure word (一次, 一个月, 两个部门, 一批 …).
FREQUENCY_WORDS = r"每月|每季|每年|每半年|半年|每周|每天|每日|定期|年度"
CN_COUNT = r"[一二两三四五六七八九十百]+(?:次|个|人|名|年|月|天|周|批|步|项|条|届|有)"
NUMBER_OR_FREQUENCY = re.compile(rf"\d|{FREQUENCY_WORDS}|{CN_COUNT}")


def quantitative_leaves(corpus):
    return {c.id for c in corpus.leaves() if NUMBER_OR_FREQUENCY.search(c.text)}


def test_registry_has_about_45_rules_from_both_documents():
    rules = load_rules()
    assert len(rules) >= 45
    assert {r.doc for r in rules} == {"HG", "SS"}


def test_every_named_clause_exists_and_is_a_leaf(corpus):
    for r in load_rules():
        for cid in r.clauses:
            c = corpus.get(cid)
            assert c is not None, f"{r.id}: {cid} 不存在"
            assert c.is_leaf, f"{r.id}: {cid} 不是叶子条款"
    for cid in load_registry().not_checkable:
        assert corpus.get(cid) is not None and corpus.get(cid).is_leaf, cid


def test_every_quote_is_verbatim_in_its_primary_leaf(corpus):
    for r in load_rules():
        assert r.quote in corpus.get(r.clauses[0]).text, f"{r.id}: 引文不在 {r.clauses[0]} 中"
        if r.exception:
            assert r.exception["quote"] in corpus.get(r.clauses[0]).text, r.id


def test_every_leaf_with_a_number_or_frequency_is_covered_or_explained(corpus):
    registry = load_registry()
    covered = {cid for r in registry.rules for cid in r.clauses}
    quantitative = quantitative_leaves(corpus)
    missing = sorted(quantitative - covered - set(registry.not_checkable))
    assert not missing, f"这些条款带数字或频次词，但既无规则也未说明理由：{missing}"
    # A leaf is either checked or explained, never both; explained leaves really carry a number.
    assert not covered & set(registry.not_checkable)
    stale = sorted(set(registry.not_checkable) - quantitative)
    assert not stale, f"这些条款并无数字或频次词，不必列为不可核对：{stale}"
    assert all(reason.strip() for reason in registry.not_checkable.values())


def test_rule_fields_follow_the_contract():
    for r in load_rules():
        assert re.fullmatch(r"[a-z0-9_]+", r.id)
        assert r.kind in KINDS
        assert r.period is None or r.period in PERIODS
        assert r.strict == (r.strength not in SOFT_STRENGTHS)
        assert r.inputs and all(re.fullmatch(r"[a-z0-9_]+", i.name) for i in r.inputs)
        if r.op == "between":
            assert r.target_max is not None and r.target_max > r.target
        if r.kind == "frequency":
            assert r.period and r.activity, r.id
        if r.kind in ("ratio_min", "amount_ratio"):
            assert len(r.inputs) == 2 and r.unit == "%", r.id


@pytest.mark.parametrize("figure, rule_ids", [
    ("integrity_studies", {"integrity_study_frequency_hg", "integrity_study_frequency_ss"}),
    ("party_funds", {"party_funds_ratio_hg", "party_funds_ratio_ss"}),
    ("leader_party_lectures", {"leader_party_lecture_frequency_hg", "leader_party_lecture_frequency_ss"}),
    ("party_dept_staff", {"party_worker_staffing_hg", "party_worker_staffing_ss"}),
])
def test_figures_both_documents_regulate_have_one_rule_per_document(figure, rule_ids):
    rules = [r for r in load_rules() if figure in r.input_names]
    assert {r.id for r in rules} == rule_ids
    assert {r.doc for r in rules} == {"HG", "SS"}


@pytest.mark.parametrize("data, message", [
    ({"rules": [{"id": "x"}]}, "缺少字段"),
    ({"figures": [{"key": "a", "label": "甲", "unit": "人", "parent": "nope"}]}, "parent"),
    ({"figures": [{"key": "a", "label": "甲", "unit": "人"}],
      "rules": [{"id": "x", "name": "n", "clauses": ["HG-1.2"], "quote": "q", "kind": "weekly",
                 "inputs": ["a"], "op": ">=", "target": 1, "unit": "次", "strength": "至少",
                 "applies_to": ["党委"], "requirement": "r"}]}, "kind"),
])
def test_malformed_registry_is_rejected_with_the_entry_named(data, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(data)
