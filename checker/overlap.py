"""One passage, one finding: when several rules flag overlapping words of the same block, the
finding a reviewer should read first stays and names the others (``also``).

Order of preference: error before warning before info, stable before preview, then the rule that
sorts first, then the earlier place (deterministic). Findings on different blocks, or on disjoint
words of one block, stay, except that one rule reports one sentence once: "A31 支持…；A31 提供…" in one sentence is one finding,
and so is a long sentence copied elsewhere in the document (the copies become its related places).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from .model import Finding

_SEVERITY = {"error": 0, "warning": 1, "info": 2}


def _rank(f: Finding) -> tuple:
    return (_SEVERITY.get(f.severity, 3), f.status != "stable", f.rule_id, f.location.block, f.location.start)


class Spans:
    """Disjoint spans of one block, each with a value; finding the ones a new span overlaps costs
    O(log n), so a paragraph with thousands of findings is not checked pair by pair."""

    def __init__(self):
        self._items: list[tuple[int, int, object]] = []  # (start, end, value), sorted, disjoint
        self._ends: list[int] = []

    def overlapping(self, start: int, end: int) -> list:
        """Values of the stored spans that share a character with [start, end)."""
        out = []
        i = bisect_right(self._ends, start)
        while i < len(self._items) and self._items[i][0] < end:
            if self._items[i][1] > start:
                out.append(self._items[i][2])
            i += 1
        return out

    def add(self, start: int, end: int, value) -> None:
        """Store a span that overlaps none of the stored ones."""
        i = bisect_right(self._ends, start)
        self._items.insert(i, (start, end, value))
        self._ends.insert(i, end)


# A sentence this long met twice in one document is a copy (the notice and the data sheet, one spec
# repeated for each lot), not two passages; shorter ones ("由评委酌情打分") recur in different items.
COPY_MIN_CHARS = 20


def _said_key(f: Finding) -> tuple | None:
    """What makes a further finding of the same rule a repeat: the same sentence in the same block,
    or a long sentence anywhere in the document."""
    if not f.sentence:
        return None
    if len(f.sentence) >= COPY_MIN_CHARS:
        return (f.location.path, f.rule_id, f.sentence)
    return (f.location.path, f.rule_id, f.sentence, f.location.block)


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Findings with overlapping passages folded into the preferred one; input order kept."""
    kept: list[Finding] = []
    by_block: dict[tuple, Spans] = {}
    said: dict[tuple, int] = {}  # (path, rule, sentence[, block]) -> slot of the finding that reports it
    for f in sorted(findings, key=_rank):
        key = _said_key(f)
        if key is not None and key in said:  # shown as a related place of the finding that said it
            slot = said[key]
            kept[slot] = replace(kept[slot], related=kept[slot].related + (f.location,))
            continue
        spans = by_block.setdefault((f.location.path, f.location.block), Spans())
        start, end = f.location.start, f.location.end
        hits = spans.overlapping(start, end) if end > start else []
        slot = min(hits) if hits else None
        if key is not None:
            said[key] = len(kept) if slot is None else slot
        if slot is None:
            if end > start:
                spans.add(start, end, len(kept))
            kept.append(f)
        elif f.rule_id != kept[slot].rule_id and f.rule_id not in kept[slot].also:
            kept[slot] = replace(kept[slot], also=kept[slot].also + (f.rule_id,))
    kept.sort(key=Finding.sort_key)
    return kept
