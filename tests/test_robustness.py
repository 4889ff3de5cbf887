"""Regression tests from the bad-input sweep: each row is an input that once crashed or was misread.

Only UserInputError (a Chinese message naming the problem) may come out of bad input; the CLI turns
it into exit 2 with no traceback and leaves no file behind. No model is loaded here.
"""

import math

import pytest

from assistant.cli import main
from assistant.types import UserInputError

HUGE_INT = 10**5000  # beyond float range, and str() of it raises


# ---------------------------------------------------------------- echoing user input in messages


@pytest.mark.parametrize("value, expected", [
    ("abc", "abc"),
    ("支" * 100, "支" * 30 + "…"),
    ("a\rb\x07", "a\\u000db\\u0007"),
    ("\u202e", "\\u202e"),
    (5, "5"),
    pytest.param(HUGE_INT, "位数过多的数字", id="huge-int"),
])
def test_shown_is_short_and_printable(value, expected):
    from assistant.questions import shown

    assert shown(value) == expected


@pytest.mark.parametrize("call", [
    lambda: __import__("assistant.corpus", fromlist=["x"]).load_corpus().require("\t\r"),
    lambda: __import__("assistant.checks", fromlist=["x"]).parse_period("\x07某时\r"),
    lambda: __import__("assistant.quiz", fromlist=["x"]).generate_quiz(3, topic="a\rb"),
    lambda: __import__("assistant.plan", fromlist=["x"]).validate_unit("党\r委"),
])
def test_messages_never_echo_raw_control_characters(call):
    with pytest.raises(UserInputError) as e:
        call()
    assert not any(ch in str(e.value) for ch in "\r\t\x07")


# ---------------------------------------------------------------- checks: absurd magnitudes


@pytest.mark.parametrize("value, fragment", [
    pytest.param(HUGE_INT, "数值过大", id="huge-int"),
    (10**30, "超出合理范围"),
    (math.inf, "数值过大"),
    (-math.inf, "负无穷"),
    (math.nan, "不是数字"),
    pytest.param("9" * 5000, "数值过大", id="5000-digit-string"),
])
def test_check_figures_names_absurd_magnitudes(value, fragment):
    from assistant.checks import check_figures

    report = check_figures({"employees": value, "full_time_party_workers": 10})
    messages = [e.message for e in report.errors if e.figure == "employees"]
    assert messages and fragment in messages[0]
    assert not report.ran


@pytest.mark.parametrize("text", ["职工1e400人，专职党务人员10人", "职工1E3人", "党建经费1e4元"])
def test_scientific_notation_is_reported_not_read_as_its_mantissa(text):
    from assistant.checks import extract_figures

    ex = extract_figures(text)
    assert ex.figures.get("employees") != 1.0
    assert any("不是确切数字" in e.message for e in ex.errors)


@pytest.mark.parametrize("figures, fragment", [
    pytest.param('{"employees": ' + "9" * 5000 + "}", "位数过多", id="5000-digit-int"),
    pytest.param('{"a":' * 3000 + "1" + "}" * 3000, "嵌套", id="deep-object"),
    pytest.param("[" * 60000 + "]" * 60000, "嵌套", id="deep-list"),
])
def test_check_cli_rejects_unreadable_figures_json(figures, fragment, capsys):
    assert main(["check", "--figures", figures, "--json"]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


# ---------------------------------------------------------------- plan: profile and year


@pytest.mark.parametrize("profile, fragment", [
    ("职工0人，专职党务人员10人", "为0"),
    ("职工0.5人，专职党务人员0.1人", "应为整数"),
    ("职工100人，专职党务人员200人", "部分不能多于整体"),
    ("职工1e400人，专职党务人员10人", "不是确切数字"),
    ({"employees": HUGE_INT}, "不合理"),
    ({"employees": 0}, "为0"),
    ({"employees": 10, "full_time_party_workers": 20}, "部分不能多于整体"),
])
def test_unusable_profile_is_refused_before_planning(profile, fragment):
    from assistant.plan import build_plan

    with pytest.raises(UserInputError, match=fragment):
        build_plan("党委", 2027, profile=profile)


@pytest.mark.parametrize("year", [pytest.param(HUGE_INT, id="huge-int"), "99999999999999999999", -2027, " 3000 "])
def test_year_far_out_of_range_says_out_of_range(year):
    from assistant.plan import validate_year

    with pytest.raises(UserInputError, match="超出范围"):
        validate_year(year)


# ---------------------------------------------------------------- quiz: arguments of the wrong type


@pytest.mark.parametrize("kwargs", [
    dict(topic=5), dict(topic=b"bytes"), dict(topic=["党课"]),
    dict(doc=5), dict(doc=["HG"]),
    dict(types=5), dict(types=[1, 2]),
])
def test_quiz_arguments_of_the_wrong_type(kwargs):
    from assistant.quiz import generate_quiz

    with pytest.raises(UserInputError):
        generate_quiz(3, **kwargs)


def test_quiz_types_none_means_all_types():
    from assistant.quiz import TYPES, generate_quiz

    assert generate_quiz(8, types=None).types == TYPES


@pytest.mark.parametrize("fmt", [5, None, "", "pdf"])
def test_render_quiz_unknown_format(fmt):
    from assistant.quiz import generate_quiz, render_quiz

    with pytest.raises(UserInputError, match="输出格式"):
        render_quiz(generate_quiz(2), fmt)


# ---------------------------------------------------------------- output paths


@pytest.mark.parametrize("name", [None, 5, "", "  ", "a\0b.md", pytest.param("x" * 300 + ".md", id="name-too-long"),
                                  "sub/", "missing/a.md"])
def test_output_path_that_cannot_be_a_file(tmp_path, monkeypatch, name):
    from assistant.export import check_output_path, write_atomic

    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserInputError):
        check_output_path(name)
    with pytest.raises(UserInputError):
        write_atomic(name, b"data")
    assert list(tmp_path.iterdir()) == []  # nothing half-written, no temp file


@pytest.mark.parametrize("argv", [
    ["plan", "--unit", "党支部", "--year", "2027", "--format", "md", "-o", "{d}/" + "x" * 300 + ".md"],
    ["plan", "--unit", "党支部", "--year", "2027", "--format", "docx", "-o", "{d}/newdir/"],
    ["quiz", "-n", "3", "--format", "md", "-o", "{d}/" + "x" * 300 + ".md"],
])
def test_cli_unusable_output_path_exits_2_and_writes_nothing(tmp_path, capsys, argv):
    assert main([a.replace("{d}", str(tmp_path)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- batch files


@pytest.mark.parametrize("content", [
    pytest.param('{"q": "支委会多久开一次？"}\n{"q":' + "[" * 100000 + "]" * 100000 + "}\n", id="deep-json"),
    pytest.param('{"q": "支委会多久开一次？"}\n{"q": ' + "9" * 5000 + "}\n", id="5000-digit-number"),
])
def test_batch_line_that_json_cannot_read_is_named(tmp_path, content):
    from assistant.questions import read_batch

    f = tmp_path / "q.jsonl"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(UserInputError, match="第2行不是合法的 JSON"):
        read_batch(f)


@pytest.mark.parametrize("content, expected", [
    ("甲？\u2028乙？\n丙？\n", ["甲？\u2028乙？", "丙？"]),  # U+2028 is not a line break in a text file
    ("甲？\r乙？\r", ["甲？", "乙？"]),  # old Mac line ends
    ("甲？\r\n\r\n乙？\r\n", ["甲？", "乙？"]),
])
def test_batch_lines_are_the_files_lines(tmp_path, content, expected):
    from assistant.questions import read_batch

    f = tmp_path / "q.txt"
    f.write_text(content, encoding="utf-8", newline="")
    assert read_batch(f) == expected


def test_batch_bad_json_line_number_counts_real_lines(tmp_path):
    from assistant.questions import read_batch

    f = tmp_path / "q.jsonl"
    f.write_text('{"q": "甲\u2028乙"}\n{"q": 5}\n', encoding="utf-8")
    with pytest.raises(UserInputError, match="第2行"):
        read_batch(f)


# ---------------------------------------------------------------- embedding model setting


@pytest.mark.parametrize("model", ["hashing:0", "hashing:99999999999", "hashing:abc", "hashing:٣"])
def test_bad_hashing_dimension_is_a_user_error(model):
    from assistant.retrieval.dense import make_embedder

    with pytest.raises(UserInputError, match="维数"):
        make_embedder(model)


def test_endless_batch_source_is_refused_without_reading_it_all(tmp_path):
    from assistant.questions import MAX_BATCH_BYTES, read_batch

    with pytest.raises(UserInputError, match="不是普通文件"):
        read_batch("/dev/zero")  # once read whole: the process was killed for memory
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # sparse: no disk used
        f.truncate(MAX_BATCH_BYTES + 10)
    with pytest.raises(UserInputError, match="过大"):
        read_batch(big)
