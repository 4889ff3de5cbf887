"""Query normalisation: width, numerals, thesaurus; pure functions, no index."""

import pytest

from assistant.retrieval.normalize import cn_to_int, content_terms, normalize_query, normalize_text, tokenize


@pytest.mark.parametrize(
    "text, expected",
    [
        ("支委会一般每月召开一次", "支委会一般每月召开1次"),
        ("ＨＧ－２１", "hg-21"),
        ("党员一年学习三十二个学时", "党员1年学习32个学时"),
        ("按照二十五个具体步骤", "按照25个具体步骤"),
        ("工资总额的百分之一", "工资总额的1%"),
        ("百分之零点五", "0.5%"),
        ("１％", "1%"),
        ("两次", "2次"),
        # Fixed terms keep their numerals: they are names, not counts.
        ("三会一课", "三会一课"),
        ("党委书记、董事长一肩挑", "党委书记、董事长一肩挑"),
        ("一岗双责", "一岗双责"),
        ("第一责任人", "第一责任人"),
        ("统一思想", "统一思想"),
        ("四同步、四对接", "四同步、四对接"),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize("cn, n", [("三", 3), ("十", 10), ("十二", 12), ("二十五", 25), ("一百", 100), ("二〇二〇", 2020),
                                   ("两", 2), ("三会", None)])
def test_cn_to_int(cn, n):
    assert cn_to_int(cn) == n


@pytest.mark.parametrize(
    "query, canonical",
    [
        ("党员一年要学多少个小时", "学时"),
        ("员工人数", "职工"),
        ("营业收入", "销售收入"),
        ("反腐倡廉教育", "党风廉政"),
        ("全体党员会议多久开", "党员大会"),
        ("入党几年能当书记", "党龄"),
        ("党建经费占工资的百分之几", "工资总额"),
    ],
)
def test_thesaurus_maps_variants_to_the_standards_words(query, canonical):
    assert canonical in normalize_query(query)
    assert canonical in tokenize(query)


def test_thesaurus_works_on_words_not_substrings():
    # 员工→职工 must not turn 党员工作地 into 党职工作地.
    assert "党员工作地" in normalize_query("党员工作地比较分散")


def test_tokenize_drops_question_words_and_punctuation():
    toks = tokenize("支委会多久开一次？")
    assert "支委会" in toks
    assert not {"多久", "？", "?"} & set(toks)


def test_content_terms_of_an_off_topic_question_share_nothing_with_the_standards(retriever):
    terms = content_terms("今天天气怎么样")
    assert terms and not any(retriever.index.lexical.knows(t) for t in terms)


def test_every_thesaurus_variant_belongs_to_one_word_only():
    # A variant under two keys would be read as whichever comes first: one meaning silently wins.
    from collections import Counter

    from assistant.text.thesaurus import synonym_groups_raw

    groups = synonym_groups_raw()
    counts = Counter(v for variants in groups.values() for v in variants)
    assert [v for v, n in counts.items() if n > 1] == []
    assert [v for variants in groups.values() for v in variants if v in groups] == []


@pytest.mark.parametrize("text, words", [
    ("坚持线上线下相结合", {"线上", "线下"}),    # jieba alone cut 线/上线/下相 and lost 线下
    ("按河钢的要求", {"河钢"}),                  # not 按河 / 钢
    ("照河钢的比例", {"河钢"}),
])
def test_the_domain_dictionary_keeps_words_the_general_one_cuts_across(text, words):
    assert words <= set(tokenize(text))
