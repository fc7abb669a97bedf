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


def test_heading_style_on_a_whole_clause_is_body_text():
    from checker.ingest.builder import DocumentBuilder

    b = DocumentBuilder("<t>", "docx")
    b.paragraph("第二章 投标人须知", style_level=1)
    clause = ("2.7投标人须按规定格式提供信誉声明；根据招标人发布的供应商管理办法，不接受列入招标人所属集团"
              "禁入名单的投标人在禁入期内参与本次投标，也不接受其在禁入期内设立的其他法人参与本次投标。")
    b.paragraph(clause, style_level=2)
    b.paragraph("2.8 投标保证金", style_level=2)
    kinds = [(blk.kind, blk.section) for blk in b.blocks]
    assert kinds[1] == ("paragraph", ("第二章 投标人须知",))
    assert kinds[2][0] == "heading"


def test_heading_style_on_a_short_sentence_of_two_clauses_is_body_text():
    from checker.ingest.builder import DocumentBuilder

    b = DocumentBuilder("<t>", "docx")
    b.paragraph("投标人出具承诺书，承诺内容须满足上述要求。", style_level=3)
    b.paragraph("三、评标办法", style_level=1)
    assert [blk.kind for blk in b.blocks] == ["paragraph", "heading"]
