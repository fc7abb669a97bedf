"""The checklist (核查表) and verdict: statuses per item, a missing fact, regimes, hidden findings, outputs."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from checker.api import build_engine, scan_file
from checker.checklist import FOUND, MANUAL, NOT_APPLICABLE, PASSED, load_items
from checker.model import Report
from checker.reporters import html, text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def engine():
    return build_engine()


def _state(result, item_id, group="form"):
    return next(s for s in result.checklist_states() if s.item.id == item_id and s.item.group == group)


def test_items_load_with_the_form_the_tender_law_and_the_mof_forms():
    groups = {i.group for i in load_items()}
    assert groups == {"form", "eng", "mof"}
    assert sum(i.group == "mof" for i in load_items()) == 22


def test_a_finding_marks_its_item_and_an_error_fails_the_file(engine):
    r = scan_file(str(CORPUS / "14-services-open-penalty.pdf"), engine)
    assert _state(r, "12").status == FOUND and _state(r, "12").findings == 2
    assert _state(r, "1").status == PASSED
    assert r.verdict()["conclusion"] == "不通过"


def test_a_missing_fact_makes_its_item_manual(engine, tmp_path):
    path = tmp_path / "无评分表.md"
    path.write_text("# 某市教育局设备采购项目招标文件\n采购人：某市教育局\n本项目采用公开招标方式，属于政府采购项目。\n"
                    "项目属性：货物\n# 资格要求\n供应商应具有独立承担民事责任的能力。\n", encoding="utf-8")
    r = scan_file(str(path), engine)
    weight = _state(r, "8")
    assert weight.status == MANUAL and "价格分权重" in weight.reason
    assert r.verdict()["manual"]


def test_enterprise_purchase_skips_what_does_not_bind_it(engine):
    r = scan_file(str(CORPUS / "23-services-company-xunbi.docx"), engine)
    assert _state(r, "32-1", "eng").status == NOT_APPLICABLE
    assert _state(r, "11").status == NOT_APPLICABLE  # statutory periods bind 政府采购 and 招标 only
    assert r.verdict()["conclusion"] == "需修改"  # warnings only


def test_hidden_findings_turn_an_item_back_to_passed(engine):
    r = scan_file(str(CORPUS / "14-services-open-penalty.pdf"), engine)
    cleared = replace(r, findings=())
    assert _state(cleared, "12").status == PASSED and cleared.verdict()["conclusion"] == "通过"


def test_outputs_carry_the_checklist_and_verdict(engine):
    r = scan_file(str(CORPUS / "14-services-open-penalty.pdf"), engine)
    data = json.loads(json.dumps(r.as_json(), ensure_ascii=False))
    assert data["verdict"]["conclusion"] == "不通过" and any(i["status"] == FOUND for i in data["checklist"])
    assert "审查结论：不通过" in text.render(Report((r,)))
    page = html.render(Report((r,)))
    assert "审查结论" in page and "采购文件编制核查表" in page and "财政部专项整治表现形式" in page
