"""Quiz papers as a trainer hands them out: one question per fact, no question answering another,
every stem with its subject. Checked against the reviewed fact layer (corpus/facts), independently
of how the generator decides, over 200 papers (seeds × n=20 and n=50)."""

from __future__ import annotations

import pytest

from assistant.corpus import load_corpus
from assistant.facts import load_facts
from assistant.quiz import generate_quiz

SEEDS = range(100)
SIZES = (20, 50)
WINDOW = 4  # characters of the clause either side of an answer: the answer "in context"


@pytest.fixture(scope="module")
def world():
    return load_corpus(), load_facts()


def answer_spans(item, corpus) -> list[tuple[int, int]]:
    """Where in its leaf the item's answer stands: the tested value, or each right member."""
    text = corpus.get(item.clause).text
    if item.type == "multi":
        return [(text.index(m), text.index(m) + len(m)) for m in item.correct_options]
    assert item.span is not None, item
    a, b = item.span
    assert text[a:b] == item.fact
    return [item.span]


def tightest_facts(item, corpus, facts) -> set[str]:
    """The reviewed facts an item asks about: for each answer span, the smallest fact whose quote
    holds it (a list fact like 三会一课 holds four frequencies; each frequency is its own fact)."""
    out = set()
    for a, b in answer_spans(item, corpus):
        holders = [f for f in facts.of_leaf(item.clause) if f.start <= a and b <= f.end]
        if holders:
            best = min(len(f.quote) for f in holders)
            out |= {f.id for f in holders if len(f.quote) == best}
    return out


def visible(item) -> str:
    return item.question + "\n" + "\n".join(item.options if item.type != "judge" else ())


def contexts(item, corpus) -> list[str]:
    """The answer with its neighbouring words from the clause, as another question would state it."""
    text = corpus.get(item.clause).text
    out = []
    for a, b in answer_spans(item, corpus):
        lo, hi = max(0, a - WINDOW), min(len(text), b + WINDOW)
        piece = text[lo:hi]
        # do not run over a sentence end: the window stays within what one sentence says
        left = max(piece.rfind(ch, 0, a - lo) for ch in "。；") + 1
        right = min([i for i in (piece.find(ch, b - lo) for ch in "。；") if i >= 0] or [len(piece)])
        out.append(piece[left:right])
    return out


def paper_problems(quiz, corpus, facts) -> list[str]:
    problems = []
    items = list(quiz.items)
    ids = [tightest_facts(i, corpus, facts) | {i.source_key} for i in items]
    for x in range(len(items)):
        for y in range(x + 1, len(items)):
            shared = ids[x] & ids[y]
            if shared:
                problems.append(f"same fact {sorted(shared)}: {items[x].question} / {items[y].question}")
    for x, a in enumerate(items):
        ctx = contexts(a, corpus)
        for y, b in enumerate(items):
            if x == y:
                continue
            shown = visible(b)
            for c in ctx:
                if c in shown:
                    problems.append(f"giveaway “{c}”: {b.question} answers {a.question}")
    for item in items:
        if item.type == "multi":
            continue
        text = corpus.get(item.clause).text
        a, b = item.span
        for fid in tightest_facts(item, corpus, facts):
            f = next(f for f in facts.of_leaf(item.clause) if f.id == fid)
            before, after = text[f.start:a], text[b:f.end]
            # the reviewed quote reads on its own (subject, conditions): the stem shows all of it
            if before not in item.question or after not in item.question:
                problems.append(f"stem drops part of “{f.quote}” ({f.subject}): {item.question}")
            ci = text.find(f.condition) if f.condition else -1
            pieces = ([text[ci:a], text[b:ci + len(f.condition)]] if ci >= 0 and ci <= a and b <= ci + len(f.condition)
                      else [f.condition])
            if ci >= 0 and not all(p in item.question for p in pieces):
                problems.append(f"stem drops the condition “{f.condition}”: {item.question}")
    return problems


@pytest.mark.parametrize("n", SIZES)
def test_papers_have_no_same_fact_pairs_giveaways_or_missing_subjects(world, n):
    corpus, facts = world
    bad = []
    for seed in SEEDS:
        quiz = generate_quiz(n, seed=seed)
        assert len(quiz.items) == n, quiz.message
        bad += [f"seed {seed}: {p}" for p in paper_problems(quiz, corpus, facts)]
    assert not bad, f"{len(bad)} problems, e.g.\n" + "\n".join(bad[:15])


def test_the_checker_sees_a_giveaway_and_a_same_fact_pair(world):
    """The check above is not vacuous: two questions on one clause sentence are caught."""
    corpus, facts = world
    from dataclasses import replace

    from assistant.quiz import candidate_items

    pools = candidate_items(("blank", "judge"))
    blank = next(i for i in pools["blank"] if i.clause == "HG-20.2" and "每年" in i.fact)
    judge = next(i for i in pools["judge"] if i.clause == "HG-20.2" and i.source_key == blank.source_key)
    quiz = replace(generate_quiz(1, seed=1), items=(blank, judge))
    problems = paper_problems(quiz, corpus, facts)
    assert any(p.startswith("same fact") for p in problems)
    true_judge = replace(judge, question=judge.question.replace(judge.shown, blank.fact))
    quiz = replace(quiz, items=(blank, replace(true_judge, source_key="other", span=(0, 0), fact="")))
    assert any("giveaway" in p for p in paper_problems(quiz, corpus, facts))


@pytest.mark.parametrize("kwargs", [
    {"types": ["choice", "judge"], "doc": "HG"},
    {"topic": "组织生活"},
    {"types": ["blank", "multi"], "doc": "SS"},
])
def test_filtered_papers_keep_the_same_rules(world, kwargs):
    corpus, facts = world
    bad = []
    for seed in range(20):
        quiz = generate_quiz(30, seed=seed, **kwargs)
        assert quiz.items
        bad += [f"seed {seed}: {p}" for p in paper_problems(quiz, corpus, facts)]
    assert not bad, "\n".join(bad[:10])
