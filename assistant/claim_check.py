"""Does the clause say what the sentence says? A meaning-level check of one sentence against one clause.

Used on every sentence an LLM writes (assistant/llm.py). Word overlap alone lets a changed meaning
through (每周 for 每月, 三次 for 1次, 不需要 added, an invented 须报…审批 tacked on), so the sentence
is compared with the clause text itself, part by part:

- scope: the sentence's subject (the words before its first predicate word: 支委会 in
  支委会一般每月召开1次) must be found in the clause; the facts are then compared with the clause
  segment that names it and the segments continuing it (not the next segment about 党小组会);
- figures: every number (Arabic or Chinese numerals, 百分之十, ranges such as 0.5%-2%, with its
  unit) must be in the scope;
- frequency and period words (每周/每月/每两个月/每季/每半年/每年) must be in the scope;
- strength words (一般/原则上, 至少/不少于, 不超过, 须/应当) the sentence uses must be in the scope,
  and a softener in the scope (一般) may not be dropped;
- negation must agree: the sentence may not negate what the scope states, nor drop a prohibition;
- nothing may be added: every part of the sentence must share most of its wording with the clause,
  and no stretch of five or more characters may be absent from it.

Conservative by design: a faithful paraphrase that fails is shown as 未核实, never as verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SEGMENTS = re.compile(r"[，,。；;：:！!？?\n]")
SENTENCE_END = re.compile(r"[。；;！!？?\n]")
PARTS = re.compile(r"[，,；;：:、]")

# Words a sentence may add around a clause's wording without changing what it claims.
FILLERS = ("需要注意的是", "也就是说", "具体来说", "具体而言", "总的来说", "换句话说", "根据", "按照规定",
           "依据", "规定", "要求", "明确", "指出", "提出", "其中", "此外", "另外", "同时", "并且", "以及",
           "该标准", "两份标准", "标准", "清单", "文件", "的", "了", "和", "与", "也", "都")

UNITS = ("个学时", "学时", "个小时", "小时", "个月", "万元", "元", "次", "个", "年", "月", "季", "人", "名", "位",
         "天", "日", "周", "届", "条", "项", "倍", "岁", "%")
UNIT_ALIASES = {"小时": "学时", "个小时": "学时", "个学时": "学时", "名": "人", "位": "人", "个月": "月", "日": "天"}
NUMBER = r"\d+(?:\.\d+)?"
RANGE_RE = re.compile(rf"({NUMBER})(%?)\s*[-~—–至到]\s*({NUMBER})(%?)")
FIGURE_RE = re.compile(rf"(?<![\d.])({NUMBER})(?:\s*({'|'.join(map(re.escape, UNITS))}))?")

FREQ_RE = re.compile(r"(?:每(?:隔)?|按)(\d*|半)?个?(天|日|周|星期|月度|月|季度|季|半年|年度|年)")
FREQ_UNITS = {"日": "天", "星期": "周", "月度": "月", "季度": "季", "年度": "年"}

STRENGTH = {
    "soft": re.compile(r"一般|原则上|力争|鼓励|可以|酌情|尽量|尽可能"),
    "floor": re.compile(r"至少|不少于|不低于|不得少于|不得低于|最少|起码|以上"),
    "ceiling": re.compile(r"不超过|不高于|不得超过|不得多于|最多|以内|之内|以下"),
    "must": re.compile(r"必须|务必|一律|应当|应该|(?<![必无毋])须|(?<![相响适对反供呼感答顺])应(?![用急对])"),
}
STRENGTH_NAMES = {"soft": "“一般”类用语", "floor": "下限（至少/不少于）", "ceiling": "上限（不超过）",
                  "must": "“须/应当”类用语"}
# 不 in these words is part of a strength word or of a content word, not a negation.
NOT_NEGATION = ("不少于", "不低于", "不超过", "不高于", "不得少于", "不得低于", "不得超过", "不得多于", "不断",
                "不合格", "不定期", "不良", "不正之风", "不作为", "不担当", "不忘初心", "不折不扣", "不足", "不同",
                "无记名", "不懈", "非公", "未成年", "不了了之")
NEGATION_RE = re.compile(r"不|没有|没|无|未|非|禁止|严禁|勿|毋")
PERMISSION_RE = re.compile(r"(?<![不认许宁])可(?![能见靠行])")
PROHIBITION_RE = re.compile(r"不得|严禁|禁止|不准|不能|不可|不应|不宜|不允许")

# The first word of a statement's predicate: what comes before it is the statement's subject.
PREDICATE_RE = re.compile(
    r"一般|原则上|至少|不少于|不低于|不超过|每|应当|应该|必须|须|(?<![相响适对反供呼感答顺])应|要|可|按|召开|开展|"
    r"达到|进入|纳入|安排|不得|严禁|禁止|是|实行|建立|落实|占|配备|配齐|设立|参加|列支|不需要|不用|无需|不必|"
    r"需要|需|不|没有|未|由|负责|担任|兼任|推行"
)
SUBJECT_MIN_COVERAGE = 0.6
PART_MIN_SUPPORT = 0.5
MAX_UNSUPPORTED_RUN = 4  # consecutive character pairs absent from the clause: 5 characters


@dataclass(frozen=True)
class ClaimCheck:
    problems: tuple[str, ...]  # why the clause does not support the sentence (Chinese), empty when it does

    @property
    def supported(self) -> bool:
        return not self.problems


@lru_cache(maxsize=1)
def _doc_names() -> tuple[str, ...]:
    from .corpus import load_corpus

    try:
        return tuple(d.short_name for d in load_corpus().documents)
    except Exception:  # a broken corpus is reported elsewhere; the check then ignores document names
        return ()


def _normalize(text: str) -> str:
    from .retrieval.normalize import normalize_text

    return re.sub(r"\s+", "", normalize_text(text))


def _filler_pattern() -> re.Pattern:
    words = sorted(set(FILLERS) | set(_doc_names()), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _content(text: str) -> str:
    """The text without filler and strength words (compared on their own), for wording
    comparisons (applied to sentence and clause alike)."""
    text = _filler_pattern().sub(" ", text)
    for rx in STRENGTH.values():
        text = rx.sub(" ", text)
    return text


def bigrams(text: str) -> list[str]:
    chars = "".join(ch if ch.isalnum() or ch == "%" else " " for ch in text)
    return [chars[i:i + 2] for i in range(len(chars) - 1) if " " not in chars[i:i + 2]]


def _strip_lead(text: str) -> str:
    """A sentence without its lead-in (河钢标准规定，/ 根据四同步清单，/ 其中，)."""
    names = "|".join(map(re.escape, (*_doc_names(), "该标准", "两份标准", "标准", "清单", "文件")))
    lead = re.compile(rf"^(?:(?:根据|按照|依据|按)?《?(?:{names})》?(?:中|里)?(?:的)?(?:规定|要求|明确|指出|提出)?(?:了)?[，,：:]?"
                      r"|其中[，,]?|此外[，,]?|另外[，,]?|同时[，,]?)+")
    return lead.sub("", text)


def subject(text: str) -> str:
    """The words before the first predicate word; '' when there are fewer than two."""
    m = PREDICATE_RE.search(text)
    head = text[:m.start()] if m else ""
    head = re.sub(r"^[的、，,\s]+|[的、，,\s]+$", "", head)
    return head if len(head) >= 2 else ""


def _coverage(grams: list[str], text: str) -> float:
    return sum(g in text for g in grams) / len(grams) if grams else 0.0


def _segments(clause: str) -> list[tuple[str, bool]]:
    """(segment, ends a sentence) for each comma-separated segment of the clause."""
    out, pos = [], 0
    for m in SEGMENTS.finditer(clause + "。"):
        out.append((clause[pos:m.start()], bool(SENTENCE_END.match(m.group(0)))))
        pos = m.end()
    return [(seg, ends) for seg, ends in out if seg]


def _scope(subj: str, clause: str) -> list[str] | None:
    """The clause segments about `subj`: the segment naming it and those continuing it (no subject
    of their own) up to the end of its sentence. None when the clause does not name it."""
    segments = _segments(clause)
    grams = bigrams(subj)
    if not grams:
        return [seg for seg, _ in segments]
    scores = [_coverage(grams, seg) for seg, _ in segments]
    best = max(scores, default=0.0)
    if best < SUBJECT_MIN_COVERAGE:
        if _coverage(grams, clause) >= SUBJECT_MIN_COVERAGE:
            return [seg for seg, _ in segments]
        return None
    out = []
    for i, score in enumerate(scores):
        if score < best:
            continue
        seg, ends = segments[i]
        out.append(seg)
        j = i + 1
        while not ends and j < len(segments) and not subject(segments[j][0]):
            seg, ends = segments[j]
            out.append(seg)
            j += 1
    return out


def _figures(text: str) -> set[tuple[float, str]]:
    found: set[tuple[float, str]] = set()
    for m in RANGE_RE.finditer(text):
        pct = "%" if (m.group(2) or m.group(4)) else ""
        found.add((float(m.group(1)), pct))
        found.add((float(m.group(3)), pct))
    for m in FIGURE_RE.finditer(text):
        unit = UNIT_ALIASES.get(m.group(2) or "", m.group(2) or "")
        found.add((float(m.group(1)), unit))
    return found


def _show_figure(value: float, unit: str) -> str:
    return f"{value:g}{unit}"


def _frequencies(text: str) -> set[str]:
    out = set()
    for m in FREQ_RE.finditer(text):
        n, unit = m.group(1) or "", FREQ_UNITS.get(m.group(2), m.group(2))
        if n == "半" and unit == "年" or unit == "半年":
            out.add("半年")
        else:
            out.add(("" if n in ("", "1") else n) + unit)
    return out


def _strengths(text: str) -> set[str]:
    return {name for name, rx in STRENGTH.items() if rx.search(text)}


def _negations(text: str) -> set[str]:
    for word in NOT_NEGATION:
        text = text.replace(word, " ")
    for rx in STRENGTH.values():
        text = rx.sub(" ", text)
    return {m.group(0) + text[m.end():m.end() + 1] for m in NEGATION_RE.finditer(text)}


def _check_part(part: str, sentence: str, segments: list[str], clause: str, problems: list[str]) -> None:
    """Facts of one part of the sentence against the clause segments it is about."""
    scope = "，".join(segments)
    # The segments the part restates (most of their wording is in it): their softeners and
    # prohibitions must be kept. A continuation it does not restate (一般安排在第四季度) need not be.
    restated = "，".join(seg for seg in segments if _coverage(bigrams(seg), sentence) >= 0.5)

    clause_figs, scope_figs = _figures(clause), _figures(scope)
    scope_values = {v for v, _ in scope_figs}
    for value, unit in sorted(_figures(part)):
        ok = (value, unit) in scope_figs if unit else value in scope_values
        if not ok:
            where = "条款中" if (value, unit) not in clause_figs else "条款对应的规定中"
            problems.append(f"{where}没有“{_show_figure(value, unit)}”")

    for f in sorted(_frequencies(part) - _frequencies(scope)):
        problems.append(f"条款对应的规定中没有“每{f}”")

    p_str, c_str = _strengths(part), _strengths(scope)
    for name in sorted(p_str - c_str):
        problems.append(f"条款对应的规定中没有{STRENGTH_NAMES[name]}")
    if "soft" in _strengths(restated) and "soft" not in _strengths(sentence):
        problems.append("条款用语为“一般/原则上”，句子说得更绝对")
    if "must" in _strengths(restated) and "must" not in _strengths(sentence) and PERMISSION_RE.search(sentence):
        problems.append("条款是“须/应当”，句子说成“可以”")

    p_neg = _negations(part)
    if p_neg - _negations(scope):
        problems.append(f"句子有条款没有的否定（“{sorted(p_neg - _negations(scope))[0]}”）")
    if PROHIBITION_RE.search(restated) and not PROHIBITION_RE.search(sentence):
        problems.append("条款是禁止性规定，句子没有表达")


def check_claim(sentence: str, clause_text: str) -> ClaimCheck:
    """Compare one sentence (citation markers already removed) with the text of the clause it cites.

    The sentence is read part by part (split at commas): a part with its own subject is compared
    with the clause segments about that subject, a part without one continues the previous part."""
    s = _strip_lead(_normalize(sentence))
    c = _normalize(clause_text)
    content_clause = _content(c)
    problems: list[str] = []
    if not bigrams(_content(s)):
        return ClaimCheck(("句子没有可核对的内容",))
    segments: list[str] | None = [seg for seg, _ in _segments(c)]
    for part in PARTS.split(s):
        if not part:
            continue
        subj = subject(part)
        if subj:
            segments = _scope(subj, c)
            if segments is None:
                problems.append(f"条款没有提到“{subj[:20]}”")
                segments = [seg for seg, _ in _segments(c)]
                continue
        _check_part(part, s, segments, c, problems)
        grams = bigrams(_content(part))
        if len(grams) >= 2 and _coverage(grams, content_clause) < PART_MIN_SUPPORT:
            problems.append(f"“{part[:20]}”在条款中找不到依据")
            continue
        run = longest = 0
        for g in grams:
            run = 0 if g in content_clause else run + 1
            longest = max(longest, run)
        if longest >= MAX_UNSUPPORTED_RUN:
            problems.append(f"“{part[:20]}”含有条款没有的内容")
    return ClaimCheck(tuple(dict.fromkeys(problems)))


def quote_for(sentence: str, clause_text: str) -> str:
    """The verbatim span of the clause that the sentence restates: the comma-separated segment
    sharing most of its wording with the sentence, joined by neighbours of the same sentence
    that continue it (no subject of their own) and that the sentence also restates."""
    grams = set(bigrams(_content(_normalize(sentence))))
    segs = [(m.start(), m.end()) for m in re.finditer(r"[^，,：:。；！？\n]+", clause_text)]

    def score(i: int) -> float:
        seg_grams = bigrams(_content(_normalize(clause_text[segs[i][0]:segs[i][1]])))
        return sum(g in grams for g in seg_grams) / len(seg_grams) if seg_grams else 0.0

    if not segs:
        return clause_text
    scores = [score(i) for i in range(len(segs))]
    best = max(range(len(segs)), key=lambda i: scores[i])
    if scores[best] == 0:
        return clause_text

    def joined(i: int, j: int) -> bool:  # no sentence end between segments i and j (i < j)
        return not re.search(r"[。；！？\n]", clause_text[segs[i][1]:segs[j][0]])

    first = last = best
    while last + 1 < len(segs) and joined(last, last + 1) and scores[last + 1] >= 0.6 \
            and not subject(_normalize(clause_text[segs[last + 1][0]:segs[last + 1][1]])):
        last += 1
    while first > 0 and joined(first - 1, first) and scores[first - 1] >= 0.6 \
            and not subject(_normalize(clause_text[segs[first][0]:segs[first][1]])):
        first -= 1
    return clause_text[segs[first][0]:segs[last][1]].strip() or clause_text
