"""Whether the project is reserved for SMEs, from wordings besides "(不)专门面向中小企业"."""
from __future__ import annotations

from checker.facts import extract_facts
from checker.ingest.text import parse_text


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md"))


def _reported(findings) -> set[str]:
    """Every rule reported, folded ones ("also") included."""
    return {f.rule_id for f in findings} | {a for f in findings for a in (getattr(f, "also", None) or ())}


GP = "# 第一章 采购公告\n采购人：某市图书馆\n本项目为政府采购项目，执行政府采购法。\n"


def test_partial_reservation_is_no_whole_reservation_and_no_conflict():
    f = _facts(GP + "落实政府采购政策需满足的资格要求：本项目部分专门面向中小企业采购(清单见第三章)。\n"
               "经统筹后未预留份额专门面向中小企业采购的采购项目，对小微企业报价给予10%的扣除。\n")
    assert f.get("sme_reserved") is False and f.get("sme_mode") == "partial"


def test_policy_requirement_of_none():
    f = _facts(GP + "落实政府采购政策需满足的资格要求：无\n")
    assert f.get("sme_reserved") is False


def test_only_smes_may_build():
    assert _facts("# 第一章 招标公告\n本工程须由中小企业承建。\n").get("sme_reserved") is True


def test_project_wide_deduction_in_a_government_purchase_means_not_reserved():
    f = _facts(GP + "对小型和微型企业的投标产品价格给予10%的扣除，用扣除后的价格参与评审。\n")
    assert f.get("sme_reserved") is False and f.get("sme_reserved_from") == "sme_deduction"


def test_implied_or_partial_statements_are_not_reported_as_refusing_to_reserve():
    from checker.api import scan_text

    text = GP + "项目属性：货物\n预算金额：50万元\n落实政府采购政策需满足的资格要求：无\n"
    assert "SME-RES-001" not in _reported(scan_text(text))
    text = GP + "项目属性：货物\n预算金额：50万元\n本项目不专门面向中小企业采购，对小微企业报价给予10%的扣除。\n"
    assert "SME-RES-001" in _reported(scan_text(text))
