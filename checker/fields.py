"""Labelled values of a Document: "预算金额：300万元" lines, two-cell table rows and column headers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Block, Document
from .numbers import first_money

_LABEL_SPLIT = re.compile(r"^(?P<label>[^:;。,]{2,24}?)\s*(?::|为|是)\s*(?P<value>.+)$")


@dataclass(frozen=True)
class Field:
    """A label and its value, with the block (and offset within its ``norm``) the value sits in."""

    label: str
    value: str
    block: Block
    start: int  # offset of ``value`` in block.norm (0 for a table cell)

    def money(self) -> float | None:
        """The value as yuan, honouring a unit in the label ("预算金额(万元)") for bare numbers."""
        m = first_money(self.value[:60])
        if m is not None:
            return m.yuan
        num = re.match(r"\s*(?:人民币|¥|￥)?\s*(\d[\d,]*(?:\.\d+)?)(?![\d%])", self.value)
        if not num:
            return None
        value = float(num.group(1).replace(",", ""))
        if "万元" in self.label:
            value *= 1e4
        elif "元" not in self.label and value < 1000:
            return None  # a bare small number with no unit anywhere is not an amount
        return value


def iter_fields(doc: Document):
    """Every labelled value: "label：value" in paragraphs (and inside cells), a table row's first
    cell and last cell, and a header cell above a value cell."""
    for b in doc.blocks:
        if not b.norm:
            continue
        for part in re.finditer(r"[^;。\n]+", b.norm):
            m = _LABEL_SPLIT.match(part.group())
            if m:
                yield Field(m.group("label").strip(), m.group("value").strip(), b,
                            part.start() + m.start("value"))
    for t in doc.tables:
        grid = doc.table_cells(t)
        for r, row in enumerate(grid):
            cells = [c for c in row if c is not None and c.norm]
            if len(cells) >= 2 and len(cells[0].norm) <= 24:
                label = " ".join(c.norm for c in cells[:-1] if len(c.norm) <= 24)
                yield Field(label, cells[-1].norm, cells[-1], 0)
        if len(grid) >= 2:
            header = grid[0]
            for row in grid[1:]:
                for c, cell in enumerate(row):
                    if cell is None or not cell.norm or c >= len(header) or header[c] is None:
                        continue
                    if len(header[c].norm) <= 24:
                        yield Field(header[c].norm, cell.norm, cell, 0)
