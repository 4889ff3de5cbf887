"""Reading figures out of Chinese text: numerals, units, periods, and what must not be guessed."""

import pytest

from assistant.checks import extract_figures, has_figures, parse_number, parse_period
from assistant.types import UserInputError


@pytest.mark.parametrize("span, value", [
    ("1200", 1200), ("1.2万", 12_000), ("3千", 3000), ("2亿", 2e8), ("300万", 3e6), ("5千万", 5e7),
    ("一千二百", 1200), ("两亿", 2e8), ("十二", 12), ("二十", 20), ("两千五", 2500), ("一万二", 12_000),
    ("三点五", 3.5), ("八千万", 8e7), ("一百万", 1e6), ("零", 0), ("1,200", 1200), ("１２００", 1200),
])
def test_parse_number_reads_arabic_and_chinese_numerals(span, value):
    assert parse_number(span) == pytest.approx(value)


@pytest.mark.parametrize("span", ["", "abc", "一二", "万", "十十", "1.2.3", "若干"])
def test_parse_number_refuses_what_is_not_a_number(span):
    assert parse_number(span) is None


@pytest.mark.parametrize("text, expected", [
    ("职工1200人，专职党务人员10人", {"employees": 1200, "full_time_party_workers": 10}),
    ("工资总额两亿元，党建经费300万", {"payroll": 2e8, "party_funds": 3e6}),
    ("今年支委会开了9次", {"branch_committee_meetings": 9}),
    ("董事会9人，其中党委成员2人", {"board_members": 9, "party_committee_on_board": 2}),
    ("中层干部50人，其中80后12人", {"middle_managers": 50, "post80_middle_managers": 12}),
    ("我们单位1200名职工，配了10个专职党务人员，够不够？", {"employees": 1200, "full_time_party_workers": 10}),
    ("党委委员9人，董事会9人，其中党委成员3人",
     {"party_committee_members": 9, "board_members": 9, "party_committee_on_board": 3}),
    ("系统管理员更换后45天才报备", {"admin_report_months": 1.5}),
    ("党支部书记党龄一年半", {"branch_secretary_party_years": 1.5}),
    ("书记培训40小时", {"secretary_training_hours": 40}),
    ("研发投入占销售收入的2.5%", {"rnd_ratio": 2.5}),
    ("正式党员3人，建立了联合党支部", {"full_members": 3, "branch_form": "联合党支部"}),
    ("上年度工资总额5000万元", {"payroll": 5e7}),
    ("党建经费按工资总额的1.5%提取", {"party_funds_ratio": 1.5}),
    ("党支部没有宣传栏", {"study_boards": 0}),
    ("今年没开过民主生活会", {"democratic_life_meetings": 0}),
    ("支委会多久开一次？", {}),
])
def test_extract_figures_from_statements(text, expected):
    got = extract_figures(text).figures
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == (value if isinstance(value, str) else pytest.approx(value)), key


@pytest.mark.parametrize("text, key, months, rate", [
    ("上半年支委会开了5次", "branch_committee_meetings", 6, False),
    ("一季度党员大会开了1次", "member_assembly_meetings", 3, False),
    ("截至9月底中心组学习开了2次", "central_group_studies", 9, False),
    ("前三季度党小组会开了9次", "party_group_meetings", 9, False),
    ("1-8月主题党日8次", "theme_party_days", 8, False),
    ("今年民主生活会1次", "democratic_life_meetings", 12, False),
    ("支委会每月开1次", "branch_committee_meetings", 1, True),
    ("中心组学习每季度2次", "central_group_studies", 3, True),
])
def test_periods_attach_to_the_counts_they_cover(text, key, months, rate):
    period = extract_figures(text).periods[key]
    assert (period.months, period.rate) == (months, rate)


def test_a_count_without_a_period_has_none_recorded():
    assert extract_figures("支委会开了9次").periods == {}


@pytest.mark.parametrize("text, figure", [
    ("职工若干人", "employees"),
    ("职工1200多人", "employees"),
    ("职工约1200人", "employees"),
    ("中层干部有很多人", "middle_managers"),
    ("支委会开了好几次", "branch_committee_meetings"),
    ("党建经费300", "party_funds"),  # no unit: 元? 万元? not guessed
    ("职工1200人，后来又说职工1500人", "employees"),
])
def test_what_cannot_be_read_is_reported_not_guessed(text, figure):
    ex = extract_figures(text)
    assert figure not in ex.figures
    assert figure in {e.figure for e in ex.errors}
    assert all(e.message for e in ex.errors)


def test_a_number_naming_no_known_figure_is_noted_not_used():
    ex = extract_figures("我们有3个党支部")
    assert ex.figures == {}
    assert any("3个" in n for n in ex.notes)


@pytest.mark.parametrize("text, expected", [
    ("我们单位1200名职工，配了10个专职党务人员，够不够？", True),
    ("今年支委会开了9次", True),
    ("职工若干人", True),
    ("支委会多久开一次？", False),
    ("党员大会一般多长时间开一次", False),
    ("入党几年能当支部书记？", False),
    ("HG-21.1 说的是什么", False),
    ("", False),
])
def test_has_figures_tells_questions_with_figures_from_plain_questions(text, expected):
    assert has_figures(text) is expected


@pytest.mark.parametrize("words, months", [("year", 12), ("上半年", 6), ("一季度", 3), ("截至9月底", 9), ("前三季度", 9)])
def test_parse_period(words, months):
    assert parse_period(words).months == months


@pytest.mark.parametrize("words", ["明年", "很久", "上半年和一季度"])
def test_unreadable_period_is_a_user_error(words):
    with pytest.raises(UserInputError, match="统计期"):
        parse_period(words)


@pytest.mark.parametrize("text", [
    "党委委员7到9人里面，专职的该有多少",  # a range: how the requirement is written, not the unit's size
    "新发展党员的那个20%怎么算",  # the standard's figure pointed at
    "党委委员调走了一个，多久要补上",  # a change, not the committee's size
    "建一个标准的党员活动室要多少钱",  # the article before a kind of thing
    "支部书记党龄一般要3年，入党积极分子那段算不算",  # the requirement restated, not the asker's own
    "党务人员要达到职工总数1%，外包的人算进去吗",
    "标准要求每季度1次，线上开行不行",
    "预备期那一年要不要算",  # that year, not a count of one
    "主题党日能跟支委会并成一次开吗",  # two meetings made one, not a tally of one
])
def test_figures_that_are_not_the_units_own_are_not_read(text):
    assert not extract_figures(text).figures


@pytest.mark.parametrize("text,key", [
    ("支部今年只开了一个活动室", "activity_rooms"),
    ("党委委员有7人", "party_committee_members"),
    ("系统管理员更换40天了还没报备", None),
    ("按规定我们支部今年开了3次支委会", "branch_committee_meetings"),  # 规定 at a distance: still the unit's count
])
def test_the_units_own_figures_are_still_read(text, key):
    figs = extract_figures(text).figures
    assert figs and (key is None or key in figs)
