"""The HTTP API: OpenAI-compatible chat completions with structured citations, REST, health.

    app = create_app()               # FastAPI; `assistant serve` runs it on uvicorn
    uvicorn assistant.api:create_app --factory

Every route calls the one service façade (assistant.service). fastapi is imported here only.
"""

from __future__ import annotations

from contextlib import asynccontextmanager


def owner_of(request, user: str | None = None) -> str:
    """Conversations belong to the user the client names (X-User-Id header or OpenAI's `user`),
    within the API key used, so two keys never see each other's conversations."""
    from ..store import _owner

    name = user or request.headers.get("x-user-id") or "default"
    name = _owner(name)
    tag = getattr(request.state, "key_tag", None)
    return f"{tag}:{name}" if tag else name


def create_app(service=None, *, api_keys: str | None = None, warm: bool = True):
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from ..service import AssistantService
    from ..store import NotFound
    from ..types import UserInputError
    from .errors import GuardMiddleware, error_body, validation_message
    from .openai_compat import router as openai_router
    from .rest import router as rest_router

    svc = service or AssistantService()
    keys = svc.settings.api_keys if api_keys is None else api_keys

    @asynccontextmanager
    async def lifespan(app):
        if warm:
            svc.warm()
            svc.store  # opens and migrates the store before the first request
        yield

    app = FastAPI(title="标准助手 API", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="国企党建标准问答：每条回答都附依据条款。OpenAI 兼容的 /v1/chat/completions 在回答之外给出"
                              "结构化的 citations（id、label、quote、verified）。")
    app.state.service = svc

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return JSONResponse(error_body(400, validation_message(exc.errors()), "invalid_request"), status_code=400)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return JSONResponse(error_body(404, str(exc), "not_found"), status_code=404)

    @app.exception_handler(UserInputError)
    async def _user_error(request: Request, exc: UserInputError):
        status = getattr(exc, "status", 400)
        return JSONResponse(error_body(status, str(exc), getattr(exc, "code", "invalid_request")),
                            status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        words = {404: "没有这个接口，接口列表见 /docs。", 405: "这个接口不支持该请求方法，见 /docs。"}
        msg = words.get(exc.status_code, exc.detail if isinstance(exc.detail, str) else "请求有误。")
        return JSONResponse(error_body(exc.status_code, msg, "http_error"), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        return JSONResponse(error_body(500, f"内部错误：{type(exc).__name__}。请稍后重试或联系管理员。", "internal_error"),
                            status_code=500)

    @app.get("/healthz", tags=["health"], summary="健康检查（无需密钥）")
    def healthz():
        return {"status": "ok"}

    _offline_docs(app)
    app.include_router(openai_router)
    app.include_router(rest_router)
    app.add_middleware(GuardMiddleware, keys=tuple(k.strip() for k in keys.split(",") if k.strip()))
    return app


def _offline_docs(app) -> None:
    """/docs with Swagger UI served from the installed swagger-ui-bundle package: no CDN, so the
    docs work on an intranet without Internet access."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs/static", StaticFiles(directory=str(swagger_ui_path)), name="swagger-static")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="标准助手 API 文档",
                                   swagger_js_url="/docs/static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/static/swagger-ui.css", swagger_favicon_url="data:,")
