"""`compare OLD NEW`: what a second draft fixed, what it added, what it kept — by content, not position."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

from .docbuild import make_docx

# two drafts written for these tests: the second drops the registered-capital clause, adds a
# turnover threshold, and moves the remaining clauses down by adding text above them
FIRST = [
    ("h1", "第一章 采购公告"),
    ("p", "项目名称：某学校实验室设备采购。"),
    ("h1", "第二章 供应商须知"),
    ("h2", "三、资格条件"),
    ("p", "投标人注册资本不少于1000万元。"),
    ("p", "供应商须在本市设有售后服务机构。"),
    ("p", "投标人成立时间不少于5年。"),
    ("h2", "四、其他要求"),
    ("p", "投标保证金为人民币5万元。"),
]
SECOND = [
    ("h1", "第一章 采购公告"),
    ("p", "项目名称：某学校实验室设备采购（修订稿）。"),
    ("p", "本次采购不分包。"),
    ("p", "联系人：张老师。"),
    ("h1", "第二章 供应商须知"),
    ("h2", "三、资格条件"),
    ("p", "供应商须在本市设有售后服务机构。"),
    ("p", "投标人成立时间不少于5年。"),
    ("p", "投标人近三年营业收入均不低于3000万元。"),
    ("h2", "四、其他要求"),
    ("p", "投标保证金为人民币5万元。"),
]


def md(parts) -> str:
    marks = {"h1": "# ", "h2": "## "}
    return "".join(f"{marks.get(kind, '')}{text}\n" for kind, text in parts)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def scan_json(path) -> list[dict]:
    res = run("scan", path, "--format", "json", "--fail-on", "never")
    return json.loads(res.stdout)["files"][0]["findings"]


@pytest.fixture(params=["md", "docx"])
def drafts(request, tmp_path):
    if request.param == "md":
        old, new = tmp_path / "第一稿.md", tmp_path / "第二稿.md"
        old.write_text(md(FIRST), encoding="utf-8")
        new.write_text(md(SECOND), encoding="utf-8")
    else:
        old = make_docx(tmp_path / "第一稿.docx", FIRST)
        new = make_docx(tmp_path / "第二稿.docx", SECOND)
    return old, new


def test_drafts_are_what_the_tests_assume(drafts):
    old, new = drafts
    before, after = scan_json(old), scan_json(new)
    assert len(before) >= 3 and len(after) == len(before)  # one gone, one added, at least one kept
    assert any("注册资本" in f["excerpt"] for f in before)
    assert not any("注册资本" in f["excerpt"] for f in after)
    assert any("营业收入" in f["excerpt"] for f in after)


def test_json_lists_one_fixed_one_added_rest_remaining(drafts):
    old, new = drafts
    res = run("compare", old, new, "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    remaining = len(scan_json(old)) - 1
    assert out["summary"] == {"fixed": 1, "added": 1, "remaining": remaining}
    assert out["old"] == {"path": str(old), "source": "document"}

    [fixed] = out["fixed"]
    assert "注册资本" in fixed["excerpt"] and fixed["kind"] == "已修改"
    assert fixed["new"] is None and "三、资格条件" in fixed["old"]["where"]

    [added] = out["added"]
    assert "营业收入" in added["excerpt"] and added["kind"] == "新增"
    assert added["old"] is None and added["new"]["location"]["section"][-1] == "三、资格条件"

    assert len(out["remaining"]) == remaining
    for item in out["remaining"]:
        assert item["kind"] == "仍存在" and item["old"] and item["new"]
        assert item["old"]["location"]["section"] == item["new"]["location"]["section"]
    # the kept clauses moved: their locations differ between the drafts
    assert any(i["old"]["location"]["block"] != i["new"]["location"]["block"] for i in out["remaining"])
    assert len({i["fingerprint"] for k in ("fixed", "added", "remaining") for i in out[k]}) == remaining + 2


def test_text_groups_the_three_kinds_with_counts_and_both_locations(drafts):
    from checker.api import scan
    from checker.reporters.text import location_text

    old, new = drafts
    res = run("compare", old, new)
    assert res.exit_code == 0
    text = res.stdout
    remaining = len(scan_json(old)) - 1
    assert "已修改 1 项" in text and "新增 1 项" in text and f"仍存在 {remaining} 项" in text
    assert text.index("已修改 1 项") < text.index("新增 1 项") < text.index("仍存在")
    fixed_part = text[text.index("已修改"):text.index("新增 1 项")]
    assert "注册资本不少于1000万元" in fixed_part and "旧稿位置" in fixed_part and "新稿位置" not in fixed_part
    added_part = text[text.index("新增 1 项"):text.index("仍存在")]
    assert "营业收入" in added_part and "新稿位置" in added_part and "旧稿位置" not in added_part
    # locations are written exactly as the scan report writes them
    for f in scan(str(new)).findings:
        assert location_text(f.location) in text
    assert f"共 {remaining + 2} 项：已修改 1，新增 1，仍存在 {remaining}" in text


def test_a_saved_json_report_compares_against_a_document(tmp_path):
    old, new = tmp_path / "v1.md", tmp_path / "v2.md"
    old.write_text(md(FIRST), encoding="utf-8")
    new.write_text(md(SECOND), encoding="utf-8")
    report = tmp_path / "v1.json"
    assert run("scan", old, "--format", "json", "-o", report, "--fail-on", "never").exit_code == 0
    direct = json.loads(run("compare", old, new, "--format", "json").stdout)
    res = run("compare", report, new, "--format", "json")
    assert res.exit_code == 0, res.output
    saved = json.loads(res.stdout)
    assert saved["old"]["source"] == "report" and saved["new"]["source"] == "document"
    assert saved["summary"] == direct["summary"]
    for kind in ("fixed", "added", "remaining"):
        assert [i["fingerprint"] for i in saved[kind]] == [i["fingerprint"] for i in direct[kind]]
        assert [i["old"] and i["old"]["where"] for i in saved[kind]] == \
               [i["old"] and i["old"]["where"] for i in direct[kind]]
    # the other way round, and report against report
    report2 = tmp_path / "v2.json"
    run("scan", new, "--format", "json", "-o", report2, "--fail-on", "never")
    both = json.loads(run("compare", report, report2, "--format", "json").stdout)
    assert both["summary"] == direct["summary"]
    back = json.loads(run("compare", new, report, "--format", "json").stdout)
    assert back["summary"]["fixed"] == 1 and back["summary"]["added"] == 1


def test_a_renamed_heading_keeps_the_clause_remaining(tmp_path):
    old, new = tmp_path / "a.md", tmp_path / "b.md"
    old.write_text(md(FIRST), encoding="utf-8")
    new.write_text(md(FIRST).replace("三、资格条件", "三、供应商资格要求"), encoding="utf-8")
    out = json.loads(run("compare", old, new, "--format", "json").stdout)
    assert out["summary"]["fixed"] == 0 and out["summary"]["added"] == 0
    assert any("三、供应商资格要求" in i["new"]["where"] and "三、资格条件" in i["old"]["where"]
               for i in out["remaining"])


def test_html_and_output_file(tmp_path):
    old, new = tmp_path / "a.md", tmp_path / "b.md"
    old.write_text(md(FIRST), encoding="utf-8")
    new.write_text(md(SECOND).replace("售后服务机构", "<script>售后服务机构</script>"), encoding="utf-8")
    target = tmp_path / "out" / "比较.html"
    res = run("compare", old, new, "--format", "html", "-o", target)
    assert res.exit_code == 0 and res.stdout == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    for label in ('id="fixed"', 'id="added"', 'id="remaining"', "已修改", "新增", "仍存在"):
        assert label in page
    assert "http://" not in page and "https://" not in page
    assert not [p for p in target.parent.iterdir() if p.name != target.name]  # no temp file left


def test_bad_inputs_are_one_line_errors_with_exit_2(tmp_path):
    good = tmp_path / "a.md"
    good.write_text(md(FIRST), encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"not a zip at all")
    (tmp_path / "other.json").write_text('{"name": "something else"}', encoding="utf-8")
    (tmp_path / "junk.json").write_text("{oops", encoding="utf-8")
    cases = {
        "missing.md": "文件不存在",
        "broken.docx": "无法读取",
        "other.json": "不是 tender-check 的 JSON 报告",
        "junk.json": "不是 tender-check 的 JSON 报告",
    }
    for name, words in cases.items():
        for args in ((tmp_path / name, good), (good, tmp_path / name)):
            res = run("compare", *args)
            assert res.exit_code == 2, (name, res.output)
            err = res.stderr.strip()
            assert "\n" not in err and name in err and words in err and "Traceback" not in err


def test_a_report_of_several_files_is_refused(tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(md(FIRST), encoding="utf-8")
    b.write_text(md(SECOND), encoding="utf-8")
    both = tmp_path / "both.json"
    run("scan", a, b, "--format", "json", "-o", both, "--fail-on", "never")
    res = run("compare", both, b)
    assert res.exit_code == 2 and "both.json" in res.stderr and "2 个文件" in res.stderr


def test_a_renamed_copy_keeps_its_baseline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("第一稿.md").write_text(md(FIRST), encoding="utf-8")
    assert run("baseline", "第一稿.md", "-o", "base.json").exit_code == 0
    Path("copy").mkdir()
    Path("copy/送审稿.md").write_text(md(FIRST), encoding="utf-8")
    assert scan_json("copy/送审稿.md")
    res = run("scan", "copy/送审稿.md", "--format", "json", "--baseline", "base.json")
    assert json.loads(res.stdout)["files"][0]["findings"] == [] and res.exit_code == 0
