"""The one sentence splitter: sentences end at 。 or ；, segments at ，, never inside quotation marks
or brackets (按照“精简、高效、协调，便于发挥作用”的原则 is one segment)."""

from __future__ import annotations

import re

SENTENCE_END = "。；"
CLAUSE_BREAK = "，,。；;！!？?\n"
OPENING, CLOSING = "“《（(", "”》）)"


def _depths(text: str, start: int, end: int):
    """(index, character, nesting depth of quotes and brackets) for text[start:end]."""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING and depth:
            depth -= 1
        yield i, ch, depth


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split after 。 or ；; the end excludes the punctuation."""
    spans, start = [], 0
    for i, ch, depth in _depths(text, 0, len(text)):
        if ch in SENTENCE_END and not depth:
            if text[start:i].strip():
                spans.append(_strip_span(text, start, i))
            start = i + 1
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int, chars: str = "") -> tuple[int, int]:
    """The span without leading and trailing whitespace (and `chars`)."""
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A part of a sentence without the punctuation it was cut at (，；。、)."""
    return _strip_span(text, start, end, "，,；;。、")


def segment_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma segments of a sentence span, as (start, end) in the leaf text."""
    spans, s = [], start
    for i, ch, depth in _depths(text, start, end):
        if ch == "，" and not depth:
            if i > s:
                spans.append((s, i))
            s = i + 1
    if end > s:
        spans.append((s, end))
    return spans



def clauses(text: str) -> list[str]:
    """A question's clauses, split at any comma, stop, question or exclamation mark (no quote
    handling: questions are short and users' quotation marks are often unpaired)."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in CLAUSE_BREAK:
            if text[start:i].strip():
                out.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        out.append(text[start:])
    return out


# 我是二级单位的党委书记 / 作为班子成员 / 本人刚被任命为支部书记: the asker saying who they are.
ASKER = re.compile(r"^(我|我们|本人)(是|现在是|被任命为|刚被任命为|作为|当)|^作为")


def describes_asker(clause: str) -> bool:
    return bool(ASKER.match(clause.strip()))


def asker_clauses(text: str) -> list[str]:
    """The clauses of a question in which the asker says who they are (我是公司副总（党员））."""
    return [c for c in clauses(text) if describes_asker(c)]


def asker_prefix_end(text: str) -> int:
    """Where a leading clause describing the asker ends (after its comma), 0 when there is none or it is all."""
    parts = clauses(text)
    if len(parts) < 2 or not describes_asker(parts[0]):
        return 0
    return text.find(parts[0]) + len(parts[0]) + 1
