"""Multi-turn: follow-ups rewritten from earlier turns; source questions answered from citations."""

import pytest

from assistant.answer import Conversation, rewrite_query
from assistant.types import Answer, Citation, Turn


def turn(question, quote, cid="HG-21.1", label="〔河钢标准 第21条第1款〕"):
    return Turn(question, question, Answer("x", True, (Citation(cid, label, quote),)))


@pytest.mark.parametrize("prev,quote,follow,expected", [
    ("支委会多久开一次？", "支委会一般每月召开1次", "那党小组会呢？", "党小组会多久开一次？"),
    ("一年要开几次民主生活会", "每年至少召开1次领导班子民主生活会", "那组织生活会呢", "一年要开几次组织生活会"),
    ("党建经费按什么比例提取？", "一般按照职工工资总额1%的比例安排", "那专职党务人员呢？", "专职党务人员按什么比例提取？"),
    # the asker's own description and the document's name are no topic to replace; 要多少 asks the same value
    ("我是二级单位的党委书记，河钢对书记的集中培训学时要求一年多少？", "基层党组织书记每年接受集中学习培训累计时间不少于56学时",
     "那普通党员要多少", "我是二级单位的党委书记，河钢对普通党员的集中培训学时要求一年多少？"),
    ("四同步清单对党委委员人数怎么定", "原则上大中型企业各设党委委员、董事会成员7-9人", "那监事会成员呢",
     "四同步清单对监事会成员人数怎么定"),
])
def test_elliptic_follow_up_replaces_the_topic(prev, quote, follow, expected):
    rw = rewrite_query(follow, [turn(prev, quote)])
    assert rw.kind == "elliptic" and rw.query == expected


@pytest.mark.parametrize("follow,kind", [("这是哪份文件规定的？", "source"), ("具体是第几条？", "clause"),
                                         ("出处是什么", "source"), ("这段写在标准哪部分", "clause"),
                                         ("上面这个要求在清单哪一块", "clause"), ("它在哪个章节", "clause")])
def test_source_follow_ups_reuse_the_previous_query(follow, kind):
    rw = rewrite_query(follow, [turn("支委会多久开一次？", "支委会一般每月召开1次")])
    assert (rw.kind, rw.query) == (kind, "支委会多久开一次？")


def refusal(question, listed=()):
    return Turn(question, question, Answer("两份标准中没有找到直接回答这一问题的条款。", False, tuple(listed)))


@pytest.mark.parametrize("follow", ["这句在清单里原文怎么写", "出处是哪", "具体是第几条？"])
@pytest.mark.parametrize("listed", [(), (Citation("HG-13.2", "〔河钢标准 第13条第2款〕", "注重从优秀党务工作者…"),)])
def test_where_from_after_answers_that_cited_nothing_names_no_source(follow, listed):
    from assistant.answer.pipeline import answer_question

    history = [refusal("厂长兼书记，清单鼓励吗", listed)]
    assert rewrite_query(follow, history).kind == "uncited"
    a = answer_question(follow, history=history, llm=False)
    assert "没有找到直接回答问题的条款" in a.text
    if listed:  # where the clauses it listed for comparison come from, said to be no answer
        assert [c.id for c in a.citations] == ["HG-13.2"] and "不是对那个问题的规定" in a.text and "第13条" in a.text
    else:
        assert not a.covered and not a.citations and "没有出处" in a.text


@pytest.mark.parametrize("question", ["党小组会多久开一次？", "那党小组会呢？", "具体是第几条？"])
def test_without_history_nothing_is_rewritten(question):
    assert rewrite_query(question, []).kind == "new"


def test_a_full_new_question_is_not_taken_for_a_follow_up():
    rw = rewrite_query("党委书记需要从事党务工作多少年？", [turn("支委会多久开一次？", "支委会一般每月召开1次")])
    assert rw.kind == "new"


def test_conversation_understands_follow_ups(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("支委会多久开一次？")
    assert "每月召开1次" in first.text
    second = conv.ask("那党小组会呢？")
    assert conv.turns[1].query == "党小组会多久开一次？"
    # the short 三会一课 clause is quoted whole, so its lead holds the 党小组会 frequency
    assert second.citations[0].id == "HG-21.1"
    assert "党小组会一般每月召开1次" in second.citations[0].quote
    which = conv.ask("这是哪份文件规定的？")
    assert "河钢集团党建工作质量提升执行标准" in which.text
    assert [c.id for c in which.citations][:1] == ["HG-21.1"]
    clause = conv.ask("具体是第几条？")
    assert "〔河钢标准 第21条第1款〕" in clause.text and "HG-21.1" in clause.text
    assert len(conv.turns) == 4


def test_conversations_do_not_share_turns(retriever):
    a, b = Conversation(retriever=retriever, llm=False), Conversation(retriever=retriever, llm=False)
    a.ask("支委会多久开一次？")
    assert b.turns == [] and rewrite_query("那党小组会呢？", b.turns).kind == "new"


def test_stream_in_extractive_mode_yields_just_the_answer(retriever):
    items = list(Conversation(retriever=retriever, llm=False).stream("支委会多久开一次？"))
    assert len(items) == 1 and isinstance(items[0], Answer) and items[0].mode == "extractive"


def test_follow_up_replaces_the_term_of_the_same_kind(retriever):
    from assistant.answer import Conversation

    c = Conversation(retriever=retriever, llm=False)
    c.ask("入党几年能当支部书记？")
    c.ask("党委书记呢？")
    assert c.turns[-1].query == "入党几年能当党委书记？"


def test_follow_up_answers_from_clauses_naming_the_new_topic(retriever):
    from assistant.answer import Conversation

    c = Conversation(retriever=retriever, llm=False)
    c.ask("党建经费按什么比例安排？")
    a = c.ask("那专职党务人员呢？")
    assert a.covered and a.citations[0].id == "HG-36.1"
    assert "专职党务人员" in a.citations[0].quote


@pytest.mark.parametrize("follow", [
    "半年以后还是没有改正呢",          # a situation, not a new topic for the old question
    "那纪律处分呢，哪个文件提到了",      # a topic and a second question of its own
])
def test_a_follow_up_that_is_no_noun_phrase_is_not_spliced_into_the_previous_question(follow):
    rw = rewrite_query(follow, [turn("评议为不合格的党员怎么办", "限期改正，改正期限为1年", "HG-21.3",
                                     "〔河钢标准 第21条第3款〕")])
    assert rw.kind != "elliptic"
    assert "评议为不合格的党员怎么办" not in rw.query.replace(follow.rstrip("？?"), "")


@pytest.mark.parametrize("follow,topic", [("换成组织生活会要求是什么", "组织生活会"), ("那干得不好的呢", "干得不好的"),
                                          ("那小型企业呢", "小型企业")])
def test_a_noun_phrase_follow_up_with_a_generic_ask_is_still_elliptic(follow, topic):
    rw = rewrite_query(follow, [turn("一年要开几次民主生活会", "每年至少召开1次领导班子民主生活会")])
    assert rw.kind == "elliptic" and topic in rw.query


@pytest.mark.parametrize("follow", ["四同步清单有类似的规定吗", "四同步清单对这一点怎么写的"])
def test_a_named_document_with_a_back_reference_keeps_the_previous_topic(follow):
    rw = rewrite_query(follow, [turn("党委每年研究几次党风廉政建设", "党委班子每年至少研究2次党风廉政建设工作",
                                     "HG-31", "〔河钢标准 第31条〕")])
    assert rw.docs == ("SS",) and "党风廉政建设" in rw.query


def test_a_named_document_with_its_own_topic_is_a_new_question_of_that_document():
    rw = rewrite_query("四同步清单对党费收缴有什么要求", [turn("党委每年研究几次党风廉政建设", "党委班子每年至少研究2次党风廉政建设工作",
                                                       "HG-31", "〔河钢标准 第31条〕")])
    assert rw.kind == "new" and "党风廉政" not in rw.query


def test_a_document_named_alone_after_a_refusal_asks_the_previous_question_of_it():
    refused = Turn("按河钢的口径党费怎么收", "按河钢的口径党费怎么收", Answer("两份标准中没有找到…", False, ()))
    rw = rewrite_query("清单那边怎么说的", [refused])
    assert (rw.kind, rw.docs, rw.query) == ("other_doc", ("SS",), "按河钢的口径党费怎么收")


def test_the_other_document_after_an_answer_that_led_with_both_is_the_second():
    both = Turn("谈心谈话一年几次", "谈心谈话一年几次", Answer("x", True, (
        Citation("HG-21.4", "〔河钢标准 第21条第4款〕", "每年谈心谈话不少于1次"),
        Citation("SS-9.2", "〔四同步清单 第9条②〕", "每年谈心谈话全覆盖")), direct=2))
    assert rewrite_query("另一份文件怎么要求的", [both]).docs == ("SS",)


def test_an_item_number_question_is_a_clause_follow_up():
    assert rewrite_query("具体条目号是多少", [turn("支委会多久开一次？", "支委会一般每月召开1次")]).kind == "clause"


@pytest.mark.parametrize("follow, kind, has, lacks", [
    ("要是在国外注册的公司呢", "carry", "章程", "要是在国外注册的公司加"),  # a situation, carried with the question
    ("要是没有董事会呢", "carry", "章程", "改没有董事会"),
])
def test_a_conditional_situation_is_carried_with_the_previous_question(follow, kind, has, lacks):
    rw = rewrite_query(follow, [turn("改章程加党建内容由谁统筹", "各部门责任明晰", "HG-9.2", "〔河钢标准 第9条第2款〕")])
    assert rw.kind == kind and has in rw.query and rw.query.endswith(follow)
    assert not lacks or lacks not in rw.query


def test_the_conditional_word_is_no_part_of_a_new_topic():
    rw = rewrite_query("要是支委会呢", [turn("党小组会多久开一次", "党小组会一般每月召开1次")])
    assert "要是" not in rw.query and "支委会" in rw.query


def test_a_procedural_act_asked_after_a_subject_is_not_stated_of_that_subject(retriever):
    # 会议纪要 is a word no clause uses; asked to be required of the subject just discussed, the reply is the
    # precise "not stated" about that subject, not "nothing found"
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("支部组织生活会一年开几次")
    a = conv.ask("开完以后要不要形成会议纪要")
    assert a.text.startswith("两份标准没有规定") and a.citations and a.citations[0].id == "HG-21.2", a.text


def test_a_pointing_follow_up_is_answered_by_the_clause_pointed_at_when_it_holds_the_asked_kind(retriever):
    # 这个班归哪一级来办 shares no word with the clause just shown, but that clause names who runs it
    conv = Conversation(retriever=retriever, llm=False)
    first = conv.ask("新任党组织书记多长时间内要参加集中培训")
    assert first.citations and first.citations[0].id == "HG-13.3", first.text
    a = conv.ask("这个班由哪一级来办")
    assert a.citations and a.citations[0].id == "HG-13.3" and "子分公司或集团" in a.text, a.text


def test_a_yes_no_follow_up_about_something_no_clause_names_is_not_stated_of_the_subject(retriever):
    # 家属旁听 is in no clause: asked whether it is allowed at the meeting just discussed, the reply says the
    # standards do not state it and shows what they say about that meeting (not as the answer)
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("党小组会多久开一次？")
    a = conv.ask("开会时能带家属旁听吗？")
    assert a.text.startswith("两份标准没有规定") and not a.covered, a.text
    assert a.citations and a.citations[0].id == "HG-21.1"


def test_a_document_named_before_the_new_topic_is_where_to_look_not_part_of_the_topic(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("河钢要求领导干部理论学习多久搞一次？")
    a = conv.ask("清单里中心组呢？")
    assert "清单" not in conv.turns[-1].query and "中心组" in conv.turns[-1].query
    assert a.citations and a.citations[0].id.startswith("SS-") and "每季度至少开展1次" in a.text
