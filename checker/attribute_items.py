"""The attribute of a mixed project from its procurement-items table.

A project that buys goods and services together takes the attribute of the items holding the largest
share of its funds (竞争性磋商管理暂行办法 第二十四条 says so in those words; the same reading
governs 87号令 price weights). A table of items with their budget amounts ("设备采购 22,147,500 /
运维服务 5,400,000") therefore decides the attribute even where a clause names another kind.
"""
from __future__ import annotations

import re
from typing import Callable

from .model import Block, Document
from .numbers import parse_number
from .scoring_tables import merged_tables, run_rows

_H_AMOUNT = re.compile(r"预算|金额|限价|估算价|概算")
_H_NAME = re.compile(r"名称|内容|条目|品目|标的|^(?:采购)?项目$|采购计划条目")
_H_NOT = re.compile(r"编号|序号|数量|单位|单价|付款|支付|保证金|分值|得分|比例|%")
_TABLE_NOT = re.compile(r"付款|支付|评分|得分|报价表|分项报价|开标一览")
_TOTAL = re.compile(r"^(?:合计|总计|小计|共计|总价)")
_AMOUNT = re.compile(r"^[¥￥]?\s*(\d[\d,]*(?:\.\d+)?)\s*(万)?元?$")
_MIN_SHARE = 0.5

Classify = Callable[[str], str | None]


def _header(rows) -> tuple[int, int, int] | None:
    """(header row, name column, amount column) of an items table, from its first two rows."""
    for h, row in enumerate(rows[:2]):
        name = amount = None
        for c, cell in enumerate(row):
            text = cell.norm if cell is not None else ""
            if not text or len(text) > 16:
                continue
            if amount is None and _H_AMOUNT.search(text) and "单价" not in text:
                amount = c
            elif name is None and _H_NAME.search(text) and not _H_NOT.search(text):
                name = c
        if name is not None and amount is not None:
            return h, name, amount
    return None


def _amount(cell: Block | None) -> float | None:
    m = _AMOUNT.match(cell.norm.replace(" ", "")) if cell is not None else None
    if not m:
        return None
    value = parse_number(m.group(1).replace(",", ""))
    return value * (10000 if m.group(2) else 1) if value else None


def _shares(rows, header, classify: Classify) -> dict[str, tuple[float, Block]] | None:
    h, ncol, acol = header
    out: dict[str, tuple[float, Block]] = {}
    for row in rows[h + 1:]:
        name = row[ncol] if ncol < len(row) else None
        if name is None or not name.norm or _TOTAL.match(name.norm):
            continue
        amount = _amount(row[acol] if acol < len(row) else None)
        kind = classify(name.norm)
        if amount is None or kind is None:
            return None  # an item we cannot price or classify: the shares are unknown
        total, first = out.get(kind, (0.0, name))
        out[kind] = (total + amount, first)
    return out


def dominant_item_kind(doc: Document, classify: Classify) -> tuple[str, Block, float] | None:
    """(attribute, the first item of that kind, its share of the items' total) when an items table
    mixes kinds and one kind holds more than half the money; None otherwise."""
    for run in merged_tables(doc):
        rows = run_rows(doc, run)
        header = _header(rows) if len(rows) >= 3 else None
        if header is None or any(_TABLE_NOT.search(c.norm) for c in rows[header[0]] if c is not None):
            continue
        shares = _shares(rows, header, classify)
        if not shares or len(shares) < 2:
            continue
        total = sum(v for v, _ in shares.values())
        kind, (value, block) = max(shares.items(), key=lambda kv: kv[1][0])
        if total > 0 and value / total > _MIN_SHARE:
            return kind, block, value / total
    return None
