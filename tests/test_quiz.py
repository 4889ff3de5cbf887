"""Quiz generation: every item is supported by its clause, papers are deterministic, bad input is
refused in Chinese. No model is loaded; everything runs on the clause tree and the registry."""

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest

from assistant import quiz as Q
from assistant.types import UserInputError

SEEDS = [1, 7, 42, 2024]


@pytest.fixture(scope="module")
def facts(corpus):
    return Q.extract_facts(corpus)


@pytest.fixture(scope="module", params=SEEDS)
def paper(request):
    return Q.generate_quiz(60, seed=request.param)


def leaf(corpus, item):
    return corpus.get(item.clause)


def stem_body(question: str) -> str:
    """The clause's words in a question: after `根据《…》，`, without the closing 。."""
    m = re.fullmatch(r"根据《[^》]+》，(.*)。", question)
    assert m, question
    return m.group(1)


def counterpart_values(corpus, clause_id, family_id):
    fam = next(f for f in Q.load_quiz_data().families if f.id == family_id)
    return Q._stated_values(corpus, Q._counterpart_ids(clause_id), fam) if fam.counterparts else []


# ------------------------------------------------------------------ every item is supported


def test_paper_has_the_requested_size_and_all_types(paper):
    assert len(paper.items) == 60
    assert {i.type for i in paper.items} == set(Q.TYPES)
    assert paper.message == ""


def test_every_item_names_its_standard_and_clause(corpus, paper):
    for item in paper.items:
        clause = leaf(corpus, item)
        assert clause is not None and clause.is_leaf
        assert item.label == clause.label
        short = corpus.document(clause.doc).short_name
        assert item.question.startswith(f"根据《{short}》"), item.question


def test_explanation_quotes_the_leaf_verbatim(corpus, paper):
    for item in paper.items:
        m = re.search(r"依据〔[^〕]+〕：“(.*)”$", item.explanation)
        assert m, item.explanation
        assert m.group(1) in leaf(corpus, item).text
        assert item.label in item.explanation


def test_blank_answer_is_verbatim_and_fills_the_clause_sentence(corpus, paper):
    blanks = [i for i in paper.items if i.type == "blank"]
    assert blanks
    for item in blanks:
        text = leaf(corpus, item).text
        assert item.answer in text
        body = stem_body(item.question)
        assert body.count(Q.BLANK) == 1
        assert body.replace(Q.BLANK, item.answer) in text  # the clause's own words, unchanged


def test_choice_has_four_options_and_exactly_one_right(corpus, paper):
    choices = [i for i in paper.items if i.type == "choice"]
    assert choices
    for item in choices:
        text = leaf(corpus, item).text
        assert len(item.options) == 4 and len(set(item.options)) == 4
        assert item.answer in "ABCD" and len(item.answer) == 1
        right = item.options["ABCD".index(item.answer)]
        assert right == item.fact and right in text
        assert stem_body(item.question).replace(Q.BLANK, right) in text
        meaning = Q.canonical(item.family, right)
        wrong = [o for o in item.options if o != right]
        # no distractor means the same as the answer (每季 = 每季度, 1次 = 一次)
        assert all(Q.canonical(item.family, o) != meaning for o in wrong), item.options
        # and none is what the other standard says about the same figure
        if not item.family.startswith("set:"):
            taken = counterpart_values(corpus, item.clause, item.family)
            assert not any(Q._conflicts(Q.canonical(item.family, o), taken) for o in wrong)
        else:  # a named set: the distractors are not in the clause at all
            assert not any(o in text for o in wrong)


def test_false_judge_differs_from_the_leaf_in_exactly_the_altered_fact(corpus, paper):
    judges = [i for i in paper.items if i.type == "judge"]
    assert {i.answer for i in judges} == {Q.TRUE, Q.FALSE}
    for item in judges:
        text = leaf(corpus, item).text
        statement = stem_body(item.question)
        assert statement == item.statement
        if item.answer == Q.TRUE:
            assert statement in text
            continue
        assert statement not in text
        seg = item.segment
        assert seg in text
        i = seg.index(item.fact) if seg.count(item.fact) == 1 else None
        # the statement is the segment with one occurrence of the fact swapped
        candidates = [k for k in range(len(seg)) if seg.startswith(item.fact, k)
                      and seg[:k] + item.shown + seg[k + len(item.fact):] == statement]
        assert candidates, (seg, statement)
        assert Q.canonical(item.family, item.shown) != Q.canonical(item.family, item.fact)
        assert i is None or candidates == [i]


def test_multi_right_options_are_in_the_clause_and_wrong_ones_are_not(corpus, paper):
    multis = [i for i in paper.items if i.type == "multi"]
    assert multis
    for item in multis:
        text = leaf(corpus, item).text
        right = item.correct_options
        wrong = [o for o in item.options if o not in right]
        assert len(right) >= 2 and len(wrong) >= 1 and len(item.options) <= 5
        assert item.answer == "".join(sorted(item.answer))
        assert all(o in text for o in right)
        assert not any(o in text for o in wrong)


def test_no_duplicate_questions_and_one_question_per_fact(paper):
    questions = [i.question for i in paper.items]
    assert len(set(questions)) == len(questions)
    keys = [i.source_key for i in paper.items]
    assert len(set(keys)) == len(keys)  # 60 is well within the corpus: no fact is asked twice


def test_question_stems_stay_a_sentence_not_a_paragraph(paper):
    for item in paper.items:
        if item.type != "multi":
            assert len(stem_body(item.question)) <= 110, item.question


# ------------------------------------------------------------------ distractors


@pytest.mark.parametrize("family,same,different", [
    ("period", ["每季", "每季度", "每个季度"], ["每月", "每半年", "每年"]),
    ("period", ["每月", "每个月"], ["每季度", "每年"]),
    ("times", ["1次", "一次"], ["2次", "两次"]),
    ("percent", ["1%", "百分之一"], ["0.5%", "2%"]),
    ("time_limit", ["半年内", "六个月内", "6个月内"], ["一个月内", "一年内"]),
    ("years", ["3年"], ["1年", "5年"]),
])
def test_equal_meanings_are_recognised(family, same, different):
    meanings = {Q.canonical(family, s) for s in same}
    assert len(meanings) == 1 and None not in meanings
    for d in different:
        assert Q.canonical(family, d) not in meanings


def test_no_fact_offers_a_distractor_equal_in_meaning_or_true_elsewhere(corpus, facts):
    for f in facts:
        meaning = Q.canonical(f.family, f.text)
        assert meaning is not None, f
        assert len({Q.canonical(f.family, a) for a in f.alternatives}) == len(f.alternatives)
        for alt in f.alternatives:
            assert Q.canonical(f.family, alt) != meaning, (f, alt)
        if not f.family.startswith("set:"):
            taken = counterpart_values(corpus, f.clause_id, f.family)
            assert not any(Q._conflicts(Q.canonical(f.family, a), taken) for a in f.alternatives), f


@pytest.mark.parametrize("clause_id,fact,never", [
    ("HG-37.1", "1%", ["0.5%", "2%", "1.5%"]),  # 四同步清单 allows 0.5%-2%
    ("SS-12.1", "0.5%-2%", ["0.5%-1%", "1%-2%", "1%-3%"]),  # 河钢标准 says 1%
    ("HG-1.2", "每月", ["每季度"]),  # 四同步清单: 中心组学习每季度
])
def test_distractors_are_never_what_the_other_standard_says(facts, clause_id, fact, never):
    found = [f for f in facts if f.clause_id == clause_id and f.text == fact]
    assert found
    for f in found:
        assert not set(f.alternatives) & set(never), f.alternatives


@pytest.mark.parametrize("clause_id,fact,allowed,implied", [
    # 每季度至少开展1次 implies 每年至少1次: that would be a second right option
    ("HG-21.1", "每季度", ["每月"], ["每半年", "每年"]),
    ("SS-15.3", "每季度", ["每月"], ["每半年", "每年"]),
    ("HG-31", "2次", ["3次", "4次"], ["1次"]),  # 至少研究2次
    ("HG-13.1", "3年", ["4年", "5年"], ["1年", "2年"]),  # 3年以上
    ("HG-8.1", "一个月之内", ["半个月之内"], ["两个月之内", "三个月之内"]),  # a deadline
    ("SS-2.3", "30%", ["40%"], ["20%", "25%"]),  # 不低于30%
])
def test_a_bound_fact_only_gets_stricter_distractors(facts, clause_id, fact, allowed, implied):
    found = [f for f in facts if f.clause_id == clause_id and f.text == fact]
    assert found
    for f in found:
        assert set(allowed) <= set(f.alternatives), f.alternatives
        assert not set(implied) & set(f.alternatives), f.alternatives


def test_no_bound_fact_anywhere_offers_a_weaker_value(corpus, facts):
    families = {f.id: f for f in Q.load_quiz_data().families}
    for f in facts:
        fam = families.get(f.family)
        if fam is None:
            continue
        text = corpus.get(f.clause_id).text
        m = fam.pattern.match(text, f.start)
        direction = Q.bound_direction(text, fam, m)
        value = Q.canonical(f.family, f.text)
        if direction is None or value[0] == "num" and value[2] is not None:
            continue
        for alt in f.alternatives:
            other = Q.canonical(f.family, alt)
            stricter = other[1] < value[1] if (f.family == "period" or direction == "max") \
                else other[1] > value[1]
            assert stricter, (f.clause_id, f.text, direction, alt)


def test_named_set_distractors_never_appear_in_the_clause_or_its_counterpart(corpus):
    for s in Q.load_quiz_data().sets:
        clause = corpus.get(s.clause)
        assert clause is not None and clause.is_leaf, s.id
        assert Q._member_positions(clause.text, s.members) is not None, s.id
        for d in s.distractors:
            assert d not in clause.text, (s.id, d)
            assert d not in s.members


# ------------------------------------------------------------------ registry


def _rule_ids():
    from assistant.checks.rules import load_rules

    return [r.id for r in load_rules()]


@pytest.mark.parametrize("rule_id", _rule_ids())
def test_every_registry_rule_yields_a_question(corpus, rule_id):
    from assistant.checks.rules import rule_by_id

    rule = rule_by_id(rule_id)
    pools = Q.candidate_items(seed=7)
    items = [i for t in pools.values() for i in t if rule_id in i.rules]
    assert items, f"no question for {rule_id}"
    quote_leaf = corpus.get(rule.clauses[0])
    for item in items:
        assert item.clause == quote_leaf.id
        assert item.fact in rule.quote


# ------------------------------------------------------------------ determinism and size


@pytest.mark.parametrize("fmt", Q.FORMATS)
def test_same_seed_same_bytes_different_seed_different_paper(fmt):
    a = Q.render_quiz(Q.generate_quiz(25, seed=11), fmt)
    b = Q.render_quiz(Q.generate_quiz(25, seed=11), fmt)
    c = Q.render_quiz(Q.generate_quiz(25, seed=12), fmt)
    assert a == b
    assert a != c


def test_papers_differ_in_content_across_seeds():
    papers = [tuple(i.question for i in Q.generate_quiz(20, seed=s).items) for s in SEEDS]
    assert len(set(papers)) == len(SEEDS)


def test_bytes_are_identical_across_processes(tmp_path):
    """Hash randomisation and clock time must not leak into the files."""
    outs = []
    for hashseed in ("1", "99"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        paths = [tmp_path / f"{hashseed}.{ext}" for ext in ("docx", "json")]
        for p in paths:
            r = subprocess.run([sys.executable, "-m", "assistant", "quiz", "-n", "15", "--seed", "5",
                                "-o", str(p)], capture_output=True, text=True, env=env)
            assert r.returncode == 0, r.stderr
        outs.append([p.read_bytes() for p in paths])
    assert outs[0] == outs[1]


def test_more_than_the_corpus_supports_gives_all_it_can_and_says_so():
    quiz = Q.generate_quiz(1000, seed=3)
    assert 50 <= len(quiz.items) < 1000  # one question per reviewed fact, none answering another
    assert str(len(quiz.items)) in quiz.message and "1000" in quiz.message
    assert len({i.question for i in quiz.items}) == len(quiz.items)
    small = Q.generate_quiz(50, types=["multi"], seed=3)
    assert len(small.items) == len(Q.load_quiz_data().sets) and small.message


def test_doc_and_topic_narrow_the_paper(corpus):
    ss = Q.generate_quiz(15, doc="ss", seed=2)
    assert ss.items and all(i.clause.startswith("SS-") for i in ss.items)
    topical = Q.generate_quiz(10, topic="党课", seed=2)
    for item in topical.items:
        c = corpus.get(item.clause)
        assert "党课" in f"{c.part}{c.title}{c.text}"


@pytest.mark.parametrize("kwargs,words", [
    ({"n": 0}, "至少为1"),
    ({"n": -3}, "至少为1"),
    ({"n": "abc"}, "正整数"),
    ({"n": 5, "types": ["choice", "essay"]}, "未知的题型"),
    ({"n": 5, "types": []}, "没有指定题型"),
    ({"n": 5, "doc": "XY"}, "未知的文档"),
    ({"n": 5, "topic": "火箭发射"}, "没有与“火箭发射”相关的条款"),
    ({"n": 5, "seed": "七"}, "随机种子"),
])
def test_bad_input_is_refused_in_chinese(kwargs, words):
    with pytest.raises(UserInputError, match=words):
        Q.generate_quiz(**kwargs)


def test_unknown_format_is_refused():
    with pytest.raises(UserInputError, match="未知的输出格式"):
        Q.render_quiz(Q.generate_quiz(2), "pdf")


# ------------------------------------------------------------------ formats


@pytest.fixture(scope="module")
def small_quiz():
    return Q.generate_quiz(12, seed=7)


def test_json_is_items_with_the_documented_fields(small_quiz):
    d = json.loads(Q.render_quiz(small_quiz, "json"))
    assert list(d) == ["items"]
    assert len(d["items"]) == 12
    for it in d["items"]:
        assert list(it) == ["type", "question", "options", "answer", "explanation", "clause", "label"]


def test_markdown_keeps_the_key_out_of_the_paper(small_quiz):
    md = Q.render_quiz(small_quiz, "md").decode("utf-8")
    paper, key = md.split("## 答案及解析")
    assert "## 试卷" in paper
    assert "依据〔" not in paper and "答案：" not in paper
    for n, item in enumerate(small_quiz.items, start=1):
        assert f"{n}. {item.question}" in paper
        assert f"{n}. 答案：**{Q.answer_text(item)}**" in key


def test_csv_has_bom_header_and_one_row_per_question(small_quiz):
    raw = Q.render_quiz(small_quiz, "csv")
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == Q.CSV_COLUMNS
    assert len(rows) == 1 + len(small_quiz.items)
    by_question = {r[2]: r for r in rows[1:]}
    for item in small_quiz.items:
        row = by_question[item.question]
        assert row[8] == item.answer and row[10] == item.clause
        if item.type in ("choice", "multi"):
            assert row[3:3 + len(item.options)] == list(item.options)


def test_docx_reopens_with_paper_and_key_sections(small_quiz):
    from docx import Document
    from docx.oxml.ns import qn

    data = Q.render_quiz(small_quiz, "docx")
    assert zipfile.is_zipfile(io.BytesIO(data))
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["试卷", "答案及解析"]
    split = texts.index("答案及解析")
    paper, key = "\n".join(texts[:split]), "\n".join(texts[split:])
    for n, item in enumerate(small_quiz.items, start=1):
        assert f"{n}. {item.question}" in paper
        assert item.explanation in key
    assert "依据〔" not in paper
    rfonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia"))  # Chinese font set, or Word falls back to a Latin face


# ------------------------------------------------------------------ practice


@pytest.mark.parametrize("kind", ["choice", "multi", "judge", "blank"])
def test_check_answer_accepts_the_key_and_rejects_others(kind):
    quiz = Q.generate_quiz(8, types=[kind], seed=5)
    for item in quiz.items:
        ok, verdict = Q.check_answer(item, item.answer)
        assert ok and verdict.startswith("回答正确") and item.label in verdict
        if kind in ("choice", "multi"):
            wrong = "A" if item.answer != "A" else "B"
        elif kind == "judge":
            wrong = Q.FALSE if item.answer == Q.TRUE else Q.TRUE
        else:
            wrong = "随便写的"
        assert Q.check_answer(item, wrong)[0] is False
        assert Q.check_answer(item, "")[0] is False


def test_check_answer_accepts_equal_meanings_in_a_blank(corpus, facts):
    fact = next(f for f in facts if f.text == "每季" and f.clause_id == "HG-21.1")
    item = Q.make_item(corpus, fact, "blank", 7)
    assert Q.check_answer(item, "每季度")[0]
    assert Q.check_answer(item, "每个季度")[0]
    assert not Q.check_answer(item, "每月")[0]
    one = next(f for f in facts if f.text == "一次" and f.clause_id == "HG-1.2")
    assert Q.check_answer(Q.make_item(corpus, one, "blank", 7), "1次")[0]


def test_check_answer_takes_option_texts_and_letter_lists():
    item = Q.generate_quiz(1, types=["multi"], seed=9).items[0]
    assert Q.check_answer(item, list(item.correct_options))[0]
    assert Q.check_answer(item, list(item.answer.lower()))[0]
    assert not Q.check_answer(item, list(item.correct_options[:1]))[0]


# ------------------------------------------------------------------ CLI


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "assistant", "quiz", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.mark.parametrize("args,words", [
    (["-n", "0"], "题目数量"),
    (["-n", "五"], "正整数"),
    (["--types", "choice,essay"], "未知的题型"),
    (["--topic", "火箭发射"], "没有与“火箭发射”相关的条款"),
    (["--doc", "XX"], "未知的文档"),
    (["--format", "pdf"], "未知的输出格式"),
])
def test_cli_bad_input_exits_2_with_a_message_and_writes_nothing(tmp_path, args, words):
    out = tmp_path / "quiz.docx"
    r = run_cli(*args, "-o", str(out))
    assert r.returncode == 2
    assert words in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_each_format(tmp_path):
    for ext in ("json", "md", "csv", "docx"):
        out = tmp_path / f"paper.{ext}"
        r = run_cli("-n", "6", "--topic", "组织生活", "--seed", "3", "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 0
    assert len(json.loads((tmp_path / "paper.json").read_text("utf-8"))["items"]) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.csv", "paper.docx", "paper.json", "paper.md"]


def test_cli_says_when_fewer_questions_could_be_made(tmp_path):
    r = run_cli("-n", "50", "--types", "multi", "--format", "json")
    assert r.returncode == 0
    assert "最多只能出" in r.stderr
    assert len(json.loads(r.stdout)["items"]) == len(Q.load_quiz_data().sets)
