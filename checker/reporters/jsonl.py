"""JSON Lines: one file's result per line (the JSON contract's `files` entries), written as each finishes."""
from __future__ import annotations

from .json import dumps


def line(result) -> str:
    return dumps(result.as_json(), indent=None, separators=(",", ":"))


def render(report, **_options) -> str:
    return "".join(line(r) for r in report.files)
