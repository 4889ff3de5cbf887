"""Follow-ups that carry the previous subject, and new questions that must not inherit it."""

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
