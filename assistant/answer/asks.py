"""The ask catalogue: what a question may ask for (frequency, share, term of office, who approves …), read from
its question words. Data (`assistant/data/question_attributes.toml`), validated when loaded."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ASK_FILE = Path(__file__).resolve().parent.parent / "data" / "question_attributes.toml"


@dataclass(frozen=True)
class Ask:
    attribute: str
    word: str
    accepts: tuple[str, ...]
    shape: re.Pattern | None
    specific: bool
    require_shape: bool
    kind: str
    whether_abstains: bool
    procedure_answers: bool
    patterns: tuple[re.Pattern, ...]
    shape_in_quote: bool = False
    needs_value: bool = False
    value_asks: tuple[str, ...] = ()  # other asks whose value shapes answer it too
    named_value: bool = False  # the shape names the value itself (纳入管理费用): no figure needed
    choice_of_values: bool = False  # A还是B between its values (每年还是隔年, 线上还是线下) still asks it


@lru_cache(maxsize=1)
def asks() -> tuple[Ask, ...]:
    from ..facts import ATTRIBUTES

    data = tomllib.loads(ASK_FILE.read_text(encoding="utf-8"))
    out = []
    for n, row in enumerate(data.get("ask", []), start=1):
        bad = [a for a in row.get("accepts", []) if a not in ATTRIBUTES]
        if bad or not row.get("patterns") or not row.get("attribute"):
            raise ValueError(f"{ASK_FILE.name}: 第{n}项无效（未知属性 {bad} 或缺少 patterns/attribute）")
        out.append(Ask(row["attribute"], row["word"], tuple(row.get("accepts", [])),
                       re.compile(row["shape"]) if row.get("shape") else None, bool(row.get("specific")),
                       bool(row.get("require_shape")), row.get("kind", "what"),
                       bool(row.get("whether_abstains", True)), bool(row.get("procedure_answers")), tuple(re.compile(p) for p in row["patterns"]),
                       bool(row.get("shape_in_quote")), bool(row.get("needs_value")),
                       tuple(row.get("value_asks", ())), bool(row.get("named_value")),
                       bool(row.get("choice_of_values"))))
    names = {a.attribute for a in out}
    for a in out:
        if a.needs_value and a.shape is None or any(v not in names for v in a.value_asks):
            raise ValueError(f"{ASK_FILE.name}: {a.attribute} 的 needs_value/value_asks 无效")
    return tuple(out)


def ask_for(attribute: str) -> Ask | None:
    return next((a for a in asks() if a.attribute == attribute), None)


def asked(question: str) -> Ask | None:
    """The first attribute whose question words occur in the question (outside subject names)."""
    return asked_with_cue(question)[0]


def asked_with_cue(question: str) -> tuple[Ask | None, str]:
    """The asked attribute and the question words that ask it (任期, 职级)."""
    for a in asks():
        for p in a.patterns:
            m = p.search(question)
            if m:
                return a, m.group(0)
    return None, ""


def value_shapes(ask: Ask) -> tuple[re.Pattern, ...]:
    """The value shapes that answer `ask`: its own and those of the asks it names as answering it too
    (几个 党委成员 is answered by 7-9人, a headcount)."""
    return tuple(a.shape for a in (ask, *map(ask_for, ask.value_asks)) if a is not None and a.shape)
