"""OCR text boxes back into a PDF page: lines in reading order (one or two columns), ruled tables as cells.

Boxes come in pixels (y down); the lines and tables built here are in PDF points (y up), the same
_Line/_Table/_Page the text-layer path makes, so paragraphs, headings, running headers and page numbers
are then handled by the PDF reader's own assembly (pdf._emit).
"""
from __future__ import annotations

from statistics import median

from .ocr import TextBox
from .pdf import _FoundTable, _Line, _Page, _Table, _edge, _locate, clean_line, grid_tables, join_lines

# Seal text runs round a circle: boxes tilted more than this (dy/dx) are a stamp, not the page's print.
_MAX_TILT = 0.12
# A gutter needs this many box rows beside each other on both sides to make a page two columns.
_MIN_COLUMN_ROWS = 4


def build_page(number: int, width: float, height: float, boxes: list[TextBox], scale: float,
               found: list[_FoundTable], images: int = 0) -> _Page:
    """A _Page from recognised boxes; ``found`` are the page's ruled tables (PDF space)."""
    boxes = _dedupe([b for b in boxes if abs(b.tilt) <= _MAX_TILT])
    points = [_to_points(b, scale, height) for b in boxes]
    cell_boxes: list[list[list[list[TextBox]]]] = [[[[] for _ in row] for row in t.cells] for t in found]
    free: list[TextBox] = []
    for box in points:
        # the box centre in PDF space: y up, so the centre's y is height - pixel centre
        cell = _locate(found, box.cx, box.cy) if found else None
        if cell is None:
            free.append(box)
        elif cell[0] >= 0:
            cell_boxes[cell[0]][cell[1]][cell[2]].append(box)
    page = _Page(number, width, height, images=images)
    page.lines = [_line_of(run) for run in reading_order(free, width)]
    page.tables = [_table_of(t, cells) for t, cells in zip(found, cell_boxes)]
    return page


def _to_points(b: TextBox, scale: float, height: float) -> TextBox:
    """Pixel box → PDF points, y up (y0 is the bottom edge, y1 the top)."""
    return TextBox(b.text, b.x0 / scale, height - b.y1 / scale, b.x1 / scale, height - b.y0 / scale,
                   b.score, b.tilt)


def _dedupe(boxes: list[TextBox]) -> list[TextBox]:
    """The detector sometimes returns one line twice; keep the first of two same-text, overlapping boxes."""
    out: list[TextBox] = []
    for b in boxes:
        if any(o.text == b.text and _overlap(o, b) > 0.5 for o in out):
            continue
        out.append(b)
    return out


def _overlap(a: TextBox, b: TextBox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / min((a.x1 - a.x0) * a.height, (b.x1 - b.x0) * b.height)


# --- reading order ---------------------------------------------------------------------------------

def reading_order(boxes: list[TextBox], width: float) -> list[list[TextBox]]:
    """Boxes (PDF space, y up) grouped into visual lines, top to bottom; on a two-column stretch the
    left column is read to its end before the right one."""
    rows = _rows(boxes)
    gutter = _gutter(rows, width)
    if gutter is None:
        return rows
    out: list[list[TextBox]] = []
    left: list[list[TextBox]] = []
    right: list[list[TextBox]] = []
    for row in rows:
        if any(b.x0 < gutter < b.x1 for b in row):  # a full-width line (title, heading) closes the stretch
            out += left + right + [row]
            left, right = [], []
            continue
        lpart = [b for b in row if b.x1 <= gutter]
        rpart = [b for b in row if b.x0 >= gutter]
        if lpart:
            left.append(lpart)
        if rpart:
            right.append(rpart)
    return out + left + right


def _rows(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes on the same baseline band, each row sorted left to right, rows from the top down."""
    rows: list[list[TextBox]] = []
    for b in sorted(boxes, key=lambda b: -b.cy):
        if rows:
            ref = rows[-1]
            centre = median(o.cy for o in ref)
            size = median(o.height for o in ref)
            if abs(b.cy - centre) < 0.5 * min(size, b.height):
                ref.append(b)
                continue
        rows.append([b])
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def _gutter(rows: list[list[TextBox]], width: float) -> float | None:
    """x of a blank strip between two text columns, or None for a single-column page."""
    if len(rows) < 2 * _MIN_COLUMN_ROWS:
        return None
    best = None
    for step in range(30, 71, 2):
        x = width * step / 100
        crossing = sum(1 for r in rows for b in r if b.x0 < x < b.x1)
        both = sum(1 for r in rows if any(b.x1 <= x for b in r) and any(b.x0 >= x for b in r))
        if crossing * 5 <= len(rows) and both >= _MIN_COLUMN_ROWS:
            # text on both sides of this strip in many rows, and few lines cross it
            left = [b.x1 - b.x0 for r in rows for b in r if b.x1 <= x]
            right = [b.x1 - b.x0 for r in rows for b in r if b.x0 >= x]
            if median(left) > 0.2 * width and median(right) > 0.2 * width:  # columns of text, not labels
                score = (crossing, -both)
                if best is None or score < best[0]:
                    best = (score, x)
    return None if best is None else best[1]


def _line_of(row: list[TextBox]) -> _Line:
    parts = []
    for a, b in zip([None] + row, row):
        if a is not None and b.x0 - a.x1 > 1.5 * min(a.height, b.height):
            parts.append(" ")  # a wide gap: a space (dropped again between Chinese characters)
        parts.append(b.text)
    line = _Line(clean_line("".join(parts)), min(b.x0 for b in row), max(b.x1 for b in row),
                 max(b.y1 for b in row), min(b.y0 for b in row))
    line.conf = min(b.score for b in row)
    return line


def _table_of(table: _FoundTable, cells: list[list[list[TextBox]]]) -> _Table:
    rows: list[list[str | None]] = []
    conf: list[list[float | None]] = []
    for r, row in enumerate(table.cells):
        rows.append([])
        conf.append([])
        for c, cell in enumerate(row):
            if cell is None:
                rows[-1].append(None)
                conf[-1].append(None)
                continue
            lines = _rows(cells[r][c])
            rows[-1].append(join_lines(["".join(b.text for b in ln) for ln in lines]))
            conf[-1].append(min((b.score for b in cells[r][c]), default=None))
    out = _Table(table.box[3], rows)
    out.conf = conf
    return out


# --- ruled tables drawn in the image ---------------------------------------------------------------

def image_tables(image, scale: float, height: float) -> list[_FoundTable]:
    """Tables of a scanned page: ruling lines found in the pixels, cells found by pdfplumber's grid search."""
    horizontal, vertical = _rules(image, scale, height)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    from pdfplumber.table import TableFinder

    return grid_tables(TableFinder, vertical, horizontal,
                       snap_tolerance=3, join_tolerance=4, intersection_tolerance=4)


def _rules(image, scale: float, height: float) -> tuple[list[dict], list[dict]]:
    """Long thin dark runs, horizontal and vertical, as pdfplumber edges in PDF space."""
    import cv2
    import numpy as np

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    h_px, w_px = ink.shape
    # a rule is far longer than any character: at least about 5 em at 10.5 pt
    span = max(int(50 * scale), 20)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (span, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, span // 2)))
    horizontal, vertical = [], []
    for mask, out, is_h in ((horiz, horizontal, True), (vert, vertical, False)):
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))  # close one-pixel breaks in scanned rules
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for k in range(1, count):
            x, y, w, h, _ = stats[k]
            if is_h and h <= 12 * scale / 2.8:
                yc = height - (y + h / 2) / scale
                out.append(_edge(x / scale, yc, (x + w) / scale, yc))
            elif not is_h and w <= 12 * scale / 2.8:
                xc = (x + w / 2) / scale
                out.append(_edge(xc, height - (y + h) / scale, xc, height - y / scale))
    return horizontal, vertical
