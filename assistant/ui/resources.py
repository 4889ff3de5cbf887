"""Server-wide resources for the app, loaded once per server (st.cache_resource) and read-only.

The retriever (index + embedding model) loads in a background thread started by the first page
view, so the first question does not pay for it and every session sees the same build progress.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable
from urllib.parse import quote

import streamlit as st

from ..config import get_settings
from ..types import UserInputError

BROWSE_URL_PATH = "browse"
BROWSE_TITLE = "条款浏览"


def get_corpus():
    """The clause tree of the configured corpus folder, parsed once per server."""
    return _corpus(get_settings().corpus_dir)


@st.cache_resource(show_spinner="正在加载条款…")
def _corpus(corpus_dir: str):
    from ..corpus import load_corpus

    return load_corpus(corpus_dir)


def build_retriever(progress: Callable[[str, float], None]) -> Any:
    """The real retriever, model loaded; tests replace this function to inject a fake one."""
    from ..retrieval import get_retriever as retrieval_get_retriever
    from .serve import warm_answer

    retriever = retrieval_get_retriever(progress=progress)
    progress("正在加载向量模型…", 0.95)
    warm_answer(retriever)  # the model loads on this first search, not on a user's question
    progress("检索已就绪", 1.0)
    return retriever


class RetrieverLoader:
    """Builds or loads the retriever once, in a thread, and reports progress to any session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self.message = "正在准备检索索引…"
        self.fraction = 0.0
        self.retriever: Any = None
        self.error: BaseException | None = None
        self.seconds = 0.0

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="retriever-loader", daemon=True)
                self._thread.start()

    def _progress(self, message: str, fraction: float) -> None:
        self.message, self.fraction = message, max(0.0, min(1.0, float(fraction)))

    def _run(self) -> None:
        t0 = time.monotonic()
        try:
            self.retriever = build_retriever(self._progress)
        except BaseException as e:  # shown to every session; the server keeps running
            self.error = e
        finally:
            self.seconds = time.monotonic() - t0
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)


@st.cache_resource(show_spinner=False)
def retriever_loader() -> RetrieverLoader:
    return RetrieverLoader()


def warm_up() -> None:
    """Start loading the retriever without waiting (called on every page view; cheap after the first)."""
    retriever_loader().start()


def get_retriever() -> Any:
    """The shared retriever. Shows progress while the index builds; raises RuntimeError if it failed."""
    loader = retriever_loader()
    loader.start()
    if not loader.done:
        with st.status("首次使用需要准备检索索引，请稍候…", expanded=True) as status:
            bar = st.progress(0.0, text=loader.message)
            while not loader.wait(0.25):
                bar.progress(loader.fraction, text=loader.message)
            status.update(label="检索索引已就绪", state="complete", expanded=False)
    if loader.error is not None:
        retriever_loader.clear()  # the next question tries again (e.g. after the disk was freed)
        raise RuntimeError(f"检索索引加载失败：{loader.error}") from loader.error
    return loader.retriever


def retriever_state() -> str:
    """Short Chinese status of the shared retriever for the sidebar."""
    loader = retriever_loader()
    if loader.error is not None:
        from .formatting import escape_markup, redact_paths

        return f"加载失败：{escape_markup(redact_paths(str(loader.error)))}"
    if loader.done:
        return f"已加载（{loader.seconds:.1f} 秒）"
    return f"加载中：{loader.message}（{loader.fraction:.0%}）"


def index_status_text() -> str:
    """The on-disk index status in words, from assistant.index when that module exists."""
    try:
        from ..index import index_status
    except ImportError:
        return "索引模块尚未安装"
    try:
        status = index_status(verify=False)  # the manifest only: cheap enough for every rerun
    except Exception as e:  # a broken index must not break the sidebar
        from .formatting import escape_markup, redact_paths

        return f"无法读取：{escape_markup(redact_paths(str(e)))}"
    return describe_index_status(status)


INDEX_STATES = {
    "ok": "已建好",
    "missing": "尚未构建（首次提问时自动构建）",
    "stale": "已过期（将自动重建）",
    "corrupt": "已损坏（将自动重建）",
}


def describe_index_status(status: Any) -> str:
    if isinstance(status, str):
        return status
    if isinstance(status, dict) and "state" in status:
        text = INDEX_STATES.get(status["state"], str(status["state"]))
        if status["state"] == "ok" and status.get("leaves"):
            text += f"，{status['leaves']} 个条款"
        return text
    if isinstance(status, dict):
        if "message" in status:
            return str(status["message"])
        ready = status.get("ready", status.get("fresh"))
        count = status.get("count", status.get("clauses"))
        text = "已建好" if ready else "需要构建" if ready is not None else "未知"
        return f"{text}（{count} 条）" if count is not None else text
    for attr in ("message", "summary"):
        if hasattr(status, attr):
            return str(getattr(status, attr))
    return str(status)


def settings():
    return get_settings()


def mode_label() -> str:
    s = get_settings()
    return f"大模型（{s.llm_model}）" if s.llm_enabled else "抽取式（不调用大模型）"


def clause_link(clause_id: str) -> str:
    """Deep link to a clause in the browser, relative to the app's root: `browse?clause=HG-21.1`."""
    return f"{BROWSE_URL_PATH}?clause={quote(clause_id)}"


def browse_page_entry():
    """The st.Page for the clause browser; app.py registers it, page links point at it."""
    from . import browse_page

    return st.Page(browse_page.render, title=BROWSE_TITLE, icon="📖", url_path=BROWSE_URL_PATH)


def clause_page_link(clause_id: str, label: str = "在条款浏览中打开") -> None:
    """An in-app link (same tab, session kept) that opens the clause in the browser page."""
    try:
        st.page_link(browse_page_entry(), label=label, icon="🔗", query_params={"clause": clause_id})
    except Exception:  # rendered outside the multipage app (a page tested on its own)
        st.markdown(f"[{label}]({clause_link(clause_id)})")


def require_password() -> None:
    """When ASSISTANT_APP_PASSWORD is set, a session sees nothing until it enters the password."""
    import hmac

    expected = settings().app_password
    if not expected or st.session_state.get("app_authenticated"):
        return
    st.markdown("### 📘 标准助手")
    with st.form("app_login"):
        given = st.text_input("访问密码", type="password", key="app_password_input")
        submitted = st.form_submit_button("进入")
    if submitted:
        if hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            st.session_state["app_authenticated"] = True
            st.session_state.pop("app_password_input", None)
            st.rerun()
        st.error("密码不正确。", icon="🔒")
    st.stop()


def show_user_error(e: BaseException) -> None:
    """Show an error to the user in Chinese, never a traceback."""
    from ..corpus import CorpusError

    from .formatting import escape_markup, redact_paths

    # Messages are shown without server paths (and escaped: they may quote the user's input).
    if isinstance(e, UserInputError):
        st.warning(escape_markup(redact_paths(str(e))), icon="✏️")
    elif isinstance(e, CorpusError):
        st.error(escape_markup(redact_paths(f"标准文档无法解析：{e}")), icon="🚫")
    else:
        st.error(escape_markup(redact_paths(f"出错了：{type(e).__name__}: {e}")) + "。请刷新页面重试；问题持续时请联系管理员。",
                 icon="🚫")


def _requested_path() -> str | None:
    """The page path the browser asked for (Streamlit has no public API for it; None if unknown)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        name = ctx.pages_manager.intended_page_name if ctx is not None else None
    except Exception:
        return None
    return name.strip("/") if isinstance(name, str) else None


def unknown_path_pages(pages, fallback) -> list:
    """A hidden page for an address that names no page, which opens `fallback` (问答) instead of
    Streamlit's English "Page not found" dialog. Empty when the address names a page."""
    import re

    wanted = _requested_path()
    if not wanted or not re.fullmatch(r"[A-Za-z0-9_\-]{1,100}", wanted):
        return []
    # A default page reports url_path "" but still reserves its own name (Streamlit's _url_path).
    if any(wanted in (p.url_path, getattr(p, "_url_path", None)) for p in pages):
        return []

    def go_to_fallback() -> None:
        st.switch_page(fallback)

    return [st.Page(go_to_fallback, title="问答", url_path=wanted, visibility="hidden")]


def render_about() -> None:
    """Internals (answer mode, model, index, load time) under 关于, out of a user's way."""
    with st.expander("关于"):
        s = settings()
        st.markdown(f"**回答方式**：{mode_label()}")
        st.markdown(f"**向量模型**：`{s.embedding_model}`")
        st.markdown(f"**索引**：{index_status_text()}")
        st.markdown(f"**检索**：{retriever_state()}")
        from .history import logging_enabled

        st.markdown("**问题记录**：" + ("开启（对话保存在会话库中，只有本浏览器能打开）" if logging_enabled()
                                         else "已关闭（ASSISTANT_QUESTION_LOG=off）"))


# Phone layout (390 px): a static table keeps a readable width and scrolls sideways instead of
# wrapping two characters a line. Style only: st.html sends it without taking room on the page.
LAYOUT_CSS = """<style>
[data-testid="stTable"] { overflow-x: auto; }
[data-testid="stTable"] table { min-width: 640px; }
</style>"""


def apply_layout_css() -> None:
    st.html(LAYOUT_CSS)


# On a phone Streamlit shows the navigation inside the sidebar, and the sidebar stays open over the
# page just chosen. After a page change (or a conversation chosen in the sidebar) this closes it
# on narrow screens; wide screens keep their sidebar.
_CLOSE_SIDEBAR_JS = """<script>
(function () {
  const d = (window.parent && window.parent.document) || document;
  const w = (window.parent || window).innerWidth;
  if (w > 640) return;
  let tries = 0;
  const timer = setInterval(() => {  // the page may still be replacing the sidebar's content
    const bar = d.querySelector('[data-testid="stSidebar"]');
    const btn = d.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (bar && bar.getAttribute('data-collapsed') === 'false' && btn) { btn.click(); clearInterval(timer); }
    else if (bar && bar.getAttribute('data-collapsed') === 'true' && tries > 4) clearInterval(timer);
    if (++tries > 20) clearInterval(timer);
  }, 100);
})();
</script>"""


def close_sidebar_on_phone(page_key: str) -> None:
    """Call once per run, after the page: closes the phone's sidebar when the page changed or a
    conversation was chosen there."""
    changed = st.session_state.get("last_page") != page_key
    st.session_state["last_page"] = page_key
    if changed or st.session_state.pop("close_sidebar", False):
        st.html(_CLOSE_SIDEBAR_JS, unsafe_allow_javascript=True, width="content")
