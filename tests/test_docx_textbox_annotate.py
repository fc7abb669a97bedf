"""The reader and the annotator agree on text boxes and tab-stop definitions, so a finding inside a
text box gets its comment, and a paragraph with tab stops keeps its own text."""
from __future__ import annotations

import zipfile

import pytest

from checker.ingest import read
from tests.docbuild import SAMPLE, make_docx
from tests.test_reliability_ingest import _text_box, _with_body_xml


@pytest.fixture
def sample(tmp_path):
    return make_docx(tmp_path / "sample.docx", SAMPLE)


def test_tab_stop_definitions_are_not_text(sample, tmp_path):
    body = ('<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="2000"/></w:tabs></w:pPr>'
            "<w:r><w:t>资格要求</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>项目</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>内容</w:t></w:r></w:p>")
    doc = read(_with_body_xml(sample, tmp_path / "tabs.docx", body))
    assert [b.text for b in doc.blocks] == ["资格要求", "项目\t内容"]


def test_a_finding_in_a_text_box_is_annotated_on_its_words(sample, tmp_path):
    from checker.annotate import annotate_file

    body = ("<w:p><w:r><w:t>二、资格要求</w:t></w:r></w:p>"
            f"<w:p><w:r><w:t>投标人应具备下列条件。</w:t></w:r>{_text_box('投标人注册资本不少于人民币1000万元。')}</w:p>")
    src = _with_body_xml(sample, tmp_path / "box.docx", body)
    before = src.read_bytes()
    out = tmp_path / "out.docx"
    result = annotate_file(str(src), str(out), options=None)
    from checker.api import build_engine, scan_file

    findings = scan_file(str(src), build_engine()).findings
    assert any(f.rule_id == "EXC-SCALE-001" for f in findings)
    assert result.comments == len(findings) and not result.skipped
    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
    assert "EXC-SCALE-001" in comments
    box = document.index("投标人注册资本")
    start = document.rindex("commentRangeStart", 0, box)
    end = document.index("commentRangeEnd", box)
    covered = "".join(part.split(">", 1)[1] for part in document[start:end].split("<w:t")[1:]
                      if ">" in part).replace("</w:t>", "")
    assert "注册资本不少于人民币1000万元" in covered
    assert src.read_bytes() == before
