"""The day the notice (招标公告 / 投标邀请 / 比选公告…) was published, when no field names it: the date
the notice is signed with, or a date glossed as the publication day."""
from __future__ import annotations

import re

from .model import Block, Document
from .numbers import iter_dates

NOTICE = re.compile(r"(?:招标|采购|比选|询比|询价|磋商|谈判|资格预审)公告|投标邀请|邀请书|邀请函")
_NOTICE_TITLE = re.compile(r"^(?:第[一二三四五六七八九十\d]+[章部分]+\s*)?" + NOTICE.pattern + r"$")
_DATE_LINE = re.compile(r"^(?:(?:发布|公告)?日期\s*:?\s*)?(?P<d>.{8,16}日)$")
# "不得早于2020年11月11日(招标公告发布之日)": a date the text itself calls the publication day
_GLOSSED = re.compile(r"\(\s*(?:即)?(?:本)?(?:招标|采购)?公告(?:的)?发布(?:之日|日期|日|时间)\s*\)")


def _only_date(b: Block):
    m = _DATE_LINE.match(b.norm) if b.table is None and len(b.norm) <= 24 else None
    if not m:
        return None
    dates = list(iter_dates(m.group("d")))
    return dates[0] if len(dates) == 1 and dates[0].end == len(m.group("d")) else None


def _in_notice(doc: Document, b: Block) -> bool:
    if b.section and NOTICE.search(b.section[0]):
        return True
    return any(_NOTICE_TITLE.match(p.norm) for p in doc.blocks[max(0, b.index - 3):b.index])


def signature_date(doc: Document) -> tuple[Block, str] | None:
    """The last date-only line ("2026年5月28日", "日期：…") of the first notice: its signature."""
    found = None
    for b in doc.blocks:
        if found is not None and b.kind == "heading" and (b.level or 9) <= 1:
            break  # the next chapter: the notice is over
        d = _only_date(b)
        if d is not None and _in_notice(doc, b):
            found = (b, d.value.isoformat())
    return found


def glossed_date(doc: Document) -> tuple[Block, int, int, str] | None:
    """A date followed by "(招标公告发布之日)"."""
    for b in doc.blocks:
        if "发布" not in b.norm:
            continue
        for m in _GLOSSED.finditer(b.norm):
            before = [d for d in iter_dates(b.norm[max(0, m.start() - 16):m.start()])
                      if d.end == min(16, m.start())]
            if before:
                start = max(0, m.start() - 16) + before[-1].start
                return b, start, m.start(), before[-1].value.isoformat()
    return None
