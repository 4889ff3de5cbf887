"""REST routes under /api: ask, retrieve, check, clauses, plan, quiz, conversations, feedback."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from ..types import UserInputError
from .schemas import (AskRequest, AskResponse, CheckRequest, ConversationCreate, ConversationRename, FeedbackRequest,
                      PlanRequest, QuizRequest, RetrieveRequest)

router = APIRouter(prefix="/api", tags=["rest"])

MEDIA = {"md": "text/markdown; charset=utf-8", "json": "application/json; charset=utf-8",
         "csv": "text/csv; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _svc(request: Request):
    return request.app.state.service


def _owner(request: Request) -> str:
    from . import owner_of

    return owner_of(request)


def _unprocessable(message: str) -> UserInputError:
    e = UserInputError(message)
    e.status, e.code = 422, "unusable_input"  # type: ignore[attr-defined]
    return e


def _file(data: bytes, fmt: str, name: str, ascii_name: str) -> Response:
    if fmt == "json":
        return Response(data, media_type=MEDIA["json"])
    disp = f"attachment; filename=\"{ascii_name}.{fmt}\"; filename*=UTF-8''{quote(name + '.' + fmt)}"
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": disp})


@router.post("/ask", response_model=AskResponse, summary="提问：回答并附依据条款")
def ask(body: AskRequest, request: Request):
    r = _svc(request).ask(body.question, conversation_id=body.conversation_id, owner=_owner(request),
                          llm=False if body.extractive else None)
    return r.to_json()


@router.post("/retrieve", summary="只检索：最相关的条款和得分")
def retrieve(body: RetrieveRequest, request: Request):
    hits = _svc(request).retrieve(body.query, k=body.k, doc=body.doc)
    return {"query": body.query.strip(), "hits": [h.to_json() for h in hits]}


@router.post("/check", summary="达标核对：本单位的数字对照标准")
def check(body: CheckRequest, request: Request):
    report = _svc(request).check(text=body.text, figures=body.figures, period=body.period)
    if not report.ran:
        what = "；".join(e.message.rstrip("。") for e in report.errors) or "没有找到可核对的数字"
        raise _unprocessable(f"没有完成任何一项核对：{what}。请写明数据名称和数值，如“职工1200人，专职党务人员10人”。")
    d = report.to_json()
    d["notes"] = list(report.notes)
    return d


@router.get("/clauses", summary="条款列表（可按文档筛选、按关键词或编号查找）")
def clauses(request: Request, doc: str | None = None, q: str | None = None):
    if q is not None and len(q) > 200:
        raise UserInputError(f"查找的关键词过长（{len(q)}字），请控制在200字以内。")
    found = _svc(request).clauses(doc=doc, q=q)
    return {"count": len(found), "clauses": [c.to_json() for c in found]}


@router.get("/clauses/{clause_id}", summary="一个条款（条或款），含各款")
def clause(clause_id: str, request: Request):
    from ..store import NotFound

    try:
        return _svc(request).clause(clause_id)
    except UserInputError as e:
        raise NotFound(str(e)) from None


@router.post("/plan", summary="工作计划（json / md / docx）")
def plan(body: PlanRequest, request: Request):
    from ..plan import validate_format

    fmt = validate_format(body.format)
    svc = _svc(request)
    p = svc.plan(body.unit, body.year, topic=body.topic, profile=body.profile)
    from ..plan import with_header

    p = with_header(p, org=body.org, drafter=body.drafter, date=body.date)
    return _file(svc.render_plan(p, fmt), fmt, p.title, "plan")


@router.post("/quiz", summary="出题（json / md / docx / csv）")
def quiz(body: QuizRequest, request: Request):
    svc = _svc(request)
    fmt = str(body.format).strip().lower()
    fmt = "md" if fmt == "markdown" else fmt
    if fmt not in MEDIA:
        raise UserInputError(f"未知的输出格式“{body.format[:20]}”。可选：json、md、docx、csv。")
    types = ",".join(body.types) if isinstance(body.types, list) else body.types
    qz = svc.quiz(body.count, types=types, doc=body.doc, topic=body.topic, seed=body.seed)
    resp = _file(svc.render_quiz(qz, fmt), fmt, "试卷", "quiz")
    if qz.message:
        resp.headers["X-Assistant-Notice"] = quote(qz.message)
    return resp


# ---------------------------------------------------------------- conversations and feedback


@router.get("/conversations", summary="本用户的会话（最近的在前）")
def list_conversations(request: Request, limit: int = 100, offset: int = 0):
    items = _svc(request).store.list_conversations(_owner(request), limit=limit, offset=offset)
    return {"conversations": [c.to_json() for c in items]}


@router.post("/conversations", status_code=201, summary="新建会话")
def create_conversation(body: ConversationCreate, request: Request):
    return _svc(request).store.create_conversation(_owner(request), body.title).to_json()


@router.get("/conversations/{cid}", summary="会话及其全部轮次（含引用）")
def get_conversation(cid: str, request: Request):
    store, owner = _svc(request).store, _owner(request)
    d = store.get_conversation(cid, owner).to_json()
    d["turns_detail"] = [t.to_json() for t in store.list_turns(cid, owner)]
    return d


@router.patch("/conversations/{cid}", summary="重命名会话")
def rename_conversation(cid: str, body: ConversationRename, request: Request):
    return _svc(request).store.rename_conversation(cid, _owner(request), body.title).to_json()


@router.delete("/conversations/{cid}", status_code=204, summary="删除会话（连同轮次和反馈）")
def delete_conversation(cid: str, request: Request):
    _svc(request).store.delete_conversation(cid, _owner(request))
    return Response(status_code=204)


@router.get("/conversations/{cid}/turns", summary="会话的轮次")
def list_turns(cid: str, request: Request):
    return {"turns": [t.to_json() for t in _svc(request).store.list_turns(cid, _owner(request))]}


@router.post("/feedback", status_code=201, summary="对一轮回答的反馈")
def feedback(body: FeedbackRequest, request: Request):
    return _svc(request).store.add_feedback(body.turn_id, _owner(request), body.rating_value(),
                                            body.comment).to_json()
