"""Reports stay valid and inert whatever a document holds: control characters, lone surrogates, RTL marks, markup."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checker import reporters
from checker.api import build_engine
from checker.facts import extract_facts
from checker.ingest.text import parse_text
from checker.model import FileResult, Report

NASTY = "\x00\x01\x1b\ud800\u202e<script>alert(1)</script>]]>&amp;\"'"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def rules():
    return build_engine().rules


@pytest.fixture(scope="module")
def report() -> Report:
    path = f"待审/恶意{NASTY}.docx"
    text = (f"# 资格要求{NASTY}\n投标人注册资本不少于1000万元{NASTY}。\n"
            f"| 条款{NASTY} | 内容 |\n| 资格 | 注册资本不少于2000万元{NASTY} |")
    engine = build_engine()
    doc = parse_text(text, path, "md")
    findings = engine.check(doc, extract_facts(doc))
    assert findings
    # the readers clean block text (see test_builder_cleans_text); reporters must cope on their own
    # with whatever reaches them, e.g. through the API or a file name
    findings = tuple(dataclasses.replace(f, excerpt=f.excerpt + NASTY, message=f.message + NASTY,
                                         location=dataclasses.replace(f.location, section=(NASTY,)))
                     for f in findings)
    ok = FileResult(path, "ok", None, {}, findings, doc)
    bad = FileResult(f"坏文件{NASTY}.pdf", "error", f"PDF 文件损坏，无法解析：{NASTY}")
    return Report((ok, bad))


def _write(tmp_path, fmt, report, rules=None) -> bytes:
    """Render and write through write_atomic, as the CLI does; the bytes on disk are what counts."""
    out = tmp_path / f"out.{fmt}"
    text = reporters.get(fmt).render(report, rules=rules, color=False, concise=fmt == "concise")
    reporters.write_atomic(out, text)
    data = out.read_bytes()
    data.decode("utf-8")  # strict: no surrogates or broken sequences reached the file
    return data


def test_json_stays_valid(tmp_path, report):
    obj = json.loads(_write(tmp_path, "json", report))
    assert obj["files"][1]["status"] == "error" and "<script>" in obj["files"][1]["error"]
    assert "\u202e" in obj["files"][0]["path"]


def test_jsonl_one_valid_object_per_line(tmp_path, report):
    lines = _write(tmp_path, "jsonl", report).decode("utf-8").splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["status"] for line in lines] == ["ok", "error"]


def test_sarif_stays_valid_and_matches_the_schema(tmp_path, report, rules):
    log = json.loads(_write(tmp_path, "sarif", report, rules))
    assert log["runs"][0]["results"]
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)


def test_junit_parses_as_xml(tmp_path, report, rules):
    root = ET.fromstring(_write(tmp_path, "junit", report, rules))
    names = [s.get("name") for s in root.iter("testsuite")]
    assert len(names) == 2 and all("<script>" in n for n in names)


def test_csv_parses_and_never_starts_a_formula(tmp_path, report):
    text = _write(tmp_path, "csv", report).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "文件" and len(rows) >= 3


def test_html_escapes_everything_from_the_document(tmp_path, report, rules):
    html = _write(tmp_path, "html", report, rules).decode("utf-8")
    # the only scripts are the report's own: none of the document's markup survives unescaped
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x00" not in html and "\x1b" not in html
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        scripts = 0

        def handle_starttag(self, tag, attrs):
            if tag == "script":
                self.scripts += 1

    parser = Collect()
    parser.feed(html)
    own = reporters.get("html").render(Report(()), rules=[]).count("<script")
    assert parser.scripts == own


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_text_output_is_writable(tmp_path, report, fmt):
    data = _write(tmp_path, fmt, report).decode("utf-8")
    # nothing from the document can drive or reorder the terminal
    assert not any(c in data for c in "\x00\x01\x1b\u202e\ud800")
    assert "<script>alert(1)</script>" in data


def test_builder_cleans_text():
    doc = parse_text(f"# 标题{NASTY}\n正文{NASTY}\n| a{NASTY} | b |", "x.md", "md")
    for block in doc.blocks:
        assert not any(c in block.text for c in "\x00\x01\x1b\ud800")
    assert "\ufffd\u202e<script>" in doc.blocks[1].text  # the surrogate becomes U+FFFD, the rest is kept
