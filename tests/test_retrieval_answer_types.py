"""Answer-type matching is pure: question kinds, sentence facts, and the boost in fusion."""

import pytest

from assistant.retrieval.answer_types import answer_type_match, question_types, sentence_facts, subject_tokens
from assistant.retrieval.fusion import FusionWeights, fuse
from assistant.retrieval.normalize import tokenize


@pytest.mark.parametrize("q,kinds", [
    ("主题党日通常隔多久组织一回？", {"frequency"}),
    ("专职党务人员在职工总数里得占多大比例？", {"percent"}),
    ("一般党员每年学习时间要达到多少小时？", {"hours"}),
    ("入党几年能当支部书记？", {"years"}),
    ("系统管理员换人后多长时间内报备", {"deadline"}),  # a deadline, not a frequency
    ("六有是指哪六有", set()),
])
def test_question_types(q, kinds):
    assert question_types(q) == kinds


def test_fact_must_be_about_the_subject():
    # SS-11.1 names 主题党日 in one sentence and gives a frequency for 党课 in another.
    ss = "增强“三会一课”、主题党日等吸引力和感染力。党员领导干部每年上党课不少于1次。"
    hg = "党支部每月相对固定一天开展主题党日，组织支部党员集中学习。"
    wanted = question_types("主题党日多久搞一次")
    q = subject_tokens("主题党日多久搞一次")
    assert "1" not in q and "次" not in q
    assert answer_type_match(wanted, q, sentence_facts(ss, tokenize)) == 0.0
    assert answer_type_match(wanted, q, sentence_facts(hg, tokenize)) == 1.0


def test_boost_reorders_but_keeps_scores_in_range():
    w = FusionWeights(lexical=1.0, item=0.0, dense=0.0, answer_type=0.5)
    lex = {"a": 0.60, "b": 0.55, "c": 0.9}
    out = fuse(["a", "b", "c"], lex, {}, {}, {}, w, {"a": 0.0, "b": 1.0, "c": 1.0})
    assert [f.id for f in out] == ["c", "b", "a"]
    assert out[0].score == 1.0  # capped
    assert out[1].score == pytest.approx(0.825)
    plain = fuse(["a", "b"], lex, {}, {}, {}, w)  # no type information: plain mean
    assert [f.id for f in plain] == ["a", "b"]
