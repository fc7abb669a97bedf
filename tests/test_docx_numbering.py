"""Word list numbering (numbering.xml) rendered as the reader sees it, so numbered outlines with
no typed numbers still give each clause its section."""
from __future__ import annotations

import pytest
from lxml import etree

from checker.ingest.docx import read_docx
from checker.ingest.docx_numbering import Numbering, format_number

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize("n,fmt,out", [
    (3, "decimal", "3"), (7, "decimalZero", "07"), (12, "decimalFullWidth", "１２"),
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (105, "chineseCounting", "一百零五"), (2, "chineseLegalSimplified", "贰"),
    (3, "ideographTraditional", "丙"), (4, "decimalEnclosedCircle", "④"), (28, "upperLetter", "BB"),
    (2, "lowerLetter", "b"), (14, "upperRoman", "XIV"), (9, "lowerRoman", "ix"),
])
def test_number_formats(n, fmt, out):
    assert format_number(n, fmt) == out


def test_bullets_have_no_label():
    assert format_number(1, "bullet") is None


def _numbering_xml(levels, overrides=""):
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'{"<w:isLgl/>" if legal else ""}</w:lvl>' for i, (fmt, text, legal) in enumerate(levels))
    return etree.fromstring(
        f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">{lvls}</w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        f'<w:num w:numId="2"><w:abstractNumId w:val="0"/>{overrides}</w:num></w:numbering>')


def _p(num_id, ilvl):
    return etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/>'
                            f'<w:numId w:val="{num_id}"/></w:numPr></w:pPr></w:p>')


def test_multilevel_counters_restart_below_and_legal_renders_decimal():
    lists = Numbering(_numbering_xml([("chineseCounting", "%1、", False), ("decimal", "%1.%2", True)]))
    labels = [lists.label(_p(1, lvl)) for lvl in (0, 1, 1, 0, 1)]
    assert labels == ["一、", "1.1", "1.2", "二、", "2.1"]


def test_start_override_restarts_the_shared_list():
    root = _numbering_xml([("decimal", "%1.", False)],
                          '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>')
    lists = Numbering(root)
    assert [lists.label(_p(1, 0)), lists.label(_p(1, 0)), lists.label(_p(2, 0))] == ["1.", "2.", "5."]


def test_unnumbered_paragraph_has_no_label():
    lists = Numbering(_numbering_xml([("decimal", "%1.", False)]))
    assert lists.label(etree.fromstring(f'<w:p xmlns:w="{W}"/>')) is None


def _numbered_docx(path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text, ilvl):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("招标公告", 0)
    d.add_paragraph("项目名称：某单位软件开发服务项目")
    numbered("投标人须知", 0)
    numbered("投标人资格要求", 1)
    d.add_paragraph("投标人须具有独立承担民事责任的能力。")
    d.save(str(path))
    return path


def test_list_numbered_headings_give_sections(tmp_path):
    doc = read_docx(_numbered_docx(tmp_path / "numbered.docx"))
    clause = next(b for b in doc.blocks if b.text.startswith("投标人须具有"))
    assert clause.section[-2:] == ("投标人须知", "投标人资格要求")
    # The label shapes the outline only; the paragraph's text stays as written.
    assert any(b.text == "投标人资格要求" for b in doc.blocks)


def _styles(chain_length):
    styles = "".join(f'<w:style w:styleId="s{i}"><w:basedOn w:val="s{i + 1}"/></w:style>'
                     for i in range(chain_length))
    last = (f'<w:style w:styleId="s{chain_length}"><w:pPr><w:numPr><w:ilvl w:val="0"/>'
            '<w:numId w:val="1"/></w:numPr></w:pPr></w:style>')
    return etree.fromstring(f'<w:styles xmlns:w="{W}">{styles}{last}</w:styles>')


def test_style_inherits_numbering_through_a_long_basedon_chain():
    lists = Numbering(_numbering_xml([("decimal", "%1.", False)]), _styles(20000))
    p = etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="s0"/></w:pPr></w:p>')
    assert lists.label(p) == "1."


def test_basedon_cycle_ends():
    root = etree.fromstring(f'<w:styles xmlns:w="{W}"><w:style w:styleId="a"><w:basedOn w:val="b"/></w:style>'
                            '<w:style w:styleId="b"><w:basedOn w:val="a"/></w:style></w:styles>')
    lists = Numbering(_numbering_xml([("decimal", "%1.", False)]), root)
    p = etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="a"/></w:pPr></w:p>')
    assert lists.label(p) is None
