"""Which documents a question names: their names and aliases from `corpus/documents.toml`, the bare word
(清单) where it is not a list of the user's own, and a concept's name pointed at like a document (四同步那边).
Pure: the question and the documents in, their codes out."""

from __future__ import annotations

import re


def mentioned_documents(question: str, documents) -> tuple[str, ...]:
    """Codes of the documents a question names (河钢标准, 四同步清单, or their other names)."""
    found = []
    for d in documents:
        others = tuple(n for o in documents if o.code != d.code for n in o.names if n)
        if any(n and n in question for n in d.names) or any(_bare_name_used(question, n, others) for n in d.bare_names) \
                or any(re.search(re.escape(n) + POINTING_AFTER, question) or _paired_with_another(question, n, others)
                       for n in d.pointed_names):
            found.append(d.code)
    return tuple(found)


# 四同步那边 / 四同步那份文件: a pointing word after a concept's name makes it the document's
POINTING_AFTER = r"(那边|这边|那份|这份|那头|那儿|那里|那个文件|那个清单)"
# 按清单 / 这份清单 / 清单里 / 清单说: how people point at the document by its bare name
BARE_BEFORE = re.compile(r"(按|照|看|据|这份|那份|另一份|另外一份|另外那份|这个|那个|该|四同步|那|这)$")
# 河钢标准和清单 / 河钢第五条和清单开头: a name after a conjunction, another document named before it
CONJUNCTION = re.compile(r"(和|跟|与|同|及|还是)$")
BARE_AFTER = "里中上说讲让对要规提点有怎的是列开第"  # (清单开头那段 / 清单第7条)
# 什么清单 / 一个清单 / 哪个清单: a list asked about, not the document
ASKED_LIST = re.compile(r"(什么|啥|哪个|哪些|(?<![另外])一个|(?<![另外])一份|几个|(?<![这那一])个|张)$")


def _paired_with_another(question: str, name: str, others: tuple[str, ...]) -> bool:
    """河钢和四同步各自怎么写 / 河钢给的比例和清单给的区间: a name right after a conjunction, in a question
    that has named another document before it, is a document set beside that one."""
    return any(_beside_another(question[:m.start()], others) for m in re.finditer(re.escape(name), question))


def _beside_another(before: str, others: tuple[str, ...]) -> bool:
    """The text before a name ends with a conjunction, and another document is named before that."""
    c = CONJUNCTION.search(before)
    return bool(c) and any(o in before[:c.start()] for o in others)


def _bare_name_used(question: str, name: str, others: tuple[str, ...] = ()) -> bool:
    """清单 names the document where no longer name of the standards (任务清单) or asking word ends
    just before it."""
    from .terms import corpus_text

    for m in re.finditer(re.escape(name), question):
        before = question[max(0, m.start() - 6):m.start()]
        after = question[m.end():m.end() + 1]
        if ASKED_LIST.search(before):
            continue
        if _beside_another(question[:m.start()], others):  # 河钢那份跟清单 / 河钢给的比例和清单给的区间
            return True
        if before and "\u4e00" <= before[-1] <= "\u9fff" and not BARE_BEFORE.search(before) \
                and not (after and after in BARE_AFTER) and not re.match(POINTING_AFTER, question[m.end():]):
            # (换到清单那边: a pointing word after it makes it the document, as after 四同步)
            continue  # 前置事项清单时: a list of the user's own, not the document
        if any(before[i:] + name in corpus_text() for i in range(len(before) - 1)):
            continue  # 任务清单, 前置研究讨论清单
        return True
    return False
