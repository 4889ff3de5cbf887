"""BM25 over jieba tokens (bm25s), with an absolute 0..1 relevance next to the raw score.

The raw BM25 score only ranks leaves for one query; it says nothing about whether the query is
about the standards at all. `LexicalIndex.relevance` divides it by what the query could score at
best: the sum over its distinct terms of each term's best score in the corpus, where a term the
corpus never uses counts as a typical term that no leaf matches. So "今天天气怎么样" or an English
question scores near 0, and a question whose every content word meets one leaf scores near 1.
"""

from __future__ import annotations

import numpy as np

from .normalize import tokenize

K1, B = 1.2, 0.75
_FLOAT, _INT = np.dtype("float32"), np.dtype("int32")  # what bm25s stores and scores in


class LexicalIndex:
    """BM25 scores of every (term, leaf) pair as a CSC matrix, scored without bm25s.

    bm25s builds the matrix (at index-build time); a query only sums the columns of its terms,
    exactly as bm25s.BM25.get_scores_from_ids does (float32, term by term), so the query path
    needs numpy and the stored arrays, nothing else.
    """

    def __init__(self, ids: list[str], vocab: dict[str, int], data: np.ndarray, indices: np.ndarray,
                 indptr: np.ndarray, term_max: np.ndarray | None = None):
        self.ids = list(ids)
        self._vocab = vocab
        self._data, self._indices, self._indptr = data, indices, indptr
        if any(not 0 <= i < len(indptr) - 1 for i in vocab.values()):
            raise ValueError(f"lexical index: a term id outside the {len(indptr) - 1} columns")
        # Best score each vocabulary term reaches in any leaf (the CSC column maxima).
        self._term_max = term_max if term_max is not None else self._column_maxima()
        nonzero = self._term_max[self._term_max > 0]
        # What an unknown word would have weighed: a typical (median) term of the corpus.
        self._unknown_weight = float(np.median(nonzero)) if nonzero.size else 1.0

    # ------------------------------------------------------------ build / persist

    @classmethod
    def build(cls, ids: list[str], texts: list[str], tokenizer=tokenize) -> "LexicalIndex":
        return cls.from_tokens(ids, [tokenizer(t) for t in texts])

    @classmethod
    def from_tokens(cls, ids: list[str], corpus_tokens: list[list[str]]) -> "LexicalIndex":
        import bm25s

        bm25 = bm25s.BM25(k1=K1, b=B)
        bm25.index([t or ["\u2205"] for t in corpus_tokens], show_progress=False)
        s = bm25.scores
        if s["num_docs"] != len(ids):
            raise ValueError(f"bm25s indexed {s['num_docs']} texts for {len(ids)} ids")
        columns = len(s["indptr"]) - 1
        vocab = {t: i for t, i in bm25.vocab_dict.items() if i < columns}  # bm25s adds "" without a column
        return cls(ids, vocab, np.asarray(s["data"], _FLOAT), np.asarray(s["indices"], _INT),
                   np.asarray(s["indptr"], _INT))

    def to_state(self) -> dict:
        """Plain values (str, int, bytes, list, dict) for the index file (see index.py)."""
        return {"ids": self.ids, "vocab": self._vocab, "data": self._data.tobytes(),
                "indices": self._indices.tobytes(), "indptr": self._indptr.tobytes(),
                "term_max": self._term_max.astype(np.float64).tobytes()}

    @classmethod
    def from_state(cls, state: dict) -> "LexicalIndex":
        arr = lambda key, dtype: np.frombuffer(state[key], dtype=dtype)  # noqa: E731 (read-only views)
        out = cls(state["ids"], state["vocab"], arr("data", _FLOAT), arr("indices", _INT), arr("indptr", _INT),
                  arr("term_max", np.float64))
        if out._indices.size and (int(out._indices.max()) >= len(out.ids) or int(out._indices.min()) < 0):
            raise ValueError("lexical index refers to leaves it does not have")
        return out

    # ------------------------------------------------------------ scoring

    def _column_maxima(self) -> np.ndarray:
        data, indptr = self._data, self._indptr
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
        out = np.zeros(len(self.ids), dtype=_FLOAT)
        for t in known:
            start, end = self._indptr[t], self._indptr[t + 1]
            np.add.at(out, self._indices[start:end], self._data[start:end])
        return out.astype(np.float64)

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
