"""标准助手 web app (Streamlit): navigation, sidebar and deep links. Pages live in assistant/ui/."""

import os

import streamlit as st

from assistant.ui import (browse_page, chat_page, checks_page, history, identity, plan_page, quiz_page, resources,
                          stats_page)

st.set_page_config(page_title="标准助手", page_icon="📘", layout="wide")
resources.require_password()  # only when ASSISTANT_APP_PASSWORD is set
resources.apply_layout_css()

# The default page is served at "/" only, yet reserves its url_path: an obscure one, so that /chat
# (and any other unknown address) is caught below and opens 问答.
chat = st.Page(chat_page.render, title="问答", icon="💬", url_path="qa-home", default=True)
browse = resources.browse_page_entry()
pages = [
    chat,
    st.Page(checks_page.render, title="达标自查", icon="✅", url_path="checks"),
    browse,
    # Pages added by the work-plan and quiz features go below, one st.Page(...) line each.
    st.Page(plan_page.render, title="工作计划", icon="🗓️", url_path="plan"),
    st.Page(quiz_page.render, title="题库与练习", icon="📝", url_path="quiz"),
    st.Page(stats_page.render, title="问题统计", icon="📊", url_path="stats"),
]
# An address that names no page (/chat, an old bookmark, a typo) opens 问答, not an English error.
pages += resources.unknown_path_pages(pages, chat)
# Top navigation: on a phone it is a menu at the top, and choosing a page leaves the screen to it.
current = st.navigation(pages, position="top")

# `?clause=HG-21.1` on any page opens that clause in the browser.
if "clause" in st.query_params and current.url_path != resources.BROWSE_URL_PATH:
    st.switch_page(browse, query_params={"clause": st.query_params["clause"]})
# A conversation chosen in the sidebar (or 新对话) while on another page opens in 问答.
if st.session_state.pop("goto_chat", False) and current.url_path != chat.url_path:
    st.switch_page(chat)

resources.warm_up()  # start loading the index and model for the first question
identity.browser_owner()

with st.sidebar:
    st.markdown("### 📘 标准助手")
    st.caption("国企党建标准问答：每条结论都附依据条款。")
    history_box = st.container()  # filled after the page ran: a question may have started a conversation
    about_box = st.empty()

try:
    resources.get_corpus()  # a broken corpus is reported once, in Chinese, before any page uses it
    current.run()
except Exception as e:  # Streamlit's rerun/stop signals are BaseExceptions and pass through
    if os.environ.get("ASSISTANT_DEBUG"):
        raise
    resources.show_user_error(e)

with history_box:
    history.render_sidebar()
with about_box.container():
    resources.render_about()
# Scripts go in the main area: on a phone the sidebar's content is mounted only while it is open.
identity.write_cookie()
resources.close_sidebar_on_phone(current.url_path)
