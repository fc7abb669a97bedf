"""CSV: one row per finding (and one per unreadable file), UTF-8 with a BOM so Excel shows Chinese.

The columns and their values are the xlsx report's 发现 sheet (checker.reporters.tabular)."""
from __future__ import annotations

import csv
import io
import re

from . import tabular

COLUMNS = tuple(c.header for c in tabular.FINDING_COLUMNS)  # without decisions (scan --decisions adds two)

_SURROGATE = re.compile("[\ud800-\udfff]")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if _SURROGATE.search(text):
        # lone surrogates (a broken file name or document) cannot be written as UTF-8
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    # a cell starting with = + - @ (or TAB / CR, which spreadsheet programs skip before reading a
    # formula) is a formula to Excel: quote it so an excerpt never runs as one
    return "'" + text if text[:1] in _FORMULA_START else text


def rows(report):
    """Rows in report order: an unreadable file's one row (状态 无法读取, 说明 the reason), else its
    findings (with 审查判断 and 备注 when decisions were applied)."""
    columns, decided = tabular.finding_columns(report), report.decided
    for r in report.files:
        if r.status != "ok":
            yield tabular.unreadable_row(r, columns)
            continue
        for f in r.findings:
            yield tabular.finding_row(r.path, f, decided)


def render(report, **_options) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header for c in tabular.finding_columns(report)])
    for row in rows(report):
        writer.writerow([_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()
