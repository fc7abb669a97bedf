"""Sentence and clause boundaries of a block's normalised text (spaCy sentencizer on a blank zh pipeline).

spaCy is fed one block at a time with one token per character: the blank ``zh`` tokenizer and
whole documents are slow, and a tender sentence never crosses a block boundary anyway.
"""
from __future__ import annotations

import re
from functools import lru_cache

SENTENCE_PUNCT = ["。", ";", "；", "!", "！", "?", "？", "\n"]
_CLAUSE_BREAK = re.compile(r"[,，;；:：。!！?？\n]")


@lru_cache(maxsize=1)
def _pipeline():
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_PUNCT})
    return nlp


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of ``text`` (end includes the closing punctuation)."""
    if not text:
        return []
    if not any(p in text for p in SENTENCE_PUNCT):
        return [(0, len(text))]
    from spacy.tokens import Doc

    nlp = _pipeline()
    doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
    doc = nlp.get_pipe("sentencizer")(doc)
    return [(s.start_char, s.end_char) for s in doc.sents]


def clause_start(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause (comma/semicolon/colon-delimited) that contains ``pos``."""
    i = pos
    while i > sent_start:
        if _CLAUSE_BREAK.match(text, i - 1):
            return i
        i -= 1
    return sent_start


def clause_end(text: str, pos: int, sent_end: int) -> int:
    m = _CLAUSE_BREAK.search(text, pos, sent_end)
    return m.end() if m else sent_end
