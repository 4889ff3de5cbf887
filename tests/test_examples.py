"""The example-question channel: the KNN scorer and its fusion (pure), the data file (valid, built
from the dev rounds, nothing of the sealed or held-out sets), the index keeping it, and the
evaluation leaving a dev round's own examples out."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.retrieval.examples import EXAMPLES_FILE, ExampleIndex, features, load_examples
from assistant.retrieval.fusion import Fused, FusionWeights, fuse, with_examples

ROOT = Path(__file__).resolve().parent.parent


def _index(rows, top=3):
    """rows: (words, leaves, source); words stand in for tokens, no bigrams."""
    return ExampleIndex(tuple(tuple(w.split()) for w, _, _ in rows), tuple(tuple(l) for _, l, _ in rows),
                        tuple(s for _, _, s in rows), top)


EXAMPLES = [
    ("支委会 多久 开 一次", ["A-1"], "r1"),
    ("支委会 开会 频率", ["A-1"], "r2"),
    ("党费 怎么 交", ["B-2"], "r1"),
    ("党费 交 多少", ["B-2"], "r2"),
    ("公积金 怎么 交", [], "r1"),  # out of scope: no leaf
]


# ---------------------------------------------------------------- scorer (pure)


def test_the_leaf_of_the_most_similar_examples_scores_highest():
    scores = _index(EXAMPLES).scores(["支委会", "多久", "开"])
    assert scores["A-1"] > scores.get("B-2", 0.0)
    assert 0.0 < scores["A-1"] <= 1.0


def test_an_identical_question_has_similarity_one():
    sims = _index(EXAMPLES).similarities(["党费", "交", "多少"])
    assert sims[3] == pytest.approx(1.0)


def test_a_leaf_score_is_the_mean_of_its_nearest_examples_not_their_sum():
    idx = _index(EXAMPLES, top=2)
    sims = idx.similarities(["党费", "交"])
    assert idx.scores(["党费", "交"])["B-2"] == pytest.approx((sims[2] + sims[3]) / 2)
    one = _index(EXAMPLES, top=1)
    assert one.scores(["党费", "交"])["B-2"] == pytest.approx(max(sims[2], sims[3]))


def test_words_no_example_uses_lower_the_similarity():
    idx = _index(EXAMPLES)
    plain = idx.scores(["支委会", "多久"])["A-1"]
    diluted = idx.scores(["支委会", "多久", "年假", "报销", "体检"])["A-1"]
    assert diluted < plain


def test_a_query_nearest_to_an_out_of_scope_example_gets_no_lift():
    idx = _index(EXAMPLES)
    assert idx.scores(["公积金", "怎么", "交"]) == {}
    assert idx.scores(["党费", "怎么", "交"])["B-2"] > 0


def test_excluding_a_source_drops_its_examples_and_their_words():
    idx = _index(EXAMPLES)
    without = idx.excluding("r1")
    assert len(without) == 2 and set(without.sources) == {"r2"}
    assert without.similarities(["多久"]) == {}  # 多久 was only in an r1 example
    assert "A-1" in without.scores(["支委会", "开会"])


def test_no_examples_no_scores_and_features_mark_bigrams_apart():
    assert _index([]).scores(["支委会"]) == {}
    assert features(["支委会"], ["支委"]) == ("支委会", "b:支委")


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        ExampleIndex((("a",),), (), ("r1",))


# ---------------------------------------------------------------- fusion (pure)


def _fused(*scores):
    return [Fused(f"L-{i}", s, s, 0.0) for i, s in enumerate(scores)]


def test_example_evidence_reorders_the_pool_and_is_capped():
    out = with_examples(_fused(0.6, 0.5, 0.4), {"L-2": 0.5, "L-0": 0.9}, weight=1.0, pool=3)
    assert [f.id for f in out] == ["L-0", "L-2", "L-1"]
    assert out[0].score == 1.0 and out[1].score == pytest.approx(0.9)


def test_a_leaf_outside_the_pool_is_not_lifted():
    out = with_examples(_fused(0.6, 0.5, 0.1), {"L-2": 1.0}, weight=1.0, pool=2)
    assert out[-1].id == "L-2" and out[-1].score == pytest.approx(0.1)


def test_fuse_applies_the_example_weight_and_zero_turns_it_off():
    cands, item_of = ["L-0", "L-1"], {"L-0": "I0", "L-1": "I1"}
    lex = {"L-0": 0.6, "L-1": 0.5}
    base = FusionWeights(lexical=1.0, item=0.0, dense=0.0)
    on = fuse(cands, lex, {}, {}, item_of, replace(base, examples=1.0), examples={"L-1": 0.5})
    off = fuse(cands, lex, {}, {}, item_of, base, examples={"L-1": 0.5})
    assert [f.id for f in on] == ["L-1", "L-0"] and [f.id for f in off] == ["L-0", "L-1"]
    assert FusionWeights(examples=1.0).only("dense").examples == 0.0


# ---------------------------------------------------------------- the data file


@pytest.mark.parametrize("content, words", [
    ("not json", "不是合法的 JSON"),
    ('{"leaves": ["HG-1.1"], "source": "dev"}', "缺少问题 q"),
    ('{"q": "问", "leaves": "HG-1.1", "source": "dev"}', "leaves 应为"),
    ('{"q": "问", "leaves": ["XX-9"], "source": "dev"}', "不存在的条款：XX-9"),
    ('{"q": "问", "leaves": ["HG-1.1"]}', "缺少来源"),
    ('{"q": "问", "leaves": [], "source": "dev"}\n{"q": "问", "leaves": [], "source": "dev2"}', "重复"),
    ('{"q": "问", "leaves": ["HG-1.1"], "source": "dev", "kind": "quiz"}', "kind 只能是"),
])
def test_a_bad_examples_file_is_refused_with_its_line(tmp_path, corpus, content, words):
    p = tmp_path / "examples.jsonl"
    p.write_text(content + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="第 [12] 行") as e:
        load_examples(p, [c.id for c in corpus.leaves()])
    assert words in str(e.value)


def test_the_shipped_examples_are_valid_and_cover_most_leaves(corpus):
    examples = load_examples(EXAMPLES_FILE, [c.id for c in corpus.leaves()])
    assert len(examples) > 1000
    covered = {leaf for e in examples for leaf in e.leaves}
    assert len(covered) >= 0.9 * len(corpus.leaves())
    assert any(not e.leaves for e in examples)  # known out-of-scope questions are there too
    compared = [e for e in examples if e.kind == "compare"]
    assert compared and all(len({leaf.split("-")[0] for leaf in e.leaves}) == 2 for e in compared)


def test_the_shipped_examples_are_what_the_dev_rounds_give():
    """`assistant examples build --check`: the file is up to date with evals/fresh, and never
    takes a question from the sealed split."""
    done = subprocess.run([sys.executable, "-m", "assistant", "examples", "build", "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    from assistant.fresh_eval import SEALED

    sources = {json.loads(line)["source"] for line in EXAMPLES_FILE.read_text(encoding="utf-8").splitlines()}
    assert SEALED not in sources and sources


def test_example_rows_take_in_scope_openings_out_of_scope_questions_and_comparisons_only():
    from assistant.fresh_eval import example_rows

    files = {
        "fresh/dev.jsonl": [
            {"type": "inscope", "q": "甲问题", "expected": ["HG-1.1"]},
            {"type": "absent", "q": "乙问题", "subject": "s", "attribute": "a", "near": ["HG-1.1"]},
            {"type": "outscope", "q": "丙问题"},
            {"type": "compare", "q": "丁问题", "expected": ["HG-1.1", "SS-1.1"]},
            {"type": "conversation", "turns": [{"q": "戊问题", "expected": ["SS-2.1"]}, {"q": "己问题"}]},
        ],
        "fresh/sealed_test.jsonl": [{"type": "inscope", "q": "封存问题", "expected": ["HG-1.1"]}],
    }
    rows = example_rows(lambda name: files.get(name, []))
    assert rows == [{"q": "甲问题", "leaves": ["HG-1.1"], "source": "dev"},
                    {"q": "丙问题", "leaves": [], "source": "dev"},
                    {"q": "丁问题", "leaves": ["HG-1.1", "SS-1.1"], "source": "dev", "kind": "compare"},
                    {"q": "戊问题", "leaves": ["SS-2.1"], "source": "dev"}]


# ---------------------------------------------------------------- index and retriever


def test_the_index_keeps_the_examples_and_a_changed_file_makes_it_stale(fake_settings, tmp_path, monkeypatch):
    from assistant.index import ensure_index, index_status
    import assistant.retrieval.examples as examples

    settings = replace(fake_settings, index_dir=str(tmp_path / "index"))
    idx = ensure_index(settings)
    shipped = load_examples()
    assert len(idx.examples) == sum(e.kind != "compare" for e in shipped)
    assert len(idx.comparison_examples) == sum(e.kind == "compare" for e in shipped)
    changed = tmp_path / "examples.jsonl"
    changed.write_text('{"q": "支委会多久开一次", "leaves": ["HG-21.1"], "source": "dev"}\n', encoding="utf-8")
    monkeypatch.setattr(examples, "EXAMPLES_FILE", changed)
    st = index_status(settings)
    assert st["state"] == "stale" and "示例问题" in st["reason"]
    assert len(ensure_index(settings).examples) == 1


def test_a_retriever_without_a_rounds_examples_scores_without_them(default_retriever):
    r = default_retriever
    source = r.examples.sources[0]
    without = r.without_examples_from(source)
    assert source not in without.examples.sources and len(without.examples) < len(r.examples)
    assert r.examples.sources[0] == source  # the shared retriever is untouched
    q = "我们党委想知道专职党务人员按职工总数配多少"
    assert r.signals(q)["examples"] and without.signals(q)["examples"] != r.signals(q)["examples"]


def test_a_question_no_clause_shares_words_with_is_answered_by_the_clause_such_questions_ask_about(default_retriever):
    # 安排哪几类岗位的人员: none of the clause's words (配备专职组织员和智慧党建系统管理员), but like questions
    # asked about it; without the examples the standards seem silent
    from assistant.answer import answer_question

    q = "各级党委得专门安排哪几类岗位的人员"
    with_examples = answer_question(q, retriever=default_retriever, llm=False)
    without = answer_question(q, retriever=default_retriever.without_examples_from(), llm=False)
    assert with_examples.covered and with_examples.citations[0].id == "HG-36.2", with_examples.text
    assert "专职组织员" in with_examples.text.split("\n")[0]
    assert not without.covered, without.text


def test_comparison_examples_are_kept_apart_and_lift_the_compared_leaves_of_both_documents(default_retriever):
    r = default_retriever
    q = "两份文件对党员领导干部每年讲党课的次数要求有什么不一样"
    assert len(r.comparison_examples) and len(r.examples) + len(r.comparison_examples) == len(load_examples())
    compared = r.comparison_scores(q)
    docs = {leaf.split("-")[0] for leaf, v in compared.items() if v >= 0.5 * max(compared.values())}
    assert len(docs) == 2, compared  # the best-supported leaves are of both documents
    source = r.comparison_examples.sources[0]
    without = r.without_examples_from(source)
    assert source not in without.comparison_examples.sources
    assert r.without_examples_from().comparison_scores(q) == {}


def test_with_examples_reorders_hits_by_clause_id():
    from assistant.types import Hit

    class C:  # the clause fields with_examples reads through `leaf_of`
        def __init__(self, cid):
            self.id = cid

    hits = [Hit(C("A-1"), 0.5), Hit(C("B-1"), 0.4)]
    out = with_examples(hits, {"B-1": 0.3}, 1.0, 2, lambda h: h.clause.id)
    assert [h.clause.id for h in out] == ["B-1", "A-1"] and out[0].examples == pytest.approx(0.3)


def test_building_the_examples_without_the_dev_sets_refuses_and_keeps_the_file(tmp_path, monkeypatch, capsys):
    import assistant.evaluation as evaluation
    from assistant.cli import main

    before = EXAMPLES_FILE.read_bytes()
    monkeypatch.setattr(evaluation, "EVALS_DIR", tmp_path / "no-evals")
    assert main(["examples", "build"]) == 2
    assert "找不到开发集" in capsys.readouterr().err
    assert EXAMPLES_FILE.read_bytes() == before


@pytest.mark.parametrize("examples, question, trusted", [
    (0.3, "", True),  # well above the bar: trusted, whoever asks
    (0.18, "刚收购的企业一个党员都没有，往哪方面使劲", True),  # a first question in words the standards use
    (0.18, "中厚板轧机的压下规程怎么设计比较合理", False),  # 轧机 and 压下规程 are no words of theirs
    (0.18, "", False),  # a follow-up: the example questions are first questions
    (0.1, "刚收购的企业一个党员都没有，往哪方面使劲", False),
])
def test_a_leaf_much_asked_like_the_question_answers_it_only_above_its_bar(examples, question, trusted):
    from assistant.answer.pipeline import _asked_like
    from assistant.corpus import load_corpus
    from assistant.types import Hit

    leaf = load_corpus().get("HG-6.2")
    assert _asked_like([Hit(leaf, 0.4, examples=examples)], question) is trusted
