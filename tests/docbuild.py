"""Builds small .docx test documents with python-docx (headings, paragraphs, tables)."""
from __future__ import annotations

from pathlib import Path


def make_docx(path: Path, parts) -> Path:
    """parts: ("h1"|"h2"|"p", text) or ("table", [[cell, ...], ...])."""
    import docx

    d = docx.Document()
    for kind, content in parts:
        if kind == "table":
            t = d.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, text in enumerate(row):
                    t.cell(r, c).text = text
        elif kind.startswith("h"):
            d.add_heading(content, level=int(kind[1:]))
        else:
            d.add_paragraph(content)
    d.save(str(path))
    return path


SAMPLE = [
    ("h1", "第一章 招标公告"),
    ("p", "项目名称：某单位办公设备采购项目"),
    ("p", "预算金额：300万元"),
    ("h1", "第二章 投标人须知"),
    ("h2", "二、资格要求"),
    ("p", "投标人注册资本不少于人民币1000万元（以营业执照为准）。"),
    ("p", "采购人不得将注册资本、资产总额作为资格要求。"),
    ("table", [["条款", "内容"], ["投标保证金", "投标保证金：人民币8万元"]]),
]
