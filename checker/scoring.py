"""Scoring tables (评分标准) from document tables and prose lists: items, points, groups, total, price weight."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from .model import Block, Document, Location, Table
from .numbers import parse_points

PRICE_NAME = re.compile(r"价格|报价|经济标|投标价|商务报价|价格分")
# "报价合理性", "报价构成分析" are judged like any technical item: not the price score
NOT_PRICE = re.compile(r"合理|构成|分析|明细|清单|测算|完整|编制|说明|方案|策略|费用组成")
COMMERCIAL = re.compile(r"商务|业绩|资质|信誉|认证|证书|财务|荣誉|资信|企业|信用|经验|实力|奖项|案例|体系")
TECHNICAL = re.compile(r"技术|方案|服务|人员|实施|质量|培训|应急|措施|设备|参数|性能|计划|管理|响应|售后|配置|需求|保障|产品")
HEADER_POINTS = re.compile(r"分值|分数|满分|最高分|标准分|权重|权值|分值区间|分值范围|^分$|^得分$|评分值|^分值\(分\)$")
HEADER_NAME = re.compile(r"评分项|评审项|评分因素|评审因素|评审内容|评分内容|评分项目|评审项目|评审因子|因素|^项目$|^内容$|指标|名称")
HEADER_GROUP = re.compile(r"类别|类型|部分|分类|评审类|大类")
SCORING_CONTEXT = re.compile(r"评分|评标|评审|打分|综合评|磋商办法|评比|分值")
NOT_SCORING = re.compile(r"考核|验收|绩效|违约|扣款|扣分标准")
TOTAL_ROW = re.compile(r"^(?:合计|总计|总分|总分值|满分|共计|总得分|综合(?:评分|评审|评估)?(?:总)?得分)")
SUBTOTAL_ROW = re.compile(r"^小计")
STATED_TOTAL = re.compile(r"(?:总分|满分|满分值|总分值|总得分|合计)\s*(?:为|是|:)?\s*(?P<n>\d+(?:\.\d+)?)\s*分|(?P<m>\d+)\s*分制")
NAME_POINTS = re.compile(r"[\(（]\s*(?:满分|最高|共|计)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<u>分|%)\s*[\)）]")
LOT_LABEL = re.compile(r"(?:采购包|包件|包组|标段|分标|标包|子包|(?<![分打承外转])包)\s*(?:号|编号)?\s*:?\s*"
                       r"(?P<n>\d{1,2}|[A-Z]|[一二三四五六七八九十]{1,2})(?![\d万元%个人年日天项条款.])"
                       r"|第\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:包|标段|采购包|分标)")
_FULL_MARKS = re.compile(r"(?:满分|最高)\s*(?:为|:)?\s*\d+(?:\.\d+)?\s*分")
# "标准分值" is the points column (the standard score of the row), not the "评分标准" text column
_STANDARD_POINTS = re.compile(r"标准分值?")
_LAW_TALK = re.compile(r"不得低于|不低于|不得高于|不高于|不得超过|应当|原则上|范围内|之间|比重不得|管理办法|第\d+条|规定")


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


def _loc(doc: Document, block: Block) -> Location:
    return Location.of(doc, block, 0, len(block.text))


def _clean_name(text: str) -> str:
    text = re.sub(r"^\s*[\d一二三四五六七八九十]+\s*[、.．)]\s*", "", text.strip())
    return text[:40]


def merged_tables(doc: Document) -> list[list[Table]]:
    """Runs of tables that are one table split across pages: the next table starts right after the
    previous one ends (no paragraph between) and has as many columns."""
    runs: list[list[Table]] = []
    for t in doc.tables:
        first = next((i for row in t.rows for i in row if i is not None), None)
        if runs and first is not None:
            prev = runs[-1][-1]
            last = max((i for row in prev.rows for i in row if i is not None), default=None)
            width = max((len(r) for r in t.rows), default=0)
            pwidth = max((len(r) for r in prev.rows), default=0)
            if last is not None and first == last + 1 and (width == pwidth or _page_turn(doc, last, first, width, pwidth)):
                runs[-1].append(t)
                continue
        runs.append([t])
    return runs


def _page_turn(doc: Document, last: int, first: int, width: int, pwidth: int) -> bool:
    """A PDF table continued on the next page whose columns were found narrower (merged leading
    columns such as 条款号 detected as one): the rows are aligned on their right-hand columns."""
    a, b = doc.blocks[last].page, doc.blocks[first].page
    return a is not None and b == a + 1 and 0 < width < pwidth


def run_rows(doc: Document, run: list[Table]) -> list[tuple[Block | None, ...]]:
    """The rows of a run of tables, each continuation's repeated header dropped and its rows padded on
    the left to the first table's width."""
    rows: list[tuple[Block | None, ...]] = []
    width = 0
    for k, t in enumerate(run):
        grid = doc.table_cells(t)
        if k and grid and rows and _same_header(grid[0], rows[0]):
            grid = grid[1:]
        width = width or max((len(r) for r in grid), default=0)
        rows.extend((None,) * max(0, width - len(r)) + tuple(r) for r in grid)
    return rows


def _context_before(doc: Document, block_index: int, count: int = 4) -> list[Block]:
    out = []
    i = block_index - 1
    while i >= 0 and len(out) < count:
        b = doc.blocks[i]
        if b.table is None and b.norm:
            out.append(b)
        i -= 1
    return out


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


def _table_scheme(doc: Document, run: list[Table]) -> ScoringTable | None:
    rows = run_rows(doc, run)
    if len(rows) < 2:
        return None
    header_at, pcol, ncol, gcol = _find_header(rows)
    if pcol is None:
        return _named_points_scheme(doc, run, rows)
    first_block = next(b for r in rows for b in r if b is not None)
    before = _context_before(doc, first_block.index)
    context = " ".join([*first_block.section, *(b.norm for b in before)])
    header_text = " ".join(b.norm for b in rows[header_at] if b is not None)
    items: list[ScoreItem] = []
    parents: list[tuple[str, float, Location]] = []
    stated_total = None
    stated_at = None
    last_name: Block | None = None  # the named row a following unnamed row continues
    group_label = ""  # a points-less row "一、价格部分(50分)" heading the rows below it
    hp = rows[header_at][pcol]
    percent = bool(hp is not None and re.search(r"权重|权值|%", hp.norm))
    ccols = {i for i, c in enumerate(rows[header_at]) if c is not None
             and re.search(r"标准|办法|细则|说明|要求|规则|内容", _STANDARD_POINTS.sub("", c.norm)) and i != ncol}
    for r in rows[header_at + 1:]:
        cells = list(r) + [None] * (pcol + 1 - len(r))
        pcell, pts = _row_points(cells, pcol)
        name_block = cells[ncol] if ncol < len(cells) and cells[ncol] is not None and cells[ncol].norm \
            and not re.fullmatch(r"[\d.、]+", cells[ncol].norm) else None
        if name_block is None:
            name_block = next((c for i, c in enumerate(cells[:pcol]) if c is not None and c.norm and i not in ccols
                               and len(c.norm) <= 40 and not re.fullmatch(r"[\d.、]+|序号", c.norm)), None)
        row_label = name_block.norm if name_block else ""
        if pts is None:
            if name_block is not None:
                m = NAME_POINTS.search(name_block.norm)
                if m and (re.match(r"^[一二三四五六七八九十]+、|^第", name_block.norm)
                          or re.search(r"部分|标\(", name_block.norm) or len({c for c in cells if c is not None}) == 1):
                    group_label = name_block.norm
                    parents.append((name_block.norm, float(m.group("n")), _loc(doc, name_block)))
                    last_name = None
                else:
                    last_name = name_block
            continue
        if len(pcell.norm) > 24 and len(_FULL_MARKS.findall(pcell.norm)) > 1:
            continue  # a notes cell naming several items' maxima ("满分50分…满分50分") is not a score
        if pcell.norm.rstrip().endswith("%"):
            percent = True
        if TOTAL_ROW.match(row_label) or TOTAL_ROW.match(pcell.norm):
            stated_total, stated_at = pts, _loc(doc, pcell)
            continue
        if SUBTOTAL_ROW.match(row_label):
            continue
        parent = group_label
        if name_block is not None:
            m = NAME_POINTS.search(name_block.norm)
            if m and float(m.group("n")) > pts and (last_name is None or last_name.index != name_block.index):
                parents.append((name_block.norm, float(m.group("n")), _loc(doc, name_block)))
            if m and float(m.group("n")) > pts:
                parent = name_block.norm
            last_name = name_block
            name = _clean_name(name_block.norm)
            if parent == name_block.norm:
                detail = next((c for c in cells[:pcol] if c is not None and c.norm and c is not name_block
                               and not re.fullmatch(r"[\d.、]+", c.norm)), None)
                name = _clean_name(detail.norm) if detail else name
        elif last_name is not None:
            # a sub-row under a merged item cell: its name is a short cell of its own, else the item's;
            # the rule text beside it ("投标(报价)供应商取得…证书的得分") does not name the row
            parent = last_name.norm
            detail = next((c for i, c in enumerate(cells[:pcol]) if c is not None and c.norm and i not in ccols
                           and not re.fullmatch(r"[\d.、]+", c.norm)), None)
            name = _clean_name(detail.norm) if detail else _clean_name(parent)
        else:
            continue
        group = classify(name, parent if parent else group_label)
        if group_label and classify("", group_label) == "price" and group != "price":
            group = "price"  # "岗位明细报价合理性" under "价格部分(50分)" counts toward the price share
        items.append(ScoreItem(name, pts, group, _loc(doc, pcell),
                               _loc(doc, name_block or pcell), _clean_name(parent)))
    if len(items) < 2 and not (items and items[0].group == "price"):
        return None  # a lone price row may be the separate 价格评审表 of a split scheme
    if not (SCORING_CONTEXT.search(context + header_text) or any(i.group == "price" for i in items)):
        return None
    if NOT_SCORING.search(" ".join(first_block.section[-2:])) and not any(i.group == "price" for i in items):
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*分", header_text)
    if stated_total is None and m and re.search(r"总分|满分|\(\d+分\)", header_text):
        stated_total, stated_at = float(m.group(1)), _loc(doc, rows[header_at][0] or first_block)
    if stated_total is None:
        for b in before[:3]:
            sm = STATED_TOTAL.search(b.norm)
            if sm and not b.norm[:sm.start()].endswith("("):  # "价格部分(满分40分)" is one item's maximum
                stated_total = float(sm.group("n") or sm.group("m"))
                stated_at = Location.of(doc, b, *b.to_original(*sm.span()))
                break
    return ScoringTable(tuple(items), stated_total, "table", _loc(doc, first_block), _lot_near(before, first_block),
                        run[0].index, tuple(parents), stated_at, percent)


_BARE_POINTS = re.compile(r"\d+(?:\.\d+)?\s*分?")


def _row_points(cells: list[Block | None], pcol: int) -> tuple[Block | None, float | None]:
    """The row's points cell and value. A row laid out on a shifted grid ("价格部分 | | 报价分 | 40分")
    holds a short name where the points belong and the bare points one cell to the right."""
    pcell = cells[pcol]
    pts = parse_points(pcell.norm) if pcell is not None and pcell.norm else None
    if pts is None and pcell is not None and 0 < len(pcell.norm) <= 12 and not re.search(r"\d", pcell.norm) \
            and pcol + 1 < len(cells) and cells[pcol + 1] is not None \
            and _BARE_POINTS.fullmatch(cells[pcol + 1].norm):
        return cells[pcol + 1], parse_points(cells[pcol + 1].norm)
    return pcell, pts


def _lot_near(before: list[Block], first_block: Block) -> str | None:
    """The lot a table belongs to: named in the lines just above it, else in its headings."""
    for text in [*(b.norm for b in before[:3]), *reversed(first_block.section)]:
        lot = lot_of(text)
        if lot:
            return lot
    return None


_NAMED_POINTS = re.compile(r"^(?:[\d一二三四五六七八九十]+[、.．]\s*)?(?P<name>[^()]{1,30}?)\s*"
                           r"\(\s*(?:满分|最高|共|计)?\s*(?P<n>\d+(?:\.\d+)?)\s*分\s*\)$")


def _named_points_scheme(doc: Document, run: list[Table], rows) -> ScoringTable | None:
    """A table without a points column whose item cells carry their points, "项目报价(30分)", beside
    group cells "价格部分(30分)" on their left: the items are the rightmost column of such cells."""
    cols: dict[int, list[Block]] = {}
    for r in rows:
        for i, c in enumerate(r):
            if c is not None and _NAMED_POINTS.match(c.norm) and c not in cols.get(i, []):
                cols.setdefault(i, []).append(c)
    cols = {k: v for k, v in cols.items() if len(v) >= 2}
    if not cols:
        return None
    icol = max(cols)
    gcol = max((k for k in cols if k < icol), default=None)
    items: list[ScoreItem] = []
    group = ""
    for r in rows:
        cells = {i: c for i, c in enumerate(r) if c is not None}
        if gcol is not None and gcol in cells and _NAMED_POINTS.match(cells[gcol].norm):
            group = cells[gcol].norm
        cell = cells.get(icol)
        m = _NAMED_POINTS.match(cell.norm) if cell is not None else None
        if m and not any(i.cell.block == cell.index for i in items):
            name = m.group("name")
            items.append(ScoreItem(name, float(m.group("n")), classify(name, group), _loc(doc, cell),
                                   _loc(doc, cell), _clean_name(group)))
    first_block = next(b for r in rows for b in r if b is not None)
    before = _context_before(doc, first_block.index)
    context = " ".join([*first_block.section, *(b.norm for b in before)])
    if not (SCORING_CONTEXT.search(context) and any(i.group == "price" for i in items)):
        return None
    return ScoringTable(tuple(items), None, "table", _loc(doc, first_block), _lot_near(before, first_block),
                        run[0].index)


def _same_header(a, b) -> bool:
    ta = [c.norm if c is not None else "" for c in a]
    tb = [c.norm if c is not None else "" for c in b]
    return ta == tb and any(ta)


def _find_header(rows) -> tuple[int, int | None, int, int | None]:
    """Header row index, points column, name column and (optional) group column. The header is one of
    the first rows (a run may open with the tail of the table before it), or further down a long
    前附表 when it names both the points and the items ("评分因素 | 分值")."""
    for h, row in enumerate(rows):
        texts = [c.norm if c is not None else "" for c in row]
        pcol = next((i for i, t in enumerate(texts) if t and len(t) <= 16 and HEADER_POINTS.search(t)
                     and not re.search(r"办法|标准|细则|说明|要求|因素|项目|内容", _STANDARD_POINTS.sub("分值", t))),
                    None)
        if pcol is None:
            continue
        names = [i for i, t in enumerate(texts[:pcol]) if t and HEADER_NAME.search(t)
                 and not HEADER_POINTS.search(t)]
        if h >= 6 and not names:
            continue
        if names:
            ncol = names[0]
        else:
            ncol = next((i for i, t in enumerate(texts[:pcol]) if t and not re.search(r"序号|编号|^No", t)), 0)
        gcol = next((i for i, t in enumerate(texts[:ncol]) if t and HEADER_GROUP.search(t)), None)
        return h, pcol, ncol, gcol
    # no header: a two-or-more column table whose cells read "报价 | 10分"
    return 0, None, 0, None


_PROSE_ITEM = re.compile(r"^(?P<name>[\u4e00-\u9fa5A-Za-z]{1,12}?)(?:分值|分数|得分|评分|分|部分)?(?:共|合计)?(?:为|占|:)?\s*"
                         r"(?P<pts>\d+(?:\.\d+)?)\s*(?P<u>分|%)$")


# a price formula's steps, "每高于基准价1%扣0.6分", are no list of scored items
_STEP_FORMULA = re.compile(r"每[^,。;]{0,10}(?:高|低|增|减|上浮|下浮|偏离)[^。;]{0,12}(?:扣|加|减|得)\s*\d")


def _prose_schemes(doc: Document) -> list[ScoringTable]:
    out = []
    for b in doc.blocks:
        if not b.norm or not re.search(r"分|%", b.norm):
            continue
        for sent in re.finditer(r"[^。;\n]+", b.norm):
            text = sent.group()
            if _LAW_TALK.search(text) or _STEP_FORMULA.search(text):
                continue
            if not PRICE_NAME.search(text):
                continue
            items = []
            units = set()
            stated = None
            # a clause keeps a word in brackets, "技术(服务)部分30分", but not "(30分)"
            for clause in re.finditer(r"(?:[^,、;:()]|\([^()\d]{1,6}\))+", text):
                c = re.sub(r"\([^()\d]{1,6}\)", "", clause.group().strip())
                c = re.sub(r"^(?:其中|即|评分构成|分值构成|评分标准|包括)", "", c)
                tm = re.fullmatch(r"(?:本项目|本次评审|项目)?(?:总分|满分|满分值|总分值)(?:设置|设定|设为|为|是)?(\d+(?:\.\d+)?)分", c)
                if tm:
                    stated = float(tm.group(1))
                    continue
                m = _PROSE_ITEM.match(c)
                if not m:
                    continue
                name = m.group("name")
                units.add(m.group("u"))
                s, e = sent.start() + clause.start(), sent.start() + clause.end()
                loc = Location.of(doc, b, *b.to_original(s, e))
                items.append(ScoreItem(name, float(m.group("pts")), classify(name), loc, loc))
            prices = [i for i in items if i.group == "price"]
            if not prices:
                continue
            if len(items) >= 2 or stated:
                loc = Location.of(doc, b, *b.to_original(sent.start(), sent.end()))
                if len(items) == 1 and stated:
                    # "价格分30分(满分100分)": the rest is the other items we do not see
                    rest = ScoreItem("其他评分项", stated - items[0].points, "other", loc, loc)
                    items.append(rest)
                out.append(ScoringTable(tuple(items), stated, "prose", loc, lot_of(" ".join(b.section[-1:])),
                                        percent="%" in units))
    return out


_HEADING_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.、)]|\(\d{1,2}\)|[(（][一二三四五六七八九十]+[)）])?\s*"
                           r"(?P<name>[^()]{1,24}?)\s*\((?:满分)?(?P<n>\d+(?:\.\d+)?)\s*分\)$")


def _price_part(doc: Document, head: Block, points: float) -> bool:
    """A part titled otherwise ("(二)商务评分(60分)") whose text gives all its points to the price:
    "商务报价满分为60分"."""
    for b in doc.blocks[head.index + 1:head.index + 12]:
        if b.kind == "heading" and (b.level or 9) <= (head.level or 9):
            return False
        m = re.search(r"(?:报价|价格)(?:分|得分)?(?:满分|最高分|最高得分)(?:为)?\s*(\d+(?:\.\d+)?)\s*分", b.norm)
        if m and float(m.group(1)) == points:
            return True
    return False


def _heading_schemes(doc: Document) -> list[ScoringTable]:
    """Sibling headings "一、投标报价(35分)", "二、技术方案(35分)" under a scoring chapter."""
    groups: dict[tuple[str, ...], list[Block]] = {}
    for b in doc.blocks:
        if b.kind == "heading" and b.section and SCORING_CONTEXT.search(" ".join(b.section)) \
                and _HEADING_ITEM.match(b.norm):
            groups.setdefault(b.section, []).append(b)
    out = []
    for section, heads in groups.items():
        items = []
        for h in heads:
            m = _HEADING_ITEM.match(h.norm)
            loc = _loc(doc, h)
            items.append(ScoreItem(m.group("name"), float(m.group("n")), classify(m.group("name")), loc, loc))
        if not any(i.group == "price" for i in items):
            items = [replace(i, group="price") if _price_part(doc, h, i.points) else i for h, i in zip(heads, items)]
        if len(items) < 2 or not any(i.group == "price" for i in items):
            continue
        sm = STATED_TOTAL.search(section[-1])
        stated = float(sm.group("n") or sm.group("m")) if sm else None
        out.append(ScoringTable(tuple(items), stated, "prose", items[0].cell, lot_of(section[-1])))
    return out


_TITLE_ROW = re.compile(r"^(?P<k>[一二三四五六七八九十]+)、\s*(?P<name>[^()]{1,16}?)\s*\((?:满分)?(?P<n>\d+(?:\.\d+)?)\s*分\)$")


def _scoring_key(section: tuple[str, ...]) -> tuple[str, ...] | None:
    """The section up to its deepest scoring heading ("二、评分标准"): stray headings below it do not count."""
    at = [i for i, s in enumerate(section) if SCORING_CONTEXT.search(s)]
    return section[:at[-1] + 1] if at else None


def _title_row_schemes(doc: Document) -> list[ScoringTable]:
    """Part titles written as full-width table rows, "一、价格分(10分)" … "三、商务部分(10分)", each heading
    its own table (a scheme broken across pages and tables): the parts make the scheme when they are
    numbered 一、二、三… in order and add up to 100."""
    from .normalize import chinese_to_int

    groups: dict[tuple[str, ...], list[tuple[Block, re.Match]]] = {}
    for b in doc.blocks:
        if b.table is None or not (m := _TITLE_ROW.match(b.norm)):
            continue
        row = doc.tables[b.table].rows[b.row]
        key = _scoring_key(b.section)
        if key is not None and len({i for i in row if i is not None}) == 1:
            groups.setdefault(key, []).append((b, m))
    out = []
    for section, parts in groups.items():
        if [chinese_to_int(m.group("k")) for _, m in parts] != list(range(1, len(parts) + 1)):
            continue
        items = tuple(ScoreItem(m.group("name"), float(m.group("n")), classify(m.group("name")), _loc(doc, b),
                                _loc(doc, b)) for b, m in parts)
        if len(items) >= 2 and any(i.group == "price" for i in items) and sum(i.points for i in items) == 100:
            out.append(ScoringTable(items, None, "prose", items[0].cell, lot_of(section[-1])))
    return out


_WEIGHT_ITEM = re.compile(r"(?P<name>[\u4e00-\u9fa5]{2,8}?)(?:评标|评分|评审|得分)?(?:权重|权值)\s*(?:为|:)?\s*"
                          r"(?P<pts>\d+(?:\.\d+)?)\s*%")
# the weight in brackets after the part: "价格部分(占总分权重40%)"
_WEIGHT_PAREN = re.compile(r"(?P<name>[\u4e00-\u9fa5]{2,8}?)(?:部分|分)?\s*\((?:占)?(?:总分值?|综合得分)?(?:的)?"
                           r"(?:权重|权值|比重)\s*(?:为|:)?\s*(?P<pts>\d+(?:\.\d+)?)\s*%\)")
_LINE_ITEM = re.compile(r"^(?:[\d.()（）]+\s*)?(?P<name>[\u4e00-\u9fa5]{2,10}?)(?:部分)?\s*(?::|为)\s*(?P<pts>\d+(?:\.\d+)?)\s*分$")


def _weight_schemes(doc: Document) -> list[ScoringTable]:
    """Stated weights (F×A form): "技术评标权重:40% 价格评标权重:60%" — the price share as written."""
    out = []
    for b in doc.blocks:
        if "权" not in b.norm or _LAW_TALK.search(b.norm):
            continue
        for rx in (_WEIGHT_ITEM, _WEIGHT_PAREN):
            items = []
            for m in rx.finditer(b.norm):
                loc = Location.of(doc, b, *b.to_original(*m.span()))
                items.append(ScoreItem(m.group("name"), float(m.group("pts")), classify(m.group("name")), loc, loc))
            if len(items) >= 2 and any(i.group == "price" for i in items) \
                    and abs(sum(i.points for i in items) - 100) < 1e-6:
                out.append(ScoringTable(tuple(items), 100.0, "weights", items[0].cell,
                                        lot_of(" ".join(b.section[-1:])), percent=True))
                break
    return out


_SUM_LINE = re.compile(r"(?P<lhs>[^=。;]{1,24}?)\s*=\s*(?P<rhs>[^=。;]+)")
_SUM_TERM = re.compile(r"^\s*(?P<name>[^\d+]{1,20}?)\s*(?:[\[(]\s*(?P<n>\d+(?:\.\d+)?)\s*分\s*[\])]|(?P<m>\d+(?:\.\d+)?)\s*分)"
                       r"\s*[,，]?\s*$")


def _sum_schemes(doc: Document) -> list[ScoringTable]:
    """The scheme written as a sum: "综合评分[100分]=商务评分(报价)[70分]+商务评分(现场)[30分]"."""
    out = []
    for b in doc.blocks:
        if b.table is not None or "=" not in b.norm or "分" not in b.norm:
            continue
        for m in _SUM_LINE.finditer(b.norm):
            terms = [_SUM_TERM.match(t) for t in re.split(r"[+＋]", m.group("rhs"))]
            if len(terms) < 2 or not all(terms):
                continue
            loc = Location.of(doc, b, *b.to_original(*m.span()))
            items = tuple(ScoreItem(t.group("name"), float(t.group("n") or t.group("m")), classify(t.group("name")),
                                    loc, loc) for t in terms)
            sm = re.search(r"(\d+(?:\.\d+)?)\s*分", m.group("lhs"))
            stated = float(sm.group(1)) if sm else None
            if any(i.group == "price" for i in items) and sum(i.points for i in items) == (stated or 100):
                out.append(ScoringTable(items, stated, "prose", loc, lot_of(" ".join(b.section[-1:]))))
    return out


def _line_schemes(doc: Document) -> list[ScoringTable]:
    """One item per line, a few lines apart: "技术文件：10分" … "报价文件：80分"."""
    out, run, last = [], [], -10
    for b in doc.blocks:
        if b.table is not None or not b.norm:
            continue
        m = _LINE_ITEM.match(b.norm)
        if not m:
            continue
        if b.index - last > 6 and run:
            out.append(run)
            run = []
        loc = _loc(doc, b)
        run.append(ScoreItem(m.group("name"), float(m.group("pts")), classify(m.group("name")), loc, loc))
        last = b.index
    if run:
        out.append(run)
    return [ScoringTable(tuple(r), None, "prose", r[0].cell) for r in out
            if len(r) >= 2 and any(i.group == "price" for i in r)]


_PACKED_PAIR = re.compile(r"(?P<name>[\u4e00-\u9fa5]{2,10}?)\s*(?::|为)\s*(?P<pts>\d+(?:\.\d+)?)\s*分\s*[,、;]?\s*")


def _packed_schemes(doc: Document) -> list[ScoringTable]:
    """Line-per-item lists whose line breaks were lost (a PDF cell): "技术文件:10分报价文件:5分" — the
    block holds nothing but such pairs."""
    out = []
    for b in doc.blocks:
        pairs = list(_PACKED_PAIR.finditer(b.norm)) if "分" in b.norm else []
        if len(pairs) < 2 or "".join(m.group() for m in pairs) != b.norm:
            continue
        items = tuple(ScoreItem(m.group("name"), float(m.group("pts")), classify(m.group("name")),
                                Location.of(doc, b, *b.to_original(*m.span())),
                                Location.of(doc, b, *b.to_original(*m.span()))) for m in pairs)
        if any(i.group == "price" for i in items):
            out.append(ScoringTable(items, None, "prose", items[0].cell, lot_of(" ".join(b.section[-1:]))))
    return out


def _price_headings(doc: Document) -> list[ScoringTable]:
    """A lone price heading under a scoring chapter, "(一)价格分(30分)", whose other items sit in a table."""
    out = []
    for b in doc.blocks:
        if b.table is not None or len(b.norm) > 30 or not b.section \
                or not SCORING_CONTEXT.search(" ".join(b.section)):
            continue
        m = _HEADING_ITEM.match(b.norm)
        if m and classify(m.group("name")) == "price":
            loc = _loc(doc, b)
            out.append(ScoringTable((ScoreItem(m.group("name"), float(m.group("n")), "price", loc, loc),),
                                    None, "prose", loc, lot_of(b.section[-1])))
    return out


def _chapter(doc: Document, s: ScoringTable) -> str:
    section = doc.blocks[s.anchor.block].section
    return section[0] if section else ""


def _join_split(doc: Document, tables: list[ScoringTable]) -> list[ScoringTable]:
    """A scheme split into separate tables (《服务评审表》《商务评审表》《价格评审表》, or a 价格分 heading
    beside a table of the other items): join the price piece with the price-less tables of its chapter
    when together they make exactly 100 — otherwise leave them apart rather than guess."""
    pieces = [t for t in tables if t.items and all(i.group == "price" for i in t.items)]
    if not any(len(t.items) >= 2 for t in tables if t.price_items):
        pieces += _price_headings(doc)
    used: set[int] = set()
    joined: list[ScoringTable] = []
    for piece in pieces:
        if id(piece) in used:
            continue
        others = [t for t in tables if not t.price_items and id(t) not in used and t.lot == piece.lot
                  and _chapter(doc, t) == _chapter(doc, piece)]
        nearest = sorted(others, key=lambda t: abs(t.anchor.block - piece.anchor.block))[:1]
        for group in (others, nearest):
            if group and abs(sum(t.total for t in group) + piece.total - 100) < 1e-6:
                parts = sorted([*group, piece], key=lambda t: t.anchor.block)
                first = next(t for t in parts if t.table is not None)
                joined.append(ScoringTable(tuple(i for t in parts for i in t.items), None, "table", parts[0].anchor,
                                           piece.lot, first.table, tuple(p for t in parts for p in t.parents)))
                used.update(id(t) for t in parts)
                break
    kept = [t for t in tables if id(t) not in used and len(t.items) >= 2]  # a lone price row is no scheme
    return kept + joined


def extract_scoring(doc: Document) -> list[ScoringTable]:
    """Every scoring scheme in reading order: tables first where they exist, prose lists besides."""
    tables = _join_split(doc, [s for run in merged_tables(doc) if (s := _table_scheme(doc, run)) is not None])
    prose = _prose_schemes(doc) + _heading_schemes(doc) + _line_schemes(doc) + _weight_schemes(doc) \
        + _title_row_schemes(doc) + _sum_schemes(doc) + _packed_schemes(doc)
    seen_lots = {t.lot for t in tables if t.price_items and not t.sub_scale}
    prose = [p for p in prose if not tables or p.lot not in seen_lots]
    return sorted(tables + prose, key=lambda s: s.anchor.block)


def primary(schemes: list[ScoringTable], lot: str | None = None) -> ScoringTable | None:
    """The scheme a fact reports: the first with a price row (for a lot when asked)."""
    pool = [s for s in schemes if lot is None or s.lot == lot]
    # a scheme whose rows are no single scale gives no share: another statement of the scheme may
    ranked = [s for s in pool if not s.sub_scale] + [s for s in pool if s.sub_scale]
    for source in ("weights", "table"):  # stated weights (F×A) win over the sub-scores they weight
        for s in ranked:
            if s.price_items and s.source == source and not s.sub_scale:
                return s
    for s in ranked:
        if s.price_items:
            return s
    return None
