"""The review opinion (审查意见书): read back with python-docx, converted by LibreOffice, and the CLI."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from checker.api import build_engine, scan_file
from checker.cli import main
from checker.opinion import render_opinion

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PENALTY = CORPUS / "14-services-open-penalty.pdf"


@pytest.fixture(scope="module")
def result():
    return scan_file(str(PENALTY), build_engine())


def _text(path: Path) -> str:
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_opinion_holds_facts_verdict_checklist_every_finding_and_signature(result, tmp_path):
    out = tmp_path / "意见书.docx"
    out.write_bytes(render_opinion(result))
    text = _text(out)
    assert "审查结论" in text and result.verdict()["text"] in text
    assert "某市人力资源和社会保障局" in text and "核查内容" in text
    for f in result.findings:
        assert f.rule_id in text and f.excerpt in text and f.fix in text
    assert "审查人（签字）" in text and "日期" in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice（soffice）未安装")
def test_libreoffice_converts_the_opinion(result, tmp_path):
    src = tmp_path / "op.docx"
    src.write_bytes(render_opinion(result))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    import pdfplumber

    with pdfplumber.open(tmp_path / "op.pdf") as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "审查结论" in text and result.findings[0].rule_id in text


def test_cli_writes_the_default_name_and_refuses_bad_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    res = runner.invoke(main, ["opinion", str(PENALTY)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "14-services-open-penalty.审查意见书.docx").is_file() and "审查结论" in res.output
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"not a docx")
    res = runner.invoke(main, ["opinion", str(bad)])
    assert res.exit_code == 3 and "坏文件.docx" in res.output
    res = runner.invoke(main, ["opinion", str(PENALTY), "-o", str(PENALTY)])
    assert res.exit_code == 2


def test_scan_opinion_dir_writes_one_per_file_and_the_report_links_them(tmp_path):
    out = tmp_path / "report.html"
    res = CliRunner().invoke(main, ["scan", str(PENALTY), "--format", "html", "-o", str(out),
                                    "--opinion-dir", str(tmp_path / "意见书"), "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    written = tmp_path / "意见书" / "14-services-open-penalty.审查意见书.docx"
    assert written.is_file()
    assert 'href="意见书/14-services-open-penalty.审查意见书.docx"' in out.read_text(encoding="utf-8")


def test_opinion_carries_the_reviewers_decisions(result, tmp_path):
    import json

    from checker.fingerprint import fingerprints

    fps = fingerprints(result.findings)
    decisions = tmp_path / "判断.json"
    decisions.write_text(json.dumps({"version": 1, "decisions": [
        {"fingerprint": fps[0], "rule_id": result.findings[0].rule_id, "excerpt": result.findings[0].excerpt,
         "decision": "false_alarm", "note": ""},
        {"fingerprint": fps[1], "rule_id": result.findings[1].rule_id, "excerpt": result.findings[1].excerpt,
         "decision": "accepted", "note": "已请采购人修改"}]}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "意见书.docx"
    res = CliRunner().invoke(main, ["opinion", str(PENALTY), "-o", str(out), "--decisions", str(decisions)])
    assert res.exit_code == 0, res.output
    text = _text(out)
    assert "已请采购人修改" in text and "审查人判断：采纳" in text and "1 项经审查人判定为误报" in text
