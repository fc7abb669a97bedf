"""CSV: one row per finding (and one per unreadable file), UTF-8 with a BOM so Excel shows Chinese."""
from __future__ import annotations

import csv
import io
import re

from . import SEVERITY_ZH

COLUMNS = ("path", "file_status", "error", "rule_id", "severity", "severity_zh", "status", "title",
           "message", "excerpt", "section", "block", "page", "table", "row", "col", "start", "end",
           "basis", "fix")

_SURROGATE = re.compile("[\ud800-\udfff]")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if _SURROGATE.search(text):
        # lone surrogates (a broken file name or document) cannot be written as UTF-8
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    # a cell starting with = + - @ is a formula to Excel: quote it so an excerpt never runs as one
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rows(report):
    for r in report.files:
        if r.status != "ok":
            yield {"path": r.path, "file_status": r.status, "error": r.error}
            continue
        for f in r.findings:
            loc = f.location
            yield {"path": r.path, "file_status": r.status, "rule_id": f.rule_id, "severity": f.severity,
                   "severity_zh": SEVERITY_ZH.get(f.severity, f.severity), "status": f.status,
                   "title": f.title, "message": f.message, "excerpt": f.excerpt,
                   "section": " › ".join(loc.section), "block": loc.block, "page": loc.page,
                   "table": loc.table, "row": loc.row, "col": loc.col, "start": loc.start, "end": loc.end,
                   "basis": "；".join(str(b) for b in f.basis), "fix": f.fix}


def render(report, **_options) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(report):
        writer.writerow([_cell(row.get(c)) for c in COLUMNS])
    return "\ufeff" + buf.getvalue()
