"""Quiz papers written out: Markdown, JSON, CSV (for exam systems) and DOCX (through `export`)."""

from __future__ import annotations

import json
from pathlib import Path

from .quiz import CSV_COLUMNS, FORMATS, LETTERS, MAX_QUESTIONS, TYPE_HINTS, TYPE_NAMES, TYPES, Quiz, QuizItem
from .types import UserInputError

def answer_text(item: QuizItem) -> str:
    """The key as a trainer reads it: B（每月）, ACD（精简、协调、高效）, 错误, 56学时."""
    if item.type in ("choice", "multi"):
        return f"{item.answer}（{'、'.join(item.correct_options)}）"
    return item.answer


def summary_line(quiz: Quiz) -> str:
    parts = "、".join(f"{TYPE_NAMES[t][:-1]}{quiz.counts.get(t, 0)}道" for t in quiz.types
                     if quiz.counts.get(t, 0))
    from .corpus import document_names

    scope = {"all": "两份标准", **document_names()}.get(quiz.doc, quiz.doc)
    topic = f" · 主题：{quiz.topic}" if quiz.topic else ""
    return f"共{len(quiz.items)}道（{parts}） · 范围：{scope}{topic} · 试卷编号：{quiz.seed}"


def _sections(quiz: Quiz) -> list[tuple[str, list[tuple[int, QuizItem]]]]:
    """(heading, [(number, item)]) per type present, numbered straight through the paper."""
    out, number = [], 0
    cn = "一二三四"
    for t in TYPES:
        group = [i for i in quiz.items if i.type == t]
        if not group:
            continue
        numbered = []
        for item in group:
            number += 1
            numbered.append((number, item))
        out.append((f"{cn[len(out)]}、{TYPE_NAMES[t]}（{TYPE_HINTS[t]}）", numbered))
    return out


QUIZ_TITLE = "党建标准知识测试卷"


def render_markdown(quiz: Quiz) -> str:
    lines = [f"# {QUIZ_TITLE}", "", summary_line(quiz), ""]
    if quiz.message:
        lines += [f"> {quiz.message}", ""]
    lines += ["## 试卷", ""]
    for heading, group in _sections(quiz):
        lines += [f"### {heading}", ""]
        for number, item in group:
            lines.append(f"{number}. {item.question}")
            for letter, option in zip(LETTERS, item.options if item.type != "judge" else ()):
                lines.append(f"   {letter}. {option}")
            lines.append("")
    lines += ["## 答案及解析", ""]
    for heading, group in _sections(quiz):
        lines += [f"### {heading.split('（')[0]}", ""]
        for number, item in group:
            lines.append(f"{number}. 答案：**{answer_text(item)}**　{item.explanation}（{item.clause}）")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_json(quiz: Quiz) -> str:
    d = quiz.to_json()
    if quiz.message:
        d["message"] = quiz.message
    return json.dumps(d, ensure_ascii=False, indent=2) + "\n"


def render_csv(quiz: Quiz) -> bytes:
    """One row per question; UTF-8 with BOM so Excel and WPS read the Chinese right (export.csv_bytes)."""
    from .export import csv_bytes

    rows = []
    for number, item in ((n, i) for _, g in _sections(quiz) for n, i in g):
        options = list(item.options if item.type != "judge" else ())[:5]
        options += [""] * (5 - len(options))
        rows.append([number, TYPE_NAMES[item.type][:-1], item.question, *options, item.answer,
                     item.explanation, item.clause, item.label])
    return csv_bytes(CSV_COLUMNS, rows)


def render_docx(quiz: Quiz) -> bytes:
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    from .export import new_document, reproducible_docx_bytes

    doc = new_document(QUIZ_TITLE, summary_line(quiz), header=f"{QUIZ_TITLE}　试卷编号：{quiz.seed}")
    info = doc.add_paragraph("单位：__________　　姓名：__________　　得分：__________")
    info.alignment = 1
    if quiz.message:
        doc.add_paragraph(quiz.message)
    doc.add_heading("试卷", level=1)
    for heading, group in _sections(quiz):
        doc.add_heading(heading, level=2)
        for number, item in group:
            p = doc.add_paragraph(f"{number}. {item.question}")
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.keep_with_next = item.type != "blank"
            if item.type in ("choice", "multi"):
                for k, (letter, option) in enumerate(zip(LETTERS, item.options)):
                    op = doc.add_paragraph(f"{letter}. {option}")
                    op.paragraph_format.left_indent = Pt(21)
                    op.paragraph_format.space_after = Pt(0)
                    op.paragraph_format.keep_with_next = k < len(item.options) - 1
            elif item.type == "judge":
                jp = doc.add_paragraph("（　　）正确　　（　　）错误")
                jp.paragraph_format.left_indent = Pt(21)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("答案及解析", level=1)
    for heading, group in _sections(quiz):
        doc.add_heading(heading.split("（")[0], level=2)
        for number, item in group:
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(4)
            p.add_run(f"{number}. 答案：")
            p.add_run(answer_text(item)).bold = True
            p.paragraph_format.keep_with_next = True
            e = doc.add_paragraph(f"{item.explanation}（{item.clause}）")
            e.paragraph_format.left_indent = Pt(21)
            e.paragraph_format.space_after = Pt(2)
    return reproducible_docx_bytes(doc)


def render_quiz(quiz: Quiz, fmt: str) -> bytes:
    fmt = str(fmt or "").strip().lower()
    if fmt == "json":
        return render_json(quiz).encode("utf-8")
    if fmt in ("md", "markdown"):
        return render_markdown(quiz).encode("utf-8")
    if fmt == "csv":
        return render_csv(quiz)
    if fmt == "docx":
        return render_docx(quiz)
    raise UserInputError(f"未知的输出格式“{fmt}”。可选：json、md、docx、csv。")


def format_from_path(path: str) -> str | None:
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"markdown": "md"}.get(suffix, suffix) if suffix in (*FORMATS, "markdown") else None


def bench_quiz() -> dict:
    """Timings in milliseconds (fact extraction cold, a 20-question paper, each format) and the
    corpus's capacity per type. `python -c "from assistant.quiz import bench_quiz; print(bench_quiz())"`."""
    import time

    from .corpus import load_corpus
    from .quiz import generate_quiz
    from .quiz_facts import _FACTS_CACHE, extract_facts

    corpus = load_corpus()
    out: dict = {}
    t0 = time.perf_counter()
    _FACTS_CACHE.pop(corpus.fingerprint, None)
    facts = extract_facts(corpus)
    out["extract_facts_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    out["facts"] = len(facts)
    t0 = time.perf_counter()
    quiz = generate_quiz(20, seed=7)
    out["generate_20_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    for fmt in FORMATS:
        t0 = time.perf_counter()
        render_quiz(quiz, fmt)
        out[f"render_{fmt}_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    full = generate_quiz(MAX_QUESTIONS, seed=7)
    out["max_distinct_questions"] = len(full.items)
    out["capacity_per_type"] = {t: len(generate_quiz(MAX_QUESTIONS, types=[t], seed=7).items)
                                for t in TYPES}
    return out
