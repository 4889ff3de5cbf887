"""Example questions: a retrieval channel that meets users' wording through questions already
answered from a known clause.

Users ask in their own words (我们厂4500人专职党务得配几个); a clause states it in the standards'
words (按照不低于职工总数1%的比例配备). BM25 meets only the words the two share. Questions earlier
users (here: the helpers who wrote the fresh dev rounds) asked about the same clause share far more
with the next user's wording. The channel finds the stored questions most like the query
(tf-idf cosine over the retrieval tokens and character bigrams) and gives each leaf the mean
similarity of its nearest examples; fusion adds it, weighted, to the leaves already among the best
candidates (fusion.fuse), so it re-orders what the words found and lifts a confident answer, but
cannot bring in a clause the query shares nothing with.

The examples are data (assistant/data/example_questions.jsonl, written by `assistant examples
build` from the dev rounds in evals/fresh, never from the sealed test); the index build stores their
features (state.py). The evaluation scores each dev round with that round's own examples left out
(`ExampleIndex.excluding`), so its numbers are for questions the channel has not seen.

Pure functions and frozen values only: no files are read here except by `load_examples`.
"""

from __future__ import annotations

import json
import math
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

EXAMPLES_FILE = Path(__file__).resolve().parent.parent / "data" / "example_questions.jsonl"
# A leaf's example score is the mean similarity of its TOP nearest examples: one lucky example
# does not decide, and a leaf asked about in many ways is not favoured for that alone.
TOP = 3
# A comparison question's examples are kept apart: they name a leaf of each document, which would pull a
# plain question towards the other document (measured: comparisons +3, lead −1, follow-ups −2 mixed in).
KINDS = ("question", "compare")


@dataclass(frozen=True)
class Example:
    q: str
    leaves: tuple[str, ...]  # the leaves that answer it
    source: str  # the dev round it comes from (an evals/fresh split name)
    kind: str = "question"  # or "compare": a comparison of the documents, answered by a leaf of each


def load_examples(path: Path | None = None, leaf_ids: Iterable[str] | None = None) -> tuple[Example, ...]:
    """The example questions, checked: every line an object with a non-empty `q`, a list `leaves` (known
    leaf IDs when `leaf_ids` is given; empty for a question the standards do not cover), a `source` and
    optionally a `kind` (KINDS); no question twice."""
    path = path or EXAMPLES_FILE
    known = set(leaf_ids) if leaf_ids is not None else None
    out, seen = [], set()
    if not path.exists():
        return ()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} 第 {n} 行"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{where} 不是合法的 JSON：{e}") from None
        q, leaves, source = (row.get(k) if isinstance(row, dict) else None for k in ("q", "leaves", "source"))
        if not isinstance(q, str) or not q.strip():
            raise ValueError(f"{where} 缺少问题 q")
        if not isinstance(leaves, list) or not all(isinstance(x, str) for x in leaves):
            raise ValueError(f"{where} 的 leaves 应为条款编号列表（标准不涉及的问题为空列表）")
        if known is not None and (unknown := [x for x in leaves if x not in known]):
            raise ValueError(f"{where} 引用了不存在的条款：{'、'.join(unknown)}")
        if not isinstance(source, str) or not source.strip():
            raise ValueError(f"{where} 缺少来源 source")
        kind = row.get("kind", "question")
        if kind not in KINDS:
            raise ValueError(f"{where} 的 kind 只能是 {' 或 '.join(KINDS)}，收到：{kind}")
        if q in seen:
            raise ValueError(f"{where} 的问题重复：{q}")
        seen.add(q)
        out.append(Example(q, tuple(leaves), source, kind))
    return tuple(out)


def features(tokens: Sequence[str], bigrams: Sequence[str]) -> tuple[str, ...]:
    """A question's features: its retrieval tokens and its character bigrams (marked apart)."""
    return (*tokens, *(f"b:{b}" for b in bigrams))


def _weights(counts: Mapping[str, int], idf: Mapping[str, float], unseen: float) -> dict[str, float]:
    """Unit-length tf-idf vector, tf = 1 + ln(count). A feature no example has gets `unseen` idf:
    it still counts in the length, so a query mostly of words no example uses is like none."""
    vec = {f: (1.0 + math.log(c)) * idf.get(f, unseen) for f, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {f: v / norm for f, v in vec.items()} if norm else {}


@dataclass(frozen=True)
class ExampleIndex:
    """Example features with their leaves and sources; the tf-idf vectors are derived at creation."""

    features: tuple[tuple[str, ...], ...]
    leaves: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...]
    top: int = TOP
    _idf: dict = field(init=False, repr=False, compare=False)
    _unseen: float = field(init=False, repr=False, compare=False)
    _postings: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not (len(self.features) == len(self.leaves) == len(self.sources)):
            raise ValueError("example features, leaves and sources differ in length")
        n = len(self.features)
        df = Counter(f for feats in self.features for f in set(feats))
        idf = {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in df.items()}
        ids: dict[str, list[int]] = {}
        weights: dict[str, list[float]] = {}
        for i, feats in enumerate(self.features):
            for f, w in _weights(Counter(feats), idf, 0.0).items():
                ids.setdefault(f, []).append(i)
                weights.setdefault(f, []).append(w)
        # Each feature's postings as two packed arrays (example numbers, weights): the index state
        # stores them as bytes, which load without creating a Python object per number.
        postings = {f: (array("i", ids[f]).tobytes(), array("d", weights[f]).tobytes()) for f in ids}
        object.__setattr__(self, "_idf", idf)
        object.__setattr__(self, "_unseen", math.log(1 + n) + 1.0)
        object.__setattr__(self, "_postings", postings)

    def to_state(self) -> dict:
        """Plain values for the index state (state.py): the derived vectors too, so opening the index
        does not recompute them."""
        return {"features": [list(f) for f in self.features], "leaves": [list(x) for x in self.leaves],
                "sources": list(self.sources), "top": self.top, "idf": self._idf, "unseen": self._unseen,
                "postings": dict(self._postings)}

    @classmethod
    def from_state(cls, state: dict) -> "ExampleIndex":
        """The index `to_state` wrote, without recomputing its vectors."""
        features = tuple(map(tuple, state["features"]))
        leaves = tuple(map(tuple, state["leaves"]))
        sources = tuple(state["sources"])
        if not (len(features) == len(leaves) == len(sources)):
            raise ValueError("example features, leaves and sources differ in length")
        self = object.__new__(cls)
        for name, value in (("features", features), ("leaves", leaves), ("sources", sources),
                            ("top", int(state["top"])), ("_idf", dict(state["idf"])),
                            ("_unseen", float(state["unseen"])), ("_postings", dict(state["postings"]))):
            object.__setattr__(self, name, value)
        return self

    def __len__(self) -> int:
        return len(self.features)

    def excluding(self, source: str) -> "ExampleIndex":
        """The same examples without those from `source` (scoring a dev round it has not seen)."""
        keep = [i for i, s in enumerate(self.sources) if s != source]
        return ExampleIndex(tuple(self.features[i] for i in keep), tuple(self.leaves[i] for i in keep),
                            tuple(self.sources[i] for i in keep), self.top)

    def similarities(self, query_features: Sequence[str]) -> dict[int, float]:
        """Cosine similarity of the query to every example sharing a feature with it."""
        sims: dict[int, float] = {}
        for f, qw in _weights(Counter(query_features), self._idf, self._unseen).items():
            packed = self._postings.get(f)
            if packed is None:
                continue
            for i, w in zip(memoryview(packed[0]).cast("i"), memoryview(packed[1]).cast("d")):
                sims[i] = sims.get(i, 0.0) + qw * w
        return sims

    def scores(self, query_features: Sequence[str]) -> dict[str, float]:
        """Per leaf, the mean similarity of its `top` nearest examples (0..1; leaves without a
        similar example are absent). Nothing when the nearest example is one the standards do not
        cover (no leaves): a question most like a known out-of-scope one gets no lift."""
        by_leaf: dict[str, list[float]] = {}
        best_out = 0.0
        for i, s in self.similarities(query_features).items():
            if not self.leaves[i]:
                best_out = max(best_out, s)
            for leaf in self.leaves[i]:
                by_leaf.setdefault(leaf, []).append(s)
        if not by_leaf or best_out >= max(max(v) for v in by_leaf.values()):
            return {}
        return {leaf: sum(sorted(v, reverse=True)[: self.top]) / min(self.top, len(v)) for leaf, v in by_leaf.items()}


EMPTY = ExampleIndex((), (), ())


def example_index(examples: Sequence[Example], tokenize, bigrams) -> ExampleIndex:
    """The index of these examples, their features cut by the retrieval's own tokenizer."""
    return ExampleIndex(tuple(features(tokenize(e.q), bigrams(e.q)) for e in examples),
                        tuple(e.leaves for e in examples), tuple(e.source for e in examples))
