"""Evaluation section and benchmark for answers (registered with `assistant eval` / `assistant bench`).

Measures, in extractive mode (deterministic, no model):
- coverage decided correctly: in-scope questions answered (answer dev set + the retrieval dev and
  held-out sets, written by another stage), out-of-scope questions refused (dev and held-out), and
  out-of-scope follow-ups refused in a conversation (dev and held-out);
- citation validity: every cited ID exists, is a leaf, its label matches and its quote is verbatim;
- right clause cited and right figure in the answer, on the answer dev set.
"""

from __future__ import annotations

import time

from .evaluation import EvalContext, SectionResult, percentile, register_section

IN_SCOPE_FILES = ("answer_dev.jsonl", "answer_holdout2.jsonl", "retrieval_dev.jsonl", "retrieval_holdout.jsonl")
# Sets with expected clauses and figures: right clause / right figure are measured per set. The dev
# set keeps its historical key names (right_clause, right_figure).
GRADED_FILES = {"answer_dev.jsonl": "", "answer_holdout2.jsonl": "[heldout2]"}
OUT_OF_SCOPE_SETS = {"dev": "out_of_scope.jsonl", "heldout": "out_of_scope_heldout.jsonl",
                     "heldout2": "out_of_scope_holdout2.jsonl"}
# Conversations whose last turn leaves the standards (那《公司法》怎么规定的, 培训在哪个酒店办, 你是谁开发的):
# that turn must be refused, not carried onto the subject before it. Written by a helper session that never
# opened the code (2026-12-03), split by hash; the held-out half is never tuned on.
OUT_OF_SCOPE_FOLLOWUP_SETS = {"dev": "out_of_scope_followups.jsonl", "heldout": "out_of_scope_followups_heldout.jsonl"}


def citation_valid(citation, corpus) -> bool:
    leaf = corpus.get(citation.id)
    return bool(leaf and leaf.is_leaf and leaf.label == citation.label and citation.quote
                and citation.quote in leaf.text)


def _rate(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def evaluate_answers(ctx: EvalContext) -> dict:
    from .answer import answer_question

    corpus, retriever = ctx.corpus, ctx.retriever

    def ask(q: str):
        return answer_question(q, retriever=retriever, llm=False)

    out: dict = {}
    cits = valid = 0
    misses: list[str] = []
    for name in IN_SCOPE_FILES:
        rows = ctx.read_jsonl(name)
        if not rows:
            continue
        answers = [(r, ask(r["q"])) for r in rows]
        for _, a in answers:
            cits += len(a.citations)
            valid += sum(citation_valid(c, corpus) for c in a.citations)
        covered = sum(a.covered for _, a in answers)
        misses += [r["q"] for r, a in answers if not a.covered]
        out[f"in_scope_covered[{name}]"] = _rate(covered, len(rows))
        if name in GRADED_FILES:
            suffix = GRADED_FILES[name]
            right = sum(any(c.id in r["clauses"] for c in a.citations) for r, a in answers)
            numeric = [(r, a) for r, a in answers if r.get("figure")]
            fig = sum(r["figure"] in a.text for r, a in numeric)
            out[f"right_clause{suffix}"] = _rate(right, len(rows))
            out[f"right_figure{suffix}"] = _rate(fig, len(numeric))
            out[f"numeric_questions{suffix}"] = len(numeric)
    for split, name in OUT_OF_SCOPE_SETS.items():
        rows = ctx.read_jsonl(name)
        if rows:
            refused = sum(not ask(r["q"]).covered for r in rows)
            out[f"refusal[{split}]"] = _rate(refused, len(rows))
            out[f"out_of_scope_questions[{split}]"] = len(rows)
    for split, name in OUT_OF_SCOPE_FOLLOWUP_SETS.items():
        rows = ctx.read_jsonl(name)
        if rows:
            out[f"followup_refusal[{split}]"] = _rate(sum(_last_turn_refused(r, retriever) for r in rows), len(rows))
            out[f"out_of_scope_followups[{split}]"] = len(rows)
    out["citation_validity"] = _rate(valid, cits)
    out["citations"] = cits
    out["not_covered_in_scope"] = misses[:10]
    return out


def _last_turn_refused(row: dict, retriever) -> bool:
    """The conversation played in order: is its last turn refused?"""
    from .answer import Conversation
    from .fresh_eval import refused

    conv = Conversation(retriever=retriever, llm=False)
    answers = [conv.ask(turn["q"]) for turn in row["turns"]]
    return refused(answers[-1])


def answer_section(ctx: EvalContext) -> SectionResult:
    m = evaluate_answers(ctx)
    lines = [f"{k:<44}{v}" for k, v in m.items() if k != "not_covered_in_scope"]
    if m["not_covered_in_scope"]:
        lines.append("in-scope questions refused: " + "；".join(m["not_covered_in_scope"]))
    return SectionResult("answers", lines, {k: v for k, v in m.items() if k != "not_covered_in_scope"})


register_section(answer_section)


def bench_warm_ask(retriever, queries: list[str], rounds: int = 3) -> dict[str, float]:
    """Warm extractive `answer_question` latency (retrieval + composing), in ms."""
    from .answer import answer_question

    for q in queries[:10]:
        answer_question(q, retriever=retriever, llm=False)
    times = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            answer_question(q, retriever=retriever, llm=False)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "n": float(len(times))}
