"""The bid ceiling under its many names, stated in a sentence, or the budget when bids above it are rejected."""
from __future__ import annotations

import pytest

from checker.facts import extract_facts
from checker.ingest.text import parse_text


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md"))


@pytest.mark.parametrize("line, yuan", [
    ("1.4本项目设置最高应答限价，最高应答限价为52.6万元(不含税)。", 526000),
    ("本次采购最高响应限价为价税合计总价128000元(含税)。", 128000),
    ("3、采购预算：40万元，每家供应商的最高磋商限价：20万元；", 200000),
    ("(1)报价应含税。本项目最高限价63.5万元(2)报价须唯一。", 635000),
])
def test_ceiling_stated_in_a_sentence(line, yuan):
    assert _facts(f"# 第一章 公告\n{line}\n").get("max_price") == yuan


def test_unit_price_ceiling_and_percent_of_ceiling_are_not_the_amount():
    f = _facts("# 第一章 公告\n本项目单价控制价为8.5元/份。\n报价低于最高限价的40%的须说明理由。\n")
    assert f.get("max_price") is None


def test_budget_is_the_ceiling_when_bids_above_it_are_rejected():
    f = _facts("# 第一章 公告\n采购预算：36万元，超过预算的报价将被拒绝。\n")
    assert f.get("max_price") == 360000 and f.get("max_price_from") == "budget"
    f = _facts("# 第一章 公告\n项目预算金额：50万元\n# 第三章 评审\n有下列情形之一的，投标无效：\n"
               "(一)未按要求盖章的；\n(二)投标价超出采购预算的；\n")
    assert f.get("max_price") == 500000


def test_budget_over_which_a_bid_may_be_rejected_is_no_ceiling():
    f = _facts("# 第一章 公告\n项目预算：80万元。若报价高于预算，评委会可否决其投标。\n")
    assert f.get("max_price") is None
    f = _facts("# 第一章 公告\n项目预算：80万元。\n报价超过预算的，按照下列方式处理：\n")
    assert f.get("max_price") is None


def test_ceiling_field_pointing_at_the_budget():
    f = _facts("# 第一章 公告\n预算金额：人民币120万元\n最高限价：同预算金额。\n")
    assert f.get("max_price") == 1200000
