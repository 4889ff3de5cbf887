"""Optional LLM answers: an OpenAI-compatible chat model writes, our code checks every citation.

The model sees only the retrieved leaves and cites them by ID ([HG-21.1]). Afterwards each
sentence is checked: an ID that was not retrieved is dropped, a sentence left with no valid
citation is flagged as unverified, and a citation whose sentence the leaf does not support (a
figure the leaf lacks, little shared wording) is marked unverified. Quotes are always verbatim
spans of the leaf, chosen by our code, never by the model. Any error or timeout falls back to the
extractive answer with a visible notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .types import Answer, Citation, Hit

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
PROMPT_NAME, PROMPT_VERSION = "answer", "v1"

_MARKER = r"[\[［【〔]\s*({})\s*[\]］】〕]"
CITED_ID = re.compile(_MARKER.format(r"(?:HG|SS)-\d+(?:\.\d+)?"), re.IGNORECASE)
_CITED_RUN = r"(?:\s*" + _MARKER.format(r"(?:HG|SS)-\d+(?:\.\d+)?").replace("(", "(?:", 1) + r")+"
ANY_ID = re.compile(r"\b(?:HG|SS)-\d+(?:\.\d+)?\b", re.IGNORECASE)
# Share of a sentence's character pairs that must occur in a cited leaf for it to count as
# supported (after removing the citation markers).
SUPPORT_MIN_BIGRAMS = 0.3
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

    from .types import UserInputError

    try:
        seconds = float(timeout)
    except ValueError:
        raise UserInputError(f"ASSISTANT_LLM_TIMEOUT 应为秒数，实际为“{timeout}”。") from None
    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key or "not-needed",  # local servers (Ollama, vLLM) accept any key
        timeout=seconds,
        max_retries=0,  # a slow or broken endpoint falls back at once instead of retrying
        temperature=0,
    )


# ---------------------------------------------------------------- checking


def _bigrams(text: str) -> set[str]:
    cjk = "".join(ch if "\u4e00" <= ch <= "\u9fff" or ch.isalnum() else " " for ch in text)
    return {cjk[i:i + 2] for i in range(len(cjk) - 1) if " " not in cjk[i:i + 2]}


def supported(sentence: str, leaf_text: str) -> bool:
    """Does the leaf plausibly state this sentence? Every figure must be in the leaf, and enough
    of the wording. Conservative: a paraphrase that fails is shown as unverified, never dropped."""
    from .answer import figures

    plain = CITED_ID.sub("", sentence)
    if any(f not in leaf_text for f in figures(plain) if any(ch.isdigit() for ch in f)):
        return False
    grams = _bigrams(plain)
    if not grams:
        return False
    return sum(g in leaf_text for g in grams) / len(grams) >= SUPPORT_MIN_BIGRAMS


def split_output(text: str) -> list[str]:
    """Sentences of the model's answer, each with its citations (also those written after the
    full stop: “…1次。[HG-21.1]”) and end punctuation."""
    text = re.sub(r"([。；！？])(" + _CITED_RUN + ")", r"\2\1", text, flags=re.IGNORECASE)
    parts = re.findall(r"[^。；！？\n]+[。；！？]?", text)
    return [p.strip() for p in parts if p.strip(" \t。；！？")]


@dataclass(frozen=True)
class CheckedText:
    text: str
    citations: tuple[Citation, ...]
    verified_sentences: int
    flagged_sentences: int
    dropped_ids: tuple[str, ...]


def check_llm_output(raw: str, hits: Sequence[Hit]) -> CheckedText:
    """Replace [ID] markers by labels, drop IDs that were not retrieved, flag what is unsupported."""
    from .answer import Statement, best_statement, weigh, term_stats, asks_quantity, question_bigrams

    by_id = {h.clause.id: h.clause for h in hits}
    # A model may echo our labels (〔河钢标准 第21条第1款〕) instead of IDs: read them as IDs.
    raw = _labels_to_ids(raw)
    lines, cits, dropped = [], [], []
    verified_n = flagged_n = 0
    for sentence in split_output(raw):
        ids = [m.group(1).upper() for m in CITED_ID.finditer(sentence)]
        body = CITED_ID.sub("", sentence).strip()
        # An ID written without brackets is still a claim about a clause: check it the same way.
        ids += [m.group(0).upper() for m in ANY_ID.finditer(body)]
        body = ANY_ID.sub("", body).strip()
        end = body[-1] if body and body[-1] in "。；！？" else "。"
        body = re.sub(r"[\s。；！？，,、（）()]+$", "", body)
        body = re.sub(r"^[-*•·\s]+", "", body)  # list bullets
        if not CJK_OR_WORD.search(body):
            continue
        valid = [i for i in dict.fromkeys(ids) if i in by_id]
        dropped += [i for i in ids if i not in by_id]
        if not valid:
            lines.append(f"{body}{UNCITED_MARK}{end}")
            flagged_n += 1
            continue
        labels = []
        any_ok = False
        stats = term_stats()
        wt = weigh(body, stats)
        for cid in valid:
            clause = by_id[cid]
            ok = supported(body, clause.text)
            st: Statement = best_statement(clause, wt, asks_quantity(body), 0.0, question_bigrams(body))
            cits.append(Citation(cid, clause.label, st.quote, ok))
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


def _labels_to_ids(text: str) -> str:
    from .corpus import load_corpus

    corpus = load_corpus()
    for c in corpus.leaves():
        if c.label in text:
            text = text.replace(c.label, f"[{c.id}]")
    return text


def _finish(raw: str, hits: Sequence[Hit], fallback: Answer) -> Answer:
    checked = check_llm_output(raw, hits)
    if checked.verified_sentences == 0:
        return replace(fallback, notice="大模型的回答没有通过引用核查，以下为抽取式回答。")
    notes = []
    if checked.dropped_ids:
        notes.append(f"已删除不在检索结果中的引用：{'、'.join(checked.dropped_ids)}")
    if checked.flagged_sentences:
        notes.append(f"有{checked.flagged_sentences}句未能核实，已标注“未核实”")
    return Answer(checked.text, True, checked.citations, "llm", "；".join(notes), hits=tuple(hits))


def _failure_notice(e: BaseException) -> str:
    kind = "超时" if "timeout" in type(e).__name__.lower() or "timed out" in str(e).lower() else "出错"
    return f"大模型调用{kind}（{type(e).__name__}），以下为抽取式回答。"


def llm_answer(question: str, hits: Sequence[Hit], model, fallback: Answer) -> Answer:
    """The model's answer, checked; the extractive `fallback` (with a notice) on any failure."""
    try:
        reply = model.invoke(build_messages(question, hits))
        raw = reply.content if isinstance(reply.content, str) else str(reply.content)
    except Exception as e:  # network, HTTP status, timeout, bad reply: the user still gets an answer
        return replace(fallback, notice=_failure_notice(e))
    return _finish(raw, hits, fallback)


def stream_llm_answer(question: str, hits: Sequence[Hit], model, fallback: Answer) -> Iterator[str | Answer]:
    """Text chunks as the model writes, then the checked Answer (or the fallback with a notice)."""
    parts: list[str] = []
    try:
        for chunk in model.stream(build_messages(question, hits)):
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                parts.append(text)
                yield text
    except Exception as e:
        yield replace(fallback, notice=_failure_notice(e))
        return
    yield _finish("".join(parts), hits, fallback)
