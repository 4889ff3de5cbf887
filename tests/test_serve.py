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


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of sockets listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(addr)
    return found


LOOPBACK_V4 = "0100007F"  # 127.0.0.1, little-endian hex


def test_make_run_serves_the_page_on_loopback_only():
    port = free_port()
    proc = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120).strip() == "ok"
        page = wait_http(f"http://127.0.0.1:{port}/", 10)
        assert "<html" in page.lower()
        if os.path.exists("/proc/net/tcp"):
            # Only 127.0.0.1 listens: not 0.0.0.0, not ::, not a LAN address.
            assert listening_addresses(port) == {LOOPBACK_V4}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    # No external-IP lookup and no network URL advertised.
    assert "External URL" not in out and "Network URL" not in out
