"""Answering from facts: the lead states the matching fact; precise abstention when none does.

Pure: a `Reading`, the fact base, the corpus and the retrieved hits in; an `Answer` (or None when
the facts do not decide and the extractive composer should answer) out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..types import Answer, Citation, Fact, Hit, Reading
from .compose import question_topic
from .asks import value_shapes
from .parts import names_part
from .reading import ask_for
from .terms import WeightedTerms

QUANTITATIVE = ("count", "share", "frequency", "duration", "deadline", "timing")
MAX_SAID = 3  # facts shown after a precise "not stated", as what the standards do say
# A comparison shows a document's best retrieved leaf when the facts give none, if the leaf shares
# at least this weighted share of the question's words.
COMPARE_MIN_SHARE = 0.25
COMPARE_RANK_WEIGHT = 0.5  # a document's best retrieved leaf adds this much to a fact's share, the next half
# Only facts of a document's own best leaf speak for it: the per-document search with the comparison examples
# (search.py) puts the right leaf first for 0.93 of the dev rounds' comparisons, and a fact of the second or
# third leaf that shares more words was the usual wrong pick. On all dev rounds (each without its own
# examples) 3 → 2 → 1 gave comparisons 163 → 164 → 175 of 207; nothing else moved.
COMPARE_NEAR_LEAVES = 1
COMPARE_CONFIDENT_SCORE = 0.3  # ... or a leaf the retriever ranks this high for the question
# ... and, when neither its facts nor such a leaf speak for a document, its best leaf scoring this much
# (searched on the topic in that document alone): measured on the fresh dev sets, compare +1 each on
# dev3 and dev5, none lower; below it 没有关于X的规定 stands
COMPARE_NEAREST_SCORE = 0.15


def _doc_name(corpus, code: str) -> str:
    try:
        return corpus.document(code).short_name
    except StopIteration:
        return code


# A fact's quote is shown as its whole sentence when that sentence is short enough to read at once:
# the sentence keeps what surrounds the value (一般3年以上，特殊情况不少于1年).
SENTENCE_MAX_CHARS = 60
# A named set or a term is explained by the sentence that lists it, however long.
DEFINE_SENTENCE_MAX_CHARS = 160


def shown_quote(fact: Fact, corpus, limit: int = SENTENCE_MAX_CHARS) -> str:
    from ..text.sentences import sentence_spans

    text = corpus.get(fact.leaf).text
    for a, b in sentence_spans(text):
        if a <= fact.start and fact.end <= b + 1:
            return text[a:b] if b - a <= limit else fact.quote
    return fact.quote


def whole_definition(answer: Answer, corpus) -> Answer:
    """四个百分百都包括啥 / 抓两头带中间指的啥: the lead's whole sentence (and, after 即：, the rest of its
    clause), up to DEFINE_SENTENCE_MAX_CHARS; a comma segment names the term without saying what it is."""
    from ..text.sentences import sentence_spans

    if not answer.covered or not answer.citations:
        return answer
    lead = answer.citations[0]
    text = corpus.get(lead.id).text
    at = text.find(lead.quote)
    if at < 0:
        return answer
    for a, b in sentence_spans(text):
        if a <= at and at + len(lead.quote) <= b:
            if "即：" in text[a:b] or text[a:b].endswith("："):
                b = len(text.rstrip("。"))  # 即：甲；乙；丙: the list runs to the clause's end
            whole = text[a:b]
            if len(whole) > DEFINE_SENTENCE_MAX_CHARS or whole == lead.quote:
                return answer
            cits = (replace(lead, quote=whole), *answer.citations[1:])
            return replace(answer, text=answer.text.replace(lead.quote, whole, 1), citations=cits)
    return answer


def citation_of(fact: Fact, corpus, reading: Reading | None = None) -> Citation:
    limit = DEFINE_SENTENCE_MAX_CHARS if reading is not None and reading.kind == "define" else SENTENCE_MAX_CHARS
    return Citation(fact.leaf, corpus.get(fact.leaf).label, shown_quote(fact, corpus, limit), True)


# 一年开几次 asks a number of times: 常态化开展 (a frequency in words) does not answer it.
TIMES_ASKED = re.compile(r"(几|多少)(次|回|场|遍|轮)")
NUMERAL = re.compile(r"[\d一二两三四五六七八九十百]")


def _answers(fact: Fact, reading: Reading) -> bool:
    ask = ask_for(reading.attribute)
    if TIMES_ASKED.search(reading.cue) and not NUMERAL.search(fact.value):
        return False
    if ask and ask.require_shape and ask.shape and not ask.shape.search(fact.value):
        return False  # 多长时间 is not answered by 及时, 几个人 not by 配齐配强
    if reading.part and not names_part(fact.quote, reading.part):
        return False  # 专职委员要有几个 is not answered by 党委委员7-9人
    if fact.attribute in reading.accepts:
        return True
    # A quantitative fact filed under a neighbouring attribute still answers when its value has the
    # asked shape (a count asked, a share stated: 专职党务人员…职工总数的1%以上).
    # So does a procedure whose value names where it goes (向集团纪委和本单位党委报告: 报给谁).
    # Only an ask a figure or a destination answers: 每年举办一次 holds 举办, and says nothing of who holds it.
    if ask is None or not (ask.procedure_answers or set(ask.accepts) & set(QUANTITATIVE)):
        return False
    kinds = (*QUANTITATIVE, "procedure") if ask.procedure_answers else QUANTITATIVE
    return bool(ask.shape and fact.attribute in kinds and ask.shape.search(fact.value))


def candidate_facts(reading: Reading, facts, subjects: Sequence[str] | None = None) -> list[Fact]:
    """Facts about the question's subjects (or the subjects filed under them) that answer what it asks."""
    out = []
    own = own_names(reading, facts)
    for subj in subjects if subjects is not None else reading.subjects:
        found = []
        for s in facts.related_subjects(subj):
            # A narrower subject filed under the question's (集中轮训 under 党组织) answers only where
            # its quote names what the question names, next to the value.
            found += [f for f in facts.about(s) if _answers(f, reading)
                      and (s == subj or names_value_together(f, own))]
        broader = facts.subject(subj).broader
        if not found and broader:
            # 支部书记考核垫底会怎样: what the standards state of every 党组织书记 holds for a 党支部书记
            found = [f for f in facts.about(broader) if _answers(f, reading)]
        out += found
    if reading.docs:
        out = [f for f in out if f.doc in reading.docs]
    return list(dict.fromkeys(out))


# The retriever's best leaves also offer their own facts: the question may name its subject more
# broadly than the fact files it (党组织 for 党内年度报告).
LEAF_FACT_HITS = 3
SEGMENT = re.compile(r"[，,；;。]")


def own_names(reading: Reading, facts) -> set[str]:
    """The names of the question's own subjects (not of those filed under them)."""
    names = {d for d in reading.displays if d}
    for s in reading.subjects:
        names.update(facts.subject(s).names)
    return names


def names_of(reading: Reading, facts, first_only: bool = False) -> set[str]:
    """Every name the question's subjects go by, with the words the question itself used."""
    names = {d for d in reading.displays[:1 if first_only else None] if d}
    for s in reading.subjects[:1 if first_only else None]:
        for r in facts.related_subjects(s):
            names.update(facts.subject(r).names)
    return names


# 对工作较差的要进行约谈 / 对优秀的要表彰奖励: a 的 phrase with no noun of its own refers to those the
# sentence named first.
HEADLESS = re.compile(r"^对[^，,；;]{1,8}的(要|应|须|进行|给予|予以|可)")


def names_value_together(fact: Fact, names) -> bool:
    """One segment of the quote names the subject and holds the value (职代会…常态化 after 每年…1次
    does not say how often 职代会 meets)."""
    at = fact.quote.find(fact.value)
    pos, before = 0, ""
    segments = SEGMENT.split(fact.quote)
    for seg in segments:
        if pos <= at < pos + len(seg) + 1:
            if seg.startswith("其"):  # 其占比不低于…: 其 is the segment before
                seg = before + seg
            elif HEADLESS.match(seg):  # 对…书记的工作进行考核，…对工作较差的要进行约谈: the people named first
                seg = segments[0] + seg
            # …职工工资总额的0.5%-2%: a name inside the value is its base, not what it is about
            # (a frequency names the act it counts: 每年上党课不少于1次)
            if fact.attribute in QUANTITATIVE and fact.attribute != "frequency":
                seg = seg.replace(fact.value, "|")
            return any(n in seg for n in names)
        pos += len(seg) + 1
        before = seg
    return False


def leaf_facts(reading: Reading, facts, hits: Sequence[Hit], context: Sequence[str] = ()) -> list[Fact]:
    """Facts of the best retrieved leaves that answer what is asked about a subject the question names;
    and of the leaves the conversation is about (报给谁 after 系统管理员更换…报备), whatever their subject
    when the follow-up names none."""
    names = names_of(reading, facts, first_only=True)  # 党费按工资的百分之几: a share of 党费, not of 工资
    out = []
    for leaf in context:
        out += [f for f in facts.of_leaf(leaf)
                if _answers(f, reading) and (not names or names_value_together(f, names))]
    if not names:
        return out
    for h in hits[:LEAF_FACT_HITS]:
        out += [f for f in facts.of_leaf(h.clause.id)
                if _answers(f, reading) and names_value_together(f, names)]
    if reading.docs:
        out = [f for f in out if f.doc in reading.docs]
    return out


# A fact whose condition the question names (特殊情况) is the one asked, above the general rule.
CONDITION_NAMED = 1.0


def rank_facts(cands: Sequence[Fact], reading: Reading, hits: Sequence[Hit], wt: WeightedTerms,
               context: Sequence[str] = ()) -> list[Fact]:
    """Best first: the question's own subject, the asked attribute itself, the retriever's order, and
    the question's words in the quote."""
    rank = {h.clause.id: i for i, h in enumerate(hits)}
    first = reading.subjects[0] if reading.subjects else ""
    ask = ask_for(reading.attribute)  # a value of the asked shape states it (党龄一般3年以上)

    def score(f: Fact) -> float:
        s = 0.0
        s += 1.0 if f.subject in reading.subjects else 0.4
        s += 0.5 if f.subject == first else 0.0
        if f.attribute in reading.accepts:  # the asked attribute first, the fallbacks in their order
            s += 0.6 * (1 - reading.accepts.index(f.attribute) / len(reading.accepts))
        s += 0.5 * (1 - rank[f.leaf] / max(len(hits), 1)) if f.leaf in rank else 0.0
        s += 0.8 * wt.share_in(f.quote)
        s += 0.8 if f.leaf in context else 0.0  # the conversation's clause answers its follow-up
        # A value of the asked shape is what the question wants (党龄一般3年以上 for 什么条件).
        if ask is not None and ask.shape is not None and ask.shape.search(f.value):
            s += 0.7
        if f.condition and f.condition in reading.question:  # 要是有特殊情况…: the case the asker names
            s += CONDITION_NAMED
        return s - 1e-4 * f.start  # ties: the clause's own order

    return sorted(cands, key=lambda f: -score(f))


def lead_facts(reading: Reading, facts, hits: Sequence[Hit], wt: WeightedTerms,
               context: Sequence[str] = ()) -> list[Fact]:
    """The facts that answer: the best one, and the other document's best when it states it too."""
    cands = list(dict.fromkeys([*candidate_facts(reading, facts), *leaf_facts(reading, facts, hits, context)]))
    ranked = rank_facts(cands, reading, hits, wt, context)
    if not ranked:
        return []
    lead = [_with_exception(ranked[0], facts)]
    same = set(facts.related_subjects(lead[0].subject))
    other = next((f for f in ranked[1:] if f.doc != lead[0].doc and f.subject in same), None)
    if other and not reading.docs:
        lead.append(_with_exception(other, facts))
    return lead


def _with_exception(fact: Fact, facts) -> Fact:
    """A rule is shown with the exception the same sentence makes to it (党龄一般3年以上，特殊情况不少于1年):
    the same leaf's fact on the same subject and attribute whose quote holds this one's and goes on."""
    wider = [f for f in facts.of_leaf(fact.leaf) if f is not fact and f.subject == fact.subject
             and f.attribute == fact.attribute and fact.quote in f.quote and len(f.quote) > len(fact.quote)
             and f.condition]
    return min(wider, key=lambda f: len(f.quote)) if wider else fact


def fact_answer(lead: Sequence[Fact], reading: Reading, corpus, related: Sequence[Citation] = ()) -> Answer:
    lines: list[str] = []
    cits = [citation_of(f, corpus, reading) for f in lead]
    if len(lead) == 1:
        lines.append(f"{cits[0].quote}{cits[0].label}。")
    else:
        for f, c in zip(lead, cits):
            lines.append(f"{_doc_name(corpus, f.doc)}：{c.quote}{c.label}。")
        lines.append(describe_values(lead, corpus))
    related = [c for c in related if c.id not in {f.leaf for f in lead}]
    if related:
        lines += ["", "相关条款："] + [f"- {c.quote}{c.label}" for c in related]
    return Answer("\n".join(lines), True, tuple(dict.fromkeys([*cits, *related])), "extractive",
                  direct=len(cits))


def describe_values(lead: Sequence[Fact], corpus) -> str:
    a, b = lead[0], lead[1]
    na, nb = _doc_name(corpus, a.doc), _doc_name(corpus, b.doc)
    if a.value == b.value:
        return f"两份标准的规定一致（{a.value}）。"
    if a.attribute == b.attribute and a.attribute in ("share", "count", "frequency", "duration", "deadline", "timing"):
        return f"两份标准的规定不同：{na}为“{a.value}”，{nb}为“{b.value}”，请按本单位适用的标准执行。"
    return "两份标准都有相关规定，请对照上面的原文。"


def is_not_stated(answer: Answer, corpus) -> bool:
    """The precise reply `abstention` writes (两份标准没有规定… / 四同步清单没有规定…)."""
    scopes = ("两份标准", *(_doc_name(corpus, d.code) for d in corpus.documents))
    return answer.text.startswith(tuple(f"{s}没有规定" for s in scopes))


def abstention(reading: Reading, facts, corpus, hits: Sequence[Hit], wt: WeightedTerms,
               question: str = "") -> Answer:
    """两份标准没有规定X的Y — then what they do say about X, labelled as not answering it."""
    scope = scope_of(reading, corpus)
    if reading.attribute_word and states_asked_of_subject(reading, facts):
        # 董事会成员的数量 is stated (7-9人) though it did not answer this question: never claim otherwise
        return not_found_about(reading, facts, corpus, hits, wt, question)
    if reading.attribute_word:
        first = f"{scope}没有规定{_subject(reading)}的{reading.attribute_word}。"
    else:  # the question's own words say what it asks; the subject is what the standards do speak of
        first = f"{scope}没有规定这一点（“{question_topic(question or reading.question)}”）。"
    return _with_said(first, "（不是对上述问题的回答）", reading, facts, corpus, hits, wt)


def states_asked_of_subject(reading: Reading, facts) -> bool:
    """A fact on the subject a 没有规定X的Y reply would name, in the question's document scope, states a figure of the asked kind (a count, share, frequency or length):
    the reply would be false. Other attributes are filed too broadly to tell (a 任职条件 fact says nothing
    of the 学历 asked)."""
    ask = ask_for(reading.attribute)
    if ask is None or not ask.accepts or ask.accepts[0] not in QUANTITATIVE:
        return False
    shapes = value_shapes(ask)
    # the subject the reply names, exactly (董事会成员; the facts filed under a wider name such as 党员
    # state figures of many other things), and the attribute the ask is first of all (a 时长 asked is not
    # a 时限 stated)
    return any(f.attribute == ask.accepts[0] and any(sh.search(f.value) for sh in shapes)
               and (not reading.docs or f.doc in reading.docs) for f in facts.about(_subject(reading)))


def not_found_about(reading: Reading, facts, corpus, hits: Sequence[Hit], wt: WeightedTerms,
                    question: str = "") -> Answer:
    """No clause found answers the question, though the standards speak of its subject: say so (not that
    they do not state it) and show what they say about the subject for the user to weigh."""
    first = f"{scope_of(reading, corpus)}中没有找到直接回答这一问题的条款（“{question_topic(question or reading.question)}”）。"
    return _with_said(first, "，请对照原文判断", reading, facts, corpus, hits, wt)


def _with_said(first: str, label: str, reading: Reading, facts, corpus, hits: Sequence[Hit],
               wt: WeightedTerms) -> Answer:
    """A reply that answers nothing, then what the standards say about the subject under `label`."""
    lines = [first]
    cits = said_about(reading, facts, corpus, hits, wt)
    if cits:
        lines += ["", f"关于{_subject(reading)}，标准中有这些规定{label}："]
        lines += [f"- {c.quote}{c.label}" for c in cits]
    return Answer("\n".join(lines), False, cits, "extractive", hits=tuple(hits), direct=0)


def _subject(reading: Reading) -> str:
    return reading.displays[0] if reading.displays else (reading.subjects[0] if reading.subjects else "")


def scope_of(reading: Reading, corpus) -> str:
    return "、".join(_doc_name(corpus, d) for d in reading.docs) if reading.docs else "两份标准"


def said_about(reading: Reading, facts, corpus, hits: Sequence[Hit], wt: WeightedTerms) -> tuple[Citation, ...]:
    """What the standards say about the question's subjects: the best-matching fact of each clause."""
    said: list[Fact] = []
    subjects = reading.subjects or ()
    rank = {h.clause.id: i for i, h in enumerate(hits)}
    pool = [f for s in subjects for r in facts.related_subjects(s) for f in facts.about(r)]
    if reading.docs:
        pool = [f for f in pool if f.doc in reading.docs]
    pool.sort(key=lambda f: (-wt.share_in(f.quote), rank.get(f.leaf, 99)))
    for f in pool:
        if len(said) >= MAX_SAID:
            break
        if all(f.leaf != g.leaf for g in said):  # one quote per clause
            said.append(f)
    return tuple(dict.fromkeys(citation_of(f, corpus) for f in said))


def _fill(cits: list, facts: Sequence[Fact], weight, rank, corpus, limit: int = 2) -> None:
    """Up to `limit` quotes of the best-weighted facts, none inside another already taken."""
    for f in sorted(facts, key=lambda f: (-weight(f), rank.get(f.leaf, 99))):
        if len(cits) >= limit:
            break
        if all(f.quote not in c.quote and c.quote not in f.quote for c in cits):
            cits.append(Citation(f.leaf, corpus.get(f.leaf).label, f.quote, True))


def comparison(reading: Reading, facts, corpus, hits: Sequence[Hit], wt: WeightedTerms, documents) -> Answer | None:
    """Both documents side by side on the question's subject; says so when one is silent."""
    per_doc: dict[str, list] = {d.code: [] for d in documents}
    pool = [f for s in reading.subjects for r in facts.related_subjects(s) for f in facts.about(r)]
    if reading.accepts:
        narrowed = [f for f in pool if _answers(f, reading)]
        pool = narrowed or pool
    # Each document's own best retrieved leaves (searched on the topic alone) weigh with the quote's words:
    # a broad subject (党组织) has facts in many clauses that share a word of the question.
    rank: dict[str, int] = {}  # a leaf's place among its own document's hits
    seen: dict[str, int] = {}
    for h in hits:
        if h.clause.id not in rank:
            rank[h.clause.id] = seen.get(h.clause.doc, 0)
            seen[h.clause.doc] = rank[h.clause.id] + 1

    def weight(f: Fact) -> float:
        return wt.share_in(f.quote) + (COMPARE_RANK_WEIGHT / (1 + rank[f.leaf]) if f.leaf in rank else 0.0)

    # Where a document's best few leaves hold facts of the subject, those speak for it; else its best
    # leaf when it is on the topic; only then the subject's facts elsewhere in it.
    near = {d.code: [f for f in pool if f.doc == d.code and rank.get(f.leaf, 99) < COMPARE_NEAR_LEAVES]
            for d in documents}
    for d in documents:
        _fill(per_doc[d.code], near[d.code], weight, rank, corpus)
    def from_hits(confident: float) -> None:  # the retriever fills a document the facts leave empty
        from ..text.sentences import sentence_spans

        for h in hits:
            d = h.clause.doc
            if not per_doc.get(d) and (wt.share_in(h.clause.title + h.clause.text) >= COMPARE_MIN_SHARE
                                       or h.score >= confident):
                a, b = max(sentence_spans(h.clause.text), key=lambda sp: wt.share_in(h.clause.text[sp[0]:sp[1]]))
                per_doc[d] = [Citation(h.clause.id, h.clause.label, h.clause.text[a:b], True)]

    from_hits(COMPARE_CONFIDENT_SCORE)
    for d in documents:
        if not per_doc[d.code]:
            _fill(per_doc[d.code], [f for f in pool if f.doc == d.code], weight, rank, corpus)
    # Asked to compare, a document is said to have nothing only when not even its best leaf is near.
    from_hits(COMPARE_NEAREST_SCORE)
    if not any(per_doc.values()):
        return None
    topic = reading.displays[0] if reading.displays else "这一问题"
    lines: list[str] = []
    cits: list[Citation] = []
    for d in documents:
        got = per_doc[d.code]
        if got:
            lines.append(f"{d.short_name}：" + "；".join(f"{c.quote}{c.label}" for c in got) + "。")
            cits += got
        else:
            lines.append(f"{d.short_name}：没有关于{topic}的规定。")
    if all(per_doc.values()):
        lines.append("两份标准都有规定，上面分别列出各自原文，差异请对照原文。")
    return Answer("\n".join(lines), True, tuple(dict.fromkeys(cits)), "extractive", hits=tuple(hits),
                  direct=len(cits))
