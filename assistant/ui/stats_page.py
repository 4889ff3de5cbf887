"""问题统计: for the party office. Questions per day and per topic, the questions the standards do
not cover grouped by subject (what the standards could add), answers users marked 👎 with their
citations, and CSV downloads (no emoji). Reads every logged turn (all browsers), never who asked."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import streamlit as st

from .formatting import escape_markdown
from .resources import get_corpus, show_user_error

PERIODS = {"最近 7 天": 7, "最近 30 天": 30, "最近 90 天": 90, "全部": None}


def _rows(days: int | None):
    from ..store.report import report_rows
    from .history import get_store

    since = None if days is None else datetime.now(timezone.utc) - timedelta(days=days)
    return report_rows(get_store(), since=since)


def render() -> None:
    from .. import question_report as qr
    from .history import logging_enabled

    st.header("问题统计")
    st.caption("大家都问了什么、哪些问题两份标准没有规定（可供修订标准时参考）、哪些回答被标为“没用”。"
               "统计所有浏览器的提问，不记录提问人。")
    if not logging_enabled():
        st.info("问题记录已关闭（ASSISTANT_QUESTION_LOG=off），应用不保存提问，这里没有可统计的内容。", icon="ℹ️")
    period = st.segmented_control("统计范围", list(PERIODS), default="最近 30 天", key="stats_period")
    try:
        rows = _rows(PERIODS.get(period or "最近 30 天"))
    except Exception as e:
        show_user_error(e)
        return
    corpus = get_corpus()
    report = qr.build_report(rows, corpus)
    gaps = sum(g.count for g in report.gaps)
    row = st.container(horizontal=True)  # stays one row (wrapping if needed) on a phone
    row.metric("提问", report.total)
    row.metric("标准未覆盖", gaps)
    row.metric("有用", report.thumbs_up)
    row.metric("没用", len(report.thumbs_down))
    if not rows:
        st.info("这段时间还没有提问。", icon="📭")
        return

    st.subheader("每天的提问")
    import pandas as pd

    per_day = pd.DataFrame(report.per_day, columns=["日期", "提问"]).set_index("日期")
    st.bar_chart(per_day, height=220, x_label="日期", y_label="提问")

    st.subheader("按主题")
    # Static tables: all rows, text wrapped, sideways scrolling on a phone (resources.LAYOUT_CSS).
    st.table(pd.DataFrame(report.per_topic, columns=["主题", "提问"]), hide_index=True)

    st.subheader("标准没有规定的问题")
    st.caption("按问到的对象归类：回答为“两份标准没有规定X的Y”时归到 X，其余按所问的内容。")
    if report.gaps:
        st.table(pd.DataFrame([{"未覆盖的主题": g.subject, "次数": g.count, "问到的方面": "、".join(g.aspects),
                                "问题示例": " | ".join(g.questions[:3])} for g in report.gaps[:100]]), hide_index=True)
    else:
        st.caption("这段时间的问题都能在标准中找到依据。")

    st.subheader("被标为“没用”的回答")
    if report.thumbs_down:
        for r in report.thumbs_down[:50]:
            with st.container(border=True):
                st.markdown(f"**问**：{escape_markdown(r.question)}")
                st.caption(escape_markdown(r.answer[:300]))
                cites = "、".join(label for _, label in r.citations) or "（没有引用条款）"
                st.markdown(f"依据条款：{escape_markdown(cites)}")
                if r.comment:
                    st.markdown(f"反馈意见：{escape_markdown(r.comment)}")
    else:
        st.caption("这段时间没有回答被标为“没用”。")

    e1 = e2 = st.container(horizontal=True)
    e1.download_button("下载全部提问（CSV）", qr.questions_csv(rows, corpus), file_name="问题统计_提问.csv",
                       mime="text/csv", key="stats_csv")
    e2.download_button("下载未覆盖问题（CSV）", qr.gaps_csv(report), file_name="问题统计_未覆盖.csv",
                       mime="text/csv", key="stats_gaps_csv")
