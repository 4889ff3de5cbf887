"""`assistant check` (exit codes, JSON) and the StructuredTools the LLM mode calls."""

import json

import pytest

from assistant.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_text_json(capsys):
    code, out, _ = run(capsys, "check", "职工1200人，专职党务人员10人", "--json")
    d = json.loads(out)
    assert code == 0
    assert d["results"][0]["rule"] == "full_time_party_worker_ratio"
    assert d["results"][0]["status"] == "fail" and "还差2人" in d["results"][0]["explanation"]


def test_check_figures_json_with_period(capsys):
    code, out, _ = run(capsys, "check", "--figures", '{"branch_committee_meetings": 6}', "--period", "上半年", "--json")
    assert code == 0 and json.loads(out)["results"][0]["status"] == "pass"


def test_check_text_plain_shows_labels(capsys):
    code, out, _ = run(capsys, "check", "工资总额两亿元，党建经费300万")
    assert code == 0 and "〔河钢标准 第37条第1款〕" in out and "〔四同步清单 第12条①〕" in out


@pytest.mark.parametrize("argv, words", [
    (["check", "今天天气不错"], "没有找到可核对的数字"),
    (["check", "职工0人"], "职工人数"),
    (["check", "--figures", "{bad json"], "不是合法的 JSON"),
    (["check", "--figures", "[1, 2]"], "JSON 对象"),
    (["check", "--figures", '{"employees": "abc"}'], "职工人数"),
    (["check", "--figures", '{"employees": 100}', "--period", "明年"], "统计期"),
    (["check"], "请给出要核对的文本"),
    (["check", ""], "为空"),
])
def test_nothing_usable_exits_2_with_a_chinese_message(capsys, argv, words):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert words in err and "Traceback" not in err


def test_list_rules(capsys):
    code, out, _ = run(capsys, "check", "--list-rules", "--json")
    d = json.loads(out)
    assert code == 0 and len(d["rules"]) >= 45 and d["figures"] and d["not_checkable"]
    code, out, _ = run(capsys, "check", "--list-rules")
    assert code == 0 and "branch_committee_meeting_frequency" in out and "employees" in out


def test_tools_have_schemas_and_return_the_report():
    from assistant.checks.tools import get_tools

    tools = {t.name: t for t in get_tools()}
    assert set(tools) == {"check_figures", "check_text", "list_check_figures"}
    assert "figures" in tools["check_figures"].args
    d = tools["check_figures"].invoke({"figures": {"employees": 1200, "full_time_party_workers": 10}})
    assert d["results"][0]["status"] == "fail"
    d = tools["check_text"].invoke({"text": "董事会9人，其中党委成员2人"})
    assert {r["rule"] for r in d["results"]} == {"party_committee_on_board_ratio", "board_size"}
    assert "error" in tools["check_text"].invoke({"text": "   "})
    assert any(f["key"] == "employees" for f in tools["list_check_figures"].invoke({}))


def test_a_scripted_tool_call_runs_through_the_tool():
    """What the LLM mode does: the model emits a tool call; the tool computes the verdict."""
    from langchain_core.messages import AIMessage

    from assistant.checks.tools import get_tools

    msg = AIMessage(content="", tool_calls=[{
        "name": "check_figures", "id": "call_1",
        "args": {"figures": {"board_members": 7, "party_committee_on_board": 3}}}])
    tools = {t.name: t for t in get_tools()}
    result = tools[msg.tool_calls[0]["name"]].invoke(msg.tool_calls[0])
    assert "party_committee_on_board_ratio" in result.content and "pass" in result.content
