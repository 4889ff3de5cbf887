"""Query and clause-text normalisation: width, case, numerals, domain thesaurus, tokens.

Queries and the indexed clause text go through the same steps, so a colloquial variant
(全体党员会议, 小时, 一次) meets the standards' own wording (党员大会, 学时, 1次).
"""

from __future__ import annotations

import hashlib
import re
import threading
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..text.numerals import CN_DIGITS as _CN_DIGITS
from ..text.numerals import cn_to_int  # noqa: F401  (one numeral reader; re-exported)
from ..text.thesaurus import synonym_groups_raw

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DOMAIN_DICT = DATA_DIR / "domain_dict.txt"
THESAURUS = DATA_DIR / "thesaurus.toml"
STOPWORDS = DATA_DIR / "stopwords.txt"

# Bump when the normalisation code changes what tokens come out: the index manifest hashes it.
NORMALIZER_VERSION = "1"

# A Chinese numeral counts as a number only before a measure word or after 第/百分之, so fixed
# terms such as 三会一课, 一肩挑, 第一责任人 or 统一 keep their characters.
_MEASURES = "次个年月季人名天日周届条款项倍位批种级岁期轮遍"
# Characters before 一 that make a word of it (统一, 唯一, 第一 …), never a count.
_NOT_AFTER = "第统唯万之同逐专一二两三四五六七八九十百千"
_NUMERAL_BEFORE_MEASURE = re.compile(
    rf"(?<![{_NOT_AFTER}])([零〇一二两三四五六七八九十百千]+)(?=[{_MEASURES}]|小时|学时)"
)
_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百千点]+)")
_FIXED_TERMS_WITH_NUMERALS = ("一把手", "一岗双责", "一肩挑", "一案双查", "一带一路", "一人担任", "十九届四中全会")


def _convert_percent(m: re.Match) -> str:
    body = m.group(1)
    if "点" in body:
        whole, _, frac = body.partition("点")
        w = cn_to_int(whole) if whole else 0
        digits = "".join(str(_CN_DIGITS.get(ch, "")) for ch in frac)
        return f"{w}.{digits}%" if w is not None and digits else m.group(0)
    n = cn_to_int(body)
    return f"{n}%" if n is not None else m.group(0)


def _convert_numeral(m: re.Match) -> str:
    n = cn_to_int(m.group(1))
    return str(n) if n is not None else m.group(0)


def normalize_text(text: str) -> str:
    """Width, case and numerals: `１次`/`一次` → `1次`, `百分之一` → `1%`, `ＨＧ` → `hg`."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = s.replace("％", "%").replace("～", "-")
    protected: dict[str, str] = {}
    for i, term in enumerate(_FIXED_TERMS_WITH_NUMERALS):
        if term in s:
            key = f"\ue000{i}\ue001"  # private-use marks never appear in user input (validated)
            protected[key] = term
            s = s.replace(term, key)
    s = _PERCENT.sub(_convert_percent, s)
    s = _NUMERAL_BEFORE_MEASURE.sub(_convert_numeral, s)
    for key, term in protected.items():
        s = s.replace(key, term)
    return s


@lru_cache(maxsize=1)
def thesaurus() -> dict[str, str]:
    """variant → canonical word, both normalised."""
    out: dict[str, str] = {}
    for canonical, variants in synonym_groups_raw().items():
        c = normalize_text(canonical)
        for v in variants:
            out[normalize_text(v)] = c
    return out


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words: set[str] = set()
    for line in STOPWORDS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        words.update(normalize_text(w) for w in line.split())
    return frozenset(words)


_TOKENIZER = None
_TOKENIZER_LOCK = threading.Lock()


def _fresh_tokenizer():
    """A private jieba tokenizer with the domain words: jieba's own dictionary (~1 s) plus ours."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for line in DOMAIN_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            tk.add_word(normalize_text(parts[0]), int(parts[1]) if len(parts) > 1 else 50000)
    for variant, canonical in thesaurus().items():
        tk.add_word(variant, 50000)
        tk.add_word(canonical, 50000)
    return tk


def _tokenizer():
    """The process's jieba tokenizer: adopted from the built index when one was opened first
    (`adopt_tokenizer_state`), else built from jieba's dictionary and our data files."""
    global _TOKENIZER
    tk = _TOKENIZER
    if tk is None:
        with _TOKENIZER_LOCK:
            if _TOKENIZER is None:
                _TOKENIZER = _fresh_tokenizer()
            tk = _TOKENIZER
    return tk


def jieba_tokenizer():
    """The shared jieba.Tokenizer with the domain words (for other stages that cut Chinese text)."""
    return _tokenizer()


def _jieba_version() -> str:
    import jieba

    return str(jieba.__version__)


def tokenizer_state() -> dict:
    """jieba's dictionary state after our additions, for the index file: adopting it in another
    process gives the same tokens without reading jieba's dictionary or re-adding our words."""
    tk = _tokenizer()
    return {"jieba": _jieba_version(), "tokenizer_data": data_fingerprint(), "freq": dict(tk.FREQ),
            "total": int(tk.total)}


def adopt_tokenizer_state(state: dict) -> bool:
    """Use a stored state (see tokenizer_state) unless a tokenizer already exists in this process
    or the state was made by another jieba version or other data files. True when adopted."""
    global _TOKENIZER
    if _TOKENIZER is not None:
        return False
    if state.get("jieba") != _jieba_version() or state.get("tokenizer_data") != data_fingerprint():
        return False
    freq, total = state.get("freq"), state.get("total")
    if not isinstance(freq, dict) or not freq or not isinstance(total, int) or total <= 0:
        raise ValueError("jieba state in the index is damaged")
    import jieba

    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = freq, total, True
    with _TOKENIZER_LOCK:
        if _TOKENIZER is not None:
            return False
        _TOKENIZER = tk
    return True


def reset_tokenizer() -> None:
    """Forget the process's tokenizer (tests)."""
    global _TOKENIZER
    with _TOKENIZER_LOCK:
        _TOKENIZER = None


def _is_content(token: str) -> bool:
    return bool(token.strip()) and any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokenize(text: str) -> list[str]:
    """Content tokens for the lexical index: jieba search-mode words, thesaurus-mapped, no stopwords.

    Search mode adds the dictionary sub-words of long words (党支部书记 → 支部, 书记, 党支部书记),
    so a question that says 支部书记 still meets 党支部书记.
    """
    syn, stop = thesaurus(), stopwords()
    out = []
    for tok in _tokenizer().cut_for_search(normalize_text(text)):
        tok = tok.strip()
        if not _is_content(tok) or tok in stop:
            continue
        out.append(syn.get(tok, tok))
    return out


def normalize_query(query: str) -> str:
    """The query as the index sees it: width, numerals and thesaurus applied, words kept in order."""
    syn = thesaurus()
    return "".join(syn.get(t, t) for t in _tokenizer().lcut(normalize_text(query)))


_RUNS = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9.%]+")
# Characters that make a bigram of no meaning when both halves are among them (的吗, 多少).
_FUNCTION_CHARS = frozenset("的了吗呢吧啊是在和与及要有个多少几怎么什么哪")


def char_bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of the thesaurus-mapped text, for the bigram BM25 channel.

    Bigrams meet a colloquial wording halfway where jieba cuts the two differently (入党 vs
    党龄, 党务干部 vs 党务工作人员); pairs of function characters (多少, 的吗) are dropped.
    """
    out = []
    for run in _RUNS.findall(normalize_query(text)):
        out += [run[i:i + 2] for i in range(len(run) - 1)]
    return [b for b in out if not (b[0] in _FUNCTION_CHARS and b[1] in _FUNCTION_CHARS)]


def content_terms(query: str) -> list[str]:
    """Distinct content words of a query (precise mode, no sub-words), thesaurus-mapped."""
    syn, stop = thesaurus(), stopwords()
    seen: dict[str, None] = {}
    for tok in _tokenizer().lcut(normalize_text(query)):
        tok = tok.strip()
        if _is_content(tok) and tok not in stop:
            seen.setdefault(syn.get(tok, tok), None)
    return list(seen)


def data_fingerprint() -> str:
    """Hash of everything that shapes tokens: the data files and the normaliser version."""
    h = hashlib.sha256(NORMALIZER_VERSION.encode())
    for p in (DOMAIN_DICT, THESAURUS, STOPWORDS):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]
