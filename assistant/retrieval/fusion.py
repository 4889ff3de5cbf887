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
from functools import lru_cache
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
    # Example-question evidence (examples.py), added to the fused score of the best `example_pool`
    # candidates, capped at 1. Not part of the mean: it re-orders and confirms what the words found.
    examples: float = 0.0
    example_pool: int = 20
    # The same for comparison questions, from the example comparisons (search.py, per document).
    comparison_examples: float = 0.0

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
            return replace(self, lexical=0.0, item=0.0, bigram=0.0, dense=1.0, answer_type=0.0, examples=0.0,
                           comparison_examples=0.0)
        raise ValueError(part)


@dataclass(frozen=True)
class Fused:
    id: str
    score: float  # fused 0..1 relevance
    lexical: float  # leaf lexical relevance 0..1
    dense: float  # raw cosine similarity (0 when the dense retriever did not return the leaf)
    item: float = 0.0  # item lexical relevance 0..1
    examples: float = 0.0  # what the example questions added to `score`


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
    examples: Mapping[str, float] | None = None,
) -> list[Fused]:
    """Fused scores of the candidates, best first; ties keep candidate (document) order.

    `type_match` (0..1 per leaf) scales a leaf's score up by at most `weights.answer_type`, capped
    at 1: it re-orders leaves on the same subject but cannot lift an unrelated one far.
    `examples` (0..1 per leaf, examples.py) is then added, times `weights.examples`, to the best
    `weights.example_pool` leaves only, capped at 1: a leaf the words did not find stays out.
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
    fused = [f for _, _, f in out]
    if examples and w.examples:
        fused = with_examples(fused, examples, w.examples, w.example_pool)
    return fused


def with_examples(fused: Sequence, examples: Mapping[str, float], weight: float, pool: int,
                  leaf_of=lambda f: f.id) -> list:
    """The first `pool` leaves (Fused, or Hit with `leaf_of` giving its clause ID) with `weight` × their
    example score added (capped at 1) and re-sorted (ties keep their order); the rest unchanged after them."""
    head = []
    for f in fused[:pool]:
        score = min(1.0, f.score + weight * examples.get(leaf_of(f), 0.0))
        head.append(replace(f, score=score, examples=f.examples + score - f.score))
    head = [f for _, f in sorted(enumerate(head), key=lambda t: (-t[1].score, t[0]))]
    return head + list(fused[pool:])


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> list[tuple[str, float]]:
    """Classic RRF over ranked ID lists, for comparison in the evaluation."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


DENSE_MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class Cutoffs:
    """The "can the standards answer this?" cut-offs, calibrated per model like the weights.

    Scores are fused 0..1 relevances (fuse above), so they move when the weights or the model do;
    the composer reads these instead of constants. `min_retrieval`: below it nothing is covered;
    `coverage_threshold`: share of the question's key terms the best leaf must contain;
    `confident_retrieval` / `support_when_confident`: a top score this high lowers that share.
    """

    min_retrieval: float = 0.2
    coverage_threshold: float = 0.5
    confident_retrieval: float = 0.36
    support_when_confident: float = 0.33


@dataclass(frozen=True)
class Calibration:
    """Everything fusion.toml says about one embedding model."""

    model: str
    entry: str | None  # the [models."…"] table that matched, None when only [default] applies
    weights: FusionWeights  # with the dense channel on
    dense_auto: bool  # measured: the dense channel pays for this model (ASSISTANT_DENSE=auto turns it on)
    cutoffs: Cutoffs

    def served_weights(self, dense: bool) -> FusionWeights:
        """The weights actually used: without the dense channel its share goes to the others."""
        return self.weights.normalised() if dense else self.weights.only("lexical")


def model_entry(model_id: str, entries) -> str | None:
    """The fusion.toml entry for a model: its exact name, a local path's folder name
    (/models/bge-small-zh-v1.5 → bge-small-zh-v1.5), or `hashing` for `hashing:<dim>`."""
    model_id = (model_id or "").strip()
    candidates = [model_id, model_id.rstrip("/").rsplit("/", 1)[-1], model_id.partition(":")[0]]
    for c in candidates:
        if c and c in entries:
            return c
    return None


@lru_cache(maxsize=16)
def _calibration(model_id: str, path: Path, mtime: float) -> Calibration:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    values = dict(data.get("default", {}))
    cut = dict(values.pop("cutoffs", {}))
    entries = data.get("models", {})
    entry = model_entry(model_id, entries)
    if entry is not None:
        table = dict(entries[entry])
        cut.update(table.pop("cutoffs", {}))
        values.update(table)
    values.pop("dense_auto", None)
    auto = bool(entry is not None and entries[entry].get("dense_auto", False))
    weights = FusionWeights(**values)
    return Calibration(model_id, entry, weights, auto and weights.dense > 0, Cutoffs(**cut))


def load_calibration(model_id: str, path: Path = FUSION_FILE) -> Calibration:
    """Weights, dense verdict and cut-offs for an embedding model: [default] overridden by the
    model's own [models."<name>"] table (see `model_entry`)."""
    return _calibration(model_id, path, path.stat().st_mtime)


def load_weights(model_id: str, path: Path = FUSION_FILE) -> FusionWeights:
    """Weights for an embedding model with the dense channel on."""
    return load_calibration(model_id, path).weights


def dense_mode(value: str) -> str:
    """The ASSISTANT_DENSE value, checked: auto | on | off."""
    v = (value or "auto").strip().lower()
    if v not in DENSE_MODES:
        from ..questions import shown
        from ..types import UserInputError

        raise UserInputError(f"向量通道设置“{shown(value)}”无效：ASSISTANT_DENSE（或 --dense）只能是 auto、on 或 off。")
    return v


def dense_enabled(settings) -> bool:
    """Whether the dense channel runs: on / off as set; auto only for a model whose own
    fusion.toml entry has a measured non-zero dense weight (`dense_auto = true`)."""
    mode = dense_mode(settings.dense)
    if mode != "auto":
        return mode == "on"
    return load_calibration(settings.embedding_model).dense_auto
