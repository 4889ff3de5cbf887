"""A figure asked (how often, how many, how long, when) is answered only by a figure of that kind.

Pure: readings, answers and hits are built here; no retriever or model.
"""

import pytest

from assistant.answer.abstain import lacks_asked_value, valued_sentence
from assistant.answer.reading import asks
from assistant.answer.terms import term_stats, weigh
from assistant.types import Answer, Citation, Clause, Hit, Reading


def reading(attribute: str, question: str = "") -> Reading:
    return Reading(question=question, attribute=attribute, specific=True)


def said(quote: str) -> Answer:
    return Answer(quote, True, (Citation("HG-1.1", "〔河钢标准 第1条第1款〕", quote),), "extractive", direct=1)


@pytest.mark.parametrize("attribute,quote,lacks", [
    ("frequency", "党委会要定期研究党建工作", True),           # 定期 has the shape of a frequency but names none
    ("frequency", "每年至少讲1次党课", False),
    ("frequency", "每月相对固定一天开展主题党日", False),       # 每月 is how often ...
    ("timing", "每月相对固定一天开展主题党日", False),        # ... and when, for a recurring act
    ("timing", "定期组织培养对象学习深造", True),
    ("money", "每年组织一批培养对象学习深造", True),           # but no amount
    ("count", "配备专职组织员和系统管理员", True),
    ("count", "监事会成员5人", False),                      # a count asked, a headcount stated
    ("count", "产值利润、市场占有率、行业排名等指标", False),  # ... or the list it counts
    ("length", "改正期限为1年", False),
    ("what", "党委会要定期研究党建工作", False),              # nothing figure-shaped asked
    ("funding", "纳入管理费用的党组织工作经费，纳入年度预算", False),  # where it is booked is where it comes from
    ("funding", "定期走访慰问老党员", True),
    ("size", "党支部至少有1个学习宣传栏", True),             # a count is no size
    ("mode", "坚持线上线下相结合，做好日常党建业务工作", False),
    ("mode", "党组织书记与班子成员每季度开展谈心谈话不少于1次", True),  # says nothing of online or in person
])
def test_a_figure_asked_is_lacking_unless_the_lead_holds_one_of_its_kind(attribute, quote, lacks):
    assert lacks_asked_value(reading(attribute), said(quote)) is lacks


def hit(cid: str, text: str, score: float = 0.5) -> Hit:
    return Hit(Clause(cid, cid[:2], f"〔{cid}〕", "", "", text, 1), score)


def test_the_sentence_holding_the_figure_answers_when_the_lead_sentence_does_not():
    q = "评议不合格的党员改正期限多长"
    hits = [hit("HG-21.3", "每年定期开展民主评议党员。对于不合格的党员要限期改正，改正期限为1年。")]
    got = valued_sentence(reading("length", q), hits, weigh(q, term_stats()))
    assert got is not None and "改正期限为1年" in got.citations[0].quote and got.citations[0].id == "HG-21.3"


def test_no_sentence_answers_when_none_holds_a_figure_beside_the_question_words():
    q = "评议不合格的党员改正期限多长"
    hits = [hit("HG-21.3", "每年定期开展民主评议党员。"), hit("HG-25", "支部书记要谈话5次以上。")]
    assert valued_sentence(reading("length", q), hits, weigh(q, term_stats())) is None


def test_every_value_ask_names_known_asks_and_has_a_shape():
    by_name = {a.attribute: a for a in asks()}
    needing = [a for a in asks() if a.needs_value]
    assert {"frequency", "count", "share", "timing"} <= {a.attribute for a in needing}
    assert all(a.shape is not None and all(v in by_name for v in a.value_asks) for a in needing)


def test_what_else_a_clause_says_when_the_previous_answer_quoted_only_part_of_its_sentence():
    from assistant.answer.compose import more_answer

    text = "积极开展先锋岗创建活动，建立先锋岗动态管理机制，每年举办一次先锋岗授牌仪式，大力宣传先锋岗党员先进典型事迹。"
    got = more_answer("先锋岗还有别的要求吗", [hit("HG-26", text, 0.6)], shown=["每年举办一次先锋岗授牌仪式"])
    quotes = " ".join(c.quote for c in got.citations)
    assert got.covered and "动态管理机制" in quotes and "先进典型事迹" in quotes
    assert "每年举办一次先锋岗授牌仪式" not in quotes


def test_a_sentence_shown_whole_is_not_offered_again():
    from assistant.answer.compose import more_answer

    text = "每年举办一次先锋岗授牌仪式。建立先锋岗动态管理机制。"
    got = more_answer("先锋岗还有别的要求吗", [hit("HG-26", text, 0.6)], shown=["每年举办一次先锋岗授牌仪式"])
    assert [c.quote for c in got.citations] == ["建立先锋岗动态管理机制"]


def test_a_definition_quotes_the_whole_sentence_and_the_list_after_ji():
    from assistant.answer.facts_answer import whole_definition
    from assistant.corpus import load_corpus

    corpus = load_corpus()
    leaf = corpus.get("HG-6.1")
    first = leaf.text.split("；")[0]  # 落实“四个百分百”要求，即：凡独立法人单位…
    got = whole_definition(Answer(first + leaf.label, True, (Citation("HG-6.1", leaf.label, first),), "extractive",
                                  direct=1), corpus)
    quote = got.citations[0].quote
    assert quote.startswith(first) and quote.count("实现100%") == 4 and quote in leaf.text
    assert quote in got.text


@pytest.mark.parametrize("question", ["三会一课都包括啥", "一岗双责指的啥", "四对接有哪些方面"])
def test_colloquial_definition_asks_read_as_define(question):
    from assistant.answer.reading import read_question
    from assistant.corpus import load_corpus
    from assistant.facts import load_facts

    assert read_question(question, load_facts(), load_corpus().documents).kind == "define"



def test_a_figure_held_by_the_best_clauses_is_no_not_stated_when_coverage_is_weak(corpus):
    # Weakly retrieved clauses (coverage refuses them) about a thing the standards name: when one of
    # their sentences holds a figure of the asked kind about it, that sentence answers.
    from assistant.answer.followups import Rewrite
    from assistant.answer.pipeline import _respond

    hits = [Hit(corpus.get(i), s) for i, s in (("HG-24.1", 0.15), ("HG-24.2", 0.14), ("SS-11.2", 0.12))]
    a = _respond(Rewrite("发展一名新党员要走多少步", "new"), hits)
    assert not a.text.startswith("两份标准没有规定")
    assert a.citations and "25个具体步骤" in a.citations[0].quote


@pytest.mark.parametrize("quote,value,named", [
    ("对支部书记的工作进行考核，对工作较差的要进行约谈", "进行约谈", True),  # 对…的要: those named first
    ("对支部书记的工作进行考核，对优秀的要表彰奖励", "表彰奖励", True),
    ("职代会审议常态化开展，每年报告1次", "每年报告1次", False),           # no such reference
])
def test_a_headless_de_phrase_refers_to_the_people_the_sentence_named_first(quote, value, named):
    from assistant.answer.facts_answer import names_value_together
    from assistant.types import Fact

    fact = Fact("X-1#1", "X-1", "X", "书记", "consequence", value, "", quote, 0)
    assert names_value_together(fact, {"支部书记", "职代会"} if not named else {"支部书记"}) is named


def test_what_else_offers_the_same_articles_other_clauses_first(corpus):
    from assistant.answer.compose import more_answer

    hits = [Hit(corpus.get(i), s) for i, s in (("HG-36.2", 0.6), ("HG-8.3", 0.5), ("HG-8.2", 0.45), ("HG-8.1", 0.4))]
    shown = [corpus.get("HG-8.1").text]
    a = more_answer("智慧党建平台 还有别的要求吗", hits, shown=shown, context=("HG-8.1",))
    assert a.covered and a.citations[0].id in ("HG-8.2", "HG-8.3"), [c.id for c in a.citations]


def test_which_members_is_answered_by_the_listing_clause_that_names_the_subject(corpus):
    # Weak coverage, but the clause naming 两晒账 lists what is aired (经济账、党建账): it answers.
    from assistant.answer.followups import Rewrite
    from assistant.answer.pipeline import _respond

    hits = [Hit(corpus.get(i), s) for i, s in (("SS-0", 0.2), ("SS-16.1", 0.18), ("SS-17.1", 0.15))]
    a = _respond(Rewrite("两晒账晒的是哪些账目", "new"), hits)
    assert a.covered and a.citations[0].id == "SS-0" and "经济账、党建账" in a.citations[0].quote


@pytest.mark.parametrize("subject,undefined", [
    ("四强党组织", True),   # named by its count, never listed
    ("六有", False),        # the standards list its six
    ("党小组", False),      # no numbered set
])
def test_a_numbered_set_the_standards_never_list_is_undefined(subject, undefined):
    from assistant.answer.abstain import undefined_numbered_set
    from assistant.facts import load_facts

    r = Reading(question="", subjects=(subject,), attribute="members")
    assert undefined_numbered_set(r, load_facts()) is undefined
