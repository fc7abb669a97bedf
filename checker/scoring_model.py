"""The scoring-scheme model: items with points and groups, a scheme's total and price weight, and the
words that classify an item (price / technical / commercial) or name a lot."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .model import Block, Document, Location

PRICE_NAME = re.compile(r"价格|报价|经济标|投标价|商务报价|价格分")
# "报价合理性", "报价构成分析" are judged like any technical item: not the price score
NOT_PRICE = re.compile(r"合理|构成|分析|明细|清单|测算|完整|编制|说明|方案|策略|费用组成")
COMMERCIAL = re.compile(r"商务|业绩|资质|信誉|认证|证书|财务|荣誉|资信|企业|信用|经验|实力|奖项|案例|体系")
TECHNICAL = re.compile(r"技术|方案|服务|人员|实施|质量|培训|应急|措施|设备|参数|性能|计划|管理|响应|售后|配置|需求|保障|产品")
SCORING_CONTEXT = re.compile(r"评分|评标|评审|打分|综合评|磋商办法|评比|分值")
# "得满分70分" awards one item its maximum; it never states the scheme's total
STATED_TOTAL = re.compile(r"(?<![得获])(?:总分|满分|满分值|总分值|总得分|合计)\s*(?:为|是|:)?\s*(?P<n>\d+(?:\.\d+)?)\s*分|(?P<m>\d+)\s*分制")
NAME_POINTS = re.compile(r"[\(（]\s*(?:满分|最高|共|计)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<u>分|%)\s*[\)）]")
LOT_LABEL = re.compile(r"(?:采购包|包件|包组|标段|分标|标包|子包|(?<![分打承外转])包)\s*(?:号|编号)?\s*:?\s*"
                       r"(?P<n>\d{1,2}|[A-Z]|[一二三四五六七八九十]{1,2})(?![\d万元%个人年日天项条款.])"
                       r"|第\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:包|标段|采购包|分标)")
LAW_TALK = re.compile(r"不得低于|不低于|不得高于|不高于|不得超过|应当|原则上|范围内|之间|比重不得|管理办法|第\d+条|规定")


@dataclass(frozen=True)
class ScoreItem:
    """One scoring row: its name, maximum points, group and the cells it came from."""

    name: str
    points: float
    group: str  # "price" | "technical" | "commercial" | "other"
    cell: Location  # the points cell (or the sentence for prose lists)
    name_cell: Location
    parent: str = ""  # the merged item a sub-item belongs to ("服务方案(30分)")

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "points": self.points, "group": self.group, "parent": self.parent or None}


@dataclass(frozen=True)
class ScoringTable:
    """A scoring scheme: items with points, the total the document states, and where it sits."""

    items: tuple[ScoreItem, ...]
    stated_total: float | None
    source: str  # "table" | "prose"
    anchor: Location  # the table's first cell or the prose sentence
    lot: str | None = None
    table: int | None = None
    parents: tuple[tuple[str, float, Location], ...] = ()  # merged items with their own "(30分)"
    stated_total_at: Location | None = None
    percent: bool = False  # the scores are weights in % (F×A form)

    @property
    def total(self) -> float:
        return round(sum(i.points for i in self.items), 4)

    @property
    def price_items(self) -> tuple[ScoreItem, ...]:
        return tuple(i for i in self.items if i.group == "price")

    @property
    def price_points(self) -> float | None:
        items = self.price_items
        return round(sum(i.points for i in items), 4) if items else None

    @property
    def price_weight(self) -> float | None:
        """Price score as a percent of the summed maximum of every row (not of the stated total)."""
        price = self.price_points
        if price is None or not self.total:
            return None
        if self.sub_scale:
            return None  # the rows are not one scale: no share can be read from them
        return round(price / self.total * 100, 2)

    @property
    def sub_scale(self) -> bool:
        """The non-price rows alone make a full 100-point scale and the price sits outside it
        ("陈述50 + 施工组织设计50" ranked into a 10-point score, "报价5"): summing them gives a wrong share."""
        price = self.price_points
        if not price or self.percent or self.source != "table":
            return False
        if self.stated_total is not None and abs(self.stated_total - self.total) < 1e-6:
            return False
        return abs(self.total - price - 100) < 1e-6

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "lot": self.lot, "table": self.table, "total": self.total,
                "stated_total": self.stated_total, "price_points": self.price_points,
                "price_weight": self.price_weight, "items": [i.as_json() for i in self.items]}


def classify(name: str, group_label: str = "") -> str:
    """price / technical / commercial / other, from the item's name, else the label it sits under."""
    if name and PRICE_NAME.search(name) and not NOT_PRICE.search(name):
        return "price"
    if group_label and PRICE_NAME.search(group_label) and not NOT_PRICE.search(group_label) \
            and not re.search(r"技术|商务", group_label):
        return "price"
    for text in (group_label, name):
        if not text:
            continue
        if COMMERCIAL.search(text) and not re.search(r"技术", text):
            return "commercial"
        if TECHNICAL.search(text):
            return "technical"
    return "other"


def loc_of(doc: Document, block: Block) -> Location:
    return Location.of(doc, block, 0, len(block.text))


def clean_name(text: str) -> str:
    text = re.sub(r"^\s*[\d一二三四五六七八九十]+\s*[、.．)]\s*", "", text.strip())
    return text[:40]


def lot_of(text: str) -> str | None:
    m = LOT_LABEL.search(text)
    if not m:
        return None
    from .normalize import chinese_to_int

    raw = m.group("n") or m.group("m")
    if raw.isdigit():
        return str(int(raw))
    value = chinese_to_int(raw)
    return str(value) if value is not None else raw
