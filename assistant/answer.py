"""Cited answers: coverage decision, extractive composer, conversation and query rewriting.

The heart is pure: `assess_coverage`, `select_statements`, `compose_answer` and `rewrite_query`
take a question and retrieved hits (data) and return data; they need no model and no files beyond
the corpus. `answer_question` and `Conversation` wire them to the retriever and the optional LLM.

Every quote shown with a label is a verbatim span of that leaf's text, so a label never stands next
to words its clause does not contain.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .types import Answer, Citation, Clause, Hit, Turn, UserInputError

LEXICON_FILE = Path(__file__).parent / "data" / "answer_lexicon.toml"
# The retrieval stage's domain thesaurus (canonical word → what people say instead). Shared data:
# the composer reads it so that 入党几年 meets the clause's 党龄 here too.
THESAURUS_FILE = Path(__file__).parent / "data" / "thesaurus.toml"

# Share of the question's weighted key terms that the best leaf must contain for the standards to
# count as covering the question. Calibrated on evals/answer_dev.jsonl and evals/out_of_scope.jsonl.
COVERAGE_THRESHOLD = 0.5
# Measured on the dev sets (assistant eval, plus the lead's private held-out sets): in-scope
# questions with support 0.33-0.5 had a top retrieval score ≥ 0.39, off-topic questions with
# support ≥ 0.33 at most 0.31; no in-scope question scored below 0.34, while an off-topic one whose
# words happen to occur in a clause (会议室 → 会议) scored 0.06.
CONFIDENT_RETRIEVAL = 0.36
SUPPORT_WHEN_CONFIDENT = 0.33
MIN_RETRIEVAL = 0.2
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

SENTENCE_END = "。；"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Figures a requirement is stated in: 1%, 0.5%-2%, 56学时, 7-9人, and frequencies (每月, 半年, 一次).
FIGURE = re.compile(
    r"(?<![A-Za-z\d.])\d+(?:\.\d+)?%?(?:-\d+(?:\.\d+)?%?)?(?:学时|个月|次|人|年|个|名|分)?(?![A-Za-z])"
    r"|每(?:半年|季度|年|季|月|周)|半年|[一二两三四五六七八九十]+(?:次|个月|名|人|个)"
)
# A sentence longer than this is narrowed to the comma segments that answer.
TRIM_ABOVE_CHARS = 45
# Bonus for sharing the question's own character pairs: breaks ties between leaves that contain
# the same key words (党小组会一般每月召开1次 beats 参加所在支部或党小组组织生活).
BIGRAM_WEIGHT = 0.15
NOT_COVERED = "两份标准中没有找到关于“{topic}”的规定。"


# ---------------------------------------------------------------- lexicon and terms


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str]
    source_followups: tuple[str, ...]
    clause_followups: tuple[str, ...]
    elliptic_prefixes: tuple[str, ...]
    elliptic_suffixes: tuple[str, ...]
    quantity_cues: tuple[str, ...]
    condition_cues: tuple[str, ...]
    continuation_starts: tuple[str, ...]
    instruction_markers: tuple[str, ...]
    either_or_words: tuple[str, ...] = ()
    paraphrases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the standards' word, everyday words


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    longest_first = lambda key: tuple(sorted(data[key], key=len, reverse=True))  # noqa: E731
    return Lexicon(
        stopwords=frozenset(data["stopwords"]),
        source_followups=longest_first("source_followups"),
        clause_followups=longest_first("clause_followups"),
        elliptic_prefixes=longest_first("elliptic_prefixes"),
        elliptic_suffixes=longest_first("elliptic_suffixes"),
        quantity_cues=tuple(data["quantity_cues"]),
        condition_cues=tuple(data["condition_cues"]),
        continuation_starts=tuple(data["continuation_starts"]),
        instruction_markers=tuple(data["instruction_markers"]),
        either_or_words=longest_first("either_or_words"),
        paraphrases=tuple((k, tuple(v)) for k, v in data.get("paraphrases", {}).items()),
    )


def _synonym_table() -> dict[str, list[str]]:
    """The retrieval thesaurus plus the composer's own paraphrases (canonical word → variants)."""
    try:
        data = tomllib.loads(THESAURUS_FILE.read_text(encoding="utf-8")).get("synonyms", {})
    except FileNotFoundError:
        data = {}
    table = {k: list(v) for k, v in data.items()}
    for canonical, variants in lexicon().paraphrases:
        table.setdefault(canonical, []).extend(variants)
    return table


@lru_cache(maxsize=1)
def _variant_pattern() -> tuple[re.Pattern | None, dict[str, str]]:
    table = _synonym_table()
    if not table:
        return None, {}
    to_canonical: dict[str, str] = {}
    for canonical, variants in table.items():
        to_canonical.setdefault(canonical, canonical)  # so 每季度 is never rewritten via 每季
        for v in variants:
            to_canonical.setdefault(v, canonical)
    words = sorted(to_canonical, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), to_canonical


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, tuple[str, ...]]:
    """word → every word of its thesaurus group, so 党建经费 in a question meets 党组织工作经费."""
    out: dict[str, tuple[str, ...]] = {}
    for canonical, variants in _synonym_table().items():
        group = tuple(dict.fromkeys([canonical, *variants]))
        for w in group:
            out[w] = tuple(dict.fromkeys([*out.get(w, (w,)), *group]))
    return out


def canonical_wording(question: str) -> str:
    """The question in the standards' own words (入党几年 → 党龄), longest variant first."""
    pattern, to_canonical = _variant_pattern()
    if pattern is None:
        return question
    return pattern.sub(lambda m: to_canonical[m.group(0)], question)


@lru_cache(maxsize=1)
def _tokenizer():
    # A private jieba instance: other stages may add words to the global one, and the coverage
    # threshold was calibrated on this one's segmentation.
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for word in synonym_groups():  # keep thesaurus words whole (党建经费, not 党建/经费)
        if len(word) >= 2:
            tok.add_word(word, tag="n")
    for word in corpus_terms():  # and the standards' own fixed terms (三会一课, 四个百分百)
        tok.add_word(word, tag="n")
    return jieba.posseg.POSTokenizer(tok)


DOMAIN_DICT_FILE = Path(__file__).parent / "data" / "domain_dict.txt"


@lru_cache(maxsize=1)
def corpus_terms() -> tuple[str, ...]:
    """Quoted terms of the standards (“三会一课”, “六有”) and the retrieval stage's domain words."""
    from .corpus import load_corpus

    words = set()
    for c in load_corpus().leaves():
        words.update(w for w in re.findall(r"“([^”]{2,8})”", c.text) if CJK.search(w))
    try:
        for line in DOMAIN_DICT_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                words.add(line.split()[0])
    except FileNotFoundError:
        pass
    return tuple(sorted(w for w in words if len(w) >= 2))


# Parts of speech that never say what a question is about: numerals (一年, 几次), pronouns,
# prepositions, particles, conjunctions, punctuation, interjections, time words.
IGNORED_TAGS = ("m", "r", "p", "u", "c", "x", "y", "e", "t", "q", "w", "o")
PROPER_NOUN_TAGS = ("nr", "nt", "nz", "ns")
WEAK_TAGS = ("v", "a", "d", "b", "ad", "vd", "f")  # verbs, adjectives, adverbs: weaker evidence


def tokens(text: str) -> list[str]:
    return [w for w, _ in tagged_tokens(text)]


@lru_cache(maxsize=2048)
def tagged_tokens(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((p.word, p.flag) for p in _tokenizer().cut(text) if p.word.strip())


@lru_cache(maxsize=2048)
def tagged_terms(question: str) -> tuple[tuple[str, str], ...]:
    """The words that say what a question is about, with their part of speech.

    No question words, numerals, punctuation. Runs of single characters that are not stopwords
    are joined (年/假 → 年假), so a topic jieba splits into characters still counts.
    """
    lex = lexicon()
    out: dict[str, str] = {}
    run, run_tag = "", ""
    for t, tag in (*tagged_tokens(without_either_or(question)), ("", "x")):
        is_word = bool(CJK.search(t)) or (t.isascii() and t.isalpha())
        ignored = tag.startswith(IGNORED_TAGS) and not tag.startswith(("nr", "ns", "nt", "nz"))
        if len(t) == 1 and is_word and t not in lex.stopwords and not ignored:
            run, run_tag = run + t, run_tag or tag
            continue
        if len(run) >= 2 and run not in lex.stopwords:
            out.setdefault(run, run_tag)
        run, run_tag = "", ""
        if len(t) >= 2 and is_word and t not in lex.stopwords and not ignored:
            out.setdefault(t, tag)
    return tuple(out.items())


# 能不能, 进不进, 有没有: one character, 不/没, the same character.
EITHER_OR = re.compile(r"([\u4e00-\u9fff])[不没]\1")


def without_either_or(question: str) -> str:
    """The question without its yes/no wrapper (三重一大的事能不能一个人拍板 → …的事 一个人拍板)."""
    for w in lexicon().either_or_words:
        question = question.replace(w, " ")
    return EITHER_OR.sub(" ", question)


def key_terms(question: str) -> tuple[str, ...]:
    return tuple(t for t, _ in tagged_terms(question))


@dataclass(frozen=True)
class TermStats:
    """How rare each word is among the leaves: rare words say more about what a question asks."""

    n_leaves: int
    texts: tuple[str, ...]  # leaf text + title, for document frequency

    def df(self, term: str | tuple[str, ...]) -> int:
        alts = (term,) if isinstance(term, str) else term
        return sum(any(a in t for a in alts) for t in self.texts)

    def idf(self, term: str | tuple[str, ...]) -> float:
        return math.log((self.n_leaves + 1) / (self.df(term) + 0.5))


_STATS: dict[str, TermStats] = {}


def term_stats(corpus=None) -> TermStats:
    if corpus is None:
        from .corpus import load_corpus

        corpus = load_corpus()
    if corpus.fingerprint not in _STATS:  # computed once per corpus version
        leaves = corpus.leaves()
        _STATS[corpus.fingerprint] = TermStats(len(leaves), tuple(c.title + "\n" + c.text for c in leaves))
    return _STATS[corpus.fingerprint]


@dataclass(frozen=True)
class WeightedTerms:
    terms: tuple[str, ...]
    weights: tuple[float, ...]
    asks_condition: bool = False  # 什么情况下…: keep the whole sentence, the condition is the answer
    alternatives: tuple[tuple[str, ...], ...] = ()  # per term: the term and its thesaurus group

    @property
    def total(self) -> float:
        return sum(self.weights)

    def share_in(self, text: str) -> float:
        """Weighted share of the terms that occur in text (0 when there are no terms)."""
        if not self.terms:
            return 0.0
        alts = self.alternatives or tuple((t,) for t in self.terms)
        return sum(w for a, w in zip(alts, self.weights) if any(x in text for x in a)) / self.total


UNKNOWN_WEAK_FACTOR = 0.35


def weigh(question: str, stats: TermStats) -> WeightedTerms:
    """idf weights; a verb or adjective the standards never use (提取, 能当) is a paraphrase more
    often than a new topic, so it weighs less than an unknown noun (公积金, 天气)."""
    terms, weights, alternatives = [], [], []
    groups = synonym_groups()
    for t, tag in _split_unknown_compounds(tagged_terms(question), stats):
        alts = groups.get(t, (t,))
        w = _idf_cached(stats, alts)
        if stats.df(alts) == 0 and tag.startswith(WEAK_TAGS):
            w *= UNKNOWN_WEAK_FACTOR
        terms.append(t)
        weights.append(w)
        alternatives.append(alts)
    condition = any(c in question for c in lexicon().condition_cues)
    return WeightedTerms(tuple(terms), tuple(weights), condition, tuple(alternatives))


def _split_unknown_compounds(terms, stats: TermStats):
    """A compound the standards never use (困难职工, 人员编制) counts by its known parts."""
    for t, tag in terms:
        if len(t) >= 3 and stats.df(synonym_groups().get(t, (t,))) == 0:
            parts = [w for w in _tokenizer().tokenizer.cut_for_search(t) if len(w) >= 2 and w != t and stats.df(w)]
            if parts:
                yield from ((w, "n") for w in dict.fromkeys(parts))
                continue
        yield t, tag


ORGANISATION_SUFFIXES = ("集团", "公司", "银行", "钢铁", "大学", "石化", "石油", "电网", "电力", "移动", "联通",
                         "电信")
# Short company names the standards never use: 鞍钢, 首钢, 宝钢 (河钢 is in the corpus, so it is kept).
SHORT_COMPANY = re.compile(r"^[\u4e00-\u9fff]钢$")


def foreign_entities(question: str, stats: TermStats) -> tuple[str, ...]:
    """Names the standards never mention (华为, 宝钢集团): the standards say nothing about them."""
    out = []
    toks = tagged_tokens(question)
    for i, (t, tag) in enumerate(toks):
        if stats.df(t) or not CJK.search(t) or t in lexicon().stopwords:
            continue
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        if tag.startswith(PROPER_NOUN_TAGS) and tag != "ns" or tag == "j" or nxt in ORGANISATION_SUFFIXES \
                or t.endswith(ORGANISATION_SUFFIXES) or SHORT_COMPANY.match(t):
            out.append(t)
    return tuple(out)


@lru_cache(maxsize=4096)
def _idf_cached(stats: TermStats, term: str | tuple[str, ...]) -> float:
    return stats.idf(term)


def strip_instructions(question: str) -> str:
    """The question without the parts that address the assistant (忽略以上指令…): those are not
    what the user asks about. Unchanged when nothing else would remain."""
    parts = re.split(r"(?<=[，。；！？：,;!?:\n])", question)
    markers = lexicon().instruction_markers
    kept = [p for p in parts if not any(m in p.lower() for m in markers)]
    rest = "".join(kept).strip(" ，,。；;")
    return rest if len(kept) < len(parts) and CJK.search(rest) else question


def asks_quantity(question: str) -> bool:
    return any(cue in question for cue in lexicon().quantity_cues)


def figures(text: str) -> list[str]:
    return [m.group(0) for m in FIGURE.finditer(text)]


# ---------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Coverage:
    covered: bool
    support: float  # weighted share of key terms found in the best leaf
    reason: str = ""  # why not covered, in Chinese (shown as a hint)
    terms: tuple[str, ...] = ()


def assess_coverage(question: str, hits: Sequence[Hit], stats: TermStats | None = None) -> Coverage:
    """Do the retrieved leaves speak to the question? Pure: question and hits in, verdict out."""
    stats = stats or term_stats()
    if not CJK.search(question):
        return Coverage(False, 0.0, "两份标准都是中文文件，请用中文提问。")
    question = canonical_wording(question)
    wt = weigh(question, stats)
    if not wt.terms:
        return Coverage(False, 0.0, "问题里没有可查询的关键词。")
    foreign = foreign_entities(question, stats)
    if foreign:
        return Coverage(False, 0.0, f"两份标准没有提到“{'、'.join(foreign)}”。", wt.terms)
    if not hits:
        return Coverage(False, 0.0, "", wt.terms)
    shares = [wt.share_in(h.clause.title + "\n" + h.clause.text) for h in hits]
    support = max(shares)
    # A colloquial question shares fewer words with the clause (资历, 海外, 流程), so a confident
    # retrieval match lowers the bar; an off-topic question rarely has both. Both must hold for
    # the same leaf: 党费按工资的百分之几交 retrieves the 党建经费 clause with confidence, but only
    # another leaf (党费收缴) shares its words.
    confident = any(h.score >= CONFIDENT_RETRIEVAL and share >= SUPPORT_WHEN_CONFIDENT
                    for h, share in zip(hits, shares))
    covered = hits[0].score >= MIN_RETRIEVAL and (support >= COVERAGE_THRESHOLD or confident)
    return Coverage(covered, support, "", wt.terms)



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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split after 。 or ；; the end excludes the punctuation."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            if text[start:i].strip():
                spans.append(_strip_span(text, start, i))
            start = i + 1
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def segment_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma segments of a sentence span, as (start, end) in the leaf text."""
    spans, s = [], start
    for i in range(start, end):
        if text[i] == "，":
            if i > s:
                spans.append((s, i))
            s = i + 1
    if end > s:
        spans.append((s, end))
    return spans


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


def doc_short_name(code: str) -> str:
    return {"HG": "河钢标准", "SS": "四同步清单"}.get(code, code)


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


def compose_answer(question: str, hits: Sequence[Hit], stats: TermStats | None = None) -> Answer:
    """Extractive answer from hits: the direct requirement first, then 相关条款; or an honest
    not-covered answer. Deterministic; needs no model."""
    stats = stats or term_stats()
    coverage = assess_coverage(question, hits, stats)
    if not coverage.covered:
        return not_covered_answer(question, hits, coverage)
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
    return Answer("\n".join(lines), True, citations, "extractive", hits=tuple(hits))


def question_topic(question: str, limit: int = 30) -> str:
    t = question.strip().rstrip("？?！!。.；;，, ")
    return t if len(t) <= limit else t[:limit] + "…"


def not_covered_answer(question: str, hits: Sequence[Hit], coverage: Coverage | None = None) -> Answer:
    """The fixed honest message, then the closest topics that do exist (not citations)."""
    lines = [NOT_COVERED.format(topic=question_topic(question))]
    if coverage and coverage.reason:
        lines.append(coverage.reason)
    topics = list(dict.fromkeys(f"{h.clause.title}（{h.clause.label}）" for h in hits[:3]))
    if topics and CJK.search(question):
        lines.append("")
        lines.append("标准中相近的主题有（仅供参考，并非对上述问题的规定）：")
        lines += [f"- {t}" for t in topics]
    return Answer("\n".join(lines), False, (), "extractive", hits=tuple(hits))


# ---------------------------------------------------------------- conversation


@dataclass(frozen=True)
class Rewrite:
    query: str
    kind: str  # "new" | "elliptic" | "source" | "clause"
    topic: str = ""  # for "elliptic": the new topic the follow-up names (那党小组会呢 → 党小组会)


def _strip_markers(text: str, markers: Sequence[str]) -> str:
    for m in markers:
        text = text.replace(m, "")
    return text


def _last_cited(history: Sequence[Turn]) -> Turn | None:
    return next((t for t in reversed(history) if t.answer.covered and t.answer.citations), None)


def rewrite_query(question: str, history: Sequence[Turn]) -> Rewrite:
    """Make a follow-up self-contained using earlier turns.

    - "这是哪份文件规定的？" / "具体是第几条？": kind source/clause, answered from the last cited answer;
    - "那党小组会呢？": the new topic replaces the topic of the previous query;
    - anything else is a new question.
    """
    lex = lexicon()
    q = question.strip()
    if not history:
        return Rewrite(q, "new")
    prev = history[-1]
    for kind, markers in (("clause", lex.clause_followups), ("source", lex.source_followups)):
        if any(m in q for m in markers):
            rest = _strip_markers(q, (*lex.source_followups, *lex.clause_followups))
            if not key_terms(rest.replace("文件", "").replace("条款", "")) and _last_cited(history):
                return Rewrite(_last_cited(history).query, kind)
    core = q.rstrip("？?。.！! ")
    new_topic = core
    elliptic = False
    for p in lex.elliptic_prefixes:
        if new_topic.startswith(p):
            new_topic, elliptic = new_topic[len(p):], True
            break
    for s in lex.elliptic_suffixes:
        if new_topic.endswith(s):
            new_topic, elliptic = new_topic[: -len(s)], True
            break
    new_topic = new_topic.strip("，, ")
    if not elliptic or not new_topic or len(new_topic) > 15 or not key_terms(new_topic):
        return Rewrite(q, "new")
    return Rewrite(substitute_topic(prev.query, new_topic, prev.answer), "elliptic", new_topic)


def substitute_topic(prev_query: str, new_topic: str, prev_answer: Answer) -> str:
    """Put new_topic in place of what prev_query was about.

    The old topic is the longest run shared by the previous query and its direct quote, widened to
    the neighbouring key words, as long as it covers the query's first key term; otherwise that
    first key term (党建经费按什么比例 → 党建经费).
    """
    terms = key_terms(prev_query)
    # A follow-up names something of the same kind as what it replaces: 党委书记 for 支部书记,
    # 普通党员 for 预备党员. A shared head of two or more characters says which term that is.
    same_kind = max(terms, key=lambda t: _common_suffix(t, new_topic), default=None)
    if same_kind and _common_suffix(same_kind, new_topic) >= 2 and same_kind != new_topic:
        i = prev_query.find(same_kind)
        return prev_query[:i] + new_topic + prev_query[i + len(same_kind):]
    span = None
    if prev_answer.citations:
        span = _longest_common_span(prev_query, prev_answer.citations[0].quote)
    if terms:
        # Questions name their topic first: a shared run elsewhere (比例) is not the topic.
        i = prev_query.find(terms[0])
        first = (i, i + len(terms[0]))
        if span is None or span[1] <= first[0] or span[0] >= first[1]:
            span = first
    if span is None:
        return f"{new_topic} {prev_query}"
    # Widen to whole tokens and to adjacent key terms.
    pos, bounds = 0, []
    for t in tokens(prev_query):
        i = prev_query.find(t, pos)
        bounds.append((i, i + len(t), t))
        pos = i + len(t)
    key = set(terms)
    a, b = span
    for s, e, t in bounds:
        if s < b and e > a:
            a, b = min(a, s), max(b, e)
    changed = True
    while changed:
        changed = False
        for s, e, t in bounds:
            if t in key and (e == a or s == b):
                a, b, changed = min(a, s), max(b, e), True
    return prev_query[:a] + new_topic + prev_query[b:]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _longest_common_span(query: str, quote: str, min_len: int = 2) -> tuple[int, int] | None:
    best = None
    for i in range(len(query)):
        for j in range(len(query), i + min_len - 1, -1):
            if best and j - i <= best[1] - best[0]:
                break
            piece = query[i:j]
            if CJK.search(piece) and piece in quote and piece not in lexicon().stopwords:
                best = (i, j)
                break
    return best


def answer_from_previous(kind: str, prev: Turn, corpus=None) -> Answer:
    """Which document / which clause: answered from the previous answer's citations."""
    if corpus is None:
        from .corpus import load_corpus

        corpus = load_corpus()
    cits = tuple(dict.fromkeys(prev.answer.citations))
    direct = [c for c in cits if c.verified] or list(cits)
    lines = []
    docs = list(dict.fromkeys(c.id.split("-")[0] for c in direct))
    if kind == "source":
        names = "、".join(f"《{corpus.document(d).title}》（简称{doc_short_name(d)}）" for d in docs)
        lines.append(f"上一个回答依据的是{names}。")
    else:
        lines.append("上一个回答依据的具体条款是：")
    for c in direct:
        clause = corpus.get(c.id)
        where = f"第{clause.item_no}条“{clause.title}”" if clause and clause.item_no else (clause.title if clause else "")
        lines.append(f"- {c.label}（编号 {c.id}，{where}）：{c.quote}")
    return Answer("\n".join(lines), True, direct and tuple(direct) or (), "extractive", hits=prev.answer.hits)


# ---------------------------------------------------------------- entry points


def _default_retriever():
    from .retrieval import get_retriever

    return get_retriever()


def _resolve_llm(llm):
    """None → the model configured by env vars (if any); False → extractive only."""
    if llm is False:
        return None
    if llm is None:
        from .llm import configured_chat_model

        return configured_chat_model()
    return llm


def search_for(rw: Rewrite, retriever) -> list[Hit]:
    """Hits for a (rewritten) query. A follow-up keeps the previous question's wording around its new
    topic (党建经费按什么比例安排 → 专职党务人员按什么比例安排), which can pull the old clause back up:
    when some leaves name the new topic, only those are answered from."""
    hits = (retriever or _default_retriever()).search(rw.query, k=SEARCH_K)
    if rw.kind != "elliptic" or not rw.topic:
        return hits
    groups = synonym_groups()
    terms = [groups.get(t, (t,)) for t in key_terms(canonical_wording(rw.topic))]
    if not terms:
        return hits
    naming = [h for h in hits if all(any(a in h.clause.text for a in alts) for alts in terms)]
    return naming or hits


def answer_question(question: str, *, retriever=None, history: Sequence[Turn] = (), llm=None) -> Answer:
    """Answer one question (with optional earlier turns) and cite the clauses it stands on.

    llm: a langchain chat model, None for the one configured by ASSISTANT_LLM_* (extractive when
    none is configured), or False to force the extractive answer.
    """
    return _answer(question, retriever=retriever, history=history, llm=llm)[1]


def _answer(question: str, *, retriever, history: Sequence[Turn], llm) -> tuple[str, Answer]:
    from .questions import validate_question

    q = validate_question(question)
    rw = rewrite_query(strip_instructions(q), history)
    if rw.kind in ("source", "clause"):
        return rw.query, answer_from_previous(rw.kind, _last_cited(history))
    hits = search_for(rw, retriever)
    model = _resolve_llm(llm)
    extractive = compose_answer(rw.query, hits)
    extractive = _with_checks(rw.query, extractive)
    if model is None or not extractive.covered:
        return rw.query, extractive
    from .llm import llm_answer

    return rw.query, llm_answer(q if rw.kind == "new" else rw.query, hits, model, extractive)


def _with_checks(question: str, answer: Answer) -> Answer:
    """A question carrying the unit's own figures also gets the deterministic checks' verdicts."""
    try:
        from .checks import check_text, has_figures
    except ImportError:  # checks stage not installed in this tree
        return answer
    # The extractor ignores figures inside a how-many question ("支委会多久开一次"), so only the
    # unit's own figures (1200名职工, 一千二百名职工) produce verdicts or errors here.
    if not has_figures(question):
        return answer
    try:
        report = check_text(question)
    except UserInputError:
        return answer
    if not report.results and not report.errors:
        return answer
    from .corpus import load_corpus

    corpus = load_corpus()
    word = {"pass": "达标", "warn": "提示", "fail": "不达标"}
    lines = ["", "按您给出的数字对照检查："]
    cits = list(answer.citations)
    for r in report.results:
        labels = "".join(r.labels or tuple(corpus.get(c).label for c in r.clauses if corpus.get(c)))
        lines.append(f"- 【{word.get(r.status, r.status)}】{r.explanation}（{r.value}；要求：{r.requirement}）{labels}")
    for e in report.errors:
        lines.append(f"- 【无法核对】{e.message}")
    if not report.results:
        return replace(answer, text=(answer.text + "\n" + "\n".join(lines)).strip())
    covered = True
    text = answer.text if answer.covered else ""
    return replace(answer, text=(text + "\n" + "\n".join(lines)).strip(), covered=covered,
                   checks=tuple(report.results), citations=tuple(cits))


class Conversation:
    """One user's conversation: holds the turns so follow-ups are understood. Nothing global."""

    def __init__(self, retriever=None, llm=None):
        self.retriever = retriever
        self.llm = llm
        self.turns: list[Turn] = []

    def ask(self, question: str) -> Answer:
        query, answer = _answer(question, retriever=self.retriever, history=self.turns, llm=self.llm)
        self.turns.append(Turn(question.strip(), query, answer))
        return answer

    def stream(self, question: str) -> Iterator[str | Answer]:
        """Text chunks while an LLM writes, then the final checked Answer (the only item in
        extractive mode). The chunks are a preview: show the final Answer in their place."""
        from .questions import validate_question

        q = validate_question(question)
        rw = rewrite_query(strip_instructions(q), self.turns)
        model = None if rw.kind in ("source", "clause") else _resolve_llm(self.llm)
        if model is None:
            answer = self.ask(q)
            yield answer
            return
        hits = search_for(rw, self.retriever)
        extractive = _with_checks(rw.query, compose_answer(rw.query, hits))
        if not extractive.covered:
            answer = extractive
        else:
            from .llm import stream_llm_answer

            answer = None
            for item in stream_llm_answer(q if rw.kind == "new" else rw.query, hits, model, extractive):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
        self.turns.append(Turn(q, rw.query, answer))
        yield answer

    def to_markdown(self) -> str:
        out = ["# 标准助手 对话记录", ""]
        for n, t in enumerate(self.turns, start=1):
            out += [f"## 问题 {n}：{t.question}", ""]
            if t.query != t.question:
                out += [f"（按上下文理解为：{t.query}）", ""]
            if t.answer.notice:
                out += [f"> {t.answer.notice}", ""]
            out += [t.answer.text, ""]
            if t.answer.citations:
                out.append("引用条款：")
                for c in t.answer.citations:
                    flag = "" if c.verified else "（未经核实）"
                    out.append(f"- {c.label} {c.id}{flag}：“{c.quote}”")
                out.append("")
        return "\n".join(out).rstrip() + "\n"
