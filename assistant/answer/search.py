"""Which clauses a (rewritten) question is answered from: the retriever's hits, shaped by what the follow-up
points at (the other document, what else, the clause just shown) and by clauses named by number."""

from __future__ import annotations

from collections.abc import Sequence

from ..retrieval.fusion import with_examples
from ..types import Hit
from .clause_refs import referenced_leaves
from .compose import SEARCH_K
from .followups import MORE, Rewrite
from .reading import comparison_topic, is_comparison, mentioned_documents
from .terms import canonical_wording, key_terms, synonym_groups


def _default_retriever():
    from ..retrieval import get_retriever

    return get_retriever()


def search_for(rw: Rewrite, retriever) -> list[Hit]:
    """Hits for a (rewritten) query. A follow-up keeps the previous question's wording around its new
    topic (党建经费按什么比例安排 → 专职党务人员按什么比例安排), which can pull the old clause back up:
    when some leaves name the new topic, only those are answered from."""
    if rw.kind == "more":
        return _more_hits(rw, retriever or _default_retriever())
    if rw.docs:  # the other document: search deeper, keep that document's leaves
        r = retriever or _default_retriever()
        # 清单那边呢, after questions answered from 河钢标准: what the whole conversation asked, there
        return [h for d in rw.docs for h in r.search(rw.thread or rw.query, k=SEARCH_K, doc=d)]
    from ..corpus import load_corpus

    corpus = load_corpus()
    documents = corpus.documents
    named_leaves = referenced_leaves(rw.query, corpus)
    if is_comparison(canonical_wording(rw.query), documents):  # each document's own best leaves
        r = retriever or _default_retriever()
        topic = comparison_topic(rw.query, documents)  # 河钢标准和清单 would pull in the clauses naming them
        per_doc = [r.search(topic, k=SEARCH_K // 2, doc=d.code) for d in documents]
        hits = sorted((h for hs in per_doc for h in hs), key=lambda h: -h.score)
        compared = r.comparison_scores(rw.query)  # like comparisons asked before: the leaves they compared
        if compared:
            hits = with_examples(hits, compared, 1.0, len(hits), lambda h: h.clause.id)
        return _named_first(hits, named_leaves, corpus)
    if named_leaves:  # 河钢第21条里…: the clauses the question names by number come first
        return _named_first((retriever or _default_retriever()).search(rw.query, k=SEARCH_K), named_leaves, corpus)
    named = mentioned_documents(canonical_wording(rw.query), documents)
    if len(named) == 1:  # 四同步清单对X怎么要求: that document's own best leaves
        return (retriever or _default_retriever()).search(rw.query, k=SEARCH_K, doc=named[0])
    hits = (retriever or _default_retriever()).search(rw.query, k=SEARCH_K)
    if rw.kind == "refer":  # 这个计划叫什么: the clauses the previous answer led with come first
        corpus = load_corpus()
        front = [Hit(corpus.get(c), 1.0) for c in rw.context if corpus.get(c)]
        return front + [h for h in hits if h.clause.id not in rw.context]
    if rw.kind != "elliptic" or not rw.topic:
        return hits
    if rw.context:  # 那班子成员个人呢: the clause just shown, where it names the new topic
        corpus = load_corpus()
        own = sorted((t for t in key_terms(canonical_wording(rw.topic)) if len(t) >= 2), key=len, reverse=True)
        front = [Hit(corpus.get(c), hits[0].score if hits else 1.0) for c in rw.context[:1]
                 if len(rw.context) == 1 and corpus.get(c)
                 and own and own[0] in corpus.get(c).text]  # 那班子成员个人呢: its main word is there
        if front:
            return front + [h for h in hits if h.clause.id not in rw.context]
    return naming_topic(hits, rw.topic, lambda c: c.text)


def _named_first(hits: Sequence[Hit], named: Sequence[str], corpus) -> list[Hit]:
    if not named:
        return list(hits)
    top = max((h.score for h in hits), default=1.0)
    front = [Hit(corpus.get(i), top) for i in named if corpus.get(i) is not None]
    return front + [h for h in hits if h.clause.id not in set(named)]


def _more_hits(rw: Rewrite, retriever) -> list[Hit]:
    """What else: the previous question with the follow-up's own topic (讲党课还有啥别的要求), in the
    document it names; when some leaves name that topic, only those."""
    query = MORE.sub(" ", rw.query)  # 还有别的要求 would pull in every clause that says 要求
    if rw.docs:
        hits = sorted((h for d in rw.docs for h in retriever.search(query, k=SEARCH_K, doc=d)), key=lambda h: -h.score)
    else:
        hits = retriever.search(query, k=SEARCH_K)
    return naming_topic(hits, rw.topic, lambda c: c.title + c.text) if rw.topic else hits


def naming_topic(hits: Sequence[Hit], topic: str, text_of) -> list[Hit]:
    """The hits whose text names every word of the follow-up's topic (or a variant of it); all hits
    when none does."""
    groups = synonym_groups()
    terms = [groups.get(t, (t,)) for t in key_terms(canonical_wording(topic))]
    if not terms:
        return list(hits)
    naming = [h for h in hits if all(any(a in text_of(h.clause) for a in alts) for alts in terms)]
    return naming or list(hits)
