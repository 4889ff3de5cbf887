"""Errors as JSON with a Chinese message (OpenAI's error shape, so OpenAI clients show it), the
1 MB body limit and the optional bearer keys. Pure ASGI middleware: nothing is parsed before them."""

from __future__ import annotations

import hashlib
import hmac
import json

MAX_BODY_BYTES = 1_000_000
OPEN_PATHS = ("/healthz",)


def error_body(status: int, message: str, code: str) -> dict:
    kind = "authentication_error" if status == 401 else "invalid_request_error" if status < 500 else "server_error"
    return {"error": {"message": message, "type": kind, "code": code}}


async def _send_json(send, status: int, body: dict, headers=()) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(data)).encode()), *headers]})
    await send({"type": "http.response.body", "body": data})


class GuardMiddleware:
    """Bearer keys (when configured) on every route but /healthz; request bodies over 1 MB refused
    with 413 before the app reads them."""

    def __init__(self, app, keys: tuple[str, ...] = (), max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.keys = tuple(k for k in keys if k)
        self.max_body = max_body

    def _key_tag(self, scope) -> str | None | bool:
        """None: no keys configured; False: refused; else a short tag of the key used."""
        if not self.keys:
            return None
        auth = dict(scope.get("headers") or ()).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = auth.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return False
        for k in self.keys:
            if hmac.compare_digest(k.encode(), token.encode()):
                return hashlib.sha256(k.encode()).hexdigest()[:8]
        return False

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"] not in OPEN_PATHS:
            tag = self._key_tag(scope)
            if tag is False:
                return await _send_json(send, 401, error_body(401, "缺少或无效的 API 密钥：请在请求头中加上 "
                                                                   "Authorization: Bearer <密钥>。", "invalid_api_key"),
                                        [(b"www-authenticate", b"Bearer")])
            scope.setdefault("state", {})["key_tag"] = tag
        headers = dict(scope.get("headers") or ())
        length = headers.get(b"content-length")
        too_big = error_body(413, f"请求体过大：上限为 {self.max_body // 1000} KB（1 MB）。", "body_too_large")
        if length is not None:
            try:
                if int(length) > self.max_body:
                    return await _send_json(send, 413, too_big)
            except ValueError:
                return await _send_json(send, 400, error_body(400, "Content-Length 请求头无效。", "bad_request"))
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        chunks, total = [], 0
        while True:  # read the (chunked) body up to the limit, then hand it on
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body = msg.get("body", b"")
            total += len(body)
            if total > self.max_body:
                return await _send_json(send, 413, too_big)
            chunks.append(body)
            if not msg.get("more_body"):
                break
        data, sent = b"".join(chunks), False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


_PYDANTIC_WORDS = {
    "missing": "缺少必填字段", "string_type": "应为文字", "int_type": "应为整数", "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false", "list_type": "应为数组",
    "dict_type": "应为对象", "model_type": "应为对象", "too_short": "不能为空或过短", "too_long": "过长或条目过多",
    "string_too_long": "过长", "literal_error": "取值不在允许范围内", "extra_forbidden": "是未知字段",
    "json_invalid": "不是合法的 JSON", "json_type": "不是合法的 JSON", "float_type": "应为数字",
    "union_tag_invalid": "类型不对", "model_attributes_type": "应为 JSON 对象（Content-Type: application/json）", "greater_than_equal": "过小", "less_than_equal": "过大",
}


def validation_message(errors) -> str:
    parts = []
    for e in list(errors)[:5]:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body",) and not str(x).startswith(("function-", "list["))]
        where = "请求体" if not loc else f"字段“{'.'.join(loc)}”"
        typ = e.get("type", "")
        if typ in ("json_invalid", "json_type"):
            parts.append("请求体不是合法的 JSON")
            continue
        word = _PYDANTIC_WORDS.get(typ, "不符合要求")
        if typ == "literal_error" and e.get("ctx", {}).get("expected"):
            word += f"（可选：{str(e['ctx']['expected']).replace(' or ', ', ')}）"
        parts.append(f"{where}{word}")
    return "请求格式有误：" + "；".join(dict.fromkeys(parts)) + "。接口说明见 /docs。"
