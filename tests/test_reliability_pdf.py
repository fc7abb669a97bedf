"""Hostile and broken PDFs: thousands of pages, broken cross-reference tables, huge images, encryption."""
from __future__ import annotations

import re

import pytest

from tests.pdfbuild import serialize_pdf

from checker import limits
from checker.api import build_engine, scan_file
from checker.errors import InputError
from checker.ingest import read
from tests.test_ingest_pdf import _encrypted_pdf


@pytest.fixture(autouse=True)
def _default_limits():
    limits.reset()
    yield
    limits.reset()


def make_pdf(pages: list[bytes], extra: list[bytes] = (), page_extra: bytes = b"") -> bytes:
    """A PDF written by hand (fast at any length): one content stream per page, Helvetica text.
    ``extra`` objects are numbered after the pages' objects; ``page_extra`` goes into each page dict."""
    n = len(pages)
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    font = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for i, content in enumerate(pages):
        page_no, stream_no = 4 + 2 * i, 5 + 2 * i
        kids.append(b"%d 0 R" % page_no)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> %s>> "
                       b"/Contents %d 0 R >>" % (font, page_extra, stream_no))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % n
    objects.extend(extra)
    return serialize_pdf(objects)


def _text_page(text: str, y: int = 420) -> bytes:
    return b"BT /F1 12 Tf 72 %d Td (" % y + text.encode("latin-1") + b") Tj ET"


def _problem(path) -> str:
    with pytest.raises(InputError) as err:
        read(path)
    assert "\n" not in err.value.problem
    return err.value.problem


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("long") / "2000-pages.pdf"
    path.write_bytes(make_pdf([_text_page(f"Clause {i}. The supplier shall deliver item {i}.")
                               for i in range(1, 2001)]))
    return path


def test_2000_page_pdf_is_read_whole(long_pdf):
    result = scan_file(str(long_pdf), build_engine())
    assert result.status == "ok", result.error
    doc = read(long_pdf)
    assert doc.pages == 2000
    assert doc.text.count("The supplier shall deliver item") == 2000 and "deliver item 2000." in doc.text


def test_2000_page_pdf_over_a_configured_page_limit_is_refused(long_pdf):
    limits.configure(max_pages=1000)
    assert _problem(long_pdf) == "PDF 共 2000 页，超过上限 1000 页，拒绝处理（请拆分文件或确认这是招标文件）"


def test_only_running_headers_is_not_an_empty_success(tmp_path):
    path = tmp_path / "headers.pdf"
    path.write_bytes(make_pdf([_text_page(f"Tender No. {i}", y=800) for i in range(1, 13)]))
    assert _problem(path) == "PDF 除重复的页眉页脚外没有可读文字"


def test_broken_xref_is_repaired_or_refused(tmp_path):
    data = make_pdf([_text_page("The bidder shall hold a licence.")])
    # every offset in the cross-reference table points into the wrong place
    broken = re.sub(rb"\d{10} 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(0)[:10]) + 7), data)
    path = tmp_path / "xref.pdf"
    path.write_bytes(broken)
    doc = read(path)  # pdfium rebuilds the table by scanning the objects
    assert "licence" in doc.text


def test_missing_xref_and_trailer(tmp_path):
    data = make_pdf([_text_page("Text before the cut.")])
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: data.index(b"xref")])
    try:
        doc = read(path)
    except InputError as err:
        assert "PDF" in err.problem
    else:
        assert "Text before the cut." in doc.text


def test_truncated_in_the_middle(tmp_path):
    data = make_pdf([_text_page(f"Page {i}") for i in range(1, 20)])
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    try:
        doc = read(path)
    except InputError as err:
        assert err.problem and "\n" not in err.problem
    else:
        assert doc.blocks and all(b.page for b in doc.blocks)


def test_huge_image_is_not_decoded(tmp_path):
    # a 60000 x 60000 RGB image (10 GB if decoded) drawn on a page that also has text
    n_pages = 1
    image_no = 4 + 2 * n_pages
    image = b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceRGB " \
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length 8 >>\nstream\nxxxxxxxx\nendstream"
    content = b"q 500 0 0 500 50 50 cm /Im1 Do Q " + _text_page("Delivery within 30 days.")
    data = make_pdf([content], extra=[image], page_extra=b"/XObject << /Im1 %d 0 R >> " % image_no)
    path = tmp_path / "image.pdf"
    path.write_bytes(data)
    doc = read(path)
    assert "Delivery within 30 days." in doc.text


def test_page_tree_loop_is_refused_or_read(tmp_path):
    data = make_pdf([_text_page("Looped.")])
    # the page's parent lists itself as a kid: a cycle in the page tree
    looped = data.replace(b"/Kids [4 0 R]", b"/Kids [4 0 R 2 0 R]")
    path = tmp_path / "loop.pdf"
    path.write_bytes(looped)
    try:
        doc = read(path)
    except InputError as err:
        assert "PDF" in err.problem
    else:
        assert "Looped." in doc.text


def test_encrypted_pdf_through_the_dispatcher(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    assert _problem(path) == "PDF 已加密（需要密码），请提供未加密的文件"
    result = scan_file(str(path), build_engine())
    assert result.status == "error" and result.error == "PDF 已加密（需要密码），请提供未加密的文件"


def test_pdf_named_docx(tmp_path):
    path = tmp_path / "really-pdf.docx"
    path.write_bytes(make_pdf([_text_page("x")]))
    assert _problem(path) == "扩展名为 .docx，但内容是 PDF；请改正扩展名"


def _ruled_page(lines: int, step: int = 5) -> bytes:
    """A page ruled like graph paper: `lines` + 1 rules each way, `step` points apart, one text line."""
    end = 40 + lines * step
    rules = [b"40 %d m %d %d l S" % (40 + i * step, end, 40 + i * step) for i in range(lines + 1)]
    rules += [b"%d 40 m %d %d l S" % (40 + i * step, 40 + i * step, end) for i in range(lines + 1)]
    return b"0.2 w\n" + b"\n".join(rules) + b"\n" + _text_page("The supplier shall deliver the goods.", 20)


def test_a_graph_paper_page_is_read_as_text_not_searched_for_tables(tmp_path):
    """A 400×400 ruled grid kept table finding busy for over 300 s (issue 17, defect 4); past the grid
    limit the page's text is read and the skipped table search is said."""
    path = tmp_path / "grid.pdf"
    path.write_bytes(make_pdf([_ruled_page(120)]))
    doc = read(path)
    assert any("表格线过密" in w for w in doc.warnings)
    assert "supplier shall deliver" in " ".join(b.text for b in doc.blocks)


def test_a_small_ruled_table_is_still_found(tmp_path):
    path = tmp_path / "table.pdf"
    path.write_bytes(make_pdf([_ruled_page(4, step=60)]))
    assert not any("表格线过密" in w for w in read(path).warnings)


def test_pages_sharing_one_heavy_content_stream_are_bounded_in_total(tmp_path):
    """3,000 pages drawing one 20k-object stream took the process down; the objects summed over pages
    are limited (configured small here to keep the test fast)."""
    body = b"\n".join(b"BT /F1 4 Tf %d %d Td (a) Tj ET" % (20 + (i % 140) * 4, 20 + (i // 140) * 5)
                      for i in range(2000))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 4 0 R >>")
    objects += [page] * 300
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (5 + i) for i in range(300)) + b"] /Count 300 >>"
    path = tmp_path / "shared.pdf"
    path.write_bytes(serialize_pdf(objects))
    limits.configure(max_pdf_page_work=100_000)
    assert "页面对象过多" in _problem(path)


def test_a_page_over_the_object_limit_is_read_without_table_search(tmp_path):
    limits.configure(max_pdf_objects=10)
    path = tmp_path / "busy.pdf"
    path.write_bytes(make_pdf([_ruled_page(10, step=30)]))
    doc = read(path)
    assert any("对象过多" in w for w in doc.warnings)


def test_a_flate_bomb_is_refused_before_it_is_inflated(tmp_path):
    """1 MB holding a gigabyte of blanks took 2 GB and was then called a scan; here 64 MB in 64 KB."""
    import zlib

    raw = zlib.compress(_text_page("The supplier shall deliver.") + b" " * (64 * 1024 * 1024), 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(raw) + raw + b"\nendstream"]
    path = tmp_path / "bomb.pdf"
    path.write_bytes(serialize_pdf(objects))
    assert "压缩炸弹" in _problem(path)


def test_ordinary_compressed_content_is_not_a_bomb(tmp_path):
    import zlib

    content = b"\n".join(_text_page(f"Clause {i}. The supplier shall deliver.", 800 - i * 12) for i in range(60))
    raw = zlib.compress(content)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(raw) + raw + b"\nendstream"]
    path = tmp_path / "plain.pdf"
    path.write_bytes(serialize_pdf(objects))
    assert "Clause 59" in " ".join(b.text for b in read(path).blocks)
