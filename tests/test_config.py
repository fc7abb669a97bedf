"""Configuration files: discovery, ignore and per-path ignores, severity, local rule packs, CLI override, errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

DOC = "# 资格要求\n投标人注册资本不少于500万元。\n供应商须在本市设有分公司。\n东莞市内企业须提供镇街证明。\n"

LOCAL_RULE = """id: DG-LOCAL-001
name: town-certificate
title: 要求提供镇街证明
severity: warning
status: stable
applies: {switch: dongguan}
basis:
  - {law: 本地规定（测试用）, article: 第一条}
description: 测试用本地规则。
message: 要求提供镇街证明
fix: 删除该要求。
check:
  type: phrase
  terms: [镇街证明]
examples:
  bad: [{text: "# 资格要求\\n须提供镇街证明。", span: 镇街证明}]
  good: ["# 资格要求\\n无要求。"]
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "active").mkdir()
    (tmp_path / "archive" / "2019").mkdir(parents=True)
    (tmp_path / "active" / "a.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "archive" / "2019" / "old.md").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scan(*args):
    res = CliRunner().invoke(main, ["scan", *[str(a) for a in args], "--format", "json", "-j", "1"])
    return res, (json.loads(res.stdout) if res.stdout.startswith("{") else None)


def rule_ids(data, name):
    f = next(f for f in data["files"] if Path(f["path"]).name == name)
    return {x["rule_id"] for x in f["findings"]}


def test_ignore_and_per_path_ignores_from_tender_check_toml(project):
    _, before = scan(".")
    assert any(r.startswith("EXC-SCALE") for r in rule_ids(before, "old.md"))
    assert any(r.startswith("EXC-REGION") for r in rule_ids(before, "a.md"))
    (project / "tender-check.toml").write_text(
        'ignore = ["EXC-REGION"]\n[per-path-ignores]\n"archive/**" = ["EXC-SCALE"]\n', encoding="utf-8")
    _, after = scan(".")
    assert not any(r.startswith("EXC-REGION") for f in after["files"] for r in rule_ids(after, Path(f["path"]).name))
    assert not any(r.startswith("EXC-SCALE") for r in rule_ids(after, "old.md"))
    assert any(r.startswith("EXC-SCALE") for r in rule_ids(after, "a.md"))  # only under archive/


def test_found_in_a_parent_folder_and_in_pyproject(project, monkeypatch):
    (project / "pyproject.toml").write_text('[tool.tender-check]\nselect = ["EXC-SCALE"]\n', encoding="utf-8")
    monkeypatch.chdir(project / "active")
    _, data = scan("a.md")
    assert rule_ids(data, "a.md") and all(r.startswith("EXC-SCALE") for r in rule_ids(data, "a.md"))
    res = CliRunner().invoke(main, ["config"])
    assert "pyproject.toml" in res.stdout and '"EXC-SCALE"' in res.stdout


def test_command_line_flags_override_the_file(project):
    (project / "tender-check.toml").write_text('select = ["EXC-SCALE"]\nfail-on = "never"\n', encoding="utf-8")
    res, data = scan("active", "--select", "EXC-REGION")
    assert rule_ids(data, "a.md") and all(r.startswith("EXC-REGION") for r in rule_ids(data, "a.md"))
    assert res.exit_code == 0  # fail-on = never from the file still holds
    res, _ = scan("active", "--select", "EXC-REGION", "--fail-on", "warning")
    assert res.exit_code == 1


def test_severity_override_and_fail_on(project):
    (project / "tender-check.toml").write_text(
        'select = ["EXC-SCALE"]\nfail-on = "error"\n[severity]\n"EXC-SCALE" = "info"\n', encoding="utf-8")
    res, data = scan("active")
    f = next(f for f in data["files"] if f["findings"])
    assert {x["severity"] for x in f["findings"]} == {"info"}
    assert res.exit_code == 0


def test_local_rule_pack_and_switch(project):
    pack = project / "dg-rules"
    pack.mkdir()
    (pack / "DG-LOCAL-001.yaml").write_text(LOCAL_RULE, encoding="utf-8")
    (project / "tender-check.toml").write_text('rules = ["dg-rules"]\n', encoding="utf-8")
    _, data = scan("active")
    assert "DG-LOCAL-001" not in rule_ids(data, "a.md")  # switch off
    (project / "tender-check.toml").write_text('rules = ["dg-rules"]\nswitches = ["dongguan"]\n', encoding="utf-8")
    _, data = scan("active")
    assert "DG-LOCAL-001" in rule_ids(data, "a.md")


def test_config_command_says_where_each_value_came_from(project):
    (project / "tender-check.toml").write_text('ignore = ["EXC-BRAND"]\njobs = 2\n', encoding="utf-8")
    out = CliRunner().invoke(main, ["config"]).stdout
    lines = {line.split("=")[0].strip(): line for line in out.splitlines() if "=" in line}
    assert '"EXC-BRAND"' in lines["ignore"] and "tender-check.toml" in lines["ignore"]
    assert "默认" in lines["select"] and "tender-check.toml" in lines["jobs"]


@pytest.mark.parametrize("text,key", [
    ('selct = ["EXC"]\n', "selct"),
    ('fail-on = "sometimes"\n', "fail-on"),
    ('jobs = 0\n', "jobs"),
    ('[severity]\n"EXC" = "fatal"\n', "severity"),
    ('[per-path-ignores]\n"a/**" = "SME"\n', "per-path-ignores"),
])
def test_bad_config_names_the_file_and_key_and_exits_2(project, text, key):
    (project / "tender-check.toml").write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", "active"])
    assert res.exit_code == 2
    assert "tender-check.toml" in res.stderr and key in res.stderr
    assert "Traceback" not in res.stderr


def test_broken_toml_and_missing_file(project):
    (project / "tender-check.toml").write_text("select = [\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", "active"])
    assert res.exit_code == 2 and "tender-check.toml" in res.stderr and "TOML" in res.stderr
    res = CliRunner().invoke(main, ["scan", "active", "--config", "nope.toml"])
    assert res.exit_code == 2 and "nope.toml" in res.stderr
