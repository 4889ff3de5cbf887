"""Quiz papers for trainers: questions built from the clause tree, each with its key and source.

Pipeline: leaves → facts (`quiz_facts`: a figure, a frequency, a time limit, a duty or a member of
a named set, tied to the reviewed facts of corpus/facts) → items
(单选 / 多选 / 判断 / 填空) → a paper (a seeded, duplicate-free selection) → JSON / Markdown / DOCX /
CSV (`quiz_render`). Everything is deterministic: the same arguments give the same paper byte for byte.

Why the answers can be trusted:
- a blank or the right option is the fact exactly as the clause writes it;
- a distractor is the same kind of fact with another value, never one that means the same
  (每季 = 每季度, 1次 = 一次), never the value the other standard gives for the same figure, and a
  question always names the standard it is asked under (根据《河钢标准》…);
- a false 判断 statement is the clause's own words with exactly one fact swapped.

Topic filtering is lexical (terms matched in the part, title and text of each leaf): no model,
so it is fast and reproducible.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Sequence

from .corpus import document_codes, documents_in_words
from .questions import shown
from .quiz_facts import (  # noqa: F401  (re-exported: the quiz's public surface)
    DATA_FILE, Fact, NamedSet, _conflicts, _counterpart_ids, _FACTS_CACHE, _member_positions,
    _stated_values, bound_direction, canonical, extract_facts, load_quiz_data, reviewed_facts,
    sentence_span, segment_span,
)
from .types import Clause, UserInputError

TYPES = ("choice", "multi", "judge", "blank")
TYPE_NAMES = {"choice": "单选题", "multi": "多选题", "judge": "判断题", "blank": "填空题"}
TYPE_ALIASES = {"单选": "choice", "单选题": "choice", "多选": "multi", "多选题": "multi",
                "判断": "judge", "判断题": "judge", "填空": "blank", "填空题": "blank"}
TYPE_HINTS = {
    "choice": "每题只有一个正确答案",
    "multi": "每题有两个或两个以上正确答案",
    "judge": "判断下列说法是否正确",
    "blank": "在括号内填写标准原文中的内容",
}
FORMATS = ("json", "md", "docx", "csv")

LETTERS = "ABCDEFGH"
BLANK = "（        ）"
TRUE, FALSE = "正确", "错误"
MAX_QUESTIONS = 1000
CSV_COLUMNS = ("序号", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "答案", "解析",
               "条款编号", "出处")


# ------------------------------------------------------------------------------------ items


@dataclass(frozen=True)
class QuizItem:
    type: str  # choice | multi | judge | blank
    question: str
    options: tuple[str, ...]
    answer: str  # choice: a letter; multi: letters (ABD); judge: 正确/错误; blank: the words
    explanation: str
    clause: str
    label: str
    # For checks and practice mode (not in the JSON):
    family: str = ""
    fact: str = ""  # the fact as the clause writes it
    shown: str = ""  # judge: what the statement says in its place
    statement: str = ""  # judge: the statement; blank/choice: the segment with the blank
    segment: str = ""  # the clause's own words the question is built on
    source_key: str = ""  # the fact (or set) a question is about: one per paper
    rules: tuple[str, ...] = ()
    span: tuple[int, int] | None = None  # where the tested value stands in the leaf (None: multi)
    fact_ids: tuple[str, ...] = ()  # the reviewed facts asked about: one question per fact a paper
    shown_span: tuple[int, int] | None = None  # the leaf text the question shows

    def to_json(self) -> dict:
        return {"type": self.type, "question": self.question, "options": list(self.options),
                "answer": self.answer, "explanation": self.explanation, "clause": self.clause,
                "label": self.label}

    @property
    def correct_options(self) -> tuple[str, ...]:
        return tuple(self.options[LETTERS.index(ch)] for ch in self.answer) \
            if self.type in ("choice", "multi") else ()


def _scope(corpus, clause: Clause) -> str:
    return f"根据《{corpus.document(clause.doc).short_name}》"


def _quote(clause: Clause, fact: Fact) -> str:
    a, b = fact.sentence
    return f"依据{clause.label}：“{clause.text[a:b]}”"


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(":".join([str(seed), *parts]))


def _blank_stem(corpus, clause: Clause, fact: Fact) -> tuple[str, str]:
    a, b = fact.segment
    body = clause.text[a:fact.start] + BLANK + clause.text[fact.end:b]
    return f"{_scope(corpus, clause)}，{body.rstrip('，：、')}。", clause.text[a:b]


def make_item(corpus, fact: Fact, kind: str, seed: int) -> QuizItem | None:
    """One item of `kind` on `fact`, or None if the fact cannot make that kind."""
    clause = corpus.get(fact.clause_id)
    rng = _rng(seed, fact.key, kind)
    common = dict(clause=clause.id, label=clause.label, family=fact.family, fact=fact.text,
                  source_key=fact.key, rules=fact.rules, span=(fact.start, fact.end),
                  fact_ids=fact.fact_ids, shown_span=fact.segment)
    if kind == "blank":
        if fact.family.startswith("set:"):
            return None  # any missing member would read as right: not a fair blank
        stem, seg = _blank_stem(corpus, clause, fact)
        return QuizItem("blank", stem, (), fact.text, _quote(clause, fact),
                        statement=stem, segment=seg, **common)
    if kind == "choice":
        if len(fact.alternatives) < 3:
            return None
        wrong = rng.sample(list(fact.alternatives[:5]), 3)
        options = [fact.text, *wrong]
        rng.shuffle(options)
        letter = LETTERS[options.index(fact.text)]
        stem, seg = _blank_stem(corpus, clause, fact)
        return QuizItem("choice", stem, tuple(options), letter, _quote(clause, fact),
                        statement=stem, segment=seg, **common)
    if kind == "judge":
        if not fact.alternatives:
            return None
        a, b = fact.segment
        seg = clause.text[a:b]
        is_true = rng.random() < 0.5
        shown = fact.text if is_true else rng.choice(list(fact.alternatives[:3]))
        statement = clause.text[a:fact.start] + shown + clause.text[fact.end:b]
        question = f"{_scope(corpus, clause)}，{statement.rstrip('，：、')}。"
        if is_true:
            explanation = _quote(clause, fact)
        else:
            explanation = f"原文是“{fact.text}”，不是“{shown}”。{_quote(clause, fact)}"
        return QuizItem("judge", question, (TRUE, FALSE), TRUE if is_true else FALSE, explanation,
                        shown=shown, statement=statement, segment=seg, **common)
    return None


def make_multi(corpus, named: NamedSet, seed: int) -> QuizItem | None:
    clause = corpus.get(named.clause)
    if clause is None:
        return None
    other_text = "".join(c.text for cid in _counterpart_ids(clause.id) for c in corpus.leaves_of(cid))
    wrong_pool = [d for d in named.distractors if d not in clause.text and d not in other_text]
    if len(named.members) < 2 or not wrong_pool:
        return None
    rng = _rng(seed, "set", named.id)
    k = rng.randint(2, min(4, len(named.members)))
    right = rng.sample(list(named.members), k)
    wrong = rng.sample(wrong_pool, min(len(wrong_pool), 5 - k, max(1, 4 - k + rng.randint(0, 1))))
    options = right + wrong
    rng.shuffle(options)
    letters = "".join(LETTERS[i] for i, o in enumerate(options) if o in right)
    positions = _member_positions(clause.text, named.members)
    a, _ = sentence_span(clause.text, positions[0])
    _, b = sentence_span(clause.text, positions[-1])
    not_in = "、".join(f"“{o}”" for o in options if o not in right)
    explanation = f"{not_in}不在其中。依据{clause.label}：“{clause.text[a:b]}”"
    held = [f for p, mb in zip(positions, named.members)
            for f in reviewed_facts(clause.id, p, p + len(mb))]
    return QuizItem("multi", f"{_scope(corpus, clause)}，{named.stem}", tuple(options), letters,
                    explanation, clause.id, clause.label, family=f"set:{named.id}",
                    segment=clause.text[a:b], source_key=f"set:{named.id}",
                    fact_ids=tuple(dict.fromkeys(f.id for f in held)))


# ------------------------------------------------------------------------------ paper hygiene


CONTEXT_CHARS = 4  # clause characters either side of an answer: the answer "in context"


def answer_contexts(item: QuizItem, corpus) -> tuple[str, ...]:
    """The item's answer with its neighbouring words, as another question would state it: the value
    for 单选/判断/填空, each right member for 多选. Stays inside the answer's sentence."""
    text = corpus.get(item.clause).text
    if item.type == "multi":
        spans = [(text.index(m), text.index(m) + len(m)) for m in item.correct_options if m in text]
    else:
        spans = [item.span] if item.span else []
    out = []
    for a, b in spans:
        sa, sb = sentence_span(text, a)
        out.append(text[max(sa, a - CONTEXT_CHARS):min(sb, b + CONTEXT_CHARS)])
    return tuple(out)


def visible_text(item: QuizItem) -> str:
    """Everything a candidate reads of a question: its stem and its options."""
    return item.question + "\n" + "\n".join(item.options if item.type != "judge" else ())


def clashes(a: QuizItem, b: QuizItem, corpus) -> bool:
    """Two questions may not share a paper: the same fact, or one stating the other's answer."""
    if a.source_key == b.source_key or set(a.fact_ids) & set(b.fact_ids):
        return True
    return any(c in visible_text(b) for c in answer_contexts(a, corpus)) or \
        any(c in visible_text(a) for c in answer_contexts(b, corpus))


# ------------------------------------------------------------------------------------ paper


@dataclass(frozen=True)
class Quiz:
    items: tuple[QuizItem, ...]
    requested: int
    types: tuple[str, ...]
    doc: str
    topic: str | None
    seed: int
    message: str = ""  # set when fewer than `requested` items could be made
    counts: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return {"items": [i.to_json() for i in self.items]}


def normalize_types(types: Sequence[str] | str | None) -> tuple[str, ...]:
    if types is None:
        return TYPES
    if isinstance(types, str):
        types = [t for t in re.split(r"[,，、\s]+", types) if t]
    elif not isinstance(types, (list, tuple)) or not all(isinstance(t, str) for t in types):
        raise UserInputError("题型应为文字，如“choice,judge”。可选：choice（单选）、multi（多选）、judge（判断）、blank（填空）。")
    out: list[str] = []
    for t in types:
        name = TYPE_ALIASES.get(str(t).strip(), str(t).strip().lower())
        if name not in TYPES:
            raise UserInputError(
                f"未知的题型“{shown(t)}”。可选：choice（单选）、multi（多选）、judge（判断）、blank（填空）。")
        if name not in out:
            out.append(name)
    if not out:
        raise UserInputError("没有指定题型。可选：choice（单选）、multi（多选）、judge（判断）、blank（填空）。")
    return tuple(out)


def normalize_doc(doc: str | None) -> str:
    if doc is not None and not isinstance(doc, str):
        raise UserInputError(f"文档应为文字：{documents_in_words()}，或 all（两份都用）。")
    d = (doc or "all").strip()
    if d.lower() in ("all", "全部", ""):
        return "all"
    if d.upper() in document_codes():
        return d.upper()
    raise UserInputError(f"未知的文档“{shown(doc)}”。可选：{documents_in_words()}，或 all（两份都用）。")


def validate_count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            n = int(str(n).strip())
        except ValueError:
            raise UserInputError(f"题目数量必须是正整数，收到的是“{n}”。") from None
    if n < 1:
        raise UserInputError(f"题目数量必须至少为1，收到的是{n}。")
    if n > MAX_QUESTIONS:
        raise UserInputError(f"题目数量过多（{n}），一次最多出{MAX_QUESTIONS}道。")
    return n


def topic_terms(topic: str) -> list[str]:
    return [t for t in re.split(r"[\s,，、;；/|]+", topic.strip()) if t]


def topic_leaves(corpus, topic: str | None, doc: str) -> list[Clause]:
    """Leaves of `doc` whose part, title or text mentions any term of `topic` (all if no topic)."""
    leaves = corpus.leaves(None if doc == "all" else doc)
    if topic is None or not topic.strip():
        return leaves
    terms = topic_terms(topic)
    if not terms or len(topic) > 100:
        raise UserInputError("主题应为一两个关键词，例如“组织生活”“党课”“党建经费”。")
    hits = [c for c in leaves if any(t in f"{c.part} {c.title} {c.text}" for t in terms)]
    if not hits:
        scope = "" if doc == "all" else f"《{corpus.document(doc).short_name}》中"
        raise UserInputError(
            f"{scope}没有与“{shown(topic.strip())}”相关的条款。可以换个说法，例如：组织生活、党课、谈心谈话、党建经费、培训。")
    return hits


def candidate_items(types: Sequence[str] = TYPES, doc: str = "all", topic: str | None = None,
                    seed: int = 7, corpus=None) -> dict[str, list[QuizItem]]:
    """Every item the corpus supports for these arguments, per type, in document order."""
    from .corpus import load_corpus

    corpus = corpus or load_corpus()
    types, doc = normalize_types(types), normalize_doc(doc)
    leaves = {c.id for c in topic_leaves(corpus, topic, doc)}
    out: dict[str, list[QuizItem]] = {t: [] for t in types}
    for fact in extract_facts(corpus):
        if fact.clause_id not in leaves:
            continue
        for t in types:
            if t != "multi":
                item = make_item(corpus, fact, t, seed)
                if item is not None:
                    out[t].append(item)
    if "multi" in types:
        for named in load_quiz_data().sets:
            if named.clause in leaves:
                item = make_multi(corpus, named, seed)
                if item is not None:
                    out["multi"].append(item)
    return out


def _quotas(n: int, types: Sequence[str], available: dict[str, int]) -> dict[str, int]:
    """Share n out over the types as evenly as their supply allows, in the order given."""
    quota = {t: 0 for t in types}
    while sum(quota.values()) < n:
        progressed = False
        for t in types:
            if sum(quota.values()) < n and quota[t] < available[t]:
                quota[t] += 1
                progressed = True
        if not progressed:
            break
    return quota


def generate_quiz(n: int, types: Sequence[str] = TYPES, doc: str = "all", topic: str | None = None,
                  seed: int = 7) -> Quiz:
    """A paper of up to n distinct questions; `message` says so when fewer could be made.

    A paper asks about each fact at most once (the reviewed facts of corpus/facts decide what is one
    fact), and no question's stem or options state another question's answer (`clashes`).
    """
    from .corpus import load_corpus

    n = validate_count(n)
    types, doc = normalize_types(types), normalize_doc(doc)
    if isinstance(seed, bool) or not isinstance(seed, int):
        try:
            seed = int(str(seed).strip())
        except ValueError:
            raise UserInputError(f"随机种子必须是整数，收到的是“{seed}”。") from None
    if topic is not None and not isinstance(topic, str):
        raise UserInputError("主题应为文字关键词，例如“组织生活”“党课”“党建经费”。")
    topic = topic.strip() if topic and topic.strip() else None
    pools = candidate_items(types, doc, topic, seed)
    order = random.Random(seed)
    for t in types:
        order.shuffle(pools[t])
    if not any(pools.values()):
        what = f"与“{topic}”相关的条款" if topic else "所选范围的条款"
        raise UserInputError(f"{what}中没有能出{('、'.join(TYPE_NAMES[t] for t in types))}的内容，请换个主题或题型。")

    def question_key(item: QuizItem) -> tuple:
        return (item.source_key, item.type)

    # How many distinct questions each type can contribute (no fact repeats within a type).
    available = {t: len({(question_key(i), i.fact_ids) for i in pools[t]}) for t in types}
    quota = _quotas(n, types, available)
    chosen: dict[str, list[QuizItem]] = {t: [] for t in types}
    paper: list[QuizItem] = []
    corpus = load_corpus()

    def fits(item: QuizItem) -> bool:
        return all(not clashes(item, other, corpus) for other in paper)

    cursor = {t: 0 for t in types}
    progressed = True
    while progressed:  # the types take turns, each up to its share, so a long paper stays mixed
        progressed = False
        for t in types:
            while len(chosen[t]) < quota[t] and cursor[t] < len(pools[t]):
                item = pools[t][cursor[t]]
                cursor[t] += 1
                if fits(item):
                    chosen[t].append(item)
                    paper.append(item)
                    progressed = True
                    break
    for t in types:
        for item in pools[t]:
            if len(paper) >= n:
                break
            if item not in paper and fits(item):
                chosen[t].append(item)
                paper.append(item)
    items = tuple(i for t in TYPES if t in chosen for i in chosen[t])
    message = ""
    if len(items) < n:
        scope = f"与“{topic}”相关的条款" if topic else "所选范围的条款"
        message = f"{scope}最多只能出{len(items)}道不重复的题（要求{n}道），已全部列出。"
    counts = {t: len(chosen[t]) for t in types}
    return Quiz(items, n, types, doc, topic, seed, message, counts)


# ------------------------------------------------------------------------------------ practice


JUDGE_WORDS = {TRUE: ("正确", "对", "是", "√", "true", "t", "yes", "y", "a"),
               FALSE: ("错误", "错", "否", "×", "x", "false", "f", "no", "n", "b")}


def check_answer(item: QuizItem, response: str | Sequence[str] | None) -> tuple[bool, str]:
    """Is `response` right for `item`? Returns (correct, a Chinese verdict with the clause)."""
    if response is None or (isinstance(response, str) and not response.strip()) or \
            (not isinstance(response, str) and not list(response)):
        return False, "还没有作答。"
    if item.type in ("choice", "multi"):
        picked = response if not isinstance(response, str) else list(response.strip().upper())
        letters = set()
        for p in picked:
            p = str(p).strip()
            if p.upper() in LETTERS[:len(item.options)]:
                letters.add(p.upper())
            elif p in item.options:
                letters.add(LETTERS[item.options.index(p)])
        ok = "".join(sorted(letters)) == item.answer
    elif item.type == "judge":
        r = str(response).strip().lower()
        verdict = next((k for k, words in JUDGE_WORDS.items() if r in words), None)
        ok = verdict == item.answer
    else:
        r = str(response).strip().strip("（）() “”\"'")
        mine, right = canonical(item.family, r), canonical(item.family, item.answer)
        ok = r == item.answer.strip("“”") or (mine is not None and mine == right)
    return ok, ("回答正确。" if ok else "回答错误。") + item.explanation


from .quiz_render import (  # noqa: E402,F401  (renderers live in their own module)
    QUIZ_TITLE, answer_text, bench_quiz, format_from_path, render_csv, render_docx, render_json,
    render_markdown, render_quiz, summary_line,
)
