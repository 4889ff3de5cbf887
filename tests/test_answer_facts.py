"""Answering from facts (issue 11), end to end with the real corpus and the test retriever.

What a user reads first: the lead statement (the direct part, before 相关条款) and its citations.
The questions are everyday wordings written for this file, none taken from evals/.
"""

from dataclasses import replace

import pytest

from assistant.answer import Conversation, answer_question
from assistant.answer.facts_answer import candidate_facts
from assistant.answer.reading import read_question
from assistant.answer.terms import canonical_wording
from assistant.facts import load_facts

RELATED = "相关条款："
NOT_THE_ANSWER = "（不是对上述问题的回答）"


def ask(question, retriever):
    return answer_question(question, retriever=retriever, llm=False)


def direct_citations(answer):
    return answer.citations[: max(answer.direct, 0)]


def direct_text(answer):
    return answer.text.split(RELATED)[0].split("按您给出的数字对照检查")[0]


def assert_verbatim(answer, corpus):
    for c in answer.citations:
        leaf = corpus.get(c.id)
        assert leaf is not None and leaf.is_leaf, c.id
        assert c.label == leaf.label, c.id
        assert c.quote and c.quote in leaf.text, (c.id, c.quote)


def label_of(corpus, code):
    """The label prefix every citation of a document carries: 〔河钢标准 …"""
    return "〔" + corpus.document(code).short_name


# ---------------------------------------------------------------- subject known, attribute absent


@pytest.mark.parametrize("question,subject,word", [
    ("支委会一次会开多长时间", "支委会", "时长"),
    ("一堂党课讲多长时间合适", "党课", "时长"),
    ("党小组会一般在什么地方开", "党小组会", "地点"),
], ids=["meeting-length", "lesson-length", "group-place"])
def test_attribute_absent_says_precisely_what_is_not_stated(retriever, corpus, question, subject, word):
    a = ask(question, retriever)
    assert a.text.startswith(f"两份标准没有规定{subject}的{word}"), a.text
    assert a.covered is False and a.direct == 0
    # Then what they do say about the subject, labelled as not the answer, every quote verbatim.
    assert a.citations, a.text
    assert_verbatim(a, corpus)
    head, _, listed = a.text.partition(NOT_THE_ANSWER)
    assert f"关于{subject}" in head.splitlines()[-1]
    for c in a.citations:
        assert f"{c.quote}{c.label}" in listed, (c.id, a.text)
    facts = load_facts()
    names = {n for s in facts.related_subjects(subject) for n in facts.subject(s).names}
    assert all(any(n in c.quote for n in names) for c in a.citations), "what is listed is about the subject"


def test_attribute_absent_within_the_named_document(retriever):
    # SS says nothing about how often 支委会 meets (HG does): the scope is said, not 两份标准.
    a = ask("四同步清单里支委会多长时间开一次", retriever)
    assert a.text.startswith("四同步清单没有规定支委会的频次"), a.text
    assert a.covered is False
    assert all(c.id.startswith("SS-") for c in a.citations)


def test_a_role_the_standards_do_not_name_is_not_answered_with_its_group(retriever):
    a = ask("党小组长能连任几届，一届多长", retriever)
    assert not a.covered, a.text
    assert "党小组长" in a.text.splitlines()[0]
    assert "党小组会一般每月召开1次" not in direct_text(a)


# ---------------------------------------------------------------- the lead is the fact


@pytest.mark.parametrize("question,leaf,subject", [
    ("咱们支委会大概多久开一次会", "HG-21.1", "支委会"),
    ("党小组会议大概隔多长时间召集一回", "HG-21.1", "党小组会"),
    ("班子的民主生活会，一年至少得开几回", "HG-20.1", "民主生活会"),
    ("基础信息多长时间更新一次", "HG-8.2", "基础信息"),
], ids=["branch-committee", "party-group", "life-meeting", "basic-info"])
def test_a_frequency_question_leads_with_the_fact_quote(retriever, corpus, question, leaf, subject):
    facts = load_facts()
    fact = next(f for f in facts.of_leaf(leaf) if f.subject == subject and f.attribute == "frequency")
    a = ask(question, retriever)
    assert a.covered and a.direct >= 1, a.text
    first = a.citations[0]
    assert first.id == leaf, (question, first.id)
    assert fact.quote in first.quote and fact.value in first.quote
    assert a.text.startswith(first.quote + first.label), a.text
    assert_verbatim(a, corpus)


@pytest.mark.parametrize("question,leaf,value", [
    ("系统管理员更换后最迟多久要报上去", "HG-8.1", "一个月之内"),
    ("系统管理员换了人，多少天之内要报备", "HG-8.1", "一个月之内"),
    ("新任党组织书记上岗后，多久之内必须去培训", "HG-13.3", "半年内"),
], ids=["admin-latest", "admin-days", "new-secretary-training"])
def test_a_deadline_in_chinese_numerals_is_stated_not_abstained(retriever, corpus, question, leaf, value):
    a = ask(question, retriever)
    assert a.covered, a.text
    assert a.citations[0].id == leaf and value in a.citations[0].quote, a.text
    assert value in direct_text(a)
    assert_verbatim(a, corpus)


def test_deadline_candidates_include_the_chinese_numeral_fact(corpus):
    facts = load_facts()
    r = read_question(canonical_wording("系统管理员更换后最迟多久要报上去"), facts, corpus.documents)
    values = [f.value for f in candidate_facts(r, facts)]
    assert "在一个月之内" in values, values


def test_a_qualification_scenario_leads_with_the_years_and_checks_the_figure(retriever, corpus):
    a = ask("我入党刚满两年，能不能当支部书记", retriever)
    assert a.covered
    assert a.citations[0].id == "HG-13.1" and "党龄" in a.citations[0].quote, a.text
    assert a.checks, "the user's own figure (两年) is checked"
    assert any("HG-13.1" in r.clauses for r in a.checks)
    assert_verbatim(a, corpus)


def test_a_qualification_question_naming_only_the_role_leads_with_the_years(retriever):
    a = ask("入党刚满两年的人，能不能当书记", retriever)
    assert a.covered and a.citations[0].id == "HG-13.1", a.text
    assert "党龄" in a.citations[0].quote, a.citations[0].quote


# ---------------------------------------------------------------- both documents


@pytest.mark.parametrize("question", [
    "党课多长时间上一次",
    "谈心谈话一般多久谈一次",
    "党建经费一般按工资总额的百分之几来安排",
], ids=["lesson-frequency", "talks-frequency", "funds-share"])
def test_when_both_documents_state_it_both_labels_are_in_the_direct_part(retriever, corpus, question):
    a = ask(question, retriever)
    assert a.covered and a.direct >= 2, a.text
    docs = {c.id.split("-")[0] for c in direct_citations(a)}
    assert docs == {"HG", "SS"}, (question, [c.id for c in direct_citations(a)])
    head = direct_text(a)
    assert label_of(corpus, "HG") in head and label_of(corpus, "SS") in head
    assert "两份标准的规定" in head, "the difference (or sameness) is spelled out"
    assert_verbatim(a, corpus)


@pytest.mark.parametrize("question", [
    "河钢标准跟四同步清单在谈心谈话方面有啥区别",
    "这两个文件对党课的要求一样吗",
    "两份标准对党建经费的规定不同在哪",
], ids=["talks-named", "lesson-these-two", "funds-two"])
def test_a_comparison_cites_both_documents(retriever, corpus, question):
    a = ask(question, retriever)
    assert a.covered, a.text
    direct = direct_citations(a)
    assert {c.id.split("-")[0] for c in direct} == {"HG", "SS"}, [c.id for c in direct]
    lines = a.text.splitlines()
    for code in ("HG", "SS"):
        name = corpus.document(code).short_name
        line = next(ln for ln in lines if ln.startswith(name + "："))
        assert label_of(corpus, code) in line, line
    assert_verbatim(a, corpus)


def test_a_comparison_asking_an_attribute_quotes_each_documents_fact_of_it(retriever):
    # 优先考虑哪些人 asks the people a measure favours: each document's fact naming them, not the
    # subject's first clause (the 25 steps).
    a = ask("两份标准在发展党员上优先考虑哪些人，有什么不同", retriever)
    direct = direct_citations(a)
    assert {c.id.split("-")[0] for c in direct} == {"HG", "SS"}
    hg = next(c for c in direct if c.id.startswith("HG"))
    assert "35岁以下" in hg.quote, hg


# ---------------------------------------------------------------- follow-ups


@pytest.mark.parametrize("first,follow,first_doc,other_doc", [
    ("河钢标准里党课多久讲一次", "那另一份标准呢", "HG", "SS"),
    ("四同步清单里谈心谈话多久一次", "那另外那个文件怎么说", "SS", "HG"),
], ids=["hg-to-ss", "ss-to-hg"])
def test_the_other_document_follow_up_answers_from_the_other_document(retriever, corpus, first, follow,
                                                                       first_doc, other_doc):
    conv = Conversation(retriever=retriever, llm=False)
    a1 = conv.ask(first)
    assert a1.covered and all(c.id.startswith(first_doc + "-") for c in direct_citations(a1))
    a2 = conv.ask(follow)
    assert a2.covered, a2.text
    assert direct_citations(a2) and all(c.id.startswith(other_doc + "-") for c in direct_citations(a2)), a2.text
    assert label_of(corpus, first_doc) not in direct_text(a2)
    assert_verbatim(a2, corpus)


@pytest.mark.parametrize("first", ["支部委员会多久碰一次头", "支部书记党龄有啥要求", "党建经费占工资总额的比例是多少"],
                         ids=["hg-only-answer", "hg-lead-ss-related", "funds-hg-lead-ss-related"])
def test_where_from_names_the_previous_leads_document_only(retriever, corpus, first):
    conv = Conversation(retriever=retriever, llm=False)
    a1 = conv.ask(first)
    assert a1.covered and a1.direct >= 1, a1.text
    lead_docs = {c.id.split("-")[0] for c in direct_citations(a1)}
    a2 = conv.ask("这个规定出自哪份文件")
    assert a2.covered
    head = a2.text.splitlines()[0]
    for d in corpus.documents:
        if d.code in lead_docs:
            assert d.title in head, (first, head)
        else:
            assert d.title not in head, (first, "names a document the lead did not cite", head)
    lead_ids = {c.id for c in direct_citations(a1)}
    assert {c.id for c in a2.citations} <= lead_ids, (first, [c.id for c in a2.citations], lead_ids)


@pytest.mark.parametrize("first,follow,carried,leaf,words", [
    ("系统管理员更换有什么要求", "报给谁", "系统管理员", "HG-8.1", "上级党组织"),
    ("党组织换届有哪些规定", "要报给谁", "换届", "HG-7", "向上级党组织请示报告"),
], ids=["admin-change", "election"])
def test_a_subject_less_follow_up_carries_the_previous_subject(retriever, corpus, first, follow, carried, leaf,
                                                                words):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask(first)
    a = conv.ask(follow)
    assert carried in conv.turns[-1].query and follow in conv.turns[-1].query, conv.turns[-1].query
    assert a.covered and a.citations[0].id == leaf, a.text
    assert words in a.citations[0].quote
    assert_verbatim(a, corpus)


def test_a_follow_up_naming_its_own_subject_is_not_rewritten(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("系统管理员更换有什么要求")
    conv.ask("党小组会议大概多久举行一次")
    assert conv.turns[-1].query == "党小组会议大概多久举行一次"
    assert conv.turns[-1].answer.citations[0].id == "HG-21.1"


@pytest.mark.parametrize("follow", ["刚才这个出自哪个文件", "这条是从哪份文件里来的", "上面说的依据是哪份标准"],
                         ids=["chucong", "conglailai", "yiju"])
def test_where_from_is_understood_in_other_words(retriever, corpus, follow):
    conv = Conversation(retriever=retriever, llm=False)
    a1 = conv.ask("支部委员会多久碰一次头")
    assert a1.citations and a1.citations[0].id == "HG-21.1", a1.text
    a2 = conv.ask(follow)
    assert conv.turns[-1].query == conv.turns[0].query, conv.turns[-1].query
    assert a2.text.startswith("上一个回答依据的是《" + corpus.document("HG").title + "》"), a2.text


# ---------------------------------------------------------------- named sets and terms


@pytest.mark.parametrize("name", ["三会一课", "六有", "四个百分百", "四同步"])
def test_a_named_set_is_defined_from_the_clause_that_lists_it(retriever, corpus, name):
    facts = load_facts()
    listing = [f for s in facts.related_subjects(name) for f in facts.about(s) if f.members]
    assert listing, f"the data lists the members of {name}"
    a = ask(f"{name}具体包括哪几项", retriever)
    assert a.covered and a.direct >= 1, a.text
    head = direct_text(a)
    assert any(all(m in head for m in f.members) and f.leaf in {c.id for c in direct_citations(a)}
               for f in listing), (name, head)
    assert_verbatim(a, corpus)


def test_a_what_does_it_mean_follow_up_asks_about_the_quoted_term_of_the_lead(retriever, corpus):
    conv = Conversation(retriever=retriever, llm=False)
    a1 = conv.ask("党委班子在党风廉政方面要履行什么责任")
    assert "“一岗双责”" in a1.citations[0].quote, a1.text
    a2 = conv.ask("那个说法指什么")
    assert conv.turns[-1].query == "“一岗双责”是什么意思", conv.turns[-1].query
    assert a2.covered and "一岗双责" in a2.citations[0].quote
    assert_verbatim(a2, corpus)


# ---------------------------------------------------------------- rewriting follow-ups (pure)


def _turn(corpus, question, *ids, direct=None):
    from assistant.types import Answer, Citation, Turn

    cits = tuple(Citation(i, corpus.get(i).label, corpus.get(i).text[:20]) for i in ids)
    return Turn(question, question, Answer("…", True, cits, direct=len(cits) if direct is None else direct))


def test_rewrite_other_document_turns_to_the_document_the_lead_did_not_cite(corpus):
    from assistant.answer import rewrite_query

    # The lead is HG's; an SS clause among the related ones does not make SS "this" document.
    prev = _turn(corpus, "谈心谈话一年谈几次", "HG-21.4", "SS-9.2", direct=1)
    rw = rewrite_query("另一份文件是怎么规定的", [prev])
    assert rw.kind == "other_doc" and rw.docs == ("SS",) and rw.query == prev.query
    prev = _turn(corpus, "谈心谈话一年谈几次", "SS-9.2", direct=1)
    assert rewrite_query("那另外一个标准呢", [prev]).docs == ("HG",)


def test_rewrite_names_the_document_when_the_follow_up_does(corpus):
    from assistant.answer import rewrite_query

    prev = _turn(corpus, "谈心谈话一年谈几次", "HG-21.4")
    rw = rewrite_query("四同步清单那边怎么说", [prev])
    assert rw.kind == "other_doc" and rw.docs == ("SS",)


def test_rewrite_define_takes_the_quoted_term_of_the_lead(corpus):
    from assistant.answer import rewrite_query
    from assistant.types import Answer, Citation, Turn

    text = corpus.get("HG-38").text
    quote = text[text.index("达到"): text.index("标准", text.index("达到")) + 2]  # …的“六有”标准
    lead = Citation("HG-38", corpus.get("HG-38").label, quote)
    prev = Turn("支部活动场所要达到什么样子", "支部活动场所要达到什么样子", Answer("…", True, (lead,), direct=1))
    rw = rewrite_query("这个词是什么意思", [prev])
    assert rw.kind == "define" and rw.query == "“六有”是什么意思", rw
    # A follow-up naming its own term is an ordinary new question.
    assert rewrite_query("三会一课是什么意思", [prev]).kind == "new"


def test_rewrite_carries_the_previous_subject_into_a_subject_less_question(corpus):
    from assistant.answer import rewrite_query

    prev = _turn(corpus, "系统管理员更换有什么要求", "HG-8.1")
    rw = rewrite_query("多长时间之内？", [prev])
    assert rw.kind == "carry" and rw.query.startswith("系统管理员更换"), rw
    # A question that names its own subject is left alone.
    assert rewrite_query("党小组会议大概多久举行一次", [prev]).kind == "new"


def test_a_first_question_is_never_rewritten():
    from assistant.answer import rewrite_query

    for q in ("那另一份标准呢", "报给谁", "这个词是什么意思"):
        rw = rewrite_query(q, [])
        assert rw.kind == "new" and rw.query == q


@pytest.mark.parametrize("question,value", [
    ("特殊情况下党支部书记党龄至少几年", "特殊情况不少于1年"),  # the case the asker names
    ("党支部书记党龄至少几年", "党龄一般3年以上"),               # the general rule
])
def test_the_fact_whose_condition_the_question_names_leads(question, value):
    from assistant.answer.facts_answer import rank_facts
    from assistant.types import Reading
    from assistant.answer.terms import term_stats, weigh

    facts = [f for f in load_facts().of_leaf("HG-13.1") if f.subject == "党支部书记"]
    reading = Reading(question=question, subjects=("党支部书记",), attribute="qualification",
                      accepts=("qualification",), specific=True)
    assert rank_facts(facts, reading, [], weigh(question, term_stats()))[0].value == value


def test_a_number_of_times_asked_is_not_answered_by_a_frequency_in_words():
    from assistant.answer.facts_answer import _answers
    from assistant.types import Fact

    reading = read_question(canonical_wording("职代会每年得开几回"), load_facts(), _documents())
    worded = Fact("X-1#1", "X-1", "SS", "职工代表大会", "frequency", "常态化开展", "", "审议常态化开展", 0)
    counted = Fact("X-1#2", "X-1", "SS", "职工代表大会", "frequency", "每年召开1次", "", "每年召开1次", 0)
    assert reading.attribute == "frequency"
    assert not _answers(worded, reading) and _answers(counted, reading)


def test_a_figure_of_another_clauses_subject_yields_to_not_stated(retriever):
    # The best leaf about 职代会 holds no figure; the one that does (经济账单每年…1次) is about the 经济账单.
    a = answer_question("职代会每年得开几回", retriever=retriever, llm=False)
    lead = a.text.split("\n")[0]
    assert "没有规定" in lead and "职工代表大会" in lead


def _documents():
    from assistant.corpus import load_corpus

    return load_corpus().documents


@pytest.mark.parametrize("question", ["推荐的支书人选入党刚满两年，党龄够吗", "当支部书记党龄有要求吗"])
def test_a_general_rule_is_quoted_with_the_exception_its_sentence_makes(retriever, question):
    # 一般3年以上 alone would tell a branch with a candidate of 14 months' standing that he cannot serve
    a = answer_question(question, retriever=retriever, llm=False)
    lead = a.citations[0]
    assert lead.id == "HG-13.1" and "一般3年以上" in lead.quote and "特殊情况不少于1年" in lead.quote



def test_everyday_words_for_doing_badly_reach_what_follows_for_a_poor_secretary(retriever):
    a = answer_question("基层书记年度考核排倒数第一，下一步会怎样", retriever=retriever, llm=False)
    assert a.covered and a.citations[0].id == "HG-35.3" and "约谈" in a.text.split("相关条款")[0]


def test_what_is_stated_of_every_secretary_holds_for_a_branch_secretary(retriever):
    # HG-35.3 files its consequence under 党组织书记; 党支部书记 is filed under that
    a = answer_question("党支部书记工作排倒数，会被怎么处理", retriever=retriever, llm=False)
    assert a.covered and a.citations[0].id == "HG-35.3" and not a.text.startswith("两份标准没有")


def test_a_figure_neither_the_best_leaf_nor_the_answer_holds_is_not_stated(retriever):
    # the best leaf on 经费 holds no frequency; 上年度 in another clause's share is no frequency either
    a = answer_question("党组织工作经费的使用情况多长时间公开一回", retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定") and "频次" in a.text.split("\n")[0]


@pytest.mark.parametrize("question", ["“四强”党组织里的四强分别是什么", "三带三促分别指带什么促什么"])
def test_the_members_of_a_counted_set_the_standards_never_list_are_not_stated(retriever, question):
    a = answer_question(question, retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定") and "具体所指" in a.text.split("\n")[0]


def test_a_comparison_shows_each_documents_nearest_clause_before_saying_it_has_none(retriever, corpus):
    # 党员活动阵地: the 清单's 六有阵地 clause shares few of the question's words, yet is its nearest
    a = ask("党员活动阵地的建设要求，河钢和清单能互相补充吗", retriever)
    assert {c.id.split("-")[0] for c in direct_citations(a)} == {"HG", "SS"}, a.text
    assert "没有关于" not in a.text
    assert_verbatim(a, corpus)


def test_a_comparison_quotes_each_documents_best_retrieved_leaf_not_a_wordier_one_below_it(corpus):
    # HG-6.2 (应建尽建) shares more of the question's words, but the search put HG-4 (the list of units) first
    from assistant.answer import respond
    from assistant.answer.followups import Rewrite
    from assistant.types import Hit

    hits = [Hit(corpus.get("HG-4"), 0.6), Hit(corpus.get("SS-10.1"), 0.55), Hit(corpus.get("HG-6.2"), 0.5)]
    a = respond(Rewrite("要建党组织的单位范围，两份文件比一比", "new"), hits)
    assert [c.id for c in a.citations[:a.direct]] == ["HG-4", "SS-10.1"]


def test_not_stated_is_never_said_of_a_figure_a_fact_states(retriever, corpus):
    from assistant.answer.facts_answer import abstention, states_asked_of_subject
    from assistant.answer.terms import term_stats, weigh
    from assistant.types import Reading

    facts = load_facts()
    q = "董事会成员有几个"
    stated = Reading(question=q, subjects=("董事会成员",), displays=("董事会成员",), attribute="count",
                     attribute_word="数量", accepts=("count",), specific=True)
    assert states_asked_of_subject(replace(stated, attribute="headcount", attribute_word="人数"), facts)
    reply = abstention(replace(stated, attribute="headcount", attribute_word="人数"), facts, corpus, [],
                       weigh(q, term_stats()), q)
    assert "没有规定" not in reply.text and "没有找到" in reply.text
    # a role whose number the standards never give, and an attribute filed too broadly to tell
    assert not states_asked_of_subject(replace(stated, displays=("职工董事",), subjects=("职工董事",),
                                               attribute="headcount", attribute_word="人数"), facts)
    assert not states_asked_of_subject(replace(stated, displays=("党委书记",), subjects=("党委书记",),
                                               attribute="education", attribute_word="学历要求"), facts)
