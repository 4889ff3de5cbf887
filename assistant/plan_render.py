"""A plan written out: Markdown, DOCX (through `export`, in the house style) and JSON.

Markdown and DOCX walk the same list of blocks (`document_blocks`), so both carry the same text:
title; 一、指导思想; 二、工作目标; 三、主要任务 (by theme); 四、保障措施; the 附件 note, the unit and
date; 附件1 年度工作安排表; 附件2 依据条款原文. Notes for the drafter are not part of it.
"""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from .plan import BLANK, CalendarEntry, Measure, Plan, Target, validate_format
from .types import Citation

CN_NUMERALS = "一二三四五六七八九十"


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


def cn_number(i: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一, 20 → 二十 (section numbers)."""
    if i <= 10:
        return CN_NUMERALS[i - 1]
    tens, ones = divmod(i, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens - 1]) + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def goal_text(t: Target) -> str:
    """A target as a sentence of 二、工作目标: what the standard requires and this year's figure."""
    if t.result.startswith(BLANK):
        text = f"{t.name}：{t.requirement}，本单位为{BLANK}"
    elif t.calculation:
        text = f"{t.name}：{t.result}（{t.calculation}）"
    else:
        text = f"{t.name}：{t.result}"
    extra = [n.replace("，并列列出：", "，") for n in t.note.split("；")
             if n and ("另见" in n or n.startswith("例外") or "取整" in n)]
    return text + ("；" + "；".join(extra) if extra else "")


def header_line(plan: Plan) -> str:
    from .export import header_text

    return header_text(plan.org or plan.unit, plan.date, f"{plan.year}年度")


def document_blocks(plan: Plan) -> list[tuple]:
    """The filed text in reading order: (kind, …) with kind one of title, h1, h2, p, item (text,
    label), sign (unit, date), table (header, rows, widths), annex (number, title), pagebreak."""
    b: list[tuple] = [("title", plan.title)]
    who = plan.org or f"本{plan.unit}"
    tp = plan.topic_plan
    b.append(("h1", "一、指导思想"))
    for c in plan.guiding:
        short = c.label.strip("〔〕").split()[0]
        b.append(("item", f"按照《{short}》{c.title}：{c.text.rstrip('。')}。", c.label))
    focus = f"围绕“{tp.topic}”" if tp else ""
    b.append(("p", f"对照两份标准的各项要求，{focus}结合{who}实际，制定本计划。"))
    b.append(("h1", "二、工作目标"))
    if tp:
        for i, g in enumerate(tp.goals, 1):
            b.append(("item", f"{i}. {g.text.rstrip('。')}。", g.citation.label if g.citation else ""))
    for i, t in enumerate(plan.targets, len(tp.goals) + 1 if tp else 1):
        b.append(("item", f"{i}. {goal_text(t)}。", labels(t.citations)))
    b.append(("h1", "三、主要任务"))
    for k, group in enumerate(plan.tasks, 1):
        b.append(("h2", f"（{cn_number(k)}）{group.theme}"))
        for j, task in enumerate(group.tasks, 1):
            b.append(("item", f"{j}. {task.text.rstrip('。；')}。", task.citation.label))
    b.append(("h1", "四、保障措施"))
    for k, group in enumerate(plan.safeguards, 1):
        b.append(("h2", f"（{cn_number(k)}）{group.heading if hasattr(group, 'heading') else group.theme}"))
        for j, task in enumerate(group.tasks, 1):
            b.append(("item", f"{j}. {task.text.rstrip('。；')}。", task.citation.label))
    annexes = ["年度工作安排表" if not tp else "工作安排表"] + (["责任分工表"] if tp else []) + ["依据条款原文"]
    b.append(("p", "附件：" + "　".join(f"{i}. {a}" for i, a in enumerate(annexes, 1))))
    b.append(("sign", plan.org or BLANK, plan.date or BLANK))
    if plan.drafter:
        b.append(("p", f"（拟稿：{plan.drafter}）"))
    n = 1
    b.append(("pagebreak",))
    b.append(("annex", f"附件{n}", annexes[0]))
    if tp:
        b.append(("table", SCHEDULE_HEADER, schedule_rows(tp.schedule, tp.measures), None))
        n += 1
        b.append(("pagebreak",))
        b.append(("annex", f"附件{n}", annexes[1]))
        b.append(("table", DUTIES_HEADER, duty_rows(tp.measures), None))
    else:
        b.append(("table", ANNEX_HEADER, annex_rows(plan), None))
    n += 1
    b.append(("pagebreak",))
    b.append(("annex", f"附件{n}", annexes[-1]))
    for c in plan.appendix:
        b.append(("clause", c.label, f"（{c.id}，{c.title}）", c.text))
    return b


ANNEX_HEADER = ("序号", "工作事项", "时间安排", "工作要求", "依据条款")
CALENDAR_HEADER = ("时间", "工作事项及安排", "要求（标准原文）", "依据条款")
TARGET_HEADER = ("指标", "标准要求", "本单位测算", "依据条款")
SCHEDULE_HEADER = ("时间", "事项", "依据条款")
DUTIES_HEADER = ("措施", "标准所指责任主体", "牵头部门及责任人", "依据条款")


def annex_rows(plan: Plan) -> list[tuple[str, str, str, str, str]]:
    """附件1: one row per recurring duty with its months, and the dated one-off items."""
    return [(str(i), r.activity, r.timing, r.requirement, labels(r.citations))
            for i, r in enumerate(plan.schedule, 1)]


def calendar_rows(entries: Sequence[CalendarEntry]) -> list[tuple[str, str, str, str]]:
    """The month-by-month view (the app's preview): each month's entries under one time cell."""
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
    for m in measures:
        if m.timing != BLANK:
            rows.append((m.timing, m.text, m.citation.label))
    if not rows:
        rows.append((BLANK, BLANK, ""))
    return rows


def duty_rows(measures: Sequence[Measure]) -> list[tuple[str, str, str, str]]:
    return [(m.text, m.responsible, BLANK, m.citation.label) for m in measures]


def render_markdown(plan: Plan) -> str:
    lines: list[str] = []

    def table(header, rows):
        cell = lambda s: str(s).replace("|", "｜").replace("\n", "<br>")  # noqa: E731
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines.extend("| " + " | ".join(cell(c) for c in r) + " |" for r in rows)
        lines.append("")

    for block in document_blocks(plan):
        kind = block[0]
        if kind == "title":
            lines += [f"# {block[1]}", ""]
        elif kind == "h1":
            lines += [f"## {block[1]}", ""]
        elif kind == "h2":
            lines += [f"### {block[1]}", ""]
        elif kind == "p":
            lines += [block[1], ""]
        elif kind == "item":
            lines += [f"{block[1]}{block[2]}", ""]
        elif kind == "sign":
            lines += [f"<p align=\"right\">{block[1]}<br>{block[2]}</p>", ""]
        elif kind == "annex":
            lines += [f"## {block[1]}　{block[2]}", ""]
        elif kind == "table":
            table(block[1], block[2])
        elif kind == "clause":
            lines += [f"**{block[1]}**{block[2]}", "", f"> {block[3]}", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_docx(plan: Plan) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    from .export import BODY_PT, add_table, document_bytes, new_document

    doc = new_document(plan.title, header=header_line(plan))
    body_indent = Pt(BODY_PT * 2)  # 公文 paragraphs start two characters in
    for block in document_blocks(plan)[1:]:
        kind = block[0]
        if kind == "h1":
            doc.add_heading(block[1], level=1)
        elif kind == "h2":
            doc.add_heading(block[1], level=2)
        elif kind == "p":
            p = doc.add_paragraph(block[1])
            p.paragraph_format.first_line_indent = body_indent
        elif kind == "item":
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = body_indent
            p.add_run(block[1])
            if block[2]:
                p.add_run(block[2]).font.size = Pt(BODY_PT - 2)
        elif kind == "sign":
            doc.add_paragraph()
            for text in block[1:]:
                p = doc.add_paragraph(text)
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                p.paragraph_format.right_indent = Cm(1.2)
        elif kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "annex":
            p = doc.add_paragraph()
            run = p.add_run(block[1])
            from .export import HEADING_FONT, _set_fonts

            _set_fonts(run, HEADING_FONT)
            t = doc.add_paragraph(block[2], style="Heading 1")
            t.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            add_table(doc, block[1], block[2], block[3])
            doc.add_paragraph()
        elif kind == "clause":
            p = doc.add_paragraph()
            p.add_run(block[1]).bold = True
            p.add_run(block[2])
            p.paragraph_format.keep_with_next = True
            q = doc.add_paragraph(block[3])
            q.paragraph_format.first_line_indent = body_indent
    # the doc's first page break paragraph is empty; a trailing empty paragraph is harmless
    return document_bytes(doc)
