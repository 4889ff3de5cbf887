"""Cited answers: question reading, facts, composing, abstention, follow-ups and conversation.

The heart is pure: `read_question`, the fact matching in `facts_answer`, `assess_coverage`,
`select_statements`, `compose_answer` and `rewrite_query` take a question and data and return data;
they need no model. `answer_question` and `Conversation` wire them to the retriever, the checks
and the optional LLM through one orchestration path (`pipeline`).
"""

from .compose import (  # noqa: F401
    NOT_COVERED, Selection, Statement, best_statement, compose_answer, describe_difference, doc_short_name,
    not_covered_answer, question_bigrams, select_statements,
)
from .conversation import Conversation  # noqa: F401
from .coverage import Coverage, assess_coverage  # noqa: F401
from .followups import Rewrite, rewrite_query, substitute_topic  # noqa: F401
from .where_from import answer_from_previous  # noqa: F401
from .pipeline import answer_question, respond, search_for  # noqa: F401
from .reading import read_question  # noqa: F401
from .terms import (  # noqa: F401
    TermStats, WeightedTerms, asks_quantity, canonical_wording, figures, foreign_entities, key_terms, lexicon,
    strip_instructions, synonym_groups, term_stats, tokens, weigh,
)
from ..text.sentences import segment_spans, sentence_spans  # noqa: F401
