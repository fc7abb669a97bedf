"""The hot-path sentence splitter agrees with spaCy's sentencizer (the reference) everywhere we can look."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from checker.ingest import read
from checker.sentences import split_sentences, spacy_sentences

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-corpus"
ALPHABET = "投标人须知。；;！!？?\n，,：:”“）（()】【」「…—-· aZ09%"


def test_random_texts_split_as_spacy_does():
    rng = random.Random(20261203)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert split_sentences(text) == spacy_sentences(text), repr(text)


def test_corpus_documents_split_as_spacy_does():
    for path in sorted((ROOT / "corpus").iterdir()):
        if path.suffix in (".docx", ".pdf", ".txt"):
            for block in read(str(path)).blocks:
                assert split_sentences(block.norm) == spacy_sentences(block.norm), (path.name, block.norm[:60])


@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-corpus is not present")
def test_real_documents_split_as_spacy_does():
    for path in sorted(REAL.iterdir()):
        if path.suffix.lower() not in (".docx", ".pdf", ".md"):
            continue
        try:
            doc = read(str(path))
        except Exception:  # unreadable files are covered by the smoke test
            continue
        for block in doc.blocks:
            assert split_sentences(block.norm) == spacy_sentences(block.norm), (path.name, block.norm[:60])
