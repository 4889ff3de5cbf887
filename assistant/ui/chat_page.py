"""问答: chat with the standards. Every answer carries its citations as expandable source cards,
and 👍/👎 feedback (with an optional reason) stored with the turn.

Conversations live in the conversation store (see history.py): a reload or a later visit from the
same browser shows them again. Per-session state is only which conversation is open.
"""

from __future__ import annotations

import streamlit as st

from ..questions import MAX_QUESTION_CHARS, validate_question
from ..types import Answer, Citation, UserInputError
from . import history
from .formatting import escape_markdown, highlight_quote, plain_text_markdown
from .resources import clause_page_link, get_corpus, get_retriever, show_user_error

EXAMPLE_QUESTIONS = (
    "支委会多久开一次？",
    "党委成员进入董事会的比例有什么要求？",
    "党建工作经费按什么比例列支？",
    "专职党务工作人员应配备多少？",
)

MODE_NAMES = {"extractive": "抽取式回答", "llm": "大模型回答"}
MAX_REASON_CHARS = 500


def _ask_example(question: str) -> None:
    st.session_state["chat_pending"] = question


def _on_rating(turn_id: int) -> None:
    value = st.session_state.get(f"fb_{turn_id}")
    if value is None:
        return
    try:
        history.save_feedback(turn_id, 1 if value == 1 else -1)
        st.session_state[f"fb_saved_{turn_id}"] = "感谢反馈，已记录。"
    except Exception as e:
        st.session_state[f"fb_saved_{turn_id}"] = f"反馈未能保存：{type(e).__name__}"


def _on_reason(turn_id: int) -> None:
    value = st.session_state.get(f"fb_{turn_id}")
    reason = (st.session_state.get(f"fb_reason_{turn_id}") or "").strip()
    if value is None or not reason:
        return
    try:
        history.save_feedback(turn_id, 1 if value == 1 else -1, reason)
        st.session_state[f"fb_saved_{turn_id}"] = "原因已记录，谢谢。"
        st.session_state[f"fb_reason_{turn_id}"] = ""
    except Exception as e:
        st.session_state[f"fb_saved_{turn_id}"] = f"反馈未能保存：{type(e).__name__}"


def render_feedback(turn_id: int, given: tuple[int, str] | None) -> None:
    """👍/👎 under an answer; after a 👎 (or any rating) an optional reason."""
    key = f"fb_{turn_id}"
    default = None if given is None else (1 if given[0] == 1 else 0)
    st.feedback("thumbs", key=key, default=default, on_change=_on_rating, args=(turn_id,))
    value = st.session_state.get(key, default)
    if value is not None:
        placeholder = "哪里不对？例如：引错了条款、没回答到点上（可选）" if value == 0 else "补充说明（可选）"
        with st.form(f"fb_form_{turn_id}", border=False, enter_to_submit=True):
            st.text_input("原因", key=f"fb_reason_{turn_id}", placeholder=placeholder, max_chars=MAX_REASON_CHARS,
                          label_visibility="collapsed")
            st.form_submit_button("提交原因", on_click=_on_reason, args=(turn_id,))
    msg = st.session_state.pop(f"fb_saved_{turn_id}", None)
    if msg:
        st.caption(msg)


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


def _answer(question: str):
    """Ask through the service (history.ask): extractive mode yields the result at once; an LLM first
    yields text chunks, shown as a live preview and then replaced by the checked answer. The
    preview is the model's unchecked text, so it is shown as escaped plain text: no Markdown,
    links, images or HTML from the model ever reach the page."""
    from ..llm import preview_text

    items = history.ask(question, get_retriever())
    with st.spinner("正在检索条款…"):
        first = next(items)
    if not isinstance(first, str):
        return first
    placeholder = st.empty()
    written = first
    placeholder.markdown(plain_text_markdown(preview_text(written)))
    final = None
    for part in items:
        if not isinstance(part, str):
            final = part
            continue
        written += part
        placeholder.markdown(plain_text_markdown(preview_text(written)))
    placeholder.empty()
    if final is None:
        raise RuntimeError("回答生成中断，请重试。")
    return final


def _markdown(records) -> str:
    from ..answer import Conversation
    from ..types import Turn

    conv = Conversation(retriever=None)
    conv.turns = [Turn(q, q, a) for _, q, a in records]
    return conv.to_markdown()


def render() -> None:
    corpus = get_corpus()
    st.header("问答")
    history.load_current()
    records: list = history.records()
    typed = st.chat_input("请输入问题，例如：支委会多久开一次？", key="chat_input",
                          max_chars=MAX_QUESTION_CHARS)
    question = typed or st.session_state.pop("chat_pending", None)

    given = {}
    if records and history.logging_enabled():
        try:
            given = history.given_feedback([t for t, _, _ in records if t is not None])
        except Exception:  # feedback display is a nicety; the answers still show
            given = {}
    for turn_id, asked, answer in records:
        with st.chat_message("user"):
            st.markdown(escape_markdown(asked))
        with st.chat_message("assistant"):
            render_answer(answer, corpus)
            if turn_id is not None:
                render_feedback(turn_id, given.get(turn_id))

    if not records and question is None:
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
                result = _answer(q)
            except UserInputError as e:
                show_user_error(e)
            except Exception as e:  # the page stays usable; the message says what failed
                show_user_error(e)
            else:
                render_answer(result.answer, corpus)
                records.append((result.turn_id, q, result.answer))
                if result.turn_id is not None:
                    render_feedback(result.turn_id, None)
                    history.load_current()  # the address now names the new conversation

    if records:
        st.download_button("⬇️ 下载对话（Markdown，含引用）", data=_markdown(records),
                           file_name="标准助手对话.md", mime="text/markdown", key="chat_download")
