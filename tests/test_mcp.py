"""The MCP server through the official MCP SDK client over stdio (a real `assistant mcp` process)."""

from __future__ import annotations

import sys

import anyio
import pytest

from tests.api_server import server_env

pytestmark = pytest.mark.slow


def run_client(tmp_path, calls):
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    env = server_env(tmp_path / "index", f"sqlite:///{tmp_path / 's.db'}")
    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant", "mcp"], env=env)

    async def main():
        async with Client(params, read_timeout_seconds=120) as client:
            tools = await client.list_tools()
            results = [await client.call_tool(name, args) for name, args in calls]
            return tools, results

    return anyio.run(main)


def test_tools_are_listed_and_called_over_stdio(tmp_path, corpus):
    tools, results = run_client(tmp_path, [
        ("ask", {"question": "支委会多久开一次？"}),
        ("ask", {"question": "那党小组会呢？", "history": ["支委会多久开一次？"]}),
        ("search_clauses", {"query": "党建经费", "k": 3}),
        ("get_clause", {"clause_id": "HG-21.1"}),
        ("check_figures", {"text": "职工1200人，专职党务人员10人"}),
        ("get_clause", {"clause_id": "HG-999"}),
        ("ask", {"question": "？？？"}),
        ("check_figures", {"text": "今天天气不错"}),
    ])
    assert {t.name for t in tools.tools} == {"ask", "search_clauses", "get_clause", "check_figures"}
    assert all(t.description for t in tools.tools)
    ask, follow, search, clause, check, unknown, empty, nothing = results
    a = ask.structured_content
    assert not ask.is_error and "每月" in a["answer"]
    for c in a["citations"]:
        assert c["quote"] in corpus.get(c["id"]).text and c["verified"] is True
    assert "党小组会" in follow.structured_content["answer"]
    assert len(search.structured_content["hits"]) == 3
    assert clause.structured_content["text"] == corpus.get("HG-21.1").text
    assert check.structured_content["results"][0]["status"] == "fail"
    for bad, word in ((unknown, "HG-999"), (empty, "标点"), (nothing, "没有完成")):
        assert bad.is_error and word in bad.content[0].text


def test_streamable_http_transport(tmp_path):
    import socket
    import subprocess
    import time

    from mcp import Client

    from tests.pg_server import free_port

    port = free_port()
    env = server_env(tmp_path / "index", f"sqlite:///{tmp_path / 's.db'}")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "mcp", "--http", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, "MCP server exited"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)

        async def main():
            async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=120) as client:
                names = {t.name for t in (await client.list_tools()).tools}
                return names, await client.call_tool("get_clause", {"clause_id": "SS-0"})

        names, clause = anyio.run(main)
        assert "ask" in names and clause.structured_content["id"] == "SS-0"
    finally:
        proc.terminate()
        proc.wait(20)
