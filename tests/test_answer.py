"""Extractive answers: pure composer functions, coverage, citations, CLI `ask`."""

import json

import pytest

from assistant.answer import (
    NOT_COVERED, Conversation, answer_question, assess_coverage, compose_answer, figures,
    key_terms, segment_spans, sentence_spans,
)
from assistant.cli import main
from assistant.types import Hit


def hits_of(corpus, *ids):
    return [Hit(corpus.get(i), 1.0 - n / 10) for n, i in enumerate(ids)]


def assert_citations_verbatim(answer, corpus):
    for c in answer.citations:
        leaf = corpus.get(c.id)
        assert leaf is not None and leaf.is_leaf, c.id
        assert c.label == leaf.label
        assert c.quote and c.quote in leaf.text, (c.id, c.quote)


# ---------------------------------------------------------------- pure parts


def test_sentence_spans_split_on_full_stop_and_semicolon():
    text = "甲乙。丙丁；戊"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["甲乙", "丙丁", "戊"]


def test_segment_spans_are_comma_parts_in_leaf_coordinates():
    text = "前言。一，二，三。"
    (a, b) = sentence_spans(text)[1]
    assert [text[s:e] for s, e in segment_spans(text, a, b)] == ["一", "二", "三"]


@pytest.mark.parametrize("question,expected", [
    ("支委会多久开一次？", ("支委会",)),
    ("出差报销标准是什么", ("出差", "报销")),
    ("我们单位有什么要求吗", ()),
])
def test_key_terms_drop_question_words(question, expected):
    assert key_terms(question) == expected


def test_figures_ignore_letters_and_keep_ranges():
    assert figures("运用“O2O”手段，按0.5%-2%标准，不少于56学时，每月") == ["0.5%-2%", "56学时", "每月"]


def test_direct_answer_is_trimmed_to_the_segment_that_answers(corpus):
    a = compose_answer("支委会多久开一次？", hits_of(corpus, "HG-21.1", "HG-21.2"))
    assert a.covered and a.text.splitlines()[0] == "支委会一般每月召开1次〔河钢标准 第21条第1款〕。"
    assert a.citations[0].quote == "支委会一般每月召开1次"
    assert_citations_verbatim(a, corpus)


def test_both_documents_shown_with_their_difference(corpus):
    a = compose_answer("党建经费占工资总额的比例是多少？", hits_of(corpus, "HG-37.1", "SS-12.1", "HG-37.2"))
    assert "1%" in a.text and "0.5%-2%" in a.text
    assert "〔河钢标准 第37条第1款〕" in a.text and "〔四同步清单 第12条①〕" in a.text
    assert "规定不同" in a.text
    assert_citations_verbatim(a, corpus)


def test_every_label_follows_words_of_its_own_leaf(corpus):
    a = compose_answer("党支部书记党龄有什么要求", hits_of(corpus, "HG-13.1", "HG-13.3", "HG-22"))
    for line in a.text.splitlines():
        for c in a.citations:
            if c.label in line:
                assert c.quote in line


@pytest.mark.parametrize("question", ["年假怎么请？", "华为的党建经费是多少", "How often should the branch meet?"])
def test_not_covered_gives_the_honest_message_and_no_citations(corpus, question):
    hits = hits_of(corpus, "HG-37.1", "SS-12.1", "HG-21.1")
    a = compose_answer(question, hits)
    assert not a.covered and a.citations == ()
    assert a.text.startswith(NOT_COVERED.format(scope="两份标准", topic=question.rstrip("？?")[:30]).split("“")[0])


def test_not_covered_suggests_existing_topics_not_as_citations(corpus):
    a = compose_answer("公积金每月按多大比例交", hits_of(corpus, "HG-37.1"))
    assert not a.covered and "基层党组织工作经费保障落实到位" in a.text and a.citations == ()


def test_coverage_needs_the_question_words_in_a_leaf(corpus):
    assert assess_coverage("支委会多久开一次", hits_of(corpus, "HG-21.1")).covered
    assert not assess_coverage("支委会多久开一次", hits_of(corpus, "SS-5.2")).covered
    assert not assess_coverage("支委会多久开一次", []).covered


# ---------------------------------------------------------------- with the retriever (hashing embedder)


def load_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dev_answers(retriever):
    from tests.conftest import ROOT

    return [(d, answer_question(d["q"], retriever=retriever, llm=False))
            for d in load_jsonl(ROOT / "evals" / "answer_dev.jsonl")]


def test_dev_set_is_covered_cited_and_carries_figures(dev_answers, corpus):
    covered = sum(a.covered for _, a in dev_answers) / len(dev_answers)
    right = sum(any(c.id in d["clauses"] for c in a.citations) for d, a in dev_answers) / len(dev_answers)
    numeric = [(d, a) for d, a in dev_answers if d.get("figure")]
    figure = sum(d["figure"] in a.text for d, a in numeric) / len(numeric)
    assert covered >= 0.97 and right >= 0.95 and figure >= 0.95, (covered, right, figure)
    for _, a in dev_answers:
        assert_citations_verbatim(a, corpus)


def test_out_of_scope_questions_are_refused(retriever):
    from tests.conftest import ROOT

    data = load_jsonl(ROOT / "evals" / "out_of_scope.jsonl")
    refused = [not answer_question(d["q"], retriever=retriever, llm=False).covered for d in data]
    assert len(data) >= 30 and sum(refused) / len(data) >= 0.9


def test_numeric_question_with_unit_figures_gets_check_verdicts(retriever):
    a = answer_question("我们单位1200名职工，配了10个专职党务人员，够不够？", retriever=retriever, llm=False)
    assert a.covered and a.checks, a.text
    assert any("HG-36.1" in r.clauses for r in a.checks)
    assert "〔河钢标准 第36条第1款〕" in a.text


def test_question_without_unit_figures_runs_no_checks(retriever):
    assert answer_question("支委会多久开一次？", retriever=retriever, llm=False).checks == ()


# ---------------------------------------------------------------- CLI


@pytest.fixture
def cli_env(monkeypatch, fake_settings):
    for name, value in (("ASSISTANT_INDEX_DIR", fake_settings.index_dir),
                        ("ASSISTANT_EMBEDDING_MODEL", fake_settings.embedding_model),
                        ("ASSISTANT_LLM_BASE_URL", ""), ("ASSISTANT_LLM_MODEL", "")):
        monkeypatch.setenv(name, value)


def test_cli_ask_json_shape(capsys, cli_env, corpus, retriever):
    assert main(["ask", "支委会多久开一次？", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"answer", "covered", "citations", "mode"} and d["mode"] == "extractive"
    assert d["covered"] and d["citations"][0]["id"] == "HG-21.1"
    for c in d["citations"]:
        assert set(c) == {"id", "label", "quote", "verified"} and c["quote"] in corpus.get(c["id"]).text
        assert c["verified"] is True  # extractive quotes are the clause's own words


@pytest.mark.parametrize("question", ["", "   \t ", "支" * 2001, "支委会\x07多久开", "😀🎉👍", "？？！！"])
def test_cli_ask_bad_input_exits_2_without_traceback(capsys, question):
    assert main(["ask", question]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("错误：") and "Traceback" not in err


def test_cli_ask_batch_reports_bad_lines_in_place(tmp_path, capsys, cli_env, retriever):
    f = tmp_path / "q.txt"
    f.write_text("支委会多久开一次？\n😀\n{\"q\": \"年假怎么请\"}\n", encoding="utf-8")
    assert main(["ask", "--batch", str(f), "--json"]) == 2
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["q"] for r in rows] == ["支委会多久开一次？", "😀", "年假怎么请"]
    assert rows[0]["covered"] and "error" in rows[1] and rows[2]["covered"] is False


def test_cli_ask_needs_exactly_one_source(capsys):
    assert main(["ask"]) == 2
    assert "二者选一" in capsys.readouterr().err


def test_conversation_markdown_lists_citations(retriever):
    conv = Conversation(retriever=retriever, llm=False)
    conv.ask("支委会多久开一次？")
    md = conv.to_markdown()
    assert md.startswith("# ") and "支委会多久开一次" in md and "HG-21.1" in md and "支委会一般每月召开1次" in md
