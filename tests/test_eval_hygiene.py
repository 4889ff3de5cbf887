"""No held-out or sealed eval question may be pinned verbatim in a test.

A test that pins an evaluation question lets tuning leak into the number that set reports. This test
loads every question of the held-out and sealed sets, normalises it (drops ？?。 and whitespace) and
fails if any other file under tests/ contains one of at least six characters. Test files are
normalised the same way before the search, so spacing or a trailing question mark does not hide a hit.

Failure messages name the test file and the set. Questions of the held-out sets are listed so they
can be reworded; the sealed set is reported only as a count, and its questions never reach a local
variable of the test function (so `pytest -l` cannot print them either).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
HERE = Path(__file__).resolve()

# set name -> (path, sealed?)
SETS = {
    "retrieval_holdout": ("evals/retrieval_holdout.jsonl", False),
    "answer_holdout2": ("evals/answer_holdout2.jsonl", False),
    "out_of_scope_heldout": ("evals/out_of_scope_heldout.jsonl", False),
    "out_of_scope_holdout2": ("evals/out_of_scope_holdout2.jsonl", False),
    "out_of_scope_followups_heldout": ("evals/out_of_scope_followups_heldout.jsonl", False),
    "sealed_test": ("evals/fresh/sealed_test.jsonl", True),
}
MIN_LEN = 6
TEXT_SUFFIXES = {".py", ".json", ".jsonl", ".toml", ".txt", ".md", ".yaml", ".yml", ".csv"}

_STRIP = re.compile(r"[？?。\s]+")


def normalise(text: str) -> str:
    return _STRIP.sub("", text)


def _questions_of(record: dict) -> list[str]:
    out = []
    if isinstance(record.get("q"), str):
        out.append(record["q"])
    for turn in record.get("turns") or ():
        if isinstance(turn, dict) and isinstance(turn.get("q"), str):
            out.append(turn["q"])
    return out


@functools.lru_cache(maxsize=None)
def _load(name: str) -> tuple[str, ...]:
    """Normalised questions of one set, >= MIN_LEN characters, deduplicated."""
    rel, _ = SETS[name]
    seen: dict[str, None] = {}
    with open(ROOT / rel, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            for q in _questions_of(json.loads(line)):
                n = normalise(q)
                if len(n) >= MIN_LEN:
                    seen[n] = None
    return tuple(seen)


def _test_files() -> list[Path]:
    files = []
    for p in sorted(TESTS.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix not in TEXT_SUFFIXES:
            continue
        if p.resolve() == HERE:
            continue
        files.append(p)
    return files


def _hits(path: Path) -> dict[str, tuple[int, list[str]]]:
    """set name -> (count of pinned questions, the questions unless the set is sealed)."""
    text = normalise(path.read_text(encoding="utf-8", errors="replace"))
    report = {}
    for name, (_, sealed) in SETS.items():
        found = [q for q in _load(name) if q in text]
        if found:
            report[name] = (len(found), [] if sealed else found)
    return report


def test_every_set_loads_questions():
    for name, (rel, _) in SETS.items():
        assert (ROOT / rel).is_file(), f"评测集缺失：{rel}"
        count = len(_load(name))
        assert count > 0, f"评测集 {rel} 没有读出任何问题"


def test_normalise_drops_question_marks_full_stops_and_spaces():
    assert normalise(" 党小组 多久开一次？\n") == "党小组多久开一次"
    assert normalise("What is it? 。") == "Whatisit"
    assert normalise("一、二，三") == "一、二，三"  # other punctuation stays


def test_hit_detection_ignores_spacing_and_marks(tmp_path, monkeypatch):
    """The scanner finds a held-out question even when the test writes it with other spacing."""
    probe = _load("retrieval_holdout")[0]
    spaced = " ".join(probe) + "？"
    f = tmp_path / "test_probe.py"
    f.write_text(f'Q = "{spaced}"\n', encoding="utf-8")
    report = _hits(f)
    assert "retrieval_holdout" in report and report["retrieval_holdout"][0] >= 1
    f.write_text('Q = "完全无关的一句话而已"\n', encoding="utf-8")
    assert _hits(f) == {}


@pytest.mark.parametrize("path", _test_files(), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_eval_question_pinned(path):
    report = _hits(path)
    if not report:
        return
    rel = path.relative_to(ROOT)
    lines = [f"{rel} 原样写入了评测集问题（请换成别的日常说法）："]
    for name, (count, shown) in report.items():
        lines.append(f"  {name}（{SETS[name][0]}）：{count} 条")
        lines.extend(f"    - {q}" for q in shown)
    pytest.fail("\n".join(lines), pytrace=False)


def test_no_held_out_or_sealed_question_is_an_example_question():
    """The example-question channel (assistant/data/example_questions.jsonl) learns from dev rounds
    only: a held-out or sealed question among its examples would be answered from memory."""
    from assistant.retrieval.examples import EXAMPLES_FILE

    examples = {normalise(json.loads(line)["q"]) for line in EXAMPLES_FILE.read_text(encoding="utf-8").splitlines()
                if line.strip()}
    counts = {name: sum(q in examples for q in _load(name)) for name in SETS}
    assert not any(counts.values()), f"示例问题中含有留出/封存评测集的问题（条数）：{counts}"
