"""Hybrid retrieval over the clause leaves: BM25 (leaf, item, character bigrams) fused with dense
similarity when the dense channel runs (ASSISTANT_DENSE; off for the default English model).

    from assistant.retrieval import get_retriever
    hits = get_retriever().search("支委会多久开一次？", k=5)

`Hit.score` is a 0..1 relevance (see fusion.py): the weighted mean of the leaf's lexical
relevance, its item's lexical relevance and the rescaled dense similarity. `Hit.lexical` is the
leaf's lexical relevance (BM25 / best possible for the query, 0..1) and `Hit.dense` the raw
cosine similarity. `HybridRetriever.coverage(query, hits)` is the share of the query's content
words found in the hits' indexed text, a second, model-free signal for "not covered".
"""

from __future__ import annotations

import threading
from typing import Callable

from ..config import Settings, get_settings
from ..questions import shown, validate_question
from ..types import Hit, UserInputError
from .examples import EMPTY, ExampleIndex, features
from .answer_types import answer_type_match, facts_from_tokens, question_types, subject_tokens
from .fusion import Calibration, Cutoffs, FusionWeights, fuse, load_calibration
from .normalize import char_bigrams, content_terms, normalize_query, tokenize

__all__ = ["HybridRetriever", "StandardsRetriever", "get_retriever", "normalize_query"]

MAX_K = 50


def validate_doc(doc: str | None) -> str | None:
    if doc is None or doc == "":
        return None
    d = str(doc).strip().upper()
    from ..corpus import document_codes, documents_in_words

    if d not in document_codes():
        raise UserInputError(f"未知的文档代码“{shown(doc)}”，只能是 {documents_in_words()}。")
    return d


def validate_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise UserInputError(f"返回条数 k 应为 1 到 {MAX_K} 之间的整数，收到：{k!r}。")
    return k


class HybridRetriever:
    """Searches an opened index. Read-only after construction, so one instance can be shared."""

    def __init__(self, index, weights: FusionWeights | None = None):
        """`index` is an opened index (assistant.index.IndexedIndex); everything lexical comes
        from its stored state, so nothing of the corpus is tokenised here. Without `weights`,
        the model's calibrated weights (fusion.toml), without the dense share when the index
        was opened with the dense channel off."""
        self.index = index
        self.corpus = index.corpus
        self.calibration: Calibration = load_calibration(index.model_id)
        self.weights = (weights or self.calibration.served_weights(self.dense_on)).normalised()
        self._leaves = self.corpus.leaves()
        self._by_id = {c.id: c for c in self._leaves}
        self._order = [c.id for c in self._leaves]
        self._item_of = {c.id: c.item_id for c in self._leaves}
        self._leaf_tokens = {cid: frozenset(t) for cid, t in index.leaf_tokens.items()}
        self._leaf_facts = {c.id: facts_from_tokens(c.text, index.sentence_tokens[c.id]) for c in self._leaves}
        self._bigrams = index.bigrams
        self.examples: ExampleIndex = index.examples if index.examples is not None else EMPTY
        self.comparison_examples: ExampleIndex = (index.comparison_examples if index.comparison_examples is not None
                                                  else EMPTY)

    @property
    def model_id(self) -> str:
        return self.index.model_id

    @property
    def dense_on(self) -> bool:
        """Whether this retriever can run the dense channel (the index was opened with it)."""
        return self.index.dense is not None

    @property
    def cutoffs(self) -> Cutoffs:
        """The calibrated "can the standards answer this?" cut-offs for this model (fusion.toml)."""
        return self.calibration.cutoffs

    def with_weights(self, weights: FusionWeights) -> "HybridRetriever":
        """The same index searched with other weights (evaluation: lexical-only, dense-only)."""
        other = object.__new__(HybridRetriever)
        other.__dict__.update(self.__dict__)
        other.weights = weights.normalised() if weights.dense < 1 else weights
        return other

    def without_examples_from(self, source: str | None = None) -> "HybridRetriever":
        """The same retriever without the example questions of one dev round (evaluation scores a
        round with the channel knowing only the other rounds), or without any (`source` None)."""
        other = object.__new__(HybridRetriever)
        other.__dict__.update(self.__dict__)
        other.examples = self.examples.excluding(source) if source is not None else EMPTY
        other.comparison_examples = self.comparison_examples.excluding(source) if source is not None else EMPTY
        return other

    def comparison_scores(self, query: str) -> dict[str, float]:
        """Per leaf, how like the example comparison questions answered by it the query is (0..1,
        examples.py), times the `comparison_examples` weight; empty with the weight 0."""
        w = self.weights.comparison_examples
        if w <= 0 or not len(self.comparison_examples):
            return {}
        scores = self.comparison_examples.scores(features(tokenize(query), char_bigrams(query)))
        return {leaf: w * v for leaf, v in scores.items()}

    def signals(self, query: str, doc: str | None = None, with_dense: bool | None = None) -> dict:
        """The per-retriever relevances for every candidate leaf (before fusion).

        The dense part is skipped when its weight is 0, unless `with_dense` asks for it; asking
        for it on a retriever opened with the dense channel off is an error."""
        tokens = tokenize(query)
        candidates = [cid for cid in self._order if doc is None or self._by_id[cid].doc == doc]
        _, lex_rel = self.index.lexical.relevance(tokens)
        lexical = {cid: float(v) for cid, v in zip(self.index.lexical.ids, lex_rel)}
        _, item_rel = self.index.items.relevance(tokens)
        items = {iid: float(v) for iid, v in zip(self.index.items.ids, item_rel)}
        dense: dict[str, float] = {}
        if with_dense and not self.dense_on:
            raise RuntimeError("dense channel is off for this retriever (ASSISTANT_DENSE)")
        if self.dense_on and (with_dense or (with_dense is None and self.weights.dense > 0)):
            vec = self.index.embedder.embed([normalize_query(query)])[0]
            dense = self.index.dense.similarities(vec, n=len(candidates), doc=doc)
        wanted = question_types(query)
        type_match = None
        if wanted:
            q_tokens = subject_tokens(query)
            type_match = {cid: answer_type_match(wanted, q_tokens, self._leaf_facts[cid]) for cid in candidates}
        bigram: dict[str, float] = {}
        if self.weights.bigram > 0:
            _, big_rel = self._bigrams.relevance(char_bigrams(query))
            bigram = {cid: float(v) for cid, v in zip(self._bigrams.ids, big_rel)}
        examples: dict[str, float] = {}
        if self.weights.examples > 0 and len(self.examples):
            examples = self.examples.scores(features(tokens, char_bigrams(query)))
        return {"candidates": candidates, "lexical": lexical, "items": items, "dense": dense,
                "type_match": type_match, "bigram": bigram, "examples": examples}

    def search(self, query: str, k: int = 5, doc: str | None = None) -> list[Hit]:
        """The k best leaves for the query, best first (optionally within one document)."""
        q = validate_question(query)
        k, doc = validate_k(k), validate_doc(doc)
        s = self.signals(q, doc)
        fused = fuse(s["candidates"], s["lexical"], s["dense"], s["items"], self._item_of, self.weights,
                     s["type_match"], s["bigram"], s["examples"])
        return [Hit(self._by_id[f.id], f.score, f.lexical, f.dense, f.examples) for f in fused[:k]]

    def coverage(self, query: str, hits: list[Hit]) -> float:
        """Share of the query's distinct content words (thesaurus-mapped) present in the hits' text.

        Only words the standards use anywhere count as matchable, but every content word counts
        in the denominator: "公积金怎么交" has no word the standards use, so coverage is 0.
        """
        terms = content_terms(query)
        if not terms:
            return 0.0
        seen: set[str] = set()
        for h in hits:
            seen |= self._leaf_tokens.get(h.clause.id, frozenset())
        return sum(1 for t in terms if t in seen) / len(terms)


def coverage(query: str, hits: list[Hit], retriever: HybridRetriever | None = None) -> float:
    return (retriever or get_retriever()).coverage(query, hits)


_LOCK = threading.Lock()


def get_retriever(settings: Settings | None = None, progress: Callable[[str, float], None] | None = None
                  ) -> HybridRetriever:
    """The shared retriever for these settings; builds the index first if it is missing or stale."""
    settings = settings or get_settings()
    with _LOCK:
        return _cached_retriever(settings, progress)


# Keyed by settings (a frozen dataclass); not lru_cache, whose key could not ignore `progress`.
_CACHE: dict[Settings, HybridRetriever] = {}


def _cached_retriever(settings: Settings, progress) -> HybridRetriever:
    r = _CACHE.get(settings)
    if r is None:
        from ..index import ensure_index

        r = HybridRetriever(ensure_index(settings, progress))
        _CACHE[settings] = r
    elif progress:
        progress("索引已就绪", 1.0)
    return r


def clear_retriever_cache() -> None:
    with _LOCK:
        _CACHE.clear()


# ---------------------------------------------------------------- LangChain face


def _standards_retriever_class():
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
    from pydantic import ConfigDict

    class StandardsRetriever(BaseRetriever):
        """LangChain retriever over the standards: Documents with id/label/doc/score metadata."""

        model_config = ConfigDict(arbitrary_types_allowed=True)
        hybrid: object
        k: int = 5
        doc: str | None = None

        def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                    ) -> list[Document]:
            hits = self.hybrid.search(query, k=self.k, doc=self.doc)
            return [
                Document(
                    page_content=h.clause.text,
                    metadata={"id": h.clause.id, "label": h.clause.label, "doc": h.clause.doc,
                              "title": h.clause.title, "score": h.score, "lexical": h.lexical,
                              "dense": h.dense},
                )
                for h in hits
            ]

    return StandardsRetriever


def __getattr__(name: str):
    # LangChain loads only when the LangChain face is asked for.
    if name == "StandardsRetriever":
        cls = _standards_retriever_class()
        globals()["StandardsRetriever"] = cls
        return cls
    raise AttributeError(name)
