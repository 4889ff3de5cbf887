"""Follow-ups that turn to a document: named (那四同步清单呢), the other one (另一份标准呢), or with a
topic of their own (另一份文件在文化上提了啥, 四同步清单有类似的规定吗)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Answer, Turn
from .terms import key_terms, lexicon

# 另一份标准呢 / 另外那个文件怎么说: the previous question, asked of the other document.
# (另外 alone is "by the way": 另外问下，…)
OTHER_DOC = re.compile(r"另(一|外)(那|这)?(一)?(份|个|部)(标准|文件|清单|规定)?|另(一|外)(标准|文件|清单)|别的(标准|文件)|其他(标准|文件)")
# (底线 / 下限 / 硬杠杠: the bound asked for, no topic of its own: 那四同步清单定的底线是多少)
FILLER = re.compile(r"(底线|下限|上限|最低线|硬杠杠|杠杠|门槛|定的|给的|换到|换成|去看|来看|看看|看一下|对照|一样|相同|一致|那个|这个|那份|这份|文件|标准|清单|规定|里|中|上|里面|当中|那边|这边|是|怎么|如何|有没有|有什么|有啥|咋|说|讲|写|要求|的|呢|吗|说法|提法|口径|条款|提了|提|啥|什么|对|在|关于)")


def own_topic(rest: str) -> bool:
    """Words left once the other-document reference and the asking words are gone (关心职工)."""
    return bool(key_terms(FILLER.sub(" ", rest)))


def document_names() -> tuple[str, ...]:
    """Every name a question may use for a document, bare ones included, longest first."""
    from .reading import document_name_list

    return document_name_list(documents())


SAME_TOPIC = re.compile(r"类似的?|同样的?|差不多的?|相应的?|对应的?|这方面的?|这块的?|这类的?|这一?点|(对|关于|在)这(个|件事|事|项)(?![月年季])")


# 跟前置研究对应的 / 和党课类似的: the topic the follow-up ties the other document's answer to.
TIED_TOPIC = re.compile(r"(跟|和|与|同)([^，,。？?]{2,12}?)(相?对应|类似|相应|相当|一样|同类)")


def _subject_of(query: str) -> str:
    """The subject a question names (发展党员), else the question without the documents' names."""
    from ..facts import load_facts
    from .reading import read_question, subject_phrase, without_document_names
    from .terms import canonical_wording

    asked = without_document_names(query, documents())
    displays = read_question(canonical_wording(query), load_facts(), documents()).displays
    return subject_phrase(asked, displays[0]) if displays else asked


def _without_any_name(text: str) -> str:
    """The text without any way of naming a document (四同步 in 四同步那边 too)."""
    names = {n for d in documents() for n in (*d.names, *d.bare_names, *d.pointed_names) if n}
    for n in sorted(names, key=len, reverse=True):
        text = text.replace(n, " ")
    return text


def _asks_own(rest: str) -> bool:
    """按什么算 / 比例呢: an ask of its own, not the words that ask what a document says (怎么规定的)."""
    ask = _only_ask(rest)
    return ask is not None and ask.attribute != "mention"


def _asks_only(rest: str) -> bool:
    """有比例要求吗 / 有没有次数规定: nothing but what is asked (比例, 次数), no topic of its own."""
    return _only_ask(rest) is not None


def _only_ask(rest: str):
    """The ask, when the text holds nothing but it (no topic of its own); else None."""
    from .reading import asked_with_cue

    ask, cue = asked_with_cue(rest)
    return ask if ask is not None and cue.strip() and not own_topic(rest.replace(cue.strip(), " ")) else None


def other_document_with_topic(question: str, history: Sequence[Turn]) -> tuple[str, tuple[str, ...]] | None:
    """另一份标准对关心职工有什么要求 / 另一份文件在文化上提了啥: the follow-up's own topic, asked of the
    other document than the one the last answer led with: (query, documents), or None."""
    last = last_cited(history)
    if last is None:
        return None
    from .reading import mentioned_documents, without_document_names

    named = mentioned_documents(question, documents())
    rest = OTHER_DOC.sub(" ", question)
    for n in document_names():
        rest = rest.replace(n, " ")
    unnamed = _without_any_name(rest)  # 四同步那边的比例呢: no name of a document, 四同步 included
    if not OTHER_DOC.search(question) and not (len(named) == 1 and (SAME_TOPIC.search(question)
                                                                    or _asks_only(unnamed))):
        # 四同步清单有类似的报告要求吗 / 清单那边的次数一样吗: a named document and the previous topic
        return None
    tied = TIED_TOPIC.search(rest)
    if tied and own_topic(tied.group(2)):  # 跟前置研究对应的说法: the topic it is tied to
        rest = tied.group(2)
    elif SAME_TOPIC.search(rest):  # 另一份清单里类似的报告: the previous topic, in the other document
        rest = f"{without_document_names(last.query, documents())} {SAME_TOPIC.sub(' ', rest)}"
    elif _asks_only(unnamed):  # 另一份文件有比例要求吗: the previous question's subject, asked that
        rest = f"{_subject_of(last.query)} {unnamed}"
    elif not own_topic(rest):
        return None
    if not OTHER_DOC.search(question):
        return rest.strip(), tuple(named)
    others = other_docs(last.answer)
    return (rest.strip(), others[:1]) if others else None


def other_docs(answer: Answer) -> tuple[str, ...]:
    """The documents the answer did not lead with; when it led with both (河钢标准：… 四同步清单：…),
    the one after the first."""
    used = lead_docs(answer)
    others = tuple(d.code for d in documents() if d.code not in used)
    return others or used[1:2]



def last_cited(history: Sequence[Turn]) -> Turn | None:
    """The latest turn whose answer cited clauses (a refusal in between does not end the topic)."""
    return next((t for t in reversed(history) if t.answer.covered and t.answer.citations), None)


def documents():
    from ..corpus import load_corpus

    return load_corpus().documents


def lead_docs(answer: Answer) -> tuple[str, ...]:
    """The documents of the clauses an answer led with, in order."""
    n = answer.direct if answer.direct > 0 else 1
    return tuple(dict.fromkeys(c.id.split("-")[0] for c in answer.citations[:n]))


def other_document(question: str, prev: Turn) -> tuple[str, ...]:
    """The document a follow-up turns to: named (那四同步清单呢) or "the other one" (另一份标准呢)."""
    core = question.strip().rstrip("？?。.！! ")
    lex = lexicon()
    for p in lex.elliptic_prefixes:
        if core.startswith(p):
            core = core[len(p):]
            break
    docs = documents()
    named = [d.code for d in docs if any(n and core.startswith(n) for n in d.names)]
    rest = core
    for d in docs:
        for n in sorted(d.names, key=len, reverse=True):
            rest = rest.replace(n, "")
    rest = re.sub(r"^(里|中|上|里面|当中|那边|这边)?(是)?(怎么|如何|有没有|有什么|咋)?(说|讲|规定|写|要求)?(的)?(呢|吗|的呢)?$", "", rest)
    if named and (not rest or not own_topic(rest)) and not _asks_own(rest):  # 换成河钢那份文件呢
        # (清单里按什么算: an ask of its own, of the previous subject; read below as a topical follow-up)
        return tuple(named[:1])
    if not named and len(core) <= 15:
        # 四同步那份清单里怎么说的: a document's name in pieces, and nothing else
        from .reading import mentioned_documents

        by_word = mentioned_documents(core, docs)
        leftover = [t for t in key_terms(FILLER.sub(" ", core))
                    if not any(t in n for d in docs for n in (*d.names, *d.bare_names, *d.pointed_names))]
        if len(by_word) == 1 and not leftover and not _asks_own(_without_any_name(rest)):
            # also after a refusal: the previous question, of that document
            return by_word
    if OTHER_DOC.search(core) and len(core) <= 20 and prev.answer.citations \
            and not own_topic(OTHER_DOC.sub(" ", rest)):
        return other_docs(prev.answer)[:1]
    return ()
