"""A plan written out: Markdown, DOCX (through `export`, in the house style) and JSON, all from one
list of blocks so the three carry the same content."""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from .plan import BLANK, CalendarEntry, Measure, Plan, Target, validate_format
from .types import Citation

def render_plan(plan: Plan, fmt: str) -> bytes:
    fmt = validate_format(fmt)
    if fmt == "json":
        return json.dumps(plan.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "md":
        return render_markdown(plan).encode("utf-8")
    return render_docx(plan)


def labels(citations: Iterable[Citation]) -> str:
    return "".join(dict.fromkeys(c.label for c in citations))


def quotes(citations: Iterable[Citation]) -> str:
    return "；".join(dict.fromkeys(c.quote for c in citations))


def _sections(plan: Plan) -> list[tuple[str, str, Any]]:
    """The plan as (heading, kind, content) in reading order; every renderer walks this list."""
    numerals = "一二三四五六七八九十"
    out: list[tuple[str, str, Any]] = [("说明", "bullets", list(plan.notes))]
    if plan.profile:
        out.append(("单位基本情况", "bullets", ["；".join(f.text for f in plan.profile) + "。"]))
    if plan.topic_plan:
        tp = plan.topic_plan
        out.append(("目标", "goals", tp.goals))
        out.append(("主要措施", "measures", tp.measures))
        out.append(("时间安排", "schedule", schedule_rows(tp.schedule, tp.measures)))
        out.append(("责任分工", "duties", duty_rows(tp.measures)))
        if plan.targets:
            out.append(("相关指标", "targets", target_rows(plan.targets)))
    else:
        out.append(("年度目标与指标", "targets", target_rows(plan.targets)))
        out.append(("全年工作安排（逐月）", "calendar", calendar_rows(plan.calendar)))
    return [(f"{numerals[i]}、{h}", k, c) for i, (h, k, c) in enumerate(out)]


CALENDAR_HEADER = ("时间", "工作事项及安排", "要求（标准原文）", "依据条款")
TARGET_HEADER = ("指标", "标准要求", "本单位测算", "依据条款")
SCHEDULE_HEADER = ("时间", "事项", "依据条款")
DUTIES_HEADER = ("措施", "标准所指责任主体", "牵头部门及责任人", "依据条款")
TABLE_HEADERS = {"calendar": CALENDAR_HEADER, "targets": TARGET_HEADER, "schedule": SCHEDULE_HEADER,
                 "duties": DUTIES_HEADER}
# A4 with 2 cm margins leaves 17 cm
TABLE_WIDTHS_CM = {"calendar": (1.8, 4.2, 7, 4), "targets": (3, 5, 5, 4),
                   "schedule": (3.5, 9.5, 4), "duties": (7, 3, 3, 4)}


def calendar_rows(entries: Sequence[CalendarEntry]) -> list[tuple[str, str, str, str]]:
    rows, last = [], None
    for e in entries:
        time = e.slot_name if e.slot != last else ""
        last = e.slot
        rows.append((time, f"{e.activity}\n{e.arrangement}", quotes(e.citations), labels(e.citations)))
    return rows


def target_rows(targets: Sequence[Target]) -> list[tuple[str, str, str, str]]:
    rows = []
    for t in targets:
        calc = "\n".join(x for x in (t.result, f"计算：{t.calculation}" if t.calculation else "",
                                    t.note) if x)
        rows.append((t.name, t.requirement, calc, labels(t.citations)))
    return rows


def schedule_rows(schedule: Sequence[CalendarEntry], measures: Sequence[Measure]) -> list[tuple[str, str, str]]:
    rows = [(e.slot_name, f"{e.activity}（{e.arrangement}）", labels(e.citations)) for e in schedule]
    seen = {e.slot_name for e in schedule}
    for m in measures:
        if m.timing != BLANK:
            rows.append((m.timing, m.text, m.citation.label))
    if not rows and not seen:
        rows.append((BLANK, "标准未规定时间，请按本单位实际安排", ""))
    return rows


def duty_rows(measures: Sequence[Measure]) -> list[tuple[str, str, str, str]]:
    return [(m.text, m.responsible, BLANK, m.citation.label) for m in measures]


def render_markdown(plan: Plan) -> str:
    lines = [f"# {plan.title}", "", f"单位：{BLANK}（{plan.unit}）　年度：{plan.year}年", ""]

    def table(header, rows):
        cell = lambda s: str(s).replace("|", "｜").replace("\n", "<br>")  # noqa: E731
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines.extend("| " + " | ".join(cell(c) for c in r) + " |" for r in rows)
        lines.append("")

    for heading, kind, content in _sections(plan):
        lines += [f"## {heading}", ""]
        if kind == "bullets":
            lines += [f"- {n}" for n in content] + [""]
        elif kind == "goals":
            lines += [f"- {g.text}" + (f" {g.citation.label}" if g.citation else "") for g in content]
            lines.append("")
        elif kind == "measures":
            lines += [f"{i}. {m.text}。{m.citation.label}" for i, m in enumerate(content, 1)]
            lines.append("")
        else:
            table(TABLE_HEADERS[kind], content)
    lines += ["## 附录　依据条款", ""]
    for c in plan.appendix:
        lines += [f"**{c.label}**（{c.id}，{c.title}）", "", f"> {c.text}", ""]
    return "\n".join(lines)


def render_docx(plan: Plan) -> bytes:
    from docx.shared import Cm, Pt

    from .export import add_table, document_bytes, new_document

    doc = new_document(plan.title, f"单位：{BLANK}（{plan.unit}）　年度：{plan.year}年")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as Chinese offices print
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2.2)

    def table(kind, rows):
        t = add_table(doc, TABLE_HEADERS[kind], rows, TABLE_WIDTHS_CM[kind])
        _fix_layout(t, TABLE_WIDTHS_CM[kind])
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.space_after = Pt(0)
                    for r in p.runs:
                        r.font.size = Pt(9.5)
        if kind == "calendar":
            _merge_time_cells(t)
        doc.add_paragraph()

    for heading, kind, content in _sections(plan):
        doc.add_heading(heading, level=1)
        if kind in ("bullets", "goals"):
            for n in content:
                text = n if kind == "bullets" else n.text + (f" {n.citation.label}" if n.citation else "")
                doc.add_paragraph(text, style="List Bullet")
        elif kind == "measures":
            for m in content:
                p = doc.add_paragraph(style="List Number")
                p.add_run(f"{m.text}。")
                p.add_run(m.citation.label).bold = True
        else:
            table(kind, content)
    doc.add_heading("附录　依据条款", level=1)
    for c in plan.appendix:
        p = doc.add_paragraph()
        p.add_run(c.label).bold = True
        p.add_run(f"（{c.id}，{c.title}）")
        p.paragraph_format.keep_with_next = True
        q = doc.add_paragraph(c.text)
        q.paragraph_format.left_indent = Cm(0.75)
    return document_bytes(doc)


def _fix_layout(table, widths_cm) -> None:
    """Fixed column widths (Word and LibreOffice ignore cell widths without the grid), the header row
    repeated on every page, and no row split across a page break."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    for i, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        flags = ["w:cantSplit"] + (["w:tblHeader"] if i == 0 else [])
        for tag in flags:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            trpr.append(el)


def _merge_time_cells(table) -> None:
    """One merged 时间 cell per month / quarter: rows with an empty first cell continue the one above."""
    rows = table.rows[1:]
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].cells[0].text:
            if i - 1 > start:
                merged = rows[start].cells[0].merge(rows[i - 1].cells[0])
                for p in merged.paragraphs[1:]:  # merging keeps each empty cell's paragraph
                    if not p.text:
                        p._p.getparent().remove(p._p)
            start = i
