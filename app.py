"""标准助手 web app (Streamlit): navigation, sidebar and deep links. Pages live in assistant/ui/."""

import os

import streamlit as st

from assistant.ui import browse_page, chat_page, checks_page, plan_page, quiz_page, resources

st.set_page_config(page_title="标准助手", page_icon="📘", layout="wide")
resources.require_password()  # only when ASSISTANT_APP_PASSWORD is set

browse = resources.browse_page_entry()
pages = [
    st.Page(chat_page.render, title="问答", icon="💬", url_path="chat", default=True),
    st.Page(checks_page.render, title="达标自查", icon="✅", url_path="checks"),
    browse,
    # Pages added by the work-plan and quiz features go below, one st.Page(...) line each.
    st.Page(plan_page.render, title="工作计划", icon="🗓️", url_path="plan"),
    st.Page(quiz_page.render, title="题库与练习", icon="📝", url_path="quiz"),
]
current = st.navigation(pages)

# `?clause=HG-21.1` on any page opens that clause in the browser.
if "clause" in st.query_params and current.url_path != resources.BROWSE_URL_PATH:
    st.switch_page(browse, query_params={"clause": st.query_params["clause"]})

resources.warm_up()  # start loading the index and model for the first question

with st.sidebar:
    st.markdown("### 📘 标准助手")
    st.caption("国企党建标准问答：每条结论都附依据条款。")
    settings = resources.settings()
    st.markdown(f"**回答方式**：{resources.mode_label()}")
    st.markdown(f"**向量模型**：`{settings.embedding_model}`")
    status_box = st.empty()  # filled after the page ran, so it shows the state the page left

try:
    resources.get_corpus()  # a broken corpus is reported once, in Chinese, before any page uses it
    current.run()
except Exception as e:  # Streamlit's rerun/stop signals are BaseExceptions and pass through
    if os.environ.get("ASSISTANT_DEBUG"):
        raise
    resources.show_user_error(e)

with status_box.container():
    st.markdown(f"**索引**：{resources.index_status_text()}")
    st.markdown(f"**检索**：{resources.retriever_state()}")
