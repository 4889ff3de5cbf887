"""Follow-up questions: make a question self-contained from the earlier turns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..text.sentences import asker_prefix_end, segment_spans, sentence_spans, trimmed_span
from ..types import Answer, Turn
from .other_document import (document_names, documents, last_cited, lead_docs, other_document,
                             other_document_with_topic)
from .documents import POINTING_AFTER
from .reading import mentioned_documents, subject_phrase, without_document_names
from .terms import CJK, canonical_wording, key_terms, lexicon, tagged_terms, term_stats, tokens, weigh
from .where_from import POINTS_BACK

# ---------------------------------------------------------------- conversation


@dataclass(frozen=True)
class Rewrite:
    query: str
    kind: str  # "new" | "elliptic" | "source" | "clause" | "uncited" | "other_doc" | "define"
    topic: str = ""  # for "elliptic": the new topic the follow-up names (那党小组会呢 → 党小组会)
    docs: tuple[str, ...] = ()  # for "other_doc": the document to answer from
    # The leaves the previous answer led with: where a follow-up that names no subject of its own
    # (报给谁 / 这个计划叫什么) looks first, and what a "more" follow-up leaves out.
    context: tuple[str, ...] = ()
    shown: tuple = ()  # the citations the previous answer led with (not to be repeated, or restated)
    # How the conversation so far named its subject (先锋模范岗): what a follow-up the standards do not
    # answer (评上的名单要公示几天) is said not to be stated about, when it names no subject of its own.
    prior_subject: str = ""
    # A follow-up that turns to another document than the one the conversation was answered from
    # (清单那边有没有给出占比的硬指标): the conversation's questions with it, which that document is searched for.
    thread: str = ""
    follow_up: bool = False  # asked after earlier turns
    same_clause: bool = False  # for "more": 同一条里还说了什么, the rest of the clause just shown only


# 还有别的要求吗 / 其他方面还有什么规定: more on the same topic, beyond what was already said.
MORE = re.compile(r"(还有|另外还有|此外还有|其他|其它|别的|另外的).{0,4}(要求|规定|内容|措施|做法|事项|安排|岗位|方面|环节|制度|要注意|注意)"
                  r"|^还有(什么|哪些|别的|其他|其它)"
                  r"|^(还有|其他|其它|别的|另外|此外)(的)?(呢|吗|没有|么|没)?[？?。！!]*$"
                  r"|还(提了|讲了|说了|安排了|规定了|要求了|写了|列了|提到|有)(些)?(哪些|啥|什么|别的|其他|其它)"
                  r"|(其他|其它|另外|此外)还(要|得|需要|应该)?(做|搞|注意|抓)(啥|什么|哪些)")
# 你是谁开发的 / 您能做什么 / 帮我写首诗: said to the assistant, about itself or a task of its own, not a
# follow-up on what was just answered
TO_THE_ASSISTANT = re.compile(r"(你|您)(是|叫|能|会|觉得|知道|由|被|从)|帮我(写|推荐|编|画|翻译|讲个|想个|算)")
# 同一条里关于一肩挑还说了什么 / 这条还提到哪些活动: the clause just shown, not the topic at large.
SAME_CLAUSE = re.compile(r"(同一|这一?|该|本|那一?)(条|款|项|句)(里|中|上|还|又|另外|此外)")
# 除了这些，… / 除了评选，…: what was just said is set aside; what follows asks for the rest.
SET_ASIDE = re.compile(r"^(除了|除去|除开)[^，,。？?]{0,12}(之外|以外|外)?[，,]")
# 讲党课还有啥别的要求 / 平台这块还有别的规定没: what is left once the asking words are gone names the topic.
MORE_FILLER = re.compile(r"(这一?块|这方面|方面|这一?点|领域|层面|上面|上|里面|里|中|在|对|关于|两边|两份|那边|这边"
                         r"|还|又|再|另外|此外|的|吗|呢|没有?|有|啥|什么|哪些|些|了|要|得|需要)")
# 这样党组织还管不管 / 这种情况下…: the situation the previous answer described.
SITUATION = re.compile(r"^(这样的话|这样|那样的话|那样|这种情况下?|那种情况下?|如果这样)")
# 这个计划 / 该清单 / 上述要求: a noun pointing back at the previous answer.
DEMONSTRATIVE = re.compile(r"(这个|这项|这条|这些|这件|那件|该|此|上述|上面的|刚才的|前面的)[\u4e00-\u9fff]|^它|^(这|那)事")


# 这个词是什么意思 / 它指什么: a term of the previous answer.
PRONOUN_TERM = re.compile(r"^(这个|那个|这|那|它|上面|刚才|前面)(词|说法|提法|概念|术语|的)?")
DEFINE_WORDS = re.compile(r"(是)?(什么|啥)意思|指(的是)?什么|是指|什么叫|含义|怎么理解")
QUOTED_TERM = re.compile(r"“([^”]{2,12})”")


def _strip_markers(text: str, markers: Sequence[str]) -> str:
    for m in markers:
        text = text.replace(m, "")
    return text


# 我要写进整改通知 / 我写简报要用: a clause of the asker's own about what the source is for, beside the one that asks it
OWN_PURPOSE = re.compile(r"^(我|我们)(要|想|得|准备|写|在|打算)")


def _without_own_purpose(question: str, markers: Sequence[str]) -> str:
    """The question without the clauses in which the asker says what they need the source for (those that
    ask no where-from themselves): 这话是标准哪条说的，我要写进整改通知 → 这话是标准哪条说的."""
    parts = re.split(r"[，,；;]", question)
    kept = [p for p in parts if any(m in p for m in markers) or not OWN_PURPOSE.match(p.strip())]
    return "，".join(kept)


def turned_document(question: str, rw: Rewrite, history: Sequence[Turn]) -> tuple[str, ...]:
    """The document a follow-up turns to, when it is not the one the conversation was last answered from, or
    when the last answer set both side by side and the follow-up asks one of them (清单在阵地上最低要配到什么程度)."""
    last = last_cited(history)
    if not last or rw.kind in ("source", "clause", "define", "more"):
        return ()
    docs = rw.docs or tuple(mentioned_documents(question, documents()))
    led = lead_docs(last.answer)
    if len(docs) != 1 or (docs[0] in led and len(led) == 1):
        return ()
    return docs


def rewrite_query(question: str, history: Sequence[Turn]) -> Rewrite:
    """Make a follow-up self-contained using earlier turns.

    - "这是哪份文件规定的？" / "具体是第几条？": kind source/clause, answered from the last cited answer;
    - "那党小组会呢？": the new topic replaces the topic of the previous query;
    - anything else is a new question.
    """
    lex = lexicon()
    q = question.strip()
    if not history:
        return Rewrite(q, "new")
    prev = history[-1]
    for kind, markers in (("clause", lex.clause_followups), ("source", lex.source_followups)):
        if any(m in q for m in markers):
            asking = (*lex.source_followups, *lex.clause_followups)
            rest = _strip_markers(_without_own_purpose(q, asking), (*asking, *lex.source_fillers, *document_names()))
            names_nothing = not key_terms(rest.replace("文件", "").replace("条款", ""))
            if last_cited(history) and (names_nothing or POINTS_BACK.search(q)):
                # 我要在材料里引用，告诉我它在清单里的编号: 它 points back, whatever the asker adds
                return Rewrite(last_cited(history).query, kind)
            if not last_cited(history) and names_nothing:
                # 这句在清单里原文怎么写, after questions no clause answered: there is no source to name
                return Rewrite(q, "uncited")
    if TO_THE_ASSISTANT.search(q):
        return Rewrite(q, "new")
    shown = lead_quotes(history)
    other = other_document(q, prev)
    if other:
        return Rewrite(prev.query, "other_doc", docs=other, shown=shown)
    topical = other_document_with_topic(q, history)
    if topical:
        return Rewrite(topical[0], "new", docs=topical[1])
    context = lead_leaves(history)
    if MORE.search(q) and len(q) <= MORE_MAX_CHARS and context:
        asked = SET_ASIDE.sub("", q)
        docs = tuple(mentioned_documents(asked, documents()))
        return Rewrite(f"{last_cited(history).query} {MORE.sub(' ', asked)}", "more", more_topic(asked),
                       docs=docs, context=context, shown=asked_parts(shown, last_cited(history).query),
                       same_clause=bool(SAME_CLAUSE.search(q)))
    term = defined_term(q, prev)
    if term:
        return Rewrite(f"“{term}”是什么意思", "define", term)
    core = q.rstrip("？?。.！! ")
    new_topic = core
    elliptic = False
    for p in lex.elliptic_prefixes:
        if new_topic.startswith(p) and not (p == "那" and POINTING.match(new_topic)):  # 那天 / 那次: pointing back
            new_topic, elliptic = new_topic[len(p):], True
            break
    for s in lex.elliptic_suffixes:
        if new_topic.endswith(s):
            new_topic, elliptic = new_topic[: -len(s)], True
            break
    new_topic = new_topic.strip("，, ")
    if elliptic and mentioned_documents(new_topic, documents()):
        # 清单那边中心组呢: the document says where to look (prepare turns to it); the topic is 中心组
        bare = DOCUMENT_POINTER.sub("", without_document_names(new_topic, documents())).strip()
        new_topic = bare if key_terms(bare) else new_topic
    valued = VALUE_TAIL.sub("", new_topic)
    if elliptic and valued and _names_a_topic(valued):  # 那普通党员要多少: the same value asked of 普通党员
        new_topic = valued
    if elliptic and _asks_of_its_own(new_topic):
        elliptic = False  # 那党员培训计划多久定一次: a whole question of its own, not a new topic for the old one
    if elliptic and MET_CASE.match(q) and len(q) <= CONDITIONAL_CASE_MAX_CHARS:
        elliptic = False  # 遇到特殊情况呢: a case met in the previous question, not a new topic for it
    if elliptic and CONDITIONAL.match(q) and len(q) <= CONDITIONAL_CASE_MAX_CHARS:
        if CASE_CLAUSE.match(CONDITIONAL.sub("", new_topic)) and last_cited(history):
            # 要是在国外注册的公司呢: a situation (在…的), not a topic to put in the old one's place
            return Rewrite(f"{last_cited(history).query}，{q}", "carry", context=lead_leaves(history), shown=shown)
        new_topic = CONDITIONAL.sub("", new_topic)  # 要是小型企业呢: the topic is 小型企业
    if elliptic and not _names_a_topic(new_topic):
        elliptic = False  # 一年后还是没改好呢 / 党务公开呢，哪份文件提了: a situation or a question, not a topic
    if not elliptic or not new_topic or len(new_topic) > 15 or not key_terms(new_topic):
        last = last_cited(history)
        case = bool(last) and q.rstrip("？?。 ").endswith("呢") and not _read(q).displays and not _names_new_topic(q)
        if case and CONDITIONAL.match(q) and len(q) <= CONDITIONAL_CASE_MAX_CHARS:
            # 要是一年到了还没改过来呢: a case of the whole previous question, not of its subject alone
            return Rewrite(f"{last.query}，{q}", "carry", context=context, shown=shown)
        carried = carry_subject(q, last or prev)
        if carried:
            return Rewrite(carried, "carry", context=context, shown=shown)
        if context and (DEMONSTRATIVE.search(q) and not _read(q).subjects or SITUATION.match(q)):
            return Rewrite(q, "refer", context=context)
        if case and len(q) <= CASE_MAX_CHARS:
            # 一时建不起来呢: another case of what was just asked, which names no subject of its own
            return Rewrite(f"{last.query}，{q}", "carry", context=context, shown=shown)
        return Rewrite(LEADING_THEN.sub("", q), "new", prior_subject=_prior_subject(history))
    return Rewrite(substitute_topic(prev.query, new_topic, prev.answer), "elliptic", new_topic, context=context,
                   shown=shown)


# What a topic may end with: a noun (党小组会), a verbal noun (换届), a place or time word (车间, 年底).
# a figure (正式党员有3个) or a 的 phrase (干得差的).
TOPIC_END_TAGS = ("n", "vn", "s", "t", "f", "j", "nz", "ng", "an", "m", "q", "uj")


# 那普通党员要多少 / 换成党委书记是几年: a follow-up that asks the previous question's value of another subject
VALUE_TAIL = re.compile(r"(要|是|得|需要|该|又)?(多少|几个|几次|几回|几年|多久|多长时间)$")
GENERIC_ASK_TAIL = re.compile(r"(的|有)?(要求|规定|说法)?(是什么|是啥|有哪些|有什么|怎么说|怎么规定|怎么样|如何)$")


# 一时建不起来呢: a case of the previous question this short names no subject of its own.
CASE_MAX_CHARS = 10
# 要是一年期满还达不到要求呢: a case put as a condition may be longer.
MET = "遇到|碰到|碰上|遇上|赶上"
CONDITIONAL = re.compile(rf"^(那)?(要是|如果|假如|万一|若是|倘若|{MET})")
CONDITIONAL_CASE_MAX_CHARS = 20
# 遇到特殊情况呢 / 碰上改制呢: a case the previous question meets (要是…呢 may still name a new topic)
MET_CASE = re.compile(rf"^(那)?({MET})")
# 在国外注册的公司 / 是党员的 / 没有董事会的: after 要是, a clause that starts with a preposition or a verb of
# being, not a noun to put in the old topic's place (a figure, 正式党员有3个, is still substituted: measured better)
CASE_CLAUSE = re.compile(r"^(在|是|有|没有|没|不|被)")
# 那述廉报告哪个月写: a leading 那 (then) is no part of what is asked (jieba glues it to the next word).
LEADING_THEN = re.compile(r"^(那么|那)(?=[\u4e00-\u9fff])(?![些个边里种样份次天年时])")
# A "what else" follow-up longer than this is a question of its own.
MORE_MAX_CHARS = 30


def more_topic(question: str) -> str:
    """讲党课还有啥别的要求 → 讲党课; 还有别的要求吗 → "" (the previous topic goes on)."""
    rest = MORE.sub(" ", question)
    for n in document_names():
        rest = rest.replace(n, " ")
    rest = MORE_FILLER.sub(" ", rest.strip("？?。.！! "))
    return " ".join(key_terms(rest))


def _names_a_topic(text: str) -> bool:
    """那X呢 puts a new topic in the old question: X is a noun phrase, one clause that ends in a noun
    (那党小组会呢, 小型企业呢, 有3个呢), not a situation (一年后还是没改好呢) or a second question."""
    from .terms import tagged_tokens

    if re.search(r"[，,；;。？?！!]", text):
        return False
    text = GENERIC_ASK_TAIL.sub("", text) or text  # 换成党委书记要求是什么: the topic is 党委书记
    toks = [(t, tag) for t, tag in tagged_tokens(text) if t.strip()]
    return bool(toks) and toks[-1][1].startswith(TOPIC_END_TAGS)


def _asks_of_its_own(text: str) -> bool:
    from .reading import WHETHER, asked

    return asked(text) is not None or bool(WHETHER.search(text))


def lead_quotes(history: Sequence[Turn]) -> tuple:
    """The citations the last cited answer led with."""
    last = last_cited(history)
    if last is None:
        return ()
    n = last.answer.direct if last.answer.direct > 0 else 1
    return tuple(last.answer.citations[:n])


def asked_parts(shown: Sequence, question: str) -> tuple:
    """Of each quote the previous answer led with, the comma segment that answered its question (the one
    holding most of its words): a clause quoted whole says more than the user asked about, and a "what
    else" follow-up asks for the rest of it (离任审计 asked: 任期审计、个人重大事项报告 is what else)."""
    wt = weigh(canonical_wording(question), term_stats())
    out = []
    for c in shown:
        spans = [trimmed_span(c.quote, x, y) for a, b in sentence_spans(c.quote) for x, y in segment_spans(c.quote, a, b)]
        if len(spans) < 2 or not wt.terms:
            out.append(c)
            continue
        a, b = max(spans, key=lambda sp: wt.share_in(c.quote[sp[0]:sp[1]]))
        out.append(replace(c, quote=c.quote[a:b]))
    return tuple(out)


def lead_leaves(history: Sequence[Turn]) -> tuple[str, ...]:
    """The leaves the last cited answer led with (its direct part, not 相关条款)."""
    last = last_cited(history)
    if last is None:
        return ()
    n = last.answer.direct if last.answer.direct > 0 else 1
    return tuple(dict.fromkeys(c.id for c in last.answer.citations[:n]))


def _read(text: str):
    from ..corpus import load_corpus
    from ..facts import load_facts
    from .reading import read_question

    return read_question(canonical_wording(text), load_facts(), load_corpus().documents, text)


def _names_new_topic(question: str) -> bool:
    """A noun the standards never use (食堂, 菜单) makes the question its own topic, not a follow-up."""
    from .reading import asked_with_cue

    stats = term_stats()
    cue = asked_with_cue(question)[1]  # 哪个时段 / 什么时间: the words that ask are no topic
    asked = ASKING_MEASURE.sub("", question.replace(cue, " ") if cue else question)  # 哪段时间: 段时间 no noun
    # 那天 / 这笔钱: words pointing back name no topic of their own; nor do 具体 / 到底 (具体安排 is no noun)
    asked = re.sub(r"具体|到底|究竟", " ", POINTING.sub(" ", asked))
    # any noun, one character too, without the thesaurus: unknown_nouns (coverage's reading) moved follow-ups on three sets
    return any(tag.startswith("n") and not stats.df(t) for t, tag in tagged_terms(asked))


ASKING_MEASURE = re.compile(r"(哪|几)[段个些种类位项条一]")
# 这笔钱 / 那天 / 这个30%: a follow-up's words pointing back at what the conversation is about.
POINTING = re.compile(r"(这|那)(笔|个|项|条|些|次|天|种|份|件|样)|^(该|此)")


def _own_nouns(question: str, reading) -> list[str]:
    """Nouns of the standards the follow-up names itself, other than the words that ask and the
    documents' names."""
    stats = term_stats()
    names = document_names()
    return [t for t, tag in tagged_terms(question) if tag.startswith("n") and len(t) >= 2 and stats.df(t)
            and t not in reading.cue and not any(t in n for n in names)]


def _prior_subject(history: Sequence[Turn]) -> str:
    last = last_cited(history)
    if last is None:
        return ""
    displays = _read(last.query).displays
    return displays[0] if displays else ""


def carry_subject(question: str, prev: Turn) -> str:
    """A follow-up that asks something without naming what about (报给谁？ / 一般放在什么时候？ /
    四同步清单里有比例要求吗) is about the previous question's subject: put that subject in front."""
    now = _read(question)
    if now.displays or len(question) > 30 or _names_new_topic(question):
        return ""
    before = _read(prev.query)
    if not before.displays:
        return ""
    if not (now.attribute or now.docs or len(question) <= 12):
        return ""
    if len(question) > 12 and _own_nouns(question, now):
        return ""  # 河钢标准在人才这块坚持什么原则: 人才 is its own topic
    return f"{subject_phrase(prev.query, before.displays[0])}{question}"



def defined_term(question: str, prev: Turn) -> str:
    """The term a 这个词是什么意思 follow-up asks about: the quoted term of the previous lead, else
    the term the follow-up itself names."""
    q = question.strip().rstrip("？?。.！! ")
    if not DEFINE_WORDS.search(q):
        return ""
    head = DEFINE_WORDS.split(q)[0]
    pointer = PRONOUN_TERM.match(head)
    if head and (not pointer or QUOTED_TERM.search(head[pointer.end():]) or key_terms(head[pointer.end():])):
        return ""  # names its own term (那“六西格玛”是什么意思): an ordinary new question
    quotes = [c.quote for c in prev.answer.citations[:max(prev.answer.direct, 1)]]
    for quote in quotes:
        m = QUOTED_TERM.search(quote)
        if m:
            return m.group(1)
    return ""


def substitute_topic(prev_query: str, new_topic: str, prev_answer: Answer) -> str:
    """Put new_topic in place of what prev_query was about.

    The old topic is the longest run shared by the previous query and its direct quote, widened to
    the neighbouring key words, as long as it covers the query's first key term; otherwise that
    first key term (党建经费按什么比例 → 党建经费).
    """
    scene = asker_prefix_end(prev_query)  # 我是二级单位的党委书记，…: who asks is no topic to replace
    names = document_names()  # 河钢对书记的…: where to look is no topic either
    terms = tuple(t for t in key_terms(prev_query) if prev_query.find(t, scene) >= 0 and t not in names)
    # 四融合呢 after “四同步”拆开是哪四件事: a set named by its count replaces the set named by a count
    counted = [t for t in terms if COUNTED_SET.match(t) and t != new_topic and t in prev_query]
    if COUNTED_SET.match(new_topic) and len(counted) == 1:
        i = prev_query.find(counted[0])
        return prev_query[:i] + new_topic + prev_query[i + len(counted[0]):]
    # A follow-up names something of the same kind as what it replaces: 党委书记 for 支部书记,
    # 普通党员 for 预备党员. A shared head of two or more characters says which term that is.
    same_kind = max(terms, key=lambda t: _common_suffix(t, new_topic), default=None)
    if same_kind and same_kind != new_topic and (_common_suffix(same_kind, new_topic) >= 2
                                                 or _common_suffix(same_kind, new_topic) == 1
                                                 and _both_subjects(same_kind, new_topic)):
        i = prev_query.find(same_kind)
        end = i + len(same_kind)
        if "的" in new_topic:  # 班子的民主生活会 → 支部的组织生活会: the new topic brings its own modifier
            m = re.search(r"[\u4e00-\u9fff]{1,6}的$", prev_query[:i])
            i = m.start() if m else i
        return prev_query[:i] + new_topic + prev_query[end:]
    people = [t for t in terms if PERSON.search(t) and t != new_topic]
    if PERSON.search(new_topic) and people:
        # 书记呢 after 支部…普通党员的学时: a person replaces the person asked about, not the unit setting the scene
        i = prev_query.find(people[0], scene)
        return prev_query[:i] + new_topic + prev_query[i + len(people[0]):]
    span = None
    if prev_answer.citations:
        span = _longest_common_span(prev_query, prev_answer.citations[0].quote)
    if terms:
        # Questions name their topic first: a shared run elsewhere (比例) is not the topic.
        i = prev_query.find(terms[0], scene)
        first = (i, i + len(terms[0]))
        if span is None or span[1] <= first[0] or span[0] >= first[1]:
            span = first
    if span is None:
        return f"{new_topic} {prev_query}"
    # Widen to whole tokens and to adjacent key terms.
    pos, bounds = 0, []
    for t in tokens(prev_query):
        i = prev_query.find(t, pos)
        bounds.append((i, i + len(t), t))
        pos = i + len(t)
    key = set(terms)
    a, b = span
    for s, e, t in bounds:
        if s < b and e > a:
            a, b = min(a, s), max(b, e)
    changed = True
    while changed:
        changed = False
        for s, e, t in bounds:
            if t in key and (e == a or s == b):
                a, b, changed = min(a, s), max(b, e), True
    return prev_query[:a] + new_topic + prev_query[b:]


# 清单那边 / 河钢里 / 四同步清单对 (not 中 or 上: 中心组, 上级): what is left of a document's mention once its name is gone
DOCUMENT_POINTER = re.compile(rf"^\s*{POINTING_AFTER}?(里|对|的)?\s*")
# What names a person or a body of people by role (书记, 普通党员, 班子成员, 职工董事), as against a unit or an activity.
PERSON = re.compile(r"(书记|党员|委员|干部|成员|主席|经理|董事|监事|人员|组长|主任|职工|员工|人才|专家|能手|领导)$")
# 四同步, 两晒账, 三会一课: a name that starts with a count (not 一些 / 一定)
COUNTED_SET = re.compile(r"^[两三四五六七八九十][\u4e00-\u9fff]{1,4}$")


def _both_subjects(a: str, b: str) -> bool:
    """Two names the fact layer files as subjects (党委会, 董事会): one head character is enough."""
    from ..facts import load_facts

    names = load_facts().subject_names()
    return a in names and b in names and min(len(a), len(b)) >= 3


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _longest_common_span(query: str, quote: str, min_len: int = 2) -> tuple[int, int] | None:
    best = None
    for i in range(len(query)):
        for j in range(len(query), i + min_len - 1, -1):
            if best and j - i <= best[1] - best[0]:
                break
            piece = query[i:j]
            if CJK.search(piece) and piece in quote and piece not in lexicon().stopwords:
                best = (i, j)
                break
    return best
