"""The JSON contract: {"version": 1, "tool": {...}, "files": [...], "summary": {...}}."""
from __future__ import annotations

import json

from .. import __version__

SCHEMA_VERSION = 1


def tool_info() -> dict:
    return {"name": "tender-check", "version": __version__}


def as_dict(report) -> dict:
    return {
        "version": SCHEMA_VERSION,
        "tool": tool_info(),
        "files": [r.as_json() for r in report.files],
        "summary": report.summary(),
    }


def dumps(obj) -> str:
    # ensure_ascii=False keeps Chinese readable; lone surrogates from broken documents are escaped
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False)
    return text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


def render(report, **_options) -> str:
    return dumps(as_dict(report))
