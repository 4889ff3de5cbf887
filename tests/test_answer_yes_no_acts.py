"""A yes/no question asks whether something is required; a clause that never names it does not answer it."""

from assistant.answer import answer_question
from assistant.answer.yes_no import asked_nouns, asks_whether_act, nouns_unstated


def test_an_act_asked_in_either_or_form_is_a_yes_no_whatever_else_is_named():
    assert asks_whether_act("这个固定日期要不要报上级党委备案？")
    assert not asks_whether_act("备案要在几天内完成")  # the act is the subject of a 时限 ask


def test_the_nouns_of_the_asked_phrase_leave_out_words_of_manner():
    assert asked_nouns("年初向上级党组织报告上年度党建工作，要不要附上佐证材料？") == ["佐证", "材料"]
    assert "专门" not in asked_nouns("党委要不要专门配一个专职组织员")
    assert asked_nouns("支委会多久开一次") == []


def test_nouns_the_clause_never_names_are_unstated():
    text = "党组织每年年初向上级党组织报告上年度党建工作落实情况"
    assert nouns_unstated(["佐证", "材料"], set(), text)
    assert not nouns_unstated(["组织员"], set(), "各级党委应配备专职组织员和智慧党建系统管理员")
    assert not nouns_unstated(["党组织"], {"党组织"}, text)  # the subject's own name is no asked thing


def test_a_yes_no_on_a_thing_never_named_is_not_stated(retriever):
    a = answer_question("年初向上级党组织报告上年度党建工作，要不要附上佐证材料？", retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定")


def test_a_yes_no_the_clause_answers_keeps_its_answer(retriever):
    a = answer_question("党委要不要专门配一个专职组织员", retriever=retriever, llm=False)
    assert "没有规定" not in a.text and a.citations[0].id == "HG-36.2"
