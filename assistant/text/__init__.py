"""The one text stack: sentence splitter, numeral reader, tokenizer and thesaurus.

Retrieval, answers, facts, checks, plans and quizzes read text through these modules, so a
synonym or a numeral behaves the same on every path.
"""
