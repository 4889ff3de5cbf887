"""The coverage decision combines term support with retrieval confidence; other companies are out."""

import pytest

from assistant.answer import assess_coverage, foreign_entities, term_stats
from assistant.types import Hit


@pytest.mark.parametrize("score,covered", [(0.78, True), (0.30, False)])
def test_confident_retrieval_lowers_the_bar_for_colloquial_wording(corpus, score, covered):
    q = "当党委书记需要什么资历？"  # 资历 is not a word the standards use
    c = assess_coverage(q, [Hit(corpus.get("HG-13.1"), score)])
    assert 0.33 <= c.support < 0.5
    assert c.covered is covered


def test_weak_support_is_refused_however_confident(corpus):
    c = assess_coverage("推荐一部好看的电影", [Hit(corpus.get("HG-21.1"), 0.9)])
    assert not c.covered


@pytest.mark.parametrize("q,name", [
    ("鞍钢党委班子有几个委员", "鞍钢"), ("中石化党委一年开几次会", "中石化"), ("首钢党建经费是多少", "首钢"),
])
def test_other_companies_are_named(q, name):
    assert name in foreign_entities(q, term_stats())


@pytest.mark.parametrize("q", ["河钢的党支部书记党龄要求", "我们公司党建经费应该按多少比例安排", "我们集团的支委会多久开一次",
                               "清单把党委研究党建的次数卡得多紧", "这笔钱能不能拿来买书"])  # 卡得: a verb and its particle; 钱能|不能: a modal
def test_own_company_words_are_not_foreign(q):
    assert foreign_entities(q, term_stats()) == ()


def test_words_found_but_retrieval_unconvinced_is_refused(corpus):
    # The question's words occur in the clause, but retrieval found nothing about the question.
    hit = corpus.get("SS-2.2")  # 会议 occurs in 党委会议事规则
    q = "怎么预订会议室"
    assert assess_coverage(q, [Hit(hit, 0.9)]).support >= 0.5
    assert not assess_coverage(q, [Hit(hit, 0.05)]).covered


@pytest.mark.parametrize("q", [
    "党建工作计划由谁来批",  # 由谁: the words that ask, not a person's name
    "这个系统是哪家做的",  # 哪家
    "讲的“四化”是哪四化",  # a numbered set in the standards' manner
    "这事照搬集团的做法行吗",  # a verb before 集团 names no company
    "这个做法要不要大力推广",  # a phrase of the standards' words the tagger takes for a name
    "培训能不能放到国外的大学",  # a kind of body, not a named one
])
def test_question_words_numbered_sets_and_verbs_before_group_are_not_foreign(q):
    assert foreign_entities(q, term_stats()) == ()


def test_other_kinds_of_organisation_never_occur_in_the_standards():
    from assistant.answer.terms import corpus_text, lexicon

    orgs = lexicon().other_organisations
    assert orgs and not [o for o in orgs if o in corpus_text()]


def test_a_question_about_another_kind_of_organisation_is_out_of_scope(corpus):
    c = assess_coverage("学校的党支部多久开一次支委会", [Hit(corpus.get("HG-21.1"), 0.9)])
    assert not c.covered and "学校" in c.reason


def test_a_scene_in_the_users_own_words_does_not_hide_the_clause_the_asking_clause_names(corpus):
    hit = Hit(corpus.get("HG-21.1"), 0.35)
    bare = assess_coverage("支委会一般多久开一次", [hit])
    scene = assess_coverage("我们厂去年刚改制，新来的同事想了解一下，支委会一般多久开一次", [hit])
    assert bare.covered and scene.covered
    assert scene.support == pytest.approx(bare.support, abs=0.15)


def test_a_last_clause_that_names_nothing_of_the_clause_still_refuses(corpus):
    q = "我们支部想组织一次春游，去哪个景点比较好"
    assert not assess_coverage(q, [Hit(corpus.get("HG-21.1"), 0.35)]).covered


@pytest.mark.parametrize("q", [
    "小王去年民主评议是基本合格，支部也跟他谈过了，下一步怎么处理",  # a person of the asker's own
    "什么情况下要建联合党支部？我们下面两家小子公司党员都很少",  # the scene after the question mark
    "支部连着两年考核不达标，标准要求做什么",  # one character is no name
])
def test_names_in_the_askers_own_situation_do_not_put_the_question_out_of_scope(corpus, q):
    assert assess_coverage(q, [Hit(corpus.get("HG-21.3"), 0.4)]).reason == ""


def test_a_company_the_question_asks_about_is_still_out_of_scope(corpus):
    c = assess_coverage("我们集团的做法先不说，华为的党建工作怎么考核", [Hit(corpus.get("HG-30"), 0.5)])
    assert not c.covered and "华为" in c.reason


def test_a_scene_before_the_question_lowers_the_retrieval_floor_when_the_asking_clause_is_met(corpus):
    hit = Hit(corpus.get("HG-29"), 0.15)  # below MIN_RETRIEVAL
    assert not assess_coverage("党组织多久向上级报告上年度党建工作落实情况", [hit]).covered
    scene = "上面催了好几回，我们部门最近人手紧张，党组织多久向上级报告上年度党建工作落实情况"
    assert assess_coverage(scene, [hit]).covered
    assert not assess_coverage(scene, [Hit(corpus.get("HG-29"), 0.08)]).covered


@pytest.mark.parametrize("question,kept", [
    ("评星要经过哪几个环节", {"评星", "环节"}),
    ("做一页PPT：党小组会一共开几次", {"党小组会"}),
    ("出道判断题：监事会要查哪两点", {"监事会"}),
])
def test_question_words_with_their_measure_and_the_askers_task_are_no_topic(question, kept):
    from assistant.answer.terms import key_terms

    terms = set(key_terms(question))
    assert kept <= terms
    assert not terms & {"哪几个", "哪两点", "一共", "PPT", "一页", "判断题", "出道"}


def test_words_the_standards_never_use_weigh_little_outside_the_asking_clause(corpus):
    hit = Hit(corpus.get("HG-21.5"), 0.25)
    # 围坐 is the asker's picture of the day; what is asked (商量支部的事) is the clause's 民主议事
    scene = assess_coverage("主题党日那天，想让党员们围坐一起商量支部的事，标准里有这项内容吗", [hit])
    assert scene.covered and scene.support >= 0.5


def test_a_last_clause_that_names_nothing_asks_about_the_clause_before_it(corpus):
    # 可以吗 names nothing: 主题党日想围坐一起商量支部的事 is where the question asks; 订单 is the scene
    c = assess_coverage("我们分厂夏天订单多，主题党日想围坐一起商量支部的事，可以吗", [Hit(corpus.get("HG-21.5"), 0.4)])
    assert c.covered and c.support >= 0.4


def test_a_question_naming_its_document_is_covered_by_a_weaker_match(corpus):
    # 党务信息 / 小程序 are the asker's words; the clause on the platform shares only part of them
    q, leaf = "自己做个小程序管党务信息可以吗", corpus.get("HG-8.3")
    plain = assess_coverage(q, [Hit(leaf, 0.15)])
    named = assess_coverage(q, [Hit(leaf, 0.15)], named_document=True)
    assert not plain.covered and plain.support >= 0.2
    assert named.covered


def test_naming_a_document_does_not_cover_a_thing_neither_mentions(corpus):
    # 公积金 is a word neither document uses: naming 河钢标准 does not make the standards speak of it
    q = "员工公积金按什么标准交"
    c = assess_coverage(q, [Hit(corpus.get("HG-19.2"), 0.15)], named_document=True)
    assert not c.covered


def test_a_latin_word_the_standards_use_is_a_key_term(retriever):
    from assistant.answer import answer_question
    from assistant.answer.terms import key_terms

    assert "O2O" in key_terms("O2O模式怎么理解")
    a = answer_question("O2O模式怎么理解", retriever=retriever, llm=False)
    assert a.covered and a.citations[0].id == "SS-11.1", a.text


def test_the_not_covered_reply_quotes_the_question_as_the_user_wrote_it(retriever):
    from assistant.answer import answer_question

    # the document's name is cut out to search; the reply must not show the gap it leaves (…比赛， 在这上面)
    a = answer_question("厂里想办插花比赛，清单在这上面有什么说法", retriever=retriever, llm=False)
    assert not a.covered and "插花比赛，清单在这上面" in a.text, a.text


def test_the_quoted_question_has_no_gaps_left_by_a_rewrite():
    from assistant.answer.compose import question_topic

    assert question_topic("先锋模范岗是动态管理  里 活动叫啥") == "先锋模范岗是动态管理 里 活动叫啥"
    assert question_topic("想办培训班， 在培训内容上") == "想办培训班，在培训内容上"


@pytest.mark.parametrize("q,name", [
    ("《工会法》对工会主席的产生有什么规定", "《工会法》"),
    ("那证券法里对信息披露怎么说", "证券法"),
    ("劳动合同法里年休假多少天", "劳动合同法"),
    ("民法典怎么讲的", "民法典"),
    ("按照《公司法》，党组织在公司治理里是什么地位", ""),  # a basis the question sets, not what it asks
    ("《中国共产党发展党员工作细则》里规定了多少个步骤", ""),  # a document the standards cite
    ("这个做法符合规定吗", ""),
    ("支部按什么方法评议党员", ""),
])
def test_a_document_other_than_the_standards_asked_what_it_says(q, name):
    from assistant.answer.coverage import outside_document

    assert outside_document(q) == name


def test_a_question_about_what_an_outside_law_says_is_not_answered_from_the_standards(corpus):
    c = assess_coverage("《工会法》对工会主席的产生有什么规定", [Hit(corpus.get("SS-2.3"), 0.9)])
    assert not c.covered and "《工会法》" in c.reason
