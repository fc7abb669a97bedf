"""The HTML report without a browser: escaping, self-containment, overlapping marks, several files."""
from __future__ import annotations

import os
import re

from click.testing import CliRunner

from checker.cli import main
from checker.model import Block, Finding, Location
from checker.reporters.html import block_pieces, fact_value
from tests.docbuild import SAMPLE, make_docx

HOSTILE = ("# 二、资格要求\n"
           "投标人注册资本不少于人民币1000万元<script>alert('doc')</script>。\n"
           "本段没有问题，只出现一次：<img src=x onerror=alert(1)>\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_document_text_and_file_name_come_out_as_text(tmp_path):
    src = tmp_path / "<script>alert('name')<b>.md"  # a file name cannot hold "/"
    src.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "r.html"
    res = run("scan", src, "--format", "html", "-o", out, "--fail-on", "never")
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "EXC-SCALE-001" in html and "<mark" in html
    # the only <script> element is the report's own; everything typed by users is escaped
    assert html.count("<script") == 1
    assert "&lt;script&gt;alert(&#39;doc&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;b&gt;.md" in html and "<b>.md" not in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_report_is_self_contained(tmp_path):
    make_docx(tmp_path / "a.docx", SAMPLE)
    out = tmp_path / "r.html"
    run("scan", tmp_path / "a.docx", "--format", "html", "-o", out, "--fail-on", "never")
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # shareable like any new file, not private
    assert not re.search(r"<link\b|\bsrc\s*=|@import|url\(", html)
    assert "Noto Sans CJK SC" in html and "@media print" in html


def test_each_paragraph_is_in_the_report_once_in_reading_order_with_tables(tmp_path):
    make_docx(tmp_path / "a.docx", SAMPLE)
    out = tmp_path / "r.html"
    run("scan", tmp_path / "a.docx", "--format", "html", "-o", out, "--fail-on", "never")
    html = out.read_text(encoding="utf-8")
    assert html.count("采购人不得将注册资本、资产总额作为资格要求。") == 1
    # headings stay headings, in order, and the table is a table with its flagged cell marked
    # (a rule may mark a heading, so allow markup inside it)
    assert re.search(r"<h3[^>]*>(?:<[^>]+>)*第一章 招标公告", html)
    body = html[html.index('<article class="body">'):]
    assert body.index("第一章 招标公告") < body.index("二、资格要求</h4>") < body.index("<table class=\"dt")
    cell = re.search(r'<td id="[^"]+" class="flag">(.*?)</td>', html).group(1)
    assert '<mark class="s-error"' in cell and "NUM-DEP-001" in cell
    # facts header and the rule card with its legal basis
    assert "预算金额" in html and "300 万元" in html
    assert 'id="rule-EXC-SCALE-001"' in html and "第十七条" in html and "违规示例" in html
    assert re.search(r"本次检查加载了 \d+ 条规则（[^）]*EXC 排他性与倾向性条款 \d+", html)  # what was checked


def _finding(rule, start, end, text, sev="error"):
    loc = Location("x", (), 0, "paragraph", None, None, None, None, start, end)
    return Finding(rule, sev, "t", "m", text[start:end], loc, (), "fix")


def test_overlapping_findings_each_keep_their_exact_span():
    text = "投标人注册资本不少于人民币1000万元且在本市设有分公司。"
    block = Block(0, "paragraph", text)
    a = _finding("A-001", 3, 20, text)
    b = _finding("B-001", 10, 27, text, "warning")
    pieces = block_pieces(block, [(a, type("V", (), {"id": "fa"})()), (b, type("V", (), {"id": "fb"})())])
    assert "".join(p.text for p in pieces if p.kind == "t") == text  # nothing lost or repeated
    covered = {fid: "".join(p.text for p in pieces if p.kind == "t" and fid in p.fids) for fid in ("fa", "fb")}
    assert covered == {"fa": text[3:20], "fb": text[10:27]}
    both = [p for p in pieces if p.kind == "t" and len(p.fids) == 2]
    assert [p.text for p in both] == [text[10:20]] and both[0].severity == "error"
    kinds = "".join(p.kind for p in pieces)
    assert kinds.count("a") == 2 and kinds.count("c") == 2  # one anchor and one chip per finding


def test_several_files_make_one_report_with_an_overview(tmp_path):
    make_docx(tmp_path / "a.docx", SAMPLE)
    (tmp_path / "b.md").write_text("# 资格要求\n供应商须在本市设有分公司。\n", encoding="utf-8")
    (tmp_path / "c.docx").write_bytes(b"not a zip")
    out = tmp_path / "r.html"
    res = run("scan", tmp_path, "--format", "html", "-o", out)
    assert res.exit_code == 3
    html = out.read_text(encoding="utf-8")
    assert 'id="overview"' in html
    assert len(re.findall(r'<section class="doc"', html)) == 3
    assert "不是有效的 .docx" in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # anchors stay unique across documents


def test_unknown_and_missing_facts_still_render():
    assert fact_value("budget", None) == "未说明"
    assert fact_value("budget", 3000000.0) == "300 万元" and fact_value("budget", 10787900.0) == "1,078.79 万元"
    assert fact_value("price_weight", 0.3) == "30%"
    assert fact_value("some_new_key", {"a": 1}) == "a：1"
