"""AppTest for the 题库 / 练习 page: a paper with downloads, bad input as a warning, practice flow."""

import pytest
from tests.conftest import run_page


@pytest.fixture
def at():
    return run_page("quiz_page")


def test_generate_paper_with_downloads_and_key(at):
    at.number_input(key="quiz_n").set_value(8)
    at.number_input(key="quiz_seed").set_value(3)
    at.button(key="FormSubmitter:quiz_form-生成试卷").click().run()
    assert not at.exception, at.exception
    quiz = at.session_state["quiz_paper"]
    assert len(quiz.items) == 8 and quiz.seed == 3
    files = at.session_state["quiz_files"][1]
    assert set(files) == {"docx", "md", "csv", "json"}
    from assistant.quiz import generate_quiz, render_quiz

    assert files["json"] == render_quiz(generate_quiz(8, seed=3), "json")  # same as the CLI
    shown = "\n".join(m.value for m in at.markdown)
    assert quiz.items[0].clause and "答案：" not in shown
    at.toggle(key="quiz_show_key").set_value(True).run()
    shown = "\n".join(m.value for m in at.markdown)
    assert shown.count("答案：") == 8


def test_topic_with_no_clauses_is_a_warning(at):
    at.text_input(key="quiz_topic").set_value("火箭发射")
    at.button(key="FormSubmitter:quiz_form-生成试卷").click().run()
    assert not at.exception, at.exception
    assert "没有与“火箭发射”相关的条款" in at.warning[0].value
    assert "quiz_paper" not in at.session_state


def test_practice_one_question_at_a_time(at):
    at.selectbox(key="quiz_practice_size").set_value(5)
    at.multiselect(key="quiz_practice_types").set_value(["judge"])
    at.button(key="FormSubmitter:quiz_practice_form-开始一组练习").click().run()
    assert not at.exception, at.exception
    quiz = at.session_state["quiz_practice"]
    assert len(quiz.items) == 5
    for i, item in enumerate(quiz.items):
        assert at.session_state["quiz_practice_index"] == i
        at.radio(key=f"quiz_response_1_{i}").set_value(item.answer)  # answer right
        at.button(key="quiz_submit").click().run()
        assert not at.exception, at.exception
        assert at.success[0].value.startswith("回答正确")
        assert any(item.label in m.value or item.explanation[:10] in m.value for m in at.markdown)
        at.button(key="quiz_next").click().run()
    assert at.session_state["quiz_practice_results"] == {i: True for i in range(5)}
    assert "答对5题" in at.success[0].value


def test_practice_wrong_answer_shows_the_key_and_clause(at):
    at.multiselect(key="quiz_practice_types").set_value(["blank"])
    at.button(key="FormSubmitter:quiz_practice_form-开始一组练习").click().run()
    item = at.session_state["quiz_practice"].items[0]
    at.text_input(key="quiz_response_1_0").set_value("不知道")
    at.button(key="quiz_submit").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value == f"回答错误。正确答案：{item.answer}。"
    assert at.session_state["quiz_practice_results"] == {0: False}
