"""题库 and 练习: generate quiz papers to download, or answer questions one at a time.

Same inputs and library as `assistant quiz`. Per-session state lives under `quiz_` keys.
"""

from __future__ import annotations

import re

import streamlit as st

from ..export import DOCX_MIME
from ..quiz import (
    LETTERS,
    MAX_QUESTIONS,
    TYPE_NAMES,
    TYPES,
    answer_text,
    check_answer,
    generate_quiz,
    render_quiz,
    summary_line,
)
from .resources import clause_page_link, show_user_error

MIMES = {"docx": DOCX_MIME, "md": "text/markdown", "csv": "text/csv", "json": "application/json"}
DOWNLOAD_NAMES = {"docx": "下载 Word（DOCX）", "md": "下载 Markdown", "csv": "下载 CSV（导入题库）",
                  "json": "下载 JSON"}


def doc_choices() -> dict[str, str]:
    from ..corpus import document_names

    return {"all": "两份标准", **document_names()}

PRACTICE_SIZES = (5, 10, 20)


def _md(text: str) -> str:
    """Text shown through st.markdown stays plain text (user words included)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", text)


def render() -> None:
    st.header("题库与练习")
    st.caption("从两份标准的条款自动出题（单选、多选、判断、填空），每题附答案、解析和出处条款。"
               "相同的试卷编号总是生成同一份试卷。")
    paper_tab, practice_tab = st.tabs(["题库：生成试卷", "练习：逐题作答"])
    with paper_tab:
        _paper()
    with practice_tab:
        _practice()


# ------------------------------------------------------------------------------ 题库


def _scope_inputs(prefix: str):
    c1, c2 = st.columns(2)
    types = c1.multiselect("题型", TYPES, default=list(TYPES), format_func=TYPE_NAMES.get,
                           key=f"{prefix}_types")
    choices = doc_choices()
    doc = c2.selectbox("范围", list(choices), format_func=choices.get, key=f"{prefix}_doc")
    topic = st.text_input("主题（可选）", key=f"{prefix}_topic",
                          placeholder="如：组织生活、党课、谈心谈话、党建经费、培训")
    return types, doc, topic


def _paper() -> None:
    with st.form("quiz_form"):
        c1, c2 = st.columns(2)
        n = c1.number_input("题目数量", min_value=1, max_value=MAX_QUESTIONS, value=20, step=1,
                            key="quiz_n")
        seed = c2.number_input("试卷编号（随机种子）", min_value=0, max_value=10**9, value=7, step=1,
                               key="quiz_seed")
        types, doc, topic = _scope_inputs("quiz")
        submitted = st.form_submit_button("生成试卷", type="primary")
    if submitted:
        try:
            st.session_state["quiz_paper"] = generate_quiz(
                int(n), types=types, doc=doc, topic=topic or None, seed=int(seed))
            st.session_state.pop("quiz_files", None)
        except Exception as e:  # bad input: a Chinese warning; the previous paper is dropped
            st.session_state.pop("quiz_paper", None)
            show_user_error(e)
            return
    quiz = st.session_state.get("quiz_paper")
    if quiz is None:
        return
    if quiz.message:
        st.info(quiz.message)
    st.markdown(_md(summary_line(quiz)))
    files = st.session_state.get("quiz_files")
    if files is None or files[0] is not quiz:
        files = (quiz, {fmt: render_quiz(quiz, fmt) for fmt in MIMES})
        st.session_state["quiz_files"] = files
    name = f"党建标准测试卷-{quiz.seed}"
    for col, fmt in zip(st.columns(len(MIMES)), MIMES):
        col.download_button(DOWNLOAD_NAMES[fmt], files[1][fmt], file_name=f"{name}.{fmt}",
                            mime=MIMES[fmt], key=f"quiz_download_{fmt}")
    show_key = st.toggle("显示答案及解析", key="quiz_show_key")
    for number, item in enumerate(quiz.items, start=1):
        lines = [f"**{number}.** 〔{TYPE_NAMES[item.type]}〕{_md(item.question)}"]
        if item.type in ("choice", "multi"):
            lines += [f"{letter}. {_md(option)}" for letter, option in zip(LETTERS, item.options)]
        if show_key:
            lines.append(f"**答案：{_md(answer_text(item))}**　{_md(item.explanation)}")
        st.markdown("  \n".join(lines))


# ------------------------------------------------------------------------------ 练习


def _practice() -> None:
    with st.form("quiz_practice_form"):
        size = st.selectbox("每组题数", PRACTICE_SIZES, index=1, key="quiz_practice_size")
        types, doc, topic = _scope_inputs("quiz_practice")
        start = st.form_submit_button("开始一组练习", type="primary")
    if start:
        round_no = st.session_state.get("quiz_practice_round", 0) + 1
        try:
            quiz = generate_quiz(int(size), types=types, doc=doc, topic=topic or None,
                                 seed=1000 + round_no)
        except Exception as e:
            show_user_error(e)
            return
        st.session_state.update(quiz_practice_round=round_no, quiz_practice=quiz,
                                quiz_practice_index=0, quiz_practice_results={})
    quiz = st.session_state.get("quiz_practice")
    if quiz is None:
        return
    index = st.session_state.get("quiz_practice_index", 0)
    results: dict = st.session_state.setdefault("quiz_practice_results", {})
    if index >= len(quiz.items):
        right = sum(1 for ok in results.values() if ok)
        st.success(f"本组练习完成：答对{right}题，共{len(quiz.items)}题。点“开始一组练习”换一组新题。")
        return
    item = quiz.items[index]
    round_no = st.session_state.get("quiz_practice_round", 0)
    st.markdown(f"**第{index + 1}/{len(quiz.items)}题 · {TYPE_NAMES[item.type]}**")
    st.markdown(_md(item.question))
    key = f"quiz_response_{round_no}_{index}"
    if item.type == "choice":
        labels = [f"{letter}. {option}" for letter, option in zip(LETTERS, item.options)]
        picked = st.radio("选择答案", labels, index=None, key=key)
        response = picked.split(".")[0] if picked else None
    elif item.type == "multi":
        labels = [f"{letter}. {option}" for letter, option in zip(LETTERS, item.options)]
        picked = st.multiselect("选择所有正确答案", labels, key=key)
        response = [p.split(".")[0] for p in picked]
    elif item.type == "judge":
        response = st.radio("这个说法", ["正确", "错误"], index=None, key=key, horizontal=True)
    else:
        response = st.text_input("填写括号中的内容", key=key)
    answered = index in results
    c1, c2 = st.columns(2)
    if c1.button("提交答案", key="quiz_submit", disabled=answered, type="primary"):
        if not response:
            st.warning("还没有作答。")
        else:
            results[index] = check_answer(item, response)[0]
            answered = True
    if answered:
        ok = results[index]
        (st.success if ok else st.error)(
            ("回答正确。" if ok else f"回答错误。正确答案：{answer_text(item)}。"))
        st.markdown(_md(item.explanation))
        clause_page_link(item.clause, label=f"查看条款 {item.label}")
        if c2.button("下一题", key="quiz_next"):
            st.session_state["quiz_practice_index"] = index + 1
            st.rerun()
