"""One passage, one finding: when several rules flag overlapping words of the same block, the
finding a reviewer should read first stays and names the others (``also``).

Order of preference: error before warning before info, stable before preview, then the rule that
sorts first (deterministic). Findings on different blocks, or on disjoint words of one block, stay.
"""
from __future__ import annotations

from dataclasses import replace

from .model import Finding

_SEVERITY = {"error": 0, "warning": 1, "info": 2}


def _rank(f: Finding) -> tuple:
    return (_SEVERITY.get(f.severity, 3), f.status != "stable", f.rule_id, f.location.start)


def _overlaps(a: Finding, b: Finding) -> bool:
    la, lb = a.location, b.location
    return la.block == lb.block and la.start < lb.end and lb.start < la.end


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Findings with overlapping passages folded into the preferred one; input order kept."""
    kept: list[Finding] = []
    by_block: dict[tuple, list[int]] = {}
    for f in sorted(findings, key=_rank):
        key = (f.location.path, f.location.block)
        slot = next((i for i in by_block.get(key, []) if _overlaps(kept[i], f)), None)
        if slot is None:
            by_block.setdefault(key, []).append(len(kept))
            kept.append(f)
        elif f.rule_id != kept[slot].rule_id and f.rule_id not in kept[slot].also:
            kept[slot] = replace(kept[slot], also=kept[slot].also + (f.rule_id,))
    kept.sort(key=Finding.sort_key)
    return kept
