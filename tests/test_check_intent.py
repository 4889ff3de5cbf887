"""A chat question's figures are checked only when they are the unit's own, not the standard's restated."""

import pytest

from assistant.checks import check_text, extract_figures, restated_only
from assistant.checks.rules import RegistryError, load_registry, parse_registry


@pytest.mark.parametrize("question", [
    "党员每年32个学时，是按自然年统计还是按培训年度统计",      # the yearly minimum named to ask about it
    "研发经费占销售收入3%那个指标，技改投入能不能算进研发经费",  # the target share
    "专职党务人员占1%，职工总数是按年初人数还是年末人数算",     # the staffing share
    "书记那56学时里，网上自学最多能折算多少",                   # a bare total beside a yearly rule
])
def test_a_figure_that_restates_the_requirement_is_not_checked(question):
    report = check_text(question)
    assert report.results  # the checks alone would judge it ...
    assert restated_only(question, report)  # ... but the chat leaves them out


@pytest.mark.parametrize("question", [
    "专职党务人员占1%，够不够",                       # the same figure, a check asked for
    "我们支部党课一年排4次，正好一个季度一次，达标不",  # equal per quarter, a check asked for
    "支部书记培训了56学时",                           # a completed act with its count: a tally
    "我们支部党员大会去年全年就开了一次，河钢的节奏是怎样的",  # once a year is not once a quarter
])
def test_the_units_own_figures_are_still_checked(question):
    report = check_text(question)
    assert report.results and not restated_only(question, report)


def test_check_request_words_are_data_validated_at_load():
    assert "够不够" in load_registry().check_requests
    with pytest.raises(RegistryError):
        parse_registry({"check_requests": ["达标", ""]})
    with pytest.raises(RegistryError):
        parse_registry({"check_requests": "达标"})


def test_one_lecture_not_yet_given_is_none():
    ex = extract_figures("我是二级公司副总，今年一次党课还没讲过，年底前必须补上吗")
    assert ex.figures == {"leader_party_lectures": 0.0}


def test_a_figure_after_by_the_requirement_is_the_standards():
    assert extract_figures("我分管三个车间，按要求一年讲1次党课，是要轮流到每个支部讲吗").figures == {}


def test_months_without_a_meeting_are_the_period_of_a_tally_of_none():
    ex = extract_figures("我们车间支部有两个月没开支委会")
    assert ex.figures == {"branch_committee_meetings": 0.0}
    p = ex.periods["branch_committee_meetings"]
    assert p.months == 2 and not p.rate
