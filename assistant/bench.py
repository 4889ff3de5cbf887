"""Benchmark: printed numbers, never asserted. Extensible like the evaluation.

Each benchmark is a function `BenchContext -> list[(name, value, unit)]`; other parts add theirs
with `register_benchmark` (answer latency, check latency …). `run_bench` prints them all and
returns the merged dict.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .config import Settings, get_settings
from .evaluation import EVALS_DIR, percentile

Measurement = tuple[str, float, str]


@dataclass
class BenchContext:
    settings: Settings
    queries: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict)

    @property
    def retriever(self):
        from .retrieval import get_retriever

        if "retriever" not in self.cache:
            self.cache["retriever"] = get_retriever(self.settings)
        return self.cache["retriever"]


BENCHMARKS: list[Callable[[BenchContext], list[Measurement]]] = []


def register_benchmark(fn):
    if fn not in BENCHMARKS:
        BENCHMARKS.append(fn)
    return fn


def dev_queries() -> list[str]:
    out = []
    for name in ("retrieval_dev.jsonl", "retrieval_holdout.jsonl"):
        p = EVALS_DIR / name
        if p.exists():
            out += [json.loads(line)["q"] for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _scratch(ctx: BenchContext) -> Path:
    """One scratch folder per bench run for the indexes it builds (the real index is left alone)."""
    if "scratch" not in ctx.cache:
        ctx.cache["scratch_obj"] = tempfile.TemporaryDirectory(prefix="assistant-bench-")
        ctx.cache["scratch"] = Path(ctx.cache["scratch_obj"].name)
    return ctx.cache["scratch"]


def _scratch_settings(ctx: BenchContext, dense: str) -> Settings:
    return replace(ctx.settings, index_dir=str(_scratch(ctx) / f"index-{dense}"), dense=dense)


@register_benchmark
def bench_index_build(ctx: BenchContext) -> list[Measurement]:
    """Full builds into scratch folders: with the settings' dense channel, and with it on / off."""
    from .index import build_index
    from .retrieval.fusion import dense_enabled

    out = []
    served = "on" if dense_enabled(ctx.settings) else "off"
    for dense in ("off", "on"):
        started = time.perf_counter()
        build_index(_scratch_settings(ctx, dense))
        seconds = time.perf_counter() - started
        out.append((f"index_build[dense={dense}]", seconds, "s"))
        if dense == served:
            out.append(("index_build", seconds, "s"))
    return out


COLD_QUESTION = "支委会多久开一次？"

# The plain baseline: jieba + bm25s over the same clause texts, nothing else.
_PLAIN = """
import json, sys
import bm25s, jieba
texts = json.load(open(sys.argv[1], encoding="utf-8"))
bm25 = bm25s.BM25()
bm25.index([jieba.lcut_for_search(t) for t in texts], show_progress=False)
scores = bm25.get_scores(jieba.lcut_for_search(sys.argv[2]))
best = sorted(range(len(texts)), key=lambda i: -scores[i])[:5]
for i in best:
    print(round(float(scores[i]), 3), texts[i][:60])
"""


# Children are started by this small launcher, not by the benchmark process: on Linux a child's
# peak RSS starts at its parent's RSS at fork time, and the benchmark process may hold a model.
_LAUNCHER = """
import json, os, subprocess, sys, tempfile, time
jobs = json.loads(sys.stdin.read())
out = []
for argv, env in jobs:
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        out.append([wall, usage.ru_maxrss / 1024, code, err.read().decode("utf-8", "replace")[-800:]])
        if code != 0:
            break
print(json.dumps(out))
"""


def _children(jobs: list[tuple[list[str], dict]]) -> list[tuple[float, float]]:
    """(wall seconds, peak RSS MB) of each job, run one after another as fresh processes."""
    done = subprocess.run([sys.executable, "-c", _LAUNCHER], input=json.dumps(jobs), capture_output=True,
                          text=True, timeout=1800, env={"PATH": os.environ.get("PATH", "")})
    if done.returncode != 0:
        raise RuntimeError(f"benchmark launcher failed: {done.stderr[-800:]}")
    results = json.loads(done.stdout)
    for (argv, _), (_, _, code, err) in zip(jobs, results):
        if code != 0:
            raise RuntimeError(f"cold-start process {' '.join(argv[1:4])} failed ({code}): {err}")
    return [(wall, rss) for wall, rss, _, _ in results]


def _env(settings: Settings) -> dict:
    return {**os.environ, "ASSISTANT_INDEX_DIR": settings.index_dir,
            "ASSISTANT_EMBEDDING_MODEL": settings.embedding_model, "ASSISTANT_DENSE": settings.dense,
            "ASSISTANT_CORPUS_DIR": settings.corpus_dir, "ASSISTANT_CHROMA_URL": settings.chroma_url}


def _clause_texts_file(ctx: BenchContext) -> Path:
    from .corpus import load_corpus
    from .index import indexed_text

    corpus = load_corpus(ctx.settings.corpus_dir)
    path = _scratch(ctx) / "clauses.json"
    path.write_text(json.dumps([indexed_text(corpus, c) for c in corpus.leaves()], ensure_ascii=False),
                    encoding="utf-8")
    return path


PAIRS = 5


@register_benchmark
def bench_cold_start(ctx: BenchContext) -> list[Measurement]:
    """Fresh processes on a built index: `assistant ask` against a plain jieba + bm25s script over
    the same clause texts, run in interleaved pairs (a ratio holds on a noisy machine); then one
    cold `ask` with the dense channel off and one with it on, for their peak memory."""
    from .index import ensure_index
    from .retrieval.fusion import dense_enabled

    served = "on" if dense_enabled(ctx.settings) else "off"
    settings = {d: _scratch_settings(ctx, d) for d in ("off", "on")}
    for s in settings.values():
        ensure_index(s)  # built by bench_index_build; measure opening, not building
    texts = _clause_texts_file(ctx)
    ask = [sys.executable, "-m", "assistant", "ask", COLD_QUESTION, "--extractive"]
    plain = [sys.executable, "-c", _PLAIN, str(texts), COLD_QUESTION]
    env = _env(settings[served])
    retrieve = [sys.executable, "-m", "assistant", "retrieve", COLD_QUESTION]
    # First one of each to warm the OS file cache (and jieba's own cache file); then the pairs.
    jobs = [(ask, env), (plain, env)] + [(ask, env), (plain, env)] * PAIRS + [(retrieve, env)]
    jobs += [(ask, _env(settings[d])) for d in ("off", "on")]
    runs = _children(jobs)
    pairs = runs[2: 2 + 2 * PAIRS]
    ours, base = [w for w, _ in pairs[0::2]], [w for w, _ in pairs[1::2]]
    ratios = [a / b for a, b in zip(ours, base)]
    out = [("cold_ask", statistics.median(ours), "s"), ("cold_plain_bm25", statistics.median(base), "s"),
           ("cold_ask_ratio_vs_plain_bm25", statistics.median(ratios), "x"),
           ("cold_ask_peak_rss", statistics.median(r for _, r in pairs[0::2]), "MB"),
           ("cold_plain_bm25_peak_rss", statistics.median(r for _, r in pairs[1::2]), "MB"),
           ("cold_retrieve", runs[2 + 2 * PAIRS][0], "s")]
    for d, (wall, peak) in zip(("off", "on"), runs[-2:]):
        out += [(f"cold_ask[dense={d}]", wall, "s"), (f"cold_ask_peak_rss[dense={d}]", peak, "MB")]
    return out


@register_benchmark
def bench_warm_retrieval(ctx: BenchContext) -> list[Measurement]:
    r = ctx.retriever
    queries = ctx.queries or dev_queries()
    for q in queries[:10]:  # warm caches
        r.search(q, k=5)
    times = []
    for _ in range(3):
        for q in queries:
            t = time.perf_counter()
            r.search(q, k=5)
            times.append((time.perf_counter() - t) * 1000)
    return [("warm_retrieval_p50", percentile(times, 50), "ms"), ("warm_retrieval_p95", percentile(times, 95), "ms"),
            ("warm_retrieval_queries", float(len(times)), "")]


@register_benchmark
def bench_checks_latency(ctx: BenchContext) -> list[Measurement]:
    """Compliance checks, warm: check_text (extraction + rules) and check_figures (rules only)."""
    from .checks import bench_checks

    r = bench_checks()
    return [(f"{name}_p{p}", r[name][f"p{p}_ms"], "ms") for name in r for p in (50, 95)]


@register_benchmark
def bench_warm_ask(ctx: BenchContext) -> list[Measurement]:
    """Extractive `ask`, warm: retrieval + coverage + composing."""
    from .answer_eval import bench_warm_ask as measure

    r = measure(ctx.retriever, ctx.queries or dev_queries())
    return [("warm_ask_p50", r["p50"], "ms"), ("warm_ask_p95", r["p95"], "ms")]


@register_benchmark
def bench_app_start(ctx: BenchContext) -> list[Measurement]:
    """`python -m assistant.ui.serve` (what `make run` starts) on a built index, until Streamlit's
    health check answers: the retriever and the answer stage are warm by then (serve.warm_up), so
    the first answer costs a warm ask plus the page's own run. Peak RSS is the server's VmHWM at
    that point, before any browser session (no Chromium here; evals/app_bench.py drives one)."""
    import socket
    import urllib.request

    from .index import ensure_index
    from .retrieval.fusion import dense_enabled

    settings = _scratch_settings(ctx, "on" if dense_enabled(ctx.settings) else "off")
    ensure_index(settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [sys.executable, "-m", "assistant.ui.serve", "--server.port", str(port), "--server.address",
            "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - started > 120:
                raise RuntimeError("the app server did not start")
            time.sleep(0.05)
        ready = time.perf_counter() - started
        status = Path(f"/proc/{proc.pid}/status").read_text()
        hwm = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")),
                   float("nan"))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return [("app_start_to_ready", ready, "s"), ("app_peak_rss_at_ready", hwm, "MB")]


@register_benchmark
def bench_warm_retrieval_dense_on(ctx: BenchContext) -> list[Measurement]:
    """Warm retrieval with the dense channel on (loads the model into this process)."""
    from .retrieval import get_retriever

    r = get_retriever(_scratch_settings(ctx, "on"))
    queries = ctx.queries or dev_queries()
    for q in queries[:10]:
        r.search(q, k=5)
    times = []
    for q in queries:
        t = time.perf_counter()
        r.search(q, k=5)
        times.append((time.perf_counter() - t) * 1000)
    return [("warm_retrieval_p50[dense=on]", percentile(times, 50), "ms"),
            ("warm_retrieval_p95[dense=on]", percentile(times, 95), "ms")]


@register_benchmark
def bench_api(ctx: BenchContext) -> list[Measurement]:
    """The HTTP API: /api/ask with 8 concurrent loopback clients against a real uvicorn process."""
    from .api.bench import bench_api_ask

    return bench_api_ask(ctx)


def run_bench(settings: Settings | None = None, out: Callable[[str], None] = print) -> dict:
    ctx = BenchContext(settings or get_settings())
    results: dict[str, float] = {}
    try:
        for bench in BENCHMARKS:
            for name, value, unit in bench(ctx):
                results[name] = round(value, 4)
                out(f"{name:<36}{value:>10.3f} {unit}")
    finally:
        if "scratch_obj" in ctx.cache:
            ctx.cache["scratch_obj"].cleanup()
    results["peak_rss_mb"] = round(peak_rss_mb(), 1)  # this benchmark process, dense on included
    out(f"{'peak_rss_mb (bench process)':<36}{results['peak_rss_mb']:>10.1f} MB")
    return results
