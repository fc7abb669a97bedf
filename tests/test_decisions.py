"""Reviewer decisions (scan --decisions): false alarms drop out but are counted, other decisions and
notes travel with their finding into every format, matched by fingerprint whatever the file is called."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.checklist import FOUND, PASSED
from checker.cli import main
from checker.decisions import Decisions, load, parse
from checker.errors import ConfigError
from checker.fingerprint import fingerprints

ROOT = Path(__file__).resolve().parent.parent
SCALE = ROOT / "corpus" / "02-goods-open-scale.docx"  # six errors, one of them EXC-AUTH-001 (checklist item 2)

DRAFT = """# 第一章 招标公告
项目名称：某单位办公设备采购。
# 第二章 投标人须知
## 二、资格要求
投标人注册资本不少于500万元。
供应商须在本市设有分公司。
投标人注册资本不少于500万元。
"""


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def scan_json(*args) -> dict:
    res = cli("scan", *args, "--format", "json", "-j", "1", "--fail-on", "never")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def entry(f: dict, decision: str, note: str = "") -> dict:
    """A decision as the HTML report exports it, for a finding of a JSON report."""
    return {"fingerprint": f["fp"], "rule_id": f["rule_id"], "excerpt": f["excerpt"],
            "decision": decision, "note": note}


@pytest.fixture(scope="module")
def scale_result():
    from checker.api import build_engine, scan_file

    return scan_file(str(SCALE), build_engine())


def _decisions(result, chosen: dict[str, tuple[str, str]]) -> Decisions:
    """Decisions for the findings of ``result`` whose rule ID is in ``chosen`` (the first of each)."""
    out, done = [], set()
    for f, fp in zip(result.findings, fingerprints(result.findings)):
        if f.rule_id in chosen and f.rule_id not in done:
            done.add(f.rule_id)
            decision, note = chosen[f.rule_id]
            out.append({"fingerprint": fp, "rule_id": f.rule_id, "excerpt": f.excerpt,
                        "decision": decision, "note": note})
    return parse({"version": 1, "decisions": out}, "判断.json")


def test_false_alarm_is_left_out_but_counted_and_its_checklist_item_passes_again(scale_result):
    before = {s.item.id: s.status for s in scale_result.checklist_states() if s.item.group == "form"}
    assert before["2"] == FOUND  # 厂家授权 as a qualification: only EXC-AUTH-001 flags it here
    decided = _decisions(scale_result, {"EXC-AUTH-001": ("false_alarm", "本项目为进口产品")}).apply(scale_result)
    assert [f.rule_id for f in decided.findings] == [f.rule_id for f in scale_result.findings
                                                     if f.rule_id != "EXC-AUTH-001"]
    assert [f.rule_id for f in decided.hidden] == ["EXC-AUTH-001"]
    data = decided.as_json()
    assert data["hidden_false_alarms"] == 1
    after = {s.item.id: s.status for s in decided.checklist_states() if s.item.group == "form"}
    assert after["2"] == PASSED
    assert {k: v for k, v in after.items() if k != "2"} == {k: v for k, v in before.items() if k != "2"}
    item = next(c for c in data["checklist"] if c["group"] == "form" and c["id"] == "2")
    assert item["status"] == PASSED and item["findings"] == 0


def test_accepted_and_pending_carry_decision_and_note(scale_result):
    decided = _decisions(scale_result, {"EXC-SCALE-002": ("accepted", "改为方案评分"),
                                        "EXC-SCALE-003": ("pending", "")}).apply(scale_result)
    assert len(decided.findings) == len(scale_result.findings) and decided.hidden == ()
    by_rule = {}
    for f in decided.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    assert (by_rule["EXC-SCALE-002"][0].decision, by_rule["EXC-SCALE-002"][0].note) == ("accepted", "改为方案评分")
    assert (by_rule["EXC-SCALE-003"][0].decision, by_rule["EXC-SCALE-003"][0].note) == ("pending", None)
    assert by_rule["EXC-SCALE-003"][1].decision is None  # only the first 成立年限 finding was judged
    js = by_rule["EXC-SCALE-002"][0].as_json()
    assert js["decision"] == "accepted" and js["note"] == "改为方案评分"
    assert "decision" not in scale_result.findings[0].as_json()  # reports without decisions unchanged
    assert "hidden_false_alarms" not in scale_result.as_json()
    # a decision on a finding that is not there (fixed since) changes nothing
    assert decided.checklist_states() == scale_result.checklist_states()


def test_renamed_copy_keeps_its_decisions(tmp_path, scale_result):
    copy = tmp_path / "另存" / "第二稿（改名）.docx"
    copy.parent.mkdir()
    shutil.copy(SCALE, copy)
    from checker.api import build_engine, scan_file

    renamed = scan_file(str(copy), build_engine())
    decisions = _decisions(scale_result, {"EXC-AUTH-001": ("false_alarm", ""), "EXC-SCALE-002": ("accepted", "改")})
    decided = decisions.apply(renamed)
    assert decided.path == str(copy)
    assert [f.rule_id for f in decided.hidden] == ["EXC-AUTH-001"]
    assert [f.note for f in decided.findings if f.decision] == ["改"]


def test_decisions_of_one_document_are_not_spread_to_an_unrelated_one():
    # file names group decisions; a scanned file takes the group it shares most fingerprints with
    fa = lambda fp, file: {"fingerprint": fp, "decision": "false_alarm", "file": file}  # noqa: E731
    d = parse({"version": 1, "decisions": [fa("a1", "a.docx"), fa("a2", "a.docx"), fa("x", "b.docx"),
                                           fa("b1", "b.docx")]})
    assert set(d.entry_for(["a1", "a2", "x"])) == {"a1", "a2"}
    assert set(d.entry_for(["b1", "x"])) == {"b1", "x"}
    assert d.entry_for(["zzz"]) == {}


def test_hiding_a_false_alarm_does_not_rename_the_findings_after_it(tmp_path):
    from checker.api import build_engine, scan_file
    from checker.reporters import html, sarif
    from checker.model import Report

    doc = tmp_path / "t.md"
    doc.write_text(DRAFT, encoding="utf-8")
    result = scan_file(str(doc), build_engine())
    fps = fingerprints(result.findings)
    twice = [i for i, f in enumerate(result.findings) if "注册资本" in f.excerpt]
    assert len(twice) == 2 and fps[twice[0]] != fps[twice[1]]  # the same clause twice: ordinals 0 and 1
    first = result.findings[twice[0]]
    decided = parse({"version": 1, "decisions": [{"fingerprint": fps[twice[0]], "rule_id": first.rule_id,
                                                  "decision": "false_alarm"}]}).apply(result)
    kept = fingerprints(decided.findings)
    assert fps[twice[1]] in kept and fps[twice[0]] not in kept
    page = html.render(Report((decided,)))
    assert f'data-fp="{fps[twice[1]]}"' in page and f'data-fp="{fps[twice[0]]}"' not in page
    assert fps[twice[0]] in page  # in the hidden decisions, so 导出判断 writes it out again
    assert "另有 1 项已判定为误报，未列出" in page
    assert fps[twice[1]] in sarif.render(Report((decided,)))


@pytest.mark.parametrize("content, problem", [
    (None, "不存在"),
    ("{not json", "不是有效的 JSON"),
    ('{"version": 2, "decisions": []}', "version 应为 1"),
    ('{"version": 1}', "缺少 decisions"),
    ('{"version": 1, "decisions": [{"decision": "accepted"}]}', "第 1 条判断缺少 fingerprint"),
    ('{"version": 1, "decisions": [{"fingerprint": "ab", "decision": "ok"}]}', "decision"),
    ('{"version": 1, "decisions": [{"fingerprint": "ab", "decision": "pending", "note": 3}]}', "note"),
    ("[1, 2]", "不是 tender-check 判断文件"),
])
def test_a_bad_decisions_file_is_refused_with_one_line_naming_it(tmp_path, content, problem):
    path = tmp_path / "判断.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load(path)
    assert problem in str(err.value) and str(path) in str(err.value)
    res = cli("scan", SCALE, "--decisions", path)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tender-check: 判断文件 ") and str(path) in lines[0]
    assert problem in lines[0] and res.stdout == ""  # refused before anything was scanned


def test_scan_with_decisions_in_json_text_csv_and_xlsx(tmp_path):
    doc = tmp_path / "第一稿.md"
    doc.write_text(DRAFT, encoding="utf-8")
    plain = scan_json(doc)["files"][0]["findings"]
    from checker.api import build_engine, scan_file

    fps = fingerprints(scan_file(str(doc), build_engine()).findings)
    for f, fp in zip(plain, fps):
        f["fp"] = fp
    branch = next(f for f in plain if f["rule_id"] == "EXC-REGION-001")  # 须在本市设有分公司
    capital = next(f for f in plain if "注册资本" in f["excerpt"])
    decisions = tmp_path / "判断.json"
    decisions.write_text(json.dumps({"version": 1, "decisions": [
        entry(branch, "false_alarm", "服务网点另有约定"), entry(capital, "accepted", "删除资本门槛")]},
        ensure_ascii=False), encoding="utf-8")
    renamed = tmp_path / "送审" / "第二稿.md"  # another name in another folder
    renamed.parent.mkdir()
    renamed.write_text(DRAFT, encoding="utf-8")

    data = scan_json(renamed, "--decisions", decisions)
    f0 = data["files"][0]
    assert f0["hidden_false_alarms"] == 1 and data["summary"]["hidden_false_alarms"] == 1
    assert len(f0["findings"]) == len(plain) - 1
    assert not any(f["rule_id"] == "EXC-REGION-001" for f in f0["findings"])
    judged = [(f["decision"], f["note"]) for f in f0["findings"] if "decision" in f]
    assert judged == [("accepted", "删除资本门槛")]  # only the first 注册资本 clause was judged
    assert data["summary"]["findings"] == len(plain) - 1

    res = cli("scan", renamed, "--decisions", decisions, "-j", "1")
    assert "判断：采纳（备注：删除资本门槛）" in res.stdout
    assert "另有 1 项已判定为误报，未列出" in res.stdout
    assert res.stdout.rstrip().splitlines()[-1].endswith("另有 1 项已判定为误报，未列出")
    assert "EXC-REGION-001" not in res.stdout

    res = cli("scan", renamed, "--decisions", decisions, "--format", "csv", "-j", "1")
    rows = list(csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff"))))
    assert len(rows) == len(plain) - 1
    assert [(r["审查判断"], r["备注"]) for r in rows if r["审查判断"]] == [("采纳", "删除资本门槛")]
    assert "审查判断" not in cli("scan", renamed, "--format", "csv", "-j", "1").stdout  # no decisions, no columns

    out = tmp_path / "r.xlsx"
    res = cli("scan", renamed, "--decisions", decisions, "--format", "xlsx", "-o", out, "-j", "1")
    assert "另有 1 项已判定为误报" in res.stderr
    import openpyxl

    wb = openpyxl.load_workbook(out)
    head = [c.value for c in wb["发现"][1]]
    assert head[-2:] == ["审查判断", "备注"]
    summary = {h.value: v.value for h, v in zip(wb["汇总"][1], wb["汇总"][2])}
    assert summary["已判定误报"] == 1


def test_annotate_with_decisions_skips_false_alarms(tmp_path, scale_result):
    decisions = tmp_path / "判断.json"
    d = _decisions(scale_result, {"EXC-AUTH-001": ("false_alarm", ""), "EXC-SCALE-002": ("accepted", "改为方案评分")})
    decisions.write_text(json.dumps({"version": 1, "decisions": [
        dec.as_json() for g in d.groups.values() for dec in g.values()]}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "批注.docx"
    res = cli("annotate", SCALE, "-o", out, "--decisions", decisions)
    assert res.exit_code == 0, res.output
    assert f"{len(scale_result.findings) - 1} 条批注" in res.stdout
    import docx

    comments = [c.text for c in docx.Document(str(out)).comments]
    assert not any(c.startswith("EXC-AUTH-001") for c in comments)
    assert any("审查判断：采纳（备注：改为方案评分）" in c for c in comments)
