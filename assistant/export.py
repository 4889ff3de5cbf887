"""Writing files users open in Word/WPS and elsewhere: DOCX with proper Chinese fonts, atomic saves.

Plans, quizzes, check results and conversations all go through here, so every download looks the
same and no half-written file is ever left behind.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

from .types import UserInputError

BODY_FONT = "宋体"  # SimSun: the default body face in Chinese Word/WPS documents
HEADING_FONT = "黑体"  # SimHei for headings
LATIN_FONT = "Times New Roman"

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _set_fonts(style_or_run, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Set both the Latin and the East Asian font: Word ignores `font.name` for CJK text."""
    from docx.oxml.ns import qn

    style_or_run.font.name = latin
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)


def new_document(title: str, subtitle: str = ""):
    """A python-docx Document with Chinese fonts on every style we use, and the title set."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        st = styles[name]
        _set_fonts(st, HEADING_FONT)
        st.font.color.rgb = RGBColor(0, 0, 0)
    styles["Title"].font.size = Pt(20)
    styles["Heading 1"].font.size = Pt(15)
    styles["Heading 2"].font.size = Pt(13)
    styles["Heading 3"].font.size = Pt(12)
    for name in ("Table Grid", "List Bullet", "List Number", "Quote"):
        if name in [s.name for s in styles]:
            _set_fonts(styles[name], BODY_FONT)
    doc.core_properties.title = title
    doc.core_properties.author = "标准助手"
    heading = doc.add_paragraph(title, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        p = doc.add_paragraph(subtitle)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def add_table(doc, header: Sequence[str], rows: Iterable[Sequence[object]], widths_cm: Sequence[float] | None = None):
    """A bordered table with a bold header row; cells are plain text."""
    from docx.shared import Cm

    rows = [list(r) for r in rows]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
    for r in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, r):
            cell.text = "" if value is None else str(value)
    if widths_cm:
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm):
                cell.width = Cm(w)
    return table


def document_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


FIXED_DOCX_TIME = (2020, 1, 1, 0, 0, 0)


def reproducible_docx_bytes(doc) -> bytes:
    """Like document_bytes, but the same document gives the same bytes every time: fixed core
    dates and zip entry times (python-docx stamps both with the current time)."""
    import datetime as dt
    import zipfile

    fixed = dt.datetime(*FIXED_DOCX_TIME, tzinfo=dt.timezone.utc)
    doc.core_properties.created = fixed
    doc.core_properties.modified = fixed
    doc.core_properties.last_printed = fixed
    src = zipfile.ZipFile(io.BytesIO(document_bytes(doc)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DOCX_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _writable_target(path: str | Path) -> tuple[Path, Path]:
    """The output path and its folder, or UserInputError saying why it cannot be a file to write."""
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise UserInputError("没有给出输出文件路径。")
    if "\0" in str(path):
        raise UserInputError("输出路径中含有空字符，请检查路径。")
    if str(path).endswith(("/", os.sep)):  # Path() would drop the slash and write a file named like the folder
        raise UserInputError(f"输出路径以“/”结尾，像是一个目录，请写出文件名：{str(path)[:80]}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in str(path)):
        raise UserInputError("输出路径中含有控制字符（如换行、制表符），请检查路径。")
    p = Path(path)
    try:
        if p.is_dir():
            raise UserInputError(f"输出路径是一个目录：{str(p)[:80]}")
        if p.exists() and not p.is_file():
            # A device, FIFO or socket would be replaced by os.replace (as root even /dev/null).
            raise UserInputError(f"输出路径已存在且不是普通文件（设备、管道或套接字），不会覆盖它：{str(p)[:80]}")
        parent = p.parent if str(p.parent) else Path(".")
        if not parent.is_dir():
            raise UserInputError(f"输出目录不存在：{str(parent)[:80]}")
    except OSError as e:  # e.g. a file name longer than the file system allows
        raise UserInputError(f"输出路径不可用：{e.strerror or e}（{str(p)[:80]}）") from None
    return p, parent


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write the whole file or nothing: a temp file in the same folder, then os.replace.

    Raises UserInputError (Chinese, naming the path) when the path cannot be written.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    p, parent = _writable_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    except OSError as e:
        raise UserInputError(f"无法写入输出文件 {str(p)[:80]}：{e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, p)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise UserInputError(f"无法写入输出文件 {str(p)[:80]}：{e.strerror or e}") from None
    return p


def check_output_path(path: str | Path) -> Path:
    """Fail early (before long work) if the output path cannot be written."""
    p, parent = _writable_target(path)
    if not os.access(parent, os.W_OK):
        raise UserInputError(f"没有写入权限：{str(parent)[:80]}")
    return p
