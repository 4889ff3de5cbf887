"""The HTTP side of LLM calls: a usable timeout, and one total deadline per call.

An HTTP client's timeout bounds each connect and each read on its own, so a server that sends a
byte every two seconds keeps a "5 second" call alive for as long as it likes. Here every socket
operation made while a call runs gets at most the time left until that call's deadline, so the
call as a whole (connect, request, every read of the answer or of the stream) ends within its
timeout. The deadline lives in a context variable set around each call (`deadline(seconds)`).
"""

from __future__ import annotations

import contextvars
import math
import time
from contextlib import contextmanager

from .types import UserInputError

# Longest timeout accepted (seconds): larger values are almost certainly a mistake (ms for s).
MAX_TIMEOUT_SECONDS = 600.0
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("llm_deadline", default=None)


def parse_timeout(value: str, name: str = "ASSISTANT_LLM_TIMEOUT") -> float:
    """Seconds from a setting; a named Chinese error for anything unusable (inf, nan, 0, -1, 文字)."""
    from .questions import shown

    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIMEOUT_SECONDS:
        raise UserInputError(
            f"{name} 应为大于 0、不超过 {MAX_TIMEOUT_SECONDS:g} 的秒数（如 30），实际为“{shown(text)}”。"
        )
    return seconds


@contextmanager
def deadline(seconds: float | None):
    """Every network operation inside this block ends by `seconds` from now (None: no deadline)."""
    token = _DEADLINE.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def run_within(deadline_at: float | None, fn):
    """fn() with the absolute deadline `deadline_at` (time.monotonic()) in force."""
    token = _DEADLINE.set(deadline_at)
    try:
        return fn()
    finally:
        _DEADLINE.reset(token)


def _bounded(timeout: float | None, kind: str) -> float | None:
    at = _DEADLINE.get()
    if at is None:
        return timeout
    remaining = at - time.monotonic()
    if remaining <= 0:
        import httpcore

        raise (httpcore.ConnectTimeout if kind == "connect" else httpcore.ReadTimeout)("deadline exceeded")
    return remaining if timeout is None else min(timeout, remaining)


def _deadline_backend(inner):
    import httpcore

    class Stream(httpcore.NetworkStream):
        def __init__(self, stream):
            self._stream = stream

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._stream.read(max_bytes, _bounded(timeout, "read"))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._stream.write(buffer, _bounded(timeout, "write"))

        def close(self) -> None:
            self._stream.close()

        def start_tls(self, ssl_context, server_hostname=None, timeout=None):
            return Stream(self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, "connect")))

        def get_extra_info(self, info: str):
            return self._stream.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            return Stream(inner.connect_tcp(host, port, _bounded(timeout, "connect"), local_address, socket_options))

        def connect_unix_socket(self, path, timeout=None, socket_options=None):
            return Stream(inner.connect_unix_socket(path, _bounded(timeout, "connect"), socket_options))

        def sleep(self, seconds: float) -> None:
            inner.sleep(seconds)

    return Backend()


def deadline_http_client(timeout: float):
    """An httpx.Client whose connections honour the current call's deadline (proxies included)."""
    import httpx

    client = httpx.Client(timeout=timeout)
    transports = [client._transport, *client._mounts.values()]  # noqa: SLF001 (no public hook)
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = _deadline_backend(pool._network_backend)
        elif transport is not None:
            raise RuntimeError("httpx transport without a connection pool: cannot bound LLM calls")
    return client
