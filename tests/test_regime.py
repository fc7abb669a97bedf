"""Regimes (catalog §2.1): reading a document's regime, per-regime rule bindings, one finding per passage."""
from __future__ import annotations

import glob
from dataclasses import replace

import pytest
import yaml

from checker.api import build_engine, scan_text
from checker.facts import extract_facts
from checker.ingest.text import parse_text
from checker.model import Basis, Finding, Location
from checker.overlap import merge_overlaps

ENTERPRISE_XUNBI = """# 某农村商业银行股份有限公司安全运维服务询比采购文件
采购人：某农村商业银行股份有限公司
本项目采用询比方式采购。
# 供应商资格要求
供应商注册资本不少于5000万元。
"""

ENG_OTHER_TENDER = """# 某通信有限公司数据平台建设项目招标文件
招标人：某通信有限公司
# 招标公告
本项目采用公开招标方式，欢迎合格的投标人参加投标。投标人须在开标时提交投标文件，由评标委员会评审。
开标时间另行通知；评标委员会推荐中标人；投标人须知见第二章；中标人须签订合同；投标人应遵守纪律。
投标人不得串通投标；投标人须对投标文件负责；开标地点为招标人会议室；评标委员会由5人组成。
# 评标办法
| 评审因素 | 评分标准 |
| 类似业绩 | 投标人具有本市行政区域内的类似项目业绩的，每个得2分 |
"""

MILITARY = """# 某部队保洁服务采购文件
采购人：中国人民解放军某部队
# 供应商资格要求
供应商须在军队采购网完成注册登记，未在军队采购网登记的，不得参加采购活动。
供应商注册资本不少于5000万元。
"""

ADOPTING_SME = """# 某电力有限公司物资询比采购文件
采购人：某电力有限公司
本项目采用询比方式采购。
项目属性：货物
# 中小企业政策
本项目参照《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）执行，对小微企业报价给予25%的价格扣除。
"""


def _facts(text: str) -> dict:
    return extract_facts(parse_text(text, "<t>", "md")).values


@pytest.fixture(scope="module")
def engine():
    return build_engine()


def test_company_non_tender_is_enterprise():
    v = _facts(ENTERPRISE_XUNBI)
    assert v["regime"] == "enterprise"
    assert "企业" in v["regime_basis"]


def test_company_purchase_naming_tender_once_is_enterprise():
    text = ("江苏某农村商业银行股份有限公司\n采购文件\n本文件适用于邀请招标方式。\n"
            + "响应人应按要求编制响应文件，响应文件须加盖响应人公章。\n" * 4)
    assert _facts(text)["regime"] == "enterprise"


def test_company_tender_is_eng_other():
    assert _facts(ENG_OTHER_TENDER)["regime"] == "eng-other"


BELOW_THRESHOLD_TENDER = """# 某县第一小学图书采购项目招标文件
采购人：某县第一小学
采购方式：公开招标（限额以下交易项目）
供应商须符合《中华人民共和国政府采购法》第二十二条规定的条件，参加政府采购活动前三年内无重大违法记录。
投标人须在开标时提交投标文件，由评标委员会评审；评标委员会推荐中标人；中标人须签订合同。
投标人不得串通投标；开标地点为采购人会议室；投标人须知见第二章；投标人应遵守纪律。
"""


def test_public_tender_below_the_procurement_threshold_is_eng_other():
    # 政府采购法 第2条 does not reach it, however much of the GP template it copies
    v = _facts(BELOW_THRESHOLD_TENDER)
    assert v["regime"] == "eng-other"
    assert "限额以下" in v["regime_basis"]
    above = BELOW_THRESHOLD_TENDER.replace("（限额以下交易项目）", "")
    assert _facts(above)["regime"] == "gp"


def test_military_buyer():
    assert _facts(MILITARY)["regime"] == "military"


def test_public_works_mandatory_is_eng_must():
    text = ("# 资格预审公告\n| 事项 | 内容 |\n| 招标人 | 某区住房和城乡建设局 |\n"
            "| 项目名称 | 某道路施工工程，依法必须进行招标 |\n")
    assert _facts(text)["regime"] == "eng-must"


def test_adopted_policy_is_read_with_its_clause():
    adopts = _facts(ADOPTING_SME)["adopts"]
    assert "sme" in adopts and "46" in adopts["sme"]["text"]


def test_enterprise_finding_is_a_preview_warning_on_fair_competition(engine):
    found = [f for f in scan_text(ENTERPRISE_XUNBI, engine=engine) if f.rule_id == "EXC-SCALE-001"]
    assert len(found) == 1
    f = found[0]
    assert (f.severity, f.status, f.regime) == ("warning", "preview", "enterprise")
    assert "公平竞争" in f.basis[0].law and "政府采购法" not in f.basis[0].law
    assert f.message.startswith("（企业自行采购")


def test_eng_other_region_performance_cites_article_18_not_32_3(engine):
    found = [f for f in scan_text(ENG_OTHER_TENDER, engine=engine) if f.rule_id == "ENG-EXC-003"]
    assert found and all(f.severity == "warning" for f in found)
    assert [(b.law, b.article) for b in found[0].basis] == [("《中华人民共和国招标投标法》", "第十八条第二款")]
    assert not any(f.rule_id.startswith("EXC-REGION") for f in scan_text(ENG_OTHER_TENDER, engine=engine))


def test_military_registration_on_its_own_platform_is_not_reported(engine):
    ids = {f.rule_id for f in scan_text(MILITARY, engine=engine)}
    assert "EXC-REG-001" not in ids
    assert "EXC-SCALE-001" in ids


def test_adopted_sme_rate_judged_against_the_documents_own_clause(engine):
    found = [f for f in scan_text(ADOPTING_SME, engine=engine) if f.rule_id == "SME-DED-002"]
    assert len(found) == 1
    assert found[0].severity == "warning" and found[0].basis[0].law == "本文件"
    assert found[0].message.startswith("本文件自行采用")


def test_twenty_day_period_does_not_bind_a_voluntary_tender(engine):
    rule = engine.by_id["NUM-TIME-001"]
    assert "eng-must" in rule.regimes and "eng-other" not in rule.regimes


def _finding(rule, sev, start, end, block=3, status="stable"):
    loc = Location("x", (), block, "para", None, None, None, None, start, end)
    return Finding(rule_id=rule, severity=sev, title="", message="", excerpt="", location=loc,
                   basis=(Basis("l", "a"),), fix="", status=status)


def test_overlapping_findings_fold_into_the_most_severe():
    merged = merge_overlaps([_finding("EXC-REL-001", "warning", 0, 10), _finding("EXC-SCALE-001", "error", 5, 12),
                             _finding("EXC-CERT-001", "warning", 20, 25), _finding("X-1", "info", 0, 10, block=4)])
    assert [(f.rule_id, f.also) for f in merged] == [("EXC-SCALE-001", ("EXC-REL-001",)),
                                                     ("EXC-CERT-001", ()), ("X-1", ())]


def test_stable_preferred_over_preview_at_equal_severity():
    merged = merge_overlaps([_finding("A-1", "warning", 0, 5, status="preview"), _finding("B-1", "warning", 2, 6)])
    assert [(f.rule_id, f.also) for f in merged] == [("B-1", ("A-1",))]


def test_every_rule_file_parses_with_the_pure_python_loader():
    # the C loader is more lenient on flow sequences; a machine without libyaml must read the same rules
    for path in glob.glob("rules/**/*.yaml", recursive=True):
        yaml.load(open(path, encoding="utf-8").read(), Loader=yaml.SafeLoader)


def test_one_rule_reports_one_sentence_once():
    # two matches of the same rule in one sentence are one passage; another rule, or another sentence, stays
    text = "A31 支持散热器，A31 提供收纳空间。另一句 A31。"
    starts = [i for i in range(len(text)) if text.startswith("A31", i)]
    a, b, c = (replace(_finding("EXC-BRAND-002", "warning", s, s + 3), context=text) for s in starts)
    other = replace(_finding("EXC-BRAND-001", "error", starts[1], starts[1] + 3), context=text)
    merged = merge_overlaps([a, b, c, other])
    assert [(f.rule_id, f.location.start) for f in merged] == [
        ("EXC-BRAND-002", starts[0]), ("EXC-BRAND-001", starts[1]), ("EXC-BRAND-002", starts[2])]


def test_a_long_sentence_copied_to_another_block_is_one_finding():
    # the same specification repeated for each lot: one finding at the first copy, the others related
    spec = "CPU：须为某某公司第十四代酷睿i9处理器，主频不低于3.2GHz，核心数不少于24个。"
    copies = [replace(_finding("EXC-BRAND-002", "warning", 10, 14, block=b), context=spec) for b in (30, 7, 19)]
    merged = merge_overlaps(copies)
    assert [f.location.block for f in merged] == [7]
    assert sorted(r.block for r in merged[0].related) == [19, 30]


def test_a_short_sentence_met_in_two_items_stays_two_findings():
    # "由评委酌情打分" in two scoring items is two criteria to fix, not a copy
    short = "由评委酌情打分。"
    two = [replace(_finding("SCORE-QUANT-001", "warning", 0, 4, block=b), context=short) for b in (5, 9)]
    assert [f.location.block for f in merge_overlaps(two)] == [5, 9]
