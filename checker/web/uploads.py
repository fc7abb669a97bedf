"""Uploaded files into a private temporary folder: type and size checked, client file names never
used as paths (each file is saved as NNN.<ext>; the name is kept only to be shown)."""
from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..api import SCAN_EXTENSIONS
from .errors import WebError

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CHUNK = 1024 * 1024
_EXT_LIST = "、".join(SCAN_EXTENSIONS)


@dataclass(frozen=True)
class Upload:
    name: str         # as the reviewer's browser named it (shown, never opened)
    ext: str
    path: Path | None  # the saved copy; None when refused
    sha256: str = ""
    error: str = ""    # why the file was refused, one line


def display_name(raw: str | None) -> str:
    """The last part of a client's file name (a browser may send a whole path), without control
    characters, at most 120 characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = _CONTROL.sub("", name).strip().lstrip(".") or "未命名文件"
    return name if len(name) <= 120 else name[:60] + "…" + name[-59:]


def extension(name: str) -> str:
    return Path(name).suffix.lower()


def private_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="tender-check-upload-"))  # mode 0700


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


async def save(upload, folder: Path, index: int, max_bytes: int) -> Upload:
    """Copy one starlette UploadFile into ``folder``; a refused file comes back with ``error`` set."""
    name = display_name(upload.filename)
    ext = extension(name)
    if ext not in SCAN_EXTENSIONS:
        kind = f"“{ext}”" if ext else "无扩展名的"
        return Upload(name, ext, None, error=f"不支持{kind}文件：请上传 {_EXT_LIST} 文件")
    target = folder / f"{index:03d}{ext}"
    digest, size = hashlib.sha256(), 0
    with open(target, "xb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                target.unlink(missing_ok=True)
                return Upload(name, ext, None, error=f"文件超过 {max_bytes / (1024 * 1024):g} MB 的上限")
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        target.unlink(missing_ok=True)
        return Upload(name, ext, None, error="是空文件（0 字节）")
    return Upload(name, ext, target, digest.hexdigest())


async def form_files(request, max_files: int) -> tuple[object, list, dict]:
    """The form (close it when done: it holds the spooled files), its files and its other fields,
    refused with a Chinese message when the body is not a multipart form or holds too many files."""
    from starlette.exceptions import HTTPException

    if "multipart/form-data" not in request.headers.get("content-type", ""):
        raise WebError(400, "上传格式不对：应以 multipart/form-data 表单上传文件")
    try:
        form = await request.form(max_files=max_files * 5 + 10, max_fields=50)
    except HTTPException as exc:
        if "files" in str(exc.detail).lower():
            raise WebError(413, f"一次最多上传 {max_files} 个文件") from None
        raise WebError(400, "上传内容无法解析：不是完整的 multipart 表单") from None
    files = [v for k, v in form.multi_items() if k == "file" and hasattr(v, "read")]
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    problem = None
    if not files:
        problem = WebError(400, "没有收到文件：请选择要检查的文件")
    elif len(files) > max_files:
        problem = WebError(413, f"一次最多上传 {max_files} 个文件（收到 {len(files)} 个）")
    if problem is not None:
        await form.close()
        raise problem
    return form, files, fields
