"""When the extractive answer yields: choices the clause never names, a who-question about an act the
clause never states, the asker's own role setting the scene, and the retriever's best leaf leading."""

import pytest

from assistant.answer import answer_question
from assistant.answer.abstain import action_unstated, alternatives_unstated
from assistant.answer.reading import _scene_roles_last


@pytest.mark.parametrize("question,text,unstated,names", [
    ("例会是线上开还是线下开", "每月召开1次例会", True, ("例会",)),
    ("例会是线上开还是线下开", "运用线上线下等载体手段", False, ("例会",)),
    ("是小范围试点还是全面铺开", "全面推行述职评议考核", False, ()),  # a two-character piece will do
    ("例会一般怎么开", "每月召开1次例会", False, ()),  # no choices offered
    # a name offered as one of the choices is a choice, not the subject
    ("党课是书记来讲还是厂长来讲", "结合本单位实际，每季度开展党课", True, ("党课", "书记")),
    ("党课是书记来讲还是厂长来讲", "由党组织书记讲党课", False, ("党课", "书记")),
    # without 是, the word just before 还是 is the first choice; the subject before it stays the subject
    ("活动室要设在一楼还是顶楼", "党支部至少有1个党员活动室", True, ("活动室",)),
    # time words are the choices though no key terms; a named time in the subject's clause states one
    ("述职会放在上半年开还是下半年开", "每年至少召开1次述职会", True, ("述职会",)),
    ("述职会放在年初开还是年底开", "述职会一般安排在第四季度", False, ("述职会",)),
    ("述职会放在年初开还是年底开", "评议会一般安排在第四季度", True, ("述职会",)),  # another subject's time
])
def test_choices_the_clause_names_neither_of_are_not_stated(question, text, unstated, names):
    # the subject's own name (例会) on one side is no choice
    assert alternatives_unstated(question, text, names) is unstated


@pytest.mark.parametrize("question,text,unstated", [
    ("这个会由谁主持", "党支部每年至少召开1次", True),
    ("这个会由谁主持", "由支部书记主持召开", False),
    ("这项工作由谁负责", "党支部每年至少召开1次", False),  # a generic act: the fact layer decides
    ("这个会多久开一次", "党支部每年至少召开1次", False),
    # how often one particular act is done: a clause giving another of the subject's frequencies says nothing
    ("模范岗的党员多长时间考核一次", "每年举办一次授牌仪式", True),
    ("模范岗的党员多长时间考核一次", "每年考核一次", False),
    ("困难党员多久去走访一次", "定期走访慰问", False),  # 去 is no part of the act
    ("这个组多久碰一次头", "党小组会一般每月召开1次", False),  # a one-character verb names no act
    ("书记和委员多久至少谈一次", "每季度开展谈心谈话不少于1次", False),  # 至少 bounds it, it is no act
    ("谈心谈话多久至少一次", "每季度开展谈心谈话不少于1次", False),
    ("模范岗多长时间起码考核一次", "每年举办一次授牌仪式", True),
    ("监事会的例会一年开几次", "每半年监事会作1次审查", True),  # a kind of meeting the clause never names
    ("支委会的例会一年开几次", "支委会例会每月召开1次", False),
])
def test_a_who_question_about_a_particular_act_needs_the_act_stated(question, text, unstated):
    assert action_unstated(question, text) is unstated


def test_the_askers_own_role_goes_after_the_topic():
    subjects, displays = _scene_roles_last("我是支部书记，党课一年讲几次", ["党支部书记", "党课"], ["支部书记", "党课"])
    assert subjects == ["党课", "党支部书记"] and displays == ["党课", "支部书记"]


def test_a_role_named_again_in_the_question_stays_first():
    subjects, _ = _scene_roles_last("我是支部书记，支部书记的党龄要几年", ["党支部书记"], ["支部书记"])
    assert subjects == ["党支部书记"]


def test_chairing_a_meeting_the_standards_only_schedule_is_not_stated(retriever):
    a = answer_question("党小组会由谁主持", retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定党小组会") and not a.covered


def test_a_scene_subject_does_not_pull_the_lead_away_from_the_retrieved_clause(retriever):
    a = answer_question("经理任期结束了需要审计吗", retriever=retriever, llm=False)
    assert a.covered and a.citations[0].id == "SS-9.3" and "任期审计" in a.citations[0].quote


def test_the_topic_of_a_precise_not_stated_is_a_noun_the_retrieved_clause_names(corpus):
    from assistant.answer.abstain import named_topic
    from assistant.facts import load_facts

    facts = load_facts()
    from assistant.answer.reading import read_question
    from assistant.types import Hit

    q = "领导干部下基层过组织生活一年要几次"
    reading = read_question(q, facts, corpus.documents)
    assert named_topic(q, [Hit(corpus.get("HG-20.2"), 0.5)], reading) in ("领导干部", "组织生活")
    assert named_topic(q, [Hit(corpus.get("SS-5.2"), 0.5)], reading) == ""  # that clause names neither


def test_a_precise_ask_about_something_the_standards_never_name_stays_not_found(retriever):
    a = answer_question("年假一共有多少天", retriever=retriever, llm=False)
    assert not a.covered and a.text.startswith("两份标准中没有找到")


@pytest.mark.parametrize("question,docs", [
    ("按清单，支部书记要培训吗", ("SS",)),
    ("清单里对董事会怎么说", ("SS",)),
    ("另一份清单在人事制度上提了什么", ("SS",)),
    ("河钢标准和清单对党课各怎么要求", ("HG", "SS")),
    ("换到清单那边是按什么定的", ("SS",)),  # a pointing word after it
    ("年度党建任务清单什么时候定", ()),  # a list the standards name, not the document
    ("前置研究要先列个什么清单", ()),  # a list asked about
])
def test_the_bare_word_for_a_document_names_it_only_outside_longer_names(corpus, question, docs):
    from assistant.answer.reading import mentioned_documents

    assert mentioned_documents(question, corpus.documents) == docs


def test_a_list_of_the_users_own_named_like_the_document_does_not_scope(corpus):
    from assistant.answer.reading import mentioned_documents

    assert mentioned_documents("起草议事清单时要参照哪些规定", corpus.documents) == ()


def test_a_count_is_not_answered_by_how_often(corpus):
    from assistant.answer.facts_answer import candidate_facts
    from assistant.answer.reading import read_question
    from assistant.facts import load_facts

    facts = load_facts()
    reading = read_question("一个支部最多能划出几个党小组", facts, corpus.documents)
    assert reading.attribute == "count"
    assert all(f.attribute != "frequency" for f in candidate_facts(reading, facts))


def test_what_the_asker_already_has_does_not_weigh():
    from assistant.answer.terms import term_stats, weigh

    wt = weigh("除了党课以外，支部还要开什么会", term_stats())
    assert "党课" not in wt.terms and wt.terms


@pytest.mark.parametrize("question,stated", [
    ("经济账单的指标一共分了几类", True),  # the clause lists them: 规模、产值利润、节能降耗…
    ("党组织机构图要分成几类", False),  # named, but nothing listed
    ("人才库一共分了几类，分别是哪几类", False),  # a run of verbs (引进、储备、使用) lists no kinds of it
])
def test_how_many_a_clause_lists_is_answered_by_the_list(retriever, question, stated):
    a = answer_question(question, retriever=retriever, llm=False)
    assert a.covered is stated
    assert ("没有规定" in a.text.splitlines()[0]) is not stated
    if stated:
        assert "、" in a.citations[0].quote


def test_an_amount_of_something_the_standards_never_name_is_not_stated(retriever):
    a = answer_question("学习宣传栏的面积要多大", retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定学习宣传栏的面积")
    assert not a.covered


def test_an_amount_asked_in_the_words_that_ask_it_is_still_answered(retriever):
    a = answer_question("支委会的频次是多少", retriever=retriever, llm=False)  # 频次 asks how often
    assert a.covered and "每月召开1次" in a.text


def test_who_does_an_act_no_clause_names_is_not_stated_even_without_a_filed_subject(retriever):
    # 领誓: a clause that names the occasion (主题党日…过政治生日) does not say who leads the oath
    answer = answer_question("过政治生日时谁来领誓", retriever=retriever, llm=False)
    assert answer.text.startswith("两份标准没有规定") and not answer.covered


@pytest.mark.parametrize("question,text,act", [
    ("党小组的分工要不要报上级备案", "党员人数较多的党支部划分若干党小组", "备案"),
    ("换届结果需要公示吗", "建立党组织换届提醒督促机制，确保按时换届", "公示"),
    ("系统管理员换了要不要报备", "建立系统管理员备案管理制度，人员变更一个月之内向上级党组织报备", ""),  # stated
    ("党务需要公开吗", "做好党务公开", ""),
    ("支委会多久开一次", "支委会一般每月召开1次", ""),  # no yes/no act asked
    ("党员大会要不要签到", "支部党员大会一般每季召开1次", "签到"),
    ("调研回来要写调研报告吗", "每季度到联系点专题调研不少于1次", "调研报告"),
    ("表彰大会要请上级领导出席吗", "每年举办一次先锋模范岗授牌仪式", "出席"),
    ("剩下的活动经费能结转吗", "用好用活党组织工作经费", "结转"),
    ("检查组需要下来督导吗", "督导基层党组织落实分类定级", ""),  # stated
    ("评议时要不要投票", "每年定期开展民主评议党员", "投票"),
    ("活动经费要接受审计吗", "用好用活党组织工作经费", "审计"),
    ("任期结束要审计吗", "严格落实领导干部离任审计、任期审计", ""),  # stated
    ("参加轮训必须脱产吗", "每年至少参加1次集中培训", "脱产"),
    ("共建要不要签协议", "开展结对共建活动", "协议"),
    ("纪要需要抄送上级吗", "每年至少研究2次党风廉政建设工作", "抄送"),
])
def test_a_yes_no_question_about_a_procedural_act_needs_the_act_in_the_clause(question, text, act):
    from assistant.answer.yes_no import act_unstated

    assert act_unstated(question, text) == act


def test_a_required_act_no_clause_names_is_not_stated(retriever):
    answer = answer_question("支委会的会议纪要需要存档吗", retriever=retriever, llm=False)
    assert answer.text.startswith("两份标准没有规定") and "存档" in answer.text.split("\n")[0]


def test_choices_sharing_an_act_the_clause_never_names_are_not_stated():
    from assistant.answer.abstain import alternatives_unstated

    # both choices share 牵头; the clause names the bodies, not which one leads
    text = "发挥纪委和监事会监督合力，探索建立“纪检+审计”监督体制"
    assert alternatives_unstated("巡察整改是纪委牵头还是审计部门牵头", text)
    # a choice whose head word the clause says is stated, whatever else the choice adds
    assert not alternatives_unstated("这项制度要另起炉灶还是在现有基础上完善", "完善企业信息公开、厂务公开等制度")


# ---------------------------------------------------------------- the lead clause is quoted whole

def _answer_quoting(quote: str, clause_id: str, *, direct: int = 1, covered: bool = True):
    from assistant.types import Answer, Citation

    label = f"〔{clause_id}〕"
    return Answer(f"{quote}{label}。\n\n相关条款：\n- 别的条款{label}", covered,
                  (Citation(clause_id, label, quote), Citation("X-2", "〔X-2〕", "别的条款")), direct=direct)


def test_a_short_lead_clause_is_quoted_whole_and_the_related_ones_are_not():
    from assistant.answer.compose import whole_short_clauses

    texts = {"X-1": "支委会一般每月召开1次，党小组会一般每月召开1次。鼓励基层开展微党课。", "X-2": "别的条款，还有后半句。"}
    a = whole_short_clauses(_answer_quoting("党小组会一般每月召开1次", "X-1"), texts.get)
    assert a.citations[0].quote == "支委会一般每月召开1次，党小组会一般每月召开1次。鼓励基层开展微党课"
    assert a.text.startswith(a.citations[0].quote + "〔X-1〕。")
    assert a.citations[1].quote == "别的条款"  # 相关条款 stay as they were
    assert all(c.quote in texts[c.id] for c in a.citations)


@pytest.mark.parametrize("text, direct, covered", [
    ("很长的条款，" * 60 + "党小组会一般每月召开1次。", 1, True),  # a long paragraph keeps the trimmed quote
    ("支委会一般每月召开1次，党小组会一般每月召开1次。", 0, True),  # a not-stated reply's clauses are no answer
    ("支委会一般每月召开1次，党小组会一般每月召开1次。", 1, False),
])
def test_a_clause_is_not_widened_when_long_or_not_the_answer(text, direct, covered):
    from assistant.answer.compose import whole_short_clauses

    a = _answer_quoting("党小组会一般每月召开1次", "X-1", direct=direct, covered=covered)
    assert whole_short_clauses(a, {"X-1": text}.get) == a


@pytest.mark.parametrize("question, unstated", [
    ("联合党支部联合的单位家数有上限吗", "两份标准没有规定联合党支部的上限"),
    ("党小组人数上有没有封顶", "两份标准没有规定党小组的人数"),
    ("党员活动室的面积有要求吗，多少平米", "两份标准没有规定党员活动室的面积或尺寸"),
])
def test_a_bound_or_size_no_clause_gives_is_not_stated(retriever, question, unstated):
    assert answer_question(question, retriever=retriever, llm=False).text.startswith(unstated)


def test_a_bound_a_clause_does_give_is_answered(retriever):
    a = answer_question("党委成员进入董事会的人数比例有没有下限", retriever=retriever, llm=False)
    assert a.citations[0].id == "SS-2.3" and "不低于总人数的30%" in a.text.split("相关条款")[0]


def test_two_statements_of_one_short_clause_become_the_clause_once():
    from assistant.answer.compose import whole_short_clauses
    from assistant.types import Answer, Citation

    label = "〔X-1〕"
    a = Answer(f"河钢标准：甲要求{label}；乙要求{label}。\n四同步清单：丙{label.replace('X-1', 'Y-1')}。", True,
               (Citation("X-1", label, "甲要求"), Citation("X-1", label, "乙要求"), Citation("Y-1", "〔Y-1〕", "丙")),
               direct=3)
    w = whole_short_clauses(a, {"X-1": "甲要求，乙要求。", "Y-1": "丙"}.get)
    assert w.text == "河钢标准：甲要求，乙要求〔X-1〕。\n四同步清单：丙〔Y-1〕。"
    assert [c.id for c in w.citations] == ["X-1", "Y-1"] and w.direct == 2


def test_a_fact_of_the_asked_subject_and_kind_is_not_denied_for_the_retrievers_other_leaf(retriever):
    # the retriever's best leaf is the 集中轮训 clause (no deadline); the fact layer's is 新任党组织书记…半年内
    a = answer_question("刚提的支部书记上任后最迟多久得去参加集中培训", retriever=retriever, llm=False)
    assert not a.text.startswith("两份标准没有规定"), a.text
    assert a.citations[0].id == "HG-13.3" and "半年内" in a.text.split("相关条款")[0]


@pytest.mark.parametrize("question, checked", [
    ("党小组会是每月开一次还是两个月开一次", False),  # the figures are the choices asked about
    ("书记党龄要求是一年还是三年", False),  # Chinese numerals on both sides, no measure word
    ("我们党小组会今年开了4次，是多了还是少了", True),  # the unit's own figure, one side of 还是 only
])
def test_figures_offered_as_choices_are_not_checked_as_the_units_own(retriever, question, checked):
    a = answer_question(question, retriever=retriever, llm=False)
    assert ("按您给出的数字对照检查" in a.text) is checked, a.text


def test_the_clause_checked_for_the_asked_value_is_the_one_that_leads(retriever):
    # The composer's best statement (推荐人选, another subject's clause) holds the asked shape, but the lead
    # goes to the clause naming the question's subject, which states no way of choosing: not stated.
    a = answer_question("四优党员是自己报名还是组织推荐", retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定四优党员的产生方式"), a.text
    assert a.citations and a.citations[0].id == "SS-13.2"


@pytest.mark.parametrize("lead_text,best_text,keeps", [
    ("每年开展1次基层党组织书记全覆盖培训", "党员教育培训和职业培训同步开展", True),  # 书记 and 培训 against 培训 alone
    ("党员教育培训同步开展", "每年开展1次基层党组织书记全覆盖培训", False),
    ("每年开展1次基层党组织书记培训", "党组织书记每年参加1次培训", False),  # both hold the words: retrieval decides
])
def test_the_answers_leaf_leads_over_the_best_leaf_only_with_clearly_more_of_the_questions_words(
        lead_text, best_text, keeps):
    from types import SimpleNamespace

    from assistant.answer.guard import _holds_more_words
    from assistant.corpus import load_corpus

    lead, best = SimpleNamespace(title="", text=lead_text), SimpleNamespace(title="", text=best_text)
    # the document's name says where to look; it is in no leaf and must not dilute the comparison
    assert _holds_more_words("按四同步清单，书记培训有什么要求", lead, best, load_corpus().documents) is keeps


def test_the_questions_own_words_for_its_subject_keep_the_lead_that_holds_them(retriever):
    a = answer_question("按四同步清单，书记培训有什么要求", retriever=retriever, llm=False)
    assert a.citations and a.citations[0].id == "SS-7.5", a.text


def test_a_best_leaf_scoring_next_to_nothing_does_not_take_the_lead_from_the_fact(retriever):
    # 两晒账 stands only in the checklist's title: no leaf holds the word, the retriever's first leaf
    # (score ~0.04) is noise, and the reviewed fact that defines it must lead
    a = answer_question("“两晒账”具体是指哪两本账", retriever=retriever, llm=False)
    assert a.citations and a.citations[0].id == "SS-0", a.text


def test_just_appointed_reads_as_newly_appointed(retriever):
    a = answer_question("我上个月刚当上支部书记，集中培训最晚什么时候去", retriever=retriever, llm=False)
    assert a.citations and a.citations[0].id == "HG-13.3" and "半年内" in a.citations[0].quote, a.text


def test_side_by_side_documents_put_the_retrievers_best_leaf_first():
    from assistant.answer.guard import best_first
    from assistant.types import Answer, Citation

    hg = Citation("HG-37.2", "〔河钢标准 第37条第2款〕", "用好用活党组织工作经费")
    ss = Citation("SS-12.1", "〔四同步清单 第12条①〕", "纳入企业预算")
    text = f"河钢标准：{hg.quote}{hg.label}。\n四同步清单：{ss.quote}{ss.label}。\n两份标准都有相关规定，请对照上面的原文。"
    a = Answer(text, True, (hg, ss), direct=2)
    swapped = best_first(a, "SS-12.1")
    assert [c.id for c in swapped.citations] == ["SS-12.1", "HG-37.2"]
    assert swapped.text.split("\n")[0].startswith("四同步清单：") and swapped.text.endswith("请对照上面的原文。")
    assert best_first(a, "HG-37.2") is a


@pytest.mark.parametrize("scores,dominant", [
    ((0.83, 0.15), True),
    ((0.83, 0.5), False),  # the second is close: no leaf stands out
    ((0.5, 0.1), False),  # far ahead, but not confident
    ((0.7,), True),
])
def test_a_best_leaf_dominates_when_confident_and_far_ahead(corpus, scores, dominant):
    from assistant.answer.pipeline import _dominant
    from assistant.types import Hit

    assert _dominant([Hit(corpus.get("SS-2.3"), s) for s in scores]) is dominant


@pytest.mark.parametrize("question,subject", [
    ("集体协商制度由哪个部门牵头？", "集体协商制度"),
    ("工程项目上的党组织由哪家单位牵头组建？", "建立党组织"),  # the best clause (机构图…全覆盖) names no one
])
def test_who_holds_an_activity_the_best_clause_names_without_anyone_is_not_stated(retriever, question, subject):
    # the best clause names the activity and no one who runs it: quoting it would answer another question
    a = answer_question(question, retriever=retriever, llm=False)
    assert a.text.startswith(f"两份标准没有规定{subject}的责任主体") and not a.covered


def test_a_figure_of_another_attribute_does_not_answer_who():
    from assistant.answer.facts_answer import _answers
    from assistant.answer.reading import read_question
    from assistant.corpus import load_corpus
    from assistant.facts import load_facts

    facts = load_facts()
    reading = read_question("授牌仪式由谁主办", facts, load_corpus().documents)
    yearly = next(f for f in facts.facts if f.attribute == "frequency" and "举办" in f.value)
    assert reading.attribute == "responsible" and not _answers(yearly, reading)
