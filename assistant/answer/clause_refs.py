"""Questions that name a clause by its number (河钢标准第21条, 清单第7条第4项, 清单开头的总体要求).

Trainers and people drafting plans quote the standards by article; the clause they name is the evidence,
whatever words the rest of the question uses.
"""

from __future__ import annotations

import re

from ..text.numerals import cn_to_int
from ..types import Answer, Citation

NUMBER = r"([0-9]{1,3}|[一二两三四五六七八九十]{1,3})"
# 第21条 / 第二十一条 / 第7条第4款 / 第7条④ / 第7条第四项
REF = re.compile(rf"第{NUMBER}条(?:第{NUMBER}(?:款|项|点)|([①②③④⑤⑥⑦⑧⑨⑩]))?")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# 总体要求 / 清单开头那段: an opening item without a number (SS-0)
OPENING = re.compile(r"总体要求|开头(那|的|这)?(一)?(段|部分|几句|一节)?|开篇")
# 第21条讲了什么 / 说的啥 / 是什么内容 / 原文: the clause itself is asked, nothing more particular
WHAT_IT_SAYS = re.compile(r"(讲|说|写|规定)(了|的)?(些)?(什么|啥)|(是|有)(什么|啥|哪些)内容|内容(是|有)(什么|啥|哪些)"
                          r"|原文|全文|怎么(说|讲|写|规定)的?|是什么[？?]?$|是啥[？?]?$")


def _number(s: str | None) -> int | None:
    if not s:
        return None
    return int(s) if s.isdigit() else cn_to_int(s)


def referenced_leaves(question: str, corpus) -> tuple[str, ...]:
    """The leaves a question names by number, in the document it names (both when it names none)."""
    from .reading import mentioned_documents

    if not (REF.search(question) or OPENING.search(question)):
        return ()  # most questions: asked twice per query (search, then the answer), so the cheap test first
    named = mentioned_documents(question, corpus.documents)
    codes = list(named) or [d.code for d in corpus.documents]
    out: list[str] = []
    for m in REF.finditer(question):
        item, sub = _number(m.group(1)), _number(m.group(2))
        if m.group(3):
            sub = CIRCLED.index(m.group(3)) + 1
        if item is None:
            continue
        # a document named just before the number is the one it belongs to (河钢第五条和清单开头)
        before = mentioned_documents(question[:m.start()][-12:], corpus.documents)
        for code in (before[-1:] if before else codes):
            out += _leaves(corpus, f"{code}-{item}", sub)
    m = OPENING.search(question)
    if m:
        # 清单开头那段: the document named just before it, by any of its names; else the named ones
        pre = question[max(0, m.start() - 8):m.start()]
        near = [d.code for d in corpus.documents if any(n and n in pre for n in (*d.names, *d.bare_names))]
        for code in near or codes:
            opening = corpus.get(f"{code}-0")
            if opening is not None:
                out.append(opening.id)
    return tuple(dict.fromkeys(out))


def _leaves(corpus, item_id: str, sub: int | None) -> list[str]:
    item = corpus.get(item_id)
    if item is None:
        return []
    if sub is not None:
        leaf = corpus.get(f"{item_id}.{sub}")
        return [leaf.id] if leaf is not None else []
    return list(item.children) or [item.id]


# 有什么不同 / 说法有什么出入 / 一样吗: two named clauses asked against each other
HOW_THEY_DIFFER = re.compile(r"(说法|提法|表述|规定|要求)?(有)?(什么|啥|哪些)?(不同|区别|差别|差异|出入|异同)|一样(吗|不)?|一致(吗)?|对得上(吗)?")


def asks_what_it_says(question: str, corpus, compared: bool = False) -> bool:
    """第21条讲了什么: nothing asked but the clause's own words (`compared`: or how two named clauses differ)."""
    from .reading import without_document_names
    from .terms import key_terms

    asking = [WHAT_IT_SAYS, HOW_THEY_DIFFER] if compared else [WHAT_IT_SAYS]
    rest = OPENING.sub(" ", REF.sub(" ", without_document_names(question, corpus.documents)))
    for p in asking:
        rest = p.sub(" ", rest)
    rest = re.sub(r"那段|这段|那条|这条|和|跟|与|同", " ", rest)
    return any(p.search(question) for p in asking) and not key_terms(rest)


def quoted_clauses(ids: tuple[str, ...], corpus, compared: bool = False) -> Answer:
    """The named clauses, verbatim, each with its label (`compared`: side by side, for the reader to weigh)."""
    cits = []
    for i in ids:
        leaf = corpus.get(i)
        if leaf is not None:
            cits.append(Citation(leaf.id, leaf.label, leaf.text.strip().rstrip("。；;"), True))
    lines: list[str] = []
    for c in cits:
        item = corpus.item_of(corpus.get(c.id))
        name = item.label.strip("〔〕")
        head = f"{name}（{item.title}）：" if item.title not in name else f"{name}："
        if head not in lines:
            lines.append(head)  # 河钢标准 第21条（严格落实党支部组织生活要求）：
        lines.append(f"{c.quote}{c.label}。")
    if compared:
        lines.append("以上是两份标准所指条款的原文，差异请对照原文。")
    return Answer("\n".join(lines), True, tuple(cits), "extractive", direct=len(cits))


def missing_reference(question: str, corpus) -> Answer | None:
    """第39条 / 第7条第9项 where the named document has no such clause: say which numbers exist, not a guess."""
    from .reading import mentioned_documents

    refs = list(REF.finditer(question))
    if not refs or referenced_leaves(question, corpus):
        return None
    named = mentioned_documents(question, corpus.documents) or tuple(d.code for d in corpus.documents)
    spans = []
    for d in corpus.documents:
        if d.code not in named:
            continue
        item = corpus.get(f"{d.code}-{_number(refs[0].group(1))}")
        if item is not None:  # the article exists, the sub-item does not
            spans.append(f"{d.short_name}第{item.item_no}条只有{len(item.children)}项" if item.children
                         else f"{d.short_name}第{item.item_no}条不再分款")
            continue
        numbers = [c.item_no for c in corpus.items(d.code) if c.item_no > 0]
        if numbers:
            spans.append(f"{d.short_name}共{max(numbers)}条")
    asked = "、".join(m.group(0) for m in refs)
    return Answer(f"没有找到{asked}：{'，'.join(spans)}。请核对条款号，或直接问想了解的内容。", False, (), "extractive")

