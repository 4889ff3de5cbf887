"""Serve the app with the retriever already warm: `python -m assistant.ui.serve [streamlit run options]`.

Streamlit runs app.py only when a browser connects, so a plain `streamlit run` would load the
embedding model (several seconds) while the first user waits for the first answer. Here the model
and index load in this same process before the server starts listening; Streamlit then finds them
in memory (assistant.retrieval keeps one retriever per settings). When the index still has to be
built, serving starts at once and the app shows the build's progress instead.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
WARM_UP_QUERY = "支委会多久开一次"


def warm_answer(retriever) -> None:
    """One extractive answer: loads the model (first search) and the answer stage's tables."""
    from ..answer import answer_question

    answer_question(WARM_UP_QUERY, retriever=retriever, llm=False)


def warm_up() -> str:
    """Load the index and the embedding model now; returns a line for the server log."""
    from ..index import index_status
    from ..retrieval import get_retriever

    t0 = time.monotonic()
    try:
        if index_status(verify=False).get("state") != "ok":
            return "索引尚未构建：应用将在页面上显示构建进度。"
        warm_answer(get_retriever())
    except Exception as e:  # the app shows the same problem to users, in Chinese
        return f"预加载检索失败（应用中将再次尝试）：{e}"
    return f"检索索引和向量模型已加载（{time.monotonic() - t0:.1f} 秒）。"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    print(warm_up(), file=sys.stderr, flush=True)
    from streamlit.web import cli

    return cli.main(["run", str(APP), *args], prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
