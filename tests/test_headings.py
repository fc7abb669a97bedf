"""Heading trail from Chinese and decimal numbering, without taking contents lines or clauses as headings."""
from __future__ import annotations

import pytest

from checker.ingest.builder import heading_level
from checker.ingest.text import parse_text


@pytest.mark.parametrize("line,level", [
    ("第一章 招标公告", 1), ("第二节 评标办法", 2), ("一、资格要求", 3), ("（一）一般资格条件", 4),
    ("1. 项目概况", 5), ("1.1 采购内容", 6), ("2.3.4 付款方式", 7),
])
def test_numbered_lines_are_headings(line, level):
    assert heading_level(line) == level


@pytest.mark.parametrize("line", [
    "第一章 招标公告......3", "一、资格要求\t12", "第三章 评标办法  25",   # contents lines
    "1. 投标人须具有独立承担民事责任的能力。",                            # a clause, not a heading
    "一、项目名称：某单位办公设备采购",                                    # a labelled field
])
def test_contents_lines_clauses_and_fields_are_not_headings(line):
    assert heading_level(line) is None


def test_contents_list_does_not_become_the_outline():
    doc = parse_text("目录\n第一章 招标公告......1\n第二章 投标人须知......5\n第一章 招标公告\n正文。\n")
    body = [b for b in doc.blocks if b.text == "正文。"][0]
    assert body.section == ("第一章 招标公告",)


def test_a_list_of_chapter_titles_inside_a_clause_does_not_open_chapters():
    from checker.ingest.text import parse_text

    text = ("# 第二章 投标人须知\n8.1本项目的招标文件由下列部分组成:\n第一章 招标公告\n第二章 投标人须知\n"
            "第三章 评标办法\n9.投标保证金\n未中标投标人的投标保证金将无息退还。\n")
    doc = parse_text(text, "<t>", "md")
    listed = [b for b in doc.blocks if b.norm.startswith("第三章")]
    assert listed[0].kind == "paragraph"
    deposit = [b for b in doc.blocks if "无息" in b.norm][0]
    assert deposit.section[0] == "第二章 投标人须知"
