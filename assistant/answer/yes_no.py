"""What a yes/no question asks to be required (要不要公示, 要不要附上佐证材料), and whether the clauses found
name it at all: a clause that never names the act or the thing asked does not answer the question."""

from __future__ import annotations

import re
from functools import lru_cache

from .coverage import asking_part
from .terms import lexicon, synonym_groups, tagged_tokens

# 要不要公示 / 需要报国资委备案吗: the yes/no wrapper, then (within a few characters) the act it asks about.
ACT_ASK = r"(要不要|需不需要|需要|必须|得|要|能不能|可不可以|可以|应该|用不用|是否|能)[^，,。？?]{0,10}?"


@lru_cache(maxsize=1)
def _act_asked():
    acts = lexicon().procedure_acts
    return re.compile(ACT_ASK + "(" + "|".join(map(re.escape, acts)) + ")") if acts else None


def act_unstated(question: str, text: str) -> str:
    """The procedural act a yes/no question asks to be required (公示, 备案), when the text of the clauses
    found names neither it nor a thesaurus word for it; "" otherwise."""
    pattern = _act_asked()
    m = pattern.search(asking_part(question)) if pattern else None
    if not m:
        return ""
    act = m.group(2)
    return "" if any(a in text for a in synonym_groups().get(act, (act,))) else act


EITHER_OR_ACT = re.compile(r"(要不要|需不需要|用不用|是否(要|需要|须|必须)?)[^，,。？?]{0,10}?$")


def asks_whether_act(question: str) -> bool:
    """The procedural act is asked in an either-or form (要不要…备案, 是否需要…公示): a yes/no on the act,
    whatever other attribute the question's words also name."""
    pattern = _act_asked()
    m = pattern.search(asking_part(question)) if pattern else None
    return bool(m and EITHER_OR_ACT.search(m.group(0)[:m.start(2) - m.start()]))


# 要不要附上佐证材料 / 是否需要先征得本人同意: the either-or wrapper and the phrase it asks about
EITHER_OR_PHRASE = re.compile(r"(要不要|需不需要|用不用|是否(?:要|需要|须|必须|应)?)([^，,。？?]{2,16})")
NOUN_TAGS = ("n", "vn", "j")


def asked_nouns(question: str) -> list[str]:
    """The nouns of the phrase an either-or question asks about (佐证材料 in 要不要附上佐证材料)."""
    m = EITHER_OR_PHRASE.search(asking_part(question))
    if not m:
        return []
    lex = lexicon()
    return [w for w, tag in tagged_tokens(m.group(2)) if len(w) >= 2 and w not in lex.stopwords
            and w not in lex.manner_words and tag.startswith(NOUN_TAGS)]


def nouns_unstated(nouns, names, text: str) -> bool:
    """None of the asked nouns that are not names of subjects (the question's own, or any the facts file:
    支部 in 去看看支部的老党员 sets the scene) is in the text of the clauses found, nor a thesaurus word for
    one: what the question asks to be required is something they never name."""
    groups = synonym_groups()
    own = [w for w in nouns if not any(w in n or n in w for n in names if n)]
    return bool(own) and not any(a in text for w in own for a in groups.get(w, (w,)))
