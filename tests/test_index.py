"""The index manifest: rebuild on change, damage detected and rebuilt, never served; the lock."""

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.index import MANIFEST, build_index, ensure_index, index_status
from assistant.types import UserInputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(fake_settings, tmp_path):
    return replace(fake_settings, index_dir=str(tmp_path / "index"))


def _manifest(settings) -> dict:
    return json.loads((Path(settings.index_dir) / MANIFEST).read_text(encoding="utf-8"))


def test_missing_then_built_then_ok(settings):
    assert index_status(settings)["state"] == "missing"
    steps = []
    ensure_index(settings, progress=lambda m, f: steps.append(f))
    st = index_status(settings)
    assert st["state"] == "ok" and st["leaves"] == 141
    assert steps == sorted(steps) and steps[-1] == 1.0  # progress only moves forward


def test_ensure_reuses_a_good_index(settings):
    ensure_index(settings)
    first = _manifest(settings)["data_dir"]
    ensure_index(settings)
    assert _manifest(settings)["data_dir"] == first


def test_model_change_makes_it_stale_and_ensure_rebuilds(settings):
    ensure_index(settings)
    other = replace(settings, embedding_model="hashing:64")
    st = index_status(other)
    assert st["state"] == "stale" and "向量模型" in st["reason"]
    idx = ensure_index(other)
    assert idx.manifest["model"] == "hashing:64" and idx.manifest["dim"] == 64


def test_corpus_change_makes_it_stale(settings, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    s = replace(settings, corpus_dir=str(corpus))
    ensure_index(s)
    p = corpus / "four_sync_checklist.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("不少于1次", "不少于2次", 1), encoding="utf-8")
    from assistant.corpus import _load

    _load.cache_clear()
    st = index_status(s)
    assert st["state"] == "stale" and "标准原文" in st["reason"]


def test_tokenizer_data_change_makes_it_stale(settings, monkeypatch):
    ensure_index(settings)
    import assistant.retrieval.normalize as normalize

    monkeypatch.setattr(normalize, "data_fingerprint", lambda: "changed-thesaurus")
    assert index_status(settings)["state"] == "stale"


def test_damaged_file_is_detected_and_rebuilt_not_served(settings):
    ensure_index(settings)
    m = _manifest(settings)
    victim = Path(settings.index_dir) / m["data_dir"] / "lexical.bin"
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte somewhere in the BM25 / jieba state
    victim.write_bytes(bytes(data))
    st = index_status(settings)
    assert st["state"] == "corrupt"
    idx = ensure_index(settings)
    assert idx.manifest["data_dir"] != m["data_dir"]
    assert index_status(settings)["state"] == "ok"


def test_garbage_manifest_is_corrupt_and_rebuilt(settings):
    ensure_index(settings)
    (Path(settings.index_dir) / MANIFEST).write_text("{not json", encoding="utf-8")
    assert index_status(settings)["state"] == "corrupt"
    ensure_index(settings)
    assert index_status(settings)["state"] == "ok"


def test_half_written_build_is_never_served(settings):
    """A data folder without a manifest naming it (a build killed half way) does not count."""
    ensure_index(settings)
    index_dir = Path(settings.index_dir)
    (index_dir / MANIFEST).unlink()
    assert any(index_dir.glob("data-*"))
    assert index_status(settings)["state"] == "missing"
    ensure_index(settings)
    assert index_status(settings)["state"] == "ok"


@pytest.mark.parametrize("dense", ["on", "auto"])  # auto: a missing folder is a typo, not "off"
def test_missing_model_says_how_to_set_one(settings, tmp_path, dense):
    s = replace(settings, embedding_model=str(tmp_path / "no-such-model"), dense=dense)
    with pytest.raises(UserInputError, match="ASSISTANT_EMBEDDING_MODEL"):
        ensure_index(s)


def test_cli_missing_model_exits_2(settings, tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", settings.index_dir)
    assert main(["index", "build", "--model", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "ASSISTANT_EMBEDDING_MODEL" in err and "Traceback" not in err


_BUILDER = """
import json, sys, time
from assistant.config import get_settings
from assistant.index import build_index
marks = []
build_index(get_settings(index_dir=sys.argv[1], embedding_model="hashing:32"),
            progress=lambda m, f: marks.append(time.time()))
print(json.dumps([marks[0], marks[-1]]))
"""


def test_two_processes_building_at_once_take_turns(tmp_path):
    index_dir = tmp_path / "shared"
    procs = [subprocess.Popen([sys.executable, "-c", _BUILDER, str(index_dir)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(2)]
    spans = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        spans.append(json.loads(out.strip().splitlines()[-1]))
    (a0, a1), (b0, b1) = sorted(spans)
    assert a1 <= b0, "the two builds overlapped: the lock did not hold"
    from assistant.config import get_settings

    assert index_status(get_settings(index_dir=str(index_dir), embedding_model="hashing:32"))["state"] == "ok"
    assert len(list(index_dir.glob("data-*"))) <= 2  # older folders are cleaned up
