"""Topic plan, pure parts: the leaves a topic is about, their sentences as measures with timing and owner."""

from __future__ import annotations

import math
import re
from typing import Sequence

from .plan import BLANK, CalendarEntry, Goal, Measure, TopicPlan, TopicWords
from .text.sentences import sentence_spans
from .types import Citation, Clause

def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", " ", text)
    return {a + b for w in chars.split() for a, b in zip(w, w[1:])} | (
        {w for w in chars.split() if len(w) == 1})


TOPIC_HIT_FLOOR = 0.38  # fused retrieval score (0..1) a hit needs to count as on-topic
TOPIC_HIT_SHARE = 0.35  # … and its share of the best hit's score


def select_topic_leaves(topic: str, leaves: Sequence[Clause], hits: Sequence = (),
                        limit: int = 10) -> list[Clause]:
    """The leaves a topic is about, in document order: character-bigram overlap with each leaf's title
    and text (rarer bigrams count more), plus retriever hits when given. Empty when nothing matches
    well enough: a topic the standards do not cover gets no plan rather than a loose one."""
    terms = _bigrams(topic)
    if not terms or not leaves:
        return []
    docs = [(_bigrams(c.title), _bigrams(c.text)) for c in leaves]
    n = len(leaves)
    idf = {t: math.log((n + 1) / (1 + sum(t in a or t in b for a, b in docs))) + 0.1 for t in terms}
    total = sum(idf.values())
    scores = {}
    for c, (title, text) in zip(leaves, docs):
        s = sum(idf[t] * (1.5 if t in title else 1.0) for t in terms if t in title or t in text)
        # the whole topic written out (三会一课) outweighs its pieces scattered (三会一层运行)
        phrase = 0.5 if re.sub(r"\s+", "", topic) in c.title + c.text else 0.0
        scores[c.id] = s / total + phrase
    best = max(scores.values())
    chosen = {cid: s for cid, s in scores.items() if best >= 0.5 and s >= 0.6 * best}
    # Retriever hits bring the clauses that say the topic in other words (党风廉政 → 党风廉洁和反腐败):
    # those scoring near the best hit, and clearly relevant in absolute terms, join the plan.
    scored = [h for h in hits if getattr(getattr(h, "clause", None), "id", None) in scores]
    if scored:
        top = max(h.score for h in scored)
        for rank, h in enumerate(scored):
            if h.score >= max(TOPIC_HIT_FLOOR, TOPIC_HIT_SHARE * top):
                cid = h.clause.id
                chosen[cid] = max(chosen.get(cid, 0.0), scores[cid]) + 0.3 / (1 + rank)
    if not chosen:
        return []
    keep = set(sorted(chosen, key=lambda i: -chosen[i])[:limit])
    return [c for c in leaves if c.id in keep]


def split_sentences(text: str) -> list[str]:
    """Verbatim sentences of a leaf (the one splitter, `assistant.text.sentences`), without the mark."""
    return [text[a:b] for a, b in sentence_spans(text) if b - a >= 2]


def sentence_timing(sentence: str, words: TopicWords) -> str:
    """The words of the sentence that say when (每季度 / “七一”前夕 / 半年内), or BLANK."""
    def find(ws):
        pats = [rf"(?:“[^”]{{1,6}}”)?{re.escape(w)}" if w in ("前夕", "期间") else re.escape(w) for w in ws]
        hits = [m for p in pats for m in re.finditer(p, sentence)]
        return min(hits, key=lambda m: (m.start(), -len(m.group()))) if hits else None

    exact = [m.group() for m in re.finditer("|".join(
        rf"(?:“[^”]{{1,6}}”)?{re.escape(w)}" if w in ("前夕", "期间") else re.escape(w)
        for w in words.timing), sentence)] if words.timing else []
    if exact:
        return "、".join(dict.fromkeys(exact))
    m = find(words.vague_timing) if words.vague_timing else None
    return f"{m.group()}（具体时间{BLANK}）" if m else BLANK


def sentence_actor(sentence: str, words: TopicWords) -> str:
    found = [(sentence.find(a), -len(a), a) for a in words.actors if a in sentence]
    return min(found)[2] if found else BLANK


def topic_plan(topic: str, leaves: Sequence[Clause], rules: Sequence, calendar: Sequence[CalendarEntry],
               words: TopicWords) -> TopicPlan:
    ids = {c.id for c in leaves}
    goals = [Goal(r.quote, Citation(r.clauses[0], _label(leaves, r.clauses[0]), r.quote))
             for r in rules if r.clauses[0] in ids]
    goals.append(Goal(f"结合本单位实际的具体目标：{BLANK}", None))
    measures = []
    for c in leaves:
        for s in split_sentences(c.text):
            measures.append(Measure(s, Citation(c.id, c.label, s), sentence_timing(s, words),
                                    sentence_actor(s, words)))
    schedule = tuple(e for e in calendar if any(ct.id in ids for ct in e.citations))
    return TopicPlan(topic, tuple(goals), tuple(measures), schedule)


def _label(leaves: Sequence[Clause], cid: str) -> str:
    return next(c.label for c in leaves if c.id == cid)
