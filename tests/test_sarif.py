"""CI formats: SARIF validates against the 2.1.0 schema; JUnit parses; CSV opens in Excel; JSONL is line-wise."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from tests.docbuild import SAMPLE, make_docx

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture
def folder(tmp_path):
    make_docx(tmp_path / "招标文件.docx", SAMPLE)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "clean.md").write_text("# 资格要求\n具有独立承担民事责任的能力。\n", encoding="utf-8")
    return tmp_path


def scan(folder, fmt):
    res = CliRunner().invoke(main, ["scan", str(folder), "--format", fmt, "-j", "1"])
    assert res.exit_code == 3, res.output
    return res.stdout


def test_sarif_validates_against_the_schema_and_carries_rules_locations_and_notifications(folder):
    jsonschema = pytest.importorskip("jsonschema")
    log = json.loads(scan(folder, "sarif"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)  # raises on any violation

    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    scale = rules["EXC-SCALE-001"]
    assert scale["shortDescription"]["text"] and scale["fullDescription"]["text"] and scale["help"]["text"]
    assert scale["properties"]["family"] == "EXC"
    res = next(r for r in run["results"] if r["ruleId"] == "EXC-SCALE-001")
    assert res["level"] == "error"
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "EXC-SCALE-001"
    loc = res["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith(".docx")
    region = loc["physicalLocation"]["region"]
    assert region["snippet"]["text"] == "注册资本不少于人民币1000万元"
    assert region["startLine"] >= 1 and region["endColumn"] - region["startColumn"] == len("注册资本不少于人民币1000万元")
    assert loc["logicalLocations"][0]["name"] == "二、资格要求"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and "broken.docx" in notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert not any("broken" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"])


def test_sarif_levels_follow_configured_severity(folder, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[severity]\n"EXC-SCALE" = "info"\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", str(folder), "--format", "sarif", "--config", str(cfg)])
    run = json.loads(res.stdout)["runs"][0]
    assert {r["level"] for r in run["results"] if r["ruleId"].startswith("EXC-SCALE")} == {"note"}


def test_junit_has_a_case_per_file_and_family_with_findings_as_failures(folder):
    root = ET.fromstring(scan(folder, "junit").encode("utf-8"))
    suites = {Path(s.get("name")).name: s for s in root.iter("testsuite")}
    assert set(suites) == {"招标文件.docx", "broken.docx", "clean.md"}
    doc = suites["招标文件.docx"]
    cases = {c.get("name"): c for c in doc.iter("testcase")}
    assert {"EXC", "NUM"} <= set(cases)
    failure = cases["EXC"].find("failure")
    assert failure is not None and "EXC-SCALE-001" in failure.text and "注册资本" in failure.text
    data = json.loads(CliRunner().invoke(main, ["scan", str(folder), "--format", "json"]).stdout)
    for f in data["files"]:  # a case fails exactly when its family has findings in that file
        failing = {c.get("name") for c in suites[Path(f["path"]).name].iter("testcase") if c.find("failure") is not None}
        assert failing == {x["rule_id"].split("-")[0] for x in f["findings"]}
    assert suites["broken.docx"].find("testcase/error") is not None
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites.values())


def test_csv_has_a_bom_and_one_row_per_finding(folder):
    text = scan(folder, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    scale = [r for r in rows if r["规则ID"] == "EXC-SCALE-001"]
    assert len(scale) == 1 and scale[0]["摘录"] == "注册资本不少于人民币1000万元"
    assert scale[0]["级别"] == "错误" and scale[0]["状态"] == "正式"
    assert "二、资格要求 · " in scale[0]["位置"]
    broken = [r for r in rows if r["文件"].endswith("broken.docx")]
    assert [r["状态"] for r in broken] == ["无法读取"] and broken[0]["说明"]


def test_jsonl_lines_match_the_json_contract(folder):
    lines = [json.loads(x) for x in scan(folder, "jsonl").splitlines()]
    whole = CliRunner().invoke(main, ["scan", str(folder), "--format", "json"]).stdout
    assert lines == json.loads(whole)["files"]
