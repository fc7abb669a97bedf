"""Baselines: known findings stay silent after edits elsewhere; only new violations are reported."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checker.cli import main

BEFORE = """# 第一章 招标公告
项目名称：某单位办公设备采购。
# 第二章 投标人须知
## 二、资格要求
投标人注册资本不少于500万元。
供应商须在本市设有分公司。
"""

# an edit elsewhere: new paragraphs above, a changed sentence in another chapter
EDITED = """# 第一章 招标公告
项目名称：某单位办公设备及配套软件采购（第二次）。
本次采购分两个包，详见第三章。
# 第二章 投标人须知
## 一、总则
投标文件应使用中文编写。
## 二、资格要求
投标人注册资本不少于500万元。
供应商须在本市设有分公司。
"""

NEW_VIOLATION = EDITED + "投标人营业收入不低于2000万元。\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def findings(res):
    return [x for f in json.loads(res.stdout)["files"] for x in f["findings"]]


def test_baseline_survives_edits_elsewhere_and_reports_only_new(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = Path("docs") / "tender.md"
    doc.parent.mkdir()
    doc.write_text(BEFORE, encoding="utf-8")
    known = findings(run("scan", "docs", "--format", "json"))
    assert len(known) >= 2
    res = run("baseline", "docs", "-o", "tc-baseline.json")
    assert res.exit_code == 0 and str(len(known)) in res.stdout

    doc.write_text(EDITED, encoding="utf-8")
    moved = findings(run("scan", "docs", "--format", "json"))
    assert len(moved) == len(known)
    assert [f["location"]["block"] for f in moved] != [f["location"]["block"] for f in known]  # really moved
    res = run("scan", "docs", "--format", "json", "--baseline", "tc-baseline.json")
    assert findings(res) == [] and res.exit_code == 0

    doc.write_text(NEW_VIOLATION, encoding="utf-8")
    res = run("scan", "docs", "--format", "json", "--baseline", "tc-baseline.json")
    new = findings(res)
    assert new and all("营业收入" in f["excerpt"] for f in new)
    assert res.exit_code == 1


def test_a_second_copy_of_a_known_clause_is_new(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("t.md").write_text(BEFORE, encoding="utf-8")
    run("baseline", "t.md", "-o", "b.json")
    before = findings(run("scan", "t.md", "--format", "json"))
    # the same clause again in the same section: same rule, excerpt and heading trail, occurrence 2
    Path("t.md").write_text(BEFORE + "投标人注册资本不少于500万元。\n", encoding="utf-8")
    after = findings(run("scan", "t.md", "--format", "json"))
    new = findings(run("scan", "t.md", "--format", "json", "--baseline", "b.json"))
    assert new and len(new) == len(after) - len(before)
    assert {f["rule_id"] for f in new} <= {f["rule_id"] for f in before}


def test_baseline_from_config_is_relative_to_the_config_file(tmp_path, monkeypatch):
    (tmp_path / "t.md").write_text(BEFORE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run("baseline", "t.md", "-o", "ci/b.json")
    (tmp_path / "tender-check.toml").write_text('baseline = "ci/b.json"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert findings(run("scan", "../t.md", "--format", "json")) == []


def test_bad_baseline_file_is_a_clear_error(tmp_path):
    (tmp_path / "t.md").write_text(BEFORE, encoding="utf-8")
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    res = run("scan", tmp_path / "t.md", "--baseline", tmp_path / "b.json")
    assert res.exit_code == 2 and "b.json" in res.stderr and "Traceback" not in res.stderr


def test_a_renamed_copy_keeps_its_baseline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("drafts").mkdir()
    Path("drafts/v1.md").write_text(BEFORE, encoding="utf-8")
    assert findings(run("scan", "drafts/v1.md", "--format", "json"))
    run("baseline", "drafts/v1.md", "-o", "b.json")
    # the same draft saved under another name in another folder: no entry for its path
    Path("out").mkdir()
    Path("out/第二稿.md").write_text(EDITED, encoding="utf-8")
    res = run("scan", "out/第二稿.md", "--format", "json", "--baseline", "b.json")
    assert findings(res) == [] and res.exit_code == 0
    # a new clause in the renamed copy is still reported
    Path("out/第二稿.md").write_text(NEW_VIOLATION, encoding="utf-8")
    new = findings(run("scan", "out/第二稿.md", "--format", "json", "--baseline", "b.json"))
    assert new and all("营业收入" in f["excerpt"] for f in new)


def test_content_match_uses_only_the_best_matching_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    other = "# 资格要求\n投标人营业收入不低于2000万元。\n"
    Path("a.md").write_text(BEFORE, encoding="utf-8")
    Path("b.md").write_text(other, encoding="utf-8")
    Path("clean.md").write_text("# 第一章 招标公告\n项目名称：某单位办公设备采购。\n", encoding="utf-8")
    run("baseline", "a.md", "b.md", "clean.md", "-o", "base.json")
    # a copy of a.md with b.md's clause pasted under a.md's headings: a.md's findings are known,
    # the pasted clause sits under another heading trail, so it is new
    Path("copy.md").write_text(BEFORE + "投标人营业收入不低于2000万元。\n", encoding="utf-8")
    new = findings(run("scan", "copy.md", "--format", "json", "--baseline", "base.json"))
    assert new and all("营业收入" in f["excerpt"] for f in new)
    # a file that was clean at baseline time is matched by its own (empty) entry, not by content
    Path("clean.md").write_text(BEFORE, encoding="utf-8")
    assert findings(run("scan", "clean.md", "--format", "json", "--baseline", "base.json"))
