"""The one sentence splitter: sentences at 。/；, segments at ，, never inside quotation marks or brackets."""

import pytest

from assistant.text.sentences import segment_spans, sentence_spans


def pieces(text, spans):
    return [text[a:b] for a, b in spans]


def test_sentences_end_at_full_stops_and_semicolons():
    text = "支委会一般每月召开1次；党小组会一般每月召开1次。讲党课每季度至少开展1次。"
    assert pieces(text, sentence_spans(text)) == ["支委会一般每月召开1次", "党小组会一般每月召开1次", "讲党课每季度至少开展1次"]


@pytest.mark.parametrize("text,expected", [
    ("按照“精简、高效、协调，便于发挥作用”的原则，设置机构",
     ["按照“精简、高效、协调，便于发挥作用”的原则", "设置机构"]),
    ("落实《条例（试行），2019年》要求，建立制度", ["落实《条例（试行），2019年》要求", "建立制度"]),
])
def test_segments_do_not_cut_inside_quotes_or_brackets(text, expected):
    assert pieces(text, segment_spans(text, 0, len(text))) == expected


def test_a_full_stop_inside_quotes_does_not_end_the_sentence():
    text = "提出“学在前。干在先”的口号。下一句。"
    assert pieces(text, sentence_spans(text)) == ["提出“学在前。干在先”的口号", "下一句"]


def test_an_unclosed_quote_does_not_break_the_splitter():
    text = "一个”多余的引号，后面照常。下一句。"
    assert pieces(text, sentence_spans(text)) == ["一个”多余的引号，后面照常", "下一句"]


def test_a_question_splits_into_clauses_at_any_mark():
    from assistant.text.sentences import clauses

    assert clauses("我们厂刚改制，支委会多久开一次？标准里有规定吗") == ["我们厂刚改制", "支委会多久开一次", "标准里有规定吗"]
    assert clauses("，，") == []


def test_the_asking_clause_is_the_last_before_is_it_stated():
    from assistant.answer.reading import asking_clauses

    assert asking_clauses("我们厂刚改制，支委会多久开一次，标准里有规定吗")[-1] == "支委会多久开一次"
    assert asking_clauses("标准里有规定吗") == ["标准里有规定吗"]


def test_a_part_of_a_sentence_is_trimmed_of_the_punctuation_it_was_cut_at():
    from assistant.text.sentences import trimmed_span

    text = "，建立动态管理机制；"
    a, b = trimmed_span(text, 0, len(text))
    assert text[a:b] == "建立动态管理机制"


@pytest.mark.parametrize("text, clauses_of_asker, prefix", [
    ("我是公司副总（党员），今年讲过一次党课", ["我是公司副总（党员）"], "我是公司副总（党员），"),
    ("作为班子成员，我一年要报几次", ["作为班子成员"], "作为班子成员，"),
    ("支部今年讲了1次党课", [], ""),
    ("我是支部书记", ["我是支部书记"], ""),  # the whole question: no scene before a topic
])
def test_the_clauses_in_which_the_asker_says_who_they_are(text, clauses_of_asker, prefix):
    from assistant.text.sentences import asker_clauses, asker_prefix_end

    assert asker_clauses(text) == clauses_of_asker
    assert text[:asker_prefix_end(text)] == prefix
