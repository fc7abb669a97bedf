"""Scoring schemes stated in prose: item lists in a sentence, sibling headings, part titles as table
rows, stated weights, sums, one item per line, and a lone price heading beside a table."""
from __future__ import annotations

import re
from dataclasses import replace

from .model import Block, Document, Location
from .scoring_model import (LAW_TALK, PRICE_NAME, SCORING_CONTEXT, STATED_TOTAL, ScoreItem, ScoringTable, classify,
                            loc_of, lot_of)

_PROSE_ITEM = re.compile(r"^(?P<name>[\u4e00-\u9fa5A-Za-z]{1,12}?)(?:分值|分数|得分|评分|分|部分)?(?:共|合计)?(?:为|占|:)?\s*"
                         r"(?P<pts>\d+(?:\.\d+)?)\s*(?P<u>分|%)$")


# a price formula's steps, "每高于基准价1%扣0.6分", are no list of scored items
_STEP_FORMULA = re.compile(r"每[^,。;]{0,10}(?:高|低|增|减|上浮|下浮|偏离)[^。;]{0,12}(?:扣|加|减|得)\s*\d")


def prose_schemes(doc: Document) -> list[ScoringTable]:
    out = []
    for b in doc.blocks:
        if not b.norm or not re.search(r"分|%", b.norm):
            continue
        for sent in re.finditer(r"[^。;\n]+", b.norm):
            text = sent.group()
            if LAW_TALK.search(text) or _STEP_FORMULA.search(text):
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


def heading_schemes(doc: Document) -> list[ScoringTable]:
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
            loc = loc_of(doc, h)
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


def title_row_schemes(doc: Document) -> list[ScoringTable]:
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
        items = tuple(ScoreItem(m.group("name"), float(m.group("n")), classify(m.group("name")), loc_of(doc, b),
                                loc_of(doc, b)) for b, m in parts)
        if len(items) >= 2 and any(i.group == "price" for i in items) and sum(i.points for i in items) == 100:
            out.append(ScoringTable(items, None, "prose", items[0].cell, lot_of(section[-1])))
    return out


_WEIGHT_ITEM = re.compile(r"(?P<name>[\u4e00-\u9fa5]{2,8}?)(?:评标|评分|评审|得分)?(?:权重|权值)\s*(?:为|:)?\s*"
                          r"(?P<pts>\d+(?:\.\d+)?)\s*%")
# the weight in brackets after the part: "价格部分(占总分权重40%)"
_WEIGHT_PAREN = re.compile(r"(?P<name>[\u4e00-\u9fa5]{2,8}?)(?:部分|分)?\s*\((?:占)?(?:总分值?|综合得分)?(?:的)?"
                           r"(?:权重|权值|比重)\s*(?:为|:)?\s*(?P<pts>\d+(?:\.\d+)?)\s*%\)")
_LINE_ITEM = re.compile(r"^(?:[\d.()（）]+\s*)?(?P<name>[\u4e00-\u9fa5]{2,10}?)(?:部分)?\s*(?::|为)\s*(?P<pts>\d+(?:\.\d+)?)\s*分$")


def weight_schemes(doc: Document) -> list[ScoringTable]:
    """Stated weights (F×A form): "技术评标权重:40% 价格评标权重:60%" — the price share as written."""
    out = []
    for b in doc.blocks:
        if "权" not in b.norm or LAW_TALK.search(b.norm):
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


def sum_schemes(doc: Document) -> list[ScoringTable]:
    """The scheme written as a sum: "总得分[100分]=价格评分(报价)[60分]+综合评分(方案)[40分]"."""
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


def line_schemes(doc: Document) -> list[ScoringTable]:
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
        loc = loc_of(doc, b)
        run.append(ScoreItem(m.group("name"), float(m.group("pts")), classify(m.group("name")), loc, loc))
        last = b.index
    if run:
        out.append(run)
    return [ScoringTable(tuple(r), None, "prose", r[0].cell) for r in out
            if len(r) >= 2 and any(i.group == "price" for i in r)]


_PACKED_PAIR = re.compile(r"(?P<name>[\u4e00-\u9fa5]{2,10}?)\s*(?::|为)\s*(?P<pts>\d+(?:\.\d+)?)\s*分\s*[,、;]?\s*")


def packed_schemes(doc: Document) -> list[ScoringTable]:
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


def price_headings(doc: Document) -> list[ScoringTable]:
    """A lone price heading under a scoring chapter, "(一)价格分(30分)", whose other items sit in a table."""
    out = []
    for b in doc.blocks:
        if b.table is not None or len(b.norm) > 30 or not b.section \
                or not SCORING_CONTEXT.search(" ".join(b.section)):
            continue
        m = _HEADING_ITEM.match(b.norm)
        if m and classify(m.group("name")) == "price":
            loc = loc_of(doc, b)
            out.append(ScoringTable((ScoreItem(m.group("name"), float(m.group("n")), "price", loc, loc),),
                                    None, "prose", loc, lot_of(b.section[-1])))
    return out
