"""The REST routes through httpx against a real uvicorn process: answers, clauses, checks, plans,
quizzes, conversations and feedback (surviving a restart), bad requests, API keys."""

from __future__ import annotations

import io
import json

import httpx
import pytest

from tests.api_server import ApiServer, server_env
from tests.test_store import pg_cluster  # noqa: F401  (fixture: a throwaway PostgreSQL)

pytestmark = pytest.mark.slow

U = {"X-User-Id": "rest-user"}


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rest")
    return tmp, f"sqlite:///{tmp / 'data' / 'store.db'}"


@pytest.fixture(scope="module")
def base(paths):
    tmp, url = paths
    s = ApiServer(server_env(tmp / "index", url), log=tmp / "server.log").wait()
    yield s.base
    s.stop()


def error_of(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    msg = r.json()["error"]["message"]
    assert "Traceback" not in r.text and any("\u4e00" <= ch <= "\u9fff" for ch in msg)
    return msg


def test_ask_retrieve_and_clauses(base, corpus):
    r = httpx.post(base + "/api/ask", json={"question": "支委会多久开一次？"}, timeout=30).json()
    assert r["covered"] and "每月" in r["answer"]
    assert all(c["quote"] in corpus.get(c["id"]).text for c in r["citations"])
    hits = httpx.post(base + "/api/retrieve", json={"query": "党建经费", "k": 3}).json()["hits"]
    assert len(hits) == 3 and hits[0]["score"] >= hits[-1]["score"]
    doc = hits[0]["doc"]
    only = httpx.post(base + "/api/retrieve", json={"query": "党建经费", "k": 3, "doc": doc}).json()["hits"]
    assert {h["doc"] for h in only} == {doc}
    listed = httpx.get(base + "/api/clauses").json()
    assert listed["count"] == len(corpus.leaves())
    assert httpx.get(base + "/api/clauses", params={"q": "支委会"}).json()["count"] >= 1
    one = httpx.get(base + "/api/clauses/hg-21").json()
    assert one["id"] == "HG-21" and [c["id"] for c in one["children"]][:1] == ["HG-21.1"]
    assert "HG-21" in error_of(httpx.get(base + "/api/clauses/HG-210"), 404)


def test_check_plan_and_quiz(base):
    rep = httpx.post(base + "/api/check", json={"text": "职工1200人，专职党务人员10人"}).json()
    assert [r["status"] for r in rep["results"]] == ["fail"]
    rep = httpx.post(base + "/api/check", json={"figures": {"employees": 1200, "full_time_party_workers": 12}}).json()
    assert rep["results"][0]["status"] == "pass"
    assert "没有完成" in error_of(httpx.post(base + "/api/check", json={"text": "今天开了个会"}), 422)
    assert error_of(httpx.post(base + "/api/check", json={"figures": {"employees": -5}}), 422)
    assert "统计期" in error_of(httpx.post(base + "/api/check", json={"figures": {"branch_committee_meetings": 3},
                                                                     "period": "火星年"}), 400)
    plan = httpx.post(base + "/api/plan", json={"unit": "党支部", "year": 2027}, timeout=30).json()
    assert plan["title"].startswith("党支部2027")
    md = httpx.post(base + "/api/plan", json={"unit": "党支部", "year": 2027, "format": "md"}, timeout=30)
    assert md.headers["content-type"].startswith("text/markdown") and "〔" in md.text
    docx = httpx.post(base + "/api/plan", json={"unit": "党委", "year": 2027, "format": "docx"}, timeout=30)
    from docx import Document

    assert any(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    named = httpx.post(base + "/api/plan", json={"unit": "党支部", "year": 2027, "format": "md", "org": "第一党支部",
                                                 "drafter": "张三", "date": "2027-01-05"}, timeout=30)
    assert "第一党支部" in named.text and "【请填写】单位" not in named.text
    assert "日期" in error_of(httpx.post(base + "/api/plan", json={"unit": "党支部", "year": 2027, "date": "明天"}), 400)
    assert "党总支" in error_of(httpx.post(base + "/api/plan", json={"unit": "车间", "year": 2027}), 400)
    q = httpx.post(base + "/api/quiz", json={"count": 3, "seed": 1}).json()
    assert len(q["items"]) == 3 and all(i["clause"] for i in q["items"])
    csv = httpx.post(base + "/api/quiz", json={"count": 3, "seed": 1, "format": "csv"})
    assert csv.content.startswith("\ufeff".encode()) and "attachment" in csv.headers["content-disposition"]
    assert error_of(httpx.post(base + "/api/quiz", json={"count": 0}), 400)
    assert "格式" in error_of(httpx.post(base + "/api/quiz", json={"count": 2, "format": "pdf"}), 400)


def test_bad_requests_get_chinese_4xx(base):
    assert "JSON" in error_of(httpx.post(base + "/api/ask", content=b"{oops",
                                         headers={"content-type": "application/json"}), 400)
    assert "question" in error_of(httpx.post(base + "/api/ask", json={"q": "支委会"}), 400)
    assert "过长" in error_of(httpx.post(base + "/api/ask", json={"question": "党" * 2001}), 400)
    assert "为空" in error_of(httpx.post(base + "/api/ask", json={"question": "  "}), 400)
    assert "1 MB" in error_of(httpx.post(base + "/api/ask", content=b"{" + b" " * 1_100_000 + b"}",
                                         headers={"content-type": "application/json"}), 413)

    def chunked():  # no Content-Length: the limit still holds while reading
        for _ in range(20):
            yield b" " * 100_000

    assert "1 MB" in error_of(httpx.post(base + "/api/ask", content=chunked(),
                                         headers={"content-type": "application/json"}), 413)
    assert "接口" in error_of(httpx.get(base + "/api/nothing"), 404)
    assert error_of(httpx.get(base + "/api/retrieve"), 405)
    assert "k" in error_of(httpx.post(base + "/api/retrieve", json={"query": "党建", "k": 500}), 400)
    assert "文档" in error_of(httpx.post(base + "/api/retrieve", json={"query": "党建", "doc": "XX"}), 400)


def test_conversations_and_feedback(base):
    c = httpx.post(base + "/api/conversations", json={"title": "我的会话"}, headers=U)
    assert c.status_code == 201
    cid = c.json()["id"]
    a1 = httpx.post(base + "/api/ask", json={"question": "支委会多久开一次？", "conversation_id": cid}, headers=U,
                    timeout=30).json()
    a2 = httpx.post(base + "/api/ask", json={"question": "那党小组会呢？", "conversation_id": cid}, headers=U,
                    timeout=30).json()
    assert "党小组会" in a2["answer"] and a2["turn_id"] > a1["turn_id"]
    fb = httpx.post(base + "/api/feedback", json={"turn_id": a2["turn_id"], "rating": "down", "comment": "再详细些"},
                    headers=U)
    assert fb.status_code == 201 and fb.json()["rating"] == -1
    assert error_of(httpx.post(base + "/api/feedback", json={"turn_id": a2["turn_id"], "rating": 1},
                               headers={"X-User-Id": "someone-else"}), 404)
    assert error_of(httpx.post(base + "/api/feedback", json={"turn_id": a2["turn_id"], "rating": 3}, headers=U), 400)
    listed = httpx.get(base + "/api/conversations", headers=U).json()["conversations"]
    assert [x["id"] for x in listed] == [cid] and listed[0]["turns"] == 2
    assert httpx.get(base + "/api/conversations", headers={"X-User-Id": "someone-else"}).json()["conversations"] == []
    r = httpx.patch(f"{base}/api/conversations/{cid}", json={"title": "改名"}, headers=U).json()
    assert r["title"] == "改名"
    full = httpx.get(f"{base}/api/conversations/{cid}", headers=U).json()
    assert [t["question"] for t in full["turns_detail"]] == ["支委会多久开一次？", "那党小组会呢？"]
    tmp = httpx.post(base + "/api/conversations", json={}, headers=U).json()["id"]
    assert httpx.delete(f"{base}/api/conversations/{tmp}", headers=U).status_code == 204
    assert "会话" in error_of(httpx.get(f"{base}/api/conversations/{tmp}", headers=U), 404)
    assert error_of(httpx.post(base + "/api/ask", json={"question": "支委会？", "conversation_id": "nope"}), 404)


def test_conversations_survive_a_restart(base, paths):
    tmp, url = paths
    cid = httpx.post(base + "/api/conversations", json={"title": "重启前"}, headers=U).json()["id"]
    tid = httpx.post(base + "/api/ask", json={"question": "党员大会多久开一次？", "conversation_id": cid}, headers=U,
                     timeout=30).json()["turn_id"]
    httpx.post(base + "/api/feedback", json={"turn_id": tid, "rating": 1}, headers=U)
    second = ApiServer(server_env(tmp / "index", url), log=tmp / "server2.log").wait()  # a second process, same DB
    try:
        turns = httpx.get(f"{second.base}/api/conversations/{cid}/turns", headers=U).json()["turns"]
        assert [t["id"] for t in turns] == [tid] and turns[0]["citations"]
        follow = httpx.post(second.base + "/api/ask", json={"question": "那支委会呢？", "conversation_id": cid},
                            headers=U, timeout=30).json()
        assert "支委会" in follow["answer"]
    finally:
        second.stop()
    from assistant.store import open_store

    assert len(open_store(url).list_feedback(turn_id=tid)) == 1


def test_api_keys_guard_every_route_but_healthz(tmp_path):
    s = ApiServer(server_env(tmp_path / "index", f"sqlite:///{tmp_path / 's.db'}", ASSISTANT_API_KEYS="k-one, k-two"),
                  log=tmp_path / "server.log").wait()
    try:
        assert httpx.get(s.base + "/healthz").status_code == 200
        for path in ("/v1/models", "/api/clauses", "/docs", "/openapi.json"):
            assert "密钥" in error_of(httpx.get(s.base + path), 401)
        assert error_of(httpx.get(s.base + "/v1/models", headers={"Authorization": "Bearer wrong"}), 401)
        ok = httpx.get(s.base + "/v1/models", headers={"Authorization": "Bearer k-two"})
        assert ok.status_code == 200
        from openai import OpenAI

        r = OpenAI(base_url=s.base + "/v1", api_key="k-one", max_retries=0).chat.completions.create(
            model="standards-assistant", messages=[{"role": "user", "content": "支委会多久开一次？"}])
        assert r.model_extra["citations"]
        # conversations are per key: the same user name under another key sees nothing
        h1 = {"Authorization": "Bearer k-one", **U}
        h2 = {"Authorization": "Bearer k-two", **U}
        httpx.post(s.base + "/api/conversations", json={"title": "一号密钥"}, headers=h1)
        assert len(httpx.get(s.base + "/api/conversations", headers=h1).json()["conversations"]) == 1
        assert httpx.get(s.base + "/api/conversations", headers=h2).json()["conversations"] == []
    finally:
        s.stop()


def test_openapi_documents_the_routes(base):
    spec = httpx.get(base + "/openapi.json").json()
    for p in ("/v1/chat/completions", "/v1/models", "/api/ask", "/api/retrieve", "/api/check", "/api/clauses",
              "/api/clauses/{clause_id}", "/api/plan", "/api/quiz", "/api/conversations", "/api/feedback", "/healthz"):
        assert p in spec["paths"], p
    docs = httpx.get(base + "/docs")
    assert docs.status_code == 200 and "/docs/static/swagger-ui-bundle.js" in docs.text
    assert "http://" not in docs.text and "https://" not in docs.text  # no CDN: works offline
    js = httpx.get(base + "/docs/static/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert json.dumps(spec, ensure_ascii=False).count("citations") >= 1


def test_two_api_processes_share_one_postgresql(tmp_path, pg_cluster):
    url = pg_cluster.create_database("api_two_processes")
    a = ApiServer(server_env(tmp_path / "index", url), log=tmp_path / "a.log")
    b = ApiServer(server_env(tmp_path / "index", url), log=tmp_path / "b.log")
    try:
        a.wait(), b.wait()
        cid = httpx.post(a.base + "/api/conversations", json={}, headers=U).json()["id"]
        httpx.post(a.base + "/api/ask", json={"question": "支委会多久开一次？", "conversation_id": cid}, headers=U,
                   timeout=30).raise_for_status()
        follow = httpx.post(b.base + "/api/ask", json={"question": "那党小组会呢？", "conversation_id": cid},
                            headers=U, timeout=30).json()
        assert "党小组会" in follow["answer"]
        turns = httpx.get(f"{a.base}/api/conversations/{cid}/turns", headers=U).json()["turns"]
        assert [t["question"] for t in turns] == ["支委会多久开一次？", "那党小组会呢？"]
    finally:
        a.stop()
        b.stop()
