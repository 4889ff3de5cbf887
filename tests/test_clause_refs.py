"""Questions that name a clause by its number: the named clause is the evidence."""

import pytest

from assistant.answer import answer_question
from assistant.answer.clause_refs import asks_what_it_says, referenced_leaves


@pytest.mark.parametrize("question,leaves", [
    ("河钢标准第二十一条讲了什么", ("HG-21.1", "HG-21.2", "HG-21.3", "HG-21.4", "HG-21.5")),
    ("清单第7条第4项是什么", ("SS-7.4",)),
    ("清单第7条④怎么说的", ("SS-7.4",)),
    ("第22条原文", ("HG-22",)),  # only one document has a 22nd article
    ("清单开头的总体要求说了什么", ("SS-0",)),
    ("支委会多久开一次", ()),
])
def test_clauses_named_by_number_are_found(corpus, question, leaves):
    assert referenced_leaves(question, corpus) == leaves


def test_a_number_without_a_document_names_the_article_of_each_document_that_has_it(corpus):
    found = referenced_leaves("第5条是什么内容", corpus)
    assert "HG-5" in found and any(i.startswith("SS-5.") for i in found)


@pytest.mark.parametrize("question,whole", [
    ("河钢标准第21条讲了什么", True),
    ("第22条原文", True),
    ("河钢第21条里支委会多久开一次", False),  # a particular thing asked of the clause
])
def test_asking_what_a_clause_says_is_told_from_asking_something_of_it(corpus, question, whole):
    assert asks_what_it_says(question, corpus) == whole


def test_what_a_named_clause_says_is_quoted_whole_and_verbatim(retriever, corpus):
    a = answer_question("河钢标准第二十一条讲了什么", retriever=retriever, llm=False)
    assert a.covered and [c.id for c in a.citations] == ["HG-21.1", "HG-21.2", "HG-21.3", "HG-21.4", "HG-21.5"]
    assert all(c.quote in corpus.get(c.id).text for c in a.citations)
    assert a.text.startswith("河钢标准 第21条（")


def test_a_particular_ask_of_a_named_clause_is_answered_from_it(retriever):
    a = answer_question("河钢第21条里党小组会多久开一次", retriever=retriever, llm=False)
    assert a.citations[0].id == "HG-21.1" and "党小组会一般每月召开1次" in a.text.split("相关条款")[0]


def test_clauses_of_both_documents_named_by_number_are_compared(retriever):
    a = answer_question("河钢第五条和清单开头那段，说法有什么不同", retriever=retriever, llm=False)
    ids = {c.id for c in a.citations[:2]}
    assert ids == {"HG-5", "SS-0"}


@pytest.mark.parametrize("question,said", [
    ("河钢标准第39条是什么", "河钢标准共38条"),
    ("清单第7条第9项讲了什么", "四同步清单第7条只有5项"),
])
def test_a_clause_number_that_does_not_exist_is_said_so_not_guessed(retriever, question, said):
    a = answer_question(question, retriever=retriever, llm=False)
    assert not a.covered and not a.citations and said in a.text
