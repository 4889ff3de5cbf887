"""POST /v1/chat/completions and GET /v1/models in the OpenAI format.

The message content is the answer with its 〔labels〕; the body also carries a top-level `citations`
list (id, label, quote, verified), in the plain response and in the final streamed chunk before
[DONE]. Follow-ups: the earlier user messages the client sends are the conversation's history (as
OpenAI clients send it), or `conversation_id` names a conversation kept in the store.
"""

from __future__ import annotations

import json
import re
import time
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from ..service import AskResult, citation_json
from ..types import UserInputError
from .schemas import ChatRequest

router = APIRouter(tags=["openai"])

MODELS = {
    "standards-assistant": "按服务配置回答（配置了大模型时用大模型并核查引用，否则抽取式）",
    "standards-assistant-extractive": "只用抽取式回答（条款原话 + 标签）",
}
_STARTED = int(time.time())


def _bad(message: str, status: int = 400, code: str = "invalid_request") -> UserInputError:
    e = UserInputError(message)
    e.status, e.code = status, code  # type: ignore[attr-defined]
    return e


@router.get("/v1/models", summary="可用模型（OpenAI 格式）")
def list_models():
    return {"object": "list", "data": [{"id": m, "object": "model", "created": _STARTED, "owned_by": "assistant",
                                        "description": d} for m, d in MODELS.items()]}


def _prepare(req: ChatRequest, request: Request):
    from . import owner_of

    if req.model not in MODELS:
        raise _bad(f"未知的模型“{req.model[:40]}”，可用：{'、'.join(MODELS)}（见 /v1/models）。", 404, "model_not_found")
    last = req.messages[-1]
    if last.role != "user":
        raise _bad("最后一条消息应是用户的问题（role 为 user）。")
    question = last.text()
    if not question.strip():
        raise _bad("最后一条用户消息为空，请输入要查询的问题。")
    llm = False if req.model.endswith("-extractive") else None
    owner = owner_of(request, req.user)
    svc = request.app.state.service
    history = ()
    if req.conversation_id is None:
        earlier = [m.text() for m in req.messages[:-1] if m.role == "user" and m.text().strip()]
        history = svc.turns_from_questions(earlier)
    return svc, dict(conversation_id=req.conversation_id, owner=owner, history=history, llm=llm), question


def _extra(r: AskResult) -> dict:
    d = {"citations": [citation_json(c) for c in r.answer.citations], "covered": r.answer.covered,
         "mode": r.answer.mode, "query": r.query}
    if r.answer.notice:
        d["notice"] = r.answer.notice
    if r.answer.checks:
        d["checks"] = [c.to_json() for c in r.answer.checks]
    if r.conversation_id is not None:
        d["conversation_id"], d["turn_id"] = r.conversation_id, r.turn_id
    return d


def _usage(question: str, answer: str) -> dict:
    return {"prompt_tokens": len(question), "completion_tokens": len(answer),
            "total_tokens": len(question) + len(answer)}


@router.post("/v1/chat/completions", summary="带引用的回答（OpenAI 格式；stream=true 时为 SSE）")
def chat_completions(req: ChatRequest, request: Request):
    svc, kwargs, question = _prepare(req, request)
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if not req.stream:
        r = svc.ask(question, **kwargs)
        return {"id": cid, "object": "chat.completion", "created": created, "model": req.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": r.answer.text},
                             "finish_reason": "stop", "logprobs": None}],
                "usage": _usage(question, r.answer.text), **_extra(r)}
    items = svc.stream(question, **kwargs)
    # The answer is computed before the stream opens, so a bad request is a 4xx, not a broken stream.
    # Only the final, checked answer is sent (an LLM's unchecked preview never reaches the client).
    final = next(x for x in items if isinstance(x, AskResult))
    return StreamingResponse(_sse(cid, created, req.model, final), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


_PIECE = re.compile(r"[^。；！？\n]*[。；！？\n]?")


def _sse(cid: str, created: int, model: str, r: AskResult):
    def chunk(delta: dict, finish=None, **extra) -> str:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in _PIECE.findall(r.answer.text):
        if piece:
            yield chunk({"content": piece})
    yield chunk({}, "stop", usage=_usage(r.question, r.answer.text), **_extra(r))
    yield "data: [DONE]\n\n"
