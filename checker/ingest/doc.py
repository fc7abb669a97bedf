"""Legacy Word 97 .doc / WPS .wps: converted to .docx by headless LibreOffice, then read as .docx."""
from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from ..limits import pick
from ..model import Document
from ..procs import child_preexec, register_child_group
from .office_sandbox import offline, write_profile

DOC_TIMEOUT = 120  # seconds; a conversion that takes longer is hung on a broken file (limits.doc_timeout)

_NO_OFFICE = ("读取 .doc 需要 LibreOffice：请安装（Debian/Ubuntu: apt-get install libreoffice-writer），"
              "或将文件另存为 .docx")
# Name of the OLE stream that holds an Office-encrypted OOXML package, as stored in the directory (UTF-16LE).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: str | Path, rtf: bool = False) -> Document:
    """Convert a .doc/.wps (or an RTF file saved as .doc, when ``rtf``) to .docx in a private temp dir
    and read it; the Document keeps ``path``."""
    path = str(path)
    soffice = find_soffice()
    if soffice is None:
        raise InputError(path, _NO_OFFICE)
    if not rtf and Path(path).suffix.lower() == ".doc" and not _has_word_stream(path):
        # LibreOffice would import such a file as plain text and "succeed" with gibberish
        raise InputError(path, "不是有效的 Word 97 .doc 文件（缺少 WordDocument 正文数据流），文件可能已损坏")
    from .docx import read_docx

    with tempfile.TemporaryDirectory(prefix="tender-check-doc-") as tmp:
        converted = _convert(soffice, path, tmp, ".rtf" if rtf else None)
        doc = read_docx(converted)
    return dataclasses.replace(doc, path=path, format="doc")


def convert_to_docx(path: str | Path, tmp: str) -> str:
    """A .docx copy of a .doc/.wps file, made by LibreOffice in ``tmp`` (for writing comments on it)."""
    soffice = find_soffice()
    if soffice is None:
        raise InputError(str(path), _NO_OFFICE)
    return _convert(soffice, str(path), tmp)


def _convert(soffice: str, path: str, tmp: str, suffix: str | None = None) -> str:
    out_dir = os.path.join(tmp, "out")
    os.mkdir(out_dir)
    # LibreOffice picks the output name from the input's; a copy with a plain ASCII name avoids
    # surprises with odd file names and keeps the user's directory untouched.
    suffix = suffix or (Path(path).suffix.lower() if Path(path).suffix.lower() in (".doc", ".wps", ".docx", ".docm") else ".doc")
    source = os.path.join(tmp, "input" + suffix)
    try:
        shutil.copyfile(path, source)
    except OSError as exc:
        raise InputError(path, f"无法读取文件：{exc.strerror or exc}") from exc
    profile = Path(tmp, "profile")
    write_profile(profile)  # proxies that lead nowhere: a linked picture is never fetched
    # "--norestore" (not "--norestart", which LibreOffice rejects as an unknown option)
    cmd = offline([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
                   "--nodefault", "--nolockcheck", "--convert-to", "docx", "--outdir", out_dir, source])
    env = dict(os.environ, HOME=tmp)  # keep LibreOffice from touching the user's real profile
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True, preexec_fn=child_preexec)
    except OSError as exc:
        raise InputError(path, f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}") from exc
    register_child_group(proc.pid)  # a worker killed on timeout takes LibreOffice with it
    timeout = pick(DOC_TIMEOUT, "doc_timeout")
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise InputError(path, f"LibreOffice 转换 .doc 超时（超过 {timeout:g} 秒），文件可能已损坏") from None
    except BaseException:
        _kill_group(proc)
        raise
    converted = os.path.join(out_dir, "input.docx")
    if not os.path.exists(converted) or os.path.getsize(converted) == 0:
        detail = [ln.strip() for ln in (err or b"").decode("utf-8", "replace").splitlines()
                  if ln.strip() and "javaldx" not in ln]  # the Java warning appears on every run
        reason = f"：{detail[-1][:200]}" if detail else ""
        raise InputError(path, f"LibreOffice 无法转换此 .doc 文件（可能已损坏或已加密）{reason}")
    return converted


def _kill_group(proc: subprocess.Popen) -> None:
    # soffice forks a child (oosplash -> soffice.bin); killing only the parent would leave it running.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except Exception:
        pass


def _has_word_stream(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(path, f"无法读取：{exc.strerror or exc}") from exc
    return _WORD_STREAM in data


def is_encrypted_ooxml(data: bytes) -> bool:
    """An OLE container holding an encrypted Office 2007+ package (password to open)."""
    return _ENCRYPTED_STREAM in data


def read_doc_or_encrypted(path: str | Path) -> Document:
    """An OLE file named .docx: an encrypted .docx, or an old .doc with the wrong extension."""
    path = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(path, f"无法读取：{exc.strerror or exc}") from exc
    if is_encrypted_ooxml(data):
        raise InputError(path, "文件已加密（设有打开密码），请去除密码后再检查")
    ext = Path(path).suffix.lower() or ".docx"
    raise InputError(path, f"扩展名为 {ext}，但内容是旧版 Word 97 .doc 格式：请将扩展名改为 .doc 后再检查"
                           "（或用 Word 另存为 .docx）")
