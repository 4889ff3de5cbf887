"""The OpenAI-compatible endpoint through the official openai SDK against a real uvicorn process."""

from __future__ import annotations

import httpx
import pytest

from tests.api_server import ApiServer, server_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    s = ApiServer(server_env(tmp / "index", f"sqlite:///{tmp / 'data' / 'store.db'}"), log=tmp / "server.log")
    yield s.wait()
    s.stop()


@pytest.fixture(scope="module")
def client(server):
    from openai import OpenAI

    return OpenAI(base_url=server.base + "/v1", api_key="unused", max_retries=0, timeout=60)


def assert_true_citations(cits, corpus, content):
    assert cits, "an answer from the standards must carry citations"
    for c in cits:
        clause = corpus.get(c["id"])
        assert clause is not None and clause.is_leaf
        assert c["label"] == clause.label
        assert c["quote"] and c["quote"] in clause.text  # verbatim clause text
        assert c["verified"] is True
        assert c["label"] in content


def test_plain_answer_carries_structured_citations(client, corpus):
    r = client.chat.completions.create(model="standards-assistant",
                                       messages=[{"role": "user", "content": "支委会多久开一次？"}])
    content = r.choices[0].message.content
    assert "每月" in content and r.choices[0].finish_reason == "stop"
    cits = r.model_extra["citations"]
    assert_true_citations(cits, corpus, content)
    assert "HG-21.1" in [c["id"] for c in cits]
    assert r.model_extra["covered"] is True


def test_streamed_answer_ends_with_its_citations(client, corpus):
    plain = client.chat.completions.create(model="standards-assistant",
                                           messages=[{"role": "user", "content": "党建经费按什么比例安排？"}])
    chunks = list(client.chat.completions.create(
        model="standards-assistant", stream=True, messages=[{"role": "user", "content": "党建经费按什么比例安排？"}]))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    assert len(chunks) > 2
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert [c for c in chunks[:-1] if c.model_extra.get("citations")] == []  # only the final chunk
    assert last.model_extra["citations"] == plain.model_extra["citations"]
    assert_true_citations(last.model_extra["citations"], corpus, text)
    assert "1%" in text


def test_follow_up_sent_as_history_is_understood(client, corpus):
    first = client.chat.completions.create(model="standards-assistant",
                                           messages=[{"role": "user", "content": "支委会多久开一次？"}])
    follow = client.chat.completions.create(model="standards-assistant", messages=[
        {"role": "system", "content": "你是助手"},
        {"role": "user", "content": "支委会多久开一次？"},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那党小组会呢？"}])
    content = follow.choices[0].message.content
    assert "党小组会" in content and "每月" in content
    assert follow.model_extra["query"] != "那党小组会呢？"  # rewritten from the history
    assert any("党小组会" in c["quote"] for c in follow.model_extra["citations"])
    alone = client.chat.completions.create(model="standards-assistant",
                                           messages=[{"role": "user", "content": "那党小组会呢？"}])
    assert alone.model_extra["query"] == "那党小组会呢？"


def test_follow_up_by_conversation_id_is_saved(server, client):
    cid = httpx.post(server.base + "/api/conversations", json={"title": "SDK"}, headers={"X-User-Id": "sdk"}).json()["id"]
    for q in ("支委会多久开一次？", "那党小组会呢？"):
        r = client.chat.completions.create(model="standards-assistant-extractive", user="sdk",
                                           messages=[{"role": "user", "content": q}],
                                           extra_body={"conversation_id": cid})
    assert "党小组会" in r.choices[0].message.content and r.model_extra["conversation_id"] == cid
    turns = httpx.get(f"{server.base}/api/conversations/{cid}/turns", headers={"X-User-Id": "sdk"}).json()["turns"]
    assert [t["question"] for t in turns] == ["支委会多久开一次？", "那党小组会呢？"]
    assert turns[1]["citations"] == r.model_extra["citations"]
    # another user cannot continue it
    import openai

    with pytest.raises(openai.NotFoundError, match="会话"):
        client.chat.completions.create(model="standards-assistant", user="other", extra_body={"conversation_id": cid},
                                       messages=[{"role": "user", "content": "支委会多久开一次？"}])


def test_not_covered_question_has_no_citations(client):
    r = client.chat.completions.create(model="standards-assistant",
                                       messages=[{"role": "user", "content": "公司的住房公积金比例是多少？"}])
    assert r.model_extra["covered"] is False and r.model_extra["citations"] == []
    assert "没有找到" in r.choices[0].message.content


def test_models_and_errors_through_the_sdk(client):
    import openai

    assert {m.id for m in client.models.list()} == {"standards-assistant", "standards-assistant-extractive"}
    with pytest.raises(openai.BadRequestError, match="messages"):
        client.chat.completions.create(model="standards-assistant", messages=[])
    with pytest.raises(openai.NotFoundError, match="未知的模型"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "支委会多久开一次？"}])
    with pytest.raises(openai.BadRequestError, match="过长"):
        client.chat.completions.create(model="standards-assistant", messages=[{"role": "user", "content": "党" * 2001}])
    with pytest.raises(openai.BadRequestError, match="最后一条消息"):
        client.chat.completions.create(model="standards-assistant", messages=[{"role": "assistant", "content": "x"}])
    with pytest.raises(openai.BadRequestError, match="为空|标点"):
        client.chat.completions.create(model="standards-assistant", messages=[{"role": "user", "content": "？？"}],
                                       stream=True)


def test_llm_mode_streams_only_the_checked_answer(tmp_path, fake_openai_server, corpus):
    """With an LLM configured (a scripted OpenAI-compatible server standing in for the real model),
    the stream carries the checked answer, never the model's unchecked draft, and ends with citations."""
    from openai import OpenAI

    from tests.fake_openai import ADVERSARIAL

    env = server_env(tmp_path / "index", f"sqlite:///{tmp_path / 's.db'}", ASSISTANT_LLM_BASE_URL=fake_openai_server.url,
                     ASSISTANT_LLM_MODEL="fake-model", ASSISTANT_LLM_TIMEOUT="10")
    s = ApiServer(env, log=tmp_path / "server.log").wait()
    try:
        client = OpenAI(base_url=s.base + "/v1", api_key="x", max_retries=0, timeout=60)
        draft, bad = ADVERSARIAL["weekly_for_monthly"]
        fake_openai_server.replies.append(draft)
        chunks = list(client.chat.completions.create(model="standards-assistant", stream=True,
                                                     messages=[{"role": "user", "content": "支委会多久开一次？"}]))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        cits = chunks[-1].model_extra["citations"]
        assert chunks[-1].model_extra["mode"] in ("llm", "extractive")
        # the draft says 每周 for the clause's 每月 while citing it: that never reaches the client
        assert bad not in text and "每月" in text and cits
        for c in cits:
            if c["verified"]:
                assert c["quote"] in corpus.get(c["id"]).text
        fake_openai_server.replies.append("支委会一般每月召开1次[HG-21.1]。")
        plain = client.chat.completions.create(model="standards-assistant",
                                               messages=[{"role": "user", "content": "支委会多久开一次？"}])
        assert plain.model_extra["mode"] == "llm" and "每月" in plain.choices[0].message.content
        assert_true_citations(plain.model_extra["citations"], corpus, plain.choices[0].message.content)
        n = len(fake_openai_server.requests)
        client.chat.completions.create(model="standards-assistant-extractive",
                                       messages=[{"role": "user", "content": "支委会多久开一次？"}])
        assert len(fake_openai_server.requests) == n  # the extractive model never calls the LLM
    finally:
        s.stop()
