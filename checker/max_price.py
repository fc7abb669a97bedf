"""The highest price a bid may carry (最高限价 / 招标控制价 / 最高应答限价…), read into a facts reader:
a labelled field, a sentence stating it, or the budget when the document makes the budget the ceiling."""
from __future__ import annotations

import re

from .budget import positive_money
from .numbers import first_money

# every name of the ceiling: 最高限价, 最高投标/应答/响应/磋商限价, 招标控制价, 拦标价, 上限价
L_MAXPRICE = re.compile(r"最高(?:投标|应答|响应|报价|磋商|谈判|采购)?限价|控制价|拦标价|最高报价|上限价")
_NOT_FIELD = re.compile(r"保证金|不得|超过|单价|/")
# "本项目最高限价88万元", "最高响应限价为价税合计总价60000元": the amount right after the name
_STATED = re.compile(r"(?<!单价)(?<!单)(?:" + L_MAXPRICE.pattern + r")\s*(?:为|是|:)?\s*(?:价税合计|含税)?\s*(?:总价)?"
                     r"\s*(?:为|:)?\s*(?P<v>(?:人民币)?\s*[\d¥￥][^。;,]{0,24})")
# the budget named as the ceiling: "上限价为各采购包采购预算金额", "最高限价：同预算金额", "采购预算即最高限价"
_BUDGET_IS_CAP = re.compile(r"(?:" + L_MAXPRICE.pattern + r")\s*:?\s*(?:即|为|等于|就是|同)\s*(?:各采购包|本项目)?(?:的)?(?:采购)?预算"
                            r"|预算(?:金额)?\s*(?:即|为|作为)\s*(?:本项目)?(?:的)?(?:" + L_MAXPRICE.pattern + ")")
# a bid over the budget is rejected: "投标价超出采购预算的" in the list of invalid bids, "超过预算的报价将被拒绝"
_OVER_BUDGET = re.compile(r"(?:报价|投标价|投标总价|响应报价|应答报价)[^。;]{0,16}(?:超过|超出|高于)(?:了)?[^。;]{0,12}预算"
                          r"|(?:超过|超出|高于)(?:采购)?预算(?:金额)?的(?:报价|投标)")
_REJECTED = re.compile(r"(?<!可)(?<!可以)(?:无效|拒绝|否决|不能成交|不予受理|废标)")


def _stated(r) -> None:
    for b in r.doc.blocks:
        if not L_MAXPRICE.search(b.norm):
            continue
        for m in _STATED.finditer(b.norm):
            money = first_money(m.group("v"))
            if money is not None and money.yuan:
                r.note("max_price", money.yuan, b, *m.span("v"))
                return


def _rejects_over_budget(r) -> bool:
    """The document rejects bids above the budget, in the sentence itself or in a list of invalid bids."""
    blocks = r.doc.blocks
    for b in blocks:
        for m in _OVER_BUDGET.finditer(b.norm):
            sentence = re.search(r"[^。;]*" + re.escape(m.group()) + r"[^。;]*", b.norm).group()
            if _REJECTED.search(sentence):
                return True
            if b.norm.rstrip("。;").endswith("的") and any(
                    _REJECTED.search(p.norm) for p in blocks[max(0, b.index - 4):b.index]):
                return True
    return False


def _budget_cap(r) -> None:
    budget = r.values.get("budget")
    if not budget:
        return
    hit = next((b for b in r.doc.blocks if _BUDGET_IS_CAP.search(b.norm)), None)
    if hit is not None or _rejects_over_budget(r):
        r.values["max_price"] = budget
        r.values["max_price_from"] = "budget"
        if "budget" in r.evidence:
            r.evidence["max_price"] = r.evidence["budget"]


def read_max_price(r) -> None:
    """Read after the budget: the field, else a sentence stating the amount, else the budget as the cap."""
    r.field_value("max_price", L_MAXPRICE, positive_money, _NOT_FIELD)
    for step in (_stated, _budget_cap):
        if r.values["max_price"] is not None:
            return
        step(r)
