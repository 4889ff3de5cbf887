"""How the fresh sets score what a user reads: the lead, refusals, and follow-up turns of each kind."""

import pytest

from assistant.fresh_eval import lead_correct, precise_abstention, refused, turn_correct
from assistant.types import Answer, Citation

QUOTE = "支委会一般每月召开1次"
LEAD = Answer(f"{QUOTE}〔河钢标准 第21条第1款〕。", True,
              (Citation("HG-21.1", "〔河钢标准 第21条第1款〕", QUOTE, True),), "extractive", direct=1)
NOT_STATED = Answer("两份标准没有规定党小组长的任期。\n\n关于党小组，标准中有这些规定：…", True,
                    (Citation("HG-6.3", "〔河钢标准 第6条第3款〕", "划分若干党小组", True),), "extractive")
NOT_COVERED = Answer("两份标准中没有找到关于“公积金”的规定。", False, (), "extractive")


def test_the_lead_must_cite_an_expected_clause_and_hold_every_answer_string():
    row = {"expected": ["HG-21.1"], "answer": ["每月召开1次"]}
    assert lead_correct(row, LEAD)
    assert not lead_correct({**row, "expected": ["HG-21.2"]}, LEAD)
    assert not lead_correct({**row, "answer": ["每季召开1次"]}, LEAD)


def test_a_not_stated_reply_is_a_refusal_and_a_precise_abstention():
    assert refused(NOT_STATED) and precise_abstention(NOT_STATED)
    assert refused(NOT_COVERED) and not precise_abstention(NOT_COVERED)
    assert not refused(LEAD)


@pytest.mark.parametrize("turn,answer,ok", [
    ({"kind": "how_often", "expected": ["HG-21.1"], "answer": ["每月召开1次"]}, LEAD, True),
    ({"kind": "absent", "subject": "党小组长", "attribute": "任期"}, NOT_STATED, True),
    ({"kind": "absent", "subject": "党小组长", "attribute": "任期"}, LEAD, False),  # a confident other fact
    ({"kind": "absent", "subject": "党小组长", "attribute": "任期"}, NOT_COVERED, False),
    ({"kind": "elliptic", "expected": ["HG-21.1"], "answer": ["每月召开1次"]}, NOT_STATED, False),
])
def test_follow_up_turns_are_scored_by_their_kind(turn, answer, ok):
    assert turn_correct(turn, answer) is ok


def test_a_comparison_needs_a_clause_on_the_topic_from_each_document(corpus):
    from assistant.fresh_eval import compare_correct

    def cite(cid):
        c = corpus.get(cid)
        return Citation(cid, c.label, c.text[:20], True)

    cits = (cite("HG-20.2"), cite("SS-11.1"))
    both = Answer("\n".join(f"{c.quote}{c.label}" for c in cits), True, cits, "extractive", direct=2)
    row = {"expected": ["HG-20.2", "SS-11.1"]}
    assert compare_correct(row, both, corpus)
    assert not compare_correct({"expected": ["HG-20.2", "SS-12.1"]}, both, corpus)  # SS's clause is off topic
    hg_only = Answer(f"{cits[0].quote}{cits[0].label}", True, cits[:1], "extractive", direct=1)
    assert not compare_correct(row, hg_only, corpus)


def test_the_share_of_true_not_stated_replies_counts_those_given_to_in_scope_questions(corpus, monkeypatch):
    from types import SimpleNamespace

    import assistant.answer as answer_module
    from assistant.fresh_eval import score

    monkeypatch.setattr(answer_module, "answer_question", lambda q, **kw: NOT_STATED)
    rows = [{"type": "inscope", "q": "a", "expected": ["HG-21.1"], "answer": ["每月召开1次"]},
            {"type": "absent", "q": "b", "subject": "党小组长", "attribute": "任期"},
            {"type": "absent", "q": "c", "subject": "党小组长", "attribute": "任期"}]
    metrics, _ = score(rows, SimpleNamespace(corpus=corpus, retriever=None))
    assert metrics["not_stated_true"] == round(2 / 3, 4) and metrics["absent_precise"] == 1.0


def test_nothing_found_about_a_known_subject_is_a_refusal_but_claims_nothing_missing():
    from assistant.answer.facts_answer import not_found_about
    from assistant.answer.terms import term_stats, weigh
    from assistant.corpus import load_corpus
    from assistant.facts import load_facts
    from assistant.types import Reading

    q = "主题党日搞完要不要拍照"
    a = not_found_about(Reading(question=q, subjects=("主题党日",), displays=("主题党日",)), load_facts(),
                        load_corpus(), [], weigh(q, term_stats()), q)
    assert refused(a) and not precise_abstention(a) and not a.covered
    assert "主题党日" in a.text and "不是对上述问题的回答" not in a.text and a.citations
