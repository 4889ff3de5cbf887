"""Verdicts computed by code: statuses, gaps, periods, both documents side by side, bad input."""

import json
from pathlib import Path

import pytest

from assistant.checks import check_figures, check_text
from assistant.checks.evaluate import FULL_YEAR, Period, evaluate_rule, validate_figures
from assistant.checks.rules import load_registry, rule_by_id
from assistant.types import UserInputError

ROOT = Path(__file__).resolve().parent.parent


def verdict(rule_id, figures, periods=None):
    registry = load_registry()
    clean, errors = validate_figures(figures, registry)
    assert not errors
    return evaluate_rule(rule_by_id(rule_id), clean, periods or {}, {}, registry)


@pytest.mark.parametrize("rule_id, figures, status, words", [
    ("full_time_party_worker_ratio", {"employees": 1200, "full_time_party_workers": 10}, "fail", "还差2人"),
    ("full_time_party_worker_ratio", {"employees": 1200, "full_time_party_workers": 12}, "pass", "达标"),
    ("party_committee_on_board_ratio", {"board_members": 9, "party_committee_on_board": 2}, "fail", "还差1人"),
    ("party_funds_ratio_hg", {"payroll": 1e8, "party_funds": 8e5}, "warn", "一般"),
    ("party_funds_ratio_ss", {"payroll": 1e8, "party_funds": 4e5}, "fail", "还差10万元"),
    ("party_funds_ratio_ss", {"payroll": 1e8, "party_funds": 3e6}, "pass", "只设下限"),
    ("branch_secretary_party_age", {"branch_secretary_party_years": 3}, "pass", "达标"),
    ("branch_secretary_party_age", {"branch_secretary_party_years": 2}, "warn", "特殊情况"),
    ("branch_secretary_party_age", {"branch_secretary_party_years": 0.5}, "fail", "特殊情况"),
    ("committee_secretary_party_work_years", {"committee_secretary_party_work_years": 4}, "warn", "还差1年"),
    ("new_secretary_training_deadline", {"new_secretary_training_months": 7}, "warn", "超出1个月"),
    ("platform_admin_change_report_deadline", {"admin_report_months": 2}, "fail", "超出1个月"),
    ("board_size", {"board_members": 11}, "warn", "多2人"),
    ("supervisory_board_size", {"supervisory_board_members": 5}, "pass", "符合"),
    ("post80_team_leader", {"post80_team_leaders": 0}, "warn", "还差1名"),
    ("branch_study_boards", {"study_boards": 0}, "fail", "还差1个"),
    ("joint_branch_threshold", {"full_members": 3, "branch_form": "单独设立"}, "fail", "联合党支部"),
    ("joint_branch_threshold", {"full_members": 4, "branch_form": "单独设立"}, "pass", "超过3人"),
    ("secretary_training_hours", {"secretary_training_hours": 50}, "fail", "还差6学时"),
])
def test_verdicts_and_gaps(rule_id, figures, status, words):
    r = verdict(rule_id, figures).result
    assert r.status == status
    assert words in r.explanation + r.value


@pytest.mark.parametrize("rule_id, count, period, status, words", [
    ("branch_committee_meeting_frequency", 9, FULL_YEAR, "warn", "还需召开3次"),
    ("branch_committee_meeting_frequency", 6, Period(6, "上半年"), "pass", "6个完整的月"),
    ("party_lecture_frequency", 2, Period(9, "截至9月底"), "fail", "还需开展1次"),
    ("integrity_study_frequency_hg", 2, Period(6, "上半年"), "pass", "已达到"),
    ("central_group_study_frequency", 1, Period(1, "每月", rate=True), "pass", "折合每季度3次"),
    ("pairing_activity_frequency", 1, Period(3, "每季度", rate=True), "fail", "折合每季度1次"),
])
def test_periods_scale_the_expected_count_and_say_how(rule_id, count, period, status, words):
    key = rule_by_id(rule_id).input_names[0]
    r = verdict(rule_id, {key: count}, {key: period}).result
    assert (r.status, words in r.explanation) == (status, True), r.explanation


def test_a_period_shorter_than_the_rule_gives_no_verdict_but_a_note():
    out = verdict("integrity_study_frequency_ss", {"integrity_studies": 1},
                  {"integrity_studies": Period(6, "上半年")})
    assert out.result is None and "暂不判断" in out.note


def test_counts_without_a_period_are_taken_as_a_year_and_the_report_says_so():
    report = check_figures({"branch_committee_meetings": 12})
    assert report.results[0].status == "pass"
    assert any("按全年计算" in n for n in report.notes)


def test_both_documents_verdicts_appear_side_by_side():
    report = check_figures({"payroll": 1e8, "party_funds": 6e5, "employees": 1000,
                            "full_time_party_workers": 10, "integrity_studies": 2})
    ids = [r.rule for r in report.results]
    assert ids.index("party_funds_ratio_ss") == ids.index("party_funds_ratio_hg") + 1
    assert ids.index("integrity_study_frequency_ss") == ids.index("integrity_study_frequency_hg") + 1
    statuses = {r.rule: r.status for r in report.results}
    assert (statuses["party_funds_ratio_hg"], statuses["party_funds_ratio_ss"]) == ("warn", "pass")
    assert any("两份标准" in n for n in report.notes)


def test_results_carry_clause_labels(corpus):
    r = check_figures({"employees": 1200, "full_time_party_workers": 10}).results[0]
    assert r.clauses == ("HG-36.1",) and r.labels == (corpus.get("HG-36.1").label,)


def test_report_json_has_exactly_the_issue_keys():
    d = check_text("职工1200人，专职党务人员10人，董事会0人").to_json()
    assert list(d) == ["figures", "results", "errors"]
    assert list(d["results"][0]) == ["rule", "clauses", "status", "value", "requirement", "explanation"]
    assert list(d["errors"][0]) == ["figure", "message"]
    assert d["figures"] == {"employees": 1200, "full_time_party_workers": 10}
    json.dumps(d, ensure_ascii=False)


@pytest.mark.parametrize("figures, bad, words", [
    ({"employees": 0, "full_time_party_workers": 3}, "employees", "为0"),
    ({"employees": -5}, "employees", "负数"),
    ({"board_members": 5, "party_committee_on_board": 7}, "party_committee_on_board", "大于"),
    ({"employees": "很多"}, "employees", "不是数字"),
    ({"employees": True}, "employees", "不是数字"),
    ({"employees": 1.2e12}, "employees", "超出合理范围"),
    ({"branch_committee_meetings": 2.5}, "branch_committee_meetings", "整数"),
    ({"payroll": 1e8, "party_funds": 5e5, "party_funds_ratio": 1.5}, "party_funds", "矛盾"),
    ({"no_such_figure": 3}, "no_such_figure", "未知的数据项"),
])
def test_bad_figures_are_named_and_get_no_verdict(figures, bad, words):
    report = check_figures(figures)
    errors = {e.figure: e.message for e in report.errors}
    assert bad in errors and words in errors[bad]
    assert all(bad not in rule_by_id(r.rule).input_names for r in report.results)


def test_strings_with_numerals_are_read_in_check_figures():
    report = check_figures({"employees": "1.2万", "full_time_party_workers": "一百二十"})
    assert report.results[0].status == "pass" and not report.errors


@pytest.mark.parametrize("bad", [None, [], "职工1200人"])
def test_check_figures_rejects_non_objects(bad):
    with pytest.raises(UserInputError):
        check_figures(bad)


@pytest.mark.parametrize("bad", ["", "   ", "？？？", None])
def test_check_text_rejects_empty_or_meaningless_text(bad):
    with pytest.raises(UserInputError):
        check_text(bad)


def load_eval_set():
    lines = (ROOT / "evals" / "figures_dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("case", load_eval_set(), ids=lambda c: f"{c['split']}:{c['text'][:16]}")
def test_every_verdict_right_on_the_dev_and_held_out_statements(case):
    report = check_text(case["text"])
    assert {r.rule: r.status for r in report.results} == case["expect"]
    assert {e.figure for e in report.errors} == set(case.get("errors", []))
    for key, value in case.get("figures", {}).items():
        assert report.figures[key] == pytest.approx(value)


def test_eval_set_has_a_held_out_slice_with_bad_input():
    cases = load_eval_set()
    held = [c for c in cases if c["split"] == "heldout"]
    assert len(held) >= 20 and any(c.get("errors") for c in held)
