"""The question report for a party office (问题统计): what people ask, what the standards leave
unanswered, and which answers users marked as wrong. Pure functions over store.report.ReportRow
lists; the app's 问题统计 page shows them and offers them as CSV.

A gap is an answer the assistant could not give from the standards (covered false). Its subject:
- "两份标准没有规定X的Y…" names X (the standards speak of X, not of its Y);
- "两份标准中没有找到关于“…”的规定" names what was asked;
- otherwise the question itself.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

NOT_COVERED_TOPIC = "标准未涉及"
NO_TOPIC = "（未归类）"
_NOT_SPECIFIED_AT = r"^\s*{scope}(?:都|均)?没有规定(.+?)的(.+?)(?:[。；，,.\n]|$)"
_NOT_FOUND_AT = r"^\s*{scope}中?没有找到关于[“\"](.+?)[”\"]的规定"
RATING_TEXT = {1: "有用", -1: "没用", None: ""}
# China time for "per day": a question at 07:00 Beijing time belongs to that Beijing day.
REPORT_TZ = timezone(timedelta(hours=8))


@lru_cache(maxsize=1)
def _gap_patterns() -> tuple[re.Pattern, re.Pattern]:
    """两份标准没有规定… and the same said of one document (四同步清单没有规定…), its name from documents.toml."""
    from .corpus import documents

    scope = "(?:" + "|".join(re.escape(n) for n in ("两份标准", *(d.short_name for d in documents()))) + ")"
    return re.compile(_NOT_SPECIFIED_AT.format(scope=scope)), re.compile(_NOT_FOUND_AT.format(scope=scope))


def gap_subject(answer_text: str, question: str) -> tuple[str, str]:
    """(subject, what about it) of an answer the standards do not cover."""
    not_specified, not_found = _gap_patterns()
    m = not_specified.match(answer_text or "")
    if m:
        return m.group(1).strip(), m.group(2).strip()
    m = not_found.match(answer_text or "")
    if m:
        return m.group(1).strip(), ""
    return (question or "").strip(), ""


def is_gap(row) -> bool:
    return not row.covered or bool(_gap_patterns()[0].match(row.answer or ""))


def topic_of(row, corpus) -> str:
    """The part of the standard the answer's first citation sits in; gaps are 标准未涉及."""
    if is_gap(row):
        return NOT_COVERED_TOPIC
    for clause_id, _ in row.citations:
        clause = corpus.get(clause_id) if corpus is not None else None
        if clause is not None and clause.part:
            return f"{corpus.document(clause.doc).short_name}·{clause.part}"
    return NO_TOPIC


def day_of(t: datetime) -> str:
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(REPORT_TZ).date().isoformat()


@dataclass(frozen=True)
class Gap:
    subject: str
    count: int
    aspects: tuple[str, ...]  # the Y of "没有规定X的Y", most asked first
    questions: tuple[str, ...]  # distinct questions, most recent first


@dataclass(frozen=True)
class Report:
    total: int
    per_day: tuple[tuple[str, int], ...]  # (YYYY-MM-DD, questions), oldest first
    per_topic: tuple[tuple[str, int], ...]  # most asked first
    gaps: tuple[Gap, ...]  # most asked first
    thumbs_down: tuple  # ReportRow with rating -1, newest first
    thumbs_up: int


def build_report(rows, corpus=None) -> Report:
    days: Counter = Counter()
    topics: Counter = Counter()
    gaps: dict[str, list] = defaultdict(list)
    down, up = [], 0
    for r in rows:
        days[day_of(r.created_at)] += 1
        topics[topic_of(r, corpus)] += 1
        if is_gap(r):
            subject, aspect = gap_subject(r.answer, r.question)
            gaps[subject].append((aspect, r.question))
        if r.rating == -1:
            down.append(r)
        elif r.rating == 1:
            up += 1
    gap_list = []
    for subject, items in gaps.items():
        aspects = Counter(a for a, _ in items if a)
        questions = tuple(dict.fromkeys(q for _, q in items))
        gap_list.append(Gap(subject, len(items), tuple(a for a, _ in aspects.most_common()), questions))
    gap_list.sort(key=lambda g: (-g.count, g.subject))
    return Report(len(rows), tuple(sorted(days.items())), tuple(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))),
                  tuple(gap_list), tuple(down), up)


def _plain(text: str) -> str:
    """Text for a CSV cell: no emoji or other pictographs, no control characters."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if cat == "So" or cat.startswith("C") and ch not in "\n\t" or 0xFE00 <= ord(ch) <= 0xFE0F \
                or ord(ch) == 0x200D or 0x1F000 <= ord(ch) <= 0x1FAFF:
            continue
        out.append(ch)
    return "".join(out).strip()


def questions_csv(rows, corpus=None) -> bytes:
    """Every logged question as CSV (UTF-8 with BOM so Excel reads the Chinese), no emoji."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["时间", "日期", "问题", "主题", "标准是否覆盖", "未覆盖的主题", "回答", "依据条款", "评价", "反馈意见"])
    for r in rows:
        gap = is_gap(r)
        t = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=timezone.utc)
        w.writerow([_plain(x) for x in (
            t.astimezone(REPORT_TZ).strftime("%Y-%m-%d %H:%M"), day_of(r.created_at), r.question, topic_of(r, corpus),
            "否" if gap else "是", gap_subject(r.answer, r.question)[0] if gap else "", r.answer,
            " ".join(label for _, label in r.citations), RATING_TEXT.get(r.rating, ""), r.comment)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def gaps_csv(report: Report) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["未覆盖的主题", "次数", "问到的方面", "问题"])
    for g in report.gaps:
        w.writerow([_plain(g.subject), g.count, _plain("、".join(g.aspects)), _plain(" | ".join(g.questions))])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
