"""The hybrid retriever on a real index built with the model-free hashing embedder."""

import json

import pytest

from assistant.cli import main
from assistant.types import UserInputError


def test_doc_filter_keeps_one_document(retriever):
    for doc in ("HG", "SS"):
        hits = retriever.search("党建工作经费按工资总额的比例", k=10, doc=doc)
        assert hits and all(h.clause.doc == doc for h in hits)


def test_a_question_on_both_documents_reaches_both(retriever):
    hits = retriever.search("党建经费占工资的百分之几？", k=5)
    assert {h.clause.item_id for h in hits} >= {"HG-37", "SS-12"}


@pytest.mark.parametrize("k", [1, 3, 10])
def test_k_hits_best_first(retriever, k):
    hits = retriever.search("谈心谈话", k=k)
    assert len(hits) == k
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    "query, kwargs",
    [
        ("", {}),
        ("   \n\t ", {}),
        ("？？！！……", {}),
        ("党" * 2001, {}),
        ("支委会", {"k": 0}),
        ("支委会", {"k": "5"}),
        ("支委会", {"doc": "XX"}),
    ],
)
def test_bad_input_is_a_user_input_error(retriever, query, kwargs):
    with pytest.raises(UserInputError):
        retriever.search(query, **kwargs)


@pytest.mark.parametrize("off_topic", ["今天天气怎么样", "住房公积金怎么交", "How many times should the committee meet?"])
def test_off_topic_questions_score_clearly_lower(retriever, off_topic):
    on = retriever.search("支委会多久开一次？", k=1)
    off = retriever.search(off_topic, k=3)
    assert off[0].score < on[0].score / 3
    assert retriever.coverage(off_topic, off) == 0.0
    assert retriever.coverage("支委会多久开一次？", on) >= 0.5


def test_hits_carry_their_parts(retriever):
    h = retriever.search("专职党务人员应当达到职工总数的百分之几", k=1)[0]
    assert h.clause.id == "HG-36.1"
    assert 0 < h.lexical <= 1 and -1 <= h.dense <= 1 and 0 < h.score <= 1


def test_langchain_face_returns_documents_with_metadata(retriever):
    from assistant.retrieval import StandardsRetriever

    docs = StandardsRetriever(hybrid=retriever, k=3).invoke("支委会多久开一次？")
    assert len(docs) == 3
    assert docs[0].metadata["id"] == "HG-21.1"
    assert set(docs[0].metadata) >= {"id", "label", "doc", "score"}
    assert docs[0].page_content == retriever.corpus.get("HG-21.1").text


@pytest.fixture
def fake_env(monkeypatch, fake_settings, retriever):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", fake_settings.index_dir)
    monkeypatch.setenv("ASSISTANT_EMBEDDING_MODEL", fake_settings.embedding_model)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", fake_settings.corpus_dir)
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "")


def test_cli_retrieve_json(fake_env, capsys):
    assert main(["retrieve", "支委会多久开一次？", "-k", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "支委会多久开一次？"
    assert [set(h) for h in out["hits"]] == [{"id", "doc", "label", "title", "text", "score"}] * 2
    assert out["hits"][0]["id"] == "HG-21.1"


def test_cli_batch_prints_one_json_per_line_in_order(fake_env, tmp_path, capsys):
    f = tmp_path / "q.jsonl"
    f.write_text('{"q": "支委会多久开一次？"}\n党费收缴\n\n{"q": "党员活动室"}\n', encoding="utf-8")
    assert main(["retrieve", "--batch", str(f), "-k", "1"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["query"] for x in lines] == ["支委会多久开一次？", "党费收缴", "党员活动室"]


@pytest.mark.parametrize(
    "argv_tail, message",
    [
        (["retrieve", ""], "为空"),
        (["retrieve", "  ！？ "], "标点"),
        (["retrieve", "党" * 2001], "过长"),
        (["retrieve", "支委会", "-k", "0"], "返回条数"),
    ],
)
def test_cli_bad_input_exits_2_with_a_chinese_message(fake_env, capsys, argv_tail, message):
    assert main(argv_tail) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_batch_that_is_not_utf8_exits_2(fake_env, tmp_path, capsys):
    f = tmp_path / "gbk.txt"
    f.write_bytes("支委会多久开一次".encode("gbk"))
    assert main(["retrieve", "--batch", str(f)]) == 2
    assert "UTF-8" in capsys.readouterr().err
