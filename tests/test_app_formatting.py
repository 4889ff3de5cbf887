"""Pure helpers behind the app: escaping, quote highlighting, clause search, check tables."""

import csv
import io
import re

import pytest

from assistant.types import CheckResult
from assistant.ui.formatting import (
    HIGHLIGHT_CLOSE,
    HIGHLIGHT_OPEN,
    check_rows,
    checks_docx,
    escape_markdown,
    filter_items,
    highlight_quote,
    plain_text_markdown,
    quote_spans,
    rows_csv,
    status_counts,
)


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "[点我](javascript:alert(1))",
    "**加粗** 和 _斜体_",
    ":red[红色]",
    "$x^2$",
    "# 标题",
    "`代码`",
    "a\\*b",
])
def test_escape_markdown_neutralises_syntax(text):
    escaped = escape_markdown(text)
    unescaped_rest = re.sub(r"\\.", "", escaped)  # drop every backslash-escaped pair
    assert not re.search(r"[<>\[\]()*_:$#`\\]", unescaped_rest), unescaped_rest
    # Removing the escapes gives the original text back: nothing is dropped.
    assert escaped.replace("\\", "") == text.replace("\\", "")


def test_escape_markdown_keeps_line_breaks_and_chinese():
    assert escape_markdown("第一行\n第二行") == "第一行  \n第二行"
    assert escape_markdown("支委会一般每月召开1次") == "支委会一般每月召开1次"


def test_plain_text_markdown_keeps_lists_and_escapes_the_rest():
    text = "标准中没有关于“**x**<b>”的规定。\n\n标准中相近的主题有：\n- 严格落实（〔河钢标准 第21条〕）\n- 二"
    md = plain_text_markdown(text)
    assert "\n- 严格落实（〔河钢标准 第21条〕）\n- 二" in md
    assert "**x**" not in md and "<b>" not in md and "\\*\\*x\\*\\*" in md
    assert md.startswith("标准中没有关于")
    assert "相近的主题有：\n\n- " in md  # a list after a text line starts its own block


def test_highlight_marks_exactly_the_quote(corpus):
    leaf = corpus.get("HG-21.1")
    md, found = highlight_quote(leaf.text, "支委会一般每月召开1次")
    assert found
    assert md.count(HIGHLIGHT_OPEN) == 1
    start = md.index(HIGHLIGHT_OPEN) + len(HIGHLIGHT_OPEN)
    assert md[start:md.index(HIGHLIGHT_CLOSE, start)] == "支委会一般每月召开1次"
    assert md.startswith("认真开展")


def test_highlight_with_elision_marks_each_piece(corpus):
    text = corpus.get("HG-21.1").text
    spans = quote_spans(text, "支委会一般每月召开1次……讲党课每季度至少开展1次")
    assert [text[a:b] for a, b in spans] == ["支委会一般每月召开1次", "讲党课每季度至少开展1次"]


@pytest.mark.parametrize("quote", ["支委会每周召开1次", "", "讲党课每季度至少开展1次……支委会一般每月召开1次"])
def test_quote_not_in_text_is_not_highlighted(corpus, quote):
    text = corpus.get("HG-21.1").text
    md, found = highlight_quote(text, quote)
    assert not found and HIGHLIGHT_OPEN not in md
    assert md == escape_markdown(text)


def test_filter_items_without_query_lists_every_leaf(corpus):
    shown = filter_items(corpus)
    assert sum(len(subs) or 1 for _, subs in shown) == len(corpus.leaves())
    assert [i.id for i, _ in filter_items(corpus, doc="SS")][0] == "SS-0"


@pytest.mark.parametrize("query, doc, must_include, must_exclude", [
    ("支委会", None, "HG-21.1", "HG-1.1"),
    ("hg-21.1", None, "HG-21.1", "HG-21.2"),
    ("董事会 30%", "SS", "SS-2.3", "HG-21.1"),
    ("董事会", "HG", None, "SS-2.3"),
])
def test_filter_items_search_and_doc_filter(corpus, query, doc, must_include, must_exclude):
    leaves = {(s.id if s else None) for item, subs in filter_items(corpus, query, doc)
              for s in (subs or [item])}
    if must_include:
        assert must_include in leaves
    assert must_exclude not in leaves
    assert all(corpus.get(i).doc == doc for i in leaves) if doc else True


def test_filter_items_nothing_found(corpus):
    assert filter_items(corpus, "量子计算机") == []


RESULTS = [
    CheckResult("board_ratio", ("SS-2.3",), "fail", "20%", "党委成员进入董事会不低于30%", "还差1人",
                ("〔四同步清单 第2条③〕",)),
    CheckResult("branch_meetings", ("HG-21.1",), "pass", "12次", "支委会每月1次", "达标"),
]


def test_check_rows_csv_and_docx():
    rows = check_rows(RESULTS)
    assert rows[0]["结论"] == "❌ 不达标" and rows[1]["结论"] == "✅ 达标"
    assert rows[0]["依据条款"] == "〔四同步清单 第2条③〕"
    assert rows[1]["依据条款"] == "HG-21.1"  # falls back to the IDs when labels are missing
    files = check_rows(RESULTS, for_file=True)
    assert files[0]["结论"] == "不达标" and files[1]["结论"] == "达标"
    data = rows_csv(rows)  # even rows meant for the screen lose their emoji in a file
    assert data.startswith("\ufeff".encode())
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed == files
    assert not any(ord(ch) > 0xFFFF or 0x2600 <= ord(ch) <= 0x27BF for ch in data.decode("utf-8-sig"))
    from docx import Document
    from docx.shared import Cm

    doc = Document(io.BytesIO(checks_docx(files, unit="某某公司党委", date="2027年3月1日", period="上半年")))
    cells = [c.text for c in doc.tables[0].rows[1].cells]
    assert "还差1人" in cells and "党委成员进入董事会不低于30%" in cells and "不达标" in cells
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.header.paragraphs[0].text == "某某公司党委　上半年　2027年3月1日"
    widths = [c.width for c in doc.tables[0].columns]
    assert max(widths) == widths[1] and max(widths) - min(widths) > Cm(1)  # fitted to the longest text
    assert status_counts(RESULTS) == {"pass": 1, "warn": 0, "fail": 1}
