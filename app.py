"""标准助手 web app (Streamlit). A thin shell over the `assistant` library."""

import streamlit as st

from assistant.corpus import load_corpus

st.set_page_config(page_title="标准助手", page_icon="📘", layout="wide")


@st.cache_resource(show_spinner="正在加载条款…")
def get_corpus():
    return load_corpus()


corpus = get_corpus()
st.title("标准助手")
st.caption("国企党建标准问答：每条结论都附依据条款。")
for doc in corpus.documents:
    st.markdown(f"- **{doc.short_name}**：《{doc.title}》，{len(corpus.leaves(doc.code))} 个可引用条款")
