"""What a model writes, made safe to show and to check: plain text, and citations in one form.

- `clean_model_text`: control characters (ANSI escapes included), bidirectional overrides, HTML,
  Markdown images and links, and bare URLs are removed; the UI then escapes what is left, so a
  model's text is always shown as plain text.
- `normalize_citations`: a citation in any form becomes `[ID]` — full-width (〔ＨＧ－２１．１〕),
  other brackets (【HG-21.1】, （HG-21.1）), bare (HG-21.1), an echoed label (〔河钢标准 第21条第1款〕,
  河钢标准第二十一条第一款, 四同步清单第2条③). A label or ID naming no clause becomes
  `[未知:<what was written>]`, which the checker drops and reports.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LINK_REMOVED = "〔链接已删除〕"
UNKNOWN = "未知:"  # prefix of a citation naming no clause: [未知:HG-99.9]

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_ANSI_REMNANT = re.compile(r"\[[0-9;]{1,12}m")  # an escape whose ESC arrived in another chunk
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,200})\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]{0,200})\]\((?:[a-z][a-z0-9+.-]*:|/|www\.)[^)\n]{0,2000}\)", re.I)
_HTML = re.compile(r"</?[A-Za-z!][^<>\n]{0,500}>")
_URL = re.compile(r"(?:(?:https?|ftp|file|javascript|data|mailto):|www\.)[^\s<>\"'，。；！？）】〕]*", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NUM = r"[0-9０-９]+|[零〇一二两三四五六七八九十百]+"
_OPEN, _CLOSE = r"[\[［【〔（(〈《]", r"[\]］】〕）)〉》]"


def strip_controls(text: str) -> str:
    """Text without terminal escapes and control characters (newlines and tabs kept)."""
    text = _ANSI.sub("", text)
    text = _BIDI.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def clean_model_text(text: str) -> str:
    """The model's text as plain text: no controls, HTML, images, links or URLs."""
    text = _ANSI_REMNANT.sub("", strip_controls(text.replace("\r\n", "\n").replace("\r", "\n")))
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML.sub("", text)
    text = _URL.sub(LINK_REMOVED, text)
    return _EMAIL.sub(LINK_REMOVED, text)


def _cn_int(s: str) -> int | None:
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    if all(ch in _CN_DIGITS for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = current = 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in "十百":
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            return None
    return total + current


@lru_cache(maxsize=1)
def _citation_tables():
    """(documents, label key → clause ID, every clause ID) from the corpus."""
    from .corpus import load_corpus

    corpus = load_corpus()
    docs = tuple((d.code, d.short_name) for d in corpus.documents)
    by_key: dict[tuple, str] = {}
    for c in corpus.clauses:
        key = _label_key(c.label, docs)
        if key is not None:
            by_key.setdefault(key, c.id)
    return docs, by_key, frozenset(c.id for c in corpus.clauses)


def _label_pattern(docs) -> re.Pattern:
    names = "|".join(re.escape(name) for _, name in docs)
    return re.compile(
        rf"{_OPEN}?\s*(?P<doc>{names})\s*(?:(?:第\s*(?P<item>{_NUM})\s*[条项])\s*(?:第\s*(?P<sub>{_NUM})\s*款)?"
        rf"\s*(?P<circ>[{_CIRCLED}])?|(?P<general>总体要求))\s*(?:{_CLOSE})?"
    )


def _label_key(text: str, docs) -> tuple | None:
    m = _label_pattern(docs).fullmatch(text.strip())
    return _key_of(m) if m else None


def _key_of(m: re.Match) -> tuple | None:
    if m.group("general"):
        return (m.group("doc"), "general")
    item = _cn_int(m.group("item"))
    sub = _cn_int(m.group("sub")) if m.group("sub") else (
        _CIRCLED.index(m.group("circ")) + 1 if m.group("circ") else None)
    return None if item is None else (m.group("doc"), item, sub)


def _id_pattern(docs) -> re.Pattern:
    def letters(code: str) -> str:
        return "".join(f"[{ch.upper()}{ch.lower()}{chr(ord(ch.upper()) + 0xFEE0)}{chr(ord(ch.lower()) + 0xFEE0)}]"
                       for ch in code)

    codes = "|".join(letters(code) for code, _ in docs)
    digits = "[0-9０-９]+"
    return re.compile(
        rf"(?:{_OPEN}\s*)?(?<![A-Za-zＡ-Ｚａ-ｚ])(?P<code>{codes})\s*[-－—–‐_]?\s*(?P<num>{digits}(?:\s*[.．·]\s*{digits})?)"
        rf"(?![0-9０-９A-Za-z])(?:\s*{_CLOSE})?"
    )


def normalize_citations(text: str) -> str:
    """Every citation written in `text`, whatever its form, as `[ID]` (unknown ones `[未知:…]`)."""
    docs, by_key, known = _citation_tables()

    def from_label(m: re.Match) -> str:
        key = _key_of(m)
        cid = by_key.get(key) if key else None
        return f"[{cid}]" if cid else f"[{UNKNOWN}{_plain(m.group(0))}]"

    def from_id(m: re.Match) -> str:
        raw = unicodedata.normalize("NFKC", m.group("code") + "-" + m.group("num"))
        cid = re.sub(r"\s+", "", raw).upper().replace("·", ".")
        return f"[{cid}]" if cid in known else f"[{UNKNOWN}{cid}]"

    text = _label_pattern(docs).sub(from_label, text)
    return _id_pattern(docs).sub(from_id, text)


def _plain(s: str) -> str:
    return re.sub(rf"^{_OPEN}|{_CLOSE}$", "", s.strip()).strip()[:30]


CITATION = re.compile(r"\[(" + UNKNOWN + r"[^\]\n]{0,40}|[A-Z]+-\d+(?:\.\d+)?)\]")
