"""The procurement method (公开招标, 竞争性磋商, 询比…), read into a facts reader."""
from __future__ import annotations

import re

from .fields import Field

METHODS = ("公开招标", "邀请招标", "竞争性磋商", "竞争性谈判", "询价", "单一来源", "框架协议", "询比", "比选", "征询")
# other words documents use for a method: "邀约招标" is an invitation to tender
SYNONYMS = {"邀约招标": "邀请招标"}
METHOD_RE = re.compile("|".join((*METHODS, *SYNONYMS)))
_L_METHOD = re.compile(r"(?:采购|招标|采购组织|采购实施)方式|采购类型")
_ADOPTED = re.compile(r"(?:采用|以|本项目为|进行)(" + METHOD_RE.pattern + r")(?:方式|采购|招标)?")
_NAMED_DOC = re.compile(r"(" + METHOD_RE.pattern + r")(?:文件|公告|采购公告|邀请)")
# a published 招标公告 is the notice of an open tender (招标投标法 第十六条); 邀请招标 sends invitations
_TENDER_NOTICE = re.compile(r"^(?:第[一二三四五六七八九十\d]+[章部分]+\s*)?[^。;:,]{0,40}(?<!邀请)招标公告$")


def _canonical(word: str) -> str:
    return SYNONYMS.get(word, word)


def _field(f: Field):
    m = METHOD_RE.search(f.value[:20])
    return _canonical(m.group()) if m else None


def _titles(r):
    """Headings and the cover's lines: where a document names itself ("竞争性磋商文件", "招标公告")."""
    return [b for b in r.doc.blocks[:400] if b.table is None and (b.kind == "heading" or b.index < 8)]


def _titled(r) -> None:
    for b in _titles(r):
        m = _NAMED_DOC.search(b.norm)
        if m and len(b.norm) <= 60:
            r.note("method", _canonical(m.group(1)), b, *m.span(1))
            return


def _tender_notice(r) -> None:
    for b in _titles(r) + [b for b in r.doc.blocks[:60] if b.table is None]:
        if _TENDER_NOTICE.match(b.norm):
            s = b.norm.index("招标公告")
            r.note("method", "公开招标", b, s, s + 4)
            return


def read_method(r) -> None:
    """The first of: a labelled field, "采用…方式", the document's own title ("竞争性磋商文件"), a 招标公告,
    "…文件/公告" early in the text, any method word early in the text."""
    r.field_value("method", _L_METHOD, _field)
    steps = (lambda r: r.text_search("method", _ADOPTED, 1, _canonical),
             _titled, _tender_notice,
             lambda r: r.text_search("method", _NAMED_DOC, 1, _canonical, limit=200),
             lambda r: r.text_search("method", METHOD_RE, 0, _canonical, limit=400))
    for step in steps:
        if r.values["method"] is not None:
            return
        step(r)
