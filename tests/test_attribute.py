"""Procurement attribute from the project's name: the 项目名称 field, a quoted name, the title lines —
never the buyer's or the agency's name; and what the attribute means for the 招标投标法 regime."""
from __future__ import annotations

from checker.facts import extract_facts
from checker.ingest.text import parse_text


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md"))


def test_agency_name_on_the_cover_is_not_the_project():
    f = _facts("某公司仓库屋顶光伏发电项目\n招标文件\n招标代理机构：某某工程咨询服务有限公司\n"
               "# 第一章 招标公告\n项目名称：某公司仓库屋顶光伏发电项目\n")
    assert f.get("attribute") == "works"


def test_numbered_project_name_field():
    f = _facts("目录\n第一部分 招标公告\n第二部分 须知\n# 第一部分 招标公告\n1.项目名称：某园区笔记本电脑设备采购项目\n")
    assert f.get("attribute") == "goods"


def test_quoted_project_name_in_the_opening_lines():
    f = _facts("项目编号：A-01\n某银行股份有限公司\n采购文件\n本文件仅用于我行“网站漏洞众测采购项目”。\n")
    assert f.get("attribute") == "services"


def test_software_development_and_library_materials():
    assert _facts("某中心知识库软件开发招标文件\n").get("attribute") == "services"
    assert _facts("某大学图书馆外文期刊采购项目\n").get("attribute") == "goods"



def test_company_works_tender_below_the_threshold_is_not_mandatory():
    text = ("某公司厂房屋面修缮施工项目\n招标文件\n招标人：某某实业有限公司\n# 第一章 招标公告\n"
            "本项目采用公开招标方式。招标人依照招标投标法组织招标。\n项目预算：人民币150万元\n")
    assert _facts(text).get("regime") == "eng-other"
    big = text.replace("150万元", "900万元")
    assert _facts(big).get("regime") == "eng-must"


def test_contract_terms_decide_when_nothing_else_does():
    text = "# 评标办法\n| 评审因素 | 分值 |\n| 施工组织设计 | 40 |\n| 工期承诺 | 10 |\n| 投标报价 | 50 |\n工期：90日历天。\n"
    f = _facts(text)
    assert f.get("attribute") == "works" and f.get("attribute_from") == "terms"
    # as many delivery terms as service terms: no guess
    assert _facts("# 须知\n交货期：30天。交货期内完成。服务期：一年。服务期内响应。\n").get("attribute") is None


def test_company_works_paid_from_its_own_funds_is_not_mandatory():
    text = ("某商场外立面装修工程\n招标文件\n招标人：某某百货有限公司\n资金来源：企业自筹\n"
            "# 第一章 招标公告\n本项目采用公开招标。\n施工工期：30日历天。\n")
    assert _facts(text).get("regime") == "eng-other"
    assert _facts(text.replace("企业自筹", "国有资金")).get("regime") == "eng-must"


_ITEMS = ("# 第一章 招标公告\n项目名称：某区学校信息化建设和运营服务项目\n## 采购需求\n"
          "| 计划编号 | 采购条目 | 数量 | 预算金额(元) |\n|---|---|---|---|\n"
          "| A-1 | 教室多媒体设备采购 | 1批 | {goods} |\n| A-2 | 平台运营及设备运维 | 1项 | {services} |\n"
          "# 第二章 投标人须知\n本次招标属服务类采购。\n")


def test_mixed_items_take_the_kind_with_most_of_the_money():
    f = _facts(_ITEMS.format(goods="8,000,000.00", services="2,000,000.00"))
    assert f.get("attribute") == "goods"
    assert f.get("attribute_from") == "items" and f.get("attribute_share") == 0.8


def test_items_without_a_majority_leave_the_stated_kind():
    three = _ITEMS.replace("| A-2 |", "| A-3 | 机房装修改造工程 | 1项 | 3,000,000.00 |\n| A-2 |")
    f = _facts(three.format(goods="4,000,000.00", services="3,000,000.00"))
    assert f.get("attribute") == "services" and f.get("attribute_from") is None


def test_an_item_that_cannot_be_priced_leaves_the_stated_kind():
    f = _facts(_ITEMS.format(goods="详见清单", services="2,000,000.00"))
    assert f.get("attribute") == "services"
