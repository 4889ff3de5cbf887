"""Quiz facts: the askable values of the clause tree, with their distractors.

A fact is a figure, a frequency, a time limit, a duty or a member of a named set, found by the
patterns in `data/quiz_facts.toml`, checked against the rule registry and tied to the reviewed facts
of `corpus/facts` (which decide what counts as one fact, and how much of a sentence a stem shows).
A distractor is the same kind of fact with another value, never one that means the same (每季 =
每季度, 1次 = 一次), never the value the other standard gives for the same figure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

from .quiz_data import (  # noqa: F401  (re-exported)
    CLAUSE_END, DATA_FILE, Family, NamedSet, QuizData, format_number, load_quiz_data, parse_number,
    registry_counterparts, segment_span, sentence_span,
)
from .types import Clause


# ------------------------------------------------------------------------------------ facts


@dataclass(frozen=True)
class Fact:
    """One askable fact: `text` at [start, end) of the leaf's text, with its distractors."""

    clause_id: str
    family: str  # family id, or `set:<id>` for a member of a named set
    start: int
    end: int
    text: str
    segment: tuple[int, int]  # the sentence piece a question shows
    sentence: tuple[int, int]  # what the explanation quotes
    alternatives: tuple[str, ...]  # distractors, most plausible first
    rules: tuple[str, ...] = ()  # registry rules whose quote holds this fact
    fact_ids: tuple[str, ...] = ()  # the reviewed facts (corpus/facts) this value belongs to

    @property
    def key(self) -> str:
        return f"{self.clause_id}@{self.start}"


def _match_value(fam: Family, m: re.Match) -> tuple:
    """What a match means, comparable across spellings: a class index or (n, m) numbers."""
    if fam.numeric:
        n = parse_number(m.group("n"))
        hi = m.groupdict().get("m")
        return ("num", n, parse_number(hi) if hi else None)
    core = m.group("t") if fam.suffix else m.group(0)
    for i, forms in enumerate(fam.classes + fam.answer_only):
        if core in forms:
            return ("class", i)
    return ("text", core)


def canonical(family_id: str, text: str) -> tuple | None:
    """The meaning of `text` as a fact of `family_id` (None if it is not one): 每季 ≡ 每季度."""
    text = _arabic_percent(text.strip())
    if family_id.startswith("set:"):
        return ("text", text)
    fam = next((f for f in load_quiz_data().families if f.id == family_id), None)
    if fam is None:
        return None
    m = fam.pattern.fullmatch(text) or fam.bare.fullmatch(text)
    if m is None and fam.numeric and re.fullmatch(r"\d+(?:\.\d+)?|[一两二三四五六七八九十]", text):
        return ("num", parse_number(text), None)  # a bare number typed into a blank
    if m is None and fam.suffix:
        m = re.fullmatch(r"(?P<t>.+?)(?P<s>之内|内)?", text)
    if m is None:
        for i, forms in enumerate(fam.classes + fam.answer_only):
            if text in forms:
                return ("class", i)
        return None
    return _match_value(fam, m)


def _arabic_percent(text: str) -> str:
    """百分之一 → 1%, 百分之零点五 → 0.5%: only this span is converted (cn2an on whole sentences
    is unreliable)."""
    m = re.fullmatch(r"百分之([零一二两三四五六七八九十百点]+)", text)
    if not m:
        return text
    import cn2an

    try:
        return f"{float(cn2an.cn2an(m.group(1), 'smart')):g}%"
    except (ValueError, KeyError):
        return text


def _conflicts(value: tuple, taken: list[tuple]) -> bool:
    """Would `value` be true where a value in `taken` is stated (equal, or inside its range)?"""
    for t in taken:
        if value == t:
            return True
        if value[0] == "num" and t[0] == "num":
            lo, hi = value[1], value[2] if value[2] is not None else value[1]
            tlo, thi = t[1], t[2] if t[2] is not None else t[1]
            if lo <= thi and tlo <= hi:  # the ranges overlap
                return True
    return False


def _distractors(fam: Family, m: re.Match, exclude: list[tuple]) -> list[str]:
    text = m.group(0)
    value = _match_value(fam, m)
    out: list[tuple[float, str]] = []
    if fam.numeric:
        n = value[1]
        is_range = value[2] is not None
        if is_range:
            base = text[:m.start("n") - m.start()]
            mid = text[m.end("n") - m.start():m.start("m") - m.start()]
            tail = text[m.end("m") - m.start():]
            for lo, hi in fam.ranges:
                cand = ("num", lo, hi)
                if cand == value or _conflicts(cand, exclude):
                    continue
                dist = abs(math.log(lo / n)) + abs(math.log(hi / value[2]))
                out.append((dist, f"{base}{format_number(lo, m.group('n'))}{mid}"
                                  f"{format_number(hi, m.group('m'))}{tail}"))
        else:
            a, b = m.start("n") - m.start(), m.end("n") - m.start()
            for v in fam.ladder:
                cand = ("num", v, None)
                if cand == value or _conflicts(cand, exclude):
                    continue
                out.append((abs(math.log(v / n)), text[:a] + format_number(v, m.group("n")) + text[b:]))
    else:
        tail = m.group("s") if fam.suffix else ""
        here = value[1] if value[0] == "class" else 0
        for i, forms in enumerate(fam.classes):
            cand = ("class", i)
            if cand == value or _conflicts(cand, exclude):
                continue
            out.append((abs(i - here) + i / 100, forms[0] + tail))  # nearest first
    out.sort(key=lambda p: p[0])
    return [t for _, t in out]


LOWER_BOUND_WORDS = ("至少", "不少于", "不低于", "达到")


def bound_direction(text: str, fam: Family, m: re.Match) -> str | None:
    """Which way the clause bounds the fact: "min" (至少1次, 3年以上, 不低于30%), "max" (半年内,
    3年内), or None (一般每月召开1次, 改正期限为1年).

    A weaker value is implied by the clause (每季度至少1次 ⇒ 每年至少1次; 一个月之内 ⇒ 两个月之内),
    so it would be a second right option or a "false" statement that is true: only stricter values
    may be distractors.
    """
    sa, _ = sentence_span(text, m.start())
    clause_start = max([sa] + [i + 1 for i in range(sa, m.start()) if text[i] in CLAUSE_END])
    before, after = text[clause_start:m.start()], text[m.end():m.end() + 2]
    if m.group(0).endswith("内") or after.startswith(("内", "之内", "以下")):
        return "max"
    if after.startswith("以上") or any(w in before for w in LOWER_BOUND_WORDS):
        return "min"
    rest = re.split(r"[，：,。；]", text[m.end():], maxsplit=1)[0]
    if fam.id == "period" and any(w in rest for w in LOWER_BOUND_WORDS):
        return "min"  # 每季度至少开展1次, 每季度到贫困村…不少于2次: the bound follows the period
    return None


def _stricter_only(fam: Family, value: tuple, direction: str | None, alternatives: list[str]) -> list[str]:
    """Keep the alternatives the clause does not imply (see bound_direction)."""
    if direction is None or value[0] == "num" and value[2] is not None:
        return alternatives
    kept = []
    for alt in alternatives:
        v = canonical(fam.id, alt)
        if v is None or v[0] != value[0]:
            continue
        here, there = value[1], v[1]
        if fam.id == "period":  # classes run 每月 → 每年: a shorter period is stricter
            stricter = there < here
        elif direction == "min":
            stricter = there > here
        else:
            stricter = there < here
        if stricter:
            kept.append(alt)
    return kept


def _counterpart_ids(clause_id: str) -> list[str]:
    out = []
    for group in load_quiz_data().counterparts:
        if clause_id in group:
            out += [c for c in group if c != clause_id and c not in out]
    return out


def _rule_spans(corpus) -> dict[str, list[tuple[int, int, str]]]:
    try:
        from .checks.rules import load_rules
    except ImportError:
        return {}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for r in load_rules():
        leaf = corpus.get(r.clauses[0])
        if leaf is not None and r.quote in leaf.text:
            a = leaf.text.index(r.quote)
            spans.setdefault(leaf.id, []).append((a, a + len(r.quote), r.id))
    return spans


def _raw_matches(leaf: Clause) -> list[tuple[Family, re.Match]]:
    """Every family match in the leaf, left to right, overlaps dropped (first family wins)."""
    found: list[tuple[Family, re.Match]] = []
    for fam in load_quiz_data().families:
        for m in fam.pattern.finditer(leaf.text):
            v = _match_value(fam, m)
            if v[0] == "num" and v[1] in fam.skip_values:
                continue
            if v[0] == "text":
                continue
            if any(m.start() < o.end() and o.start() < m.end() for _, o in found):
                continue
            found.append((fam, m))
    found.sort(key=lambda p: p[1].start())
    return found


def _stated_values(corpus, clause_ids: list[str], fam: Family) -> list[tuple]:
    values = []
    for cid in clause_ids:
        for leaf in corpus.leaves_of(cid):
            for f, m in _raw_matches(leaf):
                if f.id == fam.id:
                    values.append(_match_value(f, m))
    return values


def _member_positions(text: str, members: Sequence[str]) -> list[int] | None:
    pos, out = 0, []
    for member in members:
        i = text.find(member, pos)
        if i < 0:
            return None
        out.append(i)
        pos = i + len(member)
    return out


_FACTS_CACHE: dict[str, tuple] = {}  # corpus fingerprint -> facts (immutable, safe to share)


def _facts(corpus) -> tuple[Fact, ...]:
    if corpus.fingerprint not in _FACTS_CACHE:
        _FACTS_CACHE[corpus.fingerprint] = _build_facts(corpus)
    return _FACTS_CACHE[corpus.fingerprint]


def reviewed_facts(leaf_id: str, start: int, end: int, base=None) -> tuple:
    """The reviewed facts (corpus/facts) a value at [start, end) of a leaf belongs to: the smallest
    quote holding it. A list fact (三会一课 with four frequencies) holds each frequency, but each
    frequency is its own fact, so the tightest quote decides."""
    from .facts import load_facts

    base = base or load_facts()
    holders = [f for f in base.of_leaf(leaf_id) if f.start <= start and end <= f.end]
    if not holders:
        return ()
    best = min(len(f.quote) for f in holders)
    return tuple(f for f in holders if len(f.quote) == best)


def stem_span(text: str, start: int, end: int, held: Sequence) -> tuple[int, int]:
    """The sentence piece a question shows: the natural segment, widened to every reviewed quote
    that holds the value, so the stem keeps its subject and conditions (党员领导干部……每年至少讲1次党课)."""
    a, b = segment_span(text, start, end)
    for f in held:
        a, b = min(a, f.start), max(b, f.end)
    return a, b


def _build_facts(corpus) -> tuple[Fact, ...]:
    from .facts import load_facts

    data = load_quiz_data()
    base = load_facts()
    rule_spans = _rule_spans(corpus)
    facts: list[Fact] = []
    for leaf in corpus.leaves():
        text = leaf.text
        counterparts = _counterpart_ids(leaf.id)
        for fam, m in _raw_matches(leaf):
            exclude = _stated_values(corpus, counterparts, fam) if fam.counterparts else []
            alternatives = _stricter_only(fam, _match_value(fam, m), bound_direction(text, fam, m),
                                          _distractors(fam, m, exclude))
            rules = tuple(r for a, b, r in rule_spans.get(leaf.id, []) if a <= m.start() and m.end() <= b)
            held = reviewed_facts(leaf.id, m.start(), m.end(), base)
            facts.append(Fact(leaf.id, fam.id, m.start(), m.end(), m.group(0),
                              stem_span(text, m.start(), m.end(), held), sentence_span(text, m.start()),
                              tuple(alternatives), rules, tuple(f.id for f in held)))
        for s in data.sets:
            if s.clause != leaf.id:
                continue
            positions = _member_positions(text, s.members)
            if positions is None:
                raise ValueError(f"quiz_facts.toml: set {s.id} members not found in {leaf.id}")
            other_text = "".join(c.text for cid in counterparts for c in corpus.leaves_of(cid))
            alternatives = tuple(d for d in s.distractors if d not in text and d not in other_text)
            held = [f for p, mb in zip(positions, s.members)
                    for f in reviewed_facts(leaf.id, p, p + len(mb), base)]
            seg = stem_span(text, positions[0], positions[-1] + len(s.members[-1]), held)
            ids = tuple(dict.fromkeys(f.id for f in held))
            for member, p in zip(s.members, positions):
                facts.append(Fact(leaf.id, f"set:{s.id}", p, p + len(member), member, seg,
                                  sentence_span(text, p), alternatives, (), ids))
    return tuple(facts)


def extract_facts(corpus=None) -> tuple[Fact, ...]:
    """Every askable fact in the corpus, in document order."""
    from .corpus import load_corpus

    return _facts(corpus or load_corpus())
