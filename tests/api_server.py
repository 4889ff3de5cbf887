"""Start the real `assistant serve` (uvicorn) in a subprocess on a loopback port, for API tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.pg_server import free_port


def server_env(index_dir: Path, db_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_LLM_")}
    env.update({"ASSISTANT_INDEX_DIR": str(index_dir), "ASSISTANT_EMBEDDING_MODEL": "hashing:256",
                "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"), "ASSISTANT_DB_URL": db_url, "ASSISTANT_API_KEYS": "",
                "ASSISTANT_CHROMA_URL": "", "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    env.update(extra)
    return env


class ApiServer:
    def __init__(self, env: dict, workers: int = 1, log: Path | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        out = open(log, "wb") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(self.port),
                                      "--workers", str(workers)], env=env, stdout=out, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 180) -> "ApiServer":
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                detail = self.log.read_text(errors="replace")[-2000:] if self.log else ""
                raise RuntimeError(f"server exited with {self.proc.returncode}: {detail}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start in time")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
