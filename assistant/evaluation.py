"""Evaluation harness: a list of sections, each measuring one part of the assistant.

A section is a function `EvalContext -> SectionResult`. Other modules add theirs with
`register_section` (e.g. the answer layer's refusal and citation metrics); `run_eval` runs them
all in one go, prints each section's lines and returns the merged one-line JSON summary.

The retrieval section reports, for the dev set and the held-out set, hit@1, hit@5 and MRR@10 at
item level (HG-21) and at leaf level (HG-21.1), and for questions spanning both documents how
often both documents appear in the top 5, for the hybrid, lexical-only and dense-only
configurations of the same index. Measuring them needs the dense channel, so the section opens
the index with it on whatever ASSISTANT_DENSE says (`assistant eval --model M` measures dense for
any model) and marks the row the current settings serve; the other sections use the served
retriever. It also prints the model's calibrated values from fusion.toml (weights, whether auto
runs the dense channel, the composer's cut-offs) next to the score separation they rest on.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import PROJECT_ROOT, Settings, get_settings

EVALS_DIR = PROJECT_ROOT / "evals"
RETRIEVAL_SETS = {"dev": "retrieval_dev.jsonl", "holdout": "retrieval_holdout.jsonl"}
OUT_OF_SCOPE_FILES = ("out_of_scope.jsonl",)


@dataclass(frozen=True)
class EvalQuestion:
    q: str
    expected: tuple[str, ...]  # leaf (or item) IDs any of which answers the question
    items: frozenset[str]
    docs: frozenset[str]

    @property
    def spans_both(self) -> bool:
        return len(self.docs) > 1


@dataclass(frozen=True)
class SectionResult:
    name: str
    lines: list[str]
    summary: dict


@dataclass
class EvalContext:
    """What sections share: settings, the corpus and a lazily opened retriever. `cache` lets
    sections pass results to later ones (e.g. per-question hits)."""

    settings: Settings
    evals_dir: Path = EVALS_DIR
    cache: dict = field(default_factory=dict)

    @property
    def corpus(self):
        from .corpus import load_corpus

        return load_corpus(self.settings.corpus_dir)

    @property
    def retriever(self):
        """The retriever the settings serve (ASSISTANT_DENSE decides the dense channel)."""
        from .retrieval import get_retriever

        if "retriever" not in self.cache:
            self.cache["retriever"] = get_retriever(self.settings)
        return self.cache["retriever"]

    @property
    def measuring_retriever(self):
        """The same index with the dense channel on, to measure hybrid, lexical and dense alike."""
        from dataclasses import replace

        from .retrieval import get_retriever

        if "measuring_retriever" not in self.cache:
            served = self.retriever
            self.cache["measuring_retriever"] = (served if served.dense_on
                                                 else get_retriever(replace(self.settings, dense="on")))
        return self.cache["measuring_retriever"]

    def read_jsonl(self, name: str) -> list[dict]:
        path = self.evals_dir / name
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


SECTIONS: list[Callable[[EvalContext], SectionResult]] = []


def register_section(fn: Callable[[EvalContext], SectionResult]) -> Callable[[EvalContext], SectionResult]:
    if fn not in SECTIONS:
        SECTIONS.append(fn)
    return fn


# ---------------------------------------------------------------- metrics (pure)


def load_questions(rows: list[dict], corpus) -> list[EvalQuestion]:
    out = []
    for n, row in enumerate(rows, start=1):
        expected = tuple(row["expected"])
        leaves = [leaf for cid in expected for leaf in corpus.leaves_of(cid)]
        if len(leaves) == 0:
            raise ValueError(f"eval question {n} names unknown clauses: {expected}")
        out.append(EvalQuestion(row["q"], tuple(c.id for c in leaves),
                                frozenset(c.item_id for c in leaves), frozenset(c.doc for c in leaves)))
    return out


def _first_rank(ranked: list[str], wanted) -> int | None:
    for i, x in enumerate(ranked, start=1):
        if x in wanted:
            return i
    return None


def rank_metrics(questions: list[EvalQuestion], rankings: list[list[str]], item_of: dict[str, str]) -> dict:
    """hit@1, hit@5, MRR@10 at item and leaf level, plus cross-document recall, from leaf rankings."""
    n = len(questions)
    acc = {k: 0.0 for k in ("item_hit1", "item_hit5", "item_mrr10", "leaf_hit1", "leaf_hit5", "leaf_mrr10")}
    both_docs, cross_recall, cross_n = 0, 0.0, 0
    misses = []
    for q, ranked in zip(questions, rankings):
        items = [item_of[c] for c in ranked]
        for level, seq, wanted in (("item", items, q.items), ("leaf", ranked, set(q.expected))):
            r = _first_rank(seq[:10], wanted)
            acc[f"{level}_hit1"] += r == 1
            acc[f"{level}_hit5"] += r is not None and r <= 5
            acc[f"{level}_mrr10"] += 1.0 / r if r else 0.0
        if _first_rank(items[:1], q.items) is None:
            misses.append((q.q, sorted(q.items), items[:3]))
        if q.spans_both:
            cross_n += 1
            top5_docs = {c.split("-")[0] for c in ranked[:5]}
            both_docs += q.docs <= top5_docs
            cross_recall += len(q.items & set(items[:5])) / len(q.items)
    out = {k: round(v / n, 4) if n else 0.0 for k, v in acc.items()}
    out["cross_n"] = cross_n
    out["cross_both_docs5"] = round(both_docs / cross_n, 4) if cross_n else None
    out["cross_item_recall5"] = round(cross_recall / cross_n, 4) if cross_n else None
    out["n"] = n
    out["_misses"] = misses
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    i = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[i]


# ---------------------------------------------------------------- retrieval section


def retrieval_configurations(retriever) -> dict:
    """The configurations measured side by side; `retriever` must run the dense channel.
    "hybrid" is the model's calibrated weights with the dense channel, "lexical" the same without
    it (what ASSISTANT_DENSE=off serves)."""
    from dataclasses import replace

    w = retriever.calibration.weights.normalised() if retriever.dense_on else retriever.weights
    return {
        "hybrid": w,
        "lexical": w.only("lexical"),
        "dense": w.only("dense"),
        "bm25_leaf": replace(w, item=0.0, dense=0.0, bigram=0.0, answer_type=0.0, examples=0.0),  # reference: plain BM25 per leaf
    }


def evaluate_retrieval(retriever, questions: list[EvalQuestion], configs: dict) -> dict[str, dict]:
    """Metrics per configuration; the signals are computed once per question and re-fused."""
    from .retrieval.fusion import fuse

    item_of = {c.id: c.item_id for c in retriever.corpus.leaves()}
    need_dense = any(w.dense > 0 for w in configs.values())  # lexical configurations run without it
    signals = [retriever.signals(q.q, with_dense=need_dense) for q in questions]
    out = {}
    for name, weights in configs.items():
        rankings = [
            [f.id for f in fuse(s["candidates"], s["lexical"], s["dense"], s["items"], item_of, weights,
                                    s["type_match"], s["bigram"], s.get("examples"))[:10]]
            for s in signals
        ]
        out[name] = rank_metrics(questions, rankings, item_of)
    return out


def calibration_lines(served, settings) -> tuple[list[str], dict]:
    """The model's calibrated values (fusion.toml) as `assistant eval` prints them, and as data."""
    from .retrieval.fusion import dense_mode

    cal = served.calibration
    w, c = cal.weights.normalised(), cal.cutoffs
    mode = dense_mode(settings.dense)
    entry = f'[models."{cal.entry}"]' if cal.entry else "[default]（该模型没有自己的条目，未实测）"
    why = {"on": "ASSISTANT_DENSE=on", "off": "ASSISTANT_DENSE=off"}.get(
        mode, "auto：" + ("实测有益" if cal.dense_auto else "没有实测有益的非零权重"))
    served_row = "hybrid" if served.dense_on else "lexical"
    lines = [
        f"向量模型：{served.model_id}；校准值来自 fusion.toml {entry}",
        f"向量通道：{'开' if served.dense_on else '关'}（{why}）；实际使用的配置：{served_row}",
        f"融合权重（向量通道开）：词法 {w.lexical:.2f} / 字二元 {w.bigram:.2f} / 条目 {w.item:.2f} / "
        f"向量 {w.dense:.2f}；答案类型加权 ×{1 + w.answer_type:.1f}",
        f"可回答判定（校准值）：首条得分 ≥ {c.min_retrieval:.2f}；关键词覆盖 ≥ {c.coverage_threshold:.2f}，"
        f"或首条得分 ≥ {c.confident_retrieval:.2f} 时覆盖 ≥ {c.support_when_confident:.2f}",
    ]
    data = {"entry": cal.entry, "dense_mode": mode, "dense_auto": cal.dense_auto, "dense_served": served.dense_on,
            "served": served_row, "weights": {k: round(getattr(w, k), 4) for k in
                                              ("lexical", "bigram", "item", "dense", "answer_type")},
            "cutoffs": {k: getattr(c, k) for k in ("min_retrieval", "coverage_threshold", "confident_retrieval",
                                                     "support_when_confident")}}
    return lines, data


def retrieval_section(ctx: EvalContext) -> SectionResult:
    started = time.perf_counter()
    served = ctx.retriever
    retriever = ctx.measuring_retriever
    corpus = retriever.corpus
    configs = retrieval_configurations(retriever)
    lines, calibration = calibration_lines(served, ctx.settings)
    summary: dict = {"model": retriever.model_id, "calibration": calibration}
    header = (f"{'配置':<10}{'条目@1':>8}{'条目@5':>8}{'MRR@10':>8}{'款@1':>7}{'款@5':>7}{'款MRR':>7}"
              f"{'跨文档双全@5':>13}{'跨文档召回@5':>13}")
    for set_name, file in RETRIEVAL_SETS.items():
        rows = ctx.read_jsonl(file)
        if not rows:
            lines.append(f"[{set_name}] 缺少 evals/{file}")
            continue
        questions = load_questions(rows, corpus)
        results = evaluate_retrieval(retriever, questions, configs)
        lines.append("")
        lines.append(f"[{set_name}] {len(questions)} 题（跨两份文档 {results['hybrid']['cross_n']} 题）")
        lines.append(header)
        for name, m in results.items():
            cross = (f"{m['cross_both_docs5']:>13.3f}{m['cross_item_recall5']:>13.3f}"
                     if m["cross_n"] else f"{'-':>13}{'-':>13}")
            lines.append(f"{name:<12}{m['item_hit1']:>8.3f}{m['item_hit5']:>8.3f}{m['item_mrr10']:>8.3f}"
                         f"{m['leaf_hit1']:>8.3f}{m['leaf_hit5']:>8.3f}{m['leaf_mrr10']:>8.3f}{cross}"
                         + ("  ← 当前设置" if name == calibration["served"] else ""))
        misses = results["hybrid"]["_misses"]
        if set_name == "holdout":  # never shown question by question: it must not steer tuning
            lines.append(f"  未排第一：{len(misses)} 题（留出集不逐题显示）")
        else:
            for q, want, got in misses:
                lines.append(f"  未排第一：{q}  期望 {','.join(want)}  实得 {','.join(got)}")
        summary[set_name] = {name: {k: v for k, v in m.items() if not k.startswith("_")}
                             for name, m in results.items()}
        ctx.cache[f"retrieval_{set_name}_questions"] = questions

    # How well the served top score separates in-scope from off-topic questions (for "not covered").
    dev = ctx.cache.get("retrieval_dev_questions", [])
    off = [r["q"] for f in OUT_OF_SCOPE_FILES for r in ctx.read_jsonl(f)]
    if dev and off:
        def top(q):
            hits = served.search(q, k=3)
            return hits[0].score, served.coverage(q, hits[:1])

        ins = [top(q.q) for q in dev]
        outs = [top(q) for q in off]
        s_in, s_out = [s for s, _ in ins], [s for s, _ in outs]
        lines.append("")
        lines.append(f"首条得分：标准内 {len(s_in)} 题 最小 {min(s_in):.3f} / P10 {percentile(s_in, 10):.3f} / "
                     f"中位 {statistics.median(s_in):.3f}；标准外 {len(s_out)} 题 中位 "
                     f"{statistics.median(s_out):.3f} / P90 {percentile(s_out, 90):.3f} / 最大 {max(s_out):.3f}")
        c_in, c_out = [c for _, c in ins], [c for _, c in outs]
        lines.append(f"首条覆盖率：标准内 中位 {statistics.median(c_in):.2f} / P10 {percentile(c_in, 10):.2f}；"
                     f"标准外 中位 {statistics.median(c_out):.2f} / P90 {percentile(c_out, 90):.2f}")
        summary["score_separation"] = {
            "in_p10": round(percentile(s_in, 10), 4), "in_min": round(min(s_in), 4),
            "out_p90": round(percentile(s_out, 90), 4), "out_max": round(max(s_out), 4),
        }
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return SectionResult("retrieval", lines, summary)


register_section(retrieval_section)


# ---------------------------------------------------------------- runner


def run_eval(settings: Settings | None = None, out: Callable[[str], None] = print,
             sections: list[Callable[[EvalContext], SectionResult]] | None = None) -> dict:
    """Run every registered section, printing its lines through `out`; return the merged summary."""
    _import_registered_sections()
    ctx = EvalContext(settings or get_settings())
    summary = {}
    for section in sections or SECTIONS:
        result = section(ctx)
        out(f"== {result.name} ==")
        for line in result.lines:
            out(line)
        out("")
        summary[result.name] = result.summary
    return summary


# Modules that register their own sections when imported; missing ones are skipped, so a part
# still being written never breaks the evaluation of the others.
SECTION_MODULES: list[str] = ["assistant.answer_eval", "assistant.fresh_eval"]


def _import_registered_sections() -> None:
    import importlib

    for name in SECTION_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
