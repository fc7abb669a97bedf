"""Statistics over many results: per rule and family, price weights, SME deductions, limits, three outputs."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

from click.testing import CliRunner

from checker.cli import main
from checker.stats import Stats, render_html, render_text


def record(path, findings=(), status="ok", **facts):
    return {"path": path, "status": status, "error": None if status == "ok" else "无法读取",
            "facts": facts, "findings": [{"rule_id": r} for r in findings]}


RECORDS = [
    record("a.docx", ["EXC-SCALE-001", "EXC-SCALE-001", "SME-DED-002"], attribute="goods", method="公开招标",
           price_weight=20, sme_deduction=[25], announce_date="2024-03-01"),
    record("b.docx", ["EXC-REGION-001"], attribute="goods", method="公开招标", price_weight=40,
           sme_deduction=[10], announce_date="2024-03-01"),
    record("c.pdf", [], attribute="services", method="竞争性磋商", price_weight=0.4, sme_deduction=[]),
    record("d.pdf", [], attribute=None, method=None, price_weight=None, sme_deduction=None),
    record("e.docx", status="error"),
]


def stats_of(records):
    s = Stats()
    for r in records:
        s.add(r)
    return s


def table(stats, title):
    return next(rows for t, _, rows in stats.tables() if t == title)


def test_counts_per_rule_family_and_documents():
    s = stats_of(RECORDS)
    assert table(s, "概况") == [["文件", 5], ["可读", 4], ["无法读取", 1], ["发现", 4]]
    by_rule = {r[0]: r[2:] for r in table(s, "按规则")}
    assert by_rule["EXC-SCALE-001"] == [2, 1]  # two findings, one document
    by_family = {r[0]: r[1:] for r in table(s, "按规则族")}
    assert by_family["EXC"] == [3, 2] and by_family["SME"] == [1, 1]


def test_price_weights_by_attribute_handle_nulls_and_fractions():
    s = stats_of(RECORDS)
    rows = {r[0]: r for r in table(s, "价格分权重（%）按项目属性")}
    assert rows["货物"][1:6] == [2, 0, "20", "30", "40"]
    assert rows["服务"][1] == 1 and rows["服务"][3] == "40"  # 0.4 read as 40%
    assert rows["未说明"][1:3] == [0, 1]
    sme = dict(map(tuple, table(s, "小微企业价格扣除比例")))
    assert sme == {"10%": 1, "25%": 1, "未说明比例": 2}


def test_documents_breaking_each_limit():
    s = stats_of(RECORDS)
    limits = dict(map(tuple, table(s, "超出法定幅度的文档")))
    assert limits["招标 货物 价格分 < 30%"] == 1
    assert limits["磋商 服务 价格分不在 10%–30%"] == 1
    assert next(v for k, v in limits.items() if k.startswith("小微企业")) == 1
    assert s.limit_docs["PW-TENDER-GOODS"] == ["a.docx"]


def test_text_table_and_html_page_are_self_contained_and_escaped():
    s = stats_of(RECORDS + [record("<script>alert(1)</script>.docx", ["EXC-X-001"], attribute="goods",
                                   method="公开招标", price_weight=10)])
    text = render_text(s)
    assert "EXC-SCALE-001" in text and "价格分权重" in text
    page = render_html(s)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r'(?:src|href)="https?:', page)  # no CDN, nothing fetched
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        ET.fromstring(svg)  # each chart is well-formed inline SVG
    assert page.count("<svg") >= 4


def test_stats_command_over_a_folder_and_over_saved_jsonl(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# 资格要求\n投标人注册资本不少于500万元。\n", encoding="utf-8")
    (docs / "b.md").write_text("# 资格要求\n供应商须在本市设有分公司。\n", encoding="utf-8")
    runner = CliRunner()
    direct = runner.invoke(main, ["stats", str(docs), "-j", "1"])
    assert direct.exit_code == 0 and "EXC-SCALE-001" in direct.stdout
    saved = tmp_path / "r.jsonl"
    runner.invoke(main, ["scan", str(docs), "--format", "jsonl", "-o", str(saved)])
    again = runner.invoke(main, ["stats", str(saved)])
    assert again.stdout == direct.stdout
    out = runner.invoke(main, ["stats", str(saved), "--format", "csv"]).stdout
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    scale = next(r for r in rows if r[:2] == ["按规则", "EXC-SCALE-001"])
    assert scale[2] and scale[3:] == ["1", "1"]  # the rule's title, one finding, one document
    page = tmp_path / "s.html"
    res = runner.invoke(main, ["stats", str(saved), "--format", "html", "-o", str(page)])
    assert res.exit_code == 0 and "<svg" in page.read_text(encoding="utf-8")


def test_bad_jsonl_names_file_and_line(tmp_path):
    bad = tmp_path / "r.jsonl"
    bad.write_text(json.dumps(record("a.docx")) + "\n{oops\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["stats", str(bad)])
    assert res.exit_code == 3 and "r.jsonl" in res.stderr and "第 2 行" in res.stderr


def test_reserved_project_zero_is_not_out_of_range_and_limits_bind_gp_only():
    reserved = {"path": "r.docx", "status": "ok", "findings": [],
                "facts": {"regime": "gp", "attribute": "services", "sme_deduction": [0], "sme_reserved": True}}
    company = {"path": "c.docx", "status": "ok", "findings": [],
               "facts": {"regime": "enterprise", "attribute": "goods", "method": "公开招标", "price_weight": 10}}
    s = stats_of([reserved, company])
    assert all(n == 0 for _, n in table(s, "超出法定幅度的文档"))


def test_html_lists_the_documents_behind_each_rule():
    from checker.stats import render_html

    page = render_html(stats_of(RECORDS))
    assert "各规则涉及的文档" in page and "EXC-SCALE-001" in page
