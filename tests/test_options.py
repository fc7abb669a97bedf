"""Checkbox options: clauses under an unticked option are not the document's text (checker/options.py)."""
from __future__ import annotations

from checker.api import build_engine, scan_text
from checker.ingest.text import parse_text
from checker.options import unselected_blocks

OPTIONS = """# 初步筛查
□对于装饰类项目
按签号顺序随机抽取15家投标人进入详细评审。
☑对于园林类项目
全部通过初步评审的投标人进入详细评审。
"""


def test_unticked_option_and_its_clauses_are_unselected():
    doc = parse_text(OPTIONS, "<t>", "md")
    texts = [doc.blocks[i].norm for i in sorted(unselected_blocks(doc))]
    assert len(texts) == 2 and texts[0].startswith("□") and "随机抽取" in texts[1]


def test_a_blank_form_with_no_box_ticked_is_checked_whole():
    doc = parse_text(OPTIONS.replace("☑", "□"), "<t>", "md")
    assert unselected_blocks(doc) == frozenset()


def test_random_selection_under_the_unticked_option_is_silent():
    engine = build_engine()
    assert "EXC-RANDOM-001" not in [f.rule_id for f in scan_text(OPTIONS, engine=engine)]
    ticked = OPTIONS.replace("□对于装饰", "☑对于装饰").replace("☑对于园林", "□对于园林")
    assert "EXC-RANDOM-001" in [f.rule_id for f in scan_text(ticked, engine=engine)]


NOTICE = """北京某大学图书资料采购项目公开招标公告
# 一、项目基本情况
项目名称：北京某大学图书资料采购项目
本项目为非专门面向中小企业采购的项目。
# 二、获取招标文件
时间：2024年7月5日至2024年7月12日，在电子交易平台下载。
# 三、公告期限
自本公告发布之日起5个工作日。
"""


def test_an_announcement_alone_is_not_judged_for_what_the_tender_document_holds():
    from checker.doc_kind import is_notice_only

    assert is_notice_only(parse_text(NOTICE, "<t>", "md"))
    ids = [f.rule_id for f in scan_text(NOTICE, engine=build_engine())]
    assert "SME-DED-001" not in ids and not any(i.startswith("DOC-") for i in ids)
    whole = NOTICE + "# 第三章 评标办法\n| 评分项 | 分值 |\n| 价格分 | 30 |\n"
    assert not is_notice_only(parse_text(whole, "<t>", "md"))


TEMPLATE_COVER = """采购编号：xxxx-0000
xxxx项目
采购人：×××单位
20xx年5月
# 第一章 资格要求
投标人须在本市注册并设有分支机构。
"""


def test_a_blank_model_text_gets_advice_not_errors():
    from checker.doc_kind import is_blank_template

    assert is_blank_template(parse_text(TEMPLATE_COVER, "<t>", "md"))
    found = scan_text(TEMPLATE_COVER, engine=build_engine())
    assert found and {f.severity for f in found} == {"info"}
    assert all(f.message.startswith("（范本文本") for f in found)
    filled = TEMPLATE_COVER.replace("xxxx-0000", "ZB-2026-018").replace("xxxx项目", "区图书馆改造项目")
    filled = filled.replace("×××单位", "区文化局").replace("20xx", "2026")
    assert not is_blank_template(parse_text(filled, "<t>", "md"))
    assert any(f.severity != "info" for f in scan_text(filled, engine=build_engine()))
