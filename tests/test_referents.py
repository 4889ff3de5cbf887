"""Things the standards only name (cited documents, meetings): questions about the thing itself."""

import pytest

from assistant.answer import answer_question
from assistant.answer.referents import asked_itself, referents


def test_the_cited_documents_and_meetings_are_found_in_the_corpus():
    names = {name for name, _, _ in referents()}
    assert "党的十九届四中全会" in names
    assert any("基层组织工作条例" in n for n in names)
    assert all(ids for _, _, ids in referents())


@pytest.mark.parametrize("question", [
    "基层组织工作条例总共分几章",
    "十九届四中全会什么时候召开的",
    "全国党员教育培训工作规划对机关党员提了什么要求",
])
def test_a_question_about_the_named_thing_itself_is_recognised(question):
    assert asked_itself(question) is not None


@pytest.mark.parametrize("question", [
    "按发展党员工作细则发展一名党员要几步",  # the standards state the steps themselves
    "十九届四中全会精神要不要专门组织学习",  # what the standards ask of it
    "河钢标准还点名要学哪个条例",
])
def test_what_the_standards_ask_of_a_named_thing_is_not_about_the_thing_itself(question):
    assert asked_itself(question) is None


def test_the_reply_says_it_is_not_stated_and_quotes_the_clause_naming_it(retriever, corpus):
    a = answer_question("基层组织工作条例总共分几章", retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定") and not a.covered
    assert a.citations and all(c.quote in corpus.get(c.id).text for c in a.citations)
    assert "HG-1.1" in {c.id for c in a.citations}


@pytest.mark.parametrize("question", [
    "《集团处置不合格党员工作制度》里对劝退是怎么规定的",  # what a cited document says inside it
    "十九届四中全会的核心议题是什么",
])
def test_what_a_cited_document_or_meeting_says_is_about_the_thing_itself(question):
    assert asked_itself(question) is not None


@pytest.mark.parametrize("question,unstated", [
    ("河钢塞钢这个厂在哪个国家", True),  # a fact of the world about a thing the standards name
    ("重温入党誓词，誓词一共多少个字", True),
    ("章程备案表的要求从哪年开始", False),  # the standards do give a year (2020年以后)
    ("员工持股清单用了哪几个字来定调", False),  # words, not the length of a text
])
def test_facts_of_the_world_are_stated_of_nothing(retriever, question, unstated):
    a = answer_question(question, retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定") == unstated, a.text[:60]
    if unstated:
        assert a.citations and "本身的情况" in a.text.split("\n")[0]
