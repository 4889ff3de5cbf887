"""BM25 over jieba tokens (bm25s), with an absolute 0..1 relevance next to the raw score.

The raw BM25 score only ranks leaves for one query; it says nothing about whether the query is
about the standards at all. `LexicalIndex.relevance` divides it by what the query could score at
best: the sum over its distinct terms of each term's best score in the corpus, where a term the
corpus never uses counts as a typical term that no leaf matches. So "今天天气怎么样" or an English
question scores near 0, and a question whose every content word meets one leaf scores near 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .normalize import tokenize

K1, B = 1.2, 0.75


class LexicalIndex:
    def __init__(self, bm25, ids: list[str]):
        self._bm25 = bm25
        self.ids = ids
        self._vocab: dict[str, int] = bm25.vocab_dict
        # Best score each vocabulary term reaches in any leaf (the CSC column maxima).
        self._term_max = self._column_maxima()
        nonzero = self._term_max[self._term_max > 0]
        # What an unknown word would have weighed: a typical (median) term of the corpus.
        self._unknown_weight = float(np.median(nonzero)) if nonzero.size else 1.0

    # ------------------------------------------------------------ build / persist

    @classmethod
    def build(cls, ids: list[str], texts: list[str], tokenizer=tokenize) -> "LexicalIndex":
        import bm25s

        corpus_tokens = [tokenizer(t) or ["\u2205"] for t in texts]
        bm25 = bm25s.BM25(k1=K1, b=B)
        bm25.index(corpus_tokens, show_progress=False)
        return cls(bm25, list(ids))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(directory), show_progress=False)
        (directory / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        import bm25s

        bm25 = bm25s.BM25.load(str(directory), show_progress=False)
        ids = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        if len(ids) != bm25.scores["num_docs"]:
            raise ValueError(f"lexical index holds {bm25.scores['num_docs']} leaves, ids.json {len(ids)}")
        return cls(bm25, ids)

    # ------------------------------------------------------------ scoring

    def _column_maxima(self) -> np.ndarray:
        s = self._bm25.scores
        data, indptr = np.asarray(s["data"]), np.asarray(s["indptr"])
        out = np.zeros(len(indptr) - 1, dtype=np.float64)
        for t in range(len(out)):
            seg = data[indptr[t]: indptr[t + 1]]
            out[t] = float(seg.max()) if seg.size else 0.0
        return out

    def scores(self, tokens: list[str]) -> np.ndarray:
        """Raw BM25 score of every leaf, in `ids` order (each distinct token counted once)."""
        known = [self._vocab[t] for t in dict.fromkeys(tokens) if t in self._vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float64)
        return np.asarray(self._bm25.get_scores_from_ids(known), dtype=np.float64)

    def best_possible(self, tokens: list[str]) -> float:
        """Upper bound of `scores` for these tokens; unknown tokens add a typical term's weight."""
        total = 0.0
        for t in dict.fromkeys(tokens):
            i = self._vocab.get(t)
            total += self._term_max[i] if i is not None else self._unknown_weight
        return total

    def relevance(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(raw BM25, raw / best possible in 0..1) for every leaf."""
        raw = self.scores(tokens)
        bound = self.best_possible(tokens)
        return raw, (raw / bound if bound > 0 else raw)

    def knows(self, token: str) -> bool:
        return token in self._vocab
