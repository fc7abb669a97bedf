"""The command line: exit codes, the JSON contract, bad inputs reported per file, help texts."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from checker.cli import main
from tests.docbuild import SAMPLE, make_docx


@pytest.fixture
def folder(tmp_path):
    make_docx(tmp_path / "good.docx", SAMPLE)
    (tmp_path / "broken.docx").write_bytes(b"this is not a zip file")
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "gbk.txt").write_bytes("二、资格要求\n供应商须在本市设有分公司。\n".encode("gbk"))
    (tmp_path / "~$good.docx").write_bytes(b"lock file")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_scan_folder_reports_findings_and_errors_and_exits_3(folder):
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    res = run("scan", folder)
    assert res.exit_code == 3, res.output
    assert "EXC-SCALE-001" in res.output
    assert "EXC-REGION-001" in res.output  # from the GBK text file
    assert "broken.docx" in res.output and "不是有效的 .docx" in res.output
    assert "empty.pdf" in res.output and "文件为空" in res.output
    assert "~$good.docx" not in res.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # inputs untouched


def test_json_follows_the_contract(folder):
    res = run("scan", folder, "--format", "json")
    data = json.loads(res.output)
    assert data["version"] == 1 and data["tool"]["name"] == "tender-check"
    assert set(data["summary"]) >= {"files", "findings", "by_severity"}
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
    assert by_name["broken.docx"]["status"] == "error" and by_name["broken.docx"]["error"]
    good = by_name["good.docx"]
    assert good["status"] == "ok" and good["error"] is None and isinstance(good["facts"], dict)
    scale = [f for f in good["findings"] if f["rule_id"] == "EXC-SCALE-001"]
    assert len(scale) == 1  # the prohibition sentence below it is not flagged
    f = scale[0]
    assert set(f) >= {"rule_id", "severity", "title", "message", "excerpt", "location", "basis", "fix"}
    assert f["excerpt"] == "注册资本不少于人民币1000万元"
    assert f["location"]["section"] == ["第一章 招标公告", "第二章 投标人须知", "二、资格要求"][1:] or \
        f["location"]["section"][-1] == "二、资格要求"
    assert set(f["location"]) >= {"section", "block", "page", "table", "start", "end"}
    assert f["basis"][0]["law"] and f["basis"][0]["article"]
    dep = [f for f in good["findings"] if f["rule_id"] == "NUM-DEP-001"]
    assert dep and dep[0]["location"]["table"] == 0 and dep[0]["location"]["row"] == 1


def test_exit_codes(folder, tmp_path):
    good = folder / "good.docx"
    assert run("scan", good).exit_code == 1
    assert run("scan", good, "--fail-on", "never").exit_code == 0
    assert run("scan", good, "--select", "EXC-OWN").exit_code == 0
    assert run("scan", good, "--format", "nope").exit_code == 2
    assert run("scan", tmp_path / "missing.docx").exit_code == 3


def test_output_file_is_written_whole(folder, tmp_path):
    out = tmp_path / "out" / "r.json"
    res = run("scan", folder / "good.docx", "--format", "json", "-o", out)
    assert res.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["files"][0]["status"] == "ok"
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_prohibition_restating_the_law_is_silent(scan_md):
    found = scan_md("# 资格要求\n采购人不得将注册资本、资产总额等规模条件作为资格要求。\n")
    assert not found


@pytest.mark.parametrize("args", [["scan"], ["rules"], ["rules", "list"], ["rules", "show"],
                                  ["rules", "test"], ["facts"]])
def test_every_command_has_help_with_an_example(args):
    res = run(*args, "--help")
    assert res.exit_code == 0
    assert "例" in res.output


def test_rules_commands(rules):
    assert "EXC-SCALE-001" in run("rules", "list").output
    shown = run("rules", "show", "EXC-SCALE-001")
    assert shown.exit_code == 0 and "第十七条" in shown.output
    assert run("rules", "show", "NOPE-001").exit_code == 2
    tested = run("rules", "test")
    assert tested.exit_code == 0, tested.output
