"""条款浏览: the whole clause tree of both documents, with search, a document filter and deep links."""

from __future__ import annotations

import streamlit as st

from ..types import UserInputError
from .formatting import DOC_FILTER_ALL, escape_markdown, filter_items
from .resources import clause_link, get_corpus, show_user_error


def _selected_clause(corpus):
    """The clause named by `?clause=`, or None. An unknown ID is reported, not raised."""
    raw = st.query_params.get("clause")
    if not raw:
        return None
    try:
        return corpus.require(raw)
    except UserInputError as e:
        show_user_error(e)
        return None


def _leaf_markdown(leaf) -> str:
    return f"**{escape_markdown(leaf.label)}**　`{leaf.id}`  \n{escape_markdown(leaf.text)}"


def _show_selected(corpus, clause) -> None:
    doc = corpus.document(clause.doc)
    with st.container(border=True):
        st.markdown(f"##### 📌 {escape_markdown(clause.label)}")
        st.caption(f"《{doc.title}》 · {clause.part} · 第{clause.item_no}条 {clause.title}"
                   if clause.item_no else f"《{doc.title}》 · {clause.part}")
        for leaf in corpus.leaves_of(clause.id):
            st.markdown(_leaf_markdown(leaf))
        if clause.sub_no is not None:
            item = corpus.item_of(clause)
            siblings = [c for c in item.children if c != clause.id]
            if siblings:
                st.caption("同条其他款：" + "　".join(
                    f"[{corpus.get(c).label}]({clause_link(c)})" for c in siblings))


def render() -> None:
    corpus = get_corpus()
    st.header("条款浏览")
    selected = _selected_clause(corpus)
    if selected is not None:
        _show_selected(corpus, selected)

    doc_names = {d.short_name: d.code for d in corpus.documents}
    col_search, col_doc = st.columns([3, 2], vertical_alignment="bottom")
    with col_search:
        query = st.text_input("搜索条款", key="browse_query", placeholder="输入关键词或编号，如 支委会、HG-21.1、董事会",
                              max_chars=100)
    with col_doc:
        doc_choice = st.segmented_control("文档", [DOC_FILTER_ALL, *doc_names], key="browse_doc",
                                          default=DOC_FILTER_ALL)
    doc_code = doc_names.get(doc_choice) if doc_choice and doc_choice != DOC_FILTER_ALL else None

    shown = filter_items(corpus, query, doc_code)
    n_leaves = sum(len(subs) or 1 for _, subs in shown)
    if query.strip():
        st.caption(f"找到 {len(shown)} 条执行要点、{n_leaves} 个条款。")
        if not shown:
            st.info("没有找到包含这些词的条款。可以换个说法，或清空搜索框查看全部条款。")
    else:
        st.caption(f"共 {len(shown)} 条执行要点、{n_leaves} 个可引用条款。点击展开查看原文。")

    expand_all = bool(query.strip()) and len(shown) <= 8
    for doc in corpus.documents:
        items = [(item, subs) for item, subs in shown if item.doc == doc.code]
        if not items:
            continue
        st.subheader(f"《{doc.title}》", divider="red")
        part = None
        for item, subs in items:
            if item.part != part:
                part = item.part
                st.markdown(f"**{escape_markdown(part)}**")
            is_selected = selected is not None and selected.item_id == item.id
            title = f"{item.label}　{item.title}" if item.item_no else item.label
            with st.expander(title, expanded=expand_all or is_selected):
                for leaf in subs or [item]:
                    st.markdown(_leaf_markdown(leaf))
