"""Legacy .doc via LibreOffice, and OLE files misnamed .docx (encrypted or old Word)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.ingest import doc as doc_reader
from checker.ingest.doc import read_doc, read_doc_or_encrypted

PARAGRAPH = "投标人应当具备独立承担民事责任的能力并具有良好的商业信誉和健全的财务会计制度。"
TABLE = [["序号", "评分项", "分值"], ["1", "技术方案", "30分"]]


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) 未安装：无法生成测试用 .doc")
    return exe


@pytest.fixture(scope="module")
def sample_doc_file(tmp_path_factory) -> Path:
    import docx
    from docx.shared import Cm

    tmp = tmp_path_factory.mktemp("doc")
    d = docx.Document()
    d.add_heading("第一章 招标公告", level=1)
    d.add_paragraph(PARAGRAPH)
    table = d.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
            table.cell(r, c).width = Cm(4)
    # LibreOffice's .doc export drops a table that ends the document; keep a paragraph after it
    d.add_paragraph("表格后的说明文字。")
    src = tmp / "sample.docx"
    d.save(str(src))
    env = dict(os.environ, HOME=str(tmp))
    subprocess.run([_soffice(), f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "doc", "--outdir", str(tmp), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)
    out = tmp / "sample.doc"
    assert out.exists()
    src.unlink()  # the reader must not find a .docx lying next to the input
    return out


def test_read_doc_text_and_table(sample_doc_file):
    doc = read_doc(sample_doc_file)
    assert doc.format == "doc"
    assert doc.path == str(sample_doc_file)
    texts = [b.text for b in doc.blocks]
    assert "第一章 招标公告" in texts
    assert PARAGRAPH in texts
    para = next(b for b in doc.blocks if b.text == PARAGRAPH)
    assert para.section == ("第一章 招标公告",)
    assert len(doc.tables) == 1
    assert [[c.text for c in row] for row in doc.table_cells(doc.tables[0])] == TABLE


def test_read_doc_leaves_no_files_beside_input(sample_doc_file):
    before = set(os.listdir(sample_doc_file.parent))
    read_doc(sample_doc_file)
    assert set(os.listdir(sample_doc_file.parent)) == before


def test_dispatcher_reads_doc(sample_doc_file):
    from checker.ingest import read

    assert read(sample_doc_file).format == "doc"


def test_doc_misnamed_as_docx(sample_doc_file, tmp_path):
    misnamed = tmp_path / "really_old.docx"
    shutil.copyfile(sample_doc_file, misnamed)
    with pytest.raises(InputError) as err:
        read_doc_or_encrypted(misnamed)
    assert "Word 97 .doc" in err.value.problem and "改为 .doc" in err.value.problem


def test_missing_libreoffice(monkeypatch, tmp_path):
    path = tmp_path / "a.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    with pytest.raises(InputError) as err:
        read_doc(path)
    assert err.value.problem == ("读取 .doc 需要 LibreOffice：请安装（Debian/Ubuntu: apt-get install "
                                 "libreoffice-writer），或将文件另存为 .docx")


def test_encrypted_docx(tmp_path):
    # An OLE container whose directory names the EncryptedPackage stream, as Office writes it.
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 200)
    path = tmp_path / "locked.docx"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_doc_or_encrypted(path)
    assert err.value.problem == "文件已加密（设有打开密码），请去除密码后再检查"


def test_unconvertible_doc(tmp_path):
    _soffice()
    path = tmp_path / "garbage.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048))
    with pytest.raises(InputError) as err:
        read_doc(path)
    assert err.value.problem


def test_timeout_kills_conversion(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    path = tmp_path / "slow.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le"))
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: str(fake))
    monkeypatch.setattr(doc_reader, "DOC_TIMEOUT", 1)
    with pytest.raises(InputError) as err:
        read_doc(path)
    assert "超时" in err.value.problem
