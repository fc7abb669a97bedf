"""Sentence and clause boundaries of a block's normalised text.

The reference is spaCy's sentencizer on a blank ``zh`` pipeline, fed one block at a time with one token per
character (``spacy_sentences``). The hot path runs the same rule in plain Python (``split_sentences``): a
sentence ends after one of SENTENCE_PUNCT, and the next sentence starts at the first following character
that is neither such a mark nor Unicode punctuation (so a closing quote or bracket stays with its
sentence). Importing spaCy costs about a second per process; tests/test_sentences.py proves the two split
the corpus and the real documents identically.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SENTENCE_PUNCT = ["。", ";", "；", "!", "！", "?", "？", "\n"]
_SENTENCE_SET = frozenset(SENTENCE_PUNCT)
_CLAUSE_BREAK = re.compile(r"[,，;；:：。!！?？\n]")


@lru_cache(maxsize=4096)
def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")  # spaCy's lexical is_punct


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of ``text`` (end includes the closing punctuation)."""
    if not text:
        return []
    if not any(p in text for p in SENTENCE_PUNCT):
        return [(0, len(text))]
    starts, seen = [0], False
    for i, ch in enumerate(text):
        if ch in _SENTENCE_SET:
            seen = True
        elif seen and not _is_punct(ch):
            starts.append(i)
            seen = False
    return [(a, b) for a, b in zip(starts, starts[1:] + [len(text)])]


@lru_cache(maxsize=1)
def _pipeline():
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_PUNCT})
    return nlp


def spacy_sentences(text: str) -> list[tuple[int, int]]:
    """The reference split: spaCy's sentencizer, one token per character."""
    if not text:
        return []
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
