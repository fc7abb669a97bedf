"""Excel workbook (.xlsx, via openpyxl): 汇总 (one row per file), 发现 (one row per finding) and, when the
results carry one, 核查表. Rows come from checker.reporters.tabular, the same as the CSV's."""
from __future__ import annotations

import io
import re

from . import tabular

BINARY = True  # render() returns bytes: written with -o, never to a terminal

MAX_CELL = 32767  # Excel's limit on the characters in one cell
# characters XML 1.0 cannot hold (openpyxl refuses them) and lone surrogates (not encodable)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("\ufffd", value)
    if _SURROGATE.search(value):
        value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(value) > MAX_CELL:
        value = value[:MAX_CELL - 1] + "…"
    return value


def _openpyxl():
    try:
        import openpyxl
    except ImportError as exc:  # a dependency of the package; only a broken install lacks it
        from ..errors import CheckerError

        raise CheckerError("xlsx 格式需要 openpyxl：python3 -m pip install openpyxl") from exc
    return openpyxl


def write_sheet(wb, sheet: tabular.Sheet) -> None:
    """One sheet: bold header row frozen above an autofilter, column widths, long text wrapped."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet.name)
    bold = Font(bold=True)
    top = Alignment(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, column in enumerate(sheet.columns, 1):
        cell = ws.cell(1, col, column.header)
        cell.font = bold
        cell.alignment = Alignment(vertical="center", wrap_text=False)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    for r, values in enumerate(sheet.rows, 2):
        for col, (column, value) in enumerate(zip(sheet.columns, values), 1):
            if value is None:
                continue
            if isinstance(value, str):
                value = _text(value)
            cell = ws.cell(r, col, value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" from a document is text, never a formula
            elif column.number_format:
                cell.number_format = column.number_format
            cell.alignment = wrap if column.wrap else top
    ws.freeze_panes = "A2"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"


def render(report, **_options) -> bytes:
    openpyxl = _openpyxl()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in tabular.sheets(report):
        write_sheet(wb, sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
