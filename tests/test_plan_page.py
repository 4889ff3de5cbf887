"""AppTest for the 工作计划 page: inputs, preview, downloads, and bad input shown as a warning."""

import pytest
from tests.conftest import run_page


@pytest.fixture
def at():
    return run_page("plan_page")


def test_annual_plan_preview_and_downloads(at):
    at.selectbox(key="plan_unit").set_value("党委")
    at.number_input(key="plan_year").set_value(2027)
    at.text_area(key="plan_profile").set_value("职工1200人，工资总额8000万元")
    at.button[0].click().run()
    assert not at.exception, at.exception
    plan = at.session_state["plan_result"]
    assert plan.title == "党委2027年度党建工作计划" and plan.kind == "annual"
    assert at.subheader[0].value == plan.title
    assert len(at.table) == 2  # 附件1 年度工作安排表 and the month-by-month view
    headings = [m.value for m in at.markdown]
    for h in ("一、指导思想", "二、工作目标", "三、主要任务", "四、保障措施", "年度工作安排表"):
        assert any(h in v for v in headings), h
    files = at.session_state["plan_files"][1]
    assert set(files) == {"docx", "md", "json"}
    assert "8000万元 × 1% = 80万元" in files["md"].decode("utf-8")
    assert not at.warning


def test_topic_plan(at):
    at.text_input(key="plan_topic").set_value("三会一课")
    at.button[0].click().run()
    assert not at.exception, at.exception
    plan = at.session_state["plan_result"]
    assert plan.kind == "topic" and "HG-21.1" in plan.cited_ids()
    assert any("三、主要任务" in m.value for m in at.markdown)


def test_unit_name_drafter_and_date_reach_the_downloads(at):
    import datetime as dt
    import io

    from docx import Document

    at.text_input(key="plan_org").set_value("某某公司第一党支部")
    at.text_input(key="plan_drafter").set_value("张三")
    at.date_input(key="plan_date").set_value(dt.date(2027, 1, 5))
    at.button[0].click().run()
    assert not at.exception, at.exception
    plan = at.session_state["plan_result"]
    assert plan.title == "某某公司第一党支部2027年度党建工作计划" and plan.date == "2027年1月5日"
    doc = Document(io.BytesIO(at.session_state["plan_files"][1]["docx"]))
    assert "某某公司第一党支部" in doc.sections[0].header.paragraphs[0].text
    assert any(p.text == "（拟稿：张三）" for p in doc.paragraphs)


@pytest.mark.parametrize("field,value,message", [
    ("plan_profile", "职工很多人", "职工人数"),
    ("plan_topic", "量子计算", "没有与"),
])
def test_bad_input_is_a_warning_and_nothing_is_kept(at, field, value, message):
    widget = at.text_area(key=field) if field == "plan_profile" else at.text_input(key=field)
    widget.set_value(value)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert message in at.warning[0].value
    assert "plan_result" not in at.session_state
