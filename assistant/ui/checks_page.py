"""达标自查: a form for the unit's figures and a free-text box; verdicts as a coloured table.

Per-session state: `checks_report` holds the last report so the downloads survive reruns.
"""

from __future__ import annotations

import streamlit as st

from ..types import UserInputError
from .formatting import STATUS_COLOURS, STATUS_TEXT, check_rows, checks_docx, rows_csv, status_counts
from .resources import show_user_error

# The figures most units know by heart, shown first; every other figure is under “更多数字”.
COMMON_FIGURES = (
    "employees", "full_time_party_workers", "payroll", "party_funds",
    "board_members", "party_committee_on_board", "secretary_training_hours", "member_training_hours",
    "branch_committee_meetings", "member_assembly_meetings", "party_group_meetings", "party_lectures",
)
WHOLE_NUMBER_UNITS = ("人", "名", "次", "个", "年", "个月")
PERIODS = {"全年": "year", "半年": "half_year", "一个季度": "quarter", "一个月": "month"}
NOT_GIVEN = "（不填）"
TEXT_EXAMPLE = "例如：我们公司职工1200人，专职党务人员8人，董事会9人，其中党委成员2人；今年上半年支委会开了5次。"


def _figure_input(fig) -> object:
    key = f"checks_fig_{fig.key}"
    if fig.is_text:
        choice = st.selectbox(fig.label, [NOT_GIVEN, "联合党支部", "单独设立"], key=key, help=fig.help)
        return None if choice == NOT_GIVEN else choice
    if fig.unit == "元":  # money is reckoned in 万元 in party work; the checks take 元
        v = st.number_input(f"{fig.label}（万元）", min_value=0.0, value=None, key=key, help=fig.help,
                            format="%.2f", placeholder="不填则不检查")
        return None if v is None else v * 10_000
    label = f"{fig.label}（{fig.unit}）"
    if fig.unit in WHOLE_NUMBER_UNITS:
        return st.number_input(label, min_value=0, step=1, value=None, key=key, help=fig.help,
                               placeholder="不填则不检查")
    return st.number_input(label, min_value=0.0, value=None, key=key, help=fig.help, format="%.2f",
                           placeholder="不填则不检查")


def _figure_grid(figures, columns: int = 2) -> dict:
    """Figures row by row, `columns` to a row, in the given order: related figures are listed next to
    each other (职工人数 then 专职党务人员), and a phone, which stacks the columns of a row, keeps them
    together (a column-major grid would put them a screen apart)."""
    values = {}
    for start in range(0, len(figures), columns):
        cols = st.columns(columns)
        for col, fig in zip(cols, figures[start:start + columns]):
            with col:
                v = _figure_input(fig)
            if v is not None:
                values[fig.key] = v
    return values


def run_checks(figures: dict, period: str | None, text: str):
    """One combined report from the form's figures and the free text (either may be empty)."""
    from ..checks import check_figures, check_text

    results, errors, notes = [], [], []
    if figures:
        report = check_figures(figures, period)
        results += report.results
        errors += report.errors
        notes += report.notes
    if text.strip():
        report = check_text(text)
        results += report.results
        errors += report.errors
        notes += report.notes
    return tuple(results), tuple(errors), tuple(dict.fromkeys(notes))


def _styled(rows):
    import pandas as pd

    frame = pd.DataFrame(rows)
    colour_of = {text: STATUS_COLOURS[status] for status, text in STATUS_TEXT.items()}

    def row_colour(row):
        return [f"background-color: {colour_of.get(row['结论'], 'white')}"] * len(row)

    def one_line(text) -> str:
        # Word joiners keep short cells (verdicts, figures, headers) from breaking mid-word;
        # display only, the downloads keep the plain text.
        return "\u2060".join(str(text)).replace(" ", "\u00a0")

    return (frame.style.apply(row_colour, axis=1)
            .format(one_line, subset=["结论", "实际"])
            .format_index(one_line, axis=1))


def _show_report(results, errors, notes) -> None:
    counts = status_counts(results)
    if results:
        row = st.container(horizontal=True)  # one row on a phone too (columns would stack)
        row.metric("达标", counts["pass"])
        row.metric("提示", counts["warn"])
        row.metric("不达标", counts["fail"])
        rows = check_rows(results)
        # A static table wraps long explanations instead of cutting them off.
        st.table(_styled(rows).hide(axis="index"))
    else:
        st.info("没有得出结论：填写的数字没有对应的标准要求，或还缺少配套的数字（如比例需要同时填写总数）。")
    for e in errors:
        st.warning(e.message, icon="⚠️")
    for n in notes:
        st.caption(n)
    if results:
        rows = check_rows(results, for_file=True)  # files say 达标 / 提示 / 不达标, no emoji
        meta = st.session_state.get("checks_meta", {})
        row = st.container(horizontal=True)
        col_csv = col_docx = row
        col_csv.download_button("⬇️ 下载 CSV", rows_csv(rows), file_name="达标自查结果.csv", mime="text/csv",
                                key="checks_csv")
        from ..export import DOCX_MIME

        col_docx.download_button("⬇️ 下载 Word（DOCX）", checks_docx(rows, notes=notes, **meta),
                                 file_name="达标自查结果.docx", mime=DOCX_MIME, key="checks_docx")


def render() -> None:
    from ..checks import FIGURES

    st.header("达标自查")
    st.caption("填写本单位的数字，或用一段话描述情况，按两份标准逐条给出达标 / 提示 / 不达标的结论和差距。不填的项目不检查。")
    by_key = {f.key: f for f in FIGURES}
    common = [by_key[k] for k in COMMON_FIGURES if k in by_key]
    others = [f for f in FIGURES if f.key not in COMMON_FIGURES]

    with st.form("checks_form"):
        unit_col, date_col = st.columns(2)
        unit_name = unit_col.text_input("单位名称（写入下载的报告）", key="checks_unit", max_chars=60,
                                        placeholder="如：某某公司党委")
        report_date = date_col.date_input("自查日期", key="checks_date", value="today", format="YYYY-MM-DD")
        period_word = st.selectbox("统计期（次数、学时按此折算）", list(PERIODS), key="checks_period")
        st.markdown("**常用数字**")
        figures = _figure_grid(common)
        with st.expander(f"更多数字（{len(others)} 项）"):
            figures |= _figure_grid(others)
        text = st.text_area("也可以用一段话描述本单位情况", key="checks_text", placeholder=TEXT_EXAMPLE,
                            max_chars=2000, height=100)
        submitted = st.form_submit_button("开始自查", type="primary")

    if submitted:
        if not figures and not text.strip():
            st.warning("请至少填写一个数字，或输入一段描述。", icon="✏️")
            st.session_state.pop("checks_report", None)
        else:
            try:
                st.session_state["checks_report"] = run_checks(figures, PERIODS[period_word], text)
                st.session_state["checks_meta"] = {
                    "unit": (unit_name or "").strip(), "period": period_word,
                    "date": f"{report_date.year}年{report_date.month}月{report_date.day}日" if report_date else ""}
            except UserInputError as e:
                show_user_error(e)
                st.session_state.pop("checks_report", None)
    report = st.session_state.get("checks_report")
    if report is not None:
        st.subheader("自查结果")
        _show_report(*report)
