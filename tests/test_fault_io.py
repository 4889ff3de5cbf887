"""Fault injection, input and system side: odd number shapes, hostile paths, broken index folders,
killed builds, full disks, FIFOs, huge or control-character arguments, the app's password gate.

Each case has its expected outcome: a Chinese message naming what is wrong (CLI: exit 2, no
traceback, no English), never a confident wrong verdict, nothing half-written left behind.
"""

import os
import re
import signal
import stat
import subprocess
import sys
import time

import pytest

from assistant.checks import check_text
from assistant.config import get_settings
from assistant.types import UserInputError
from tests.conftest import ROOT

ASSISTANT = [sys.executable, "-m", "assistant"]
ENGLISH = re.compile(r"usage:|error:|Traceback|invalid choice|required|unrecognized|Exception ignored|expected one")


def run_cli(*args, env=None, timeout=60, **kw):
    full_env = {**os.environ, "ASSISTANT_DEBUG": "", **(env or {})}
    return subprocess.run([*ASSISTANT, *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=timeout, **kw)


# ---------------------------------------------------------------- figures: odd number shapes


@pytest.mark.parametrize("text, shape", [
    ("职工10^4人，专职党务人员10人", "10^4"),
    ("职工10**4人，专职党务人员10人", "10**4"),
    ("职工10^400人，专职党务人员10人", "10^400"),
    ("职工10⁴人，专职党务人员10人", "10⁴"),
    ("职工1 200人，专职党务人员10人", "1 200"),
    ("职工１　２００人，专职党务人员10人", "1"),
    ("职工1.200.000人，专职党务人员10人", "1.200.000"),
    ("职工1200人，专职党务人员1 0人", "1 0"),
])
def test_unreadable_number_shapes_name_the_figure_and_give_no_verdict(text, shape):
    report = check_text(text)
    assert report.errors, "an unreadable figure must be reported"
    msg = " ".join(e.message for e in report.errors)
    assert shape in msg and ("职工人数" in msg or "专职党务人员" in msg)
    assert not any(r.rule.startswith("full_time_party_worker") for r in report.results)


def test_unreadable_number_in_a_question_gives_no_verdict(retriever):
    from assistant.answer import answer_question

    a = answer_question("我们职工10^4人，专职党务人员10人，够不够？", retriever=retriever, llm=False)
    assert "【达标】" not in a.text and "【不达标】" not in a.text and "10^4" in a.text


# ---------------------------------------------------------------- output paths and batch files


def test_output_onto_a_device_or_fifo_is_refused_and_left_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/null", str(fifo)):
        r = run_cli("plan", "--unit", "党支部", "--year", "2027", "-o", target)
        assert r.returncode == 2 and "不是普通文件" in r.stderr and not ENGLISH.search(r.stderr)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temp file left behind


@pytest.mark.parametrize("make", ["fifo", "/dev/zero", "/dev/null"])
def test_batch_refuses_fifos_and_devices_without_hanging(tmp_path, make):
    path = make
    if make == "fifo":
        path = str(tmp_path / "q.fifo")
        os.mkfifo(path)  # no writer: opening it would block for ever
    t0 = time.monotonic()
    r = run_cli("ask", "--batch", path, timeout=30)
    assert r.returncode == 2 and "不是普通文件" in r.stderr and time.monotonic() - t0 < 30


def test_full_stdout_is_a_chinese_message_and_exit_2():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system to simulate a full disk")
    with open("/dev/full", "w") as full:
        r = subprocess.run([*ASSISTANT, "corpus", "list"], cwd=ROOT, stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=60)
    assert r.returncode == 2 and "标准输出写入失败" in r.stderr and "磁盘已满" in r.stderr
    assert not ENGLISH.search(r.stderr)


def test_closed_pipe_is_quiet():
    p = subprocess.Popen([*ASSISTANT, "corpus", "list"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(60)
    assert not ENGLISH.search(err)


# ---------------------------------------------------------------- arguments: Chinese, short, no controls


@pytest.mark.parametrize("argv", [
    ["plan"],
    ["corpus", "list", "--doc", "XX"],
    ["retrieve", "-k", "abc", "问题"],
    ["corpus", "list", "--bogus"],
    ["nosuchcommand"],
    [],
    ["retrieve", "-k"],
])
def test_argparse_messages_are_chinese(argv):
    r = run_cli(*argv)
    assert r.returncode == 2 and "参数错误" in r.stderr and "用法" in r.stderr
    assert not ENGLISH.search(r.stderr), r.stderr


def test_help_is_chinese():
    r = run_cli("--help")
    assert r.returncode == 0 and "用法" in r.stdout and "显示帮助并退出" in r.stdout
    assert "usage:" not in r.stdout and "show this help" not in r.stdout


LONG = "m" * 100_000


@pytest.mark.parametrize("argv", [
    ["corpus", "show", LONG],
    ["corpus", "list", "--doc", LONG],
    ["quiz", "--doc", LONG],
    ["quiz", "--types", LONG],
    ["retrieve", "问题", "--model", LONG],
    ["check", "职工" + "9" * 5000 + "人"],
    ["ask", LONG],
    ["plan", "--unit", LONG, "--year", "2027", "-o", "x.md"],
    ["plan", "--unit", "党支部", "--year", LONG, "-o", "x.md"],
])
def test_bad_input_is_echoed_short(argv):
    r = run_cli(*argv)
    assert r.returncode == 2, r.stderr[:300]
    assert len(r.stderr) < 600 and "Traceback" not in r.stderr


@pytest.mark.parametrize("argv, option", [
    (["plan", "--unit", "党支部", "--year", "2027", "--profile", "职工\x1b[31m1200人", "-o", "x.md"], "--profile"),
    (["check", "--figures", '{"branch_committee_meetings": 6}', "--period", "上半年\x07"], "--period"),
    (["plan", "--unit", "党支部", "--year", "2027", "-o", "x\r.md"], "--output"),
    (["plan", "--unit", "党支部", "--year", "2027", "--topic", "党员\x7f教育", "-o", "x.md"], "--topic"),
    (["quiz", "--topic", "组织\x1b生活", "-n", "3"], "--topic"),
    (["retrieve", "--doc", "HG", "问题\x08"], "问题"),
])
def test_control_characters_are_refused_in_every_text_option(argv, option, tmp_path):
    r = subprocess.run([*ASSISTANT, *argv], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "控制字符" in r.stderr and option in r.stderr, r.stderr
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_nul_in_an_option_is_refused(capsys):
    from assistant.cli import main

    assert main(["plan", "--unit", "党支部", "--year", "2027", "--topic", "党员\x00教育", "-o", "x.md"]) == 2
    assert "--topic" in capsys.readouterr().err


# ---------------------------------------------------------------- index faults


def _settings(index_dir, **kw):
    return get_settings(index_dir=str(index_dir), embedding_model="hashing:32", dense="auto", chroma_url="", **kw)


def test_empty_index_dir_setting_is_refused_and_writes_nothing(tmp_path, monkeypatch):
    from assistant.index import build_index, ensure_index, index_status

    monkeypatch.chdir(tmp_path)
    for call in (build_index, ensure_index, index_status):
        with pytest.raises(UserInputError, match="ASSISTANT_INDEX_DIR 为空"):
            call(get_settings(index_dir="", embedding_model="hashing:32"))
    assert list(tmp_path.iterdir()) == []
    r = run_cli("index", "build", env={"ASSISTANT_INDEX_DIR": ""})
    assert r.returncode == 2 and "ASSISTANT_INDEX_DIR 为空" in r.stderr


@pytest.mark.parametrize("kind", ["directory", "fifo", "symlink"])
def test_lock_of_the_wrong_type_is_a_named_error(tmp_path, kind):
    from assistant.index import LOCK, build_index

    index_dir = tmp_path / "idx"
    index_dir.mkdir()
    lock = index_dir / LOCK
    {"directory": lock.mkdir, "fifo": lambda: os.mkfifo(lock),
     "symlink": lambda: lock.symlink_to("/dev/null")}[kind]()
    with pytest.raises(UserInputError, match="不是普通文件"):
        build_index(_settings(index_dir))
    assert not list(index_dir.glob("data-*"))


def test_failed_build_leaves_no_data_folder(tmp_path, monkeypatch):
    from assistant import index as index_mod

    index_dir = tmp_path / "idx"
    index_mod.build_index(_settings(index_dir))
    before = sorted(p.name for p in index_dir.glob("data-*"))

    def boom(*a, **k):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(index_mod, "_write_atomic", boom)  # the build fails while writing its manifest
    with pytest.raises(RuntimeError):
        index_mod.build_index(_settings(index_dir))
    assert sorted(p.name for p in index_dir.glob("data-*")) == before
    assert index_mod.index_status(_settings(index_dir))["state"] == "ok"  # the old index still serves


_SLOW_BUILDER = """
import sys, time
from assistant.config import get_settings
from assistant.index import build_index
def progress(message, fraction):
    if fraction > 0.05:
        print("BUILDING", flush=True)
        time.sleep(60)
build_index(get_settings(index_dir=sys.argv[1], embedding_model="hashing:32", dense="auto"), progress=progress)
"""


def test_build_killed_with_sigkill_leaves_a_servable_index_and_orphans_are_removed(tmp_path):
    from assistant.index import build_index, ensure_index, index_status

    index_dir = tmp_path / "idx"
    build_index(_settings(index_dir))
    good = {p.name for p in index_dir.glob("data-*")}
    p = subprocess.Popen([sys.executable, "-c", _SLOW_BUILDER, str(index_dir)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "BUILDING"
    orphans = {q.name for q in index_dir.glob("data-*")} - good
    assert orphans, "the killed build should have started its data folder"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(30)
    assert index_status(_settings(index_dir))["state"] == "ok"  # the previous index is intact
    assert ensure_index(_settings(index_dir)) is not None
    build_index(_settings(index_dir))  # the next build removes the dead build's folder
    assert not orphans & {q.name for q in index_dir.glob("data-*")}


def test_intact_index_is_served_from_a_read_only_directory(tmp_path, monkeypatch):
    """A read-only mount: nothing may be created, locked or written, and the index still opens."""
    from assistant import index as index_mod

    index_dir = tmp_path / "idx"
    index_mod.build_index(_settings(index_dir))
    real_access = os.access

    def read_only(path, mode, *a, **k):
        if mode & os.W_OK and str(path).startswith(str(index_dir)):
            return False
        return real_access(path, mode, *a, **k)

    def no_lock(*a, **k):
        raise AssertionError("a read-only index must not be locked for building")

    monkeypatch.setattr(index_mod.os, "access", read_only)
    monkeypatch.setattr(index_mod, "build_lock", no_lock)
    os.chmod(index_dir, 0o555)
    try:
        opened = index_mod.ensure_index(_settings(index_dir))
        assert opened is not None
        # A stale read-only index cannot be rebuilt: a named error, not a crash.
        with pytest.raises(UserInputError, match="不可写"):
            index_mod.ensure_index(get_settings(index_dir=str(index_dir), embedding_model="hashing:48"))
    finally:
        os.chmod(index_dir, 0o755)


# ---------------------------------------------------------------- app: optional password


def test_app_password_gate(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASSISTANT_APP_PASSWORD", "s3cret-口令")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert not at.chat_input and [t.label for t in at.text_input] == ["访问密码"]
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert not at.chat_input and any("密码不正确" in e.value for e in at.error)


def test_app_errors_show_no_server_paths():
    from assistant.ui.formatting import redact_paths

    msg = redact_paths("索引目录 /srv/app/index/data-2026 不可写：[Errno 13] Permission denied: '/srv/app/index/.build.lock'")
    assert "/srv" not in msg and "data-2026" in msg and ".build.lock" in msg


def test_app_password_lets_the_right_one_in(monkeypatch, retriever):
    from streamlit.testing.v1 import AppTest

    from assistant.ui import resources

    monkeypatch.setenv("ASSISTANT_APP_PASSWORD", "s3cret-口令")
    for var in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(resources, "build_retriever", lambda progress: retriever)
    resources.retriever_loader.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.text_input[0].input("s3cret-口令")
        at.button[0].click().run()
        assert not at.exception, at.exception
        assert at.chat_input and not at.text_input
    finally:
        resources.retriever_loader.clear()
