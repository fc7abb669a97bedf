"""Whether a file is a whole tender document or only its announcement (公告) or an extract.

Rules that report something *missing* (no SME deduction rate, no consortium clause …) need the whole
document: an announcement published on its own says where the 招标文件 is to be had, and the terms live
there. A file is taken for an announcement when its opening lines call it a 公告/邀请 and it has none of
the chapters a tender document has (须知, 评审办法, 合同条款, 文件格式).
"""
from __future__ import annotations

import re

from .model import Document

_NOTICE = re.compile(r"公告|投标邀请|采购邀请|邀请书")
_CHAPTERS = re.compile(r"(?:投标人|供应商|响应人|磋商|谈判)须知|评标办法|评审办法|磋商办法|谈判办法|评分标准|评分办法|"
                       r"评审标准|合同(?:主要)?条款|合同文本|(?:投标|响应|磋商|报价)文件(?:的)?(?:组成|格式)")


def is_notice_only(doc: Document) -> bool:
    if not any(_NOTICE.search(b.norm[:60]) for b in doc.blocks[:15]):
        return False
    return not any(_CHAPTERS.search(b.norm[:40]) for b in doc.blocks if b.kind == "heading") and \
        not any(_CHAPTERS.search(" ".join(b.section)) for b in doc.blocks)


# A blank model text (范本) leaves the project's identity unfilled on its cover: 招标编号：xxxx,
# xxxx项目, 采购人：×××公司, 20xx年. Its clauses are the template's wording, not a tender's terms.
_PLACEHOLDER = re.compile(r"[xX×＊*]{3,}|20[xX×]{2}\s*年|[(（]\s*(?:项目名称|采购人名称|招标人名称)\s*[)）]")
_COVER_BLOCKS = 12


def is_blank_template(doc: Document) -> bool:
    """The cover leaves at least two of the project's particulars as placeholders."""
    cover = [b for b in doc.blocks[:_COVER_BLOCKS] if b.table is None]
    return sum(1 for b in cover if _PLACEHOLDER.search(b.norm)) >= 2
