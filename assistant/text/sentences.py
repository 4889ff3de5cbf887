"""The one sentence splitter: sentences end at 。 or ；, segments at ，."""

from __future__ import annotations

SENTENCE_END = "。；"


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

