"""The JSON contract: {"version": 1, "tool": {...}, "files": [...], "summary": {...}}."""
from __future__ import annotations

import json
import math

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


def finite(obj):
    """The value with every non-finite float (a 400-digit number read from a document is ``inf``) as null:
    JSON has no Infinity or NaN, and a strict reader rejects the whole file over one."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def dumps(obj, **options) -> str:
    """Strict JSON (never NaN/Infinity); ensure_ascii=False keeps Chinese readable; lone surrogates
    from broken documents are escaped."""
    options = {"indent": 2, **options}
    text = json.dumps(finite(obj), ensure_ascii=False, allow_nan=False, **options)
    return text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


def render(report, **_options) -> str:
    return dumps(as_dict(report))
