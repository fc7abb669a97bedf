"""Hostile and odd input files: zip bombs, entity attacks, wrong extensions, text boxes, limits."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from checker import limits
from checker.errors import InputError
from checker.ingest import read
from tests.docbuild import SAMPLE, make_docx

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')


@pytest.fixture(autouse=True)
def _default_limits():
    limits.reset()
    yield
    limits.reset()


def _rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None,
             add: dict[str, bytes] | None = None, compress=zipfile.ZIP_DEFLATED) -> Path:
    """Copy a .docx member by member, replacing or adding members."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compress) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


@pytest.fixture
def sample(tmp_path) -> Path:
    return make_docx(tmp_path / "sample.docx", SAMPLE)


def _problem(path) -> str:
    with pytest.raises(InputError) as err:
        read(path)
    assert "\n" not in err.value.problem
    return err.value.problem


# ---- zip bombs and XML attacks ---------------------------------------------------------------------

def test_zip_bomb_is_refused_by_ratio(sample, tmp_path):
    # 64 MB of zeros deflates to about 64 KB: a 1000:1 member, far beyond any real Word part
    bomb = _rewrite(sample, tmp_path / "bomb.docx", add={"word/media/image1.bmp": b"\0" * (64 << 20)})
    assert bomb.stat().st_size < 1 << 20
    problem = _problem(bomb)
    assert problem.startswith("疑似压缩炸弹") and "压缩比" in problem and "word/media/image1.bmp" in problem


def test_member_and_total_size_caps_are_configurable(sample, tmp_path):
    import random

    noise = random.Random(1).randbytes(2 << 20)  # 2 MB that does not compress
    big = _rewrite(sample, tmp_path / "big.docx", add={"word/media/a.bin": noise})
    assert read(big).blocks  # within the defaults
    limits.configure(max_member_bytes=1 << 20)
    assert "超过单个部件上限 1 MB" in _problem(big)
    limits.configure(limits.Limits(max_total_bytes=1 << 20))
    assert "解压后共" in _problem(big) and "超过上限 1 MB" in _problem(big)


def test_billion_laughs_is_refused_before_parsing(sample, tmp_path):
    with zipfile.ZipFile(sample) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    head, rest = xml.split("?>", 1)
    attacked = head + "?>" + f"<!DOCTYPE w:document [{entities}]>" + rest.replace(
        "项目名称", "&lol9;项目名称", 1)
    path = _rewrite(sample, tmp_path / "lol.docx", replace={"word/document.xml": attacked.encode("utf-8")})
    problem = _problem(path)
    assert "word/document.xml 含有 DTD/实体声明" in problem


def test_external_entity_in_styles_is_refused(sample, tmp_path):
    with zipfile.ZipFile(sample) as z:
        xml = z.read("word/styles.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    attacked = head + '?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + rest
    path = _rewrite(sample, tmp_path / "xxe.docx", replace={"word/styles.xml": attacked.encode("utf-8")})
    assert "word/styles.xml 含有 DTD/实体声明" in _problem(path)


def test_truncated_docx(sample, tmp_path):
    data = sample.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    assert "docx" in _problem(cut)


def test_zip_without_document_part(tmp_path):
    path = tmp_path / "empty-zip.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert _problem(path) == ".docx 缺少正文部分 word/document.xml，文件已损坏"


def test_zip_with_password_protected_members(sample, tmp_path):
    # A zip whose entries carry the "encrypted" flag (zip password, not Word's own protection).
    data = bytearray(sample.read_bytes())
    off = 0
    while (off := data.find(b"PK\x03\x04", off)) >= 0:
        data[off + 6] |= 1
        off += 4
    off = 0
    while (off := data.find(b"PK\x01\x02", off)) >= 0:
        data[off + 8] |= 1
        off += 4
    path = tmp_path / "zip-password.docx"
    path.write_bytes(bytes(data))
    assert "已加密" in _problem(path)


# ---- wrong extensions and odd files ------------------------------------------------------------------

def test_docx_named_doc_is_read_as_docx(sample, tmp_path):
    misnamed = tmp_path / "really-docx.doc"
    shutil.copy(sample, misnamed)
    doc = read(misnamed)
    assert any("注册资本不少于人民币1000万元" in b.text for b in doc.blocks)


def test_docx_named_pdf_gets_a_clear_error(sample, tmp_path):
    misnamed = tmp_path / "really-docx.pdf"
    shutil.copy(sample, misnamed)
    assert _problem(misnamed) == "扩展名为 .pdf，但内容是 Word .docx（zip）；请改正扩展名"


def test_html_saved_as_doc_is_never_rendered(tmp_path):
    page = tmp_path / "page.doc"
    page.write_bytes(b"\xef\xbb\xbf<html><head><script>alert(1)</script></head><body>\xe6\x8b\x9b\xe6\xa0\x87</body></html>")
    assert "HTML/XML 网页" in _problem(page)
    mht = tmp_path / "page.doc"
    mht.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x\r\n")
    assert "MHT" in _problem(mht)


def test_garbage_named_doc(tmp_path):
    path = tmp_path / "noise.wps"
    path.write_bytes(b"\x01\x02garbage" * 50)
    assert _problem(path) == "不是有效的 Word 97 .wps 文件（文件头不是 Word 格式，可能已损坏）"


@pytest.mark.parametrize("name", ["empty.docx", "empty.pdf", "empty.doc", "empty.txt"])
def test_empty_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert _problem(path) == "文件为空（0 字节）"


def test_docx_without_text(tmp_path):
    path = make_docx(tmp_path / "blank.docx", [("p", "   "), ("table", [["", ""], ["", ""]])])
    assert _problem(path) == "文档没有可读文字"


def test_docm_with_macros_is_read_not_run(sample, tmp_path):
    with zipfile.ZipFile(sample) as z:
        types = z.read("[Content_Types].xml").decode("utf-8")
    types = types.replace("wordprocessingml.document.main+xml", "PLACEHOLDER").replace(
        "application/vnd.openxmlformats-officedocument.PLACEHOLDER",
        "application/vnd.ms-word.document.macroEnabled.main+xml")
    assert "macroEnabled" in types
    path = _rewrite(sample, tmp_path / "macro.docm", replace={"[Content_Types].xml": types.encode("utf-8")},
                    add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 40})
    doc = read(path)
    assert any("注册资本不少于人民币1000万元" in b.text for b in doc.blocks)


def _with_body_xml(sample: Path, dst: Path, body_xml: str) -> Path:
    """Replace the body of ``sample`` with ``body_xml`` (the namespaces above are declared on it)."""
    with zipfile.ZipFile(sample) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.index("<w:sectPr")
    new = xml[:start] + body_xml + xml[end:]
    # declare the extra prefixes on the root element
    root_end = new.index(">", new.index("<w:document"))
    new = new[:root_end] + " " + " ".join(
        ns for ns in _NS.split(" ") if ns.split("=")[0] not in new[:root_end]) + new[root_end:]
    return _rewrite(sample, dst, replace={"word/document.xml": new.encode("utf-8")})


def _text_box(text: str) -> str:
    """A run holding a text box as Word 2010+ writes it: a DrawingML shape, with a VML copy in
    mc:Fallback for older readers."""
    inner = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return ("<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
            "<a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
            f"<wps:wsp><wps:txbx>{inner}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r>")


def test_text_box_text_is_read_once_after_its_anchor(sample, tmp_path):
    body = ("<w:p><w:r><w:t>第一章 资格要求</w:t></w:r></w:p>"
            f"<w:p><w:r><w:t>投标人应具备下列条件。</w:t></w:r>{_text_box('投标人注册资本不少于1000万元。')}</w:p>"
            "<w:p><w:r><w:t>其余条件见附件。</w:t></w:r></w:p>")
    doc = read(_with_body_xml(sample, tmp_path / "box.docx", body))
    texts = [b.text for b in doc.blocks]
    assert texts == ["第一章 资格要求", "投标人应具备下列条件。", "投标人注册资本不少于1000万元。", "其余条件见附件。"]
    assert doc.blocks[2].section == ("第一章 资格要求",)


def test_text_box_inside_a_table_cell(sample, tmp_path):
    body = ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>资格条件</w:t></w:r></w:p></w:tc>"
            f"<w:tc><w:p><w:r><w:t>见下：</w:t></w:r>{_text_box('注册资本不少于1000万元')}</w:p></w:tc></w:tr></w:tbl>")
    doc = read(_with_body_xml(sample, tmp_path / "cellbox.docx", body))
    assert [b.text for b in doc.blocks] == ["资格条件", "见下：\n注册资本不少于1000万元"]


def test_nested_table_text_is_kept_in_the_outer_cell(sample, tmp_path):
    inner = ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>注册资本</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p><w:r><w:t>不少于1000万元</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    body = ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>资格要求</w:t></w:r></w:p></w:tc>"
            f"<w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>")
    doc = read(_with_body_xml(sample, tmp_path / "nested.docx", body))
    assert [b.text for b in doc.blocks] == ["资格要求", "注册资本 不少于1000万元"]


def test_one_giant_table(sample, tmp_path):
    # built as XML: python-docx's own table API is quadratic in the number of cells
    rows = [["序号", "名称", "要求"]] + [[str(i), f"设备{i}", f"技术参数第{i}项"] for i in range(1, 2000)]
    body = "<w:tbl>" + "".join(
        "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row) + "</w:tr>"
        for row in rows) + "</w:tbl>"
    doc = read(_with_body_xml(sample, tmp_path / "table.docx", body))
    assert len(doc.tables) == 1 and len(doc.blocks) == 2000 * 3
    assert doc.blocks[-1].text == "技术参数第1999项"
    from checker.api import build_engine, scan_file

    result = scan_file(str(tmp_path / "table.docx"), build_engine())
    assert result.status == "ok"


# ---- .doc conversion limits (fake soffice, no LibreOffice needed) --------------------------------------

def test_hung_soffice_on_path_is_killed(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    pidfile = tmp_path / "child.pid"
    fake = bindir / "soffice"
    # a child that would outlive its parent, as soffice.bin does under oosplash
    fake.write_text(f"#!/bin/sh\nsleep 30 &\necho $! > {pidfile}\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")
    limits.configure(doc_timeout=1)
    path = tmp_path / "slow.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le"))
    assert _problem(path) == "LibreOffice 转换 .doc 超时（超过 1 秒），文件可能已损坏"
    child = int(pidfile.read_text())
    stat = Path(f"/proc/{child}/stat")
    # the whole process group is gone (a zombie waiting for a reaper counts as gone)
    assert not stat.exists() or stat.read_text().split(")")[-1].split()[0] == "Z"


def test_rtf_saved_as_doc_goes_to_libreoffice(tmp_path, monkeypatch):
    seen = {}

    def fake_convert(soffice, path, tmp, suffix=None):
        seen["suffix"] = suffix
        raise InputError(path, "converted")

    from checker.ingest import doc as doc_reader

    monkeypatch.setattr(doc_reader, "find_soffice", lambda: "/bin/true")
    monkeypatch.setattr(doc_reader, "_convert", fake_convert)
    path = tmp_path / "rtf.doc"
    path.write_bytes(b"{\\rtf1\\ansi \\u25307?\\u26631? }")
    assert _problem(path) == "converted" and seen["suffix"] == ".rtf"


def test_text_file_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("投标人须知\n" * 200_000, encoding="utf-8")
    limits.configure(max_text_bytes=1 << 20)
    assert "超过上限 1 MB" in _problem(path)


def test_limits_reach_worker_processes_through_the_environment():
    import json
    import os

    limits.configure(max_pages=7)
    assert json.loads(os.environ["TENDER_CHECK_LIMITS"])["max_pages"] == 7
    limits._current = None  # a fresh process sees only the environment
    assert limits.current().max_pages == 7
    with pytest.raises(TypeError):
        limits.configure(max_pagez=1)


def test_wps_file_is_converted_like_a_doc(tmp_path):
    from checker.ingest.doc import find_soffice

    legacy = Path(__file__).resolve().parent.parent / "corpus" / "16-goods-open-legacy.doc"
    if find_soffice() is None or not legacy.exists():
        pytest.skip("needs LibreOffice and the corpus .doc")
    wps = tmp_path / "招标文件.wps"
    shutil.copy(legacy, wps)
    doc = read(wps)
    assert doc.format == "doc" and doc.path == str(wps) and len(doc.blocks) > 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["招标文件.wps"]  # converted elsewhere


def test_utf8_text_with_a_few_broken_bytes_is_still_read(tmp_path):
    data = "第一章 招标公告\n投标人注册资本不少于1000万元。\n".encode("utf-8") * 20
    cut = tmp_path / "cut.txt"
    cut.write_bytes(data[:-2])  # ends in the middle of a character
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(data[:100] + b"\xff" + data[101:])
    for path in (cut, damaged):
        doc = read(path)
        assert "投标人注册资本不少于1000万元。" in [b.text for b in doc.blocks]
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("第一章 招标公告\n投标人注册资本不少于1000万元。\n".encode("gbk") * 20)
    assert "投标人注册资本不少于1000万元。" in [b.text for b in read(gbk).blocks]
    ascii_gbk = tmp_path / "ascii-gbk.txt"
    ascii_gbk.write_bytes(("Project ABC-2024 tender notice, see annex.\n" * 30 + "采购人：某局\n").encode("gbk"))
    assert "采购人：某局" in [b.text for b in read(ascii_gbk).blocks]


def test_password_protected_docx_through_the_dispatcher(tmp_path):
    # Word saves a .docx with an open password as an OLE container holding EncryptedPackage
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 + "EncryptionInfo".encode("utf-16-le")
            + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 200)
    for name in ("locked.docx", "locked.docm"):
        path = tmp_path / name
        path.write_bytes(data)
        assert _problem(path) == "文件已加密（设有打开密码），请去除密码后再检查"


def test_editing_restriction_is_not_encryption(sample, tmp_path):
    # "restrict editing" (w:documentProtection) leaves the text readable: the file must be checked
    with zipfile.ZipFile(sample) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    settings = settings.replace("</w:settings>", '<w:documentProtection w:edit="readOnly" w:enforcement="1"/></w:settings>')
    path = _rewrite(sample, tmp_path / "readonly.docx", replace={"word/settings.xml": settings.encode("utf-8")})
    assert any("注册资本不少于人民币1000万元" in b.text for b in read(path).blocks)
