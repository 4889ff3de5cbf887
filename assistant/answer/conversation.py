"""One user's conversation: the turns, so follow-ups are understood; streaming; Markdown export."""

from __future__ import annotations

from collections.abc import Iterator

from ..types import Answer, Turn
from .pipeline import _answer, _resolve_llm, _with_checks, answer_in_context, prepare


class Conversation:
    """One user's conversation: holds the turns so follow-ups are understood. Nothing global."""

    def __init__(self, retriever=None, llm=None):
        self.retriever = retriever
        self.llm = llm
        self.turns: list[Turn] = []

    def ask(self, question: str) -> Answer:
        query, answer = _answer(question, retriever=self.retriever, history=self.turns, llm=self.llm)
        self.turns.append(Turn(question.strip(), query, answer))
        return answer

    def stream(self, question: str) -> Iterator[str | Answer]:
        """Text chunks while an LLM writes, then the final checked Answer (the only item in
        extractive mode). The chunks are a preview: show the final Answer in their place."""
        q, rw = prepare(question, self.turns)
        model = None if rw.kind in ("source", "clause", "uncited") else _resolve_llm(self.llm)
        if model is None:
            answer = self.ask(q)
            yield answer
            return
        rw, hits, answer = answer_in_context(q, rw, self.turns, self.retriever)
        extractive = _with_checks(rw.query, answer)
        if not extractive.covered:
            answer = extractive
        else:
            from ..llm import stream_llm_answer

            answer = None
            for item in stream_llm_answer(q if rw.kind == "new" else rw.query, hits, model, extractive):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
        self.turns.append(Turn(q, rw.query, answer))
        yield answer

    def to_markdown(self) -> str:
        out = ["# 标准助手 对话记录", ""]
        for n, t in enumerate(self.turns, start=1):
            out += [f"## 问题 {n}：{t.question}", ""]
            if t.query != t.question:
                out += [f"（按上下文理解为：{t.query}）", ""]
            if t.answer.notice:
                out += [f"> {t.answer.notice}", ""]
            out += [t.answer.text, ""]
            if t.answer.citations:
                out.append("引用条款：")
                for c in t.answer.citations:
                    flag = "" if c.verified else "（未经核实）"
                    out.append(f"- {c.label} {c.id}{flag}：“{c.quote}”")
                out.append("")
        return "\n".join(out).rstrip() + "\n"
