"""Follow-ups that carry the previous subject, and new questions that must not inherit it."""

import pytest

from assistant.answer import Conversation


def test_a_subjectless_follow_up_carries_the_previous_subject(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("云平台的系统管理员换了人，得多少天内报备")
    conv.ask("向谁报备？")
    assert "系统管理员" in conv.turns[-1].query and conv.turns[-1].query.endswith("向谁报备？")


def test_a_new_short_question_with_its_own_topic_does_not_inherit_the_subject(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("党小组长一届干多久")
    a = conv.ask("单位停车场怎么收费？")
    assert conv.turns[-1].query == "单位停车场怎么收费？"
    assert not a.covered and "党小组长" not in a.text


def test_a_subjectless_who_follow_up_is_answered_from_the_previous_lead_clause(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("平台系统管理员调整后最晚几天要报备")
    a = conv.ask("那应该报给哪一级")
    assert a.covered and a.citations[0].id == first.citations[0].id
    assert "上级党组织" in a.text.split("相关条款")[0]


def test_a_more_follow_up_lists_other_clauses_than_the_previous_lead(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("党风廉政建设党委每年研究几次")
    a = conv.ask("党风廉政方面还有其他要求吗")
    assert a.covered and a.text.startswith("还有这些规定")
    assert {c.id for c in a.citations} - {first.citations[0].id}  # another clause, not only the same one's rest
    shown = {c.quote for c in first.citations[:first.direct]}
    assert not shown & {c.quote for c in a.citations}  # nothing the first answer already quoted


def test_a_follow_up_pointing_back_is_answered_from_the_previous_clause(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("80后干部在企业班子里要配几名")
    a = conv.ask("这项计划的名称是什么")
    assert a.covered and a.citations[0].id == first.citations[0].id
    assert "翱翔计划" in a.citations[0].quote


@pytest.mark.parametrize("first_q,first_doc,follow,other_doc,said", [
    ("四同步清单对职工代表大会有什么要求", "SS", "另一份标准对关心关爱职工有什么要求", "HG", ("职工",)),  # a topic of its own
    ("河钢标准说发展党员要注重哪些人", "HG", "另一份有没有比例要求", "SS", ("发展党员", "%")),  # only an attribute:
])                                                                                     # the previous subject
def test_the_other_document_asked_about_a_topic_or_an_attribute(retriever, first_q, first_doc, follow, other_doc, said):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask(first_q)
    assert first.citations[0].id.startswith(first_doc)
    a = conv.ask(follow)
    assert a.covered and a.citations[0].id.startswith(other_doc)
    assert all(w in a.citations[0].quote for w in said)


def test_a_more_follow_up_does_not_repeat_the_statement_already_given(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("新任党组织书记多久之内要参加集中培训")
    a = conv.ask("书记培训方面还有其他规定吗")
    shown = first.citations[0].quote
    assert a.covered and all(c.quote != shown for c in a.citations)


def test_an_elliptic_follow_up_about_another_part_of_a_short_clause_is_led_by_that_clause(retriever, corpus):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("党组织书记考核优秀的怎么奖励")
    a = conv.ask("那考核结果较差的书记呢")
    # the clause is short, so both answers quote it whole: the second holds what the follow-up asks
    assert a.covered and a.citations[0].id == first.citations[0].id == "HG-35.3"
    assert "约谈" in a.citations[0].quote and a.citations[0].quote in corpus.get("HG-35.3").text


def test_the_other_document_already_quoted_is_restated_not_searched_again(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("党委每年研究党风廉政建设最少几次")
    quoted = [c for c in first.citations[:first.direct] if c.id.startswith("SS")]
    assert quoted  # both documents state it, side by side
    a = conv.ask("那四同步清单怎么规定的")
    assert a.covered and a.citations[0] == quoted[0]


def test_a_follow_up_about_the_situation_just_described_answers_from_that_clause(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("经理层出缺以后原则上用什么办法选人")
    a = conv.ask("这样的话党组织还要不要过问")
    assert a.covered and a.citations[0].id == first.citations[0].id


def test_the_other_document_on_a_similar_topic_keeps_the_previous_topic(retriever):
    from assistant.answer.followups import rewrite_query

    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("河钢标准里领导班子成员每年向党委报告什么")
    rw = rewrite_query("另一份标准里类似的报告怎么规定", conv.turns)
    assert rw.docs == ("SS",) and "领导班子成员" in rw.query


def test_a_follow_up_that_asks_a_whole_question_is_not_a_new_topic_for_the_old_one():
    from assistant.answer.followups import rewrite_query
    from assistant.types import Answer, Turn

    prev = Turn("党员教育管理体系从哪几块搭起来", "党员教育管理体系从哪几块搭起来", Answer("……", True))
    rw = rewrite_query("那党员培训计划多久定一次", [prev])
    assert rw.kind != "elliptic" and "党员教育管理体系从哪几块" not in rw.query


def test_by_the_way_is_not_the_other_document():
    from assistant.answer.followups import rewrite_query
    from assistant.types import Answer, Citation, Turn

    prev = Turn("四同步清单对党建经费怎么要求", "四同步清单对党建经费怎么要求",
                Answer("……", True, (Citation("SS-12.1", "〔四同步清单 第12条①〕", "……", True),), direct=1))
    assert rewrite_query("另外问一下，党员活动室要有几个", [prev]).docs == ()
    assert rewrite_query("另一份标准对党员活动室怎么说", [prev]).docs == ("HG",)


def test_a_where_from_follow_up_about_two_answers_names_both_clauses(retriever):
    c = Conversation(retriever=retriever, llm=False)
    first = c.ask("支委会多久开一次")
    second = c.ask("党费收缴有什么要求")
    assert first.citations and second.citations
    a = c.ask("这两项分别在哪一条")
    ids = {x.id for x in a.citations}
    assert first.citations[0].id in ids and second.citations[0].id in ids
    single = c.ask("这条是哪一条")
    assert {x.id for x in single.citations} <= {x.id for x in c.turns[-2].answer.citations}


def test_a_where_from_follow_up_that_points_back_is_one_whatever_else_it_says(retriever):
    c = Conversation(retriever=retriever, llm=False)
    first = c.ask("四同步清单对党建经费比例怎么规定")
    a = c.ask("我要写进汇报材料里，麻烦告诉我它在清单里的条目编号")
    assert a.citations and a.citations[0].id == first.citations[0].id
    assert "上一个回答依据的具体条款" in a.text


def test_a_where_from_follow_up_naming_a_document_finds_the_answer_that_led_with_it(retriever):
    c = Conversation(retriever=retriever, llm=False)
    hg = c.ask("河钢标准里支委会多久开一次")
    c.ask("四同步清单对党建经费比例怎么规定")
    a = c.ask("一开始说的河钢那条是第几条")
    assert hg.citations[0].id.startswith("HG-")
    assert [x.id for x in a.citations][:1] == [hg.citations[0].id]


def test_a_follow_up_naming_a_topic_of_its_own_does_not_carry_the_previous_subject(retriever):
    c = Conversation(retriever=retriever, llm=False)
    c.ask("云平台的系统管理员换了人，得多少天内报备")
    c.ask("河钢标准在人才工作上坚持什么原则")
    assert "系统管理员" not in c.turns[-1].query


def test_a_follow_up_the_standards_do_not_answer_is_said_not_stated_of_the_conversations_subject(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("先锋模范岗授牌仪式多久办一次")
    answer = conv.ask("获奖名单要公示几天")
    assert answer.text.startswith("两份标准没有规定先锋模范岗")
    assert not answer.covered


def test_the_previous_subject_is_offered_only_to_a_new_question_of_the_conversation():
    from assistant.answer import rewrite_query
    from assistant.types import Answer, Citation, Turn

    prev = Turn("先锋模范岗授牌仪式多久办一次", "先锋模范岗授牌仪式多久办一次",
                Answer("x", True, (Citation("HG-26", "〔河钢标准 第26条〕", "每年举办一次先锋模范岗授牌仪式"),)))
    assert rewrite_query("获奖名单要公示几天", [prev]).prior_subject.startswith("先锋模范岗")
    assert rewrite_query("获奖名单要公示几天", []).prior_subject == ""


def test_a_more_follow_up_naming_a_topic_of_its_own_lists_clauses_on_that_topic(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("四同步清单对党员领导干部上党课有次数要求吗")
    a = conv.ask("党课还有啥别的要求")
    assert a.covered and a.text.startswith("还有这些规定")
    assert all("党课" in c.quote or "党课" in retriever.corpus.get(c.id).text for c in a.citations)


def test_what_follows_a_set_aside_names_what_else_is_asked(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("清单里优秀企业家多久评选表扬一次")
    a = conv.ask("除了评选，人才方面清单还提了哪些")
    assert a.covered and a.text.startswith("还有这些规定")
    assert all(c.id.startswith("SS") for c in a.citations)
    assert any("人才" in retriever.corpus.get(c.id).text for c in a.citations)


@pytest.mark.parametrize("question,topic", [
    ("还有别的要求吗", ""),
    ("平台这块还有别的规定没", "平台"),
    ("廉政方面其他还要做啥", "廉政"),
    ("关于章程，另外还有啥要注意的", "章程"),
    ("还有呢？", ""),  # the bare "and else?": the previous topic goes on
    ("其他的呢", ""),
])
def test_the_topic_of_a_what_else_follow_up_is_what_its_asking_words_leave(question, topic):
    from assistant.answer.followups import MORE, more_topic

    assert MORE.search(question) and more_topic(question) == topic


def test_a_concept_named_like_a_document_and_pointed_at_is_that_document():
    from assistant.answer.reading import mentioned_documents
    from assistant.corpus import load_corpus

    docs = load_corpus().documents
    assert mentioned_documents("四同步那边是怎么定的", docs) == ("SS",)
    assert mentioned_documents("四同步指的是哪四个同步", docs) == ()  # the set both documents define


def test_a_question_put_to_one_document_that_it_does_not_answer_says_so_of_that_document(retriever):
    from assistant.answer import answer_question

    a = answer_question("四同步清单对职工食堂的菜单怎么规定", retriever=retriever, llm=False)
    assert not a.covered and a.text.startswith("四同步清单中没有找到")


def test_a_new_topic_with_its_own_modifier_replaces_the_old_modifier_too(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("班子的民主生活会一年起码开几次")
    conv.ask("支部的组织生活会呢")
    assert "班子" not in conv.turns[-1].query and "支部的组织生活会" in conv.turns[-1].query


def test_a_subjectless_when_follow_up_carries_the_conversations_subject(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("支部组织生活会每年至少开几次")
    a = conv.ask("一般放在哪段时间")
    assert "组织生活会" in conv.turns[-1].query
    assert a.covered and "第四季度" in a.citations[0].quote


def test_a_short_case_of_the_previous_question_carries_it():
    from assistant.answer.followups import rewrite_query
    from assistant.types import Answer, Citation, Turn

    cited = Answer("…", True, (Citation("HG-6.1", "〔河钢标准 第6条第1款〕", "凡是正式党员不超过3人的，合理建立联合党支部"),),
                   "extractive", direct=1)
    prev = Turn("正式党员只有两个的单位怎么建组织", "正式党员只有两个的单位怎么建组织", cited)
    rw = rewrite_query("要是建不起来呢", [prev])
    assert rw.kind == "carry" and rw.query.startswith("正式党员只有两个的单位")


def test_a_leading_then_is_no_part_of_a_new_question():
    from assistant.answer.followups import rewrite_query
    from assistant.types import Answer, Turn

    prev = Turn("党委每年研究几次党风廉政", "党委每年研究几次党风廉政", Answer("两份标准中没有找到…", False, (), "extractive"))
    assert rewrite_query("那述职述廉报告哪个月交", [prev]).query == "述职述廉报告哪个月交"


def test_a_named_document_asked_about_this_keeps_the_previous_topic():
    from assistant.answer.other_document import SAME_TOPIC

    assert SAME_TOPIC.search("清单对这个有比例要求吗") and not SAME_TOPIC.search("这个月要开几次")


@pytest.mark.parametrize("follow", ["这段话是第几条的内容", "这是两份文件里哪一份规定的"])
def test_a_where_from_follow_up_with_asking_verbs_is_answered_from_the_previous_answer(retriever, follow):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("支委会一般多久开一次")
    a = conv.ask(follow)
    assert conv.turns[-1].query == "支委会一般多久开一次"  # no new search under the follow-up's words
    assert a.text.startswith("上一个回答依据的") and a.citations[0].id == first.citations[0].id


def test_a_named_document_asked_only_an_attribute_keeps_the_previous_topic():
    from assistant.answer.followups import rewrite_query
    from assistant.types import Answer, Citation, Turn

    asked = "河钢标准里党委每年研究党风廉政建设工作几次"
    prev = Turn(asked, asked,
                Answer("党委班子每年至少研究2次党风廉政建设工作〔河钢标准 第31条〕。", True,
                       (Citation("HG-31", "〔河钢标准 第31条〕", "党委班子每年至少研究2次党风廉政建设工作", True),),
                       "extractive", direct=1))
    rw = rewrite_query("清单那边对次数的要求一样吗", [prev])
    assert rw.docs == ("SS",) and "党风廉政" in rw.query


@pytest.mark.parametrize("query,display,phrase", [
    ("班子里其他领导干部落实一岗双责的情况该向谁汇报", "班子", "班子里其他领导干部落实一岗双责的情况"),
    ("章程改好以后得保存哪些东西", "章程", "章程"),  # 得保存 is the predicate, not part of the subject
    ("青年职工对群团组织有什么要求", "青年职工", "青年职工"),  # two topics, not one phrase
    ("每年班子成员交述职报告放在啥时候", "班子成员", "班子成员交述职报告"),  # the asking verb 放 goes
    ("四同步清单里的四融合指什么", "四同步清单", "四同步清单"),  # X里的Y: Y is another subject
])
def test_a_carried_subject_is_the_phrase_before_the_asking_words_when_it_ends_in_a_noun(query, display, phrase):
    from assistant.answer.reading import subject_phrase

    assert subject_phrase(query, display) == phrase


def test_a_follow_up_asking_a_value_the_statement_just_shown_holds_gets_that_statement(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("其他党员领导干部落实一岗双责的情况向谁报告")
    a = conv.ask("隔多久报一次")
    assert a.citations[0].quote == first.citations[0].quote and "每年" in a.citations[0].quote


def test_a_case_put_as_a_condition_carries_the_whole_previous_question():
    from assistant.answer.followups import rewrite_query
    from assistant.types import Answer, Citation, Turn

    asked = "谈话后限期改正的党员会怎么样"
    prev = Turn(asked, asked, Answer("要由支部书记对其进行谈话〔河钢标准 第21条第3款〕。", True,
                                     (Citation("HG-21.3", "〔河钢标准 第21条第3款〕", "要由支部书记对其进行谈话", True),),
                                     "extractive", direct=1))
    rw = rewrite_query("要是到期了还是没有改好呢", [prev])
    assert rw.kind == "carry" and rw.query.startswith(asked)


def test_the_words_that_ask_a_time_are_no_new_topic():
    from assistant.answer.followups import _names_new_topic

    assert not _names_new_topic("放在哪个时段开")  # 时段 asks when
    assert _names_new_topic("食堂哪个时段开")  # 食堂 is a topic of its own


def test_a_set_named_by_its_count_replaces_the_set_named_by_a_count():
    from assistant.answer.followups import substitute_topic
    from assistant.types import Answer

    from assistant.types import Citation

    shown = Answer("推行党建和改革同步谋划〔四同步清单 总体要求〕。", True,
                   (Citation("SS-0", "〔四同步清单 总体要求〕", "推行党建和改革同步谋划、领导班子和党务干部同步配备", True),),
                   "extractive", direct=1)
    # the words the quote shares (标题, 同步) are not what the follow-up replaces
    assert substitute_topic("文件标题里那个“四同步”具体指哪几件事", "四融合", shown) == "文件标题里那个“四融合”具体指哪几件事"


@pytest.mark.parametrize("follow", ["清单又是按什么口径配的", "四同步那边以什么为基数"])
def test_a_document_asked_how_it_reckons_is_asked_of_the_previous_subject_not_its_figure(retriever, follow):
    # the share asked first is not what the follow-up asks: 清单 measures staff by 编制, not by a share
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("河钢标准里专职党务人员得占到职工的多少")
    assert first.citations[0].id.startswith("HG")
    a = conv.ask(follow)
    assert a.covered and a.citations[0].id.startswith("SS") and "编制" in a.text.split("相关条款")[0]
    assert not a.text.startswith("四同步清单没有规定")


def test_a_follow_up_pointing_back_at_something_unstated_is_not_stated_of_the_conversations_subject(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("党组织工作经费按工资总额的多少安排")
    a = conv.ask("这笔钱能不能给支部添置一台打印机")
    assert a.text.startswith("两份标准没有规定") and "没有找到" not in a.text
    assert "党组织工作经费" in a.text or "经费" in a.text.split("\n")[0]


def test_pointing_words_and_具体_name_no_topic_of_their_own(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("主题党日多久搞一回")
    a = conv.ask("那天具体安排些什么内容")
    assert conv.turns[-1].query.startswith("主题党日")  # carried, not a new question about 那天
    assert a.covered and "重温入党誓词" in a.text.split("相关条款")[0]


def test_the_then_of_那天_is_no_elliptic_then():
    from assistant.answer.followups import rewrite_query
    from assistant.types import Answer, Citation, Turn

    asked = "主题党日多久搞一回"
    prev = Turn(asked, asked, Answer("党支部每月相对固定一天开展主题党日〔河钢标准 第21条第5款〕。", True,
                                     (Citation("HG-21.5", "〔河钢标准 第21条第5款〕", "党支部每月相对固定一天开展主题党日", True),),
                                     "extractive", direct=1))
    rw = rewrite_query("那天具体安排啥内容", [prev])
    assert rw.kind != "elliptic" and not rw.query.startswith("天")


def test_a_case_the_previous_question_meets_is_no_new_topic(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("当支部书记对党龄有什么要求")
    a = conv.ask("碰上特殊情况呢")
    assert "书记" in conv.turns[-1].query and conv.turns[-1].query != "碰上特殊情况呢"
    assert a.covered and "特殊情况不少于1年" in a.text.split("相关条款")[0]


def test_a_where_from_follow_up_with_words_about_looking_it_up_is_one(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("支委会一般多久开一次")
    a = conv.ask("我想去查原文，翻到河钢的哪一条")
    assert a.citations and a.citations[0].id == first.citations[0].id and "第21条" in a.text


def test_turning_to_look_at_the_other_document_asks_it_the_previous_subject(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("河钢标准里党组织工作经费按工资总额的多少安排")
    a = conv.ask("换到四同步那边去看，比例呢")
    assert a.covered and a.citations[0].id.startswith("SS") and "0.5%-2%" in a.text.split("相关条款")[0]


@pytest.mark.parametrize("follow", ["那条原文在哪能查到", "想翻原文的话去哪份文件找"])
def test_where_to_look_it_up_asks_where_the_answer_comes_from(retriever, follow):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("党小组按什么原则划分")
    a = conv.ask(follow)
    assert a.covered and a.citations and a.citations[0].id == first.citations[0].id
    assert "河钢" in a.text


# A follow-up that turns to the other document is searched there with the conversation's own questions: its
# own words (这部分人, 拿什么做参照, 给的次数) rarely name the matter; the questions before it do.
@pytest.mark.parametrize("first, follow_up, leaf, value", [
    ("按河钢标准，发展党员要注重从哪些人里发展", "清单对这部分人的比例有没有硬杠杠", "SS-11.2", "20%"),
    ("河钢对专职党务人员的人数比例怎么要求", "清单那边拿什么做参照", "SS-7.1", "平均编制数"),
    ("河钢标准要求党委一年研究几次党风廉政建设", "四同步清单给的次数是多少", "SS-1.3", "不少于2次"),
])
def test_a_follow_up_turning_to_the_other_document_finds_its_counterpart(retriever, first, follow_up, leaf, value):
    conv = Conversation(retriever=retriever, llm=False)
    assert conv.ask(first).citations[0].id.startswith("HG-")
    a = conv.ask(follow_up)
    assert a.covered and a.citations[0].id == leaf
    assert value in a.text.split("相关条款")[0]


def test_only_a_turn_to_another_document_searches_with_the_conversation():
    from assistant.answer.followups import Rewrite, turned_document
    from assistant.types import Answer, Citation, Turn

    cited = Answer("…", True, (Citation("HG-36.1", "〔河钢标准 第36条第1款〕", "专职党务人员"),), direct=1)
    history = [Turn("专职党务人员配多少", "专职党务人员配多少", cited)]
    assert turned_document("清单那边拿什么做参照", Rewrite("清单那边拿什么做参照", "new"), history) == ("SS",)
    assert turned_document("河钢那边拿什么做参照", Rewrite("河钢那边拿什么做参照", "new"), history) == ()
    assert turned_document("这是哪一条", Rewrite("专职党务人员配多少", "source"), history) == ()
    assert turned_document("清单那边呢", Rewrite("清单那边呢", "new"), []) == ()
    both = Answer("…", True, (cited.citations[0], Citation("SS-7.1", "〔四同步清单 第7条①〕", "平均编制数")), direct=2)
    side_by_side = [Turn("专职党务人员配多少", "专职党务人员配多少", both)]
    assert turned_document("清单那边拿什么做参照", Rewrite("清单那边拿什么做参照", "new"), side_by_side) == ("SS",)


@pytest.mark.parametrize("follow_up", ["这话出自哪一条，我要写进会议纪要", "我要在课件上注明依据，该引哪一条",
                                       "这道题的出处我要标上，是第几条", "出自哪一条，我写总结要用"])
def test_a_where_from_follow_up_with_the_askers_own_purpose_is_answered_from_the_previous_answer(retriever, follow_up):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("党支部多久开展一次主题党日")
    a = conv.ask(follow_up)
    assert conv.turns[-1].query == conv.turns[0].query  # the previous question, not a new search
    assert a.citations and a.citations[0].id == first.citations[0].id


def test_a_new_question_asking_a_basis_in_the_first_person_is_not_a_where_from_follow_up(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("党支部多久开展一次主题党日")
    conv.ask("我想知道党费收缴的依据是什么")
    assert "党费" in conv.turns[-1].query


def test_the_asked_part_of_a_clause_quoted_whole_is_the_segment_holding_the_questions_words():
    from assistant.answer.followups import asked_parts
    from assistant.types import Citation

    quote = "建立党员先锋模范岗动态管理机制，每年举办一次先锋模范岗授牌仪式，大力宣传模范岗党员先进典型事迹"
    (part,) = asked_parts((Citation("HG-26", "〔河钢标准 第26条〕", quote, True),), "先锋模范岗的授牌仪式多久办一回")
    assert part.quote == "每年举办一次先锋模范岗授牌仪式"
    (whole,) = asked_parts((Citation("HG-26", "", "每年举办一次先锋模范岗授牌仪式", True),), "授牌仪式多久办一回")
    assert whole.quote == "每年举办一次先锋模范岗授牌仪式"  # one segment: nothing to narrow


def test_what_else_after_a_clause_quoted_whole_gives_its_other_parts_not_the_asked_one_again(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("先锋模范岗的授牌仪式多久办一回")
    assert first.citations[0].id == "HG-26"
    a = conv.ask("授牌以后还有什么别的要求")
    assert a.covered and a.text.startswith("还有这些规定")
    own = [c.quote for c in a.citations if c.id == "HG-26"]
    assert own and not any("授牌仪式" in q for q in own)  # the rest of the clause, not the clause again


@pytest.mark.parametrize("follow", ["这一条里还说了什么", "同一条中还提到哪些"])
def test_what_else_of_the_same_clause_stays_in_that_clause(retriever, follow):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("清单要求党委成员进入董事会的比例不低于多少")
    lead = first.citations[0].id
    assert lead == "SS-2.3"
    a = conv.ask(follow)
    assert a.covered and a.citations and {c.id for c in a.citations} == {lead}
    assert not any("30%" in c.quote for c in a.citations)


def test_a_follow_up_found_nowhere_on_its_own_words_is_asked_as_a_case_of_the_previous_question(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("给职工讲形势任务，河钢要求多久一次")
    a = conv.ask("最后要落到啥上")
    assert conv.turns[-1].query.startswith(conv.turns[0].query)
    assert a.covered and a.citations[0].id == first.citations[0].id == "HG-19.1"


@pytest.mark.parametrize("follow", ["职工食堂晚上几点关门", "个税怎么交", "培训在哪个酒店办"])
def test_a_follow_up_about_a_thing_the_standards_never_name_stays_not_covered(retriever, follow):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("新任党组织书记多长时间内要参加集中培训")
    a = conv.ask(follow)
    assert not a.covered and not a.citations and conv.turns[-1].query == follow


def test_a_define_follow_up_naming_its_own_term_is_not_read_as_the_previous_one(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("清单里提到的一肩挑都有哪些")
    conv.ask("那“精益六西格玛”是什么意思")
    assert "一肩挑" not in conv.turns[-1].query  # a term of its own, which the standards never use


def test_a_question_to_the_assistant_after_an_answer_is_not_taken_as_a_case_of_it(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("主题党日多久开展一次")
    a = conv.ask("你是哪家公司做的")
    assert not a.covered and not a.citations


def test_the_other_document_asked_for_its_bound_is_the_previous_question_of_that_document(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("河钢要求党委每年研究几次党风廉政建设")
    assert first.citations[0].id.startswith("HG")
    a = conv.ask("那四同步清单给的下限是多少")  # 下限 asks the bound, it names no topic of its own
    assert a.covered and a.citations[0].id.startswith("SS") and "2次" in a.citations[0].quote


def test_a_fact_of_the_broader_subject_is_not_denied_when_the_best_leaf_is_about_something_else(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("普通党员一年集中学习培训要多少学时")
    a = conv.ask("我当支部书记的，学时比普通党员高多少")
    # 56学时 is stated of every 基层党组织书记, the subject 支部书记 is filed under
    assert a.covered and not a.text.startswith("两份标准没有规定") and "56学时" in a.text


@pytest.mark.parametrize("follow", ["这件事谁来牵头", "这事由谁统筹"])
def test_a_who_follow_up_pointing_at_the_matter_just_answered_is_answered_from_its_clause(retriever, follow):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("国有相对控股企业也要把党建工作写进公司章程吗")
    a = conv.ask(follow)
    assert a.covered and a.citations[0].id == first.citations[0].id == "HG-9.2"
    assert "统一协调" in a.citations[0].quote



@pytest.mark.parametrize("previous,topic,expected", [
    ("车间排培训计划，一般党员每年要学多少学时", "支部书记", "车间排培训计划，支部书记每年要学多少学时"),
    ("分厂党委开会，班子成员多久谈一次心", "普通党员", "分厂党委开会，普通党员多久谈一次心"),
])
def test_a_person_replaces_the_person_asked_about_not_the_unit_setting_the_scene(previous, topic, expected):
    from assistant.answer.followups import substitute_topic
    from assistant.types import Answer

    assert substitute_topic(previous, topic, Answer("", True, (), "extractive")) == expected
