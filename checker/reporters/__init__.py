"""Output formats, one module each, registered by name; `write_atomic` puts a report in place whole."""
from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

# name → module under checker.reporters exposing render(report, **options) -> str (bytes where the
# module sets BINARY = True: such a report is written to a file or a pipe, never to a terminal)
FORMATS = {
    "text": "text",
    "concise": "text",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit",
    "jsonl": "jsonl",
    "csv": "csv",
    "html": "html",
    "xlsx": "xlsx",
}

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def register(name: str, module: str) -> None:
    FORMATS[name] = module


def get(name: str):
    if name not in FORMATS:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{FORMATS[name]}")


def is_binary(reporter) -> bool:
    return bool(getattr(reporter, "BINARY", False))


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write to a temp file beside the target and rename it into place: a killed run never
    leaves a half-written report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            # backslashreplace: a lone surrogate a reporter let through must not lose the whole report
            fh.write(data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data)
        # mkstemp makes the file private (0600); a report or annotated copy is meant to be shared,
        # so give it the mode an ordinary new file would get under the user's umask
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
