"""An MCP server (official `mcp` SDK) with the assistant's tools: search clauses, get a clause, ask
with citations, check figures. `assistant mcp` serves it over stdio (default) or streamable HTTP.

Each tool returns structured JSON; user mistakes come back as a tool error with a Chinese message.
"""

from __future__ import annotations

from typing import Any


def build_server(service=None):
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    from .service import get_service
    from .types import UserInputError

    server = MCPServer("standards-assistant", title="标准助手",
                       instructions="回答国企党建标准（河钢标准、四同步清单）问题，每条结论附依据条款。"
                                    "先用 search_clauses 或 ask，再用 get_clause 查看条款全文。")

    def svc():
        return service or get_service()

    def _run(fn):
        try:
            return fn()
        except UserInputError as e:
            raise ToolError(str(e)) from None

    @server.tool(description="检索与问题最相关的条款（编号、标签、原文、得分）。doc 可选：只在一份文档中检索。")
    def search_clauses(query: str, k: int = 5, doc: str | None = None) -> dict[str, Any]:
        hits = _run(lambda: svc().retrieve(query, k=k, doc=doc))
        return {"query": query.strip(), "hits": [h.to_json() for h in hits]}

    @server.tool(description="按编号取一个条款（如 HG-21.1、HG-21、SS-2.3、SS-0），含各款全文。")
    def get_clause(clause_id: str) -> dict[str, Any]:
        return _run(lambda: svc().clause(clause_id))

    @server.tool(description="提问：返回带条款标签的回答和结构化引用（id、label、quote、verified）。"
                             "history 可选：之前问过的问题（按顺序），用于理解追问。")
    def ask(question: str, history: list[str] | None = None) -> dict[str, Any]:
        def go():
            s = svc()
            turns = s.turns_from_questions(history or [])
            return s.ask(question, history=turns).to_json()

        return _run(go)

    @server.tool(description="达标核对：给出含本单位数字的描述（如“职工1200人，专职党务人员10人”），"
                             "或 figures 数据对象（如 {\"employees\": 1200}），按标准逐条给出 pass/warn/fail 与条款。")
    def check_figures(text: str | None = None, figures: dict[str, Any] | None = None,
                      period: str | None = None) -> dict[str, Any]:
        def go():
            report = svc().check(text=text, figures=figures, period=period)
            if not report.ran:
                what = "；".join(e.message.rstrip("。") for e in report.errors) or "没有找到可核对的数字"
                raise UserInputError(f"没有完成任何一项核对：{what}。")
            return {**report.to_json(), "notes": list(report.notes)}

        return _run(go)

    return server


def run_mcp(transport: str = "stdio", host: str = "127.0.0.1", port: int = 8001) -> int:
    if transport == "stdio":
        build_server().run("stdio")
        return 0
    from .api.serve import validate_serve_args

    host, port, _ = validate_serve_args(host, port, 1)  # named before anything is built
    build_server().run("streamable-http", host=host, port=port)
    return 0
