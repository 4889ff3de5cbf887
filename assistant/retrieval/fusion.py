"""Score fusion: pure functions, no models, no files (the weights come in as data).

A leaf's fused score is a weighted mean of these relevances, each already in 0..1:

- lexical: the leaf's BM25 divided by the best the query could score (see lexical.py);
- item: the same for the whole item the leaf belongs to (title and all its sub-items), so a
  sub-item that shares its item's subject is not judged on its own sentence alone;
- dense: cosine similarity rescaled between the model's "unrelated" floor and "same" ceiling;
- bigram: BM25 over character bigrams, which meets colloquial wording where jieba cuts differently.

The weights sum to 1, so the fused score is itself a 0..1 relevance: near 0 when the query shares
nothing with the standards, near 1 when every content word meets the leaf and its item.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

FUSION_FILE = Path(__file__).resolve().parent.parent / "data" / "fusion.toml"


@dataclass(frozen=True)
class FusionWeights:
    lexical: float = 0.6
    item: float = 0.3
    dense: float = 0.1
    bigram: float = 0.0  # character-bigram BM25 of the leaf (see normalize.char_bigrams)
    dense_floor: float = 0.2  # cosine of unrelated texts for this model
    dense_ceiling: float = 0.8  # cosine of near-paraphrases
    # Multiplicative boost for a leaf that states the kind of fact the question asks for
    # (a frequency, a percentage, hours …; see answer_types.py). Not part of the mean.
    answer_type: float = 0.0

    def normalised(self) -> "FusionWeights":
        total = self.lexical + self.item + self.dense + self.bigram
        if total <= 0:
            raise ValueError("fusion weights must not all be zero")
        return replace(self, lexical=self.lexical / total, item=self.item / total, dense=self.dense / total,
                       bigram=self.bigram / total)

    def only(self, part: str) -> "FusionWeights":
        """Single-retriever configurations for evaluation: 'lexical' (leaf + item) or 'dense'."""
        if part == "lexical":
            return replace(self, dense=0.0).normalised()
        if part == "dense":
            return replace(self, lexical=0.0, item=0.0, bigram=0.0, dense=1.0, answer_type=0.0)
        raise ValueError(part)


@dataclass(frozen=True)
class Fused:
    id: str
    score: float  # fused 0..1 relevance
    lexical: float  # leaf lexical relevance 0..1
    dense: float  # raw cosine similarity (0 when the dense retriever did not return the leaf)
    item: float = 0.0  # item lexical relevance 0..1


def dense_relevance(cosine: float, floor: float, ceiling: float) -> float:
    """Cosine rescaled to 0..1 between the model's floor (unrelated) and ceiling (same meaning)."""
    if ceiling <= floor:
        return 0.0
    return min(1.0, max(0.0, (cosine - floor) / (ceiling - floor)))


def fuse(
    candidates: Sequence[str],
    lexical: Mapping[str, float],
    dense: Mapping[str, float],
    item_lexical: Mapping[str, float],
    item_of: Mapping[str, str],
    weights: FusionWeights,
    type_match: Mapping[str, float] | None = None,
    bigram: Mapping[str, float] | None = None,
) -> list[Fused]:
    """Fused scores of the candidates, best first; ties keep candidate (document) order.

    `type_match` (0..1 per leaf) scales a leaf's score up by at most `weights.answer_type`, capped
    at 1: it re-orders leaves on the same subject but cannot lift an unrelated one far.
    """
    w = weights.normalised()
    out = []
    for order, cid in enumerate(candidates):
        lex = lexical.get(cid, 0.0)
        cos = dense.get(cid)
        itm = item_lexical.get(item_of.get(cid, cid), 0.0)
        den = dense_relevance(cos, w.dense_floor, w.dense_ceiling) if cos is not None else 0.0
        score = w.lexical * lex + w.item * itm + w.dense * den
        if bigram and w.bigram:
            score += w.bigram * bigram.get(cid, 0.0)
        if type_match and w.answer_type:
            score = min(1.0, score * (1.0 + w.answer_type * type_match.get(cid, 0.0)))
        out.append((-score, order, Fused(cid, score, lex, cos if cos is not None else 0.0, itm)))
    out.sort(key=lambda t: (t[0], t[1]))
    return [f for _, _, f in out]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> list[tuple[str, float]]:
    """Classic RRF over ranked ID lists, for comparison in the evaluation."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def load_weights(model_id: str, path: Path = FUSION_FILE) -> FusionWeights:
    """Weights for an embedding model: the [default] table, overridden by [models."<id>"]."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    values = dict(data.get("default", {}))
    for prefix, table in data.get("models", {}).items():
        if model_id == prefix or model_id.startswith(prefix):
            values.update(table)
    return FusionWeights(**values)
