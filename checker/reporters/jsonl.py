"""JSON Lines: one file's result per line (the JSON contract's `files` entries), written as each finishes."""
from __future__ import annotations

import json


def line(result) -> str:
    text = json.dumps(result.as_json(), ensure_ascii=False, separators=(",", ":"))
    # lone surrogates from broken documents are escaped rather than failing the whole line
    return text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


def render(report, **_options) -> str:
    return "".join(line(r) for r in report.files)
