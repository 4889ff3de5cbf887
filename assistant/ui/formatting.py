"""Pure text helpers for the app: escaping, quote highlighting, clause search, check tables.

No Streamlit here, so everything is tested without a browser or a model.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ..types import CheckResult, Clause

# Every ASCII punctuation mark Markdown (or Streamlit's `:color[...]`, `$latex$` extensions) could
# treat as syntax. CommonMark lets any of them be backslash-escaped, which renders it literally.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&\"'=^])")

HIGHLIGHT_OPEN = ":orange-background[**"
HIGHLIGHT_CLOSE = "**]"

STATUS_TEXT = {"pass": "✅ 达标", "warn": "⚠️ 提示", "fail": "❌ 不达标"}
STATUS_COLOURS = {"pass": "#e3f4e1", "warn": "#fff4d6", "fail": "#fde2e0"}

DOC_FILTER_ALL = "全部"


def escape_markdown(text: str) -> str:
    """Text shown literally by st.markdown: no formatting, links, HTML, LaTeX or colour directives.

    Newlines become Markdown hard breaks so multi-line user text keeps its shape.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


# An absolute path on the server (/work/app/index/data-1/…, C:\\srv\\…): users never see one.
_SERVER_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s/\\:：，。；“”\"'()（）<>]+){2,}[/\\]?")


def redact_paths(text: str, limit: int = 300) -> str:
    """An error message fit for users: server paths reduced to their last part, at most `limit` characters."""
    def short(m: re.Match) -> str:
        last = re.split(r"[/\\]", m.group(0).rstrip("/\\"))[-1]
        return f"…/{last}" if last else "…"

    text = _SERVER_PATH.sub(short, str(text))
    return text if len(text) <= limit else text[:limit] + "…"


_MARKUP_SPECIAL = re.compile(r"([\\`*_\[\]<>$~|!])")


def escape_markup(text: str) -> str:
    """A message (which may quote the user's input) for st.warning/st.error: no link, image,
    HTML, code or emphasis can form, while ordinary punctuation (HG-21.1, a.toml:3) stays as is."""
    text = _MARKUP_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"(?i)\b(https?|ftp|file|mailto|javascript|data):", r"\1\\:", text)  # no autolinks
    return re.sub(r"(?i)\bwww\.", r"www\\.", text)


def plain_text_markdown(text: str) -> str:
    """Plain text (an extractive answer, which may echo the user's words) as safe Markdown.

    Everything is escaped except `- ` list markers at line starts, so the answer's lists still
    render as lists. Blank lines stay paragraph breaks; other newlines become hard breaks.
    """
    paragraphs = []
    for para in text.replace("\r\n", "\n").split("\n\n"):
        lines = []
        for line in para.split("\n"):
            if line.startswith("- "):
                lines.append("- " + escape_markdown(line[2:]))
            else:
                lines.append(escape_markdown(line))
        # A list item needs its own line; a text line before a list needs a paragraph break.
        out = lines[0]
        for prev, line in zip(lines, lines[1:]):
            if line.startswith("- ") and not prev.startswith("- "):
                out += "\n\n" + line
            elif line.startswith("- "):
                out += "\n" + line
            else:
                out += "  \n" + line
        paragraphs.append(out)
    return "\n\n".join(paragraphs)


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where the quoted span sits in a leaf's text, as (start, end) pairs, in order.

    A quote may elide with …/...; each piece is located after the previous one. Returns [] when any
    piece is missing: a card then shows the text without a highlight rather than a wrong one.
    """
    pieces = [p.strip() for p in re.split(r"…+|\.\.\.+", quote or "") if p.strip()]
    spans, pos = [], 0
    for piece in pieces:
        start = text.find(piece, pos)
        if start < 0:
            return []
        spans.append((start, start + len(piece)))
        pos = start + len(piece)
    return spans


def highlight_quote(text: str, quote: str) -> tuple[str, bool]:
    """The leaf's text as safe Markdown with the quoted span highlighted, and whether it was found."""
    spans = quote_spans(text, quote)
    if not spans:
        return escape_markdown(text), False
    out, pos = [], 0
    for start, end in spans:
        out.append(escape_markdown(text[pos:start]))
        out.append(HIGHLIGHT_OPEN + escape_markdown(text[start:end]) + HIGHLIGHT_CLOSE)
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "".join(out), True


def clause_matches(clause: Clause, query: str) -> bool:
    """Every whitespace-separated term of the query occurs in the clause's id, label, title, part or text."""
    haystack = " ".join((clause.id, clause.label, clause.title, clause.part, clause.text)).lower()
    return all(term in haystack for term in query.lower().split())


def filter_items(corpus, query: str = "", doc: str | None = None) -> list[tuple[Clause, list[Clause]]]:
    """Items in document order with the leaves to show under each, for the clause browser.

    With a query, an item is kept when it or any of its sub-items matches; matching sub-items are
    listed (all of them when only the item itself matched, e.g. by its title).
    """
    query = (query or "").strip()
    out = []
    for item in corpus.items(doc):
        subs = [corpus.get(cid) for cid in item.children]
        if not query:
            out.append((item, subs))
            continue
        hits = [s for s in subs if clause_matches(s, query)]
        if hits:
            out.append((item, hits))
        elif clause_matches(item, query):
            out.append((item, subs))
    return out


def check_rows(results: Iterable[CheckResult], *, for_file: bool = False) -> list[dict]:
    """One row per check for the results table (emoji verdicts) and the CSV/DOCX downloads (plain
    达标 / 提示 / 不达标), with Chinese headers."""
    from ..export import status_word

    return [
        {
            "结论": status_word(r.status) if for_file else STATUS_TEXT.get(r.status, r.status),
            "标准要求": r.requirement,
            "实际": r.value,
            "说明": r.explanation,
            "依据条款": "、".join(r.labels or r.clauses),
        }
        for r in results
    ]


def status_counts(results: Iterable[CheckResult]) -> dict[str, int]:
    counts = {"pass": 0, "warn": 0, "fail": 0}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def rows_csv(rows: Sequence[dict]) -> bytes:
    """CSV for Excel/WPS (BOM, no emoji in any cell), through the one export module."""
    from ..export import csv_bytes

    header = list(rows[0]) if rows else []
    return csv_bytes(header, [[r[h] for h in header] for r in rows])


def checks_docx(rows: Sequence[dict], title: str = "达标自查结果", notes: Sequence[str] = (), *,
                unit: str = "", date: str = "", period: str = "") -> bytes:
    """The 自查 report in the house style: A4, header with unit, date and 统计期, fitted columns."""
    from ..export import add_table, document_bytes, header_text, new_document

    sub = "　".join(x for x in (f"单位：{unit}" if unit else "", f"统计期：{period}" if period else "",
                               f"日期：{date}" if date else "") if x)
    doc = new_document(title, sub, header=header_text(unit, date, period))
    if rows:
        header = list(rows[0])
        add_table(doc, header, [[r[h] for h in header] for r in rows])
    else:
        doc.add_paragraph("没有可检查的数字。")
    for note in notes:
        doc.add_paragraph(note)
    return document_bytes(doc)
