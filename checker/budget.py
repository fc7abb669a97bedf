"""The project's budget (预算金额 / 招标估算 / 采购预估金额 / 项目规模 in money…), read into a facts reader."""
from __future__ import annotations

import re

from .fields import Field
from .numbers import first_money

L_BUDGET = re.compile(r"预算(?:金额|总额|资金|价|总价)?|项目预算|采购金额|招标估算|(?:估算|预估)(?:价|金额|总价|总额)"
                      r"|投资(?:估算|总额)|^(?:[\d.]+\s*)?项目规模$")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|共计|总额)")
_NOT_FIELD = re.compile(r"保证金|限价|控制价|超过|的\d")
# "…两年运维费预算总额为120万元…": the amount right after the word, inside a longer sentence
_STATED = re.compile(r"(?<!单价)(?<!单)(?:预算(?:总额|金额|总价)?|采购预估金额|估算金额)\s*(?:为|是|:)?\s*(?:人民币)?\s*"
                     r"(?P<v>\d[^。;,]{0,20})")


def positive_money(f: Field):
    if re.match(r"\s*(?:详见|见|按|以)", f.value):
        return None
    v = f.money()
    return v if v else None


def _stated(r) -> None:
    for b in r.doc.blocks:
        if "预" not in b.norm and "估" not in b.norm:
            continue
        for m in _STATED.finditer(b.norm):
            money = first_money(m.group("v"))
            if money is not None and money.yuan and money.start == 0:
                r.note("budget", money.yuan, b, *m.span("v"))
                return


def _table_total(r) -> None:
    """A budget read from the first row of a column whose table ends in a 合计 row (shares, districts):
    the project's budget is the total."""
    loc = r.evidence.get("budget")
    if loc is None or loc.table is None or loc.col is None:
        return
    grid = r.doc.table_cells(r.doc.tables[loc.table])
    header = grid[0][loc.col] if loc.col < len(grid[0]) else None
    for row in grid[1:]:
        cells = [c for c in row if c is not None and c.norm]
        cell = row[loc.col] if loc.col < len(row) else None
        if cells and _TOTAL_ROW.match(cells[0].norm) and cell is not None and cell.index != loc.block:
            value = positive_money(Field(header.norm if header else "", cell.norm, cell, 0))
            if value and value > r.values["budget"]:
                r.values["budget"] = None
                r.note("budget", value, cell)
            return


def read_budget(r) -> None:
    """The labelled field (the total when it heads a column that ends in 合计), else an amount stated
    right after 预算 in a sentence."""
    r.field_value("budget", L_BUDGET, positive_money, _NOT_FIELD)
    if r.values["budget"] is None:
        _stated(r)
    else:
        _table_total(r)
