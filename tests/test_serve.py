"""`make run` serves the app over HTTP (the README's first command, for real)."""

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read().decode("utf-8", "replace")
        except OSError as e:
            last = e
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout}s: {last}")


def test_make_run_serves_the_page():
    port = free_port()
    proc = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120).strip() == "ok"
        page = wait_http(f"http://127.0.0.1:{port}/", 10)
        assert "<html" in page.lower()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
