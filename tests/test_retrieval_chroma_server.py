"""A real `chroma run` on a free loopback port: build and retrieve through the HTTP client."""

import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path):
    if not CHROMA.exists():
        pytest.skip("chroma CLI is not installed in this environment (pip install chromadb)")
    port = _free_port()
    proc = subprocess.Popen([str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port),
                             "--path", str(tmp_path / "chroma-server")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("chroma server did not start")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.slow
def test_retrieval_through_a_chroma_server(chroma_url, fake_settings, tmp_path):
    from assistant.index import ensure_index, index_status
    from assistant.retrieval import HybridRetriever
    from assistant.retrieval.fusion import FusionWeights

    s = replace(fake_settings, index_dir=str(tmp_path / "index"), chroma_url=chroma_url)
    idx = ensure_index(s)
    assert index_status(s)["chroma"] == chroma_url and index_status(s)["state"] == "ok"
    assert not (Path(s.index_dir) / idx.manifest["data_dir"] / "chroma").exists()  # vectors live on the server
    dense_only = HybridRetriever(idx, FusionWeights(lexical=0, item=0, dense=1, dense_floor=0, dense_ceiling=1))
    hits = dense_only.search("党费收缴、民主评议党员、不合格党员处置", k=3)
    assert hits[0].clause.id == "SS-11.3"
    assert HybridRetriever(idx).search("支委会多久开一次？", k=1)[0].clause.id == "HG-21.1"
