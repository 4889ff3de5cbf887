"""Retrieval quality with the real default model (slow: loads MiniLM once per session).

The thresholds are the issue's targets on the dev set and a floor on the held-out set that was
written before tuning and never tuned on (see evals/README.md for the measured numbers).
"""

import json
from pathlib import Path

import pytest

from assistant.evaluation import evaluate_retrieval, load_questions, retrieval_configurations

EVALS = Path(__file__).resolve().parent.parent / "evals"


def _questions(corpus, name):
    rows = [json.loads(x) for x in (EVALS / name).read_text(encoding="utf-8").splitlines() if x.strip()]
    return load_questions(rows, corpus)


@pytest.mark.slow
def test_dev_set_meets_the_targets(real_retriever):
    qs = _questions(real_retriever.corpus, "retrieval_dev.jsonl")
    assert len(qs) >= 120
    m = evaluate_retrieval(real_retriever, qs, {"hybrid": real_retriever.weights})["hybrid"]
    assert m["item_hit1"] >= 0.95 and m["item_hit5"] == 1.0 and m["item_mrr10"] >= 0.97
    assert m["cross_both_docs5"] == 1.0


@pytest.mark.slow
def test_holdout_set_stays_close(real_retriever):
    qs = _questions(real_retriever.corpus, "retrieval_holdout.jsonl")
    assert len(qs) >= 40
    results = evaluate_retrieval(real_retriever, qs, retrieval_configurations(real_retriever))
    m = results["hybrid"]
    assert m["item_hit5"] == 1.0 and m["cross_both_docs5"] == 1.0
    assert m["item_hit1"] >= 0.85 and m["item_mrr10"] >= 0.9
    # The English model alone is far weaker on Chinese: the fused result must beat it clearly.
    assert m["item_hit1"] > results["dense"]["item_hit1"] + 0.3
