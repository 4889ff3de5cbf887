"""The fact layer (issue 11): every leaf has facts, every quote is the standards' own words, a broken
facts file is a named error, subjects under two names are one group, the longest name wins."""

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from assistant.facts import ATTRIBUTES, STRENGTHS, FactBase, FactError, load_facts
from assistant.types import Fact, Subject

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def facts():
    return load_facts(CORPUS)


def _fact_files():
    meta = tomllib.loads((CORPUS / "documents.toml").read_text(encoding="utf-8"))
    return [(d["code"], CORPUS / d.get("facts", f"facts/{d['code']}.toml")) for d in meta["documents"]]


# ---------------------------------------------------------------- the data itself


def test_every_leaf_of_the_corpus_has_a_fact(corpus, facts):
    leaves = corpus.leaves()
    assert leaves
    missing = [c.id for c in leaves if not facts.of_leaf(c.id)]
    assert not missing, f"leaves without a fact: {missing}"


def test_every_fact_belongs_to_a_leaf_of_its_own_document(corpus, facts):
    for f in facts.facts:
        leaf = corpus.get(f.leaf)
        assert leaf is not None and leaf.is_leaf, f.id
        assert leaf.doc == f.doc, f.id
        assert f.id.startswith(f.leaf + "#"), f.id
    assert len({f.id for f in facts.facts}) == len(facts.facts), "fact ids must be unique"


def test_every_quote_is_verbatim_in_its_leaf_at_fact_start(corpus, facts):
    for f in facts.facts:
        text = corpus.get(f.leaf).text
        assert text[f.start:f.end] == f.quote, (f.id, f.quote)


def test_every_value_and_member_lies_inside_its_quote(facts):
    for f in facts.facts:
        assert f.value.strip() and f.value in f.quote, (f.id, f.value, f.quote)
        for m in f.members:
            assert m in f.quote, (f.id, m)


def test_attributes_and_strengths_come_from_the_allowed_lists(facts):
    for f in facts.facts:
        assert f.attribute in ATTRIBUTES, (f.id, f.attribute)
        assert f.strength in STRENGTHS, (f.id, f.strength)


def test_the_raw_files_hold_the_same_checks_without_the_loader(corpus):
    """Read the TOML directly, so a loader that stopped validating would not hide a bad entry."""
    for code, path in _fact_files():
        rows = tomllib.loads(path.read_text(encoding="utf-8"))["fact"]
        covered = set()
        for n, row in enumerate(rows, start=1):
            leaf = corpus.get(row["leaf"])
            assert leaf is not None and leaf.doc == code, (path.name, n, row["leaf"])
            assert row["quote"] in leaf.text, (path.name, n, row["quote"])
            assert row["value"] in row["quote"], (path.name, n, row["value"])
            assert row["attribute"] in ATTRIBUTES, (path.name, n, row["attribute"])
            assert row.get("strength", "") in STRENGTHS, (path.name, n, row.get("strength"))
            covered.add(leaf.id)
        assert covered == {c.id for c in corpus.leaves(code)}, path.name


def test_the_strength_word_is_in_the_quote_when_there_is_one(facts):
    for f in facts.facts:
        if f.strength:
            assert f.strength in f.quote, (f.id, f.strength, f.quote)


QUANTITY_STRENGTHS = ("至少", "不少于", "不低于", "不超过")


def test_a_quantity_strength_qualifies_the_facts_own_value(facts):
    # 每季度至少开展一次…，把职工群众凝聚…: the 至少 bounds the frequency, not who takes part.
    for f in facts.facts:
        if f.strength in QUANTITY_STRENGTHS and f.strength not in f.value:
            i, j = f.quote.find(f.value), f.quote.find(f.strength)
            assert 0 <= j < i and i - j <= 12, (f.id, f.strength, f.value)


# ---------------------------------------------------------------- a broken facts file


def _copy_corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text not unique in {path.name}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# The 支委会 frequency entry of HG-21.1, as it stands in the file.
ENTRY = 'subject = "支委会"\nattribute = "frequency"\nvalue = "每月召开1次"\nstrength = "一般"\nquote = "支委会一般每月召开1次"\n'


def _drop_leaf(path: Path, leaf: str) -> None:
    text = path.read_text(encoding="utf-8")
    blocks = text.split("[[fact]]\n")
    kept = [b for b in blocks if not b.startswith(f'leaf = "{leaf}"\n')]
    assert len(kept) < len(blocks) and kept[-1] == blocks[-1], "the leaf's entries must be dropped, nothing else"
    path.write_text("[[fact]]\n".join(kept), encoding="utf-8")


BROKEN = {
    "quote not in leaf": (lambda p: _edit(p, ENTRY, ENTRY.replace('quote = "支委会一般每月召开1次"',
                                                                     'quote = "支委会一般每周召开1次"')), "引文"),
    "value not in quote": (lambda p: _edit(p, ENTRY, ENTRY.replace('value = "每月召开1次"', 'value = "每周召开2次"')), "取值"),
    "unknown attribute": (lambda p: _edit(p, ENTRY, ENTRY.replace('"frequency"', '"colour"')), "colour"),
    "unknown strength": (lambda p: _edit(p, ENTRY, ENTRY.replace('strength = "一般"', 'strength = "大概"')), "大概"),
    "unknown key": (lambda p: _edit(p, ENTRY, ENTRY + 'colour = "red"\n'), "colour"),
    "missing leaf coverage": (lambda p: _drop_leaf(p, "HG-22"), "HG-22"),
    "bad TOML": (lambda p: p.write_text(p.read_text(encoding="utf-8") + "\n[[fact]\nleaf = \n", encoding="utf-8"),
                 "TOML"),
    "leaf of another document": (lambda p: _edit(p, 'leaf = "HG-21.1"\n' + ENTRY, 'leaf = "SS-2.1"\n' + ENTRY), "SS-2.1"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_hg_facts_file_is_a_named_error(tmp_path, case):
    root = _copy_corpus(tmp_path)
    path = root / "facts" / "HG.toml"
    corrupt, word = BROKEN[case]
    corrupt(path)
    with pytest.raises(FactError) as err:
        load_facts(root)
    assert Path(err.value.file).resolve() == path.resolve()
    assert "HG.toml" in str(err.value)
    assert word in str(err.value)


def test_a_broken_ss_file_names_ss_not_hg(tmp_path):
    root = _copy_corpus(tmp_path)
    path = root / "facts" / "SS.toml"
    text = path.read_text(encoding="utf-8")
    m = re.search(r'quote = "([^"]+)"', text)
    path.write_text(text[:m.start(1)] + "并不存在的句子" + text[m.end(1):], encoding="utf-8")
    with pytest.raises(FactError) as err:
        load_facts(root)
    assert "SS.toml" in str(err.value) and "HG.toml" not in str(err.value)


def test_a_missing_facts_file_is_a_named_error(tmp_path):
    root = _copy_corpus(tmp_path)
    (root / "facts" / "SS.toml").unlink()
    with pytest.raises(FactError) as err:
        load_facts(root)
    assert "SS.toml" in str(err.value)


def test_an_untouched_copy_loads_the_same_facts(tmp_path, facts):
    copy = load_facts(_copy_corpus(tmp_path))
    assert [(f.id, f.quote) for f in copy.facts] == [(f.id, f.quote) for f in facts.facts]


# ---------------------------------------------------------------- subjects


def test_a_subject_and_its_alias_named_twin_are_related_both_ways(facts):
    known = set(facts.subjects) | {f.subject for f in facts.facts}
    pairs = [(s.name, a) for s in facts.subjects.values() for a in s.aliases if a in known and a != s.name]
    assert pairs, "the data has subjects filed under each other's names"
    for name, alias in pairs:
        assert alias in facts.related_subjects(name), (name, alias)
        assert name in facts.related_subjects(alias), (alias, name)


def test_the_two_documents_names_for_party_funds_are_one_group(facts):
    # HG files them as 党组织工作经费, SS as 党建工作经费: the same money.
    assert facts.about("党组织工作经费") and facts.about("党建工作经费")
    assert {f.doc for f in facts.about("党组织工作经费")} != {f.doc for f in facts.about("党建工作经费")}
    assert "党建工作经费" in facts.related_subjects("党组织工作经费")
    assert "党组织工作经费" in facts.related_subjects("党建工作经费")


def test_related_subjects_reach_narrower_subjects_but_not_siblings(facts):
    narrower = facts.related_subjects("三会一课")
    assert {"支委会", "党小组会", "党课"} <= set(narrower)
    assert narrower[0] == "三会一课"
    sibling = facts.related_subjects("支委会")
    assert "党课" not in sibling and "党小组会" not in sibling


def test_unknown_subject_is_related_only_to_itself(facts):
    assert facts.related_subjects("年终奖") == ("年终奖",)
    assert facts.about("年终奖") == ()


@pytest.mark.parametrize("text,name,subject", [
    ("新任党组织书记要参加什么培训", "新任党组织书记", "新任党组织书记"),
    ("党小组会多久开", "党小组会", "党小组会"),
    ("党支部书记的党龄", "党支部书记", "党支部书记"),
])
def test_find_subjects_prefers_the_longest_name(facts, text, name, subject):
    found = facts.find_subjects(text)
    assert found[0] == (0, len(name), subject)
    assert all(a >= len(name) for a, _, _ in found[1:]), "no shorter name inside the longest one"


def test_find_subjects_maps_an_alias_to_its_subject(facts):
    (a, b, subj), *_ = facts.find_subjects("支部委员会会议怎么开")
    assert (a, b) == (0, len("支部委员会会议")) and subj == "支委会"


def test_find_subjects_on_a_small_base_longest_first_and_non_overlapping():
    base = FactBase(
        (Fact("X-1#1", "X-1", "X", "党小组", "requirement", "划分", "", "划分党小组", 0),
         Fact("X-1#2", "X-1", "X", "党小组会", "frequency", "每月", "", "党小组会每月", 0)),
        {"党小组会": Subject("党小组会", ("小组会",))},
    )
    assert base.find_subjects("党小组会和党小组") == [(0, 4, "党小组会"), (5, 8, "党小组")]
    assert base.find_subjects("开小组会") == [(1, 4, "党小组会")]
    assert base.find_subjects("没有主题") == []
