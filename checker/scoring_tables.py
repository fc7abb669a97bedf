"""Scoring schemes read from document tables: header-located points columns, merged item cells, tables
split over pages, points written inside item cells."""
from __future__ import annotations

import re

from .model import Block, Document, Location, Table
from .numbers import parse_points
from .scoring_model import (NAME_POINTS, SCORING_CONTEXT, STATED_TOTAL, ScoreItem, ScoringTable, classify,
                            clean_name, loc_of, lot_of)

HEADER_POINTS = re.compile(r"分值|分数|满分|最高分|标准分|权重|权值|分值区间|分值范围|^分$|^得分$|评分值|^分值\(分\)$")
HEADER_NAME = re.compile(r"评分项|评审项|评分因素|评审因素|评审内容|评分内容|评分项目|评审项目|评审因子|因素|^项目$|^内容$|指标|名称")
HEADER_GROUP = re.compile(r"类别|类型|部分|分类|评审类|大类")
NOT_SCORING = re.compile(r"考核|验收|绩效|违约|扣款|扣分标准")
TOTAL_ROW = re.compile(r"^(?:合计|总计|总分|总分值|满分|共计|总得分|综合(?:评分|评审|评估)?(?:总)?得分)")
SUBTOTAL_ROW = re.compile(r"^小计")
_FULL_MARKS = re.compile(r"(?:满分|最高)\s*(?:为|:)?\s*\d+(?:\.\d+)?\s*分")
# "标准分值" is the points column (the standard score of the row), not the "评分标准" text column
_STANDARD_POINTS = re.compile(r"标准分值?")


def merged_tables(doc: Document) -> list[list[Table]]:
    """Runs of tables that are one table split across pages: the next table starts right after the
    previous one ends (no paragraph between) and has as many columns, or fewer at a PDF page turn."""
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


def table_scheme(doc: Document, run: list[Table]) -> ScoringTable | None:
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
                    parents.append((name_block.norm, float(m.group("n")), loc_of(doc, name_block)))
                    last_name = None
                else:
                    last_name = name_block
            continue
        if len(pcell.norm) > 24 and len(_FULL_MARKS.findall(pcell.norm)) > 1:
            continue  # a notes cell naming several items' maxima ("满分50分…满分50分") is not a score
        if pcell.norm.rstrip().endswith("%"):
            percent = True
        if TOTAL_ROW.match(row_label) or TOTAL_ROW.match(pcell.norm):
            stated_total, stated_at = pts, loc_of(doc, pcell)
            continue
        if SUBTOTAL_ROW.match(row_label):
            continue
        parent = group_label
        if name_block is not None:
            m = NAME_POINTS.search(name_block.norm)
            if m and float(m.group("n")) > pts and (last_name is None or last_name.index != name_block.index):
                parents.append((name_block.norm, float(m.group("n")), loc_of(doc, name_block)))
            if m and float(m.group("n")) > pts:
                parent = name_block.norm
            last_name = name_block
            name = clean_name(name_block.norm)
            if parent == name_block.norm:
                detail = next((c for c in cells[:pcol] if c is not None and c.norm and c is not name_block
                               and not re.fullmatch(r"[\d.、]+", c.norm)), None)
                name = clean_name(detail.norm) if detail else name
        elif last_name is not None:
            # a sub-row under a merged item cell: its name is a short cell of its own, else the item's;
            # the rule text beside it ("投标(报价)供应商取得…证书的得分") does not name the row
            parent = last_name.norm
            detail = next((c for i, c in enumerate(cells[:pcol]) if c is not None and c.norm and i not in ccols
                           and not re.fullmatch(r"[\d.、]+", c.norm)), None)
            name = clean_name(detail.norm) if detail else clean_name(parent)
        else:
            continue
        group = classify(name, parent if parent else group_label)
        if group_label and classify("", group_label) == "price" and group != "price":
            group = "price"  # "岗位明细报价合理性" under "价格部分(50分)" counts toward the price share
        items.append(ScoreItem(name, pts, group, loc_of(doc, pcell),
                               loc_of(doc, name_block or pcell), clean_name(parent)))
    if len(items) < 2 and not (items and items[0].group == "price"):
        return None  # a lone price row may be the separate 价格评审表 of a split scheme
    if not (SCORING_CONTEXT.search(context + header_text) or any(i.group == "price" for i in items)):
        return None
    if NOT_SCORING.search(" ".join(first_block.section[-2:])) and not any(i.group == "price" for i in items):
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*分", header_text)
    if stated_total is None and m and re.search(r"总分|满分|\(\d+分\)", header_text):
        stated_total, stated_at = float(m.group(1)), loc_of(doc, rows[header_at][0] or first_block)
    if stated_total is None:
        for b in before[:3]:
            sm = STATED_TOTAL.search(b.norm)
            if sm and not b.norm[:sm.start()].endswith("("):  # "价格部分(满分40分)" is one item's maximum
                stated_total = float(sm.group("n") or sm.group("m"))
                stated_at = Location.of(doc, b, *b.to_original(*sm.span()))
                break
    return ScoringTable(tuple(items), stated_total, "table", loc_of(doc, first_block), _lot_near(before, first_block),
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
            items.append(ScoreItem(name, float(m.group("n")), classify(name, group), loc_of(doc, cell),
                                   loc_of(doc, cell), clean_name(group)))
    first_block = next(b for r in rows for b in r if b is not None)
    before = _context_before(doc, first_block.index)
    context = " ".join([*first_block.section, *(b.norm for b in before)])
    if not (SCORING_CONTEXT.search(context) and any(i.group == "price" for i in items)):
        return None
    return ScoringTable(tuple(items), None, "table", loc_of(doc, first_block), _lot_near(before, first_block),
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
