"""AppTest: history in the conversation store, question logging off, and the 问题统计 report
(hashing-embedder index, no model; a fresh SQLite file per test)."""

import csv
import io
import re
from datetime import datetime, timezone

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def db_url(monkeypatch, retriever, tmp_path):
    from assistant.ui import history, resources

    for var in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_LLM_MODEL", "ASSISTANT_QUESTION_LOG"):
        monkeypatch.delenv(var, raising=False)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("ASSISTANT_DB_URL", url)
    monkeypatch.setattr(resources, "build_retriever", lambda progress: retriever)
    resources.retriever_loader.clear()
    yield url
    resources.retriever_loader.clear()
    history._store.clear()


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="chat_input").set_value(question).run()
    assert not at.exception, at.exception
    return at


def sidebar_titles(at: AppTest) -> list[str]:
    return [b.label for b in at.sidebar.button if b.key and b.key.startswith("hist_open_")]


def test_a_new_session_of_the_same_browser_reopens_the_conversation(db_url, corpus):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, "支委会多久开一次？")
    ask(at, "那党小组会呢？")
    owner, cid = at.session_state["owner"], at.session_state["chat_cid"]
    assert re.fullmatch(r"browser:[0-9a-f]{32}", owner) and re.fullmatch(r"[0-9a-f]{32}", cid)
    assert at.query_params["c"] in (cid, [cid])
    assert sidebar_titles(at) == ["支委会多久开一次？"]  # titled by the first question

    # A reload: a new session with the same browser id (cookie) and the address of the conversation.
    again = AppTest.from_file(APP, default_timeout=60)
    again.session_state["owner"] = owner
    again.query_params["c"] = cid
    again.run()
    assert not again.exception
    assert len(again.chat_message) == 4
    label = corpus.get("HG-21.1").label
    assert any(label in e.label for e in again.chat_message[1].expander)  # source cards intact
    # A follow-up still resolves against the stored turns.
    ask(again, "具体是第几条？")
    assert len(again.chat_message) == 6

    # Another browser with the same address sees nothing of it.
    other = AppTest.from_file(APP, default_timeout=60)
    other.query_params["c"] = cid
    other.run()
    assert not other.chat_message and sidebar_titles(other) == []
    assert any("另一个浏览器" in i.value for i in other.info)


def test_new_conversation_rename_and_delete(db_url):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, "支委会多久开一次？")
    first = at.session_state["chat_cid"]
    at.sidebar.button(key="hist_new").click().run()
    assert at.session_state["chat_cid"] is None and not at.chat_message
    ask(at, "党建工作经费按什么比例列支？")
    assert sidebar_titles(at) == ["党建工作经费按什么比例列支？", "支委会多久开一次？"]  # newest first
    at.sidebar.button(key=f"hist_open_{first}").click().run()
    assert at.session_state["chat_cid"] == first and len(at.chat_message) == 2
    at.sidebar.text_input(key=f"hist_title_{first}").input("支委会的频次")
    at.sidebar.button(key="hist_rename").click().run()
    assert sidebar_titles(at) == ["支委会的频次", "党建工作经费按什么比例列支？"]
    at.sidebar.button(key="hist_delete").click().run()
    assert sidebar_titles(at) == ["党建工作经费按什么比例列支？"] and not at.chat_message


def test_logging_off_keeps_nothing_but_the_chat_still_works(db_url, monkeypatch):
    from assistant.store import open_store
    from assistant.store.report import report_rows

    monkeypatch.setenv("ASSISTANT_QUESTION_LOG", "off")
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, "支委会多久开一次？")
    ask(at, "那党小组会呢？")
    assert "每月" in at.chat_message[-1].markdown[0].value  # the follow-up kept its context
    assert any("关闭问题记录" in c.value for c in at.sidebar.caption)
    store = open_store(db_url)
    try:
        assert report_rows(store) == []
        assert store.list_conversations(at.session_state["owner"]) == []
    finally:
        store.close()


def test_report_groups_gaps_by_subject_and_lists_thumbs_down(db_url, retriever, corpus):
    from assistant import question_report as qr
    from assistant.service import AssistantService
    from assistant.store import open_store
    from assistant.store.report import report_rows

    store = open_store(db_url)
    try:
        svc = AssistantService(retriever=retriever, store=store, llm=False)
        cid = store.create_conversation("browser:a").id
        ok = svc.ask("支委会多久开一次？", conversation_id=cid, owner="browser:a")
        for q in ("党小组长任期几年？", "党小组长怎么选？", "公司食堂的菜单怎么定？"):  # one conversation each
            svc.ask(q, conversation_id=store.create_conversation("browser:a").id, owner="browser:a")
        store.add_feedback(ok.turn_id, "browser:a", 1)
        store.add_feedback(ok.turn_id, "browser:a", -1, "👎 没说出席人数")  # the latest counts
        rows = report_rows(store)
    finally:
        store.close()
    report = qr.build_report(rows, corpus)
    assert report.total == 4
    assert report.per_day == ((qr.day_of(datetime.now(timezone.utc)), 4),)
    gap_subjects = {g.subject: g for g in report.gaps}
    assert "公司食堂的菜单怎么定" in gap_subjects
    assert sum(g.count for g in report.gaps) == 3
    topics = dict(report.per_topic)
    assert topics[qr.NOT_COVERED_TOPIC] == 3 and sum(topics.values()) == 4
    assert [r.question for r in report.thumbs_down] == ["支委会多久开一次？"]
    assert report.thumbs_down[0].citations[0][0] == "HG-21.1" and report.thumbs_up == 0
    text = qr.questions_csv(rows, corpus).decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert {r["问题"] for r in parsed} >= {"支委会多久开一次？", "公司食堂的菜单怎么定？"}
    mine = next(r for r in parsed if r["问题"] == "支委会多久开一次？")
    assert mine["评价"] == "没用" and mine["反馈意见"] == "没说出席人数" and "第21条" in mine["依据条款"]
    assert "👎" not in text and "📭" not in text


@pytest.mark.parametrize("answer, subject, aspect", [
    ("两份标准没有规定支委会的人数。\n\n关于支委会……", "支委会", "人数"),
    ("两份标准没有规定党小组长的任期。", "党小组长", "任期"),
    ("两份标准中没有找到关于“党员请假怎么办”的规定。", "党员请假怎么办", ""),
    ("四同步清单没有规定党建经费的具体金额。", "党建经费", "具体金额"),  # one document's not-stated is a gap too
    ("四同步清单中没有找到关于“前置研究”的规定。", "前置研究", ""),
    ("标准里没有这个。", "问题原文", ""),
])
def test_gap_subject(answer, subject, aspect):
    from assistant.question_report import gap_subject

    assert gap_subject(answer, "问题原文") == (subject, aspect)


def test_stats_page_shows_the_report(db_url, retriever):
    from assistant.service import AssistantService
    from assistant.store import open_store
    from tests.conftest import run_page

    store = open_store(db_url)
    try:
        svc = AssistantService(retriever=retriever, store=store, llm=False)
        cid = store.create_conversation("browser:b").id
        r = svc.ask("支委会多久开一次？", conversation_id=cid, owner="browser:b")
        svc.ask("党小组长任期几年？", conversation_id=cid, owner="browser:b")
        store.add_feedback(r.turn_id, "browser:b", -1, "不够具体")
    finally:
        store.close()
    at = run_page("stats_page")
    values = {m.label: m.value for m in at.metric}
    assert values["提问"] == "2" and values["没用"] == "1"
    text = "\n".join(m.value for m in at.markdown)
    assert "支委会多久开一次" in text and "不够具体" in text and "〔河钢标准 第21条第1款〕" in text
    assert len(at.get("download_button")) == 2
    gaps = at.table[1].value
    assert list(gaps["未覆盖的主题"]) == ["党小组长"] and list(gaps["问到的方面"]) == ["任期"]
