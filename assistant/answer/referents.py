"""Things the standards only name: documents they cite (《…》) and meetings whose spirit they ask to study.

A question about such a thing itself (条例一共多少章, 十九届四中全会是哪年开的, 规划对农村党员有什么要求)
asks what the standards never state: they require studying or following it, they do not restate it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.sentences import sentence_spans
from ..types import Answer, Citation

TITLE = re.compile(r"《([^》]{4,60})》")
# 党的十九届四中全会 / 党的十九大: a meeting named by its session
MEETING = re.compile(r"(党的)?(十[一二三四五六七八九]?|[二三四五六七八九]十[一二三四五六七八九]?)(届[一二三四五六七八九]中全会|大)")
# The parts of a title people leave out when they name it (中国共产党国有企业基层组织工作条例（试行） → 国有企业基层组织工作条例)
TITLE_NOISE = re.compile(r"^中国共产党|（试行）|\(试行\)|^[\d\-—－]+年")
# The shortest run of a title's characters that names it (全国党员教育培训工作规划, not 工作规划)
MIN_NAMING_RUN = 6

# What a question asks about the thing itself: when it was issued or held, how it is divided, what it says,
# what it requires of others, who holds office in it now.
ASKS_ITSELF = re.compile(
    r"(哪年|哪一年|哪个年份|何时|什么时候|啥时候)(开|召开|印发|发布|出台|颁布|制定|通过|举行)"
    r"|(多少|几)(章|节|部分)|一共(有)?(多少|几)条|(多少|几)条(内容)?(?![^，。？?]{0,4}(要求|措施))"
    r"|主要(讲|说|内容|精神|议题)|讲了(些)?(什么|啥)|核心(内容|要义|议题)|议题是(什么|啥)"
    r"|对[^，。？?]{2,12}(有|提了?|提出了?)(什么|哪些|啥)(要求|规定)"
    r"|现任|现在的[^，。？?]{0,6}(书记|主任|部长|董事长)是谁"
    r"|主题是(什么|啥)|(什么|啥)主题|全文|原文(是|有)?(什么|啥|多少)")
# A cited document asked what it says inside (《…》里劝退和除名的界限怎么划)
INSIDE_TITLE = re.compile(r"》(里|中|上|当中|里面)")
# Facts of the world about anything the standards name: where it is or was held, when it was founded or
# bought, how many characters its text has. The standards state such facts of nothing.
WORLD_FACT = re.compile(
    r"(在)?哪(个|座)?(国家|城市|省份|省)(办|开|举行|召开|的)?|哪(一)?年(被|建|成立|收购|创办)"
    r"|(被|由)谁收购|(一共|总共|全文)[^，。？?]{0,4}(多少|几)(个)?字|多少(个)?字(?![号])")


@lru_cache(maxsize=1)
def referents() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name as the standards write it, the core people say, ids of the leaves naming it)."""
    from ..corpus import load_corpus

    found: dict[str, tuple[str, list[str]]] = {}
    for leaf in load_corpus().leaves():
        names = [m.group(0) for m in TITLE.finditer(leaf.text)] + [m.group(0) for m in MEETING.finditer(leaf.text)]
        for name in names:
            core = TITLE_NOISE.sub("", name.strip("《》"))
            found.setdefault(name, (core, []))[1].append(leaf.id)
    return tuple((name, core, tuple(dict.fromkeys(ids))) for name, (core, ids) in found.items())


def _named(question: str, core: str) -> bool:
    if MEETING.fullmatch(core) or len(core) < MIN_NAMING_RUN:
        bare = MEETING.search(core)
        return bool(bare) and bare.group(2) + bare.group(3) in question
    return any(core[i:i + MIN_NAMING_RUN] in question for i in range(len(core) - MIN_NAMING_RUN + 1))


def asked_itself(question: str) -> tuple[str, tuple[str, ...]] | None:
    """(name, leaves naming it) when the question asks about a thing the standards only name, else None."""
    from .coverage import asking_part

    part = asking_part(question)
    if not (ASKS_ITSELF.search(part) or ASKS_ITSELF.search(question) or INSIDE_TITLE.search(question)
            or WORLD_FACT.search(question)):
        return None
    for name, core, ids in referents():
        if _named(question, core):
            return name, ids
    return None


def asks_world_fact(question: str) -> bool:
    """哪个国家 / 哪年被收购 / 全文多少个字: a fact of the world, which the standards state of nothing."""
    return bool(WORLD_FACT.search(question))


def leaves_naming(term: str, corpus) -> tuple[str, ...]:
    return tuple(leaf.id for leaf in corpus.leaves() if term and term in leaf.text)


def widest_name(term: str, question: str) -> str:
    """The longest run of the question around `term` that the standards also use (塞钢 → 河钢塞钢)."""
    from .terms import corpus_text

    text = corpus_text()
    i = question.find(term)
    if i < 0:
        return term
    a, b = i, i + len(term)
    grown = True
    while grown:
        grown = False
        if a > 0 and question[a - 1:b] in text:
            a, grown = a - 1, True
        if b < len(question) and question[a:b + 1] in text:
            b, grown = b + 1, True
    return question[a:b]


def itself_unstated(name: str, ids: tuple[str, ...], corpus, scope: str = "两份标准", thing: bool = False) -> Answer:
    """两份标准没有规定X本身的内容 — then the clauses that name it, for what the standards do ask of it.
    `thing`: a thing of the world (河钢塞钢, 入党誓词) rather than a document or meeting they cite."""
    cits = []
    for i in ids:
        leaf = corpus.get(i)
        if leaf is None:
            continue
        sentence = next((leaf.text[a:b] for a, b in sentence_spans(leaf.text) if name in leaf.text[a:b]), leaf.text)
        cits.append(Citation(leaf.id, leaf.label, sentence.strip().rstrip("。；;"), True))
    lines = [f"{scope}没有规定{name}本身的情况（所在地、时间、字数之类）：它们只在下列条款中提到{name}。" if thing
             else f"{scope}没有规定{name}本身的内容：它们只要求学习、落实或依照它，没有转述它的条文、时间或要求。"]
    if cits:
        lines += ["", f"两份标准提到{name}的条款（不是对上述问题的回答）："] + [f"- {c.quote}{c.label}" for c in cits]
    return Answer("\n".join(lines), False, tuple(cits), "extractive", direct=0)
