"""Reading a question into what it asks: subjects, the asked attribute, document scope and kind.

Pure: the question (already in the standards' wording), the fact base's subject names and the
documents' names in; a `Reading` out. What may be asked is the ask catalogue (`asks`, data in
`assistant/data/question_attributes.toml`).
"""

from __future__ import annotations

import re

from ..text.sentences import clauses as split_clauses, describes_asker
from ..types import Reading
from .asks import ASK_FILE, Ask, ask_for, asked, asked_with_cue, asks  # noqa: F401  (the ask catalogue, read here)
from .documents import mentioned_documents  # noqa: F401  (which documents a question names, read here)
from .parts import asked_part


# Comparison questions (is_comparison): the words are data, `[comparison]` in assistant/data/answer_lexicon.toml.
def _comparing(name: str) -> re.Pattern:
    from .terms import lexicon

    return lexicon().pattern(name)


WHETHER = re.compile(r"吗|是否|是不是|能不能|可不可以|要不要|需不需要|算不算|有没有|行不行|可以吗|够不够|对不对|([\u4e00-\u9fff])不\1")
SCENARIO_FIGURES = ("count", "headcount", "length", "hours")
# 没设党委的 / 不设董事会的 / 未建党支部的: a body the case lacks, right before its name (not 还没换届: an act not done)
NEGATED = re.compile(r"(没设|不设|未设|没有设|没建|未建|没有建)(立)?$")
# 人数上有没有封顶 / 学时有没有下限: a bound of the figure is asked, the figure is not the user's case
BOUND = re.compile(r"上限|下限|封顶|最高限|最低限")
# 一共60人 / 1500名职工: a number of people the question gives as its whole
# (a group's own size, 监事会只有3个人, is its case, not a whole)
TOTAL = re.compile(r"\d+(名|个|位)?(职工|员工|党员|干部|中层)|(一共|总共|共有|全部)\d+(名|个|位)?人")
ASKING_WORDS = re.compile(r"怎|什么|啥|如何|哪|谁|多少|多久|吗|呢")
# Role words that make a longer subject of a matched name (党小组 + 长 → 党小组长).
ROLE_SUFFIXES = ("组长", "长", "书记", "副书记", "委员", "成员", "主任", "干事", "联络员")


def _blank(text: str, spans) -> str:
    out = list(text)
    for a, b, *_ in spans:
        out[a:b] = "　" * (b - a)
    return "".join(out)


ROLE_HEADS = ("书记", "副书记", "委员", "组长", "主任", "成员", "干部")
OTHER_BODY_ENDINGS = ("委", "联", "会")
QUALIFIER_STOP = set("的了是在和与及或由给对把被让要需能会就都也还我你他这那个每各该本其党当任做选配派以可想去来得")


def _role_qualifier(question: str, start: int, name: str) -> str:
    """Characters right before a bare role name that make another role the standards name (纪委 + 书记)."""
    if name not in ROLE_HEADS:
        return ""
    i = start
    while i > 0 and start - i < 3 and "\u4e00" <= question[i - 1] <= "\u9fff" and question[i - 1] not in QUALIFIER_STOP:
        i -= 1
    if start - i < 2:
        return ""
    from .terms import corpus_text

    # A role the standards name (纪委书记) is another role; a phrase of the question's own (单位书记,
    # 我们厂书记) still means the role itself.
    head = question[i:start]
    if head + name in corpus_text():
        return head
    # 团委书记 / 工会委员: the role of another body (a 委 that is not the Party's), not the role itself
    body = head[-2:]
    if body.endswith(OTHER_BODY_ENDINGS) and "党" not in body and body + name not in corpus_text():
        return body
    return ""


_PIECES: dict[int, dict[str, tuple[str, ...]]] = {}


def compound_pieces(facts) -> dict[str, tuple[str, ...]]:
    """Each multi-word subject name cut into its words, once per fact base."""
    key = id(facts)
    if key not in _PIECES:
        from .terms import tokens

        out = {}
        for name in facts.subject_names():
            if len(name) >= 5 and not re.search(r"[“”（）()]", name):
                parts = tuple(t for t in tokens(name) if len(t) >= 2)
                if len(parts) >= 2 and sum(map(len, parts)) >= len(name) - 1:
                    out[name] = parts
        _PIECES.clear()
        _PIECES[key] = out
    return _PIECES[key]


def _inside_longer_term(question: str, mention) -> bool:
    """An everyday name inside a longer word of the standards (入党 in 入党誓词) names no subject."""
    from .terms import corpus_text, tokens

    a, b, subject = mention
    if question[a:b] == subject:
        return False
    pos = 0
    for t in tokens(question):
        i = question.find(t, pos)
        pos = i + len(t)
        if i <= a and b <= pos and len(t) > b - a:
            # 纪委书记 is another role (kept, and read as such below); 入党誓词 is another thing, and so is
            # 总书记: a one-character modifier makes a title, not a role of an organisation
            head = max((h for h in ROLE_HEADS if t.endswith(h)), key=len, default="")
            role = bool(head) and len(t) - len(head) != 1
            return t in corpus_text() and not role
    return False


# 标准里列了吗 / 清单有规定没有 / 有没有明确: asks whether the standards state what came before.
META_ASK = re.compile(r"(两份)?(标准|清单|文件|规定)?(里|上|中|里面)?(有没有|有|是否)?(列|写|规定|说|提|明确|讲|要求)(了|过|到)?"
                      r"(吗|没有|没|呢)?"
                      r"|(两份)?(标准|清单|文件)?(里|上|中|里面)?(有没有|有|能找到)(相关的?|什么|这方面的?)?"
                      r"(说法|规定|依据|提法|讲究|要求|根据|数|具体数|数字)(吗|没有|没|呢)?")


def asking_clauses(question: str) -> list[str]:
    """The question's clauses without a trailing "is it stated?" (…具体是哪几步，标准里列了吗): the last
    one left is where it asks; those before set the scene."""
    out = split_clauses(question)
    while len(out) > 1 and META_ASK.fullmatch(out[-1].strip()):
        out = out[:-1]
    return out


# Where a question starts to ask (…的情况要跟谁报告): the words before it name what it is about.
ASK_START = re.compile(r"(要|得|该|应该?|需要|必须|能|可以|会)?(跟|向|给|由|被|找|让|在|对)?"
                       r"(怎|什么|啥|如何|哪|谁|多少|多久|多长|几|是否|是不是|要不要|能不能|有没有|有什么|有哪些)")
SCOPE_WORD = re.compile(r"对|在|关于|里的")  # 青年职工对群团组织: two topics, not one phrase
MODAL = re.compile(r"要|得|该|应|需|必须|能|可以|会")
PHRASE_TAIL = re.compile(r"[的是了，,、\s]+$")


def subject_phrase(query: str, display: str) -> str:
    """What the previous question was about, in its own words: the phrase before its asking words when that
    phrase names its subject (班子里其他党员领导落实一岗双责的情况 for …要跟谁报告), else the subject's name."""
    from .reading import asking_clauses

    from .terms import tagged_tokens

    parts = asking_clauses(query)
    clause = parts[-1] if parts else query
    m = ASK_START.search(clause)
    at = clause.find(display)
    if not m or at < 0 or at >= m.start():
        return display
    phrase = clause[at:m.start()]
    modal = MODAL.search(phrase, len(display))  # 章程改完以后要留存…: the predicate starts at 要
    phrase = PHRASE_TAIL.sub("", phrase[:modal.start()] if modal else phrase)
    toks = [(t, tag) for t, tag in tagged_tokens(phrase) if t.strip()]
    # …的情况 / …总额: a noun ends it; …报告放 (在啥时候): the verb that asks goes, the noun before it stays
    while toks and not (toks[-1][1].startswith(("n", "vn", "j")) and len(toks[-1][0]) >= 2):
        toks.pop()
    phrase = "".join(t for t, _ in toks)
    whole = len(phrase) > len(display) and phrase.startswith(display) and phrase.count(display) == 1 \
        and clause.find(phrase) >= 0 \
        and not SCOPE_WORD.search(phrase) and len(phrase) <= 24
    return phrase if whole else display


def document_name_list(documents) -> tuple[str, ...]:
    """Every name a question may use for a document, bare ones included, longest first."""
    return tuple(sorted((n for d in documents for n in (*d.names, *d.bare_names) if n), key=len, reverse=True))


def without_document_names(question: str, documents) -> str:
    """四同步清单对书记培训怎么要求: the document's name sets the scope; it is not a word the clauses
    contain, so it must not count against them."""
    for n in document_name_list(documents):
        question = question.replace(n, " ")
    return question




def holds_value_of_ask(reading: Reading, text: str) -> bool:
    """The text holds a value of the kind a precise question asks (由…组织 for who, 每年…1次 for how often)."""
    ask = ask_for(reading.attribute) if reading.specific else None
    return bool(ask and ask.shape is not None and ask.shape.pattern and ask.shape.search(text))


def _scene_roles_last(question: str, subjects: list[str], displays: list[str]) -> tuple[list[str], list[str]]:
    """Subjects named only in a first clause that describes the asker go after the others; so does the
    asker's own body (我们党委下月要任命两个新书记: 党委 is who asks, 新书记 what is asked about)."""
    clauses = split_clauses(question)
    if len(clauses) < 2:
        return subjects, displays
    rest = question[len(clauses[0]):]
    if describes_asker(clauses[0]):  # 我是支部书记，…谈过心: who is asking sets the scene
        scene = [i for i, d in enumerate(displays) if d and d in clauses[0] and d not in rest]
    else:
        scene = [i for i, d in enumerate(displays) if d and re.search(f"(我们|咱们|我)(的)?{re.escape(d)}", clauses[0])
                 and d not in rest]
    if not scene or len(scene) == len(displays):
        return subjects, displays
    order = [i for i in range(len(displays)) if i not in scene] + scene
    return [subjects[i] for i in order], [displays[i] for i in order]


def comparison_topic(question: str, documents) -> str:
    """What a comparison is about: the question without the documents' names and the comparing words
    (两份文件在党课要求上有什么不同 → 党课)."""
    question = without_document_names(question, documents)
    topic = WHETHER.sub(" ", question)
    for name in ("compare_words", "both_docs", "topic_fillers"):
        topic = _comparing(name).sub(" ", topic)
    return topic if re.search(r"[\u4e00-\u9fff]{2}", topic) else question


def is_comparison(question: str, documents) -> bool:
    """Both documents named (按河钢和四同步清单，哪个地方要建党组织 / 河钢讲走访慰问，清单讲帮扶机制): a question
    naming both asks both. Or both referred to in words that may mean other things too (两份 / 两边), with
    comparison words or what is asked of both (有什么不同 / 打不打架): 两份岗位工资 / 两边不通气 are no documents."""
    named = len(mentioned_documents(question, documents)) >= 2
    return bool(named or _comparing("compare_words").search(question) and _comparing("both_docs").search(question)
                or _comparing("both_sides").search(question) and _comparing("both_asked").search(question))


# A还是B: a choice between two ways (是隔几年送一批，还是年年都送 / 是支委去谈还是书记亲自谈).
CHOICE = re.compile(r"([^，,。；;？?！!]*)[，,]?还是([^，,。；;？?！!]*)")


def _vague_choice(question: str, ask: "Ask") -> bool:
    """隔几年送一批还是年年都送 / 挑几个还是都要: a choice between "a few" and "all", not between two values
    of the ask (一届三年还是五年); a how-often choice (每年还是隔年) is one of values either way."""
    m = CHOICE.search(question)
    return ask.attribute != "frequency" and bool(m and re.search(r"几|多少", m.group(0)))


def _inside_choices(question: str, ask: "Ask") -> bool:
    """The asking words stand inside the choices a question offers: it asks which, not the attribute."""
    m = CHOICE.search(question)
    if not m:
        return False
    span = m.group(0)
    return any(p.search(span) for p in ask.patterns)


# 到底是多少 / 是几年 / 一共多久: a last clause that asks for a value and nothing else
VALUE_ONLY = re.compile(r"^[^，,。？?]{0,6}(多少|几[个次年天人项条位名]?|多久|多长时间|多长|多大)[？?呢啊]*$")


def _names_anything(clause: str) -> bool:
    """到底是多少 / 是几年 / 有吗: a clause of asking words alone names nothing."""
    from .terms import key_terms

    return bool(key_terms(ASKING_FILLERS.sub(" ", ASKING_WORDS.sub(" ", clause))))


ASKING_FILLERS = re.compile(r"到底|究竟|具体|大概|大约|一般|总共|一共|通常|最少|最多|至少")


def _ask_of(rest: str) -> tuple["Ask | None", list[str]]:
    """The asked attribute of a question whose subject names are blanked, and its clauses.

    A question asks in its last clause; the clauses before it set the scene (我们在国外有几个网点，
    也要建党组织吗). Only a question of one clause, or one whose last clause asks nothing, is read whole."""
    clauses = asking_clauses(rest)
    a = asked(clauses[-1]) if clauses else None
    if a is None and not WHETHER.search(clauses[-1] if clauses else rest) \
            and not (len(clauses) > 1 and ASKING_WORDS.search(clauses[-1])):
        a = asked(rest)  # …，清单怎么说: the last clause asks, and asks nothing particular
    elif a is None and len(clauses) > 1 and VALUE_ONLY.match(clauses[-1].strip()) and not _names_anything(clauses[-1]):
        a = asked(clauses[-2])  # 说的一定比例，到底是多少: the last clause only asks; the one before says what
    elif a is not None and not a.specific and len(clauses) > 1:
        whole = asked(rest)  # 要分成几类，具体是哪几类: the precise ask of the clause before
        if whole is not None and whole.specific and whole.shape_in_quote:
            a = whole
    return a, clauses


QUESTIONS = re.compile(r"[^？?]+[？?]")


def _asked_apart(question: str, cue: str, displays) -> bool:
    """Two questions in one (谁找他谈话？给他多长的改正期？), and the one holding the asking words names none
    of the subjects read: that ask is of something else, so the standards' silence on it is not shown."""
    parts = QUESTIONS.findall(question)
    if len(parts) < 2 or not cue or not displays:
        return False
    asking = next((p for p in parts if cue in p), "")
    return bool(asking) and not any(d in asking for d in displays if d)


def read_question(question: str, facts, documents, original: str = "") -> Reading:
    """What the question asks. `question` should already be in the standards' wording; `original`, the
    user's own wording, is read for the asking words when the standards' wording shows none."""
    docs = mentioned_documents(question, documents)
    mentions = [m for m in facts.find_subjects(question) if not _inside_longer_term(question, m)]
    # Document names are no subjects (四同步 is also a named set: keep it when the question asks what it is).
    doc_names = [n for d in documents for n in d.names if n]
    subjects: list[str] = []
    displays: list[str] = []
    for a, b, subj in mentions:
        text = question[a:b]
        if text in doc_names and not re.search(r"意思|是指|指什么|包括|哪些", question):
            continue
        if NEGATED.search(question[max(0, a - 3):a]):
            continue  # 没设党委的法人支部: a body the case lacks is its condition, not what is asked about
        head = _role_qualifier(question, a, text)
        if head and (head + text) not in facts.subject_names():
            displays.append(head + text)  # 纪委书记: not the 书记 the standards file facts under
            subjects.append("")
            continue
        tail = next((s for s in ROLE_SUFFIXES if question.startswith(s, b)), "")
        if tail and (text + tail) not in facts.subject_names():
            displays.append(text + tail)  # 党小组长: a role the standards do not file under 党小组
            subjects.append("")
            continue
        subjects.append(subj)
        displays.append(text)
    compound = [c for c in facts.find_compound_subjects(question, compound_pieces(facts)) if c not in subjects]
    subjects, displays = compound + subjects, compound + displays
    subjects, displays = _scene_roles_last(question, subjects, displays)
    rest = _blank(question, mentions)
    a, clauses = _ask_of(rest)
    if a is None and original and original != question:
        # The thesaurus reading can swallow the words that ask (打分 → 考核, 报酬 → 薪酬): the user's own
        # words are read too, with the subject names they use blanked.
        own = _blank(original, [m for m in facts.find_subjects(original) if not _inside_longer_term(original, m)])
        a_own, clauses_own = _ask_of(own)
        # Only a figure or a shape the answer must hold (薪酬是多少, 打分标准): the check that follows needs
        # the clause to show it. A yes/no question or a who keeps the standards' wording (归谁管 → 隶属关系).
        if a_own is not None and (a_own.needs_value or a_own.require_shape) \
                and not WHETHER.search(clauses_own[-1] if clauses_own else own):
            a, clauses, rest = a_own, clauses_own, own
    if a is not None and a.attribute == "length":
        # 多久 alone is how long; 多久…谈心谈话 asks how often, the activity word inside a subject name.
        whole = split_clauses(question)
        b = asked(whole[-1]) if whole else None
        if b is not None and b.attribute == "frequency":
            a = b
    if a is not None and a.attribute in ("count", "headcount") and len(clauses) > 1 \
            and TOTAL.search("，".join(clauses[:-1])):
        a = ask_for("share")  # 1500名职工的单位，党务人员至少要几个: of a total given, a share answers how many
    if a is not None and a.attribute in SCENARIO_FIGURES and WHETHER.search(clauses[-1] if clauses else rest) \
            and not BOUND.search(clauses[-1] if clauses else rest):
        a = None  # 拖几个月问题大吗 / 就2个党员能建支部吗: the figure is the user's case, not the ask
    if a is not None and a.specific and _inside_choices(rest, a) and (not a.choice_of_values or _vague_choice(rest, a)):
        # 是支委去谈还是书记亲自谈: which of the choices, not who in general; the choices are checked. A
        # choice between values of the ask (一年一写还是几年写一次, 线上还是线下) still asks it.
        a = None
    cue = asked_with_cue(rest)[1] if a else ""
    part, only_a_part = asked_part(question, a.attribute) if a else ("", False)
    if only_a_part:
        displays = [part, *(d for d in displays if d != part)]  # what is or is not stated is the part's number
    specific = bool(a and a.specific) and not _asked_apart(question, cue, displays)
    kind = a.kind if a else "what"
    if is_comparison(question, documents):
        kind = "compare"
    elif WHETHER.search(question) and (a is None or not a.specific):
        kind = "whether"
    return Reading(
        question=question,
        subjects=tuple(dict.fromkeys(s for s in subjects if s)),
        attribute=a.attribute if a else "",
        attribute_word=a.word if a else "",
        accepts=a.accepts if a else (),
        kind=kind,
        docs=docs,
        specific=specific,
        cue=cue,
        displays=tuple(dict.fromkeys(displays)),
        part=part,
    )
