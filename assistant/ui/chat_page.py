"""问答: chat with the standards. Every answer carries its citations as expandable source cards.

Per-session state (never module globals): `chat_turns` is the list of (question, Answer) shown,
`chat_conversation` the Conversation that remembers context for follow-up questions.
"""

from __future__ import annotations

import streamlit as st

from ..questions import MAX_QUESTION_CHARS, validate_question
from ..types import Answer, Citation, UserInputError
from .formatting import escape_markdown, highlight_quote, plain_text_markdown
from .resources import clause_page_link, get_corpus, get_retriever, show_user_error

EXAMPLE_QUESTIONS = (
    "支委会多久开一次？",
    "党委成员进入董事会的比例有什么要求？",
    "党建工作经费按什么比例列支？",
    "专职党务工作人员应配备多少？",
)

MODE_NAMES = {"extractive": "抽取式回答", "llm": "大模型回答"}


def new_conversation(retriever):
    from ..answer import Conversation

    return Conversation(retriever)


def _conversation():
    conv = st.session_state.get("chat_conversation")
    if conv is None:
        conv = new_conversation(get_retriever())
        st.session_state["chat_conversation"] = conv
    return conv


def _ask_example(question: str) -> None:
    st.session_state["chat_pending"] = question


def _clear() -> None:
    for key in ("chat_turns", "chat_conversation", "chat_pending"):
        st.session_state.pop(key, None)


def render_source_card(citation: Citation, corpus) -> None:
    clause = corpus.get(citation.id)
    title = f"📄 {citation.label}" + (f"　{clause.title}" if clause is not None and clause.item_no else "")
    with st.expander(title):
        if clause is None:
            st.warning(f"条款 {citation.id} 不在当前标准文本中。", icon="⚠️")
            return
        doc = corpus.document(clause.doc)
        where = f"《{doc.title}》 · {clause.part}"
        if clause.item_no:
            where += f" · 第{clause.item_no}条 {clause.title}"
        st.caption(where)
        text, found = highlight_quote(clause.text, citation.quote)
        st.markdown(text)
        if not found and citation.quote:
            st.caption("（引文未能在原文中逐字定位，以上为该条款全文。）")
        if not citation.verified:
            st.caption("⚠️ 这条引文未通过核对，请以条款原文为准。")
        clause_page_link(clause.id)


def render_answer(answer: Answer, corpus) -> None:
    # Shown as plain text (lists kept): answers may echo the user's words, and an LLM's Markdown
    # could carry links or markup that nobody checked.
    body = plain_text_markdown(answer.text)
    if answer.covered:
        st.markdown(body)
    else:
        st.warning(body, icon="📭")
    if answer.notice:
        st.info(answer.notice, icon="ℹ️")
    if answer.citations:
        st.caption(f"依据条款（{len(answer.citations)}）· {MODE_NAMES.get(answer.mode, answer.mode)}")
        for citation in answer.citations:
            render_source_card(citation, corpus)


def _answer(conv, question: str) -> Answer:
    """Ask through Conversation.stream: extractive mode yields the Answer at once; an LLM first
    yields text chunks, shown as a live preview and then replaced by the checked answer. The
    preview is the model's unchecked text, so it is shown as escaped plain text: no Markdown,
    links, images or HTML from the model ever reach the page."""
    from ..llm import preview_text

    items = conv.stream(question)
    with st.spinner("正在检索条款…"):
        first = next(items)
    if isinstance(first, Answer):
        return first
    placeholder = st.empty()
    written = first
    placeholder.markdown(plain_text_markdown(preview_text(written)))
    final: Answer | None = None
    for part in items:
        if isinstance(part, Answer):
            final = part
            continue
        written += part
        placeholder.markdown(plain_text_markdown(preview_text(written)))
    placeholder.empty()
    if final is None:
        raise RuntimeError("回答生成中断，请重试。")
    return final


def render() -> None:
    corpus = get_corpus()
    st.header("问答")
    turns: list = st.session_state.setdefault("chat_turns", [])
    typed = st.chat_input("请输入问题，例如：支委会多久开一次？", key="chat_input",
                          max_chars=MAX_QUESTION_CHARS)
    question = typed or st.session_state.pop("chat_pending", None)

    for asked, answer in turns:
        with st.chat_message("user"):
            st.markdown(escape_markdown(asked))
        with st.chat_message("assistant"):
            render_answer(answer, corpus)

    if not turns and question is None:
        st.markdown("用自己的话提问，回答会附上所依据的标准条款。可以先试试这些问题：")
        cols = st.columns(2)
        for i, example in enumerate(EXAMPLE_QUESTIONS):
            cols[i % 2].button(example, key=f"chat_example_{i}", on_click=_ask_example, args=(example,),
                               width="stretch")

    if question is not None:
        with st.chat_message("user"):
            st.markdown(escape_markdown(question))
        with st.chat_message("assistant"):
            try:
                q = validate_question(question)
                answer = _answer(_conversation(), q)
            except UserInputError as e:
                show_user_error(e)
            except Exception as e:  # the page stays usable; the message says what failed
                show_user_error(e)
            else:
                render_answer(answer, corpus)
                turns.append((q, answer))

    if turns:
        conv = st.session_state.get("chat_conversation")
        col_dl, col_clear, _ = st.columns([2, 1, 3], vertical_alignment="center")
        with col_dl:
            st.download_button("⬇️ 下载对话（Markdown，含引用）", data=conv.to_markdown() if conv else "",
                               file_name="标准助手对话.md", mime="text/markdown", key="chat_download")
        with col_clear:
            st.button("🗑️ 清空对话", key="chat_clear", on_click=_clear)
