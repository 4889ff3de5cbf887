"""The character-bigram channel: pure tokenisation, and its share in fusion."""

from assistant.retrieval.fusion import FusionWeights, fuse
from assistant.retrieval.normalize import char_bigrams


def test_bigrams_drop_function_pairs_and_apply_the_thesaurus():
    grams = char_bigrams("党员一年要学习多少个小时？")
    assert "党员" in grams and "学时" in grams  # 小时 → 学时 (thesaurus)
    assert "多少" not in grams and "？" not in "".join(grams)


def test_bigram_signal_counts_in_the_weighted_mean():
    w = FusionWeights(lexical=0.5, item=0.0, dense=0.0, bigram=0.5)
    out = fuse(["a", "b"], {"a": 0.6, "b": 0.5}, {}, {}, {}, w, None, {"a": 0.0, "b": 0.4})
    assert [f.id for f in out] == ["b", "a"]
    assert out[0].score == 0.45
