"""The xlsx report: an Excel workbook with 汇总 / 发现 (and 核查表 when there is a checklist), opened back
with openpyxl; the CSV shares the 发现 columns."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import reporters
from checker.cli import main
from checker.model import FileResult, Report

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TABLES = CORPUS / "04-services-open-weight.docx"   # findings in scoring-table cells
NO_BUDGET = CORPUS / "12-works-eng-tender.docx"     # states no budget
CLEAN = CORPUS / "01-goods-open-clean.docx"         # no findings

SUMMARY_HEADERS = ["文件", "状态", "项目名称", "制度", "采购方式", "项目属性", "预算（元）", "价格分权重（%）",
                   "小微企业价格扣除（%）", "错误数", "警告数", "提示数", "审查结论"]
FINDING_HEADERS = ["文件", "规则ID", "级别", "状态", "标题", "说明", "摘录", "所在句子", "位置", "依据",
                   "修改建议", "亦触发", "判断制度"]


def _scan(*args):
    return CliRunner().invoke(main, ["scan", *map(str, args), "-j", "1"])


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xlsx")
    bad = tmp / "x.docx"
    bad.write_bytes(b"PK\x03\x04\xff\xfe\x00 definitely not a zip")
    out = tmp / "out" / "report.xlsx"
    res = _scan(TABLES, NO_BUDGET, CLEAN, bad, "--format", "xlsx", "-o", out)
    assert res.exit_code == 3, res.output  # an unreadable input wins the exit code, the report is still written
    assert sorted(os.listdir(out.parent)) == ["report.xlsx"]  # no temp file left beside it
    return openpyxl.load_workbook(out), bad


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def _by_file(ws) -> dict[str, dict]:
    head, *body = _rows(ws)
    return {row[0]: dict(zip(head, row)) for row in body}


def test_summary_and_findings_sheets_with_chinese_headers(workbook):
    wb, _ = workbook
    assert wb.sheetnames == ["汇总", "发现", "核查表"]
    assert list(_rows(wb["汇总"])[0]) == SUMMARY_HEADERS
    assert list(_rows(wb["发现"])[0]) == FINDING_HEADERS


def test_one_summary_row_per_input_file_including_unreadable_and_clean(workbook):
    wb, bad = workbook
    rows = _by_file(wb["汇总"])
    assert len(rows) == 4
    assert set(rows) == {str(TABLES), str(NO_BUDGET), str(CLEAN), str(bad)}
    assert rows[str(bad)]["状态"].startswith("无法读取：") and len(rows[str(bad)]["状态"]) > len("无法读取：")
    clean = rows[str(CLEAN)]
    assert clean["状态"] == "正常" and (clean["错误数"], clean["警告数"], clean["提示数"]) == (0, 0, 0)
    assert clean["制度"] == "政府采购" and clean["采购方式"] == "公开招标" and clean["项目属性"] == "货物"
    assert clean["预算（元）"] == 3000000 and clean["价格分权重（%）"] == 30 and clean["小微企业价格扣除（%）"] == 10
    tables = rows[str(TABLES)]
    found = [r for r in _rows(wb["发现"])[1:] if r[0] == str(TABLES)]
    assert tables["错误数"] == sum(r[2] == "错误" for r in found) and tables["错误数"] > 0


def test_a_fact_the_document_does_not_state_reads_weishuoming(workbook):
    wb, _ = workbook
    row = _by_file(wb["汇总"])[str(NO_BUDGET)]
    assert row["预算（元）"] == "未说明"
    assert row["制度"] == "招标投标法（依法必须招标）" and row["项目属性"] == "工程"
    for ok in (str(TABLES), str(NO_BUDGET), str(CLEAN)):  # never an empty cell, None or 否 for a readable file
        values = list(_by_file(wb["汇总"])[ok].values())
        assert None not in values and "None" not in values and "否" not in values


def test_table_locations_are_numbered_as_in_the_text_report(workbook):
    wb, _ = workbook
    head, *body = _rows(wb["发现"])
    col = head.index("位置")
    sheet = [r[col] for r in body if r[0] == str(TABLES)]
    text = _scan(TABLES).stdout
    shown = [line.split("位置：", 1)[1] for line in text.splitlines() if line.strip().startswith("位置：")]
    assert sheet == shown
    assert any("表2 第2行第2列" in where for where in sheet)  # the price cell: 1-based table, row and column
    first = dict(zip(head, body[0]))
    assert first["级别"] in {"错误", "警告", "提示"} and first["状态"] in {"正式", "预览"}
    assert first["判断制度"] == "政府采购" and first["所在句子"] and first["依据"]


def test_header_bold_frozen_and_filtered_on_every_sheet(workbook):
    wb, _ = workbook
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.auto_filter.ref.endswith(str(ws.max_row))
        assert all(c.font.bold for c in ws[1])
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])
    sentence = wb["发现"].cell(2, FINDING_HEADERS.index("所在句子") + 1)
    assert sentence.alignment.wrap_text


def test_csv_uses_the_findings_sheet_headers_and_locations(workbook):
    wb, _ = workbook
    text = _scan(TABLES, "--format", "csv").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == FINDING_HEADERS
    col = FINDING_HEADERS.index("位置")
    sheet = [r[col] for r in _rows(wb["发现"])[1:] if r[0] == str(TABLES)]
    assert [r[col] for r in rows[1:]] == sheet


def test_checklist_sheet_lists_every_item_with_its_status(workbook):
    wb, _ = workbook
    ws = wb["核查表"]
    head, *body = _rows(ws)
    assert list(head) == ["文件", "核查表", "项", "核查项", "结果", "说明"]
    assert {row[4] for row in body} <= {"发现问题", "通过", "不适用", "需人工核查"}
    assert any(row[1] == "采购文件编制核查表" for row in body)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_no_checklist_sheet_for_results_without_one():
    plain = FileResult("a.docx", "ok", None, {"regime": "gp"})
    wb = openpyxl.load_workbook(io.BytesIO(reporters.get("xlsx").render(Report((plain,)))))
    assert wb.sheetnames == ["汇总", "发现"]


def test_document_text_is_never_a_formula_and_bad_characters_do_not_break_the_file(tmp_path):
    nasty = FileResult("=HYPERLINK(\"http://x\")\x00\ud800.docx", "error", "损坏\x1b\x0b：=1+1")
    facts = {"method": "=SUM(A1)", "budget": None}
    odd = FileResult("+odd.docx", "ok", None, facts)
    out = tmp_path / "r.xlsx"
    reporters.write_atomic(out, reporters.get("xlsx").render(Report((nasty, odd))))
    ws = openpyxl.load_workbook(out)["汇总"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
    assert ws.cell(3, 5).value == "=SUM(A1)" and ws.cell(3, 7).value == "未说明"


def test_xlsx_refuses_a_terminal_and_goes_to_a_pipe(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "checker", "scan", str(CLEAN), "--format", "xlsx", "-j", "1"]
    piped = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout.startswith(b"PK")
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout)).sheetnames == ["汇总", "发现", "核查表"]
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        res = subprocess.run(cmd, stdout=follower, stderr=subprocess.PIPE, env=env, timeout=300)
    finally:
        os.close(follower)
        os.close(leader)
    err = res.stderr.decode("utf-8")
    assert res.returncode == 2
    assert "终端" in err and "-o/--output" in err
