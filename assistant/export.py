"""The one export module: every DOCX, CSV and Markdown file users download or the CLI writes.

One look for every document, after the conventions of GB/T 9704 (党政机关公文格式): A4 paper, 仿宋 body,
小标宋 title, 黑体 headings (East Asian fonts set through w:eastAsia, which Word and LibreOffice read
for Chinese text), page numbers in the footer, a header with the unit, date and period where they
apply, tables whose column widths follow their content. Status words are plain (达标 / 提示 / 不达标)
in files; emoji are for the screen only. Files are written whole or not at all, with the permissions
the user's umask gives a new file (0644 under the usual 022).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Iterable, Sequence

from .types import UserInputError

BODY_FONT = "仿宋"  # FangSong: GB/T 9704 body text
HEADING_FONT = "黑体"  # SimHei: first-level headings
TITLE_FONT = "方正小标宋简体"  # the title face of Chinese official documents (fallback: a serif CJK face)
LATIN_FONT = "Times New Roman"

BODY_PT = 14  # 四号: a little under the 三号 of a filed 公文 so tables and papers stay readable
TABLE_PT = 10.5  # 五号
TITLE_PT = 22  # 二号
HEADING_PT = (16, 14, 14)  # 三号 / 四号 / 四号

# A4 with the GB/T 9704 margins (天头 37 mm, 订口 28 mm): the text block is 15.6 cm wide.
PAGE_CM = (21.0, 29.7)
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM["left"] - MARGINS_CM["right"]

STATUS_WORDS = {"pass": "达标", "warn": "提示", "fail": "不达标"}  # in files
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_MIME = "text/csv"

# Pictographs, dingbats, variation selectors and joiners: never in a file (blank in PDFs, noise in Excel).
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0E\uFE0F\u200D\u20E3]")


def status_word(status: str) -> str:
    """pass / warn / fail as the word a document or spreadsheet shows."""
    return STATUS_WORDS.get(status, status)


def plain(text: object) -> str:
    """The text without emoji (and the space an emoji leaves at the start)."""
    return _EMOJI.sub("", "" if text is None else str(text)).strip()


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


def _apply_styles(doc) -> None:
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.space_after = Pt(3)
    title = styles["Title"]
    _set_fonts(title, TITLE_FONT)
    title.font.size = Pt(TITLE_PT)
    title.font.bold = False
    title.paragraph_format.space_after = Pt(12)
    _no_border(title)
    for level, size in enumerate(HEADING_PT, 1):
        st = styles[f"Heading {level}"]
        _set_fonts(st, HEADING_FONT)
        st.font.size = Pt(size)
        st.font.bold = level > 1
        st.font.italic = False
        st.paragraph_format.space_before = Pt(10 if level == 1 else 6)
        st.paragraph_format.space_after = Pt(4)
    for st in styles:
        if st.name in ("Title", "Subtitle") or st.name.startswith("Heading") or st.type != 1:
            continue
        if st.name != "Normal" and getattr(st, "font", None) is not None:
            _set_fonts(st, BODY_FONT)
    for st in styles:
        if getattr(st, "font", None) is not None and st.type in (1, 2):
            try:
                st.font.color.rgb = RGBColor(0, 0, 0)
            except (AttributeError, ValueError):
                pass


def _no_border(style) -> None:
    """python-docx's Title style draws a blue rule under the title: a 公文 title has none."""
    from docx.oxml.ns import qn

    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for el in ppr.findall(qn("w:pBdr")):
            ppr.remove(el)


def _page_setup(doc) -> None:
    from docx.shared import Cm

    for section in doc.sections:
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
        section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
        section.header_distance, section.footer_distance = Cm(1.8), Cm(2.0)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"),
                       ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def _header_footer(doc, header: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = doc.sections[0]
    if header:
        hp = section.header.paragraphs[0]
        hp.text = ""
        run = hp.add_run(header)
        run.font.size = Pt(TABLE_PT)
        _set_fonts(run, BODY_FONT)
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("— ")
    _field(fp, "PAGE")
    fp.add_run(" —")
    for run in fp.runs:
        run.font.size = Pt(BODY_PT)
        _set_fonts(run, "宋体")


def header_text(unit: str = "", date: str = "", period: str = "") -> str:
    """The running header: 单位　统计期/年度　日期, whichever are given."""
    return "　".join(x for x in (unit, period, date) if x)


def new_document(title: str, subtitle: str = "", *, header: str = ""):
    """A python-docx Document in the one house style: A4, fonts, page numbers, the header, the title."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    _apply_styles(doc)
    _page_setup(doc)
    _header_footer(doc, plain(header))
    doc.core_properties.title = plain(title)
    doc.core_properties.author = "标准助手"
    heading = doc.add_paragraph(plain(title), style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        p = doc.add_paragraph(plain(subtitle))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def _display_width(text: str) -> float:
    """Width in full-width characters: CJK counts 1, Latin letters and digits about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[object]],
                  total_cm: float = TEXT_WIDTH_CM, pt: float = TABLE_PT) -> list[float]:
    """Column widths (cm) that fit their content: a short column (序号, 月份, 结论) as wide as its
    longest entry, every column at least a few characters, the long ones sharing the rest by how
    much text they hold."""
    char_cm = pt / 72 * 2.54 * 1.08
    pad = 0.45  # cell margins
    n = len(header)
    longest = [max([_display_width(str(header[i]))] +
                   [max((_display_width(line) for line in str(r[i] or "").split("\n")), default=0)
                    for r in rows if i < len(r)]) for i in range(n)]
    volume = [sum(_display_width(str(r[i] or "")) for r in rows if i < len(r)) + 1 for i in range(n)]
    need = [w * char_cm + pad for w in longest]
    floor = [min(need[i], max(_display_width(str(header[i])), MIN_COLUMN_CHARS) * char_cm + pad)
             for i in range(n)]
    if sum(need) <= total_cm:
        spare = total_cm - sum(need)
        return [w + spare * v / sum(volume) for w, v in zip(need, volume)]
    if sum(floor) >= total_cm:
        return [w * total_cm / sum(floor) for w in floor]
    widths = list(floor)
    open_ = [i for i in range(n) if need[i] > floor[i]]
    left = total_cm - sum(widths)
    while open_ and left > 1e-6:  # share out by volume; a column that reaches its need drops out
        weight = sum(volume[i] for i in open_)
        grown = []
        for i in open_:
            add = left * volume[i] / weight
            if widths[i] + add >= need[i]:
                add = need[i] - widths[i]
                grown.append(i)
            widths[i] += add
        left = total_cm - sum(widths)
        if not grown:
            break
        open_ = [i for i in open_ if i not in grown]
    return widths


MIN_COLUMN_CHARS = 4


def add_table(doc, header: Sequence[str], rows: Iterable[Sequence[object]], widths_cm: Sequence[float] | None = None,
              *, font_pt: float = TABLE_PT, bold_first_column: bool = False):
    """A bordered table: bold header row repeated on every page, rows that do not split across pages,
    fixed column widths fitted to the content (or as given), text without emoji."""
    from docx.shared import Pt

    rows = [["" if v is None else plain(v) for v in r] for r in rows]
    header = [plain(h) for h in header]
    widths = list(widths_cm) if widths_cm else column_widths(header, rows, pt=font_pt)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for r in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, r)):
            cell.text = ""
            run = cell.paragraphs[0].add_run(value)
            if bold_first_column and i == 0:
                run.bold = True
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(0)
                p.paragraph_format.line_spacing = 1.0
                for run in p.runs:
                    run.font.size = Pt(font_pt)
    _fix_layout(table, widths)
    return table


def _fix_layout(table, widths_cm) -> None:
    """Fixed column widths (Word and LibreOffice ignore cell widths without the grid), the header row
    repeated on every page, and no row split across a page break."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    for i, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        flags = ["w:cantSplit"] + (["w:tblHeader"] if i == 0 else [])
        for tag in flags:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            trpr.append(el)


def document_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV for Excel/WPS: UTF-8 with a BOM, CRLF line ends, no emoji in any cell."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([plain(h) for h in header])
    for r in rows:
        w.writerow(["" if v is None else plain(v) for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


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


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask (os.umask can only be read by setting it, so set it back at once)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


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
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; a new file gets the umask's
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
