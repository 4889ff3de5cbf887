"""The fixtures other parts build on: a retriever that finds the obvious clause first."""

import pytest


@pytest.mark.parametrize(
    "question, item",
    [
        ("支委会多久开一次？", "HG-21"),
        ("入党几年能当支部书记？", "HG-13"),
        ("党建经费占工资的百分之几？", "HG-37"),
    ],
)
def test_fake_retriever_finds_the_item_first(retriever, question, item):
    hits = retriever.search(question, k=5)
    assert hits[0].clause.item_id == item
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.slow
def test_real_retriever_finds_the_item_first(real_retriever):
    hits = real_retriever.search("支委会多久开一次？", k=5)
    assert hits[0].clause.item_id == "HG-21"
