"""PDF reader: paragraphs re-joined, tables, page numbers, headers dropped, and clear errors."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.ingest import pdf as pdf_reader
from checker.ingest.pdf import clean_line, join_lines, read_pdf
from tests.pdfbuild import serialize_pdf

# Long enough to wrap over several lines of an A4 page; no sentence end inside.
WRAPPED = ("投标人应当具备独立承担民事责任的能力并具有良好的商业信誉和健全的财务会计制度以及履行合同所必需的设备"
           "和专业技术能力并在参加本次政府采购活动前三年内在经营活动中没有重大违法记录且未被列入失信被执行人名单"
           "和重大税收违法失信主体名单以及政府采购严重违法失信行为记录名单的供应商均可参加本项目的投标活动。")
SECOND = ("采购人应当按照招标文件规定的评标方法和标准组织评标委员会对投标文件进行评审并根据评审结果确定中标"
          "候选人名单同时将评审报告及中标候选人名单在指定媒体上予以公告接受社会各界的监督和投标人的质询。")
FILLER = "本段为测试用填充文字，用于让文档超过三页以便检查页眉页脚的识别与删除是否正确。"
HEADER = "某市某单位办公设备采购项目招标文件"
TABLE = [["序号", "评分项", "分值"], ["1", "技术方案", "30分"], ["2", "售后服务", "10分"]]


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) 未安装：无法把测试 .docx 转成 PDF")
    return exe


def _add_page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = HEADER
    _add_page_field(section.footer.paragraphs[0])
    d.add_heading("第一章 招标公告", level=1)
    d.add_paragraph(WRAPPED)
    d.add_paragraph(SECOND)
    table = d.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph("表格后的说明文字。")
    d.add_heading("第二章 投标人须知", level=1)
    for _ in range(120):
        d.add_paragraph(FILLER)
    d.save(str(path))
    return path


def _to_pdf(src: Path, out_dir: Path) -> Path:
    exe = _soffice()
    env = dict(os.environ, HOME=str(out_dir))
    subprocess.run([exe, f"-env:UserInstallation={(out_dir / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)
    pdf = out_dir / (src.stem + ".pdf")
    assert pdf.exists(), "soffice produced no PDF"
    return pdf


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pdf")
    return _to_pdf(_make_docx(tmp / "sample.docx"), tmp)


@pytest.fixture(scope="module")
def sample_doc(sample_pdf):
    return read_pdf(sample_pdf)


def test_every_block_has_a_page(sample_doc):
    assert sample_doc.format == "pdf"
    assert sample_doc.pages and sample_doc.pages >= 3
    assert sample_doc.blocks
    assert all(b.page is not None and 1 <= b.page <= sample_doc.pages for b in sample_doc.blocks)
    assert sample_doc.blocks[-1].page > 1


def test_wrapped_sentence_is_one_block(sample_doc):
    texts = [b.text for b in sample_doc.blocks]
    assert WRAPPED in texts
    assert SECOND in texts
    block = next(b for b in sample_doc.blocks if b.text == WRAPPED)
    assert "\n" not in block.text and " " not in block.text


def test_table_cells_have_row_and_col(sample_doc):
    assert len(sample_doc.tables) == 1
    table = sample_doc.tables[0]
    cells = sample_doc.table_cells(table)
    assert [[c.text if c else None for c in row] for row in cells] == TABLE
    cell = cells[1][2]
    assert (cell.kind, cell.row, cell.col, cell.table) == ("cell", 1, 2, 0)
    assert cell.page == 1
    # text inside the table is not repeated as paragraphs
    assert not any(b.kind == "paragraph" and "技术方案" in b.text for b in sample_doc.blocks)


def test_table_sits_in_reading_order(sample_doc):
    kinds = [(b.kind, b.text) for b in sample_doc.blocks]
    first_cell = next(i for i, (k, _) in enumerate(kinds) if k == "cell")
    assert kinds.index(("paragraph", SECOND)) < first_cell < kinds.index(("paragraph", "表格后的说明文字。"))


def test_heading_trail(sample_doc):
    heading = next(b for b in sample_doc.blocks if b.kind == "heading")
    assert heading.text == "第一章 招标公告"  # same trail as the .docx reader gives
    para = next(b for b in sample_doc.blocks if b.text == WRAPPED)
    assert para.section == ("第一章 招标公告",)
    later = [b for b in sample_doc.blocks if b.text == FILLER]
    assert later and all(b.section == ("第二章 投标人须知",) for b in later)


def test_running_header_and_page_numbers_dropped(sample_doc):
    assert not any(HEADER in b.text for b in sample_doc.blocks)
    assert not any(b.text.strip().isdigit() for b in sample_doc.blocks if b.kind != "cell")


def test_pdfplumber_not_needed_for_plain_pages(sample_pdf, monkeypatch):
    calls = []
    original = pdf_reader._TableFinder.find

    def spy(self, index, *args):
        calls.append(index)
        return original(self, index, *args)

    monkeypatch.setattr(pdf_reader._TableFinder, "find", spy)
    doc = read_pdf(sample_pdf)
    assert calls == [0]  # only the page with the ruled table
    assert len(doc.tables) == 1


def test_join_and_clean_helpers():
    assert join_lines(["投标人应当具备", "独立承担民事责任的能力"]) == "投标人应当具备独立承担民事责任的能力"
    assert join_lines(["ISO 9001 quality", "management"]) == "ISO 9001 quality management"
    assert clean_line("投 标 人  须 知") == "投标人须知"
    assert clean_line("第 二 章  投 标 人 须 知") == "第二章 投标人须知"
    assert clean_line("2025 年 6 月") == "2025 年 6 月"


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7\n", os.urandom(4096)], ids=["empty", "header-only", "random"])
def test_broken_files_give_input_error(tmp_path, content):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_pdf(path)
    assert err.value.problem


def test_truncated_pdf_gives_input_error(tmp_path, sample_pdf):
    data = sample_pdf.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        doc = read_pdf(path)
    except InputError as err:
        assert err.problem
    else:  # pdfium may recover the pages it still has; what it returns must be sound
        assert all(b.page for b in doc.blocks)


def _encrypted_pdf() -> bytes:
    """A one-page PDF whose trailer names a Standard security handler with an unknown user password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>",
    ]
    trailer = b"/Encrypt 4 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">] "
    return serialize_pdf(objects, trailer)


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(InputError) as err:
        read_pdf(path)
    assert err.value.problem == "PDF 已加密（需要密码），请提供未加密的文件"


def _blank_pdf(path: Path, pages: int) -> Path:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    doc.save(str(path))
    doc.close()
    return path


def test_no_text_layer_is_reported_as_scan(tmp_path):
    with pytest.raises(InputError) as err:
        read_pdf(_blank_pdf(tmp_path / "scan.pdf", 2))
    assert err.value.problem.startswith("扫描件，无文字层：")


def test_page_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    with pytest.raises(InputError) as err:
        read_pdf(_blank_pdf(tmp_path / "long.pdf", 4))
    assert "超过上限 3 页" in err.value.problem


def test_table_finder_failure_falls_back_to_text(sample_pdf, monkeypatch):
    def boom(page_raw):
        raise RuntimeError("simulated")

    monkeypatch.setattr(pdf_reader, "_page_edges", boom)
    doc = read_pdf(sample_pdf)
    assert not doc.tables
    assert any("表格识别失败" in w for w in doc.warnings)
    assert any("技术方案" in b.text for b in doc.blocks)


def test_dispatcher_routes_pdf(sample_pdf):
    from checker.ingest import read

    assert read(sample_pdf).format == "pdf"


def test_running_header_at_two_heights_is_dropped_at_both():
    # the same header line sits lower on the later pages (a layout change midway): both places go
    from checker.ingest.pdf import _drop_headers_footers, _Line, _Page

    pages = []
    for n in range(12):
        y = 800 if n < 5 else 560
        height = 842 if n < 5 else 595
        lines = [_Line("某单位会议服务项目", 100, 300, y + 5, y - 5), _Line(f"正文第{n}页", 100, 300, 400, 390)]
        pages.append(_Page(n + 1, 595, height, lines))
    _drop_headers_footers(pages)
    assert all([ln.text for ln in p.lines] == [f"正文第{i}页"] for i, p in enumerate(pages))
