"""Conversation history for the app: kept in the conversation store (assistant/store), per browser.

Session state: `chat_cid` is the open conversation's id (None: a new one, created with its first
question); `chat_records` the turns shown, as (turn id, question, Answer); `chat_turns_mem` the
turns used as context when question logging is off. The open conversation's id is also in the
page address (`?c=…`), so a reload opens it again; only its owner can open it.
"""

from __future__ import annotations

import streamlit as st

from ..config import get_settings
from .identity import browser_owner

PARAM = "c"
LIST_LIMIT = 50
UNTITLED = "（未命名对话）"


def logging_enabled() -> bool:
    return get_settings().question_log_enabled


def get_store():
    """The conversation store for ASSISTANT_DB_URL, opened (and migrated) once per server."""
    return _store(get_settings().db_url)


@st.cache_resource(show_spinner=False)
def _store(db_url: str):
    from ..store import open_store

    return open_store(db_url)


def current_id() -> str | None:
    return st.session_state.get("chat_cid")


def records() -> list:
    return st.session_state.setdefault("chat_records", [])


def _reset_view() -> None:
    for key in ("chat_records", "chat_turns_mem", "chat_pending", "chat_loaded"):
        st.session_state.pop(key, None)


def new_conversation() -> None:
    """新对话: the next question starts a conversation (nothing is created before it)."""
    st.session_state["chat_cid"] = None
    _reset_view()
    st.session_state["goto_chat"] = True
    st.session_state["close_sidebar"] = True


def open_conversation(cid: str) -> None:
    st.session_state["chat_cid"] = cid
    _reset_view()
    st.session_state["goto_chat"] = True
    st.session_state["close_sidebar"] = True  # on a phone the chosen conversation gets the screen


def load_current() -> None:
    """On the chat page: take the conversation from the address after a reload, load its turns once,
    and keep the address pointing at the open conversation."""
    if not logging_enabled():
        return
    from ..store import NotFound

    owner = browser_owner()
    wanted = st.query_params.get(PARAM)
    if "chat_cid" not in st.session_state:  # a fresh session (a reload or a shared link)
        st.session_state["chat_cid"] = wanted or None
    cid = current_id()
    if cid and not st.session_state.get("chat_loaded"):
        try:
            rows = get_store().list_turns(cid, owner)
        except NotFound:
            st.session_state["chat_cid"] = cid = None
            st.info("这个对话不存在，或属于另一个浏览器。已为你打开新对话。", icon="ℹ️")
            rows = []
        st.session_state["chat_records"] = [(r.id, r.question, r.answer) for r in rows]
        st.session_state["chat_loaded"] = True
    if cid:
        if st.query_params.get(PARAM) != cid:
            st.query_params[PARAM] = cid
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def ask(question: str, retriever):
    """Answer through the service, saved in the open conversation (created on the first question)
    when logging is on. Yields preview chunks (str) and then the AskResult."""
    from ..service import AssistantService

    svc = AssistantService(get_settings(), retriever=retriever, store=get_store() if logging_enabled() else None)
    if not logging_enabled():
        history = st.session_state.get("chat_turns_mem", [])
        for item in svc.stream(question, history=history):
            if not isinstance(item, str):
                st.session_state["chat_turns_mem"] = list(item.turns)
            yield item
        return
    owner = browser_owner()
    cid = current_id()
    if cid is None:
        cid = get_store().create_conversation(owner, "").id
        st.session_state["chat_cid"] = cid
        st.session_state["chat_loaded"] = True
    yield from svc.stream(question, conversation_id=cid, owner=owner)


def save_feedback(turn_id: int, rating: int, comment: str = "") -> None:
    get_store().add_feedback(int(turn_id), browser_owner(), rating, comment)


def given_feedback(turn_ids) -> dict:
    from ..store.report import latest_ratings

    return latest_ratings(get_store(), browser_owner(), turn_ids)


def _rename(cid: str) -> None:
    from ..types import UserInputError

    title = st.session_state.get(f"hist_title_{cid}", "")
    try:
        get_store().rename_conversation(cid, browser_owner(), title)
    except UserInputError as e:
        st.session_state["hist_error"] = str(e)


def _delete(cid: str) -> None:
    get_store().delete_conversation(cid, browser_owner())
    if current_id() == cid:
        new_conversation()
    st.session_state["hist_notice"] = "对话已删除。"


def render_sidebar() -> None:
    """新对话 and the owner's conversations, newest first, titled by their first question."""
    st.button("＋ 新对话", key="hist_new", on_click=new_conversation, width="stretch", type="secondary")
    if not logging_enabled():
        st.caption("本应用已关闭问题记录（ASSISTANT_QUESTION_LOG=off）：对话只保留在当前页面，刷新后不再恢复。")
        return
    from .formatting import escape_markdown

    try:
        convs = get_store().list_conversations(browser_owner(), limit=LIST_LIMIT)
    except Exception as e:  # an unreachable database must not take the app down
        st.caption(f"历史记录暂时无法读取：{type(e).__name__}")
        return
    for key in ("hist_notice", "hist_error"):
        msg = st.session_state.pop(key, None)
        if msg:
            (st.warning if key == "hist_error" else st.caption)(escape_markdown(msg))
    if not convs:
        st.caption("还没有历史对话。提问后，对话会保存在这里（只在这个浏览器中可见）。")
        return
    st.markdown("**历史对话**")
    cur = current_id()
    for c in convs:
        title = c.title or UNTITLED
        st.button(escape_markdown(title), key=f"hist_open_{c.id}", on_click=open_conversation, args=(c.id,), width="stretch",
                  type="primary" if c.id == cur else "tertiary", help=f"{c.turns} 轮问答")
    if cur and any(c.id == cur for c in convs):
        title = next(c.title for c in convs if c.id == cur)
        with st.expander("重命名或删除当前对话"):
            st.text_input("对话标题", value=title, key=f"hist_title_{cur}", max_chars=200)
            a, b = st.columns(2)
            a.button("保存标题", key="hist_rename", on_click=_rename, args=(cur,), width="stretch")
            b.button("删除对话", key="hist_delete", on_click=_delete, args=(cur,), width="stretch")
