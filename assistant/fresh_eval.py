"""The fresh answer sets: questions written by someone who never saw the code, split once by hash
into a dev set (printed question by question, tuned on) and a sealed test (aggregates only).

The metric is what the user reads: the lead (first citation and the direct part before 相关条款)
must come from an expected clause AND hold the asked-for fact.
"""

from __future__ import annotations

import re

from .evaluation import EvalContext, SectionResult, register_section

# dev2: a second round written the same way (2026-12-01), scored once before any tuning on it.
# dev3: a third round (168 lines), scored once at a3f69a5 before any tuning on it.
# dev4: a fourth round (447 lines, with attribute-absent follow-up turns), scored once at 6dacedc.
# dev5: a fifth round (236 lines, long scenario questions), scored once at 5088a54.
# dev6: a sixth round (370 lines, 112 follow-up turns), scored once at ef8a2bd.
# dev7: a seventh round (267 lines, short everyday questions), scored once at ef8a2bd and 7bdcf6e.
# dev8, dev9: rounds 8 and 9 (see evals/README.md); dev10: round 10, first scored at 39339ed; dev11: round 11,
# first scored at 5dc1fac and once more at 5f9c8cb before it was read; dev12: round 12, first scored at b219344
# and once more at f36a316 before it was read; dev13: round 13, first scored at 268f788 and once more at ea9459d
# before it was read; dev14: round 14, first scored at 793135f and once more at 4101db0 before it was read;
# dev15: round 15, first scored at dbb3dab and once more at 0b3781e before it was read; dev16: round 16, first
# scored at b9e2a03 and once more at 31bf5bc before it was read; dev17: round 17, first scored at ace3e78 (and at
# b9e2a03 for comparison) before it was read; dev18: round 18, first scored at 8a7cc33 and once more at 841f429
# before it was read; dev19: round 19, first scored at 7998fbd and once more at ae065bf before it was read;
# dev20: round 20, first scored at 2c9182b and c1241af before it was read.
SPLITS = {"dev": "fresh/dev.jsonl", "dev2": "fresh/dev2.jsonl", "dev3": "fresh/dev3.jsonl",
          "dev4": "fresh/dev4.jsonl", "dev5": "fresh/dev5.jsonl", "dev6": "fresh/dev6.jsonl",
          "dev7": "fresh/dev7.jsonl", "dev8": "fresh/dev8.jsonl",
          "dev9": "fresh/dev9.jsonl", "dev10": "fresh/dev10.jsonl",
          "dev11": "fresh/dev11.jsonl", "dev12": "fresh/dev12.jsonl", "dev13": "fresh/dev13.jsonl",
          "dev14": "fresh/dev14.jsonl", "dev15": "fresh/dev15.jsonl", "dev16": "fresh/dev16.jsonl",
          "dev17": "fresh/dev17.jsonl", "dev18": "fresh/dev18.jsonl",
          "dev19": "fresh/dev19.jsonl", "dev20": "fresh/dev20.jsonl",
          "sealed": "fresh/sealed_test.jsonl"}
MAX_MISSES_SHOWN = 60
SEALED = "sealed"
# Sets never tuned on: no question of theirs may become an example question, even when a dev round
# happens to ask it in the same words.
HELD_OUT = ("retrieval_holdout.jsonl", "answer_holdout2.jsonl", "out_of_scope_heldout.jsonl",
            "out_of_scope_holdout2.jsonl", "out_of_scope_followups_heldout.jsonl", SPLITS[SEALED])
_MARKS = re.compile(r"[？?。\s]+")


def example_rows(read_jsonl) -> list[dict]:
    """The example questions (retrieval/examples.py) the dev rounds give: each in-scope question and
    each conversation's opening question with the leaves that answer it, each out-of-scope question with
    none, and each comparison (kind compare) with the leaves of both documents, tagged with its round.
    Never the sealed split, never a question of a held-out set. `read_jsonl(name)` reads an evals file
    (EvalContext.read_jsonl)."""
    held = {_MARKS.sub("", q) for name in HELD_OUT for row in read_jsonl(name)
            for q in [row.get("q", ""), *(t.get("q", "") for t in row.get("turns", ()))] if q}
    out, seen = [], set(held)
    for split, name in SPLITS.items():
        if split == SEALED:
            continue
        for row in read_jsonl(name):
            first = row["turns"][0] if row.get("type") == "conversation" else row
            if row.get("type") == "outscope":
                first = {**row, "expected": []}
            elif row.get("type") not in ("inscope", "conversation", "compare") or not first.get("expected"):
                continue
            q = first["q"].strip()
            if q and _MARKS.sub("", q) not in seen:
                seen.add(_MARKS.sub("", q))
                extra = {"kind": "compare"} if row.get("type") == "compare" else {}
                out.append({"q": q, "leaves": list(first["expected"]), "source": split, **extra})
    return out


def direct_part(answer) -> str:
    """The text a user reads first: before 相关条款, the checks and the not-answering list."""
    text = answer.text
    for marker in ("\n相关条款", "\n按您给出的数字", "标准中有这些规定", "标准中相近的主题"):
        i = text.find(marker)
        if i >= 0:
            text = text[:i]
    return text


def _scopes() -> tuple[str, ...]:
    """两份标准 and each document's short name: a reply scoped to one document (四同步清单没有规定…)
    is as precise, and as much a refusal, as one about both."""
    from .corpus import documents

    return ("两份标准", *(d.short_name for d in documents()))


def refused(answer) -> bool:
    return not answer.covered or answer.text.startswith(
        tuple(f"{s}{w}" for s in _scopes() for w in ("没有", "中没有")))


def precise_abstention(answer) -> bool:
    return answer.text.startswith(tuple(f"{s}没有规定" for s in _scopes()))


def lead_correct(row: dict, answer) -> bool:
    if refused(answer) or not answer.citations:
        return False
    text = direct_part(answer)
    return answer.citations[0].id in row["expected"] and all(a in text for a in row.get("answer", ()))


def turn_correct(turn: dict, answer) -> bool:
    """A follow-up turn: the source it asks for, the precise "not stated" when the standards do not
    state it (kind absent), else the lead."""
    kind = turn.get("kind")
    if kind == "source":
        return source_correct(turn, answer)
    if kind == "absent":
        return precise_abstention(answer)
    return lead_correct(turn, answer)


def source_correct(row: dict, answer) -> bool:
    ok_ids = not answer.citations or any(c.id in row["expected"] for c in answer.citations[:1])
    return ok_ids and all(a in answer.text for a in row.get("answer", ()))


def compare_correct(row: dict, answer, corpus) -> bool:
    """Both documents in the direct part, each with a clause that speaks to the topic (an expected one):
    a document's unrelated clause beside the other's does not compare them."""
    if refused(answer):
        return False
    text = direct_part(answer)
    cited = {c.id for c in answer.citations if c.label in text}
    expected = set(row.get("expected", ()))
    return all(any(c.startswith(f"{d.code}-") and (not expected or c in expected) for c in cited)
               for d in corpus.documents)


def score(rows: list[dict], ctx: EvalContext, retriever=None) -> tuple[dict, list[str]]:
    """Metrics and misses of one split, answered with `retriever` (default: the served one)."""
    from .answer import Conversation, answer_question
    from .answer_eval import citation_valid

    corpus, retriever = ctx.corpus, retriever or ctx.retriever
    n = {k: 0 for k in ("inscope", "lead", "refused", "absent", "precise", "outscope", "out_refused",
                        "compare", "compare_ok", "followups", "followups_ok", "citations", "verbatim",
                        "claims", "claims_true")}
    misses: list[str] = []

    def count_citations(a):
        n["citations"] += len(a.citations)
        n["verbatim"] += sum(citation_valid(c, corpus) for c in a.citations)

    for row in rows:
        t = row["type"]
        if t == "conversation":
            conv = Conversation(retriever=retriever, llm=False)
            for i, turn in enumerate(row["turns"]):
                a = conv.ask(turn["q"])
                count_citations(a)
                if i == 0:
                    continue
                n["followups"] += 1
                ok = turn_correct(turn, a)
                n["followups_ok"] += ok
                if not ok:
                    want = (f"{turn.get('subject')}/{turn.get('attribute')} 没有规定" if turn.get("kind") == "absent"
                            else f"{','.join(turn['expected'])} {turn.get('answer')}")
                    misses.append(f"[followup] {' / '.join(x['q'] for x in row['turns'][:i + 1])}  期望 "
                                  f"{want}  实得 {_lead(a)}")
            continue
        a = answer_question(row["q"], retriever=retriever, llm=False)
        count_citations(a)
        if t == "inscope":
            n["inscope"] += 1
            ok = lead_correct(row, a)
            n["lead"] += ok
            n["refused"] += refused(a)
            n["claims"] += precise_abstention(a)  # a 没有规定 the standards contradict
            if not ok:
                misses.append(f"[inscope/{row.get('kind')}] {row['q']}  期望 {','.join(row['expected'])} "
                              f"{row.get('answer')}  实得 {_lead(a)}")
        elif t == "absent":
            n["absent"] += 1
            ok = precise_abstention(a)
            n["precise"] += ok
            n["claims"] += ok
            n["claims_true"] += ok
            if not ok:
                misses.append(f"[absent] {row['q']}  ({row.get('subject')}/{row.get('attribute')})  实得 {_lead(a)}")
        elif t == "outscope":
            n["outscope"] += 1
            n["out_refused"] += refused(a)
            if not refused(a):
                misses.append(f"[outscope] {row['q']}  实得 {_lead(a)}")
        elif t == "compare":
            n["compare"] += 1
            ok = compare_correct(row, a, corpus)
            n["compare_ok"] += ok
            if not ok:
                misses.append(f"[compare] {row['q']}  实得 {_lead(a)}")
    rate = lambda a, b: round(n[a] / n[b], 4) if n[b] else 0.0  # noqa: E731
    metrics = {
        "lead_correct": rate("lead", "inscope"), "inscope": n["inscope"],
        "wrongly_refused": rate("refused", "inscope"),
        "absent_precise": rate("precise", "absent"), "absent": n["absent"],
        # Of the 没有规定 replies to in-scope and attribute-absent questions, the share that is true.
        "not_stated_true": rate("claims_true", "claims"),
        "outscope_refused": rate("out_refused", "outscope"), "outscope": n["outscope"],
        "compare_both_docs": rate("compare_ok", "compare"), "compare": n["compare"],
        "followup_correct": rate("followups_ok", "followups"), "followups": n["followups"],
        "quotes_verbatim": rate("verbatim", "citations"),
    }
    return metrics, misses


def _lead(answer) -> str:
    first = answer.citations[0].id if answer.citations else "-"
    return f"{first} “{direct_part(answer)[:70]}”".replace("\n", " ")


def fresh_section(ctx: EvalContext) -> SectionResult:
    lines, summary = [], {}
    for split, name in SPLITS.items():
        rows = ctx.read_jsonl(name)
        if not rows:
            continue
        # A dev round is scored with the example channel knowing only the other rounds' questions.
        metrics, misses = score(rows, ctx, None if split == SEALED else ctx.retriever.without_examples_from(split))
        summary[split] = metrics
        lines.append(f"[{split}] " + "  ".join(f"{k} {v}" for k, v in metrics.items()))
        if split == SEALED:  # never question by question: it must not steer tuning
            lines.append(f"  sealed test: {len(misses)} misses (not shown)")
        else:
            lines += [f"  {m}" for m in misses[:MAX_MISSES_SHOWN]]
            if len(misses) > MAX_MISSES_SHOWN:
                lines.append(f"  … {len(misses) - MAX_MISSES_SHOWN} more")
    return SectionResult("fresh", lines, summary)


register_section(fresh_section)
