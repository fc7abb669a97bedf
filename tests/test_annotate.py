"""Annotated .docx copies: one Word comment per finding on exactly the flagged words, input untouched."""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from lxml import etree

from checker.annotate import annotate_docx
from checker.cli import main
from checker.ingest.docx import read_docx
from checker.model import Finding, Location
from tests.docbuild import SAMPLE, make_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def comment_ranges(path) -> dict[str, tuple[str, str]]:
    """comment id → (text the range covers, comment text), read straight from the package XML."""
    with zipfile.ZipFile(path) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
        comments = etree.fromstring(zf.read("word/comments.xml"))
    notes = {c.get(W + "id"): "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p"))
             for c in comments.iter(W + "comment")}
    open_, covered = {}, {}
    for el in body.iter():
        if el.tag == W + "commentRangeStart":
            open_[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            covered[el.get(W + "id")] = "".join(open_.pop(el.get(W + "id")))
        elif el.tag == W + "t":
            for parts in open_.values():
                parts.append(el.text or "")
        elif el.tag == W + "p":
            for parts in open_.values():
                if parts:
                    parts.append("\n")
    assert not open_, "a comment range is never closed"
    return {cid: (covered[cid], notes[cid]) for cid in covered}


def scan_findings(path):
    from checker.api import scan

    return scan([str(path)]).files[0].findings


@pytest.fixture
def draft(tmp_path):
    return make_docx(tmp_path / "招标文件.docx", SAMPLE)


def test_one_comment_per_finding_on_the_flagged_words(draft, tmp_path):
    before = draft.read_bytes()
    out = tmp_path / "out" / "批注.docx"
    res = run("annotate", draft, "-o", out)
    assert res.exit_code == 0, res.output
    findings = scan_findings(draft)
    assert {"EXC-SCALE-001", "NUM-DEP-001"} <= {f.rule_id for f in findings}  # a paragraph and a table cell
    ranges = comment_ranges(out)
    assert len(ranges) == len(findings)
    got = sorted((note.split("【")[0], text) for text, note in ranges.values())
    assert got == sorted((f.rule_id, f.excerpt) for f in findings)
    note = next(n for t, n in ranges.values() if n.startswith("EXC-SCALE-001"))
    assert "修改：" in note and "依据：" in note and "第十七条" in note
    with zipfile.ZipFile(out) as zf:
        assert b'w:author="tender-check"' in zf.read("word/comments.xml")
    assert draft.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "招标文件.docx"]  # nothing beside the input


def test_split_runs_keep_their_formatting(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("二、资格要求", level=2)
    p = d.add_paragraph()
    p.add_run("投标人")
    bold = p.add_run("注册资本不少于人民币")
    bold.bold = True
    p.add_run("1000万元（以营业执照为准）。")
    src = tmp_path / "runs.docx"
    d.save(str(src))
    out = tmp_path / "runs.out.docx"
    findings = [f for f in scan_findings(src) if f.rule_id == "EXC-SCALE-001"]
    assert len(findings) == 1
    annotate_docx(src, out, findings)
    (text, _), = comment_ranges(out).values()
    assert text == "注册资本不少于人民币1000万元"
    para = docx.Document(str(out)).paragraphs[1]
    runs = [(r.text, bool(r.bold)) for r in para.runs if r.text]
    assert runs == [("投标人", False), ("注册资本不少于人民币", True), ("1000万元", False), ("（以营业执照为准）。", False)]


def _finding(rule: str, block, start: int, end: int) -> Finding:
    loc = Location("x", block.section, block.index, block.kind, None, block.table, block.row, block.col, start, end)
    return Finding(rule, "warning", "t", "测试", block.text[start:end], loc, (), "改")


def test_overlapping_findings_indented_paragraphs_and_cells_with_two_paragraphs(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("第一章    资格   要求", level=1)  # the reader collapses the spaces
    d.add_paragraph("\u3000\u3000投标人注册资本不少于人民币1000万元且在本市设有分公司。")  # and strips the indent
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "资格"
    cell = t.cell(0, 1)
    cell.text = "第一段要求。"
    cell.add_paragraph("第二段要求本地注册。")
    src = tmp_path / "mixed.docx"
    d.save(str(src))
    blocks = read_docx(src).blocks
    heading, para, cell_block = blocks[0], blocks[1], blocks[3]
    assert heading.text == "第一章 资格 要求" and para.text.startswith("投标人")
    text = para.text
    i, j = text.index("注册资本"), text.index("在本市")
    findings = [
        _finding("A-001", para, i, text.index("且")),        # 注册资本不少于人民币1000万元
        _finding("B-001", para, text.index("1000"), j + 3),  # overlaps A: 1000万元且在本市
        _finding("C-001", heading, 4, 9),                    # 资格 要求, across collapsed spaces
        _finding("D-001", cell_block, 3, len(cell_block.text) - 1),  # 要求。\n第二段要求本地注册, two paragraphs
    ]
    out = tmp_path / "mixed.out.docx"
    res = annotate_docx(src, out, findings)
    assert res.comments == 4 and not res.skipped
    got = {note.split("【")[0]: covered for covered, note in comment_ranges(out).values()}
    assert got == {"A-001": "注册资本不少于人民币1000万元", "B-001": "1000万元且在本市",
                   "C-001": "资格   要求", "D-001": "要求。\n第二段要求本地注册"}


def test_refuses_to_overwrite_the_input_and_non_docx_inputs(draft, tmp_path):
    before = draft.read_bytes()
    for target in (draft, tmp_path / "." / draft.name):
        res = run("annotate", draft, "-o", target)
        assert res.exit_code == 2 and "输出文件就是输入文件" in res.output
    assert draft.read_bytes() == before
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    res = run("annotate", pdf, "-o", tmp_path / "a.docx")
    assert res.exit_code == 2 and "a.pdf" in res.output and "需要 .docx" in res.output
    assert not (tmp_path / "a.docx").exists()
    res = run("annotate", tmp_path / "missing.docx", "-o", tmp_path / "m.docx")
    assert res.exit_code == 3 and "文件不存在" in res.output


def test_scan_annotate_dir_writes_one_copy_per_docx(tmp_path):
    for sub in ("甲", "乙"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        make_docx(tmp_path / "in" / sub / "招标文件.docx", SAMPLE)
    (tmp_path / "in" / "说明.md").write_text("# 资格要求\n供应商须在本市设有分公司。\n", encoding="utf-8")
    res = run("scan", tmp_path / "in", "--annotate-dir", tmp_path / "批注", "--fail-on", "never")
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "批注").iterdir())
    assert names == ["招标文件.annotated-2.docx", "招标文件.annotated.docx"]
    assert "说明.md" in res.output and "需要 .docx" in res.output
    assert len(comment_ranges(tmp_path / "批注" / names[0])) == len(scan_findings(tmp_path / "in" / "甲" / "招标文件.docx"))


@pytest.mark.slow
def test_annotated_copy_converts_cleanly_with_libreoffice(draft, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("没有 LibreOffice（soffice），跳过转换检查")
    out = tmp_path / "conv" / "annotated.docx"
    assert run("annotate", draft, "-o", out).exit_code == 0
    profile = tmp_path / "lo-profile"  # a private profile: other soffice runs on the machine do not interfere
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(out.parent), str(out)], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "HOME": str(tmp_path)})
    pdf = out.with_suffix(".pdf")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_default_output_name_beside_the_draft(draft):
    res = run("annotate", draft)
    assert res.exit_code == 0, res.output
    assert (draft.parent / f"{draft.stem}.批注.docx").is_file()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice（soffice）未安装")
def test_a_doc_draft_is_annotated_through_libreoffice_and_left_untouched(tmp_path):
    from pathlib import Path

    src = tmp_path / "旧稿.doc"
    shutil.copyfile(Path(__file__).resolve().parent.parent / "corpus" / "16-goods-open-legacy.doc", src)
    before = src.read_bytes()
    res = run("annotate", src)
    out = tmp_path / "旧稿.批注.docx"
    assert res.exit_code == 0, res.output
    assert out.is_file() and src.read_bytes() == before
    with zipfile.ZipFile(out) as z:
        assert "word/comments.xml" in z.namelist()
