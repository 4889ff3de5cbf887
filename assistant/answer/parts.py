"""Part-of-whole asks: 党委委员7到9人里面，专职委员要有几个 asks the number of a part (专职委员) of a whole
the standards do count (党委委员7-9人). The whole's figure does not answer it; only a fact whose quote names
the part does, and when none does, what is not stated is the part's number, not the whole's.
"""

from __future__ import annotations

import re

# 〈whole〉里(面)，〈part〉(至少)要有几个 / 〈part〉在〈whole〉里要占多少
_MODAL = r"(?:至少|最少|最多|起码|一般|必须|应当|应该|需要|要|得|应|须|能|可以|可)*"
_VERB = r"(?:有|占|配备|配|设|安排|拿到|拿出|拿|分到|拨给|出)"
_ASK = rf"{_MODAL}{_VERB}?(?:总数的|总额的|总人数的)?(?:几|多少|多大)"
AFTER_WHOLE = re.compile(rf"(?:里面|里头|里边|当中|之中|里)[，,]?\s*(?P<part>[\u4e00-\u9fff]{{2,10}}?){_ASK}")
BEFORE_WHOLE = re.compile(rf"(?P<part>[\u4e00-\u9fff]{{2,10}}?)在[\u4e00-\u9fff]{{2,12}}?(?:里面|里|当中|中){_MODAL}{_VERB}(?:几|多少|多大)")
PART_ASKS = ("count", "headcount", "share")
DOCUMENT_BEFORE = re.compile(r"(标准|清单|文件|规定|条款|制度|办法|那边|这边)$")
NOT_A_NOUN_PHRASE = re.compile(r"[按对向给把被将]")  # 党建经费按工资: a phrase with its measure, not a part


def asked_part(question: str, attribute: str) -> tuple[str, bool]:
    """The part whose number or share is asked ("" if none), and whether it is named only as a part (after
    its whole: 董事会里，外部董事…). Named before its whole (党建的钱在工资总额里占几个点) it is often the
    subject itself, and only its words are checked against a quote."""
    if attribute not in PART_ASKS:
        return "", False
    m = BEFORE_WHOLE.search(question)
    after = m is None
    if m is None:
        # 河钢标准里党建经费按工资总额的多少: a document is where to look, not a whole
        m = next((x for x in AFTER_WHOLE.finditer(question) if not DOCUMENT_BEFORE.search(question[:x.start()])), None)
    part = re.sub(rf"^{_MODAL}{_VERB}?", "", m.group("part")) if m else ""
    if len(part) < 2 or NOT_A_NOUN_PHRASE.search(part):
        return "", False
    return part, after


def names_part(quote: str, part: str) -> bool:
    """Every content word of the part (a noun of two characters or more, not a question word) is in the
    quote: 骨干 in 技术骨干、…一线和青年职工; not 专职 in 党委委员、董事会成员7-9人."""
    from .terms import IGNORED_TAGS, WEAK_TAGS, lexicon, tagged_tokens

    stop = lexicon().stopwords
    words = [w for w, tag in tagged_tokens(part) if len(w) >= 2 and w not in stop and not re.search(r"\d", w)
             and tag not in IGNORED_TAGS and tag not in WEAK_TAGS]  # 从一线和骨干里来的: 骨干 is the word
    return all(w in quote for w in words)
