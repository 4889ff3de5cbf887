"""Quiz papers for trainers: questions built from the clause tree, each with its key and source.

Pipeline: leaves → facts (a figure, a frequency, a time limit, a duty or a member of a named set,
found by the patterns in `data/quiz_facts.toml` and checked against the rule registry) → items
(单选 / 多选 / 判断 / 填空) → a paper (a seeded, duplicate-free selection) → JSON / Markdown / DOCX /
CSV. Everything is deterministic: the same arguments give the same paper byte for byte.

Why the answers can be trusted:
- a blank or the right option is the fact exactly as the clause writes it;
- a distractor is the same kind of fact with another value, never one that means the same
  (每季 = 每季度, 1次 = 一次), never the value the other standard gives for the same figure, and a
  question always names the standard it is asked under (根据《河钢标准》…);
- a false 判断 statement is the clause's own words with exactly one fact swapped.

Topic filtering is lexical (terms matched in the part, title and text of each leaf): no model,
so it is fast and reproducible.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .questions import shown
from .types import Clause, UserInputError

DATA_FILE = Path(__file__).resolve().parent / "data" / "quiz_facts.toml"

TYPES = ("choice", "multi", "judge", "blank")
TYPE_NAMES = {"choice": "单选题", "multi": "多选题", "judge": "判断题", "blank": "填空题"}
TYPE_ALIASES = {"单选": "choice", "单选题": "choice", "多选": "multi", "多选题": "multi",
                "判断": "judge", "判断题": "judge", "填空": "blank", "填空题": "blank"}
TYPE_HINTS = {
    "choice": "每题只有一个正确答案",
    "multi": "每题有两个或两个以上正确答案",
    "judge": "判断下列说法是否正确",
    "blank": "在括号内填写标准原文中的内容",
}
FORMATS = ("json", "md", "docx", "csv")
DOCS = ("all", "HG", "SS")
LETTERS = "ABCDEFGH"
BLANK = "（        ）"
TRUE, FALSE = "正确", "错误"
MAX_QUESTIONS = 1000
CSV_COLUMNS = ("序号", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "答案", "解析",
               "条款编号", "出处")

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "十": 10}
CN_FOR = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
SENTENCE_END = "。；！？"
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
    return float(CN_DIGITS[s]) if s in CN_DIGITS else float(s)


def format_number(v: float, like: str) -> str:
    """`v` written the way `like` is written: 一 → 两, 1 → 2, 0.5 → 1."""
    if like in CN_DIGITS and v == int(v) and int(v) in CN_FOR:
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
    for a, b in _split_points(text, 0, len(text), SENTENCE_END):
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


def _build_facts(corpus) -> tuple[Fact, ...]:
    data = load_quiz_data()
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
            facts.append(Fact(leaf.id, fam.id, m.start(), m.end(), m.group(0),
                              segment_span(text, m.start(), m.end()), sentence_span(text, m.start()),
                              tuple(alternatives), rules))
        for s in data.sets:
            if s.clause != leaf.id:
                continue
            positions = _member_positions(text, s.members)
            if positions is None:
                raise ValueError(f"quiz_facts.toml: set {s.id} members not found in {leaf.id}")
            other_text = "".join(c.text for cid in counterparts for c in corpus.leaves_of(cid))
            alternatives = tuple(d for d in s.distractors if d not in text and d not in other_text)
            seg = segment_span(text, positions[0], positions[-1] + len(s.members[-1]))
            for member, p in zip(s.members, positions):
                facts.append(Fact(leaf.id, f"set:{s.id}", p, p + len(member), member, seg,
                                  sentence_span(text, p), alternatives))
    return tuple(facts)


def extract_facts(corpus=None) -> tuple[Fact, ...]:
    """Every askable fact in the corpus, in document order."""
    from .corpus import load_corpus

    return _facts(corpus or load_corpus())


# ------------------------------------------------------------------------------------ items


@dataclass(frozen=True)
class QuizItem:
    type: str  # choice | multi | judge | blank
    question: str
    options: tuple[str, ...]
    answer: str  # choice: a letter; multi: letters (ABD); judge: 正确/错误; blank: the words
    explanation: str
    clause: str
    label: str
    # For checks and practice mode (not in the JSON):
    family: str = ""
    fact: str = ""  # the fact as the clause writes it
    shown: str = ""  # judge: what the statement says in its place
    statement: str = ""  # judge: the statement; blank/choice: the segment with the blank
    segment: str = ""  # the clause's own words the question is built on
    source_key: str = ""  # the fact (or set) a question is about: one per paper
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"type": self.type, "question": self.question, "options": list(self.options),
                "answer": self.answer, "explanation": self.explanation, "clause": self.clause,
                "label": self.label}

    @property
    def correct_options(self) -> tuple[str, ...]:
        return tuple(self.options[LETTERS.index(ch)] for ch in self.answer) \
            if self.type in ("choice", "multi") else ()


def _scope(corpus, clause: Clause) -> str:
    return f"根据《{corpus.document(clause.doc).short_name}》"


def _quote(clause: Clause, fact: Fact) -> str:
    a, b = fact.sentence
    return f"依据{clause.label}：“{clause.text[a:b]}”"


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(":".join([str(seed), *parts]))


def _blank_stem(corpus, clause: Clause, fact: Fact) -> tuple[str, str]:
    a, b = fact.segment
    body = clause.text[a:fact.start] + BLANK + clause.text[fact.end:b]
    return f"{_scope(corpus, clause)}，{body.rstrip('，：、')}。", clause.text[a:b]


def make_item(corpus, fact: Fact, kind: str, seed: int) -> QuizItem | None:
    """One item of `kind` on `fact`, or None if the fact cannot make that kind."""
    clause = corpus.get(fact.clause_id)
    rng = _rng(seed, fact.key, kind)
    common = dict(clause=clause.id, label=clause.label, family=fact.family, fact=fact.text,
                  source_key=fact.key, rules=fact.rules)
    if kind == "blank":
        if fact.family.startswith("set:"):
            return None  # any missing member would read as right: not a fair blank
        stem, seg = _blank_stem(corpus, clause, fact)
        return QuizItem("blank", stem, (), fact.text, _quote(clause, fact),
                        statement=stem, segment=seg, **common)
    if kind == "choice":
        if len(fact.alternatives) < 3:
            return None
        wrong = rng.sample(list(fact.alternatives[:5]), 3)
        options = [fact.text, *wrong]
        rng.shuffle(options)
        letter = LETTERS[options.index(fact.text)]
        stem, seg = _blank_stem(corpus, clause, fact)
        return QuizItem("choice", stem, tuple(options), letter, _quote(clause, fact),
                        statement=stem, segment=seg, **common)
    if kind == "judge":
        if not fact.alternatives:
            return None
        a, b = fact.segment
        seg = clause.text[a:b]
        is_true = rng.random() < 0.5
        shown = fact.text if is_true else rng.choice(list(fact.alternatives[:3]))
        statement = clause.text[a:fact.start] + shown + clause.text[fact.end:b]
        question = f"{_scope(corpus, clause)}，{statement.rstrip('，：、')}。"
        if is_true:
            explanation = _quote(clause, fact)
        else:
            explanation = f"原文是“{fact.text}”，不是“{shown}”。{_quote(clause, fact)}"
        return QuizItem("judge", question, (TRUE, FALSE), TRUE if is_true else FALSE, explanation,
                        shown=shown, statement=statement, segment=seg, **common)
    return None


def make_multi(corpus, named: NamedSet, seed: int) -> QuizItem | None:
    clause = corpus.get(named.clause)
    if clause is None:
        return None
    other_text = "".join(c.text for cid in _counterpart_ids(clause.id) for c in corpus.leaves_of(cid))
    wrong_pool = [d for d in named.distractors if d not in clause.text and d not in other_text]
    if len(named.members) < 2 or not wrong_pool:
        return None
    rng = _rng(seed, "set", named.id)
    k = rng.randint(2, min(4, len(named.members)))
    right = rng.sample(list(named.members), k)
    wrong = rng.sample(wrong_pool, min(len(wrong_pool), 5 - k, max(1, 4 - k + rng.randint(0, 1))))
    options = right + wrong
    rng.shuffle(options)
    letters = "".join(LETTERS[i] for i, o in enumerate(options) if o in right)
    positions = _member_positions(clause.text, named.members)
    a, _ = sentence_span(clause.text, positions[0])
    _, b = sentence_span(clause.text, positions[-1])
    not_in = "、".join(f"“{o}”" for o in options if o not in right)
    explanation = f"{not_in}不在其中。依据{clause.label}：“{clause.text[a:b]}”"
    return QuizItem("multi", f"{_scope(corpus, clause)}，{named.stem}", tuple(options), letters,
                    explanation, clause.id, clause.label, family=f"set:{named.id}",
                    segment=clause.text[a:b], source_key=f"set:{named.id}")


# ------------------------------------------------------------------------------------ paper


@dataclass(frozen=True)
class Quiz:
    items: tuple[QuizItem, ...]
    requested: int
    types: tuple[str, ...]
    doc: str
    topic: str | None
    seed: int
    message: str = ""  # set when fewer than `requested` items could be made
    counts: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return {"items": [i.to_json() for i in self.items]}


def normalize_types(types: Sequence[str] | str | None) -> tuple[str, ...]:
    if types is None:
        return TYPES
    if isinstance(types, str):
        types = [t for t in re.split(r"[,，、\s]+", types) if t]
    elif not isinstance(types, (list, tuple)) or not all(isinstance(t, str) for t in types):
        raise UserInputError("题型应为文字，如“choice,judge”。可选：choice（单选）、multi（多选）、judge（判断）、blank（填空）。")
    out: list[str] = []
    for t in types:
        name = TYPE_ALIASES.get(str(t).strip(), str(t).strip().lower())
        if name not in TYPES:
            raise UserInputError(
                f"未知的题型“{shown(t)}”。可选：choice（单选）、multi（多选）、judge（判断）、blank（填空）。")
        if name not in out:
            out.append(name)
    if not out:
        raise UserInputError("没有指定题型。可选：choice（单选）、multi（多选）、judge（判断）、blank（填空）。")
    return tuple(out)


def normalize_doc(doc: str | None) -> str:
    if doc is not None and not isinstance(doc, str):
        raise UserInputError("文档应为文字：HG（河钢标准）、SS（四同步清单）或 all（两份都用）。")
    d = (doc or "all").strip()
    if d.lower() in ("all", "全部", ""):
        return "all"
    if d.upper() in ("HG", "SS"):
        return d.upper()
    raise UserInputError(f"未知的文档“{shown(doc)}”。可选：HG（河钢标准）、SS（四同步清单）或 all（两份都用）。")


def validate_count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            n = int(str(n).strip())
        except ValueError:
            raise UserInputError(f"题目数量必须是正整数，收到的是“{n}”。") from None
    if n < 1:
        raise UserInputError(f"题目数量必须至少为1，收到的是{n}。")
    if n > MAX_QUESTIONS:
        raise UserInputError(f"题目数量过多（{n}），一次最多出{MAX_QUESTIONS}道。")
    return n


def topic_terms(topic: str) -> list[str]:
    return [t for t in re.split(r"[\s,，、;；/|]+", topic.strip()) if t]


def topic_leaves(corpus, topic: str | None, doc: str) -> list[Clause]:
    """Leaves of `doc` whose part, title or text mentions any term of `topic` (all if no topic)."""
    leaves = corpus.leaves(None if doc == "all" else doc)
    if topic is None or not topic.strip():
        return leaves
    terms = topic_terms(topic)
    if not terms or len(topic) > 100:
        raise UserInputError("主题应为一两个关键词，例如“组织生活”“党课”“党建经费”。")
    hits = [c for c in leaves if any(t in f"{c.part} {c.title} {c.text}" for t in terms)]
    if not hits:
        scope = "" if doc == "all" else f"《{corpus.document(doc).short_name}》中"
        raise UserInputError(
            f"{scope}没有与“{shown(topic.strip())}”相关的条款。可以换个说法，例如：组织生活、党课、谈心谈话、党建经费、培训。")
    return hits


def candidate_items(types: Sequence[str] = TYPES, doc: str = "all", topic: str | None = None,
                    seed: int = 7, corpus=None) -> dict[str, list[QuizItem]]:
    """Every item the corpus supports for these arguments, per type, in document order."""
    from .corpus import load_corpus

    corpus = corpus or load_corpus()
    types, doc = normalize_types(types), normalize_doc(doc)
    leaves = {c.id for c in topic_leaves(corpus, topic, doc)}
    out: dict[str, list[QuizItem]] = {t: [] for t in types}
    for fact in extract_facts(corpus):
        if fact.clause_id not in leaves:
            continue
        for t in types:
            if t != "multi":
                item = make_item(corpus, fact, t, seed)
                if item is not None:
                    out[t].append(item)
    if "multi" in types:
        for named in load_quiz_data().sets:
            if named.clause in leaves:
                item = make_multi(corpus, named, seed)
                if item is not None:
                    out["multi"].append(item)
    return out


def _quotas(n: int, types: Sequence[str], available: dict[str, int]) -> dict[str, int]:
    """Share n out over the types as evenly as their supply allows, in the order given."""
    quota = {t: 0 for t in types}
    while sum(quota.values()) < n:
        progressed = False
        for t in types:
            if sum(quota.values()) < n and quota[t] < available[t]:
                quota[t] += 1
                progressed = True
        if not progressed:
            break
    return quota


def generate_quiz(n: int, types: Sequence[str] = TYPES, doc: str = "all", topic: str | None = None,
                  seed: int = 7) -> Quiz:
    """A paper of up to n distinct questions; `message` says so when fewer could be made.

    A paper asks about each fact at most once while it can; a blank and a choice on the same fact
    would be the same question, so they never share a paper.
    """
    n = validate_count(n)
    types, doc = normalize_types(types), normalize_doc(doc)
    if isinstance(seed, bool) or not isinstance(seed, int):
        try:
            seed = int(str(seed).strip())
        except ValueError:
            raise UserInputError(f"随机种子必须是整数，收到的是“{seed}”。") from None
    if topic is not None and not isinstance(topic, str):
        raise UserInputError("主题应为文字关键词，例如“组织生活”“党课”“党建经费”。")
    topic = topic.strip() if topic and topic.strip() else None
    pools = candidate_items(types, doc, topic, seed)
    order = random.Random(seed)
    for t in types:
        order.shuffle(pools[t])
    if not any(pools.values()):
        what = f"与“{topic}”相关的条款" if topic else "所选范围的条款"
        raise UserInputError(f"{what}中没有能出{('、'.join(TYPE_NAMES[t] for t in types))}的内容，请换个主题或题型。")

    def question_key(item: QuizItem) -> tuple:
        # blank and choice on one fact ask the same question
        return (item.source_key, "judge" if item.type == "judge" else "ask")

    # How many distinct questions each type can contribute (no key repeats within a type).
    available = {t: len({question_key(i) for i in pools[t]}) for t in types}
    quota = _quotas(n, types, available)
    chosen: dict[str, list[QuizItem]] = {t: [] for t in types}
    used_sources: set[str] = set()
    used_keys: set[tuple] = set()
    used_questions: set[str] = set()
    for strict in (True, False):  # first one question per fact, then fill up
        for t in types:
            for item in pools[t]:
                if len(chosen[t]) >= quota[t]:
                    break
                if question_key(item) in used_keys or item.question in used_questions:
                    continue
                if strict and item.source_key in used_sources:
                    continue
                chosen[t].append(item)
                used_sources.add(item.source_key)
                used_keys.add(question_key(item))
                used_questions.add(item.question)
    # Top up: a type whose questions the others already asked leaves room for the rest.
    for t in types:
        for item in pools[t]:
            if sum(len(v) for v in chosen.values()) >= n:
                break
            if question_key(item) in used_keys or item.question in used_questions:
                continue
            chosen[t].append(item)
            used_keys.add(question_key(item))
            used_questions.add(item.question)
    items = tuple(i for t in TYPES if t in chosen for i in chosen[t])
    message = ""
    if len(items) < n:
        scope = f"与“{topic}”相关的条款" if topic else "所选范围的条款"
        message = f"{scope}最多只能出{len(items)}道不重复的题（要求{n}道），已全部列出。"
    counts = {t: len(chosen[t]) for t in types}
    return Quiz(items, n, types, doc, topic, seed, message, counts)


# ------------------------------------------------------------------------------------ practice


JUDGE_WORDS = {TRUE: ("正确", "对", "是", "√", "true", "t", "yes", "y", "a"),
               FALSE: ("错误", "错", "否", "×", "x", "false", "f", "no", "n", "b")}


def check_answer(item: QuizItem, response: str | Sequence[str] | None) -> tuple[bool, str]:
    """Is `response` right for `item`? Returns (correct, a Chinese verdict with the clause)."""
    if response is None or (isinstance(response, str) and not response.strip()) or \
            (not isinstance(response, str) and not list(response)):
        return False, "还没有作答。"
    if item.type in ("choice", "multi"):
        picked = response if not isinstance(response, str) else list(response.strip().upper())
        letters = set()
        for p in picked:
            p = str(p).strip()
            if p.upper() in LETTERS[:len(item.options)]:
                letters.add(p.upper())
            elif p in item.options:
                letters.add(LETTERS[item.options.index(p)])
        ok = "".join(sorted(letters)) == item.answer
    elif item.type == "judge":
        r = str(response).strip().lower()
        verdict = next((k for k, words in JUDGE_WORDS.items() if r in words), None)
        ok = verdict == item.answer
    else:
        r = str(response).strip().strip("（）() “”\"'")
        mine, right = canonical(item.family, r), canonical(item.family, item.answer)
        ok = r == item.answer.strip("“”") or (mine is not None and mine == right)
    return ok, ("回答正确。" if ok else "回答错误。") + item.explanation


# ------------------------------------------------------------------------------------ renderers


def answer_text(item: QuizItem) -> str:
    """The key as a trainer reads it: B（每月）, ACD（精简、协调、高效）, 错误, 56学时."""
    if item.type in ("choice", "multi"):
        return f"{item.answer}（{'、'.join(item.correct_options)}）"
    return item.answer


def summary_line(quiz: Quiz) -> str:
    parts = "、".join(f"{TYPE_NAMES[t][:-1]}{quiz.counts.get(t, 0)}道" for t in quiz.types
                     if quiz.counts.get(t, 0))
    scope = {"all": "两份标准", "HG": "河钢标准", "SS": "四同步清单"}[quiz.doc]
    topic = f" · 主题：{quiz.topic}" if quiz.topic else ""
    return f"共{len(quiz.items)}道（{parts}） · 范围：{scope}{topic} · 试卷编号：{quiz.seed}"


def _sections(quiz: Quiz) -> list[tuple[str, list[tuple[int, QuizItem]]]]:
    """(heading, [(number, item)]) per type present, numbered straight through the paper."""
    out, number = [], 0
    cn = "一二三四"
    for t in TYPES:
        group = [i for i in quiz.items if i.type == t]
        if not group:
            continue
        numbered = []
        for item in group:
            number += 1
            numbered.append((number, item))
        out.append((f"{cn[len(out)]}、{TYPE_NAMES[t]}（{TYPE_HINTS[t]}）", numbered))
    return out


QUIZ_TITLE = "党建标准知识测试卷"


def render_markdown(quiz: Quiz) -> str:
    lines = [f"# {QUIZ_TITLE}", "", summary_line(quiz), ""]
    if quiz.message:
        lines += [f"> {quiz.message}", ""]
    lines += ["## 试卷", ""]
    for heading, group in _sections(quiz):
        lines += [f"### {heading}", ""]
        for number, item in group:
            lines.append(f"{number}. {item.question}")
            for letter, option in zip(LETTERS, item.options if item.type != "judge" else ()):
                lines.append(f"   {letter}. {option}")
            lines.append("")
    lines += ["## 答案及解析", ""]
    for heading, group in _sections(quiz):
        lines += [f"### {heading.split('（')[0]}", ""]
        for number, item in group:
            lines.append(f"{number}. 答案：**{answer_text(item)}**　{item.explanation}（{item.clause}）")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_json(quiz: Quiz) -> str:
    d = quiz.to_json()
    if quiz.message:
        d["message"] = quiz.message
    return json.dumps(d, ensure_ascii=False, indent=2) + "\n"


def render_csv(quiz: Quiz) -> bytes:
    """One row per question; UTF-8 with BOM so Excel and WPS read the Chinese right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for number, item in ((n, i) for _, g in _sections(quiz) for n, i in g):
        options = list(item.options if item.type != "judge" else ())[:5]
        options += [""] * (5 - len(options))
        w.writerow([number, TYPE_NAMES[item.type][:-1], item.question, *options, item.answer,
                    item.explanation, item.clause, item.label])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def render_docx(quiz: Quiz) -> bytes:
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    from .export import new_document, reproducible_docx_bytes

    doc = new_document(QUIZ_TITLE, summary_line(quiz))
    info = doc.add_paragraph("单位：__________　　姓名：__________　　得分：__________")
    info.alignment = 1
    if quiz.message:
        doc.add_paragraph(quiz.message)
    doc.add_heading("试卷", level=1)
    for heading, group in _sections(quiz):
        doc.add_heading(heading, level=2)
        for number, item in group:
            p = doc.add_paragraph(f"{number}. {item.question}")
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.keep_with_next = item.type != "blank"
            if item.type in ("choice", "multi"):
                for k, (letter, option) in enumerate(zip(LETTERS, item.options)):
                    op = doc.add_paragraph(f"{letter}. {option}")
                    op.paragraph_format.left_indent = Pt(21)
                    op.paragraph_format.space_after = Pt(0)
                    op.paragraph_format.keep_with_next = k < len(item.options) - 1
            elif item.type == "judge":
                jp = doc.add_paragraph("（　　）正确　　（　　）错误")
                jp.paragraph_format.left_indent = Pt(21)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("答案及解析", level=1)
    for heading, group in _sections(quiz):
        doc.add_heading(heading.split("（")[0], level=2)
        for number, item in group:
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(4)
            p.add_run(f"{number}. 答案：")
            p.add_run(answer_text(item)).bold = True
            p.paragraph_format.keep_with_next = True
            e = doc.add_paragraph(f"{item.explanation}（{item.clause}）")
            e.paragraph_format.left_indent = Pt(21)
            e.paragraph_format.space_after = Pt(2)
    return reproducible_docx_bytes(doc)


def render_quiz(quiz: Quiz, fmt: str) -> bytes:
    fmt = str(fmt or "").strip().lower()
    if fmt == "json":
        return render_json(quiz).encode("utf-8")
    if fmt in ("md", "markdown"):
        return render_markdown(quiz).encode("utf-8")
    if fmt == "csv":
        return render_csv(quiz)
    if fmt == "docx":
        return render_docx(quiz)
    raise UserInputError(f"未知的输出格式“{fmt}”。可选：json、md、docx、csv。")


def format_from_path(path: str) -> str | None:
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"markdown": "md"}.get(suffix, suffix) if suffix in (*FORMATS, "markdown") else None


def bench_quiz() -> dict:
    """Timings in milliseconds (fact extraction cold, a 20-question paper, each format) and the
    corpus's capacity per type. `python -c "from assistant.quiz import bench_quiz; print(bench_quiz())"`."""
    import time

    from .corpus import load_corpus

    corpus = load_corpus()
    out: dict = {}
    t0 = time.perf_counter()
    _FACTS_CACHE.pop(corpus.fingerprint, None)
    facts = extract_facts(corpus)
    out["extract_facts_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    out["facts"] = len(facts)
    t0 = time.perf_counter()
    quiz = generate_quiz(20, seed=7)
    out["generate_20_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    for fmt in FORMATS:
        t0 = time.perf_counter()
        render_quiz(quiz, fmt)
        out[f"render_{fmt}_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    full = generate_quiz(MAX_QUESTIONS, seed=7)
    out["max_distinct_questions"] = len(full.items)
    out["capacity_per_type"] = {t: len(generate_quiz(MAX_QUESTIONS, types=[t], seed=7).items)
                                for t in TYPES}
    return out
