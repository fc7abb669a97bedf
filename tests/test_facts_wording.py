"""Facts read from wordings our corpus uses: a declared non-reserved project, and 服务 inside other words."""
from __future__ import annotations

import pytest

from checker.facts import extract_facts
from checker.ingest.text import parse_text


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md")).values


@pytest.mark.parametrize("sentence", [
    "本项目为非专门面向中小企业采购的项目。对小型和微型企业的投标报价给予10%的扣除。",
    "本项目为非专门面向中小企业采购的项目。本项目不执行中小企业价格扣除政策。",
])
def test_declared_non_reserved_project_is_not_reserved(sentence):
    assert _facts(f"# 三、政府采购政策\n{sentence}")["sme_reserved"] is False


def test_conditional_reservation_stays_unknown():
    text = "# 三、政府采购政策\n对于专门面向中小企业采购的项目，不再执行价格扣除。"
    assert _facts(text)["sme_reserved"] is None


def test_declared_reserved_project_is_reserved():
    assert _facts("# 三、政府采购政策\n本项目为专门面向中小企业采购的项目。")["sme_reserved"] is True


@pytest.mark.parametrize("text", [
    "服务器：华为2288H V6，2台。",
    "# 技术参数\n服务器：华为2288H V6或同等档次产品。",
    "服务期：三年",
    "服务网点：在本市设有售后服务网点。",
    "| 项目 | 内容 |\n| 采购品目 | 服务器 |",
    "某医院影像设备采购及售后服务",
])
def test_service_inside_other_words_is_not_the_services_attribute(text):
    assert _facts(text)["attribute"] != "services"


@pytest.mark.parametrize("text", [
    "| 项目 | 内容 |\n| 项目属性 | 服务 |",
    "某区机关食堂餐饮服务项目",
    "某单位物业管理服务采购项目",
])
def test_services_attribute_still_read(text):
    assert _facts(text)["attribute"] == "services"
