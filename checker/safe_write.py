"""Where a report may go: a regular file or a new path, written whole; stdout as a stream; nothing else.

``check_target`` runs before a scan starts (so a bad ``-o`` costs nothing), ``write_whole`` at the end
(and checks again: the target may have changed meanwhile). Neither ever replaces a device node, a FIFO,
a socket, a directory or a symlink, and neither writes over one of the command's inputs.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import CheckerError

# names that mean "the standard output stream" (written as a stream, never renamed over)
STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


class OutputError(CheckerError):
    """An output path that cannot or must not be written; one line, exit 2."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{_clean(path)}: {problem}")


def _clean(path) -> str:
    from .textsafe import printable

    return printable(str(path))


def is_stdout(path) -> bool:
    return path is not None and (str(path) in STDOUT_NAMES or os.path.abspath(str(path)) in STDOUT_NAMES[1:])


def _why(exc: OSError) -> str:
    return {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EACCES: "没有写入权限",
            errno.EPERM: "没有写入权限", errno.EROFS: "文件系统只读", errno.ENAMETOOLONG: "文件名过长",
            errno.ELOOP: "符号链接循环", errno.ENOTDIR: "路径中有一部分不是目录",
            errno.EISDIR: "是目录"}.get(exc.errno, exc.strerror or str(exc))


def real_target(path) -> Path:
    """The file a write to ``path`` should replace: the path itself, or, for a symlink to a regular
    file, the file it points to (so the link stays a link). Raises OutputError for anything else."""
    p = Path(path)
    try:
        st = os.stat(p)  # follows symlinks
    except FileNotFoundError:
        if p.is_symlink():
            raise OutputError(path, "是指向不存在位置的符号链接，不会替换它；请换一个输出文件名") from None
        return p
    except OSError as exc:
        raise OutputError(path, f"无法写入：{_why(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(path, "是目录，不是文件；请给出文件名")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(path, "不是普通文件（设备、管道或套接字），不会替换它；输出到标准输出请用 -o - 或不给 -o")
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def check_target(path, inputs=()) -> None:
    """Refuse, before any work, an output that would replace a non-file, write over an input, or that
    cannot be created (missing permission, a name too long, a parent that is a file)."""
    if is_stdout(path):
        return
    target = real_target(path)
    refuse_inputs(path, inputs)
    parent = target.parent
    name_max = _name_max(parent)
    if len(os.fsencode(target.name)) + 16 > name_max:  # the temp file's name is the target's plus ~16
        raise OutputError(path, f"文件名过长（超过 {name_max - 16} 字节）")
    existing = parent
    while not existing.exists():
        if existing.is_symlink() or existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise OutputError(path, f"{existing} 不是目录")
    if existing.is_dir() and not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(path, f"无法写入：目录 {existing} 没有写入权限")


def _name_max(directory: Path) -> int:
    d = directory
    while not d.exists() and d.parent != d:
        d = d.parent
    try:
        return os.pathconf(d, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def refuse_inputs(output, inputs) -> None:
    """An output must never be one of the inputs, under any spelling (relative, symlink, hard link)."""
    out = Path(output)
    out_real = Path(os.path.realpath(out))
    for p in inputs:
        src = Path(p)
        try:
            same = out.exists() and src.exists() and os.path.samefile(out, src)
        except OSError:
            same = False
        if same or out_real == Path(os.path.realpath(src)):
            raise OutputError(output, "是被检查的文件之一；输入文件不会被改写，请换一个输出文件名")


def umask_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_whole(path, data: str | bytes, inputs=()) -> None:
    """Write to a temp file beside the target and rename it into place: a killed run never leaves a
    half-written report. ``-o -`` (or /dev/stdout) is written to the stream instead."""
    raw = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
    if is_stdout(path):
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return
    target = real_target(path)
    refuse_inputs(path, inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".tmp", dir=str(target.parent))
    except OSError as exc:
        raise OutputError(path, f"无法写入：{_why(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            # backslashreplace: a lone surrogate a reporter let through must not lose the whole report
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a report is meant to be shared: the mode an ordinary
        # new file gets under the umask (or the mode of the file it replaces)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(path, f"无法写入：{_why(exc)}；未写入任何内容") from None
        raise


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return umask_mode()
