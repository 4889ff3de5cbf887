"""The service façade: one orchestration for the CLI, the app, the API and MCP."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.service import AskResult, AssistantService
from assistant.store import NotFound
from assistant.types import UserInputError
from tests.conftest import ROOT


@pytest.fixture
def svc(fake_settings, retriever, tmp_path):
    from dataclasses import replace

    return AssistantService(replace(fake_settings, db_url=f"sqlite:///{tmp_path / 'db.sqlite'}"),
                            retriever=retriever, llm=False)


def test_ask_and_follow_up_by_turns(svc, corpus):
    r = svc.ask("支委会多久开一次？")
    assert r.answer.covered and "每月" in r.answer.text and len(r.turns) == 1
    assert all(c.quote in corpus.get(c.id).text for c in r.answer.citations)
    f = svc.ask("那党小组会呢？", history=r.turns)
    assert "党小组会" in f.answer.text and f.query != "那党小组会呢？" and len(f.turns) == 2
    again = svc.ask("支委会多久开一次？")  # a repeat reuses the extractive answer
    assert again.answer == r.answer and again.turns[-1].question == "支委会多久开一次？"
    assert svc.ask("那党小组会呢？").query == "那党小组会呢？"  # no history, no rewrite


def test_history_from_questions_matches_asking_in_order(svc):
    turns = svc.turns_from_questions(["支委会多久开一次？", "那党小组会呢？"])
    assert [t.question for t in turns] == ["支委会多久开一次？", "那党小组会呢？"]
    assert svc.turns_from_questions(["支委会多久开一次？", "那党小组会呢？"]) is turns  # cached
    assert svc.turns_from_questions(["？？", "支委会多久开一次？"])[-1].question == "支委会多久开一次？"


def test_conversation_id_keeps_turns_in_the_store(svc, fake_settings, retriever):
    cid = svc.store.create_conversation("alice").id
    svc.ask("支委会多久开一次？", conversation_id=cid, owner="alice")
    r = svc.ask("那党小组会呢？", conversation_id=cid, owner="alice")
    assert r.conversation_id == cid and r.turn_id and "党小组会" in r.answer.text
    # a second service (as in another process) continues from the store
    other = AssistantService(svc.settings, retriever=retriever, llm=False)
    r3 = other.ask("这是哪份文件规定的？", conversation_id=cid, owner="alice")
    assert [t.question for t in other.store.history(cid, "alice")][-1] == "这是哪份文件规定的？"
    assert r3.answer.text
    with pytest.raises(NotFound):
        svc.ask("支委会多久开一次？", conversation_id=cid, owner="bob")
    with pytest.raises(UserInputError, match="其中一种"):
        svc.ask("支委会多久开一次？", conversation_id=cid, owner="alice", history=r.turns)


def test_stream_ends_with_the_result(svc):
    items = list(svc.stream("党员大会多久开一次？"))
    assert isinstance(items[-1], AskResult) and items[-1].answer.covered


def test_checks_clauses_plans_quizzes(svc):
    assert svc.check(text="职工1200人，专职党务人员10人").results[0].status == "fail"
    assert svc.check(figures={"employees": 1200, "full_time_party_workers": 12}).results[0].status == "pass"
    with pytest.raises(UserInputError, match="其中一种"):
        svc.check(text="职工1200人", figures={"employees": 1})
    with pytest.raises(UserInputError):
        svc.check(figures={})
    assert svc.clause("HG-21")["children"][0]["id"] == "HG-21.1"
    with pytest.raises(UserInputError, match="相近"):
        svc.clause("HG-210")
    assert all("支委会" in c.text or "支委会" in c.title for c in svc.clauses(q="支委会"))
    assert svc.clauses(q="HG-21") and {c.id for c in svc.clauses(q="HG-21")} <= {"HG-21.1", "HG-21.2", "HG-21.3",
                                                                             "HG-21.4", "HG-21.5", "HG-21"}
    assert svc.render_plan(svc.plan("党支部", 2027), "md").decode().startswith("#")
    assert len(svc.quiz(3, seed=1).items) == 3
    with pytest.raises(UserInputError, match="格式"):
        svc.render_quiz(svc.quiz(1), "pdf")


def test_importing_the_package_stays_cheap():
    code = ("import sys, assistant; assistant.AssistantService; assistant.Answer; "
            "heavy = [m for m in ('torch', 'sentence_transformers', 'chromadb', 'fastapi', 'sqlalchemy', 'mcp') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_serve_and_mcp_commands_name_bad_arguments(capsys, monkeypatch, tmp_path):
    from assistant.cli import main

    assert main(["serve", "--port", "0"]) == 2
    assert "端口" in capsys.readouterr().err
    assert main(["serve", "--workers", "many"]) == 2
    assert "进程数" in capsys.readouterr().err
    monkeypatch.setenv("ASSISTANT_DB_URL", "mysql+nosuchdriver://x/y")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "驱动" in err and "Traceback" not in err
    assert main(["mcp", "--http", "--port", "70000"]) == 2
    assert "端口" in capsys.readouterr().err
