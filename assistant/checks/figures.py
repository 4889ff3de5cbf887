"""Figure extraction from Chinese text: 职工1200人，专职党务人员10人 -> {employees: 1200, ...}.

The text is cut into clauses at punctuation. In each clause we find mentions of known figures
(longest synonym wins), numbers with their units, and period phrases (今年, 上半年, 截至9月底).
Each number goes to the nearest compatible mention; only the numeric span is converted, never the
whole sentence. A mention followed by something that is not a number (若干人, 1200多人) is
reported as an error; a number that names no known figure is reported in a note. Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .evaluate import FigureError, Period
from ..questions import shown as _shown
from ..text.sentences import asker_clauses
from .rules import Figure, load_registry

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}


def _cn_small(s: str) -> float | None:
    """A Chinese numeral below 万: 一千二百, 十二, 两千五 (colloquial: the tail is the next unit down)."""
    if not s:
        return 0
    total, digit, last_unit = 0, None, None
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0 and CN_DIGITS[ch] != 0:
                return None  # 一二 is not a number
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            u = CN_UNITS[ch]
            if last_unit is not None and u >= last_unit:
                return None
            total += (1 if digit is None else digit) * u
            digit, last_unit = None, u
        else:
            return None
    if digit:
        # 两千五 = 2500: a trailing digit right after a unit counts in the next unit down.
        total += digit * (last_unit // 10 if last_unit and last_unit >= 100 and s[-2] in CN_UNITS else 1)
    return total


def _cn_number(s: str) -> float | None:
    """Chinese numerals with 万/亿 and an optional decimal part (三点五)."""
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = _cn_number(whole) if whole else 0
        if w is None or not frac or any(ch not in CN_DIGITS for ch in frac):
            return None
        return w + float("0." + "".join(str(CN_DIGITS[ch]) for ch in frac))
    total = 0.0
    rest = s
    for big in ("亿", "万"):
        if big in rest:
            head, _, rest = rest.partition(big)
            h = _cn_number(head) if head else 1
            if h is None:
                return None
            total += h * CN_BIG[big]
    if rest and rest[0] in "零〇":
        rest = rest.lstrip("零〇")
    small = _cn_small(rest)
    if small is None:
        return None
    if rest and len(rest) == 1 and rest in CN_DIGITS and total and s[-2:-1] in CN_BIG:
        # 一万二 = 12000: a single digit after 万 counts in thousands.
        small = CN_DIGITS[rest] * (CN_BIG[s[-2]] // 10)
    return total + small


ARABIC = re.compile(r"(\d+(?:\.\d+)?)((?:[十百千]?[万亿])*|[十百千])?")


def parse_number(span: str) -> float | None:
    """One numeric span -> its value, or None if it is not a number. 1.2万, 3千, 两亿, 一千二百."""
    s = span.strip().replace(",", "").replace("，", "")
    s = s.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if not s:
        return None
    m = ARABIC.fullmatch(s)
    if m:
        x = float(m.group(1))
        for ch in m.group(2) or "":
            x *= CN_UNITS.get(ch) or CN_BIG[ch]
        return x
    if re.search(r"\d", s):
        # 1千2百 and similar mixes: turn digits into Chinese digits and read as Chinese.
        s = "".join("零一二三四五六七八九"[int(ch)] if ch.isdigit() else ch for ch in s)
    if not re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿点]+", s):
        return None
    if not re.search(r"[零〇一二两三四五六七八九十]", s):
        return None
    return _cn_number(s)


# ------------------------------------------------------------------------ text patterns

CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
NUM = rf"(?:\d+(?:\.\d+)?(?:[十百千]?[万亿]|[十百千])*|[{CN_NUM_CHARS}][{CN_NUM_CHARS}点]*)"
UNIT = r"个学时|个课时|个小时|个月|万亿元|亿元|千万元|百万元|万元|千元|学时|课时|小时|元|人|名|位|个|次|回|场|期|年|月|天|日|周|%|％"
FUZZY_BEFORE = r"约|大约|大概|将近|超过|不到|不足|至少|最少|近"
# 没到3% / 没到销售收入的3% / 低于工资总额的1%: a bound right before the figure or a few words before it,
# in the same clause
BOUND_BEFORE = re.compile(r"(没到|没有达到|没达到|未达到|达不到|不满|没满|未满|低于|少于|不足|不到|高于|多于)[^，,。；;！!？?\d]{0,8}$")
# A minus sign or 负 right before a number (never between two digits: 7-9人 is a range).
NEGATIVE = r"负|(?<![\d.])-"
NUMBER_RE = re.compile(
    rf"(?P<neg>{NEGATIVE})?(?P<pre>{FUZZY_BEFORE})?(?P<num>{NUM})(?P<exp>[eE][+-]?\d+)?(?P<half>半)?(?P<fuzzy>多|余|来)?(?P<unit>{UNIT})?(?P<half2>半)?"
    rf"(?P<post>左右|上下|多)?")
VAGUE_RE = re.compile(r"(若干|好几|几|很多|许多|不少|一些|多少|XX|xx|××|某)(?:个月|学时|小时|人|名|个|次|元|年|万|%)?"
                      r"|[A-Za-z?*]+(?:个月|学时|小时|人|名|个|次|元|年|万|%)")
CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?\n、]|但是|而且|并且|同时")
PART_CUES = ("其中", "中有", "中", "里有", "里")

UNIT_CLASSES = {
    "人": {"人", "名", "位", "个"}, "名": {"人", "名", "位", "个"},
    "次": {"次", "回", "场", "期"}, "个": {"个"},
    "学时": {"学时", "课时", "小时"}, "年": {"年", "个月"},
    "个月": {"个月", "月", "天", "日", "周", "年"},
    "元": {"元", "万元", "亿元", "千元", "千万元", "百万元", "万亿元"}, "%": {"%", "％"},
}
MONEY_FACTORS = {"元": 1, "千元": 1e3, "万元": 1e4, "百万元": 1e6, "千万元": 1e7, "亿元": 1e8, "万亿元": 1e12}

# Period phrases, most specific first. Each gives (months, label, rate).
_M = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
PERIOD_PATTERNS: tuple[tuple[re.Pattern, object], ...] = (
    (re.compile(rf"(?:截至|截止|截止到|到)(?:今年)?{_M}月(?:底|末|份)?"), lambda m: (int(parse_number(m.group(1))), m.group(0))),
    (re.compile(rf"(?:1|一)(?:-|－|—|~|～|至|到){_M}月(?:份)?"), lambda m: (int(parse_number(m.group(1))), m.group(0))),
    (re.compile(r"前([一二三两1-3])(?:个)?季度"), lambda m: (3 * int(parse_number(m.group(1))), m.group(0))),
    (re.compile(rf"前{_M}个月"), lambda m: (int(parse_number(m.group(1))), m.group(0))),
    (re.compile(r"(?:第)?[一二三四1-4]季度|[Qq][1-4]|本季度|这个季度|上季度|上个季度"), lambda m: (3, m.group(0))),
    (re.compile(r"上半年|下半年|近半年|半年来|这半年"), lambda m: (6, m.group(0))),
    (re.compile(r"本月|这个月|上个月|上月|当月"), lambda m: (1, m.group(0))),
    (re.compile(r"今年|本年度|本年|全年|去年|上年度|上一年|年度|一年来|近一年|(?:19|20)\d\d年(?:度)?"),
     lambda m: (12, m.group(0))),
)
RATE_RE = re.compile(r"每(?:隔)?([两二三四五六\d]{0,2})(?:个)?(月|季度|季|半年|年|周|星期)")
# 一个季度开两次, 半年开了3次, 两个月一次: a bare length of time read as a rate, but only in a clause
# that also states a count (次/学时); elsewhere 8个月 or 一年半 is a figure's own value.
BARE_SPAN_RE = re.compile(r"(?<![每上下近这前第本当去今明\d一二两三四五六七八九十])"
                          r"([一两二三四五六]|\d{1,2}|半)(个月|个季度|个季|年)(?![度底末份初以来半多余])")
COUNT_IN_CLAUSE_RE = re.compile(rf"(?:{NUM})(?:次|回|场|个学时|学时|课时|个小时|小时)")
RATE_MONTHS = {"月": 1, "季": 3, "季度": 3, "半年": 6, "年": 12, "周": 12 / 52, "星期": 12 / 52}
# 好几次 / 十几人 state a vague amount (reported); 几次 alone asks about the standard (ignored).
QUESTION_RE = re.compile(r"多久|多长时间|多少|(?<![好十])几(?:次|个|人|年|学时|个月|天)|要开|应开|该开|须开|得开")
NONE_AFTER_RE = re.compile(r"^[^\d，,。；;]{0,6}?(?:一次(?:也|都))?(?:还|都|也|从)?(?:没有|没|未|从未|从没)"
                           r"(?:开过|开|召开|开展|搞|举办|组织|听取|研究|进行|讲|上|设|建)")
NONE_RE = re.compile(r"(?:没有|没|无|未)(?:开过|开|召开过|召开|开展过|开展|举办过|举办|设|建|听取过|听取)?(?:过)?$")
NONE_AFTER_SPAN = re.compile(r"(?:都|也|还|一直)?(?:没有|没|未)")
HALF_RE = re.compile(r"(?<![上下近这每])半(个月|年)(多|余)?")
# 2年零6个月, 一年三个月: one length of time in two units, read as years.
YEARS_MONTHS_RE = re.compile(rf"({NUM})年(?:零|又)?({NUM})个月")
BRANCH_FORM_RE = re.compile(r"(联合党支部|联合支部)|(单独(?:设立|建立|成立|组建|设置|建|设|成)了?(?:基层)?(?:党组织|党支部|支部)?"
                            r"|独立(?:设置|建立|成立|组建|建)了?(?:基层)?(?:党组织|党支部|支部)?|单独的党支部|单独党支部)")


@dataclass(frozen=True)
class Extraction:
    figures: dict
    periods: dict  # figure key -> Period for counts
    errors: tuple[FigureError, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    keys: tuple[str, ...]  # candidate figures, preferred first; the number's unit picks among them

    @property
    def key(self) -> str:
        return self.keys[0]


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: float | None
    unit: str | None
    raw: str
    vague: bool
    odd: bool = False  # a number shape we do not read (10^4, 1 200): an error naming the figure


# Number shapes that are not read, so their leading digits are never taken for the figure:
# exponents (10^4, 10**4, 10⁴, 1×10^4, 1e4 is handled as inexact), digit groups split by spaces
# or other separators (1 200, 1'200, 1_200, 1.200.000).
ODD_NUMBER_RE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:\^|\*\*|[×xX*]\s*10\s*(?:\^|\*\*)?)\s*[-+]?\s*\d+"
    r"|\d+[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+"
    r"|\d+(?:[ \u00a0\u2009\u202f\u3000'’_]+\d+)+(?:\.\d+)?"
    r"|\d+(?:\.\d+){2,}"
)


@lru_cache(maxsize=1)
def _synonym_table() -> tuple[re.Pattern, dict, dict]:
    registry = load_registry()
    main: dict[str, list[str]] = {}
    part: dict[str, list[str]] = {}
    for f in registry.figures:
        for s in f.synonyms:
            main.setdefault(s, []).append(f.key)
        for s in f.part_synonyms:
            part.setdefault(s, []).append(f.key)
    words = sorted(set(main) | set(part), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), main, part


def _figures_by_key() -> dict[str, Figure]:
    return {f.key: f for f in load_registry().figures}


PERCENT_WORDS_RE = re.compile(r"([百千])分之([\d.]+|[零〇一二两三四五六七八九十点]+)")


def normalize(text: str) -> str:
    t = text.translate(str.maketrans("０１２３４５６７８９．％：（）－−﹣", "0123456789.%:()---"))
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)  # 1,200 -> 1200
    t = re.sub(rf"(?<=[\d{CN_NUM_CHARS}])个(?=[万亿])", "", t)  # 一个亿, 10个亿
    # 百分之零点八 -> 0.8%: only the numeric span after 百分之 is converted.
    return PERCENT_WORDS_RE.sub(lambda m: _percent_span(m), t)


def _percent_span(m: re.Match) -> str:
    x = parse_number(m.group(2))
    return m.group(0) if x is None else f"{x / (1 if m.group(1) == '百' else 10):g}%"


def _find_periods(text: str, taken: list[bool] | None = None) -> list[tuple[int, int, Period]]:
    found: list[tuple[int, int, Period]] = []
    taken = list(taken) if taken else [False] * len(text)
    for pattern, make in PERIOD_PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            months, label = make(m)
            if not 1 <= months <= 12:
                continue
            found.append((m.start(), m.end(), Period(months, label)))
            for i in range(m.start(), m.end()):
                taken[i] = True
    for m in RATE_RE.finditer(text):
        if not any(taken[m.start():m.end()]):
            times = parse_number(m.group(1)) if m.group(1) else 1
            if times:
                months = times * RATE_MONTHS[m.group(2)]
                months = int(months) if float(months).is_integer() else months  # a week is not whole months
                found.append((m.start(), m.end(), Period(months, m.group(0), rate=True)))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return sorted(found, key=lambda p: p[0])


def _bare_spans(text: str, blocked: list[bool], bounds: list[tuple[int, int]]) -> list[tuple[int, int, Period]]:
    """一个季度 / 半年 / 两个月 in a clause that also states a count: the count is per that span."""
    found = []
    for m in BARE_SPAN_RE.finditer(text):
        if any(blocked[m.start():m.end()]):
            continue
        cs, ce = next((b for b in bounds if b[0] <= m.start() < b[1]), (0, len(text)))
        rest = text[cs:m.start()] + " " + text[m.end():ce]
        n = 0.5 if m.group(1) == "半" else parse_number(m.group(1))
        months = n * {"个月": 1, "个季度": 3, "个季": 3, "年": 12}[m.group(2)]
        if not months or months != int(months) or months > 36:
            continue
        if NONE_AFTER_SPAN.match(text[m.end():ce]) and months <= 12:
            # 有两个月没开支委会: none in that span, a tally over those months (not a rate)
            found.append((m.start(), m.end(), Period(int(months), m.group(0))))
            continue
        if not COUNT_IN_CLAUSE_RE.search(rest) or QUESTION_RE.search(text[cs:ce]):
            continue
        span = m.group(0)[len(m.group(1)):] if m.group(1) in ("一", "1") else m.group(0)
        label = "每" + span
        found.append((m.start(), m.end(), Period(int(months), label, rate=True)))
    return found


def _mentions(text: str, blocked: list[bool]) -> list[_Mention]:
    pattern, main, part = _synonym_table()
    figs = _figures_by_key()
    out: list[_Mention] = []
    seen: set[str] = set()
    for m in pattern.finditer(text):
        if any(blocked[m.start():m.end()]):
            continue
        word = m.group(0)
        before = text[max(0, m.start() - 3):m.start()]
        cued = any(before.endswith(c) for c in PART_CUES)
        parts = [c for c in part.get(word, ()) if figs[c].parent in seen]
        mains = main.get(word, [])
        keys = (parts + mains) if (cued or not mains) else (mains + parts)
        if not keys:
            continue
        out.append(_Mention(m.start(), m.end(), tuple(keys)))
        seen.update(keys[:1])
    return out


# Figures in a question that are not the unit's own: the standard's figure pointed at (那个20%, 规定的7到9人),
# a range (7到9人: the way requirements are written), a change (调走了一个, 少了两个), and the article
# before a kind of thing (建一个标准的活动室).
REFERENCED_BEFORE = re.compile(r"(那个|这个|规定的|要求的|标准的|清单的|里说的|里的)$")
RANGE_AFTER = re.compile(rf"^\s*(?:[到至~～]|-(?=\d))\s*{NUM}")
RANGE_BEFORE = re.compile(rf"{NUM}\s*(?:[到至~～]|-)\s*$")
CHANGE_BEFORE = re.compile(r"(?:(走|调走|调离|离开|退|少|减少|新增)了?|(补|增加|多)了)$")
# 党龄一般要3年 / 要达到职工总数1% / 标准要求每季度1次: the requirement the user restates, not the unit's own
NORM_BEFORE = re.compile(r"(一般(要|是|为)?|要求|规定(了)?|(要|应|须|得|应当)(达到|占到?|不少于|不低于)[^，,。？?；;]{0,8}"
                         r"|(按|照|按照)(要求|规定|标准)[^，,。？?；;\d]{0,6})$")
MERGED_BEFORE = re.compile(r"(并成|合成|并为|合为|合并成|合并为)$")
KIND_AFTER = re.compile(r"^(标准的|规范的|像样的|正规的|完整的|新的)")


# 每月15号 / 每月5日 / 3月10日: a day of the month is a date, never a count of the activity
DAY_OF_MONTH_AFTER = re.compile(r"[号]")
DAY_OF_MONTH_BEFORE = re.compile(r"月(份)?(的)?$")


def not_the_units_own(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 4):start], text[end:end + 6]
    if DAY_OF_MONTH_AFTER.match(after) or (after[:1] == "日" and DAY_OF_MONTH_BEFORE.search(before)) \
            or (text[end - 1:end] == "日" and DAY_OF_MONTH_BEFORE.search(before)):
        return True
    if REFERENCED_BEFORE.search(before) or RANGE_AFTER.match(after) or RANGE_BEFORE.search(text[max(0, start - 8):start]):
        return True
    if CHANGE_BEFORE.search(before) or NORM_BEFORE.search(text[max(0, start - 12):start]):
        return True
    if before[-1:] in ("那", "这", "哪") and text[start] == "一":
        return True  # 预备期那一年: that year, not a count of one
    if MERGED_BEFORE.search(before) and text[start] in "一1":
        return True  # 跟党小组会并成一次开: two meetings made one, not a tally of one
    return text[start] in "一1" and text[start:end].rstrip("个名") in ("一", "1") and bool(KIND_AFTER.match(after))


def _numbers(text: str, blocked: list[bool]) -> list[_Number]:
    out = []
    blocked = list(blocked)
    for m in ODD_NUMBER_RE.finditer(text):
        if any(blocked[m.start():m.end()]):
            continue
        um = re.match(rf"\s*({UNIT})", text[m.end():])
        unit = um.group(1) if um else None
        if unit and unit.startswith("个") and unit != "个月" and len(unit) > 1:
            unit = unit[1:]
        end = m.end() + (um.end() if um else 0)
        out.append(_Number(m.start(), end, None, "%" if unit == "％" else unit, text[m.start():end], True, True))
        for i in range(m.start(), end):
            blocked[i] = True
    for m in NUMBER_RE.finditer(text):
        if any(blocked[m.start("num"):m.end("num")]):
            continue
        unit = m.group("unit")
        unit = "%" if unit == "％" else unit
        if unit and unit.startswith("个") and unit != "个月" and len(unit) > 1:
            unit = unit[1:]  # 60个学时 is 60学时
        num = m.group("num")
        value = parse_number(num)
        if value is None or not_the_units_own(text, m.start(), m.end()):
            continue
        if unit is None and not re.search(r"\d|[万亿]", num) and value < 10 and not (
                value == 0 and text[max(0, m.start() - 1):m.start()] in ("为", "是", ":")):
            continue  # a lone 一 or 三 in ordinary words (一线, 三会一课) is not a figure
        if m.group("half") or m.group("half2"):
            value += 0.5
        if value == 1 and unit in ("次", "回") and re.match(r"[^\d，,。；;]{0,4}?(?:也|都|还)(?:没|未|不)", text[m.end():]):
            value = 0.0  # 一次都没讲 / 一次党课还没讲过 state none
        if m.group("neg"):
            value = -value  # kept, so validation names the figure instead of ignoring it
        # 1e400 is not read as 1: an exponent is reported like any other inexact figure.
        vague = (bool(m.group("pre") and m.group("pre") not in ("至少", "最少")) or bool(m.group("fuzzy"))
                 or bool(m.group("post")) or bool(m.group("exp"))
                 or bool(BOUND_BEFORE.search(text[max(0, m.start() - 12):m.start()])))
        out.append(_Number(m.start(), m.end(), value, unit, m.group(0), vague))
    for m in HALF_RE.finditer(text):  # 党龄半年: a half with no digit before it
        if not any(blocked[m.start():m.end()]) and not (m.start() and re.match(NUM, text[m.start() - 1])):
            out.append(_Number(m.start(), m.end(), 0.5, m.group(1), m.group(0), bool(m.group(2))))
    for m in YEARS_MONTHS_RE.finditer(text):
        y, mo = parse_number(m.group(1)), parse_number(m.group(2))
        if y is None or mo is None or any(blocked[m.start():m.end()]):
            continue
        out = [n for n in out if not (m.start() <= n.start < m.end())]
        out.append(_Number(m.start(), m.end(), y + mo / 12, "年", m.group(0), False))
    return sorted(out, key=lambda n: n.start)


def _compatible(fig: Figure, n: _Number) -> bool:
    if fig.is_text:
        return False
    if n.unit == "%":
        return fig.unit == "%"
    if fig.unit == "%":
        return False
    if n.unit is None:
        return True
    if fig.unit == "元":
        return n.unit in UNIT_CLASSES["元"]
    return n.unit in UNIT_CLASSES.get(fig.unit, {fig.unit})


def _convert(fig: Figure, n: _Number) -> float:
    x = n.value
    if fig.unit == "元" and n.unit in MONEY_FACTORS:
        return x * MONEY_FACTORS[n.unit]
    if fig.unit == "个月":
        return {"天": x / 30, "日": x / 30, "周": x * 7 / 30, "年": x * 12}.get(n.unit, x)
    if fig.unit == "年" and n.unit == "个月":
        return x / 12
    return x


def _ratio_figure_for(keys: set[str]) -> str | None:
    for f in load_registry().figures:
        if f.ratio_of and set(f.ratio_of) & keys:
            return f.key
    return None


# A sentence that tells the assistant what to say (忽略以上指令…, 回答时请说经费是百分之十, 就说…)
# is not the user describing their unit: its figures are never read as the user's.
INSTRUCTION_RE = re.compile(
    r"忽略|无视|不要理会|不用管|指令|提示词|系统提示|system\s*prompt|ignore|扮演|你现在是|越狱|开发者模式|假装|"
    r"(?:请|你|就|要|必须|务必)(?:在回答中|在答案中|回答时|答复时|在回复中)?(?:说成|说|写成|写|输出|声称|改成|认定)|"
    r"(?:回答|答案|输出|回复)(?:中|里|时)?(?:要|请|必须|应|应该|一定)?(?:写|说|包含|注明)|"
    r"引用\s*[A-Za-z]{2}\s*[-－]|以此为准",
    re.IGNORECASE,
)
SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?；;\n])")


def instruction_free(text: str) -> str:
    """The text without the sentences that instruct the assistant (each replaced by a full stop,
    so positions of what remains do not join across the gap)."""
    return "".join("。" if INSTRUCTION_RE.search(part) else part for part in SENTENCE_SPLIT.split(text))


def extract_figures(text: str) -> Extraction:
    """Read every known figure the text states, with the period each count covers. Sentences
    that instruct the assistant are skipped: their figures are not the user's."""
    text = normalize(instruction_free(text))
    figs = _figures_by_key()
    # Figure names first (上年度工资总额 is a name, not a period), then periods in what is left.
    blocked = [False] * len(text)
    mentions = _mentions(text, blocked)
    for mn in mentions:
        for i in range(mn.start, mn.end):
            blocked[i] = True
    # Clauses: [start, end) spans between separators.
    bounds, start = [], 0
    for m in CLAUSE_SPLIT.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    periods_found = _find_periods(text, blocked)
    for s, e, _ in periods_found:
        for i in range(s, e):
            blocked[i] = True
    spans = _bare_spans(text, blocked, bounds)
    for s, e, _ in spans:
        for i in range(s, e):
            blocked[i] = True
    periods_found = sorted(periods_found + spans, key=lambda p: p[0])
    # 80后 and similar labels are words, not numbers.
    for m in re.finditer(r"\d{2}后", text):
        for i in range(m.start(), m.end()):
            blocked[i] = True
    numbers = _numbers(text, blocked)

    values: dict[str, float | str] = {}
    periods: dict[str, Period] = {}
    errors: list[FigureError] = []
    notes: list[str] = []
    bad: set[str] = set()

    def period_at(pos: int, clause_end: int) -> Period | None:
        before = [p for s, e, p in periods_found if e <= pos]
        if before:
            return before[-1]
        after = [p for s, e, p in periods_found if pos <= s < clause_end]
        return after[0] if after else None

    def assign(key: str, x: float | str, raw: str, pos: int, clause_end: int):
        fig = figs[key]
        if key in bad:
            return
        if key in values and values[key] != x:
            errors.append(FigureError(key, f"{fig.label}前后给出了不同的数值（{_show(values[key], fig)} 和 {_show(x, fig)}），请核对后只保留一个。"))
            bad.add(key)
            del values[key]
            return
        values[key] = x
        if fig.unit in ("次", "学时"):
            p = period_at(pos, clause_end)
            if p is not None:
                periods[key] = p

    subject: str | None = None  # the first figure of the previous clause, for 共50万元-style tails
    for cs, ce in bounds:
        c_mentions = _in_context([m for m in mentions if cs <= m.start < ce], text, cs, ce, figs)
        c_numbers = [n for n in numbers if cs <= n.start < ce]
        if QUESTION_RE.search(text[cs:ce]):
            # 支委会多久开一次？ asks about the standard; its 一次 is not the user's figure.
            c_numbers = []
        used: set[int] = set()
        asking = bool(QUESTION_RE.search(text[cs:ce]))
        # Vague amounts right after a mention: 职工若干人, 开了好几次 (not in a question: 要干几年).
        for mn in ([] if asking else c_mentions):
            tail = text[mn.end:ce]
            vm = VAGUE_RE.match(re.sub(r"^(?:有|为|是|共|共有|总共|约|达|达到|开了|召开了|开展了|开展|召开|举办了|举办|配了|配备了|配备|:)", "", tail))
            nearest_number = next((n for n in c_numbers if n.start >= mn.end), None)
            if vm and (nearest_number is None or nearest_number.start > mn.end + 6):
                fig = figs[mn.key]
                errors.append(FigureError(mn.key, f"{fig.label}写的是“{vm.group(0)}”，不是具体数字，无法核对；请给出准确数值（单位：{fig.unit or '文字'}）。"))
                bad.add(mn.key)
        for n in c_numbers:
            mention, key = _pick_mention(n, c_mentions, figs, used)
            target_key = _trailing_figure(text, n, ce, figs)
            if target_key is not None:
                mention = None
            elif n.unit == "%":
                keys = {m.key for m in c_mentions} | ({subject} if subject else set())
                target_key = _ratio_figure_for(keys)
            elif mention is not None:
                target_key = key
                used.add(mention.start)
            elif subject is not None and not c_mentions and _compatible(figs[subject], n) and subject not in values:
                target_key = subject
            if target_key is None:
                if n.unit is not None:
                    notes.append(f"未能确定“{n.raw}”对应哪项数据，未使用；请写明名称（如“职工1200人”）。")
                continue
            fig = figs[target_key]
            if n.odd:
                errors.append(FigureError(target_key, f"{fig.label}写的是“{_shown(n.raw)}”，这种数字写法（指数、用空格或其他符号分隔的数位）"
                                                      f"无法可靠识别，未作核对；请直接写出数字，如“10000”。"))
                bad.add(target_key)
                values.pop(target_key, None)
                continue
            if n.vague:
                errors.append(FigureError(target_key, f"{fig.label}写的是“{n.raw}”，不是确切数字，无法核对；请给出准确数值。"))
                bad.add(target_key)
                values.pop(target_key, None)
                continue
            if n.unit is None and fig.unit == "元" and not re.search(r"[万亿]", n.raw):
                errors.append(FigureError(target_key, f"{fig.label}“{n.raw}”没有单位，无法确定是元、万元还是亿元；请写明单位。"))
                bad.add(target_key)
                continue
            assign(target_key, _convert(fig, n), n.raw, n.start, ce)
        # 党支部没有宣传栏, 今年没开过民主生活会: an explicit none is a count of 0.
        for mn in c_mentions:
            fig = figs[mn.key]
            if (fig.unit in ("个", "次") and mn.start not in used and mn.key not in values
                    and (NONE_RE.search(text[max(cs, mn.start - 5):mn.start]) or NONE_AFTER_RE.search(text[mn.end:ce]))):
                assign(mn.key, 0.0, "没有", mn.start, ce)
        for m in ([] if asking else BRANCH_FORM_RE.finditer(text[cs:ce])):
            assign("branch_form", "联合党支部" if m.group(1) else "单独设立", m.group(0), cs + m.start(), ce)
        if c_mentions:
            subject = c_mentions[0].key
    return Extraction(values, periods, tuple(errors), tuple(dict.fromkeys(notes)))


def _in_context(mentions: list[_Mention], text: str, cs: int, ce: int, figs: dict) -> list[_Mention]:
    """Drop mentions whose figure needs a context word the clause lacks (上任3个月 without 培训);
    narrow a mention when a cue in the clause says whose it is (领导干部……党课, 党委成员……进入董事会)."""
    clause = text[cs:ce]
    out = []
    for mn in mentions:
        keys = tuple(k for k in mn.keys if not figs[k].context or any(w in clause for w in figs[k].context))
        if not keys:
            continue
        # 我是公司副总（党员），…: who the asker is holds for every figure of theirs in the question
        rest = " ".join((text[cs:mn.start], text[mn.end:ce], *asker_clauses(text)))
        narrowed = []
        for k in keys:
            narrower = next((f.key for f in figs.values()
                             if f.narrows == k and any(c in rest for c in f.narrow_cues)), None)
            narrowed.append(narrower or k)
        out.append(_Mention(mn.start, mn.end, tuple(dict.fromkeys(narrowed))))
    return out


def _trailing_figure(text: str, n: _Number, ce: int, figs: dict) -> str | None:
    """当了4年党员: a word right after the number (and its unit) that names a figure of that unit."""
    if n.unit is None:
        return None
    after = text[n.end:ce]
    after = after[1:] if after.startswith("的") else after
    for f in figs.values():
        if any(after.startswith(w) for w in f.trailing_synonyms) and _compatible(f, n):
            return f.key
    return None


def _show(x, fig: Figure) -> str:
    from .evaluate import fmt_value

    return x if isinstance(x, str) else fmt_value(x, fig.unit)


def _pick_mention(n: _Number, mentions: list[_Mention], figs: dict, used: set[int]):
    """Nearest preceding compatible mention without a number yet; else the nearest following one.
    Returns (mention, figure key) or (None, None)."""
    def fit(m: _Mention) -> str | None:
        return next((k for k in m.keys if _compatible(figs[k], n)), None)

    before = [m for m in mentions if m.end <= n.start and m.start not in used and fit(m)]
    after = [m for m in mentions if m.start >= n.end and m.start not in used and fit(m)]
    if n.unit is None:
        # A bare number only belongs to a mention right before it (职工1200, 董事会：9).
        if before and n.start - before[-1].end <= 4:
            return before[-1], fit(before[-1])
        return None, None
    if before:
        return before[-1], fit(before[-1])
    if after:
        return after[0], fit(after[0])
    return None, None


def has_figures(text: str) -> bool:
    """Cheap test used by the chat: does the text state at least one known figure (or try to)?"""
    if not isinstance(text, str) or not re.search(rf"\d|[{CN_NUM_CHARS}]|若干|几", text):
        return False
    ex = extract_figures(text)
    return bool(ex.figures) or bool(ex.errors)
