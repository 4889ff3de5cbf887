"""Where-from follow-ups (这是哪份文件规定的 / 具体是第几条 / 这两项分别在哪一条): answered from the
citations of the answers they point at, never by a new search."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Answer, Turn
from .compose import doc_short_name
from .other_document import documents, lead_docs


# 它 / 这条 / 这个 / 上面那条 in a where-from follow-up: the previous answer, however much else is said
POINTS_BACK = re.compile(r"它|这条|这个|这些|这段|这句|上面|刚才|前面|那条|这两|这几")

# 这两项分别在哪一条 / 这几条都在第几条: the follow-up points at more than the last answer.
POINTS_AT_TWO = re.compile(r"这两|两(项|处|条|个)都|分别|各自")
POINTS_AT_SEVERAL = re.compile(r"这几|这些(条|规定|要求)|都在")
MAX_POINTED = 3
POINTS_AT_FIRST = re.compile(r"一开始|最开始|最早|第一个回答|头一个")


def pointed_turns(question: str, history: Sequence[Turn]) -> list[Turn]:
    """The answered turns a where-from follow-up asks about, oldest first: the last one, or the last two
    or few when it says 这两项 / 分别 / 这几条."""
    n = 2 if POINTS_AT_TWO.search(question) else MAX_POINTED if POINTS_AT_SEVERAL.search(question) else 1
    cited = [t for t in history if t.answer.covered and t.answer.citations]
    from .reading import mentioned_documents

    named = mentioned_documents(question, documents())
    if named:  # 一开始说的河钢那条: the answers that led with that document
        cited = [t for t in cited if set(lead_docs(t.answer)) & set(named)] or cited
    if POINTS_AT_FIRST.search(question):
        return cited[:1]
    return cited[-n:]


NOTHING_CITED = "前面的回答没有找到直接回答问题的条款，所以没有出处可以指出"
ASK_AGAIN = "。可以换个说法重新提问，或者直接说明想查哪一项要求。"
LISTED_FROM = "前面的回答没有找到直接回答问题的条款；当时列出供对照的条款（不是对那个问题的规定）出自："


def nothing_cited(last: Turn, corpus=None) -> Answer:
    """Where-from, after an answer that cited no clause as answering it: no source to name; the clauses it
    listed for comparison are named as such."""
    if not last.answer.citations:
        return Answer(NOTHING_CITED + ASK_AGAIN, False, (), "extractive")
    return answer_from_previous("source", last, corpus, heading=LISTED_FROM)


def answer_from_previous(kind: str, prev: Turn | Sequence[Turn], corpus=None, heading: str = "") -> Answer:
    """Which document / which clause: answered from the previous answer's citations (or those of the
    few previous answers a follow-up points at). `heading`: a refusal's listed clauses, all of them, under it."""
    if corpus is None:
        from ..corpus import load_corpus

        corpus = load_corpus()
    turns = [prev] if isinstance(prev, Turn) else list(prev)
    if not turns:
        return Answer(NOTHING_CITED + ASK_AGAIN, False, (), "extractive")
    cits: tuple = ()
    for t in turns:
        own = tuple(dict.fromkeys(t.answer.citations))
        if t.answer.direct > 0 and not heading:  # the lead's clauses only, not 相关条款
            own = own[:t.answer.direct]
        cits += tuple(c for c in own if c not in cits)
    direct = [c for c in cits if c.verified] or list(cits)
    lines = []
    docs = list(dict.fromkeys(c.id.split("-")[0] for c in direct))
    if heading:
        lines.append(heading)
    elif kind == "source":
        names = "、".join(f"《{corpus.document(d).title}》（简称{doc_short_name(d)}）" for d in docs)
        lines.append(f"上一个回答依据的是{names}。")
    else:
        lines.append("上一个回答依据的具体条款是：")
    for c in direct:
        clause = corpus.get(c.id)
        where = f"第{clause.item_no}条“{clause.title}”" if clause and clause.item_no else (clause.title if clause else "")
        lines.append(f"- {c.label}（编号 {c.id}，{where}）：{c.quote}")
    return Answer("\n".join(lines), True, direct and tuple(direct) or (), "extractive", hits=turns[-1].answer.hits)

