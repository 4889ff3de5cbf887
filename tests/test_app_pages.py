"""AppTest: the 问答 and 达标自查 pages, driven like a user would (hashing-embedder index, no model)."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app_retriever(monkeypatch, retriever, tmp_path):
    """The app's shared retriever is the session's fake-embedder one (no model load); its
    conversation store is a fresh SQLite file."""
    from assistant.ui import resources

    for var in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_LLM_MODEL", "ASSISTANT_QUESTION_LOG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ASSISTANT_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setattr(resources, "build_retriever", lambda progress: retriever)
    resources.retriever_loader.clear()
    yield retriever
    resources.retriever_loader.clear()


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="chat_input").set_value(question).run()
    assert not at.exception, at.exception
    return at


def last_answer(at: AppTest):
    return at.chat_message[-1]


def expander_labels(block) -> list[str]:
    return [e.label for e in block.expander]


# ---------------------------------------------------------------- chat


def test_empty_chat_offers_examples_and_an_example_asks(app_retriever):
    at = AppTest.from_file(APP, default_timeout=60).run()
    examples = [b for b in at.button if b.key and b.key.startswith("chat_example_")]
    assert len(examples) >= 3
    examples[0].click().run()
    assert not at.exception
    assert at.chat_message[0].markdown[0].value  # the question is shown
    assert any("〔" in label for label in expander_labels(last_answer(at)))
    assert not [b for b in at.button if b.key and b.key.startswith("chat_example_")]


def test_question_cites_the_right_clause_then_follow_up(app_retriever, corpus):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, "支委会多久开一次？")
    answer = last_answer(at)
    label = corpus.get("HG-21.1").label
    assert any(label in lab for lab in expander_labels(answer))
    assert label in answer.markdown[0].value
    # The source card holds the full leaf text with the quoted span highlighted.
    card = next(e for e in answer.expander if label in e.label)
    card_text = "\n".join(m.value for m in card.markdown)
    assert ":orange-background[**" in card_text and "支委会一般每月召开1次" in card_text
    assert "党内组织生活严肃认真" in card.caption[0].value

    ask(at, "那党小组会呢？")
    assert len(at.chat_message) == 4  # both turns kept
    assert label in "".join(expander_labels(last_answer(at)))
    assert "每月" in last_answer(at).markdown[0].value
    assert at.session_state["chat_records"][1][1] == "那党小组会呢？"


def test_download_holds_the_conversation_with_citations(app_retriever, corpus):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, "支委会多久开一次？")
    from assistant.ui.chat_page import _markdown

    md = _markdown(at.session_state["chat_records"])
    assert "支委会多久开一次" in md and corpus.get("HG-21.1").label in md
    # The download button is rendered next to the conversation.
    assert any(getattr(el, "proto", None) is not None and "下载对话" in str(el.proto)
               for el in at.get("download_button"))


def test_not_covered_answer_looks_different(app_retriever):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, "公司食堂的菜单怎么定？")
    answer = last_answer(at)
    assert answer.warning, "a not-covered answer is shown as a warning"
    assert not [e for e in answer.expander if e.label.startswith("📄")]


@pytest.mark.parametrize("bad, message", [
    ("？？？", "只有标点"),
    ("支委会\u200b多久开", "控制字符"),
])
def test_bad_question_gets_a_chinese_message(app_retriever, bad, message):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, bad)
    assert message in last_answer(at).warning[0].value
    assert at.session_state["chat_records"] == []


def test_user_text_is_not_rendered_as_markup(app_retriever):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ask(at, "<b>支委会</b> **多久** [开](javascript:alert(1)) 一次？")
    shown = at.chat_message[0].markdown[0].value
    assert "<b>" not in shown and "\\<b\\>" in shown
    assert "**多久**" not in shown and "](javascript" not in shown


def test_sessions_do_not_share_history(app_retriever):
    first = AppTest.from_file(APP, default_timeout=60).run()
    ask(first, "支委会多久开一次？")
    second = AppTest.from_file(APP, default_timeout=60).run()
    assert "chat_records" not in second.session_state or second.session_state["chat_records"] == []
    assert not second.chat_message
    ask(second, "党委成员进入董事会的比例有什么要求？")
    assert len(first.session_state["chat_records"]) == 1 and len(second.session_state["chat_records"]) == 1
    assert second.session_state["owner"] != first.session_state["owner"]
    assert second.session_state["chat_cid"] != first.session_state["chat_cid"]
    # Each sidebar lists only its own browser's conversation.
    titles = lambda at: [b.label for b in at.sidebar.button if b.key and b.key.startswith("hist_open_")]
    assert titles(first.run()) == ["支委会多久开一次？"]
    assert titles(second) == ["党委成员进入董事会的比例有什么要求？"]


# ---------------------------------------------------------------- checks


def checks_page_alone():
    from assistant.ui import checks_page

    checks_page.render()


@pytest.fixture
def checks_app():
    at = AppTest.from_function(checks_page_alone, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def test_checks_form_gives_verdicts_with_labels(checks_app):
    at = checks_app
    at.number_input(key="checks_fig_employees").set_value(1200)
    at.number_input(key="checks_fig_full_time_party_workers").set_value(5)
    at.number_input(key="checks_fig_board_members").set_value(9)
    at.number_input(key="checks_fig_party_committee_on_board").set_value(3)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    frame = at.table[0].value
    by_req = {row["标准要求"]: row for _, row in frame.iterrows()}
    workers = next(r for req, r in by_req.items() if "专职党务人员" in req)
    assert workers["结论"] == "❌ 不达标" and "还差7人" in workers["说明"]
    assert "〔河钢标准 第36条第1款〕" in workers["依据条款"]
    board = next(r for req, r in by_req.items() if "党委成员进入董事会" in req)
    assert board["结论"] == "✅ 达标" and "〔四同步清单 第2条③〕" in board["依据条款"]
    assert int({m.label: m.value for m in at.metric}["不达标"]) >= 1
    assert at.session_state["checks_report"][0]


def test_checks_free_text_and_empty_form(checks_app):
    at = checks_app
    at.button[0].click().run()
    assert "至少填写一个数字" in at.warning[0].value
    at.text_area(key="checks_text").input("我们单位职工1200人，专职党务人员20人")
    at.button[0].click().run()
    frame = at.table[0].value
    assert "✅ 达标" in set(frame["结论"])


def test_checks_impossible_figures_are_reported(checks_app):
    at = checks_app
    at.number_input(key="checks_fig_board_members").set_value(5)
    at.number_input(key="checks_fig_party_committee_on_board").set_value(8)
    at.button[0].click().run()
    assert not at.exception
    assert any("董事会" in w.value for w in at.warning)


# ---------------------------------------------------------------- LLM mode


def test_llm_mode_streams_then_shows_the_checked_answer(app_retriever, fake_openai_server, monkeypatch, corpus):
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", fake_openai_server.url)
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "fake-model")
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "test-key")
    fake_openai_server.replies.append("支委会一般每月召开1次[HG-21.1]。<b>加粗</b> [点我](javascript:alert(1))")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "大模型" in "\n".join(m.value for m in at.sidebar.markdown)
    ask(at, "支委会多久开一次？")
    answer = last_answer(at)
    label = corpus.get("HG-21.1").label
    assert label in answer.markdown[0].value
    assert "大模型回答" in answer.caption[0].value
    assert any(label in e.label for e in answer.expander)
    assert "<b>" not in answer.markdown[0].value and "](javascript" not in answer.markdown[0].value
    assert fake_openai_server.requests[-1]["stream"] is True


def test_checks_money_is_entered_in_wan_yuan(checks_app):
    at = checks_app
    at.number_input(key="checks_fig_payroll").set_value(1000.0)  # 1000万元
    at.number_input(key="checks_fig_party_funds").set_value(2.0)  # 2万元 = 0.2%
    at.button[0].click().run()
    assert not at.exception, at.exception
    rows = {r["依据条款"]: r for _, r in at.table[0].value.iterrows()}
    budget = rows["〔四同步清单 第12条①〕"]
    assert budget["结论"] == "❌ 不达标" and budget["实际"] == "0.2%" and "还差3万元" in budget["说明"]


def test_checks_free_text_without_words_is_explained(checks_app):
    at = checks_app
    at.text_area(key="checks_text").input("？？？")
    at.button[0].click().run()
    assert not at.exception
    assert "只有标点" in at.warning[0].value and not at.table


def test_a_failed_index_load_is_reported_and_retried(monkeypatch, retriever):
    from assistant.ui import resources

    calls = []

    def flaky(progress):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("磁盘已满")
        return retriever

    monkeypatch.setattr(resources, "build_retriever", flaky)
    resources.retriever_loader.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
        ask(at, "支委会多久开一次？")
        assert "检索索引加载失败" in last_answer(at).error[0].value and "磁盘已满" in last_answer(at).error[0].value
        ask(at, "支委会多久开一次？")
        assert any("〔河钢标准 第21条第1款〕" in e.label for e in last_answer(at).expander)
    finally:
        resources.retriever_loader.clear()
