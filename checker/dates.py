"""Dates of the procedure read into a facts reader: the notice's publication day, the period the documents
are offered, the bid deadline, the 资格预审 and 单一来源 公示 periods."""
from __future__ import annotations

import re

from .fields import Field
from .model import Block, Document
from .numbers import iter_dates

_L_ANNOUNCE = re.compile(r"(?:公告|发布|发出)(?:日期|时间)|公告发布|发布日期|公告时间")
_L_ISSUE = re.compile(r"获取(?:招标|采购|磋商|谈判|询价)?文件|获取询价通知书|(?:招标|采购|磋商)文件(?:的)?(?:获取|发售|提供)|文件发售")
_L_DEADLINE = re.compile(r"截止时间|截止日期|开标时间")
_DEADLINE_CTX = re.compile(r"(?:投标|响应|递交|提交|首次响应)[^。;]{0,12}截止|开标时间")


def _first_date(f: Field):
    for d in iter_dates(f.value[:80]):
        return d.value.isoformat()
    return None


# the period's own label under that heading: "时间", "3.1获取时间期限", "(1)发售日期"
_L_PERIOD = re.compile(r"(?:[\d.]+|[(（]\d+[)）]|[一二三四五六七八九十]+、)?\s*(?:获取|提供|发售)?(?:时间|期限|日期){1,2}")


def _issue_period(r) -> None:
    for f in r.fields:
        # "三、获取招标文件" then "时间：2025年6月24日至…": the heading names the period
        under_issue = bool(_L_PERIOD.fullmatch(f.label)) and bool(
            f.block.section and _L_ISSUE.search(f.block.section[-1]))
        if not (_L_ISSUE.search(f.label) or _L_ISSUE.search(f.value[:30]) or under_issue):
            continue
        dates = list(iter_dates(f.value[:160]))
        span = (f.block, f.start, f.start + len(f.value))
        if dates and "截止" in f.label + f.value[:12] and len(dates) == 1:
            # "获取招标文件截止时间：…" gives the end of the period only
            r.note("issue_end", dates[0].value.isoformat(), *span)
            continue
        if dates:
            r.note("issue_start", dates[0].value.isoformat(), *span)
            if len(dates) > 1:
                r.note("issue_end", dates[1].value.isoformat(), *span)
            return


def _deadline(r) -> None:
    for f in r.fields:
        # "四、提交投标文件截止时间…" then "截止时间：2024年6月3日…": the heading says whose deadline it is
        under_deadline = bool(re.fullmatch(r"截止(?:时间|日期)", f.label)) and bool(
            f.block.section and _DEADLINE_CTX.search(f.block.section[-1])
            and not re.search(r"质疑|澄清|提问|获取|保证金|资格预审", f.block.section[-1]))
        if (_L_DEADLINE.search(f.label) and _DEADLINE_CTX.search(f.label + f.value[:10])) or under_deadline or \
                (_DEADLINE_CTX.search(f.label) and not re.search(r"质疑|澄清|提问|获取|保证金", f.label)):
            d = _first_date(f)
            if d:
                r.note("deadline", d, f.block, f.start, f.start + len(f.value))
                return


def read_dates(r) -> None:
    """Every date fact; the announce date falls back to the glossed or signature date, then the issue start."""
    v = r.values
    r.field_value("announce_date", _L_ANNOUNCE, _first_date, re.compile(r"中标|成交|结果|更正|澄清"))
    _issue_period(r)
    _deadline(r)
    _periods_other(r)
    _notice_date(r)
    if v["announce_date"] is None and v.get("issue_start"):
        # the documents are offered from the day the notice is published (87号令 第18条)
        v["announce_date"] = v["issue_start"]
        r.evidence["announce_date"] = r.evidence["issue_start"]
        v["announce_date_from"] = "issue_start"


def _notice_date(r) -> None:
    """No 公告发布日期 field: a date the text calls the publication day, else the notice's signature date."""
    if r.values["announce_date"] is not None:
        return
    glossed = glossed_date(r.doc)
    if glossed:
        block, start, end, value = glossed
        r.note("announce_date", value, block, start, end)
        r.values["announce_date_from"] = "glossed"
        return
    signed = signature_date(r.doc)
    if signed:
        r.note("announce_date", signed[1], signed[0])
        r.values["announce_date_from"] = "signature"


_L_PREQUAL_ISSUE = re.compile(r"(?:获取|发售|出售|领取|下载)资格预审文件|资格预审文件(?:的)?(?:获取|发售|出售|提供|领取)")
_L_PREQUAL_DEADLINE = re.compile(r"资格预审申请文件[^。;]{0,10}截止|资格预审[^。;]{0,6}(?:递交|提交)[^。;]{0,8}截止")
_L_PUBLICITY = re.compile(r"^(?:单一来源)?[^。;]{0,10}公示(?:期|期限|时间|日期)")
_NOT_PUBLICITY = re.compile(r"中标|成交|候选人|结果|评标|资格审查")


def _periods_other(r) -> None:
    """Dates of the periods besides the bidding one: the 资格预审 documents and application deadline,
    and a 单一来源 公示 period (e.g. 公示期限：2025年3月3日至2025年3月7日)."""
    for f in r.fields:
        if _L_PREQUAL_ISSUE.search(f.label) or _L_PREQUAL_ISSUE.search(f.value[:30]):
            dates = list(iter_dates(f.value[:160]))
            if dates and not _L_PREQUAL_DEADLINE.search(f.label + f.value[:20]):
                r.note("prequal_issue_start", dates[0].value.isoformat(), f.block, f.start, f.start + len(f.value))
                if len(dates) > 1:
                    r.note("prequal_issue_end", dates[1].value.isoformat(), f.block, f.start, f.start + len(f.value))
                break
    for f in r.fields:
        if _L_PREQUAL_DEADLINE.search(f.label) or (re.search(r"截止", f.label) and _L_PREQUAL_DEADLINE.search(f.value[:20])):
            d = _first_date(f)
            if d:
                r.note("prequal_deadline", d, f.block, f.start, f.start + len(f.value))
                break
    for f in r.fields:
        if _L_PUBLICITY.search(f.label) and not _NOT_PUBLICITY.search(f.label + f.value[:20]):
            dates = list(iter_dates(f.value[:120]))
            if len(dates) >= 2:
                r.note("publicity_start", dates[0].value.isoformat(), f.block, f.start, f.start + len(f.value))
                r.note("publicity_end", dates[1].value.isoformat(), f.block, f.start, f.start + len(f.value))
                break


NOTICE = re.compile(r"(?:招标|采购|比选|询比|询价|磋商|谈判|资格预审)公告|投标邀请|邀请书|邀请函")
_NOTICE_TITLE = re.compile(r"^(?:第[一二三四五六七八九十\d]+[章部分]+\s*)?" + NOTICE.pattern + r"$")
_DATE_LINE = re.compile(r"^(?:(?:发布|公告)?日期\s*:?\s*)?(?P<d>.{8,16}日)$")
# "…不早于某年某月某日(招标公告发布之日)": a date the text itself calls the publication day
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
    """The last date-only line ("某年某月某日", "日期：…") of the first notice: its signature."""
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
