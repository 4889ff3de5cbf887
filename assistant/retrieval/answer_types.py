"""Answer-type matching: what kind of fact a question asks for, and which leaves state one.

New party workers mostly ask for a figure ("多久开一次", "占多少比例", "党龄几年"). When two leaves
mention the same subject, the one with a sentence stating the asked-for kind of fact about that
subject is the answer. The patterns are data (assistant/data/answer_types.toml); the functions
here are pure.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

ANSWER_TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "answer_types.toml"
SENTENCE_END = re.compile(r"(?<=[。；;])")


@lru_cache(maxsize=4)
def load_answer_types(path: Path = ANSWER_TYPES_FILE) -> dict[str, tuple[re.Pattern, re.Pattern]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        name: (re.compile("|".join(t["question"])), re.compile("|".join(t["clause"])))
        for name, t in data["types"].items()
    }


def question_types(query: str, types: dict | None = None) -> frozenset[str]:
    """The kinds of fact the question asks for (empty when it asks for none in particular).

    A deadline question ("多长时间内报备") is not also a frequency question.
    """
    types = types or load_answer_types()
    found = {name for name, (q, _) in types.items() if q.search(query)}
    if "deadline" in found:
        found.discard("frequency")
    return frozenset(found)


def clause_types(text: str, types: dict | None = None) -> frozenset[str]:
    types = types or load_answer_types()
    return frozenset(name for name, (_, c) in types.items() if c.search(text))


def sentence_facts(text: str, tokenize: Callable[[str], Iterable[str]], types: dict | None = None
                   ) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Per sentence of a leaf: (its content tokens, the kinds of fact it states)."""
    return facts_from_tokens(text, [tokenize(s) for s in sentences(text)], types)


def sentences(text: str) -> list[str]:
    """A leaf's non-blank sentences, as sentence_facts sees them."""
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def facts_from_tokens(text: str, sentence_tokens: list[list[str]], types: dict | None = None
                      ) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """sentence_facts from tokens cut earlier (the index stores them): the kinds are read here,
    so a change of answer_types.toml takes effect without a rebuild."""
    parts = sentences(text)
    if len(parts) != len(sentence_tokens):
        raise ValueError("sentence tokens do not match the text")
    return tuple((frozenset(toks), clause_types(s, types)) for s, toks in zip(parts, sentence_tokens))


def subject_tokens(query: str) -> frozenset[str]:
    """The query words that can name a subject: numbers and one-character words (1, 次) cannot."""
    from .normalize import tokenize

    return frozenset(t for t in tokenize(query) if len(t) > 1 and not any(ch.isdigit() for ch in t))


def answer_type_match(wanted: frozenset[str], query_tokens: frozenset[str],
                      facts: tuple[tuple[frozenset[str], frozenset[str]], ...]) -> float:
    """Share of the asked-for kinds that some sentence states while naming a query word.

    0 when the question asks for no kind of fact in particular.
    """
    if not wanted:
        return 0.0
    stated: set[str] = set()
    for tokens, kinds in facts:
        if kinds & wanted and tokens & query_tokens:
            stated |= kinds & wanted
    return len(stated) / len(wanted)
