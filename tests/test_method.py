"""Procurement method: fields and their synonyms, the document's own title, a published 招标公告."""
from __future__ import annotations

from checker.facts import extract_facts
from checker.ingest.text import parse_text


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md"))


def test_synonym_in_the_method_field():
    assert _facts("某商场门头标识制作项目\n招标方式：邀约招标\n").get("method") == "邀请招标"


def test_tender_notice_means_an_open_tender():
    f = _facts("某镇道路改造项目\n招标文件\n# 第一章 招标公告\n某镇道路改造项目招标公告\n## 1.招标条件\n本项目已具备招标条件。\n")
    assert f.get("method") == "公开招标"


def test_a_method_word_in_a_penalty_table_does_not_beat_the_notice():
    f = _facts("""某公司安全服务采购项目
# 招标公告
某代理公司受某公司委托，就本项目组织招标。
# 第二章 须知前附表
| 序号 | 行为 | 处罚 |
| 1 | 递交竞争性谈判文件后无故撤回的 | 限制准入1年 |
""")
    assert f.get("method") == "公开招标"


def test_invitation_notices_are_no_open_tender():
    assert _facts("# 第一章 投标邀请书\n现邀请合格投标人参加投标。\n").get("method") is None
    assert _facts("# 第一章 邀请招标公告\n现邀请以下单位参加投标。\n").get("method") == "邀请招标"
