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


# ---------------------------------------------------------------- the one house style

import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

from docx.shared import Cm  # noqa: E402

from assistant.export import (  # noqa: E402
    column_widths, csv_bytes, header_text, plain, status_word,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _every_docx_export() -> dict[str, bytes]:
    """Each DOCX the product writes: plans (both kinds), a quiz paper, the 自查 report."""
    from assistant.checks import check_text
    from assistant.plan import build_plan, render_plan, with_header
    from assistant.quiz import generate_quiz, render_quiz
    from assistant.ui.formatting import check_rows, checks_docx

    annual = with_header(build_plan("党支部", 2027), org="某某公司第一党支部", date="2027-01-05")
    committee = with_header(build_plan("党委", 2027, profile="职工1200人，工资总额8000万元"),
                            org="某某公司党委", drafter="张三", date="2027-01-05")
    topic = with_header(build_plan("党支部", 2027, topic="党员教育培训"), org="某某公司第一党支部")
    report = check_text("职工1200人，专职党务人员10人，上半年支委会开了5次")
    return {
        "plan_branch": render_plan(annual, "docx"),
        "plan_committee": render_plan(committee, "docx"),
        "plan_topic": render_plan(topic, "docx"),
        "quiz": render_quiz(generate_quiz(20, seed=3), "docx"),
        "checks": checks_docx(check_rows(report.results, for_file=True), unit="某某公司党委",
                              date="2027年3月1日", period="上半年"),
    }


@pytest.fixture(scope="module")
def exports():
    return _every_docx_export()


def test_every_docx_is_a4_in_one_style_with_page_numbers(exports):
    seen = set()
    for name, data in exports.items():
        doc = Document(io.BytesIO(data))
        s = doc.sections[0]
        assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7), name
        fonts = tuple(doc.styles[n].element.rPr.find(W + "rFonts").get(W + "eastAsia")
                      for n in ("Normal", "Title", "Heading 1", "Heading 2"))
        seen.add(fonts)
        assert fonts[0] == "仿宋" and fonts[2] == "黑体", name
        assert "PAGE" in s.footer._element.xml, name
        assert s.header.paragraphs[0].text, name  # unit / date / period or the paper's number
        for table in doc.tables:
            assert table._tbl.tblPr.find(W + "tblLayout") is not None, name
        text = "\n".join([p.text for p in doc.paragraphs] +
                         [c.text for t in doc.tables for r in t.rows for c in r.cells])
        assert not any(0x2600 <= ord(ch) <= 0x27BF or ord(ch) > 0xFFFF for ch in text), name
    assert len(seen) == 1  # one set of styles


def test_checks_report_says_status_in_words(exports):
    doc = Document(io.BytesIO(exports["checks"]))
    verdicts = {r.cells[0].text for r in doc.tables[0].rows[1:]}
    assert verdicts and verdicts <= {"达标", "提示", "不达标"}
    header = doc.sections[0].header.paragraphs[0].text
    assert header == "某某公司党委　上半年　2027年3月1日"


def test_column_widths_fit_their_content():
    header = ["序号", "工作事项", "说明"]
    rows = [[str(i), "支委会", "支委会一般每月召开1次，" * 6] for i in range(1, 13)]
    w = column_widths(header, rows, total_cm=15.6)
    assert abs(sum(w) - 15.6) < 0.01
    assert w[0] < w[1] < w[2] and w[0] >= 1.0  # 序号 stays on one line, 说明 gets the room
    short = column_widths(["结论", "实际"], [["达标", "12次"]], total_cm=15.6)
    assert abs(sum(short) - 15.6) < 0.01


def test_status_words_plain_text_and_csv_without_emoji():
    assert [status_word(s) for s in ("pass", "warn", "fail")] == ["达标", "提示", "不达标"]
    assert plain("✅ 达标") == "达标" and plain("⚠️ 提示") == "提示" and plain("❌ 不达标") == "不达标"
    data = csv_bytes(["结论", "说明"], [["✅ 达标", "👍 好"], ["❌ 不达标", None]])
    text = data.decode("utf-8")
    assert text.startswith("\ufeff") and text == "\ufeff结论,说明\r\n达标,好\r\n不达标,\r\n"
    assert header_text("某某党委", "2027年1月5日", "2027年度") == "某某党委　2027年度　2027年1月5日"


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_are_written_with_the_users_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        p = write_atomic(tmp_path / "计划.md", "内容")
        replaced = write_atomic(p, "新内容")
    finally:
        os.umask(old)
    assert oct(p.stat().st_mode & 0o777) == oct(mode) and replaced.read_text(encoding="utf-8") == "新内容"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdffonts") is None,
                    reason="需要 LibreOffice 和 poppler-utils（make docs-deps 安装；CI 的 .ci/run 会安装）")
def test_libreoffice_renders_every_export_on_a4_with_cjk_fonts(exports, tmp_path):
    for name, data in exports.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    env = {**os.environ, "HOME": str(tmp_path)}  # a private LibreOffice profile
    r = subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                        *sorted(str(p) for p in tmp_path.glob("*.docx"))],
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    for name in exports:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), (name, r.stdout, r.stderr)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "(A4)" in info, (name, info)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "CJK" in fonts or "Hei" in fonts or "Song" in fonts or "Fang" in fonts, (name, fonts)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        if name.startswith("plan"):
            assert "一、指导思想" in text and "四、保障措施" in text and "某某公司" in text, name
            assert re.search(r"—\s*2\s*—", text), name  # page numbers filled in
