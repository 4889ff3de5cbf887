"""达标自查: a form for the common figures and a free-text box; results as a coloured table."""

from __future__ import annotations

import streamlit as st


def render() -> None:
    st.header("达标自查")
    st.info("达标自查功能正在接入，稍后可用。")
