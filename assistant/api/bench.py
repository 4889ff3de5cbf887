"""Warm API latency with concurrent loopback clients, against a real `assistant serve` process.

    python -m assistant.api.bench [--clients 8] [--workers 1] [--requests 400] [--json]

Also registered with `assistant bench` (api_ask_*). Printed, never asserted. The baseline is the
same questions asked in process through the service (no HTTP), one at a time.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

from ..evaluation import percentile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(settings, workers: int, db_url: str):
    import httpx

    port = _free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": settings.index_dir, "ASSISTANT_EMBEDDING_MODEL": settings.embedding_model,
           "ASSISTANT_CORPUS_DIR": settings.corpus_dir, "ASSISTANT_CHROMA_URL": settings.chroma_url,
           "ASSISTANT_DB_URL": db_url, "ASSISTANT_API_KEYS": "", "ASSISTANT_LLM_BASE_URL": ""}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port), "--workers",
                             str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"api server exited: {proc.stderr.read().decode(errors='replace')[-500:]}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("api server did not start")


def measure(settings, questions: list[str], clients: int = 8, workers: int = 1, requests: int = 400,
            path: str = "/api/ask") -> dict:
    import tempfile

    import httpx

    from ..service import AssistantService

    with tempfile.TemporaryDirectory(prefix="assistant-api-bench-") as tmp:
        proc, base = _start(settings, workers, f"sqlite:///{tmp}/bench.db")
        try:
            def body(q):
                if path == "/api/ask":
                    return {"question": q, "extractive": True}
                return {"model": "standards-assistant-extractive", "messages": [{"role": "user", "content": q}]}

            with httpx.Client(base_url=base, timeout=60) as c:  # warm every question once
                for q in questions:
                    c.post(path, json=body(q)).raise_for_status()
            per_client = max(1, requests // clients)
            errors: list[int] = []

            def load(send) -> tuple[list[float], float]:
                times: list[float] = []
                lock = threading.Lock()

                def run(n: int):
                    local = []
                    with httpx.Client(base_url=base, timeout=60) as c:
                        for i in range(per_client):
                            t = time.perf_counter()
                            r = send(c, questions[(n * 7 + i) % len(questions)])
                            local.append((time.perf_counter() - t) * 1000)
                            if r.status_code != 200:
                                errors.append(r.status_code)
                    with lock:
                        times.extend(local)

                started = time.perf_counter()
                threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                return times, time.perf_counter() - started

            # Plain baseline: the same clients on GET /healthz (HTTP + framework, no answering).
            health, _ = load(lambda c, q: c.get("/healthz"))
            times, wall = load(lambda c, q: c.post(path, json=body(q)))
        finally:
            proc.terminate()
            proc.wait(30)
    svc = AssistantService(settings, llm=False)
    svc.ask(questions[0])
    base_times = []
    for q in questions:
        t = time.perf_counter()
        svc.ask(q)
        base_times.append((time.perf_counter() - t) * 1000)
    return {"clients": clients, "workers": workers, "requests": len(times), "errors": len(errors),
            "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "throughput_rps": len(times) / wall,
            "healthz_p50_ms": percentile(health, 50), "healthz_p95_ms": percentile(health, 95),
            "p95_vs_healthz": percentile(times, 95) / max(percentile(health, 95), 1e-9),
            "in_process_p50_ms": percentile(base_times, 50), "in_process_p95_ms": percentile(base_times, 95)}


def bench_api_ask(ctx) -> list[tuple[str, float, str]]:
    """`assistant bench`: /api/ask p50/p95 with 8 concurrent loopback clients (extractive, warm)."""
    from ..bench import dev_queries
    from ..index import ensure_index

    ensure_index(ctx.settings)
    qs = (ctx.queries or dev_queries())[:60]
    r = measure(ctx.settings, qs, clients=8, workers=1, requests=400)
    return [("api_ask_8_clients_p50", r["p50_ms"], "ms"), ("api_ask_8_clients_p95", r["p95_ms"], "ms"),
            ("api_ask_throughput", r["throughput_rps"], "req/s"), ("api_ask_errors", float(r["errors"]), ""),
            ("api_ask_in_process_p95", r["in_process_p95_ms"], "ms"),
            ("api_healthz_8_clients_p95", r["healthz_p95_ms"], "ms"), ("api_ask_p95_vs_healthz", r["p95_vs_healthz"], "x")]


def main(argv=None) -> int:
    import argparse

    from ..bench import dev_queries
    from ..config import get_settings
    from ..index import ensure_index

    p = argparse.ArgumentParser(description="API 延迟基准：多个并发客户端（本机回环）")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--requests", type=int, default=400)
    p.add_argument("--path", default="/api/ask", choices=["/api/ask", "/v1/chat/completions"])
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    settings = get_settings()
    ensure_index(settings)
    r = measure(settings, dev_queries()[:60], a.clients, a.workers, a.requests, a.path)
    if a.json:
        print(json.dumps(r))
    else:
        for k, v in r.items():
            print(f"{k:<22}{v:>10.2f}" if isinstance(v, float) else f"{k:<22}{v:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
