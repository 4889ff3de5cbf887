"""The conversation store on SQLite and on a real PostgreSQL the test starts itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid

import pytest

from assistant.store import NotFound, StoreError, head_revision, open_store
from assistant.types import Answer, CheckResult, Citation, Turn, UserInputError
from tests.conftest import ROOT
from tests.pg_server import PgCluster, pg_bindir


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory):
    if pg_bindir() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install PostgreSQL (make pg-deps in .ci/run)")
        pytest.skip("需要 Debian 的 PostgreSQL（initdb/pg_ctl）：先运行 make pg-deps")
    cluster = PgCluster(tmp_path_factory.mktemp("pg")).start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'store.db'}"
    return request.getfixturevalue("pg_cluster").create_database("t_" + uuid.uuid4().hex[:12])


def _turn(q: str, n_cits: int = 2, checks=()) -> Turn:
    cits = tuple(Citation(f"HG-{21 + i}.1", f"〔河钢标准 第{21 + i}条第1款〕", f"引文{q}{i}", i % 2 == 0)
                 for i in range(n_cits))
    return Turn(q, q + "（改写）", Answer(f"答：{q}", True, cits, "extractive", "", tuple(checks)))


def test_schema_is_versioned_and_matches_the_tables(db_url):
    from sqlalchemy import inspect

    from assistant.store import schema

    store = open_store(db_url)
    assert store.revision == head_revision() == "0001"
    insp = inspect(store.engine)
    for table in schema.metadata.sorted_tables:
        assert {c["name"] for c in insp.get_columns(table.name)} == {c.name for c in table.columns}
    open_store(db_url).close()  # a second open finds the head and changes nothing
    store.close()


def test_conversations_per_owner(db_url):
    store = open_store(db_url)
    a = store.create_conversation("alice", "支委会")
    b = store.create_conversation("alice")
    store.create_conversation("bob", "别人的")
    assert {c.id for c in store.list_conversations("alice")} == {a.id, b.id}
    assert [c.title for c in store.list_conversations("bob")] == ["别人的"]
    assert store.rename_conversation(a.id, "alice", "  新 标题 ").title == "新 标题"
    with pytest.raises(NotFound):
        store.get_conversation(a.id, "bob")  # another owner's conversation does not exist for bob
    with pytest.raises(NotFound):
        store.rename_conversation(a.id, "bob", "x")
    with pytest.raises(NotFound):
        store.delete_conversation(a.id, "bob")
    with pytest.raises(UserInputError, match="过长"):
        store.rename_conversation(a.id, "alice", "长" * 201)
    store.delete_conversation(a.id, "alice")
    assert [c.id for c in store.list_conversations("alice")] == [b.id]
    with pytest.raises(NotFound):
        store.list_turns(a.id, "alice")


def test_turns_round_trip_with_citations_checks_and_feedback(db_url):
    store = open_store(db_url)
    c = store.create_conversation("alice")
    check = CheckResult("hg-full-time", ("HG-36.1",), "fail", "0.83%", "不低于1%", "还差2人")
    t1 = store.add_turn(c.id, "alice", _turn("支委会多久开一次？", 3, [check]))
    t2 = store.add_turn(c.id, "alice", _turn("那党小组会呢？", 0))
    recs = store.list_turns(c.id, "alice")
    assert [r.id for r in recs] == [t1, t2] and [r.position for r in recs] == [0, 1]
    first = recs[0]
    assert first.question == "支委会多久开一次？" and first.query == "支委会多久开一次？（改写）"
    assert [x.id for x in first.answer.citations] == ["HG-21.1", "HG-22.1", "HG-23.1"]
    assert [x.verified for x in first.answer.citations] == [True, False, True]
    assert first.answer.checks[0].explanation == "还差2人" and first.answer.checks[0].status == "fail"
    assert store.get_conversation(c.id, "alice").title == "支委会多久开一次？"  # titled by the first question
    assert [t.question for t in store.history(c.id, "alice", limit=1)] == ["那党小组会呢？"]
    fb = store.add_feedback(t1, "alice", -1, "引文不对")
    assert [f.id for f in store.list_feedback(turn_id=t1)] == [fb.id]
    with pytest.raises(NotFound):
        store.add_feedback(t1, "bob", 1)
    with pytest.raises(UserInputError, match="评价"):
        store.add_feedback(t1, "alice", 5)
    store.delete_conversation(c.id, "alice")
    assert store.list_feedback(turn_id=t1) == []


def test_two_writers_append_to_one_conversation(db_url):
    store = open_store(db_url)
    c = store.create_conversation("alice")
    errors = []

    def write(tag):
        try:
            for i in range(15):
                store.add_turn(c.id, "alice", _turn(f"{tag}{i}"))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(t,)) for t in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    recs = store.list_turns(c.id, "alice")
    assert [r.position for r in recs] == list(range(30))
    assert all(len(r.answer.citations) == 2 for r in recs)


def test_survives_reopen(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    s1 = open_store(url)
    c = s1.create_conversation("alice")
    tid = s1.add_turn(c.id, "alice", _turn("问"))
    s1.add_feedback(tid, "alice", 1)
    s1.close()
    s2 = open_store(url)
    assert [r.id for r in s2.list_turns(c.id, "alice")] == [tid]
    assert len(s2.list_feedback(turn_id=tid)) == 1


def test_newer_schema_is_refused_and_bad_urls_are_named(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="比本程序新"):
        open_store(url)
    with pytest.raises(StoreError, match="无法识别"):
        open_store("not a url")
    with pytest.raises(StoreError, match="驱动"):
        open_store("nosuchdb://x/y")


WRITER = r"""
import sys, time
from assistant.store import open_store
from assistant.types import Answer, Citation, Turn
url, cid, stall_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(url)
def cits(i):
    for k in range(3):
        if i == stall_at and k == 1:
            print("MID", flush=True)   # the turn row and one citation are written, not committed
            time.sleep(120)
        yield Citation(f"HG-{k + 1}", f"〔河钢标准 第{k + 1}条〕", f"q{i}-{k}", True)
i = 0
while True:
    tid = store.add_turn(cid, "w", Turn(f"q{i}", f"q{i}", Answer("a" * 5000, True, cits(i), "extractive")))
    print("COMMITTED", tid, flush=True)
    i += 1
"""


@pytest.mark.parametrize("stall", [True, False], ids=["mid-transaction", "at-random"])
def test_kill_9_mid_write_loses_nothing_committed_and_leaves_nothing_half_written(db_url, stall):
    store = open_store(db_url)
    c = store.create_conversation("w")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url, c.id, "25" if stall else "-1"],
                            stdout=subprocess.PIPE, text=True, env=env)
    committed = []
    try:
        for line in proc.stdout:
            if line.startswith("COMMITTED"):
                committed.append(int(line.split()[1]))
            if (stall and line.startswith("MID")) or (not stall and len(committed) >= 40):
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert len(committed) >= 25
    store.close()
    store = open_store(db_url)
    recs = store.list_turns(c.id, "w")
    ids = [r.id for r in recs]
    assert set(committed) <= set(ids)  # nothing committed is lost
    assert len(ids) <= len(committed) + 1  # at most the one whose COMMITTED line the kill cut off
    if stall:
        assert ids == committed  # the stalled turn is not there at all
    assert all([x.quote for x in r.answer.citations] == [f"{r.question}-{k}" for k in range(3)] for r in recs)
    with store.engine.connect() as conn:  # no orphan rows from the killed transaction
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM citations WHERE turn_id NOT IN (SELECT id FROM turns)").scalar_one()
        assert orphans == 0
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    # the store keeps working after the crash
    store.add_turn(c.id, "w", _turn("之后"))
    assert store.list_turns(c.id, "w")[-1].position == len(ids)


def test_several_processes_opening_a_fresh_database_migrate_once(db_url):
    """Workers starting together: each checks the schema; one migrates, the others find the head."""
    code = "import sys; from assistant.store import open_store; print(open_store(sys.argv[1]).revision)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [e for _, e in outs]
    assert {o.strip() for o, _ in outs} == {head_revision()}
