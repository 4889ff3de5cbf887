"""Benchmark: printed numbers, never asserted. Extensible like the evaluation.

Each benchmark is a function `BenchContext -> list[(name, value, unit)]`; other parts add theirs
with `register_benchmark` (answer latency, check latency …). `run_bench` prints them all and
returns the merged dict.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
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


@register_benchmark
def bench_index_build(ctx: BenchContext) -> list[Measurement]:
    """A full build into a scratch directory (the real index is left alone)."""
    from .index import build_index

    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        s = replace(ctx.settings, index_dir=tmp)
        started = time.perf_counter()
        build_index(s)
        return [("index_build", time.perf_counter() - started, "s")]


_COLD = """
import time, json, sys
t = time.perf_counter()
from assistant.retrieval import get_retriever
r = get_retriever()
r.search(sys.argv[1], k=5)
print(json.dumps({"seconds": time.perf_counter() - t}))
"""


@register_benchmark
def bench_cold_start(ctx: BenchContext) -> list[Measurement]:
    """A fresh process: import, open the (built) index, load the model, answer one query."""
    from .index import ensure_index

    ensure_index(ctx.settings)  # measure opening, not building
    env = {**os.environ, "ASSISTANT_INDEX_DIR": ctx.settings.index_dir,
           "ASSISTANT_EMBEDDING_MODEL": ctx.settings.embedding_model,
           "ASSISTANT_CORPUS_DIR": ctx.settings.corpus_dir, "ASSISTANT_CHROMA_URL": ctx.settings.chroma_url}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _COLD, "支委会多久开一次？"], env=env, capture_output=True,
                         text=True, timeout=300)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"cold-start process failed: {out.stderr[-500:]}")
    inner = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
    return [("cold_start_first_retrieval", wall, "s"), ("cold_start_in_process", inner, "s")]


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
def bench_api(ctx: BenchContext) -> list[Measurement]:
    """The HTTP API: /api/ask with 8 concurrent loopback clients against a real uvicorn process."""
    from .api.bench import bench_api_ask

    return bench_api_ask(ctx)


def run_bench(settings: Settings | None = None, out: Callable[[str], None] = print) -> dict:
    ctx = BenchContext(settings or get_settings())
    results: dict[str, float] = {}
    for bench in BENCHMARKS:
        for name, value, unit in bench(ctx):
            results[name] = round(value, 4)
            out(f"{name:<32}{value:>10.3f} {unit}")
    results["peak_rss_mb"] = round(peak_rss_mb(), 1)
    out(f"{'peak_rss_mb':<32}{results['peak_rss_mb']:>10.1f} MB")
    return results
