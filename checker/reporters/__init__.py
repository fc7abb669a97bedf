"""Output formats, one module each, registered by name; `write_atomic` puts a report in place whole."""
from __future__ import annotations

import importlib
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


def write_atomic(path: str | Path, data: str | bytes, inputs=()) -> None:
    """Put a report in place whole (checker.safe_write: regular files and new paths only, never an input;
    ``-`` or /dev/stdout is written as a stream)."""
    from ..safe_write import write_whole

    write_whole(path, data, inputs)
