"""When an extractive answer yields to "the standards do not state this": the checks that decide it.

Pure: a `Reading`, the composer's `Answer`, the fact base and the hits in; a yes/no (or the noun a
precise "not stated" is about) out. `pipeline.respond` calls them in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.sentences import sentence_spans
from ..types import Answer, Citation, Hit
from .asks import ask_for, asks
from .coverage import assess_coverage
from .facts_answer import own_names
from .parts import names_part
from .reading import BOUND, WHETHER
from .terms import key_terms, synonym_groups, tagged_terms, tagged_tokens, term_stats, tokens


# 由谁主持 / 谁领誓 / 谁出面约谈: a who-question about one particular act. A clause saying who holds the
# meeting does not say who chairs it; the act (or a word of the thesaurus for it) must be stated.
WHO_ACT = re.compile(r"(?:谁|哪个部门|哪个单位|哪一级|哪级|什么人)(?:来|去|出面|亲自|负责)?"
                     r"(主持|领誓|约谈|审核|签字|签发|讲课|授课|监督|考核|评议|任命|推荐|提名|联系|把关|验收|认定|评定|审定|表决|发放|下拨|保管|建档)")


# 多长时间考核一次 / 分工多久调整一次: how often one particular act is done. A clause giving how often
# something else about the subject happens (每年举办一次授牌仪式) does not say it; a generic verb (开, 搞)
# names no act of its own.
FREQUENCY_ACT = re.compile(r"(?:多久|多长时间|隔多久|多少天|几个月|几年)(?:要|得|需要|应该|应当|就)?(?:至少|最少|起码|最多|一般)?"
                           r"([\u4e00-\u9fff]{1,3}?)(?:一次|一回|1次)")
BOUND_WORDS = re.compile(r"^(至少|最少|起码|最多|最好|一般)")
HOW_OFTEN = re.compile(r"(几|多少)(次|回)|多久|多长时间|频次|频率")
MEETING_KINDS = re.compile(r"例会|碰头会|联席会|座谈会|推进会|现场会|调度会|务虚会|总结会|动员会|通报会")
GENERIC_ACTS = {"开", "搞", "办", "弄", "做", "进行", "组织", "召开", "召集", "开会", "聚会", "碰头", "安排", "举行", "举办",
                "开展", "来", "去", "过", "有", "是"}


def action_unstated(question: str, text: str) -> bool:
    groups = synonym_groups()
    m = WHO_ACT.search(question)
    if m:
        return not any(a in text for a in groups.get(m.group(1), (m.group(1),)))
    if HOW_OFTEN.search(question):  # 董事会的例会最少开几次: a kind of meeting the clause never names
        kinds = MEETING_KINDS.findall(question)
        if kinds and not any(k in text for k in kinds):
            return True
    m = FREQUENCY_ACT.search(question)
    act = BOUND_WORDS.sub("", m.group(1)).lstrip("去来要得再") if m else ""  # 多久至少谈一次: 至少 bounds it
    if len(act) >= 2 and act not in GENERIC_ACTS:  # one character (编, 核, 碰) is a colloquial verb, no act
        return not any(a in text for a in groups.get(act, (act,)))
    return False


# The leaves a subject-named question may be answered from when its own words are not the
# standards': among the retriever's best few, those that name the subject.
NAMING_HITS = 3


# ... and only when those clauses hold at least this share of the question's words: below it the
# question asks about something else the subject merely sets (on dev and dev2 fewer than half of the
# answers below it were right).
SUBJECT_TRUST_MIN_SUPPORT = 0.3


def composed_support(question: str, hits: Sequence[Hit]) -> float:
    return assess_coverage(question, hits).support


def named_topic(question: str, hits: Sequence[Hit], reading) -> str:
    """The noun of the question the best retrieved clause also names (组织生活, 优秀企业家): what a
    precise "not stated" is about when no filed subject matched."""
    if not hits:
        return ""
    stats = term_stats()
    text = hits[0].clause.title + hits[0].clause.text
    nouns = [t for t, tag in tagged_terms(question) if tag.startswith(("n", "vn")) and len(t) >= 2
             and t not in reading.cue and stats.df(t) and t in text]
    return max(nouns, key=len, default="")


def naming_hits(hits: Sequence[Hit], names) -> list[Hit]:
    return [h for h in hits[:NAMING_HITS] if any(n in h.clause.title + h.clause.text for n in names)]


TIME_WORD = re.compile(r"(上|下)半年|年初|年底|年中|年末|月初|月底|(第[一二三四])?季度|春节|节前|节后|当月|次月|当年|次年")
ALTERNATIVES = re.compile(r"([^，,。；;？?！!]*?)还是([^，,。；;？?！!]*)")


def alternatives_unstated(question: str, text: str, names=()) -> bool:
    """是书面还是口头 / 发奖金还是发证书: a question offering choices, of which the clause names none
    (outside the subject's own names), asks something the standards do not state."""
    m = None
    for m in ALTERNATIVES.finditer(question):
        pass
    if m is None:
        return False
    sides = []
    left = m.group(1).rsplit("是", 1)[-1]  # 汇报工作是书面还是口头: the choice is what follows 是
    if left == m.group(1):  # 要建到省级还是国家级: without 是, the word before 还是 is the first choice
        keys = key_terms(left)
        words = [t for t in (*keys, *tokens(left)) if t in left and (t in keys or TIME_WORD.fullmatch(t))]
        last = max(words, key=left.rfind, default="")
        left = left[left.rfind(last):] if last else left
    # 是书记讲还是厂长讲: a name offered as one of the choices is a choice, not the subject
    outside = question[:m.start(1) + len(m.group(1)) - len(left)] + question[m.end():]
    names = [n for n in names if n in outside]
    for part in (left, m.group(2)):
        terms = [t for t in key_terms(part) if len(t) >= 2 and not any(t in n or n in t for n in names)]
        if not terms:  # 上半年开还是下半年开: time words are no key terms, but they are the choices
            terms = [t for t in tokens(part) if len(t) >= 2 and TIME_WORD.fullmatch(t)]
        sides.append(terms)
    if not all(sides):
        return False
    # 按季度公开还是按年公开: a word both choices share (公开) is what is chosen about, not a choice
    shared = [t for t in sides[0] if t in sides[1]]
    own = [[t for t in side if t not in shared] for side in sides]
    groups = synonym_groups()

    def stated(t: str) -> bool:  # 全面铺开 is stated by 全面推行: a two-character piece will do
        return any(a in text for a in groups.get(t, (t,))) or any(t[i:i + 2] in text for i in range(len(t) - 1))
    named_time = ask_for("month")  # a month, a quarter, 年初 / 年底: not 每年
    if all(TIME_WORD.fullmatch(t) for side in sides for t in side) and named_time and named_time.shape.search(text) \
            and any(n in text for n in names):
        return False  # 年初还是年底, and the subject's clause says 第四季度: a time is stated, in its own words
    # A choice is named when its head is: the last of its words the standards use (在原有基础上完善: 完善;
    # 书记亲自谈: 书记), and what both choices share is named too (纪委主导还是审计部门主导: 主导 is not).
    stats = term_stats()
    # (来讲 / 去谈: the act is the verb after 来 / 去)
    if not all(stated(t) or (t[0] in "来去" and t[1:] in text) for t in shared):
        return True
    known = [[t for t in side if stats.df(groups.get(t, (t,)))] or side for side in own if side]
    return bool(known) and not any(stated(side[-1]) and 2 * sum(map(stated, side)) >= len(side) for side in known)


def speaks_of_another_role(reading, composed: Answer, facts) -> bool:
    """The question names a role the standards never file (党小组长, built on 党小组) and the
    composer's direct statement does not name it either."""
    names = facts.subject_names()
    roles = [d for d in reading.displays if d not in names]
    n = max(composed.direct, 1)
    return bool(roles) and not any(r in c.quote for r in roles for c in composed.citations[:n])


def lead_support(composed: Answer, wt, corpus) -> float:
    """Share of the question's words in the clause the composer leads with."""
    if not composed.covered or not composed.citations:
        return 0.0
    leaf = corpus.get(composed.citations[0].id)
    return wt.share_in(leaf.title + "\n" + leaf.text) if leaf else 0.0


def yes_no_answered(reading, composed: Answer) -> bool:
    """A yes/no question whose kind of ask never abstains in that form (能不能当董事) takes the
    composer's answer when there is one."""
    ask = ask_for(reading.attribute)
    return bool(composed.covered and ask is not None and not ask.whether_abstains and WHETHER.search(reading.question))


def cue_stated(reading, composed: Answer, facts) -> bool:
    """The words that ask the attribute stand in the composer's statement (职级 in 同职级、同待遇):
    the standards speak of it, so this is no "not stated"."""
    n = max(composed.direct, 1)
    names = own_names(reading, facts)
    if BOUND.search(reading.question) and lacks_asked_value(reading, composed):
        return False  # 人数上有没有封顶 after 党员人数较多…划分若干党小组: 人数 named, its bound not
    return composed.covered and len(reading.cue) >= 2 and any(
        reading.cue in c.quote and any(x in c.quote for x in names) for c in composed.citations[:n])


def foreign_free(composed: Answer) -> bool:
    return "没有提到" not in composed.text or "两份标准都是中文文件" in composed.text


TRUSTED_SUPPORT = 0.75


def composer_states(reading, composed: Answer, facts, support: float = 0.0) -> bool:
    """Does the composer's direct statement name the question's subject and carry a value of the
    asked kind? Then the standards do state it, though no reviewed fact says so."""
    if not composed.covered or not composed.citations:
        return False
    ask = ask_for(reading.attribute)
    if ask is None or ask.shape is None:
        return False
    names = own_names(reading, facts)
    direct = composed.citations[: max(composed.direct, 1)]
    if reading.part and not any(names_part(c.quote, reading.part) for c in direct):
        return False  # 外部董事至少几名: 董事会成员7-9人 counts the whole, not the part asked
    if any(states_in_segment(c.quote, names, ask.shape) for c in direct):
        return True
    if ask.shape_in_quote and any(_listed_beside(c.quote, names, ask.shape) for c in direct):
        return True  # 经济账的指标分了几类: the clause lists them (甲、乙、丙), the user counts
    # 党组织在确定标准、参与考察…方面把关到位: the value sits in a segment that carries the question's
    # own words (确定标准, 参与考察) though not the subject's name.
    words = [t for t in key_terms(reading.question) if len(t) >= 2 and not any(t in n for n in names)]
    if words and any(states_in_sentence(c.quote, ask.shape, words) for c in direct):
        return True
    # The question may name its subject more narrowly than the clause (支部书记 / 基层党组织书记):
    # a statement of the asked shape in a leaf that holds nearly all the question's words answers.
    # A figure asked: not when the statement does name the subject, in a segment without the figure
    # (职代会…常态化开展 after 经济账单每年…1次): that figure is another subject's.
    return support >= TRUSTED_SUPPORT and not ask.shape_in_quote and any(
        ask.shape.search(c.quote) and not (ask.needs_value and any(n in c.quote for n in names)) for c in direct[:1])


def states_in_sentence(quote: str, shape, words) -> bool:
    """A segment with a value of the asked shape and two of the question's own words (确定标准, 参与考察)
    states it, whether or not it repeats the subject's name."""
    for seg in re.split(r"[，,。；;]", quote):
        if shape.search(seg) and sum(w in seg for w in words) >= 2:
            return True
    return False


def states_in_segment(quote: str, names, shape) -> bool:
    """A comma segment names the subject and then gives a value of the asked shape (职代会…常态化
    after 每年…1次 does not state how often 职代会 meets)."""
    return any(any(n in seg for n in names) and shape.search(seg) for seg in re.split(r"[，,；;、]", quote))


def _listed_beside(quote: str, names, shape) -> bool:
    """A list (甲、乙、丙) in a comma segment that names the subject, or whose sentence does and that
    segment is the sentence's own list rather than a run of verbs (引进、储备、使用一批人才)."""
    for seg in re.split(r"[，,；;。]", quote):
        if shape.search(seg) and any(n in seg for n in names):
            return True
    return False


# 党旗的尺寸是多少 / 活动室的面积要多大: X的Y asked as an amount, where the standards never use the word Y.
AMOUNT_ASKED = re.compile(r"^(是|有|要|得|该|应该|一般|大概|具体)?(多少|多大|多长|多宽|多高|多重|多厚|几)")


def unknown_attribute(question: str, reading) -> tuple[str, str] | None:
    """(X, Y) when the question asks how much Y of X is and the standards never use Y (nor a word the
    thesaurus gives for it): what they do not state, however well they speak of X. None otherwise."""
    stats, groups = term_stats(), synonym_groups()
    toks = tagged_tokens(question)
    pos, spans = 0, []
    for t, tag in toks:
        i = question.find(t, pos)
        spans.append((i, i + len(t), t, tag))
        pos = i + len(t)
    for k in range(1, len(spans) - 1):
        if spans[k][2] != "的":
            continue
        x, (_, end, y, tag) = spans[k - 1], spans[k + 1]
        if len(y) < 2 or not tag.startswith("n") or y in reading.cue or stats.df(groups.get(y, (y,))):
            continue
        if len(x[2]) >= 2 and x[3].startswith(("n", "v", "j")) and AMOUNT_ASKED.match(question[end:]):
            j = k - 1  # 学习|宣传栏: the whole run of words that names X
            while j > 0 and spans[j - 1][1] == spans[j][0] and spans[j - 1][3].startswith(("n", "v", "j")) \
                    and len(spans[j - 1][2]) >= 2:
                j -= 1
            return question[spans[j][0]:x[1]], y
    return None


def lacks_asked_value(reading, composed: Answer) -> bool:
    """A figure or time asked (needs_value), and the direct statement holds no value of that shape or of
    the shapes that answer it too (a count asked may be answered by a headcount or by the list it counts)."""
    shapes = _value_shapes(reading)
    if not shapes or not composed.citations:
        return False
    direct = composed.citations[:max(composed.direct, 1)]
    return not any(_holds_figure(c.quote, shapes, reading.attribute) for c in direct)


# A sentence of the best few leaves answers a figure the composer's statement lacks when it holds the
# value and this share of the question's weighted words.
VALUED_HITS = 3
VALUED_MIN_SHARE = 0.3


def _value_shapes(reading) -> list:
    """(shape, is a list or names the value itself) of the asked kind and the kinds that answer it too."""
    ask = ask_for(reading.attribute)
    if ask is None or not ask.needs_value:
        return []
    return [(a.shape, a.shape_in_quote or a.named_value) for a in map(ask_for, (ask.attribute, *ask.value_asks))
            if a is not None and a.shape]


# 定期 and 年度 have the shape of a frequency but name none: only a figure or a named time is a value here.
FIGURE = re.compile(r"[\d一二两三四五六七八九十百半]|及时|第一时间|随时|年初|年底|年末|岁末|月底|季末|半年|前夕|期间")


def _holds_figure(text: str, shapes, attribute: str = "") -> bool:
    """A figure, a named time or a list (甲、乙、丙 answers 几项); 每年 / 每月 only for how often and
    when (每月相对固定一天), not for an amount or a length."""
    return any(listed or FIGURE.search(m.group(0)) or (attribute in ("frequency", "timing") and m.group(0).startswith("每"))
               for sh, listed in shapes for m in sh.finditer(text))


def valued_sentence(reading, hits: Sequence[Hit], wt) -> Answer | None:
    """The sentence of the best few leaves that holds a figure of the asked kind and the largest share
    (at least VALUED_MIN_SHARE) of the question's words: 改正期限为1年 when the composer led with the
    clause's other sentence."""
    shapes = _value_shapes(reading)
    best, best_share = None, 0.0
    for h in hits[:VALUED_HITS]:
        for a, b in sentence_spans(h.clause.text):
            sent = h.clause.text[a:b]
            share = wt.share_in(sent)
            if share >= VALUED_MIN_SHARE and share > best_share and _holds_figure(sent, shapes, reading.attribute):
                best, best_share = Citation(h.clause.id, h.clause.label, sent, True), share
    if best is None:
        return None
    return Answer(f"{best.quote}{best.label}。", True, (best,), "extractive", direct=1)


# 哪些环节 / 哪种倾向 / 哪几类: which of a set (not which people or places: 评了哪些人 asks for names the
# standards never give); 甲、乙: a clause that lists
WHICH_OF = re.compile(r"哪(些|种|几|类)(个|位|项|条)?(?!人|国家|地方|单位|公司|企业|机构|城市|年)")
LISTS = re.compile(r"[\u4e00-\u9fff]、[\u4e00-\u9fff]")


# 哪四强 / 哪两头: which ones of a counted set (not 什么意思, which a counted name like 一岗双责 may answer)
WHICH_COUNT = re.compile(r"哪[两三四五六七八九十]")
# 四强, 两节, 三化, 一案双查: a set named by its count
NUMBERED = re.compile(r"^[“\"]?[一二两三四五六七八九十]")


def undefined_numbered_set(reading, facts) -> bool:
    """The question asks the members of a numbered set (四强) whose facts list none."""
    numbered = [s for s in reading.subjects if NUMBERED.match(s)]
    return bool(numbered) and not any(f.attribute == "members" for s in numbered
                                      for r in facts.related_subjects(s) for f in facts.about(r))


def asks_counted_members(reading) -> bool:
    """哪四强 / 四个优分别指什么: which ones make up a counted set."""
    return reading.attribute == "members" and bool(WHICH_COUNT.search(reading.cue) or "分别" in reading.question)


def lists_what_is_asked(question: str, text: str) -> bool:
    """哪些环节 asked, and the clause lists (甲、乙)."""
    return bool(WHICH_OF.search(question) and LISTS.search(text))


def holds_no_value_of_kind(reading, answer: Answer) -> bool:
    """A precise ask, and the statement holds no value of its shape, nor of another ask of its kind (谁来列席:
    监事会成员列席 names who, as 向党委专题报告 names to whom)."""
    ask = ask_for(reading.attribute)
    if ask is None or ask.shape is None or not ask.specific or not answer.citations:
        return False
    shapes = [a.shape for a in asks() if a.shape is not None and (a is ask or a.kind == ask.kind)]
    return not any(s.search(c.quote) for s in shapes for c in answer.citations[:max(answer.direct, 1)])
