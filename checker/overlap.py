"""One passage, one finding: when several rules flag overlapping words of the same block, the
finding a reviewer should read first stays and names the others (``also``).

Order of preference: error before warning before info, stable before preview, then the rule that
sorts first (deterministic). Findings on different blocks, or on disjoint words of one block, stay,
except that one rule reports one sentence once: "A31 支持…；A31 提供…" in one sentence is one finding.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from .model import Finding

_SEVERITY = {"error": 0, "warning": 1, "info": 2}


def _rank(f: Finding) -> tuple:
    return (_SEVERITY.get(f.severity, 3), f.status != "stable", f.rule_id, f.location.start)


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


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Findings with overlapping passages folded into the preferred one; input order kept."""
    kept: list[Finding] = []
    by_block: dict[tuple, Spans] = {}
    said: dict[tuple, int] = {}  # (path, block, rule, sentence) -> slot of the finding that reports it
    for f in sorted(findings, key=_rank):
        key = (f.location.path, f.location.block, f.rule_id, f.sentence)
        if f.sentence and key in said:  # the sentence's further words are shown as related places of its finding
            slot = said[key]
            kept[slot] = replace(kept[slot], related=kept[slot].related + (f.location,))
            continue
        spans = by_block.setdefault((f.location.path, f.location.block), Spans())
        start, end = f.location.start, f.location.end
        hits = spans.overlapping(start, end) if end > start else []
        slot = min(hits) if hits else None
        said[key] = len(kept) if slot is None else slot
        if slot is None:
            if end > start:
                spans.add(start, end, len(kept))
            kept.append(f)
        elif f.rule_id != kept[slot].rule_id and f.rule_id not in kept[slot].also:
            kept[slot] = replace(kept[slot], also=kept[slot].also + (f.rule_id,))
    kept.sort(key=Finding.sort_key)
    return kept
