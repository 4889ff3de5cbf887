"""工作计划: the same inputs as `assistant plan`, a preview, and DOCX / Markdown / JSON downloads."""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from ..export import DOCX_MIME
from ..plan import (
    BLANK,
    UNIT_TYPES,
    YEAR_MAX,
    YEAR_MIN,
    build_plan,
    calendar_rows,
    document_blocks,
    render_plan,
    CALENDAR_HEADER,
    with_header,
)
from .resources import get_corpus, get_retriever, show_user_error

MIMES = {"docx": DOCX_MIME, "md": "text/markdown", "json": "application/json"}


def _md_escape(text: str) -> str:
    """User words (the topic) shown through st.markdown stay plain text."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", text)


def _table(header, rows) -> None:
    # Every row and column shown, long cells wrapped; on a phone the table scrolls sideways
    # (resources.LAYOUT_CSS) instead of squeezing four columns into 390 px.
    import pandas as pd

    st.table(pd.DataFrame([list(r) for r in rows], columns=list(header)), hide_index=True)


def render() -> None:
    st.header("工作计划")
    st.caption("按单位类型生成年度计划或专题计划：每项安排都注明依据条款，"
               f"标准没有规定的内容标为{BLANK}，由本单位补充。")
    with st.form("plan_form"):
        c1, c2 = st.columns(2)
        unit = c1.selectbox("单位类型", UNIT_TYPES, key="plan_unit")
        year = c2.number_input("计划年度", min_value=YEAR_MIN, max_value=YEAR_MAX,
                               value=min(date.today().year + 1, YEAR_MAX), step=1, key="plan_year")
        topic = st.text_input("专题（可选，不填则生成年度计划）", key="plan_topic",
                              placeholder="如：党员教育培训、三会一课、党风廉政建设")
        profile = st.text_area("单位情况（可选，用于测算经费、人员等指标）", key="plan_profile",
                               placeholder="如：职工1200人，党员85人，工资总额8000万元", height=80)
        c3, c4, c5 = st.columns([2, 1, 1])
        org = c3.text_input("单位名称（写入标题、页眉和落款）", key="plan_org", max_chars=60,
                            placeholder="如：某某公司第一党支部")
        drafter = c4.text_input("拟稿人（可选）", key="plan_drafter", max_chars=60)
        issued = c5.date_input("成文日期", key="plan_date", value="today", format="YYYY-MM-DD")
        submitted = st.form_submit_button("生成计划", type="primary")
    if submitted:
        try:
            plan = build_plan(
                unit, int(year), topic=topic if topic.strip() else None,
                profile=profile if profile.strip() else None, corpus=get_corpus(),
                retriever=get_retriever() if topic.strip() else None)
            st.session_state["plan_result"] = with_header(
                plan, org=org, drafter=drafter, date=issued.isoformat() if issued else None)
            st.session_state.pop("plan_files", None)
        except Exception as e:  # bad input is a warning in Chinese; nothing else on the page changes
            show_user_error(e)
            return
    plan = st.session_state.get("plan_result")
    if plan is None:
        return
    _downloads(plan)
    _preview(plan)


def _downloads(plan) -> None:
    files = st.session_state.get("plan_files")
    if files is None or files[0] is not plan:
        files = (plan, {fmt: render_plan(plan, fmt) for fmt in MIMES})
        st.session_state["plan_files"] = files
    cols = st.columns(3)
    names = {"docx": "下载 Word（DOCX）", "md": "下载 Markdown", "json": "下载 JSON"}
    for col, fmt in zip(cols, MIMES):
        col.download_button(names[fmt], files[1][fmt], file_name=f"{plan.title}.{fmt}",
                            mime=MIMES[fmt], key=f"plan_download_{fmt}")


def _preview(plan) -> None:
    """The filed text as the download has it, then the month-by-month view; notes for the drafter
    are shown here only."""
    for note in plan.notes:
        st.caption(note)
    if plan.profile:
        st.markdown("**单位基本情况**：" + _md_escape("；".join(f.text for f in plan.profile)))
    blocks = document_blocks(plan)
    st.subheader(_md_escape(plan.title))
    for block in blocks[1:]:
        kind = block[0]
        if kind == "clause":
            break  # 附件2, the clauses in full, is the expander below
        if kind == "h1":
            st.markdown(f"#### {_md_escape(block[1])}")
        elif kind == "h2":
            st.markdown(f"**{_md_escape(block[1])}**")
        elif kind == "p":
            st.markdown(_md_escape(block[1]))
        elif kind == "item":
            st.markdown(_md_escape(block[1] + block[2]))
        elif kind == "sign":
            st.markdown(f"{_md_escape(block[1])}  \n{_md_escape(block[2])}")
        elif kind == "annex":
            st.markdown(f"#### {_md_escape(block[1])}　{_md_escape(block[2])}")
        elif kind == "table":
            _table(block[1], block[2])
    if plan.calendar and not plan.topic_plan:
        with st.expander(f"逐月日程（{len(plan.calendar)}项）"):
            _table(CALENDAR_HEADER, calendar_rows(plan.calendar))
    with st.expander(f"依据条款（{len(plan.appendix)}条，全文）"):
        corpus = get_corpus()
        for c in plan.appendix:
            leaf = corpus.get(c.id)
            st.markdown(f"**{leaf.label}**（{leaf.id}，{leaf.title}）\n\n> {leaf.text}")
