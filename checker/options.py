"""Checkbox options in model texts: the paragraphs under an option that was left unticked.

Provincial model tender texts offer alternatives as box-led paragraphs ("□对于房建类项目…",
"☑对于市政类项目…"), each followed by its own clauses. Only the ticked option is the document's
text; the clauses under an unticked one do not apply and are not checked. An option group is read
only where at least one of its boxes is ticked, so a blank form (every box empty) is checked whole.
"""
from __future__ import annotations

import re

from .model import Document

_UNTICKED = re.compile(r"^\s*[□☐]")
# an option governs the plain paragraphs after it, never a newly numbered item, and at most a dozen
_NUMBERED = re.compile(r"^\s*(?:\d+[.、]|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
_MAX_MEMBERS = 12
_TICKED = re.compile(r"^\s*[☑■√✔✓]")


def unselected_blocks(doc: Document) -> frozenset[int]:
    """Indexes of the paragraphs that lead or follow an unticked option, up to the next option or heading."""
    out: set[int] = set()
    groups = _option_runs(doc)
    for run in groups:
        if not any(ticked for _, ticked, _ in run):
            continue
        for lead, ticked, members in run:
            if not ticked:
                out.add(lead)
                out.update(members)
    return frozenset(out)


def _option_runs(doc: Document) -> list[list[tuple[int, bool, list[int]]]]:
    """Consecutive option paragraphs of one section: (lead block, ticked?, the paragraphs it governs)."""
    runs: list[list[tuple[int, bool, list[int]]]] = []
    current: list[tuple[int, bool, list[int]]] = []
    section = None
    for b in doc.blocks:
        if b.kind != "paragraph" or b.section != section:
            if current:
                runs.append(current)
            current, section = [], b.section if b.kind == "paragraph" else None
            if b.kind != "paragraph":
                continue
        ticked, unticked = _TICKED.match(b.norm), _UNTICKED.match(b.norm)
        # a box-led line holding several options ("☑适用 □不适用") is a choice within the line, not a lead
        if (ticked or unticked) and len(re.findall(r"[□☐☑■√✔✓]", b.norm)) == 1:
            current.append((b.index, bool(ticked), []))
        elif current and not _NUMBERED.match(b.norm) and len(current[-1][2]) < _MAX_MEMBERS:
            current[-1][2].append(b.index)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs
