"""`assistant serve`: the API on uvicorn, loopback by default. Each worker process opens the index,
the model and the store once (in the app's lifespan) before taking requests."""

from __future__ import annotations

import sys

from ..types import UserInputError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def app_factory():
    from . import create_app

    return create_app()


def validate_serve_args(host: object, port: object, workers: object) -> tuple[str, int, int]:
    if not isinstance(host, str) or not host.strip() or any(c.isspace() for c in host.strip()):
        raise UserInputError(f"监听地址无效：{host!r}。默认 127.0.0.1（只在本机可访问）。")
    try:
        p = int(str(port).strip())
    except ValueError:
        raise UserInputError(f"端口应为 1–65535 的整数，收到：{str(port)[:20]}。") from None
    if not 1 <= p <= 65535:
        raise UserInputError(f"端口应为 1–65535 的整数，收到：{p}。")
    try:
        w = int(str(workers).strip())
    except ValueError:
        raise UserInputError(f"进程数 --workers 应为 1–64 的整数，收到：{str(workers)[:20]}。") from None
    if not 1 <= w <= 64:
        raise UserInputError(f"进程数 --workers 应为 1–64 的整数，收到：{w}。")
    return host.strip(), p, w


def run_server(host: str = "127.0.0.1", port: int = 8000, workers: int = 1, log_level: str = "warning") -> int:
    import uvicorn

    from ..config import get_settings
    from ..store import open_store

    host, port, workers = validate_serve_args(host, port, workers)
    settings = get_settings()
    open_store(settings.db_url).close()  # a bad ASSISTANT_DB_URL is named now, not in every worker
    if host not in LOOPBACK and not settings.api_keys.strip():
        print(f"注意：监听 {host} 时其他机器也能访问，且未设置 ASSISTANT_API_KEYS（任何人都可调用）。", file=sys.stderr)
    print(f"标准助手 API：http://{host}:{port}  （接口文档 /docs，OpenAI 兼容地址 http://{host}:{port}/v1）",
          file=sys.stderr, flush=True)
    uvicorn.run("assistant.api.serve:app_factory", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False)
    return 0
