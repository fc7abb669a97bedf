"""Project facts with their evidence, from .docx and Markdown; per-lot facts and findings."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checker.cli import main
from checker.facts import FACT_KEYS, extract_facts
from checker.ingest import read
from checker.ingest.text import parse_text

from .docbuild import make_docx


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md"))


GOODS_TENDER = [
    ("h1", "某市第一中学教学设备采购项目 招标文件"),
    ("h1", "第一章 招标公告"),
    ("table", [["项目", "内容"], ["采购人", "某市第一中学"], ["采购方式", "公开招标"], ["项目属性", "货物"],
               ["预算金额", "人民币壹佰万元整"], ["投标保证金", "人民币1万元"],
               ["公告发布日期", "二〇二四年五月六日"], ["投标截止时间", "2024-05-28 09:30"]]),
    ("p", "本项目不专门面向中小企业采购。根据财库〔2022〕19号，价格扣除幅度由6%—10%提高至10%—20%，本项目取15%。"),
    ("h1", "第三章 评标办法"),
    ("p", "本项目采用综合评分法。"),
    ("table", [["评分项目", "分值"], ["技术部分", "50"], ["商务部分", "30"], ["价格分", "20"]]),
]


def test_docx_facts_with_evidence(tmp_path):
    facts = extract_facts(read(make_docx(tmp_path / "t.docx", GOODS_TENDER)))
    v = facts.values
    assert (v["regime"], v["method"], v["attribute"], v["evaluation"]) == ("gp", "公开招标", "goods", "综合评分法")
    assert v["budget"] == 1_000_000 and v["bid_bond"] == 10_000
    assert v["announce_date"] == "2024-05-06" and v["deadline"] == "2024-05-28"
    assert v["price_weight"] == 20.0
    assert v["sme_deduction"] == [15.0] and v["sme_reserved"] is False
    assert facts.evidence["budget"].table == 0 and facts.evidence["budget"].row == 4
    assert facts.evidence["price_weight"].row == 3


def test_json_carries_the_required_keys(tmp_path):
    path = make_docx(tmp_path / "t.docx", GOODS_TENDER)
    out = CliRunner().invoke(main, ["facts", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(FACT_KEYS) <= set(data["facts"])
    assert data["facts"]["price_weight"] == 20.0


def test_docx_price_weight_finding_points_at_price_cell(tmp_path):
    import checker

    report = checker.scan([str(make_docx(tmp_path / "t.docx", GOODS_TENDER))])
    found = [f for f in report.findings if f.rule_id == "PRICE-WEIGHT-001"]
    assert len(found) == 1
    f = found[0]
    assert f.message == "货物项目价格分20分，占总分100分的20%，低于30%"
    assert (f.location.table, f.location.row, f.location.col) == (1, 3, 1)
    assert sorted(r.row for r in f.related) == [1, 2]
    # the range "6%—10%" restated from the law is not the project's deduction
    assert not [f for f in report.findings if f.rule_id == "SME-DED-002"]


def test_checkbox_template_reads_what_is_ticked():
    facts = _facts("# 投标人须知前附表\n■本项目专门面向 □中小■小微企业采购")
    assert facts.values["sme_reserved"] is True
    assert facts.sme.reservations[0].who == "小微企业"
    facts = _facts("# 投标人须知前附表\n□本项目专门面向中小企业采购 ■本项目不专门面向中小企业采购")
    assert facts.values["sme_reserved"] is False


def test_blank_template_and_missing_facts_stay_null():
    facts = _facts("# 中小企业声明函（格式）\n对小微企业报价给予____%的扣除。")
    v = facts.values
    assert v["sme_deduction"] == [] and v["budget"] is None and v["announce_date"] is None
    assert v["price_weight"] is None and v["bid_bond"] is None


def test_amount_forms():
    assert _facts("预算金额(万元)：120")["budget"] if False else _facts("预算金额(万元)：120").values["budget"] == 1_200_000
    assert _facts("预算金额：1,234,500.00元").values["budget"] == 1_234_500
    assert _facts("本项目不收取投标保证金。").values["bid_bond"] == 0.0


MULTI_LOT = """# 第一章 招标公告
采购方式：公开招标
项目属性：服务
公告发布日期：2024年6月3日
| 包号 | 包名称 | 预算金额(元) | 最高限价(元) |
| 1 | 物业服务 | 2000000 | 2000000 |
| 2 | 保安服务 | 1500000 | 1600000 |
采购包1专门面向中小企业采购。
采购包2不专门面向中小企业采购，对小型和微型企业的投标报价给予10%的扣除。
# 第三章 评标办法
## 采购包1评分标准
| 评分项目 | 分值 |
| 报价分 | 10 |
| 服务方案 | 90 |
## 采购包2评分标准
| 评分项目 | 分值 |
| 报价分 | 5 |
| 服务方案 | 95 |
"""


def test_multi_lot_facts():
    facts = _facts(MULTI_LOT)
    lots = {lot["lot"]: lot for lot in facts.values["lots"]}
    assert lots["1"]["budget"] == 2_000_000 and lots["2"]["max_price"] == 1_600_000
    assert lots["1"]["sme_reserved"] is True and lots["2"]["sme_reserved"] is False
    assert lots["2"]["sme_deduction"] == [10.0]
    assert lots["1"]["price_weight"] == 10.0 and lots["2"]["price_weight"] == 5.0
    assert facts.values["budget"] == 3_500_000
    assert facts.values["sme_mode"] == "lots"


def test_multi_lot_findings_name_the_lot(scan_md):
    found = {(f.rule_id, f.excerpt): f for f in scan_md(MULTI_LOT)}
    weight = found[("PRICE-WEIGHT-002", "5")]
    assert weight.message.startswith("采购包2：") and "5%" in weight.message
    assert ("PRICE-WEIGHT-002", "10") not in found
    assert found[("PRICE-MAX-001", "1600000")].message == "采购包2最高限价160万元高于预算金额150万元"
    assert not [k for k in found if k[0] in ("SME-DED-001", "SME-DED-006", "SME-RES-003")]


def test_conflicts_across_the_document(scan_md):
    found = scan_md("""# 招标公告
本项目专门面向中小企业采购。
# 投标人须知前附表
本项目不专门面向中小企业采购，对小型和微型企业的投标报价给予10%的扣除。
# 评标办法
小微企业报价给予20%的价格扣除后参与评审。
""")
    ids = {f.rule_id for f in found}
    assert {"SME-RES-003", "SME-DED-007"} <= ids
    conflict = next(f for f in found if f.rule_id == "SME-DED-007")
    assert conflict.excerpt == "20%" and conflict.related


def test_tcn_with_approval_is_info(scan_md):
    found = [f for f in scan_md("""# 磋商公告
采购方式：竞争性磋商
项目属性：服务
本项目价格分值比重经本级人民政府财政部门审核同意。
| 评审因素 | 分值 |
| 服务方案 | 60 |
| 磋商报价 | 40 |
""") if f.rule_id == "PRICE-WEIGHT-004"]
    assert [f.severity for f in found] == ["info"]


def test_attribute_from_the_ticked_option_not_an_unused_form():
    f = _facts("""# 某单位食堂餐饮采购项目 采购文件
## 投标人须知资料表
## 2.2 项目属性
项目属性：
■服务
□货物
## 附件 格式
中小企业声明函（货物）格式（不适用）
""")
    assert f.values["attribute"] == "services"
    assert _facts("# 采购文件\n项目属性：□货物 ■服务").values["attribute"] == "services"


def test_facts_text_uses_chinese_labels_and_never_none():
    path = Path(__file__).resolve().parent.parent / "corpus" / "05-services-tcn-weight.docx"
    out = CliRunner().invoke(main, ["facts", str(path)]).output
    assert "价格分权重" in out and "适用制度" in out and "政府采购" in out
    assert "None" not in out and "price_weight" not in out
    assert "价格分调整经财政部门同意" in out and "未说明" in out
