"""Optional LLM answers: an OpenAI-compatible chat model writes, our code checks every citation.

The model sees only the retrieved leaves and cites them by ID ([HG-21.1]). Afterwards its text is
cleaned (control characters, links, images and HTML removed: the model's text is shown as plain
text) and each sentence is checked: citations in any form (full-width ＨＧ－２１．１, bare IDs,
echoed or invented labels) are normalised, an ID that does not exist or was not retrieved is
dropped, a sentence left with no valid citation is flagged as unverified, and a citation whose
clause does not say what the sentence says (assistant/claim_check.py: figures, frequency,
strength, negation, subject, nothing added) is marked unverified. Quotes are always verbatim spans
of the leaf, chosen by our code, never by the model. Every call has one total deadline (connect
and every read); any error or timeout falls back to the extractive answer with a visible notice.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .llm_text import CITATION, UNKNOWN, clean_model_text, normalize_citations, strip_controls
from .types import Answer, Citation, Hit

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
PROMPT_NAME, PROMPT_VERSION = "answer", "v1"

UNVERIFIED_MARK = "（未核实）"
UNCITED_MARK = "〔未核实：没有引用条款〕"
CJK_OR_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


# ---------------------------------------------------------------- prompts


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with {{name}} placeholders filled; values are inserted verbatim."""
        def fill(text: str) -> str:
            return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)

        return fill(self.system), fill(self.user)


@lru_cache(maxsize=8)
def load_prompt(name: str = PROMPT_NAME, version: str = PROMPT_VERSION) -> Prompt:
    path = PROMPTS_DIR / f"{name}.{version}.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M))
    if set(sections) != {"system", "user"}:
        raise ValueError(f"{path}: 提示词文件应包含 “## system” 和 “## user” 两节")
    return Prompt(name, version, sections["system"].strip(), sections["user"].strip())


def evidence_block(hits: Sequence[Hit]) -> str:
    return "\n".join(f"[{h.clause.id}] {h.clause.label} {h.clause.title}：{h.clause.text}" for h in hits)


def build_messages(question: str, hits: Sequence[Hit], prompt: Prompt | None = None) -> list:
    from langchain_core.messages import HumanMessage, SystemMessage

    prompt = prompt or load_prompt()
    # Strip our delimiters from user text so a question cannot close the block it sits in.
    safe_q = question.replace("<<<", "«").replace(">>>", "»")
    system, user = prompt.render(evidence=evidence_block(hits), question=safe_q)
    return [SystemMessage(system), HumanMessage(user)]


# ---------------------------------------------------------------- model from settings


def configured_chat_model(settings=None):
    """The chat model set by ASSISTANT_LLM_* env vars, or None when none is configured."""
    from .config import get_settings

    s = settings or get_settings()
    if not s.llm_enabled:
        return None
    return _chat_model(s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_timeout)


@lru_cache(maxsize=4)
def _chat_model(base_url: str, model: str, api_key: str, timeout: str):
    from langchain_openai import ChatOpenAI

    from .llm_client import deadline_http_client, parse_timeout

    seconds = parse_timeout(timeout)
    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key or "not-needed",  # local servers (Ollama, vLLM) accept any key
        timeout=seconds,
        http_client=deadline_http_client(seconds),  # one deadline for the whole call, not per read
        max_retries=0,  # a slow or broken endpoint falls back at once instead of retrying
        temperature=0,
    )


def call_seconds(model) -> float | None:
    """The total time one call of `model` may take: its configured timeout (None if it has none)."""
    t = getattr(model, "request_timeout", None)
    return float(t) if isinstance(t, (int, float)) and not isinstance(t, bool) else None


# ---------------------------------------------------------------- checking


def supported(sentence: str, leaf_text: str) -> bool:
    """Does the leaf say what this sentence says? See assistant/claim_check.py. Conservative: a
    paraphrase that fails is shown as unverified, never dropped."""
    from .claim_check import check_claim

    return check_claim(CITATION.sub("", sentence), leaf_text).supported


def split_output(text: str) -> list[str]:
    """Sentences of the model's answer (citations already `[ID]`), each with its citations (also
    those written after the full stop: “…1次。[HG-21.1]”) and end punctuation."""
    run = r"(?:\s*" + CITATION.pattern.replace("(", "(?:", 1) + r")+"
    text = re.sub(r"([。；！？!?;])(" + run + ")", r"\2\1", text)
    parts = re.findall(r"[^。；！？!?;\n]+[。；！？!?;]?", text)
    return [p.strip() for p in parts if p.strip(" \t。；！？!?;")]


@dataclass(frozen=True)
class CheckedText:
    text: str
    citations: tuple[Citation, ...]
    verified_sentences: int
    flagged_sentences: int
    dropped_ids: tuple[str, ...]


def check_llm_output(raw: str, hits: Sequence[Hit]) -> CheckedText:
    """Clean the model's text, normalise its citations, drop unknown or unretrieved ones, label
    the rest, and mark every citation whose clause does not say what its sentence says."""
    from .claim_check import check_claim, quote_for

    by_id = {h.clause.id: h.clause for h in hits}
    text = normalize_citations(clean_model_text(raw))
    lines, cits, dropped = [], [], []
    verified_n = flagged_n = 0
    for sentence in split_output(text):
        ids = [m.group(1) for m in CITATION.finditer(sentence)]
        # “根据[HG-21.1]，…” / “按照[HG-21.1]的规定，…”: the lead-in goes with the citation.
        body = re.sub(r"(?:根据|按照|依据|按)\s*(?:" + CITATION.pattern + r"\s*)+(?:中|的)?(?:规定|要求)?[，,：:]?",
                      "", sentence)
        body = CITATION.sub("", body).strip()
        end = body[-1] if body and body[-1] in "。；！？" else "。"
        body = re.sub(r"[\s。；！？!?;，,、（）()]+$", "", body)
        body = re.sub(r"^(?:[-*•·>#]+|\d+[.、)）])\s*", "", body)  # list bullets, numbering
        if not CJK_OR_WORD.search(body):
            dropped += [i.removeprefix(UNKNOWN) for i in ids if i not in by_id]
            continue
        valid = [i for i in dict.fromkeys(ids) if i in by_id]
        dropped += [i.removeprefix(UNKNOWN) for i in ids if i not in by_id]
        if not valid:
            lines.append(f"{body}{UNCITED_MARK}{end}")
            flagged_n += 1
            continue
        labels = []
        any_ok = False
        for cid in valid:
            clause = by_id[cid]
            ok = check_claim(body, clause.text).supported
            cits.append(Citation(cid, clause.label, quote_for(body, clause.text), ok))
            labels.append(clause.label if ok else clause.label[:-1] + UNVERIFIED_MARK + "〕")
            any_ok |= ok
        verified_n += any_ok
        flagged_n += not any_ok
        lines.append(f"{body}{''.join(labels)}{end}")
    # The same clause cited twice keeps one entry; a verified use wins over an unverified one.
    merged: dict[str, Citation] = {}
    for c in cits:
        if c.id not in merged or (c.verified and not merged[c.id].verified):
            merged[c.id] = c
    return CheckedText("\n".join(lines), tuple(merged.values()), verified_n, flagged_n,
                       tuple(dict.fromkeys(dropped)))


_UNFINISHED_MARKUP = re.compile(r"(?:<[^>\n]*|!?\[[^\]\n]*(?:\]\([^)\n]*)?)$")


def preview_text(raw: str) -> str:
    """What the app may show while the model is still writing: plain text (the page escapes it),
    with the model's own [ID] markers (labels come only after checking). A tag, image or link
    still arriving at the end is held back until it is complete, and then removed."""
    return _UNFINISHED_MARKUP.sub("", clean_model_text(raw))


def _finish(raw: str, hits: Sequence[Hit], fallback: Answer) -> Answer:
    checked = check_llm_output(raw, hits)
    if checked.verified_sentences == 0:
        return replace(fallback, notice="大模型的回答没有通过引用核查，以下为抽取式回答。")
    notes = []
    if checked.dropped_ids:
        shown_ids = "、".join(i[:20] for i in checked.dropped_ids[:5])
        notes.append(f"已删除不存在或不在检索结果中的引用：{shown_ids}")
    if checked.flagged_sentences:
        notes.append(f"有{checked.flagged_sentences}句未能核实，已标注“未核实”")
    return Answer(checked.text, True, checked.citations, "llm", "；".join(notes), hits=tuple(hits))


def _failure_notice(e: BaseException) -> str:
    name = type(e).__name__
    kind = "超时" if "timeout" in name.lower() or "timed out" in str(e).lower() else "出错"
    return f"大模型调用{kind}（{name}），以下为抽取式回答。"


def llm_answer(question: str, hits: Sequence[Hit], model, fallback: Answer) -> Answer:
    """The model's answer, checked; the extractive `fallback` (with a notice) on any failure.
    The whole call (connect and every read) ends within the model's timeout."""
    from .llm_client import deadline

    try:
        with deadline(call_seconds(model)):
            reply = model.invoke(build_messages(question, hits))
        raw = reply.content if isinstance(reply.content, str) else str(reply.content)
    except Exception as e:  # network, HTTP status, timeout, bad reply: the user still gets an answer
        return replace(fallback, notice=_failure_notice(e))
    return _finish(raw, hits, fallback)


_END = object()


def stream_llm_answer(question: str, hits: Sequence[Hit], model, fallback: Answer) -> Iterator[str | Answer]:
    """Text chunks as the model writes (control characters removed), then the checked Answer (or
    the fallback with a notice). One deadline covers the whole stream."""
    from .llm_client import run_within

    seconds = call_seconds(model)
    at = None if seconds is None else time.monotonic() + seconds
    parts: list[str] = []
    try:
        it = run_within(at, lambda: iter(model.stream(build_messages(question, hits))))
        while True:
            chunk = run_within(at, lambda: next(it, _END))
            if chunk is _END:
                break
            if at is not None and time.monotonic() > at:
                raise TimeoutError("LLM stream deadline exceeded")
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                parts.append(text)
                yield strip_controls(text)
    except Exception as e:
        yield replace(fallback, notice=_failure_notice(e))
        return
    yield _finish("".join(parts), hits, fallback)
