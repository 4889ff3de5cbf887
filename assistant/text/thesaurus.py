"""The one thesaurus: the standards' word → what people say instead, read from one data file.

Retrieval maps variants to the canonical word before indexing and searching; the answer composer
reads the same groups (plus its own paraphrases) when it weighs a question's words.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

THESAURUS_FILE = Path(__file__).resolve().parent.parent / "data" / "thesaurus.toml"


@lru_cache(maxsize=1)
def synonym_groups_raw() -> dict[str, tuple[str, ...]]:
    """canonical word → its variants, as written in the data file."""
    try:
        data = tomllib.loads(THESAURUS_FILE.read_text(encoding="utf-8")).get("synonyms", {})
    except FileNotFoundError:
        return {}
    out = {}
    for canonical, variants in data.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) and v for v in variants):
            raise ValueError(f"{THESAURUS_FILE.name}: “{canonical}”的同义词必须是非空文本列表")
        out[canonical] = tuple(variants)
    return out


def joined_possessive(question: str, known) -> str:
    """党组织的经费 → 党组织经费 where the two sides of a 的 make one word the thesaurus knows (党组织经费, a
    name of 党建经费): people put 的 inside the standards' compound names. Pure: `known` is the set of words."""
    if "的" not in question:
        return question
    out = question
    for i in range(len(question) - 2, 0, -1):
        if question[i] != "的":
            continue
        for a in range(min(5, i), 1, -1):
            hit = next((question[i - a:i] + question[i + 1:i + 1 + b] for b in range(min(5, len(question) - i - 1), 1, -1)
                        if question[i - a:i] + question[i + 1:i + 1 + b] in known), None)
            if hit:
                out = out[:i] + out[i + 1:]
                break
    return out
