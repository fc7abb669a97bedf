"""Project facts (catalog §0.3) read from a Document, each with the location of its evidence."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .model import Document, Location
from .numbers import first_money, iter_dates

FACT_KEYS = ("regime", "method", "attribute", "evaluation", "price_weight", "sme_deduction",
             "sme_reserved", "budget", "max_price", "announce_date", "bid_bond")

METHODS = ("公开招标", "邀请招标", "竞争性磋商", "竞争性谈判", "询价", "单一来源", "框架协议")
_METHOD_RE = re.compile("|".join(METHODS))
_ATTR_RE = re.compile(r"(?:项目|采购|标的)(?:属性|类别|类型)\s*[:为]?\s*(?P<a>货物|服务|工程)")
_ATTR_MAP = {"货物": "goods", "服务": "services", "工程": "works"}
_BUDGET_RE = re.compile(r"(?:采购)?预算(?:金额|总额|资金|价)?(?:\(元\)|\(万元\))?\s*[:为]?")
_ANNOUNCE_RE = re.compile(r"(?:公告|发布|发出)(?:日期|时间)|公告期限|发布之日")


@dataclass(frozen=True)
class Facts:
    values: dict[str, Any]
    evidence: dict[str, Location] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        v = self.values.get(key)
        return default if v is None else v

    def as_json(self) -> dict[str, Any]:
        out = {k: self.values.get(k) for k in FACT_KEYS}
        out.update({k: v for k, v in self.values.items() if k not in out})
        return out

    def with_overrides(self, overrides: dict[str, Any]) -> "Facts":
        return Facts({**self.values, **overrides}, dict(self.evidence))


def iter_lines(doc: Document, limit: int | None = None):
    """(evidence block, text) pairs: each paragraph, and each table row joined with ' | ' so a
    label cell (预算金额) and its value cell read as one line."""
    done_tables: set[int] = set()
    count = 0
    for b in doc.blocks:
        if limit is not None and count >= limit:
            return
        count += 1
        if b.table is None:
            yield b, b.norm
            continue
        if b.table in done_tables:
            continue
        done_tables.add(b.table)
        for row in doc.tables[b.table].rows:
            cells = [doc.blocks[i] for i in row if i is not None]
            if cells:
                value_cell = cells[-1]
                yield value_cell, " | ".join(c.norm for c in cells)


def extract_facts(doc: Document) -> Facts:
    values: dict[str, Any] = {k: None for k in FACT_KEYS}
    evidence: dict[str, Location] = {}
    values["sme_deduction"] = []

    def note(key: str, value: Any, block, start: int = 0, end: int | None = None) -> None:
        if values.get(key) in (None, []):
            values[key] = value
            evidence[key] = Location.of(doc, block, start, end if end is not None else len(block.text))

    for b, t in iter_lines(doc, limit=600):
        if values["method"] is None:
            m = re.search(r"(?:采购|招标)方式\s*[:为]?\s*(" + _METHOD_RE.pattern + ")", t)
            if m:
                note("method", m.group(1), b)
        if values["attribute"] is None:
            m = _ATTR_RE.search(t)
            if m:
                note("attribute", _ATTR_MAP[m.group("a")], b)
        if values["budget"] is None:
            m = _BUDGET_RE.search(t)
            if m:
                money = first_money(t[m.end():m.end() + 40])
                if money is None and "万元" in t[max(0, m.start() - 2):m.end() + 6]:
                    num = re.search(r"\d[\d,]*(?:\.\d+)?", t[m.end():m.end() + 30])
                    money_val = float(num.group().replace(",", "")) * 1e4 if num else None
                else:
                    money_val = money.yuan if money else None
                if money_val:
                    note("budget", money_val, b)
        if values["announce_date"] is None and _ANNOUNCE_RE.search(t):
            dates = list(iter_dates(t))
            if dates:
                note("announce_date", dates[0].value.isoformat(), b)
    text = doc.text[:20000]
    if values["method"] is None:
        m = _METHOD_RE.search(text)
        if m:
            values["method"] = m.group()
    if re.search(r"政府采购|采购人|财政部令|财库", text):
        values["regime"] = "gp"
    elif re.search(r"招标人|招标投标法|施工招标|监理招标", text):
        values["regime"] = "eng"
    return Facts(values, evidence)
