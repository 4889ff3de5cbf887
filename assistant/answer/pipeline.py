"""The one orchestration path: read the follow-up, retrieve, answer from facts or compose, check.

`answer_question`, `Conversation.ask` and `Conversation.stream` all go through `prepare` and
`respond`, so a question is understood the same way whichever entry point a user comes through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..types import Answer, Hit, Turn, UserInputError
from ..text.sentences import clauses
from .abstain import (NAMING_HITS, SUBJECT_TRUST_MIN_SUPPORT, action_unstated, alternatives_unstated,
                      composed_support, composer_states, cue_stated, foreign_free, lacks_asked_value, lead_support,
                      asks_counted_members, lists_what_is_asked, named_topic, naming_hits, speaks_of_another_role,
                      undefined_numbered_set, unknown_attribute, valued_sentence, yes_no_answered)
from .clause_refs import asks_what_it_says, missing_reference, quoted_clauses, referenced_leaves
from .coverage import assess_coverage
from .compose import (MORE_HEADING, compose_answer, is_not_covered, more_answer, not_covered_answer, select_statements,
                      whole_short_clauses)
from .facts_answer import (abstention, comparison, fact_answer, is_not_stated, lead_facts, names_of, not_found_about,
                           scope_of, whole_definition)
from .followups import (MORE, POINTING, TO_THE_ASSISTANT, Rewrite, last_cited, lead_leaves, lead_quotes, rewrite_query,
                        turned_document)
from .where_from import answer_from_previous, nothing_cited, pointed_turns
from .guard import act_unstated_check, guard_lead, holds_asked_value, not_stated_of
from .search import search_for  # noqa: F401  (re-exported: assistant.answer, conversation)
from .referents import asked_itself, asks_world_fact, itself_unstated, leaves_naming, widest_name
from .reading import comparison_topic, holds_value_of_ask, read_question, without_document_names
from .terms import canonical_wording, key_terms, strip_instructions, term_stats, unknown_nouns, weigh
from .yes_no import act_unstated

MAX_RELATED = 3


def _resolve_llm(llm):
    """None → the model configured by env vars (if any); False → extractive only."""
    if llm is False:
        return None
    if llm is None:
        from ..llm import configured_chat_model

        return configured_chat_model()
    return llm


def answer_question(question: str, *, retriever=None, history: Sequence[Turn] = (), llm=None) -> Answer:
    """Answer one question (with optional earlier turns) and cite the clauses it stands on.

    llm: a langchain chat model, None for the one configured by ASSISTANT_LLM_* (extractive when
    none is configured), or False to force the extractive answer.
    """
    return _answer(question, retriever=retriever, history=history, llm=llm)[1]


def prepare(question: str, history: Sequence[Turn]) -> tuple[str, Rewrite]:
    from ..questions import validate_question

    q = validate_question(question)
    rw = replace(rewrite_query(strip_instructions(q), history), follow_up=bool(history))
    turned = turned_document(canonical_wording(q), rw, history) if history else ()
    if turned:  # the conversation's own words find the other document's counterpart clause
        rw = replace(rw, docs=turned, thread=" ".join([*(t.question for t in history), q]))
    return q, rw


def _answer(question: str, *, retriever, history: Sequence[Turn], llm) -> tuple[str, Answer]:
    q, rw = prepare(question, history)
    if rw.kind == "uncited":
        return rw.query, nothing_cited(history[-1])
    if rw.kind in ("source", "clause"):
        return rw.query, answer_from_previous(rw.kind, pointed_turns(q, history))
    rw, hits, answer = answer_in_context(q, rw, history, retriever)
    extractive = _with_checks(rw.query, answer)
    model = _resolve_llm(llm)
    if model is None or not extractive.covered:
        return rw.query, extractive
    from ..llm import llm_answer

    return rw.query, llm_answer(q if rw.kind == "new" else rw.query, hits, model, extractive)


def answer_in_context(q: str, rw: Rewrite, history: Sequence[Turn], retriever) -> tuple[Rewrite, list, Answer]:
    """Search and answer; a follow-up that found no clause on its own words (表里要写明什么 / 整个流程一共多少
    步) and names nothing the standards never use is asked again as a case of the previous question."""
    hits = search_for(rw, retriever)
    answer = respond(rw, hits)
    last = last_cited(history) if history else None
    if last is None or rw.kind != "new" or not is_not_covered(answer) \
            or unknown_nouns(canonical_wording(q), term_stats()) or TO_THE_ASSISTANT.search(q):
        # 职工食堂几点关门: a thing of its own; 你是谁开发的: a question to the assistant, not about the standards
        return rw, hits, answer
    carried = Rewrite(f"{last.query}，{q}", "carry", context=lead_leaves(history), shown=lead_quotes(history),
                      follow_up=True)
    hits2 = search_for(carried, retriever)
    again = respond(carried, hits2)
    from ..corpus import load_corpus

    if again.covered or again.citations or is_not_stated(again, load_corpus()):
        return carried, hits2, again  # (a precise 没有规定 about the previous subject answers it too)
    return rw, hits, answer


# How many clauses naming a thing a "not stated" about the thing itself shows
MAX_NAMING = 3


def respond(rw: Rewrite, hits: Sequence[Hit]) -> Answer:
    """The extractive answer, led by a leaf the retriever ranks near the top; a follow-up never just
    repeats the statement it follows; a short lead clause is quoted whole."""
    from ..corpus import load_corpus

    corpus = load_corpus()
    answer = _respond_in_part(rw, hits)
    if answer.text.startswith(MORE_HEADING):  # what else: the rest of a clause, not the whole clause again
        return answer
    return whole_short_clauses(answer, lambda i: corpus.get(i).text if corpus.get(i) else "")


def _respond_in_part(rw: Rewrite, hits: Sequence[Hit]) -> Answer:
    if rw.kind == "other_doc":
        said = [c for c in rw.shown if c.id.split("-")[0] in rw.docs]
        if said:  # 那四同步清单呢, when the answer before already quoted it: say which it was
            lines = [f"{c.quote}{c.label}。" for c in said]
            return Answer("\n".join(lines), True, tuple(said), "extractive", hits=tuple(hits), direct=len(said))
    answer = _respond(rw, hits)
    if rw.kind in ("carry", "elliptic") and rw.shown and answer.covered and answer.citations \
            and answer.citations[0].quote in {c.quote for c in rw.shown} \
            and not (rw.topic and rw.topic in answer.citations[0].quote) \
            and not (rw.kind == "carry" and holds_asked_value(rw.query, answer.citations[0].quote)):  # 小型企业呢: it was in there
        other = more_answer(rw.query, [h for h in hits if h.clause.id in rw.context] or list(hits),
                            shown=[c.quote for c in rw.shown])
        if other.covered and other.citations:
            c = other.citations[0]  # 那干得差的呢: the other statement of the clause just shown
            return Answer(f"{c.quote}{c.label}。", True, (c,), "extractive", hits=tuple(hits), direct=1)
    answer = guard_lead(rw, hits, answer)
    answer = act_unstated_check(rw, hits, answer)
    if rw.thread and hits and not answer.covered:
        # 清单那边有没有给出占比的硬指标, after questions answered from 河钢标准: the conversation's questions
        # find that document's counterpart clause more often than the follow-up's own words do (on the dev
        # rounds, 0.87 against 0.71 of such turns), so no clause found answering it is not the last word.
        trusted = compose_answer(rw.query, hits[:1], trusted=True)
        if trusted.covered:
            return replace(trusted, hits=tuple(hits))
    return answer


def _respond(rw: Rewrite, hits: Sequence[Hit]) -> Answer:
    """The extractive answer: from facts when the question's subject and asked attribute meet one,
    a precise "not stated" when the subject is known and the attribute is not, else the composer."""
    from ..corpus import load_corpus
    from ..facts import load_facts

    corpus, facts = load_corpus(), load_facts()
    query = canonical_wording(rw.query)
    reading = read_question(query, facts, corpus.documents, rw.query)
    if rw.docs:
        reading = replace(reading, docs=rw.docs)
    asked = without_document_names(rw.query, corpus.documents) if reading.docs else rw.query
    query = canonical_wording(asked)
    wt = weigh(query, term_stats(corpus))
    if rw.kind == "refer" and hits and (any(t in hits[0].clause.text for t in weigh(query, term_stats(corpus)).terms)
                                        or holds_value_of_ask(reading, hits[0].clause.text)):
        # the clause pointed back at answers (这个班归哪一级来办: it names who, 由子分公司或集团组织)
        return compose_answer(asked, hits[:1], trusted=True)
    named_leaves = referenced_leaves(rw.query, corpus)
    missing = missing_reference(rw.query, corpus) if not named_leaves else None
    if missing is not None:  # 河钢标准第99条: no such clause; the numbers that exist, not a guess
        return replace(missing, hits=tuple(hits))
    if named_leaves and asks_what_it_says(rw.query, corpus):  # 河钢标准第21条讲了什么: its own words
        return replace(quoted_clauses(named_leaves, corpus), hits=tuple(hits))
    if len({i.split("-")[0] for i in named_leaves}) >= 2 and reading.kind == "compare" \
            and asks_what_it_says(rw.query, corpus, compared=True):  # 河钢第五条和清单开头有什么不同
        return replace(quoted_clauses(named_leaves, corpus, compared=True), hits=tuple(hits))
    coverage = assess_coverage(asked, hits, named_document=bool(reading.docs))
    if coverage.reason and not (reading.displays and any(d in coverage.reason for d in reading.displays)):
        # 宝钢…, not Chinese, no key words: the standards say nothing about it. A role the question
        # builds on a subject they do speak of (党小组长) is answered below as not stated.
        return not_covered_answer(rw.query, hits, coverage, scope_of(reading, corpus))
    itself = asked_itself(asked)
    if itself is not None:  # 条例一共多少章 / 十九届四中全会是哪年开的: the standards only name it
        return replace(itself_unstated(*itself, corpus, scope_of(reading, corpus)), hits=tuple(hits))
    if asks_world_fact(asked):  # 河钢塞钢在哪个国家 / 入党誓词全文多少个字: a fact the standards state of nothing
        term = (reading.displays[0] if reading.displays else "") or named_topic(query, hits, reading)
        term = widest_name(term, rw.query) if term else ""  # 河钢塞钢: 河钢 is no document here
        if term and leaves_naming(term, corpus):
            return replace(itself_unstated(term, leaves_naming(term, corpus)[:MAX_NAMING], corpus, thing=True),
                           hits=tuple(hits))
    unknown = unknown_attribute(query, reading)
    if unknown is not None:  # 党旗的尺寸是多少: 六有 names 党旗, nothing states its size
        return abstention(replace(reading, displays=(unknown[0],), attribute_word=unknown[1]),
                          facts, corpus, hits, wt, rw.query)
    if rw.kind == "more":  # what else: not the asked attribute of the previous question again
        same = [h for h in hits if h.clause.id in rw.context] if rw.same_clause else []
        # 同一条里还说了什么 / 这条还提到哪些: the rest of the clause just shown, nothing from elsewhere
        more = more_answer(MORE.sub(" ", asked), same or hits, shown=[c.quote for c in rw.shown], context=rw.context)
        if more.covered:
            return more
    if reading.kind == "compare":
        # 两份文件都有提到吗？侧重点有什么区别: the words that ask for a comparison are not its topic
        topic = comparison_topic(query, corpus.documents)
        for part in clauses(topic):  # 发展党员偏向哪些人，有什么不同: the people, in each document
            asked_of_both = read_question(part, facts, corpus.documents)
            if asked_of_both.attribute and asked_of_both.kind != "compare":
                reading = replace(reading, attribute=asked_of_both.attribute, accepts=asked_of_both.accepts)
                break
        answer = comparison(reading, facts, corpus, hits, weigh(topic, term_stats(corpus)), corpus.documents)
        if answer is not None:
            return answer
    if reading.docs and reading.kind != "compare":
        hits = [h for h in hits if h.clause.doc in reading.docs] or list(hits)
    if asks_counted_members(reading) and undefined_numbered_set(reading, facts):
        # “四强”党组织是哪四强: the standards name the set and never list it
        return abstention(replace(reading, attribute_word="具体所指"), facts, corpus, hits, wt, rw.query)
    if reading.attribute and reading.subjects:
        lead = lead_facts(reading, facts, hits, wt, rw.context)
        if lead and action_unstated(reading.question, " ".join(corpus.get(f.leaf).text for f in lead)):
            return abstention(reading, facts, corpus, hits, wt, rw.query)
        if lead:
            return replace(fact_answer(lead, reading, corpus, _related(asked, hits, lead)), hits=tuple(hits))
    composed = compose_answer(asked, hits, scope=scope_of(reading, corpus), named_document=bool(reading.docs),
                              echo=rw.query)
    if reading.kind == "define":
        composed = whole_definition(composed, corpus)
    if composed.covered and composed.citations and reading.subjects and reading.specific:
        # 翱翔计划的人选是报名还是组织推荐: what is checked for the asked value is the clause that will lead
        composed = _naming_lead(composed, reading, facts, hits, asked)
    support = lead_support(composed, wt, corpus)
    if reading.specific and reading.displays and not composer_states(reading, composed, facts, support) \
            and not cue_stated(reading, composed, facts) and not yes_no_answered(reading, composed):
        return abstention(reading, facts, corpus, hits, wt)
    if composed.covered and reading.specific and lacks_asked_value(reading, composed):
        # 给他多长时间整改: another sentence of the best few clauses holds the value beside the question's words
        valued = valued_sentence(reading, hits, wt)
        if valued is not None:
            return replace(valued, hits=tuple(hits))
        if not reading.displays:
            # 提醒谈话多久搞一次: no filed subject, and no clause found holds a value of the asked kind
            return not_stated_of(reading, named_topic(query, hits, reading), facts, corpus, hits, wt, rw.query)
    if composed.covered and reading.attribute and composed.citations \
            and action_unstated(reading.question, " ".join(corpus.get(c.id).text for c in composed.citations[:max(composed.direct, 1)])):
        if reading.displays:
            return abstention(reading, facts, corpus, hits, wt, rw.query)
        # 重温入党誓词谁来领誓: no filed subject, and no clause found names who does that act
        return not_stated_of(reading, named_topic(query, hits, reading), facts, corpus, hits, wt, rw.query)
    if composed.covered and speaks_of_another_role(reading, composed, facts):
        # 党小组长怎么选 answered with how 党小组 are formed: the question's role is not the clause's.
        return abstention(reading, facts, corpus, hits, wt, rw.query)
    if not composed.covered and reading.specific and not reading.displays and foreign_free(composed):
        # 干部提拔前要公示几天: no filed subject, but a thing the standards do name, and a precise ask
        term = named_topic(query, hits, reading) or rw.prior_subject  # 评上的名单要公示几天, after 先锋模范岗
        valued = valued_sentence(reading, hits, wt) if term else None
        if valued is not None and _names_term(valued, term):
            # 发展一个党员要走完多少步: the best clauses do hold a figure of the asked kind about it
            return replace(valued, hits=tuple(hits))
        if term and _dominant(hits) and term in hits[0].clause.text:
            trusted = compose_answer(asked, hits[:1], trusted=True)
            if trusted.covered:
                return replace(trusted, hits=tuple(hits))
        if term:
            return abstention(replace(reading, displays=(term,)), facts, corpus, hits, wt, rw.query)
    if not composed.covered and rw.prior_subject and not reading.displays and foreign_free(composed) and (
            POINTING.search(rw.query) or not unknown_nouns(rw.query, term_stats(corpus)) or reading.kind == "whether"
            or act_unstated(rw.query, " ".join(h.clause.text for h in hits[:NAMING_HITS]))):
        # (每次研究要不要形成会议纪要: a procedural act asked, which no clause near names, is no thing of its own;
        # 视频连线对接一次算数吗: a yes/no question, whatever it names, asks something of that subject. On the 19
        # dev rounds: follow-ups +8, two in-scope follow-ups turned from "nothing found" to a wrong 没有规定)
        # 这笔钱能不能买投影仪 / 改正期间还能评先进吗, in a conversation about a subject: what it asks of
        # that subject is not stated (a thing of its own the standards never name stays not covered); then
        # what they do say about that subject
        prior = read_question(canonical_wording(rw.prior_subject), facts, corpus.documents)
        return not_stated_of(replace(reading, subjects=prior.subjects), rw.prior_subject, facts, corpus, hits, wt,
                              rw.query)
    if not composed.covered and reading.subjects and foreign_free(composed):
        # The subject is one the standards speak about, in words of the user's own (拍板, 调走):
        # the best clause that names it answers, unless the question offers choices it names neither of.
        naming = naming_hits(hits, names_of(reading, facts))
        if naming and alternatives_unstated(query, naming[0].clause.text, names_of(reading, facts)):
            return abstention(reading, facts, corpus, hits, wt, rw.query)
        if not naming or composed_support(asked, naming) < SUBJECT_TRUST_MIN_SUPPORT:
            act = act_unstated(rw.query, " ".join(h.clause.text for h in hits[:NAMING_HITS])) \
                if reading.kind == "whether" else ""
            if act and not reading.attribute_word:  # 中心组学习要不要做记录: no clause near says 记录
                return abstention(replace(reading, attribute_word=f"{act}要求"), facts, corpus, hits, wt, rw.query)
            if reading.attribute_word:
                return abstention(reading, facts, corpus, hits, wt, rw.query)
            if naming and lists_what_is_asked(query, naming[0].clause.text):
                # 两晒账到底晒哪些账 / 涵盖哪些环节: which members, and the clause naming the subject lists them
                return replace(whole_definition(compose_answer(asked, naming, trusted=True), corpus), hits=tuple(hits))
            # Nothing says what is asked is missing, only that no clause found answers it: on the fresh
            # dev sets two in three such questions were answered by a clause about the subject.
            return not_found_about(reading, facts, corpus, hits, wt, rw.query)
        return replace(compose_answer(asked, naming, trusted=True), hits=tuple(hits))
    if composed.covered and composed.citations and reading.subjects and not reading.specific:
        composed = _naming_lead(composed, reading, facts, hits, asked)  # (a precise ask had it done above)
    if composed.covered and composed.citations and not reading.specific \
            and alternatives_unstated(query, corpus.get(composed.citations[0].id).text, names_of(reading, facts)):
        # 是想起来才搞，还是要定期搞: another of the best few clauses may name one of the choices
        stating = [h for h in hits[:NAMING_HITS]
                   if not alternatives_unstated(query, h.clause.text, names_of(reading, facts))]
        if not stating:
            return abstention(reading, facts, corpus, hits, wt, rw.query)
        return replace(compose_answer(asked, stating[:1], trusted=True), hits=tuple(hits))
    if not composed.covered and not reading.subjects and foreign_free(composed) \
            and _asked_like(hits, "" if rw.follow_up else query):
        # The question's words meet no clause well enough and it names no subject the standards speak of, but
        # it is much like the questions the best leaf answers (the example questions, retrieval/examples.py).
        trusted = compose_answer(asked, hits, trusted=True, scope=scope_of(reading, corpus))
        if trusted.covered:
            return replace(trusted, hits=tuple(hits))
    return composed


# The example score (times its weight) the best leaf must have for a question the coverage test turns down to be
# answered from it. On all dev rounds, each without its own examples: 0.3 / 0.25 / 0.2 gave lead +4 / +10 / +17
# (0.876 → 0.878 / 0.880 / 0.882) with no attribute-absent question answered; 0.2 answered one out-of-scope one.
EXAMPLE_TRUST = 0.25
# ... or this much for a first question (the example questions are first questions) that names nothing the
# standards never use (公积金, 轧机, 取暖补贴). On all 16 dev rounds, each without its own examples: 0.15 for every
# question gave lead +13 and out-of-scope −4 (轧机的压下规程 answered by 科学合理设置党建工作机构); for these alone,
# lead +3 and precise 没有规定 +1 with nothing lost (0.1: lead +4, follow-ups −2).
EXAMPLE_TRUST_KNOWN_WORDS = 0.15


def _asked_like(hits: Sequence[Hit], question: str = "") -> bool:
    """Much like the example questions the best leaf answers; `question` (in the standards' wording) given:
    the lower bar may apply."""
    if not hits:
        return False
    if hits[0].examples >= EXAMPLE_TRUST:
        return True
    return hits[0].examples >= EXAMPLE_TRUST_KNOWN_WORDS and bool(question) \
        and not unknown_nouns(question, term_stats())


def _naming_lead(composed: Answer, reading, facts, hits: Sequence[Hit], asked: str) -> Answer:
    """年轻干部配备有什么目标: a lead that never names the question's subject (形势任务目标教育) yields
    to the best clause that does."""
    names = names_of(reading, facts)
    lead = composed.citations[0]
    naming = naming_hits(hits, names)
    # 书记培训 in 基层党组织书记、党务干部全覆盖培训: the question's own words for its subject, apart, name it
    own = [key_terms(d) for d in reading.displays if d]
    if any(ws and all(w in lead.quote for w in ws) for ws in own):
        return composed
    if naming and not any(n in lead.quote for n in names) and lead.id not in {h.clause.id for h in naming}:
        return replace(compose_answer(asked, naming, trusted=True), hits=tuple(hits))
    return composed


# A best leaf this far ahead of the rest (fused score, and times the second's) that names the question's
# topic answers a precise ask the coverage test turned down (清单里工会主席建议由谁来兼: 党委副书记、工会主席
# “一肩挑”), rather than a 没有规定 about that topic. On all dev rounds, each without its own examples: 0.6 / 2.5
# gave lead +1, refused −1, nothing lost; 0.45 / 1.8 the same gain and two attribute-absent questions answered.
DOMINANT_SCORE = 0.6
DOMINANT_RATIO = 2.5


def _dominant(hits: Sequence[Hit]) -> bool:
    return bool(hits) and hits[0].score >= DOMINANT_SCORE and (len(hits) < 2 or hits[0].score >= DOMINANT_RATIO * hits[1].score)


def _names_term(answer: Answer, term: str) -> bool:
    return any(term in c.quote for c in answer.citations[:1])


def _related(query: str, hits: Sequence[Hit], lead) -> list:
    sel = select_statements(query, hits)
    leaves = {f.leaf for f in lead}
    out = [s.citation() for s in (*sel.direct, *sel.related) if s.clause.id not in leaves]
    return list(dict.fromkeys(out))[:MAX_RELATED]


def _offers_figures_to_choose(question: str) -> bool:
    """支委会是一个月开一次还是一季度开一次: figures on both sides of 还是 are the choices asked about, not the
    unit's own figures (是多了还是少了 has a figure on one side only and is still checked)."""
    from ..text.numerals import NUMERAL
    from .reading import CHOICE

    m = CHOICE.search(question)
    return bool(m and NUMERAL.search(m.group(1)) and NUMERAL.search(m.group(2)))


def _asks_a_figure(question: str) -> bool:
    from .asks import asked
    from .facts_answer import QUANTITATIVE

    ask = asked(question)
    return bool(ask and ask.accepts and ask.accepts[0] in QUANTITATIVE)


def _with_checks(question: str, answer: Answer) -> Answer:
    """A question carrying the unit's own figures also gets the deterministic checks' verdicts."""
    try:
        from ..checks import check_text, has_figures, restated_only
    except ImportError:  # checks stage not installed in this tree
        return answer
    # The extractor ignores figures inside a how-many question ("支委会多久开一次"), so only the
    # unit's own figures (1200名职工, 一千二百名职工) produce verdicts or errors here.
    if not has_figures(question) or _offers_figures_to_choose(question):
        return answer
    try:
        report = check_text(question)
    except UserInputError:
        return answer
    if restated_only(question, report):
        return answer
    if not report.results and not report.errors:
        return answer
    from ..corpus import load_corpus

    corpus = load_corpus()
    word = {"pass": "达标", "warn": "提示", "fail": "不达标"}
    lines = ["", "按您给出的数字对照检查："]
    cits = list(answer.citations)
    for r in report.results:
        labels = "".join(r.labels or tuple(corpus.get(c).label for c in r.clauses if corpus.get(c)))
        lines.append(f"- 【{word.get(r.status, r.status)}】{r.explanation}（{r.value}；要求：{r.requirement}）{labels}")
    for e in report.errors:
        lines.append(f"- 【无法核对】{e.message}")
    if not report.results:
        return replace(answer, text=(answer.text + "\n" + "\n".join(lines)).strip())
    covered = True
    # 支委会两个月没开，会怎么处理: the precise 没有规定 still answers what was asked, and the verdicts follow
    # it; but a figure asked for (还差多少) is what the verdicts answer, so a 没有规定 of it does not stand
    text = answer.text if answer.covered or (is_not_stated(answer, corpus) and not _asks_a_figure(question)) else ""
    return replace(answer, text=(text + "\n" + "\n".join(lines)).strip(), covered=covered,
                   checks=tuple(report.results), citations=tuple(cits))


