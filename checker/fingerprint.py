"""Content fingerprints of findings, shared by baselines, SARIF and `compare`.

A fingerprint names a finding by what it says, never by where the file lives or where in the file
the words sit: rule ID + normalised excerpt + heading trail + the ordinal among findings with the
same three (so a second copy of a known clause is a different finding). The file's path and name,
block numbers and character offsets are left out, so a renamed or copied draft, or an edit above
the clause, keeps every fingerprint.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable

from .normalize import normalize

Key = tuple[str, str, str]


def norm_excerpt(excerpt: str) -> str:
    """The excerpt as rules see it (full-width → half-width, Chinese numerals…), without any spaces."""
    return "".join(normalize(excerpt or "").text.split())


def trail(section: Iterable[str]) -> str:
    return " › ".join(s.strip() for s in section or ())


def key(rule_id: str, excerpt: str, section: Iterable[str]) -> Key:
    """rule ID + normalised excerpt + heading trail (offsets and block numbers are left out: they
    change whenever anything above moves)."""
    return rule_id, norm_excerpt(excerpt), trail(section)


def finding_key(f) -> Key:
    return key(f.rule_id, f.excerpt, f.location.section)


def loose_key(f) -> tuple[str, str]:
    """rule ID + normalised excerpt: for a clause whose heading was renamed or moved."""
    return f.rule_id, norm_excerpt(f.excerpt)


def digest(k: Key, occurrence: int) -> str:
    raw = "\x1f".join((*k, str(occurrence)))
    # surrogatepass: a lone surrogate (broken file) must not crash; other text hashes as before
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprints(findings) -> list[str]:
    """One fingerprint per finding, in order: the key plus its occurrence index among identical
    keys in the same file. A finding that already carries one (``fingerprint``, set when reviewer
    decisions were applied, before false alarms were taken out) keeps it, so removing a finding never
    renames the ones after it."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        k = finding_key(f)
        out.append(getattr(f, "fingerprint", None) or digest(k, seen[k]))
        seen[k] += 1
    return out
