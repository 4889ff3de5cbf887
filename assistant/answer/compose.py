"""The extractive composer: choose verbatim statements from the hits and write the cited answer.

Every quote shown with a label is a verbatim span of that leaf's text, so a label never stands next
to words its clause does not contain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..text.sentences import segment_spans, sentence_spans, trimmed_span
from ..types import Answer, Citation, Clause, Hit
from .coverage import COVERAGE_THRESHOLD, Coverage, assess_coverage
from .terms import (CJK, FIGURE, TermStats, WeightedTerms, asks_quantity, canonical_wording, figures, lexicon,
                    term_stats, weigh)

# A leaf from the other document joins the direct answer when it scores at least this share of the
# best statement's score (and passes the coverage threshold itself).
SECOND_DOC_RATIO = 0.6
# ... and when its clause names what the lead statement names: if the question words the lead
# quote contains but the other clause lacks weigh more than this share of the question, the other
# statement speaks to something else (述职述廉报告几月份写 → 四项教育纳入述职述廉内容).
SECOND_DOC_MAX_MISSING = 0.3
RELATED_THRESHOLD = 0.34
MAX_RELATED = 3
SEARCH_K = 6

# A sentence longer than this is narrowed to the comma segments that answer.
TRIM_ABOVE_CHARS = 45
# A question that asks for no figure sees its whole sentence up to this length.
WHOLE_SENTENCE_CHARS = 100
# A lead clause this short is quoted whole: a user reads three sentences at a glance, and a trimmed quote
# loses the asked-for fact whenever the sentence picked is the clause's other one (四个百分百 lists four
# requirements; the question asks about one). Measured on the fresh dev sets: lead +1..+4 points per set
# and follow-ups up to +11, nothing lower. Every leaf of the present corpus is shorter (the longest,
# HG-10.2, has 214 characters); a longer paragraph of another corpus keeps the trimmed quote.
WHOLE_CLAUSE_CHARS = 240
# Bonus for sharing the question's own character pairs: breaks ties between leaves that contain
# the same key words (党小组会一般每月召开1次 beats 参加所在支部或党小组组织生活).
BIGRAM_WEIGHT = 0.15
NOT_COVERED = "{scope}中没有找到关于“{topic}”的规定。"

# ---------------------------------------------------------------- statement selection


@dataclass(frozen=True)
class Statement:
    """A verbatim span of one leaf chosen to answer the question."""

    clause: Clause
    start: int
    end: int
    score: float

    @property
    def quote(self) -> str:
        return self.clause.text[self.start:self.end]

    def citation(self) -> Citation:
        return Citation(self.clause.id, self.clause.label, self.quote, True)


def _score(wt: WeightedTerms, text: str, quantity: bool) -> float:
    score = wt.share_in(text)
    if score and quantity and FIGURE.search(text):
        score += 0.1  # a figure is what a "how many / how often" question wants
    return score


def question_bigrams(question: str) -> frozenset[str]:
    chars = "".join(ch if CJK.match(ch) else " " for ch in question)
    return frozenset(chars[i:i + 2] for i in range(len(chars) - 1) if " " not in chars[i:i + 2])


def _bigram_share(bigrams: frozenset[str], text: str) -> float:
    return sum(b in text for b in bigrams) / len(bigrams) if bigrams else 0.0


def trim_to_answer(clause: Clause, start: int, end: int, wt: WeightedTerms, quantity: bool) -> tuple[int, int]:
    """Narrow a long sentence to the comma segments that answer: the best one, neighbours that
    add key words it lacks (or the figure it lacks), and a segment that continues it (特殊情况…)."""
    text = clause.text
    segs = segment_spans(text, start, end)
    if len(segs) <= 1 or end - start <= TRIM_ABOVE_CHARS or wt.asks_condition:
        return start, end
    if not quantity and end - start <= WHOLE_SENTENCE_CHARS:
        # What / how / whether: the answer is the requirement as a whole; a cut sentence loses it
        # (推广和加强智慧党建云平台运用 without 隶属清楚…数据准确).
        return start, end
    scores = [_score(wt, text[a:b], quantity) for a, b in segs]
    best = max(range(len(segs)), key=lambda i: scores[i])
    if scores[best] == 0:
        return start, end
    lo = hi = best

    def adds(i: int, current: str) -> bool:
        seg = text[segs[i][0]:segs[i][1]]
        gain = wt.share_in(current + seg) - wt.share_in(current)
        needs_figure = quantity and not FIGURE.search(current) and FIGURE.search(seg)
        return gain >= 0.15 or bool(needs_figure)

    grown = True
    while grown:
        grown = False
        current = text[segs[lo][0]:segs[hi][1]]
        if lo > 0 and adds(lo - 1, current):
            lo, grown = lo - 1, True
        elif hi + 1 < len(segs) and adds(hi + 1, current):
            hi, grown = hi + 1, True
        elif lo > 1 and adds(lo - 2, current):
            # one segment in between may say nothing the question names (对于“不合格”的党员，要由
            # 支部书记…限期改正，改正期限为1年): bridge it rather than lose the subject
            lo, grown = lo - 2, True
    if quantity and not FIGURE.search(text[segs[lo][0]:segs[hi][1]]):
        # The figure is the answer: reach the nearest segment that states one and shares a key word
        # (…严格按照25个具体步骤开展发展党员工作，…，确保发展党员程序规范).
        with_figure = [i for i in range(len(segs)) if FIGURE.search(text[segs[i][0]:segs[i][1]])
                       and wt.share_in(text[segs[i][0]:segs[i][1]]) > 0]
        if with_figure:
            nearest = min(with_figure, key=lambda i: min(abs(i - lo), abs(i - hi)))
            lo, hi = min(lo, nearest), max(hi, nearest)
    seg_text = lambda i: text[segs[i][0]:segs[i][1]]  # noqa: E731
    while hi + 1 < len(segs) and (seg_text(hi + 1).startswith(lexicon().continuation_starts)
                                  or seg_text(hi).endswith("的")):
        # …不能及时换届的，应及时向上级党组织请示报告: a clause ending in 的 is a condition whose
        # requirement follows.
        hi += 1
    while lo > 0 and (BACK_REFERENCE.match(seg_text(lo)) or seg_text(lo - 1).endswith("的")):
        lo -= 1  # 其占比不低于…: 其 points back; …换届的，应…: a requirement keeps its condition
    return segs[lo][0], segs[hi][1]


# A segment opening with 其 (its) refers to the one before; 其他/其中/其余 do not.
BACK_REFERENCE = re.compile(r"其(?![他中余次])")


def best_statement(clause: Clause, wt: WeightedTerms, quantity: bool, prior: float = 0.0,
                   bigrams: frozenset[str] = frozenset()) -> Statement:
    """The sentence of a leaf that best answers, trimmed to the part that answers."""
    best: Statement | None = None
    for a, b in sentence_spans(clause.text):
        a, b = trim_to_answer(clause, a, b, wt, quantity)
        span = clause.text[a:b]
        s = _score(wt, span, quantity) + BIGRAM_WEIGHT * _bigram_share(bigrams, span) + prior
        if best is None or s > best.score:
            best = Statement(clause, a, b, s)
    assert best is not None  # leaves are never empty (the parser rejects them)
    return best


def missing_share(wt: WeightedTerms, lead: str, other: str) -> float:
    """Weighted share of the question's words that lead contains and other does not. A word that
    names the kind of figure (比例) counts as present when other states a figure (0.5%-2%标准)."""
    if not wt.terms:
        return 0.0
    alts = wt.alternatives or tuple((t,) for t in wt.terms)
    cues = lexicon().quantity_cues
    other_has_figure = bool(FIGURE.search(other))
    missing = sum(w for t, a, w in zip(wt.terms, alts, wt.weights)
                  if any(x in lead for x in a) and not any(x in other for x in a)
                  and not (other_has_figure and t in cues))
    return missing / wt.total


@dataclass(frozen=True)
class Selection:
    direct: tuple[Statement, ...]  # the answer: one statement, or one per document when both speak
    related: tuple[Statement, ...]  # 相关条款: whole sentences of other relevant leaves


def select_statements(question: str, hits: Sequence[Hit], stats: TermStats | None = None) -> Selection:
    stats = stats or term_stats()
    question = canonical_wording(question)
    wt = weigh(question, stats)
    quantity = asks_quantity(question)
    bigrams = question_bigrams(question)
    candidates = []
    for rank, h in enumerate(hits):
        # The retriever's order breaks ties between equally worded leaves.
        prior = 0.02 * (len(hits) - rank) / max(len(hits), 1)
        candidates.append(best_statement(h.clause, wt, quantity, prior, bigrams))
    candidates.sort(key=lambda s: -s.score)
    if not candidates:
        return Selection((), ())
    direct = [candidates[0]]
    other = next((s for s in candidates[1:] if s.clause.doc != direct[0].clause.doc), None)
    if other and wt.share_in(other.clause.title + other.clause.text) >= COVERAGE_THRESHOLD \
            and other.score >= SECOND_DOC_RATIO * direct[0].score \
            and missing_share(wt, direct[0].quote, other.clause.title + "\n" + other.clause.text) <= SECOND_DOC_MAX_MISSING:
        direct.append(other)
    related = []
    for s in candidates:
        if s in direct or len(related) >= MAX_RELATED:
            continue
        if wt.share_in(s.clause.title + "\n" + s.clause.text) >= RELATED_THRESHOLD:
            a, b = max(sentence_spans(s.clause.text), key=lambda sp: _score(wt, s.clause.text[sp[0]:sp[1]], quantity))
            related.append(Statement(s.clause, a, b, s.score))
    return Selection(tuple(direct), tuple(related))


# ---------------------------------------------------------------- composing


def whole_short_clauses(answer: Answer, text_of) -> Answer:
    """The direct statements of an answer, each widened to its whole leaf when the leaf is short
    (WHOLE_CLAUSE_CHARS). text_of(leaf id) gives the leaf's text; the quotes stay verbatim. A follow-up
    answered by another part of the clause just shown shows the clause again: measured, a narrow quote of
    "the other part" picks the wrong part more often than not. Two statements of one leaf (甲〔第24条〕；
    乙〔第24条〕) become the one whole clause."""
    if not answer.covered or answer.direct <= 0 or not answer.citations:
        return answer
    text, kept, widened = answer.text, [], set()
    for c in answer.citations[:answer.direct]:
        whole = (text_of(c.id) or "").strip().rstrip("。；;")
        if c.id in widened:  # its words are in the whole clause already shown
            for sep in ("；", "，", "\n", ""):
                if f"{sep}{c.quote}{c.label}" in text:
                    text = text.replace(f"{sep}{c.quote}{c.label}", "", 1)
                    break
            else:
                kept.append(c)
            continue
        if not whole or len(whole) > WHOLE_CLAUSE_CHARS or c.quote == whole or c.quote not in whole \
                or c.quote not in text:
            kept.append(c)
            continue
        marked = f"{c.quote}{c.label}"
        text = text.replace(marked, f"{whole}{c.label}", 1) if marked in text else text.replace(c.quote, whole, 1)
        kept.append(replace(c, quote=whole))
        widened.add(c.id)
    return replace(answer, text=text, citations=(*kept, *answer.citations[answer.direct:]), direct=len(kept))


def doc_short_name(code: str) -> str:
    from ..corpus import load_corpus

    try:
        return load_corpus().document(code).short_name
    except StopIteration:
        return code


# Kinds of figures worth comparing across the documents: a share, hours, head counts.
COMPARABLE_UNITS = (("%", "比例"), ("学时", "学时"), ("人", "人数"))


def describe_difference(a: Statement, b: Statement) -> str:
    """One plain sentence on how two documents' statements differ. Figures are compared only
    when both give the same kind (1% vs 0.5%-2%); otherwise the sentence stays neutral."""
    na, nb = doc_short_name(a.clause.doc), doc_short_name(b.clause.doc)
    for unit, word in COMPARABLE_UNITS:
        fa = [f for f in figures(a.quote) if f.endswith(unit) or unit == "%" and "%" in f]
        fb = [f for f in figures(b.quote) if f.endswith(unit) or unit == "%" and "%" in f]
        if fa and fb:
            if fa == fb:
                return f"两份标准的{word}要求一致（{'、'.join(fa)}）。"
            return f"两份标准的{word}规定不同：{na}为“{'、'.join(fa)}”，{nb}为“{'、'.join(fb)}”，请按本单位适用的标准执行。"
    return "两份标准都有相关规定，请对照上面的原文。"


def compose_answer(question: str, hits: Sequence[Hit], stats: TermStats | None = None,
                   trusted: bool = False, scope: str = "两份标准", named_document: bool = False,
                   echo: str = "") -> Answer:
    """Extractive answer from hits: the direct requirement first, then 相关条款; or an honest
    not-covered answer. Deterministic; needs no model. trusted: the hits are known to be what the
    question is about (a follow-up pointing back at the previous clause), so no coverage test.
    named_document: the question names the document it asks about (see assess_coverage). echo: the question
    in the user's words, for the not-covered reply (`question` may have had the document's name cut out)."""
    stats = stats or term_stats()
    coverage = assess_coverage(question, hits, stats, named_document)
    if not coverage.covered and not (trusted and hits):
        return not_covered_answer(echo or question, hits, coverage, scope)
    sel = select_statements(question, hits, stats)
    lines: list[str] = []
    if len(sel.direct) == 1:
        s = sel.direct[0]
        lines.append(f"{s.quote}{s.clause.label}。")
    else:
        for s in sel.direct:
            lines.append(f"{doc_short_name(s.clause.doc)}：{s.quote}{s.clause.label}。")
        lines.append(describe_difference(*sel.direct[:2]))
    if sel.related:
        lines.append("")
        lines.append("相关条款：")
        for s in sel.related:
            lines.append(f"- {s.quote}{s.clause.label}")
    citations = tuple(dict.fromkeys(s.citation() for s in (*sel.direct, *sel.related)))
    return Answer("\n".join(lines), True, citations, "extractive", hits=tuple(hits), direct=len(sel.direct))


MORE_MAX = 3
# A further clause is listed when it holds this share of the topic's words (the 还有别的要求 words
# themselves are left out by the caller).
MORE_MIN_SHARE = 0.3
# ... or when the retriever ranks it at least this fraction of the best further clause's score.
MORE_SCORE_RATIO = 0.2


MORE_HEADING = "还有这些规定："


def more_answer(question: str, hits: Sequence[Hit], stats: TermStats | None = None,
                shown: Sequence[str] = (), context: Sequence[str] = ()) -> Answer:
    """还有别的要求吗: the further statements on the topic, one per clause, all of them the answer;
    what the previous answer already said (shown) is left out."""
    stats = stats or term_stats()
    coverage = assess_coverage(question, hits, stats)
    if not coverage.covered:
        return not_covered_answer(question, hits, coverage)
    wt = weigh(canonical_wording(question), stats)
    quantity = asks_quantity(question)
    top = hits[0].score if hits else 0.0
    said = []
    # other clauses first, those of the same article before the rest (党建云平台 8.1 shown: 8.2, 8.3), then
    # what else the clauses just shown say
    articles = {c.rsplit(".", 1)[0] for c in context}
    for h in sorted(hits, key=lambda h: (h.clause.id in context, h.clause.id.rsplit(".", 1)[0] not in articles)):
        if wt.share_in(h.clause.title + "\n" + h.clause.text) < MORE_MIN_SHARE and h.score < MORE_SCORE_RATIO * top:
            continue
        fresh = [sp for a, b in sentence_spans(h.clause.text)
                 for sp in _unshown(h.clause.text, a, b, shown)]
        rest = [sp for sp in fresh if any(q and q in h.clause.text for q in shown)]
        if rest:  # the clause just quoted in part: all else it says, the best-matching first
            rest.sort(key=lambda sp: -_score(wt, h.clause.text[sp[0]:sp[1]], quantity))
            said += [Statement(h.clause, a, b, 0.0) for a, b in rest]
        elif fresh:
            a, b = max(fresh, key=lambda sp: _score(wt, h.clause.text[sp[0]:sp[1]], quantity))
            said.append(Statement(h.clause, a, b, 0.0))
        if len(said) >= MORE_MAX:
            break
    if not said:
        return not_covered_answer(question, hits, coverage)
    lines = [MORE_HEADING] + [f"- {s.quote}{s.clause.label}" for s in said]
    citations = tuple(dict.fromkeys(s.citation() for s in said))
    return Answer("\n".join(lines), True, citations, "extractive", hits=tuple(hits), direct=len(citations))


# What is left of a sentence the previous answer quoted only in part: worth saying when this long.
MIN_REMAINDER = 8


def _unshown(text: str, a: int, b: int, shown: Sequence[str]) -> list[tuple[int, int]]:
    """The sentence [a, b) when nothing of it was shown; nothing when all of it was; the parts before and
    after a shown fragment otherwise (每年举办一次先锋模范岗授牌仪式 shown: 建立…动态管理机制, 大力宣传…)."""
    sentence = text[a:b]
    for q in filter(None, shown):
        if sentence in q:
            return []
        i = sentence.find(q)
        if i >= 0:
            parts = [trimmed_span(text, x, y) for x, y in ((a, a + i), (a + i + len(q), b))]
            return [(x, y) for x, y in parts if y - x >= MIN_REMAINDER]
    return [(a, b)]


def question_topic(question: str, limit: int = 30) -> str:
    # a follow-up's rewrite keeps a gap where the words pointing at a document were (…动态管  里 活动叫啥)
    t = re.sub(r"\s+(?=[，,。？?！!；;])|(?<=[，,。？?！!；;])\s+", "", re.sub(r"\s{2,}", " ", question))
    t = t.strip().rstrip("？?！!。.；;，, ")
    return t if len(t) <= limit else t[:limit] + "…"


_NOT_COVERED_START = re.compile(re.escape(NOT_COVERED.split("{topic}")[0]).replace(re.escape("{scope}"), r"[^，。\n]{2,12}"))


def is_not_covered(answer: Answer) -> bool:
    """The fixed not-covered reply (no clause found on the question's words), not a precise "not stated"."""
    return not answer.covered and not answer.citations and bool(_NOT_COVERED_START.match(answer.text))


def not_covered_answer(question: str, hits: Sequence[Hit], coverage: Coverage | None = None,
                       scope: str = "两份标准") -> Answer:
    """The fixed honest message, then the closest topics that do exist (not citations). A question put
    to one document (另一份清单里…) says that document was searched, not both."""
    lines = [NOT_COVERED.format(scope=scope, topic=question_topic(question))]
    if coverage and coverage.reason:
        lines.append(coverage.reason)
    topics = list(dict.fromkeys(f"{h.clause.title}（{h.clause.label}）" for h in hits[:3]))
    if topics and CJK.search(question):
        lines.append("")
        lines.append("标准中相近的主题有（仅供参考，并非对上述问题的规定）：")
        lines += [f"- {t}" for t in topics]
    return Answer("\n".join(lines), False, (), "extractive", hits=tuple(hits))

