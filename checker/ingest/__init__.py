"""Readers for each input format; ``read(path)`` picks one from the file's first bytes and extension."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Document

SUPPORTED = (".docx", ".docm", ".pdf", ".doc", ".wps", ".txt", ".md")


def sniff(data: bytes) -> str | None:
    """The real format from magic bytes: 'zip', 'pdf', 'ole', or None (text or unknown)."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def _refuse_special(p: Path, spath: str) -> None:
    """A FIFO would block the read forever and a device (a link to /dev/zero) never ends: only regular
    files are read."""
    import os
    import stat

    try:
        st = os.stat(p)
    except OSError as exc:
        raise InputError(spath, f"无法读取：{exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise InputError(spath, "不是普通文件（管道、设备或套接字），已跳过")


def read(path: str | Path) -> Document:
    """Read any supported file into a Document, or raise InputError with a one-line reason."""
    p = Path(path)
    spath = str(path)
    try:
        exists = p.exists()
    except OSError as exc:  # a name too long, a symlink loop
        raise InputError(spath, f"无法读取：{exc.strerror or exc}") from exc
    if not exists:
        if p.is_symlink():
            raise InputError(spath, "符号链接指向的文件不存在（或链接成环）")
        raise InputError(spath, "文件不存在")
    if p.is_dir():
        import os

        if not os.access(p, os.R_OK | os.X_OK):
            raise InputError(spath, "目录无法读取（权限不足），其中的文件未检查")
        raise InputError(spath, "是目录，不是文件")
    _refuse_special(p, spath)
    ext = p.suffix.lower()
    if ext not in SUPPORTED:
        raise InputError(spath, f"不支持的文件类型 {ext or '（无扩展名）'}（支持 .docx .pdf .doc .txt .md）")
    try:
        with open(p, "rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise InputError(spath, f"无法读取：{exc.strerror or exc}") from exc
    if not head:
        raise InputError(spath, "文件为空（0 字节）")
    kind = sniff(head)
    if kind == "zip":
        from .docx import read_docx

        if ext not in (".docx", ".docm", ".doc", ".wps"):
            raise InputError(spath, f"扩展名为 {ext}，但内容是 Word .docx（zip）；请改正扩展名")
        return read_docx(spath)
    if kind == "pdf":
        if ext != ".pdf":
            raise InputError(spath, f"扩展名为 {ext}，但内容是 PDF；请改正扩展名")
        from .pdf import read_pdf

        return read_pdf(spath)
    if kind == "ole":
        if ext in (".docx", ".docm"):
            from .doc import read_doc_or_encrypted

            return read_doc_or_encrypted(spath)
        if ext in (".doc", ".wps"):
            from .doc import read_doc

            return read_doc(spath)
        raise InputError(spath, f"扩展名为 {ext}，但内容是旧版 Office 文件（OLE）")
    if ext == ".pdf":
        raise InputError(spath, "不是有效的 PDF 文件（缺少 %PDF 文件头）")
    if ext in (".docx", ".docm"):
        raise InputError(spath, "不是有效的 .docx 文件（不是 zip 压缩包）")
    if ext in (".doc", ".wps"):
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith(b"{\\rtf"):
            from .doc import read_doc  # Word "save as RTF" with a .doc name: LibreOffice reads it

            return read_doc(spath, rtf=True)
        if start.startswith((b"<html", b"<!doctype", b"<?xml", b"mime-version:")) or b"<html" in start[:512]:
            # never rendered: a web page may load remote resources or run scripts
            raise InputError(spath, f"扩展名为 {ext}，但内容是 HTML/XML 网页或 MHT 单文件网页；请在 Word 中另存为 .docx 后再检查")
        raise InputError(spath, f"不是有效的 Word 97 {ext} 文件（文件头不是 Word 格式，可能已损坏）")
    from .text import read_text

    return read_text(spath)
