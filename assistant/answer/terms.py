"""The words of a question: lexicon, thesaurus reading, key terms and their weights.

Pure functions over text and the corpus statistics; no model. The composer, the coverage decision
and the follow-up reader all read questions through this module.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..text.numerals import FIGURE, figures  # noqa: F401  (re-exported)
from ..text.thesaurus import joined_possessive

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEXICON_FILE = DATA_DIR / "answer_lexicon.toml"
# The retrieval stage's domain thesaurus (canonical word → what people say instead). Shared data:
# the composer reads it so that 入党几年 meets the clause's 党龄 here too.
THESAURUS_FILE = DATA_DIR / "thesaurus.toml"
DOMAIN_DICT_FILE = DATA_DIR / "domain_dict.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")

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
    source_fillers: tuple[str, ...] = ()
    paraphrases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the standards' word, everyday words
    other_organisations: tuple[str, ...] = ()  # kinds of organisation the standards are not for (事业单位)
    procedure_acts: tuple[str, ...] = ()  # 公示, 备案, 列席…: a yes/no question about one asks whether it is required
    manner_words: tuple[str, ...] = ()  # 专门, 主动…: how an act is done, not a thing a yes/no asks to be required
    # How a question asks to compare the documents: compare_words, both_docs, both_sides, both_asked,
    # topic_fillers, each its entries joined as one pattern.
    comparison: dict[str, re.Pattern] = field(default_factory=dict)

    def pattern(self, name: str) -> re.Pattern:
        return self.comparison[name]


COMPARISON_KEYS = ("compare_words", "both_docs", "both_sides", "both_asked", "topic_fillers")


def _patterns(table: dict, keys: tuple[str, ...], section: str) -> tuple[tuple[str, re.Pattern], ...]:
    """Each key's regular expressions joined as alternatives; a missing key or a bad entry is named."""
    out = []
    for key in keys:
        entries = table.get(key)
        if not isinstance(entries, list) or not entries or not all(isinstance(e, str) and e for e in entries):
            raise ValueError(f"{LEXICON_FILE.name}: [{section}] 缺少“{key}”，或它不是非空的文本列表")
        for e in entries:
            try:
                re.compile(e)
            except re.error as err:
                raise ValueError(f"{LEXICON_FILE.name}: [{section}] {key} 中的“{e}”不是有效的正则表达式（{err}）") from None
        out.append((key, re.compile("|".join(entries))))
    return tuple(out)


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
        source_fillers=longest_first("source_fillers"),
        paraphrases=tuple((k, tuple(v)) for k, v in data.get("paraphrases", {}).items()),
        other_organisations=longest_first("other_organisations") if "other_organisations" in data else (),
        procedure_acts=longest_first("procedure_acts") if "procedure_acts" in data else (),
        manner_words=tuple(data.get("manner_words", ())),
        comparison=dict(_patterns(data.get("comparison", {}), COMPARISON_KEYS, "comparison")),
    )


def _synonym_table() -> dict[str, list[str]]:
    """The retrieval thesaurus plus the composer's own paraphrases (canonical word → variants)."""
    from ..text.thesaurus import synonym_groups_raw

    table = {k: list(v) for k, v in synonym_groups_raw().items()}
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


@lru_cache(maxsize=1)
def _joinable_variants() -> frozenset[str]:
    """Only a variant is joined across a 的: the standards' own words keep theirs (“不合格”的党员)."""
    return frozenset(v for v, c in _variant_pattern()[1].items() if v != c)


def canonical_wording(question: str) -> str:
    """The question in the standards' own words (入党几年 → 党龄), longest variant first."""
    pattern, to_canonical = _variant_pattern()
    if pattern is None:
        return question
    question = joined_possessive(question, _joinable_variants())

    def swap(m: re.Match) -> str:
        # A variant inside a longer word of the standards stays (入党 in 入党誓词 is not 发展党员);
        # a one-character variant (差) is too easily part of another word (差额) to be replaced.
        a, b = m.start(), m.end()
        if b - a == 1:
            return m.group(0)
        text = corpus_text()
        for left in range(0, 3):
            for right in range(0, 3):
                if (left or right) and a - left >= 0 and b + right <= len(question) \
                        and question[a - left:b + right] in text:
                    return m.group(0)
        return to_canonical[m.group(0)]

    return pattern.sub(swap, question)


@lru_cache(maxsize=1)
def corpus_text() -> str:
    from ..corpus import load_corpus

    return "\n".join(c.title + "\n" + c.text for c in load_corpus().leaves())


@lru_cache(maxsize=1)
def _tokenizer():
    # A private jieba instance: other stages may add words to the global one, and the coverage
    # threshold was calibrated on this one's segmentation.
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    shared = _shared_dictionary()
    if shared is not None:  # a copy of the index's dictionary: no second read of jieba's own
        tok.FREQ, tok.total, tok.initialized = dict(shared.FREQ), shared.total, True
    else:
        tok.initialize()
    for word in synonym_groups():  # keep thesaurus words whole (党建经费, not 党建/经费)
        if len(word) >= 2:
            tok.add_word(word, tag="n")
    for word in corpus_terms():  # and the standards' own fixed terms (三会一课, 四个百分百)
        tok.add_word(word, tag="n")
    # jieba.posseg reads the word tags of its dictionary when imported; a second tagger would
    # read them again, so this one starts from a copy of those.
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pos.tokenizer, pos.word_tag_tab = tok, dict(jieba.posseg.dt.word_tag_tab)
    return pos


def _shared_dictionary():
    """The retrieval stage's jieba dictionary (adopted from the index when one is open)."""
    from ..retrieval.normalize import jieba_tokenizer

    tk = jieba_tokenizer()
    tk.check_initialized()
    return tk




@lru_cache(maxsize=1)
def corpus_terms() -> tuple[str, ...]:
    """Quoted terms of the standards (“三会一课”, “六有”) and the retrieval stage's domain words."""
    from ..corpus import load_corpus

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
        is_word = bool(CJK.search(t)) or (t.isascii() and t.isalnum() and any(c.isalpha() for c in t))  # O2O
        ignored = tag.startswith(IGNORED_TAGS) and not tag.startswith(("nr", "ns", "nt", "nz"))
        if len(t) == 1 and is_word and t not in lex.stopwords and not ignored:
            run, run_tag = run + t, run_tag or tag
            continue
        if len(run) >= 2 and run not in lex.stopwords:
            out.setdefault(run, run_tag)
        run, run_tag = "", ""
        if len(t) >= 2 and is_word and t not in lex.stopwords and not ignored and not INTERROGATIVE.match(t):
            out.setdefault(t, tag)
    return tuple(out.items())


# 哪几个, 哪两样, 几类: a question word with its measure asks; it names no topic.
INTERROGATIVE = re.compile(r"^(哪|几)[一二两三四五六七八九十几]?[个样项点类种条位级方面次回环节]*$")


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
        from ..corpus import load_corpus

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


# 除了总书记的讲话，还要学什么: what follows 除了 is what the asker already has, not what they ask for.
EXCEPT = re.compile(r"除了[^，,。；;？?！!]{1,20}(以外|之外)?[，,]?")


def weigh(question: str, stats: TermStats) -> WeightedTerms:
    """idf weights; a verb or adjective the standards never use (提取, 能当) is a paraphrase more
    often than a new topic, so it weighs less than an unknown noun (公积金, 天气)."""
    asked = EXCEPT.sub(" ", question)
    question = asked if asked.strip() else question
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


QUESTION_CHARS = re.compile(r"谁|哪|什么|怎|几|多少")
NUMERAL_CHARS = "一二两三四五六七八九十"
INTERNAL_UNIT_SUFFIXES = ("部", "会", "团", "委", "室", "处", "科", "办", "组", "中心")


def foreign_entities(question: str, stats: TermStats) -> tuple[str, ...]:
    """Names the standards never mention (华为, 宝钢集团): the standards say nothing about them."""
    out = []
    toks = tagged_tokens(question)
    for i, (t, tag) in enumerate(toks):
        if stats.df(t) or not CJK.search(t) or t in lexicon().stopwords or len(t) < 2:
            continue  # one character (闯, 连) names nothing
        if tag.startswith("nr") and len(t) <= 3 and t[0] in "小老":
            continue  # 小王, 老同志: a person of the asker's own
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        if QUESTION_CHARS.search(t):
            continue  # 归谁, 哪家: the words that ask, which the tagger takes for names
        if i and toks[i - 1][0].endswith(("哪", "几")):
            continue  # 哪|段时间: a measure word after the asking word, which the tagger takes for a name
        if len(t) == 2 and t[1] in "得着过了":
            continue  # 卡得多紧, 抓得紧: a verb and its particle, which the tagger takes for a name
        if len(t) == 2 and t[1] in "能会要可该" and nxt[:1] in ("不", "否"):
            continue  # 这笔钱能不能…: a word and the modal that asks, which the tagger glues (钱能|不能)
        if tag == "nr" and nxt and len(t) == 2 and t[-1] + nxt[:1] in corpus_text():
            continue  # 管建|党组织 is 管|建党组织: a "name" that only a doubtful cut makes
        if len(t) <= 3 and t[0] in NUMERAL_CHARS:
            continue  # 三强, 三化: a numbered set in the standards' manner, not a company
        if t.endswith(INTERNAL_UNIT_SUFFIXES) and not t.endswith(ORGANISATION_SUFFIXES):
            continue  # 人力资源部, 妇委会, 共青团: a body inside the enterprise, not another company
        if nxt in ORGANISATION_SUFFIXES and not (tag.startswith("n") or tag == "j"):
            continue  # 照搬|集团, 归|集团: a verb before 集团 names no company
        if t in ORGANISATION_SUFFIXES:
            continue  # 国外的大学 / 这家公司: a kind of body, named by no one
        if tag == "nz" and _known_pieces(t, stats):
            continue  # 大力推广 is 大力 + 推广, words the standards use, not a name
        if tag.startswith(PROPER_NOUN_TAGS) and tag != "ns" or tag == "j" or nxt in ORGANISATION_SUFFIXES \
                or t.endswith(ORGANISATION_SUFFIXES) or SHORT_COMPANY.match(t):
            out.append(t)
    return tuple(out)


def unknown_nouns(text: str, stats: TermStats) -> tuple[str, ...]:
    """Nouns (and verbal nouns) of two characters or more that neither document uses, nor a thesaurus word
    for them (公积金, 食堂): a thing the standards say nothing about."""
    groups = synonym_groups()
    return tuple(t for t, tag in tagged_terms(text)
                 if len(t) >= 2 and tag.startswith(("n", "vn")) and not stats.df(groups.get(t, (t,))))


def _known_pieces(term: str, stats: TermStats) -> bool:
    """The term is made of words the standards use, end to end."""
    pieces = [w for w in _tokenizer().tokenizer.cut_for_search(term) if w != term and len(w) >= 2]
    return bool(pieces) and all(stats.df(w) for w in pieces) and sum(map(len, pieces)) >= len(term)


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

