"""Quiz data and text helpers: the fact families and named sets of `data/quiz_facts.toml`, how a
value is read and written (一 / 1), and where a value's sentence and natural segment are."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text.numerals import cn_to_int
from .text.sentences import sentence_spans

DATA_FILE = Path(__file__).resolve().parent / "data" / "quiz_facts.toml"

CN_FOR = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
CN_NUMERAL = "一二两三四五六七八九十"
CLAUSE_END = "，：,"
# A comma clause starting with one of these leans on the one before it for its subject.
DEPENDENT_STARTS = ("一般", "特殊情况", "也可", "并", "其", "且", "每", "至少", "不少于", "力争", "逐步",
                    "要", "纳入", "按期", "改正")
MIN_SEGMENT_CHARS = 12


# ------------------------------------------------------------------------------------ data


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    pattern: re.Pattern
    classes: tuple[tuple[str, ...], ...] = ()
    answer_only: tuple[tuple[str, ...], ...] = ()
    ladder: tuple[float, ...] = ()
    ranges: tuple[tuple[float, float], ...] = ()
    suffix: bool = False
    skip_values: tuple[float, ...] = ()
    counterparts: bool = True  # False: the value belongs to a role named beside it (duties)

    @property
    def numeric(self) -> bool:
        return bool(self.ladder)

    @property
    def bare(self) -> re.Pattern:
        """The pattern without its look-arounds: matches the fact on its own (typed answers)."""
        return re.compile(re.sub(r"\(\?<?[=!][^()]*\)", "", self.pattern.pattern))


@dataclass(frozen=True)
class NamedSet:
    id: str
    clause: str
    stem: str
    members: tuple[str, ...]
    distractors: tuple[str, ...]


@dataclass(frozen=True)
class QuizData:
    families: tuple[Family, ...]
    sets: tuple[NamedSet, ...]
    counterparts: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def load_quiz_data() -> QuizData:
    raw = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    families = tuple(
        Family(
            id=f["id"], name=f["name"], pattern=re.compile(f["pattern"]),
            classes=tuple(tuple(c) for c in f.get("classes", ())),
            answer_only=tuple(tuple(c) for c in f.get("answer_only", ())),
            ladder=tuple(float(v) for v in f.get("ladder", ())),
            ranges=tuple((float(a), float(b)) for a, b in f.get("ranges", ())),
            suffix=bool(f.get("suffix", False)),
            skip_values=tuple(float(v) for v in f.get("skip_values", ())),
            counterparts=bool(f.get("counterparts", True)),
        )
        for f in raw.get("family", [])
    )
    sets = tuple(
        NamedSet(s["id"], s["clause"], s["stem"], tuple(s["members"]), tuple(s["distractors"]))
        for s in raw.get("set", [])
    )
    pairs = [tuple(c["clauses"]) for c in raw.get("counterpart", [])]
    return QuizData(families, sets, tuple(pairs) + registry_counterparts())


def registry_counterparts() -> tuple[tuple[str, ...], ...]:
    """Rules the registry keeps once per document (`*_hg` / `*_ss`) are about the same figure."""
    try:
        from .checks.rules import load_rules
    except ImportError:  # the registry is optional for the quiz
        return ()
    by_stem: dict[str, list[str]] = {}
    for r in load_rules():
        m = re.fullmatch(r"(.+)_(hg|ss)", r.id)
        if m:
            by_stem.setdefault(m.group(1), []).append(r.clauses[0])
    return tuple(tuple(v) for _, v in sorted(by_stem.items()) if len({c[:2] for c in v}) == 2)


# ------------------------------------------------------------------------------ text helpers


def parse_number(s: str) -> float:
    n = cn_to_int(s) if s and all(ch in CN_NUMERAL for ch in s) else None
    return float(n) if n is not None else float(s)


def format_number(v: float, like: str) -> str:
    """`v` written the way `like` is written: 一 → 两, 1 → 2, 0.5 → 1."""
    if like and all(ch in CN_NUMERAL for ch in like) and v == int(v) and int(v) in CN_FOR:
        return CN_FOR[int(v)]
    return str(int(v)) if v == int(v) else f"{v:g}"


def _split_points(text: str, start: int, end: int, seps: str) -> list[tuple[int, int]]:
    """Spans of `text[start:end]` cut at `seps`, never inside “quotes”; separators excluded."""
    spans, depth, begin = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in "“《（(":
            depth += 1
        elif ch in "”》）)":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in seps or text.startswith("  ", i)):
            if i > begin:
                spans.append((begin, i))
            begin = i + 1
    if end > begin:
        spans.append((begin, end))
    return [(a, b) for a, b in ((a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in spans)
            if text[a:b].strip()]


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """The sentence (the one splitter, `assistant.text.sentences`) that holds `pos`."""
    for a, b in sentence_spans(text):
        if a <= pos < b:
            return a, b
    return 0, len(text)


def segment_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The natural piece of the sentence around [start, end): its comma clause, with the clause
    before it when it cannot stand alone, and the one after when it ends in 的 (凡…的，…)."""
    sa, sb = sentence_span(text, start)
    clauses = _split_points(text, sa, sb, CLAUSE_END)
    first = next(i for i, (a, b) in enumerate(clauses) if a <= start < b or (i == len(clauses) - 1))
    last = next((i for i, (a, b) in enumerate(clauses) if a < end <= b), first)
    last = max(last, first)
    for _ in range(2):
        seg = text[clauses[first][0]:clauses[last][1]]
        if first > 0 and (len(seg) < MIN_SEGMENT_CHARS or seg.startswith(DEPENDENT_STARTS)):
            first -= 1
    seg = text[clauses[first][0]:clauses[last][1]]
    if (seg.endswith("的") or seg.startswith("按照《")) and last + 1 < len(clauses):
        last += 1  # 凡…的，…  /  按照《…》规定的…，<the action>
    return clauses[first][0], clauses[last][1]
