"""The answer lexicon is data (assistant/data/answer_lexicon.toml), checked when it loads."""

import pytest

from assistant.answer.terms import COMPARISON_KEYS, LEXICON_FILE, _patterns, lexicon


def test_every_comparison_family_loads_as_one_pattern():
    lex = lexicon()
    assert list(lex.comparison) == list(COMPARISON_KEYS)
    assert lex.pattern("both_asked").search("两边会不会打架")
    assert not lex.pattern("compare_words").search("各级党委每年研究几次")  # 各级 is no comparison


@pytest.mark.parametrize("table, named", [
    ({"a": ["不同"]}, "“b”"),  # a family left out
    ({"a": ["不同"], "b": []}, "“b”"),  # an empty one
    ({"a": ["不同"], "b": ["(未闭合"]}, "(未闭合"),  # a bad regular expression, named with its family
])
def test_a_bad_comparison_table_is_refused_with_a_message_naming_it(table, named):
    with pytest.raises(ValueError) as err:
        _patterns(table, ("a", "b"), "comparison")
    message = str(err.value)
    assert LEXICON_FILE.name in message and named in message and "[comparison]" in message


def test_entries_are_alternatives_in_file_order():
    (_, pattern), = _patterns({"w": ["对比", "对比一下"]}, ("w",), "comparison")
    assert pattern.pattern == "对比|对比一下"
