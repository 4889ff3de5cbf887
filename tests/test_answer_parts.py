"""A part of a counted whole (专职委员 of 党委委员7-9人) is answered only by a clause that names the part."""

import pytest

from assistant.answer import answer_question
from assistant.answer.parts import asked_part, names_part


@pytest.mark.parametrize("question,attribute,part,only_a_part", [
    ("党委委员7到9人里面，专职委员要有几个？", "headcount", "专职委员", True),
    ("大中型企业的董事会里，外部董事至少要有几名？", "headcount", "外部董事", True),
    ("党员教育的经费在党建经费里要占多少？", "share", "党员教育的经费", False),
    ("董事会里党委成员要占多少", "share", "党委成员", True),
    ("支委会多久开一次", "frequency", "", False),       # not a count or a share
    ("专职党务人员至少要配几个", "headcount", "", False),  # no whole named
])
def test_the_asked_part_of_a_whole_is_read(question, attribute, part, only_a_part):
    assert asked_part(question, attribute) == (part, only_a_part)


def test_a_part_is_named_when_each_of_its_nouns_is_in_the_quote():
    quote = "加大从企业经营管理层、技术骨干、业务精英、生产经营一线和青年职工发展党员，其占比不低于新发展党员总数的20%"
    assert names_part(quote, "从一线和骨干里来的")  # 骨干 is there; 一线 is a numeral word to jieba
    assert not names_part("原则上大中型企业各设党委委员、董事会成员7-9人", "专职委员")


def test_the_whole_s_number_does_not_answer_for_a_part(retriever):
    a = answer_question("党委委员7到9人里面，专职委员要有几个？", retriever=retriever, llm=False)
    assert a.text.startswith("两份标准没有规定专职委员的")


def test_a_part_the_clause_names_is_answered(retriever):
    a = answer_question("董事会里党委成员要占多少", retriever=retriever, llm=False)
    assert "不低于总人数的30%" in a.text.split("相关条款")[0]
