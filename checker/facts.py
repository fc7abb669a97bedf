"""Project facts (catalog §0.3) read from a Document, each with the location of its evidence."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .attribute import read_attribute
from .budget import L_BUDGET, read_budget
from .dates import read_dates
from .fields import Field, iter_fields
from .max_price import L_MAXPRICE, read_max_price
from .method import read_method
from .model import Document, Location

FACT_KEYS = ("regime", "method", "attribute", "evaluation", "price_weight", "sme_deduction",
             "sme_reserved", "budget", "max_price", "announce_date", "bid_bond")
EXTRA_KEYS = ("sme_mode", "sme_consortium_deduction", "issue_start", "issue_end", "deadline",
              "import_allowed", "fixed_price", "price_approved", "buyer", "lots", "scoring")

EVALUATIONS = ("综合评分法", "最低评标价法", "综合评估法", "经评审的最低投标价法", "最低投标价法", "质量优先法",
               "合理低价法", "评定分离")
_EVAL_RE = re.compile("|".join(EVALUATIONS))

_L_BOND = re.compile(r"^(?:\d+[.、]?\d*)?\s*(?:投标|磋商|响应|谈判|报价)?保证金(?:金额|数额)?$|^投标保证金")



@dataclass(frozen=True)
class Facts:
    values: dict[str, Any]
    evidence: dict[str, Location] = field(default_factory=dict)
    scoring: tuple = ()  # ScoringTable objects (checker.scoring), for checks that need the cells
    sme: Any = None       # checker.sme.SmeFacts

    def get(self, key: str, default: Any = None) -> Any:
        v = self.values.get(key)
        return default if v is None else v

    def as_json(self) -> dict[str, Any]:
        out = {k: self.values.get(k) for k in FACT_KEYS}
        out.update({k: v for k, v in self.values.items() if k not in out})
        return out

    def with_overrides(self, overrides: dict[str, Any]) -> "Facts":
        return Facts({**self.values, **overrides}, dict(self.evidence), self.scoring, self.sme)

    def lot_facts(self, lot: str | None) -> dict[str, Any]:
        """Facts for one lot: the lot's own values over the project's."""
        out = dict(self.values)
        for entry in self.values.get("lots") or []:
            if entry.get("lot") == lot:
                out.update({k: v for k, v in entry.items() if v is not None})
        return out


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


class _Reader:
    """Collects facts with their first evidence; the first statement found wins."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.values: dict[str, Any] = {k: None for k in FACT_KEYS}
        self.values["sme_deduction"] = []
        self.evidence: dict[str, Location] = {}

    @cached_property
    def fields(self) -> list[Field]:
        return list(iter_fields(self.doc))

    @cached_property
    def head(self) -> str:
        return "\n".join(b.norm for b in self.doc.blocks[:400])

    def note(self, key: str, value: Any, block, start: int = 0, end: int | None = None) -> None:
        if self.values.get(key) in (None, []) and value is not None:
            self.values[key] = value
            s, e = block.to_original(start, end if end is not None else len(block.norm)) if block.norm else (0, 0)
            self.evidence[key] = Location.of(self.doc, block, s, e)

    def field_value(self, key: str, label: re.Pattern, parse, exclude: re.Pattern | None = None) -> None:
        for f in self.fields:
            if not label.search(f.label) or (exclude and exclude.search(f.label)):
                continue
            value = parse(f)
            if value is not None:
                self.note(key, value, f.block, f.start, f.start + len(f.value))
                return

    def text_search(self, key: str, rx: re.Pattern, group=0, transform=lambda v: v, limit=None) -> None:
        for b in self.doc.blocks[:limit]:
            m = rx.search(b.norm)
            if m:
                self.note(key, transform(m.group(group)), b, *m.span(group))
                return


def _bond(f: Field):
    if re.match(r"\s*(?:不收取|免收|无|0元|人民币0元|不需要|不要求)", f.value):
        return 0.0
    if re.search(r"预算|金额的|%", f.value[:20]):
        return None
    return f.money()


def _buyer_name(f: Field):
    """The name in a 采购人 field, without the seal note or the address and contact that often follow it."""
    if len(f.value) < 4 or re.search(r"_{2,}|\[", f.value):
        return None
    name = re.split(r"\((?:盖|加盖|公章|签)|[,，;；]|\s(?=地址|联系)|(?:地址|联系人|联系电话|电话)\s*[:：]", f.value)[0]
    return name.strip()[:40] if len(name.strip()) >= 4 else None


def _note_regime(r: _Reader, doc: Document, text: str) -> None:
    from .regime_facts import read_adopts, read_regime

    v = r.values
    loc = r.evidence.get("buyer")
    reading = read_regime(doc, text, v.get("buyer"), doc.blocks[loc.block] if loc else None,
                          v.get("method"), v.get("attribute"), v.get("budget") or v.get("max_price"))
    v["regime"] = reading.regime
    v["regime_basis"] = reading.why
    if reading.evidence is not None and reading.regime:
        r.evidence["regime"] = Location.of(doc, reading.evidence, 0, len(reading.evidence.text))
    v["adopts"] = read_adopts(doc, reading.regime)


def extract_facts(doc: Document) -> Facts:
    from .scoring import extract_scoring, primary
    from .sme import read_sme

    r = _Reader(doc)
    v = r.values
    r.field_value("buyer", re.compile(r"^(?:采购人|招标人|采购单位|招标单位|业主)(?:名称)?$"),
                  _buyer_name)
    read_method(r)
    read_attribute(r)
    for b in doc.blocks:
        if b.kind == "heading" and (m := _EVAL_RE.search(b.norm)):
            r.note("evaluation", m.group(), b, *m.span())
            break
    r.field_value("evaluation", re.compile(r"评标方法|评审方法|评标办法|评审办法|评分方法"),
                  lambda f: (m.group() if (m := _EVAL_RE.search(f.value[:30])) else None))
    if v["evaluation"] is None:
        r.text_search("evaluation", re.compile(r"(?:采用|采取|适用|执行)(" + _EVAL_RE.pattern + ")"), 1)
    if v["evaluation"] is None:
        r.text_search("evaluation", _EVAL_RE)
    read_budget(r)
    read_max_price(r)
    r.field_value("bid_bond", _L_BOND, _bond)
    if v["bid_bond"] is None:
        r.text_search("bid_bond", re.compile(r"(?:不收取|免收|无需(?:缴纳|提交))(?:投标|磋商|响应)?保证金"), 0, lambda _: 0.0)
    read_dates(r)
    text = doc.text[:60000]
    _note_regime(r, doc, text)
    if re.search(r"(?:不接受|不允许|拒绝|不得提供|不得采购)进口|进口产品[^。;]{0,6}(?:不|无效)", text):
        v["import_allowed"] = False
    elif re.search(r"(?<!不)(?:接受|允许)(?:采购)?进口产品|可以采购进口产品", text):
        v["import_allowed"] = True
    m = re.search(r"固定价格采购|(?:执行|实行)(?:国家|政府)?(?:统一定价|政府定价|统一价格标准)|价格不作为评审因素|不(?:将|以)价格作为评审因素", text)
    v["fixed_price"] = True if m else None
    # stated or unknown (None, read as 未说明): the document's silence is not a "no"
    approved = re.search(r"财政部门审核同意|财政部门同意|经[^。;]{0,16}财政部门[^。;]{0,6}(?:审核|批准|同意)", text)
    v["price_approved"] = True if approved else None

    schemes = extract_scoring(doc)
    main = primary(schemes)
    if main is not None and main.price_weight is not None:
        v["price_weight"] = main.price_weight
        r.evidence["price_weight"] = main.price_items[0].cell
    sme = read_sme(doc)
    v["sme_deduction"] = sme.small()
    if sme.deductions:
        first = next((d for d in sme.deductions if d.kind == "small"), None)
        if first:
            r.evidence["sme_deduction"] = first.location
    cons = [d.value for d in sme.deductions if d.kind == "consortium"]
    v["sme_consortium_deduction"] = sorted(set(cons))
    v["sme_reserved"] = _reserved_overall(sme)
    if v["sme_reserved"] is None:
        v["sme_reserved"] = _reserved_by_deduction(v, sme)
    if sme.reservations:
        r.evidence["sme_reserved"] = sme.reservations[0].location
    v["sme_mode"] = _mode(sme, v["sme_reserved"])
    lots = _lots(doc, r, schemes, sme)
    if lots:
        v["lots"] = lots
        for key in ("budget", "max_price"):
            # a lot table gives the project's amount as the sum of its lots, not the first lot's
            if all(lot.get(key) for lot in lots) and len(lots) > 1:
                v[key] = round(sum(lot[key] for lot in lots), 2)
                r.evidence.pop(key, None)
    v["scoring"] = [s.as_json() for s in schemes]
    for key in EXTRA_KEYS:
        v.setdefault(key, None)
    return Facts(v, r.evidence, tuple(schemes), sme)


def _reserved_overall(sme) -> bool | None:
    project = [x for x in sme.reservations if x.lot is None]
    if project:
        return project[0].reserved
    lots = {}
    for x in sme.reservations:
        lots.setdefault(x.lot, x.reserved)
    if lots and len(set(lots.values())) == 1:
        return next(iter(lots.values()))
    return None


def _mode(sme, reserved) -> str | None:
    if reserved is True:
        return "whole"
    lots = {x.lot: x.reserved for x in sme.reservations if x.lot}
    if lots and any(lots.values()):
        return "lots"
    if reserved is False and any(x.partial for x in sme.reservations):
        return "partial"
    if reserved is False:
        return "none"
    return None


def _reserved_by_deduction(v: dict, sme) -> bool | None:
    """No statement either way, but a 政府采购 project gives small and micro firms a price deduction on the
    whole project: the deduction applies to what is not reserved (财库〔2020〕46号 第九条), so it is not."""
    if v.get("regime") == "gp" and not sme.reservations and any(d.kind == "small" and d.lot is None
                                                                for d in sme.deductions):
        v["sme_reserved_from"] = "sme_deduction"
        return False
    return None


_LOT_HEADER = re.compile(r"包号|包件|采购包|标段|分包|包名称|^包$|标包|子包")


def _lots(doc: Document, r: _Reader, schemes, sme) -> list[dict]:
    """Per-lot facts from the lot table (包号 | 预算 | 最高限价), scoring tables and SME statements."""
    from .scoring import merged_tables, run_rows

    lots: dict[str, dict] = {}
    for run in merged_tables(doc):  # a lot table continued over pages is one table
        grid = run_rows(doc, run)
        if len(grid) < 2:
            continue
        header = [c.norm if c is not None else "" for c in grid[0]]
        lcol = next((i for i, h in enumerate(header) if _LOT_HEADER.search(h) and "名称" not in h), None)
        bcol = next((i for i, h in enumerate(header) if L_BUDGET.search(h)), None)
        if lcol is None or bcol is None:
            continue
        mcol = next((i for i, h in enumerate(header) if L_MAXPRICE.search(h)), None)
        for row in grid[1:]:
            cell = row[lcol] if lcol < len(row) else None
            if cell is None or not cell.norm:
                continue
            from .scoring import lot_of

            lot = lot_of(cell.norm) or (cell.norm if re.fullmatch(r"\d{1,2}|[A-Z]", cell.norm) else None)
            if lot is None:
                continue
            entry = lots.setdefault(lot, {"lot": lot})
            for key, col in (("budget", bcol), ("max_price", mcol)):
                if col is not None and col < len(row) and row[col] is not None:
                    val = Field(header[col], row[col].norm, row[col], 0).money()
                    if val:
                        entry[key] = val
                        r.evidence[f"lots.{lot}.{key}"] = Location.of(doc, row[col], 0, len(row[col].text))
        if lots:
            break
    for s in schemes:
        if s.lot and s.price_items:
            lots.setdefault(s.lot, {"lot": s.lot}).setdefault("price_weight", s.price_weight)
    for lot in {x.lot for x in sme.reservations if x.lot} | {d.lot for d in sme.deductions if d.lot}:
        entry = lots.setdefault(lot, {"lot": lot})
        entry["sme_reserved"] = sme.reserved(lot)
        entry["sme_deduction"] = sme.small(lot)
    if len(lots) < 2 and not any("budget" in e for e in lots.values()):
        return []
    return [lots[k] for k in sorted(lots, key=lambda x: (len(x), x))]
