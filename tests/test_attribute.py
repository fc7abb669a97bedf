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
