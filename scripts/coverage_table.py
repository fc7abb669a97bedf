"""Generate rules/regulator_coverage.yaml: the MOF 2025 rectification forms D01–D22 → the rules that detect them.

The mapping below is kept by hand; rule titles and severities are read from the rule files, so the
table cannot name a rule that does not exist. Run `python scripts/coverage_table.py` after changing
rules or the mapping; `--check` exits 1 when the committed table is out of date (used by the tests).
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rules" / "regulator_coverage.yaml"

# D-item → (our short English label, our short Chinese label, rule IDs or a reason it is not detected).
MAPPING: dict[str, tuple[str, str, list[str] | str]] = {
    "D01": ("local registration, distance or branch as condition", "注册地、距离、本地分支机构作为条件",
            ["EXC-REGION-001", "ENG-EXC-007"]),
    "D02": ("regional performance or awards as bonus or award condition", "特定区域业绩、奖励作为加分或中标条件",
            ["EXC-REGION-002", "ENG-EXC-003"]),
    "D03": ("industry-limited performance or awards", "特定行业业绩、奖励作为资格或评审因素",
            ["EXC-REL-001", "ENG-EXC-003"]),
    "D04": ("business scope on the licence as condition", "营业执照经营范围作为资格或评审因素",
            "未实现：经营范围要求是否属于“特别规定”（如法定许可）无法从文本判断，"
            "而要求营业执照、许可证本身是合法的资格证明；需人工复核"),
    "D05": ("scale conditions (years, capital, revenue, staff, profit, tax)", "经营年限、注册资本等规模条件",
            ["EXC-SCALE-001", "EXC-SCALE-002", "EXC-SCALE-003", "ENG-EXC-002"]),
    "D06": ("contract-amount performance thresholds", "特定金额的合同业绩",
            ["EXC-PERF-002"]),
    "D07": ("scale-linked third-party ratings or certifications", "与规模关联的第三方信用评价、认证",
            ["EXC-CERT-001", "ENG-EXC-002"]),
    "D08": ("premises area, outlet count or distribution", "场所面积、营业网点数量及分布",
            ["EXC-SCALE-001", "EXC-SCALE-002"]),
    "D09": ("ownership or organisational form", "所有制形式、组织形式",
            ["EXC-OWN-001", "ENG-EXC-006"]),
    "D10": ("equity structure, investor nationality, location", "股权结构、投资者国别、所在地",
            ["EXC-OWN-001", "EXC-SCALE-003", "EXC-REGION-001"]),
    "D11": ("specification pointing to a supplier or product", "技术、服务需求指向特定供应商、产品",
            ["EXC-BRAND-002", "ENG-EXC-005"]),
    "D12": ("designated supplier, patent, brand, origin, parts", "限定或指定供应商、专利、商标、品牌、原产地",
            ["EXC-BRAND-001", "EXC-IMPORT-001", "ENG-EXC-005", "ENG-TEND-001"]),
    "D13": ("requirements not matched to the project", "资格证书、技术参数、商务条件与项目不相适应",
            ["EXC-REL-001", "EXC-STAFF-001", "EXC-PERF-001", "EXC-PERF-003", "ENG-EXC-002"]),
    "D14": ("approvals abolished by the State Council", "国务院取消的行政审批事项作为条件",
            "不可由文本判断：需要国务院历次取消的行政审批事项清单与证照名称对照，本项目没有该清单数据"),
    "D15": ("AAA credit, 守合同重信用, association certificates and awards", "AAA信用、守合同重信用、协会证书和奖项",
            ["EXC-CERT-001", "EXC-REGION-002", "ENG-EXC-002"]),
    "D16": ("manufacturer authorisation, commitment, proof", "厂家授权、承诺、证明、背书",
            ["EXC-AUTH-001", "EXC-AUTH-002", "ENG-TEND-001"]),
    "D17": ("supplier pools, rosters, qualification libraries", "备选库、名录库、资格库作为资格条件",
            ["EXC-LIB-001", "ENG-EXC-007"]),
    "D18": ("unnecessary registration or filing", "不必要的登记、注册",
            ["EXC-REG-001", "ENG-TEND-001"]),
    "D19": ("qualification proofs demanded before obtaining documents", "资格证明材料作为获取采购文件的前置条件",
            ["EXC-REG-001"]),
    "D20": ("issuers of technical proofs restricted", "限制技术证明材料的出具机构",
            "未实现：检测报告、证书的出具机构要求是否有“特别规定”（法定检验机构）无法从文本判断；需人工复核"),
    "D21": ("designated or short-listed suppliers only", "要求为特定范围的定点供应商、入围单位",
            ["EXC-LIB-001"]),
    "D22": ("blacklists and bad-record lists without legal basis", "无法律依据的黑名单、不良记录名单",
            ["EXC-PENALTY-001"]),
}


def rule_index() -> dict[str, dict]:
    sys.path.insert(0, str(ROOT))
    from checker.rules import load_rules

    return {r.id: {"title": r.title, "severity": r.severity, "status": r.status} for r in load_rules([ROOT / "rules"])}


def build() -> dict:
    rules = rule_index()
    items = []
    for did, (en, zh, target) in MAPPING.items():
        entry: dict = {"id": did, "label_en": en, "label_zh": zh}
        if isinstance(target, str):
            entry["not_text_detectable"] = target
        else:
            missing = [r for r in target if r not in rules]
            if missing:
                raise SystemExit(f"{did}: 规则不存在：{', '.join(missing)}")
            entry["rules"] = [{"id": r, **rules[r]} for r in target]
        items.append(entry)
    return {"source": "财政部2025年政府采购领域专项整治工作指引 附件9「表现形式」D01–D22（编号取自二手转引）",
            "generated_by": "scripts/coverage_table.py", "items": items}


def render() -> str:
    header = "# 由 scripts/coverage_table.py 生成，请改脚本中的 MAPPING 后重新生成，不要手改。\n"
    return header + yaml.safe_dump(build(), allow_unicode=True, sort_keys=False, width=120)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} 已过期：运行 python scripts/coverage_table.py", file=sys.stderr)
            return 1
        return 0
    from checker.reporters import write_atomic

    write_atomic(str(OUT), text)
    print(f"已写入 {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
