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
