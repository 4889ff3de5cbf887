"""DOCX helpers set East Asian fonts; atomic writes leave nothing behind on failure."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from assistant.export import add_table, document_bytes, new_document, write_atomic
from assistant.types import UserInputError


def test_docx_has_east_asian_fonts_and_round_trips():
    doc = new_document("年度党建工作计划", "2027年")
    doc.add_heading("一、目标", level=1)
    add_table(doc, ["月份", "事项"], [["1月", "支委会"], ["2月", "党小组会"]])
    reopened = Document(io.BytesIO(document_bytes(doc)))
    for name in ("Normal", "Title", "Heading 1"):
        rfonts = reopened.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")), name
    assert reopened.paragraphs[0].text == "年度党建工作计划"
    table = reopened.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["月份", "事项"]
    assert table.rows[2].cells[1].text == "党小组会"


def test_write_atomic(tmp_path):
    p = write_atomic(tmp_path / "a.md", "内容")
    assert p.read_text(encoding="utf-8") == "内容"
    assert [x.name for x in tmp_path.iterdir()] == ["a.md"]


@pytest.mark.parametrize("target", ["missing_dir/a.docx", "."])
def test_write_atomic_bad_path(tmp_path, target):
    with pytest.raises(UserInputError):
        write_atomic(tmp_path / target, b"x")
    assert not any(p.name.endswith(".tmp") for p in tmp_path.rglob("*"))
