"""The lexical state of a built index: everything the query path needs, in one file.

The index build tokenises the corpus once and stores, in one marshal file (index.STATE_FILE):
the leaf, item and character-bigram BM25 matrices, the indexed texts, each leaf's tokens and
each sentence's tokens, the example questions' features (examples.py), and jieba's dictionary
state with our domain words. A process opening
the index reads that file once; it neither re-tokenises the corpus nor loads jieba's dictionary
(the stored state is adopted, see normalize.adopt_tokenizer_state), and needs no bm25s.

marshal, not pickle: it reads plain values only (str, int, bytes, list, dict) and never runs code;
its format belongs to the Python version, which the file records (another version → rebuild).
"""

from __future__ import annotations

import marshal
import sys
from dataclasses import dataclass
from typing import Sequence

from .answer_types import sentences
from .examples import Example, ExampleIndex, example_index
from .lexical import LexicalIndex
from .normalize import adopt_tokenizer_state, char_bigrams, tokenize, tokenizer_state

FORMAT = 4


@dataclass(frozen=True)
class LexicalState:
    leaves: LexicalIndex  # BM25 over each leaf's indexed text
    items: LexicalIndex  # BM25 over each item with its context and sub-items
    bigrams: LexicalIndex  # BM25 over character bigrams of the indexed texts
    texts: dict  # leaf id -> indexed text
    leaf_tokens: dict  # leaf id -> tokens of the indexed text
    sentence_tokens: dict  # leaf id -> tokens of each sentence of the leaf's own text
    examples: ExampleIndex  # the example questions' features, leaves and sources
    comparison_examples: ExampleIndex  # the same for the example comparison questions
    tokenizer_adopted: bool  # this process now cuts with the stored jieba state


def _python() -> list[int]:
    return list(sys.version_info[:2])


def build_state(leaf_ids: list[str], texts: list[str], clause_texts: list[str], item_ids: list[str],
                item_texts: list[str], examples: Sequence[Example] = ()) -> bytes:
    """The state file's bytes. `texts` are the indexed texts, `clause_texts` the leaves' own text
    (split into sentences for answer-type matching), `examples` the example questions."""
    leaf_tokens = [tokenize(t) for t in texts]
    state = {
        "format": FORMAT,
        "python": _python(),
        "leaf_ids": list(leaf_ids),
        "texts": dict(zip(leaf_ids, texts)),
        "leaves": LexicalIndex.from_tokens(leaf_ids, leaf_tokens).to_state(),
        "items": LexicalIndex.build(item_ids, item_texts).to_state(),
        "bigrams": LexicalIndex.build(leaf_ids, texts, char_bigrams).to_state(),
        "leaf_tokens": dict(zip(leaf_ids, leaf_tokens)),
        "sentence_tokens": {cid: [tokenize(s) for s in sentences(text)] for cid, text in zip(leaf_ids, clause_texts)},
        "examples": example_index([e for e in examples if e.kind != "compare"], tokenize, char_bigrams).to_state(),
        "comparison_examples": example_index([e for e in examples if e.kind == "compare"], tokenize,
                                             char_bigrams).to_state(),
        "tokenizer": tokenizer_state(),
    }
    return marshal.dumps(state)


def load_state(data: bytes) -> LexicalState:
    """Read a state file's bytes; raises ValueError when it is not one this code wrote."""
    try:
        state = marshal.loads(data)
    except (EOFError, ValueError, TypeError) as e:
        raise ValueError(f"词法索引文件无法读取：{e}") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError("词法索引文件格式不符")
    if state.get("python") != _python():
        raise ValueError("词法索引文件由另一 Python 版本写成")
    try:
        ids = state["leaf_ids"]
        leaves, items, bigrams = (LexicalIndex.from_state(state[k]) for k in ("leaves", "items", "bigrams"))
        texts, leaf_tokens, sentence_tokens = state["texts"], state["leaf_tokens"], state["sentence_tokens"]
        if not (leaves.ids == bigrams.ids == list(texts) == list(leaf_tokens) == list(sentence_tokens) == ids):
            raise ValueError("词法索引文件中的条款编号前后不一致")
        examples = ExampleIndex.from_state(state["examples"])
        comparison_examples = ExampleIndex.from_state(state["comparison_examples"])
        adopted = adopt_tokenizer_state(state["tokenizer"])
    except (KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"词法索引文件内容不全：{type(e).__name__}: {e}") from None
    return LexicalState(leaves, items, bigrams, texts, leaf_tokens, sentence_tokens, examples, comparison_examples,
                        adopted)
