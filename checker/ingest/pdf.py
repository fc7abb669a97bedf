"""PDF: text from pdfium for every page, pdfplumber only on ruled pages for tables; CJK lines re-joined."""
from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..limits import MAX_PDF_EDGES, MAX_PDF_GRID, MAX_PDF_OBJECTS, MAX_PDF_PAGE_WORK, pick
from ..model import Document
from .builder import DocumentBuilder

MAX_PAGES = 3000  # see checker/limits.py: configure(max_pages=...) takes precedence
# counting a page's objects stops past this many: the page is over any object limit by then
_MAX_OBJECTS_SCANNED = 10 * MAX_PDF_OBJECTS

# pdfium error codes (FPDF_ERR_*), kept here so the mapping needs no import at module load.
_ERR_FILE, _ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 2, 3, 4, 6

_CJK = "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_SPACES = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) |(?<=[^\s]) (?=[{_CJK}])")
_CHAPTER_SPACE = re.compile(r"^\s*(第\s*[一二三四五六七八九十百零〇两\d]+\s*[章节篇卷]|第\s*[一二三四五六七八九十百零〇两\d]+\s*部分)[ \t\u3000]+(?=\S)")
_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")

# A line ending in one of these closes its paragraph, even when it runs to the right margin.
_PARA_END = re.compile(r"[。；！？：;!?:][\"”’）)\]】》]*$")
_TOC_LEADER = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|-{6,})\s*\d+\s*$")
_CN = "一二三四五六七八九十百零〇两"
# A line starting a new numbered item or bullet starts a new paragraph. Decimal numbers followed by a
# unit ("1.5倍", "2.0米") are wrapped text, not item numbers.
_UNITS = r"倍|元|万|亿|%|％|米|千|吨|天|年|个|日|月|时|小时|分|秒|公里|平方|立方|kg|KG|mm|cm|km|m\b"
_ITEM_START = re.compile(
    rf"^\s*(?:第\s*[{_CN}\d]+\s*[章节条部分篇卷]"
    rf"|[{_CN}]+\s*[、.．]"
    rf"|[（(]\s*(?:[{_CN}]+|\d{{1,3}}|[a-zA-Z])\s*[)）]"
    rf"|\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}}(?![\d.．])(?!\s*(?:{_UNITS}))"
    rf"|\d{{1,2}}\s*[、.．)）](?![\d.．])(?!\s*(?:{_UNITS}))"
    r"|[★▲△•●■◆□☆◇※☑①-⑳⑴-⒇]"
    r"|注\s*[：:]"
    r")"
)
# Bare page numbers and "第 3 页 共 98 页" style footers.
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–·•\s]*\d{1,4}[-—–·•\s]*"
    r"|第\s*\d{1,4}\s*页\s*(?:[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$"
)

# Header/footer zone: share of the page height at the top and bottom where repeats are looked for.
_EDGE_ZONE = 0.15
_EDGE_LINES = 2
# Share of mojibake letters above which the text layer is refused, and above which it is flagged.
_GARBLED_REFUSE = 0.3
_GARBLED_WARN = 0.05


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float     # PDF user space: y grows upwards, so top > bottom
    bottom: float
    conf: float | None = None  # OCR confidence (checker/ingest/ocr_layout.py); None from the text layer

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)

    @property
    def center(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Table:
    top: float
    rows: list[list[str | None]]
    conf: list[list[float | None]] | None = None  # per cell, when read by OCR


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    images: int = 0
    objects: int = 0


def read_pdf(path: str | Path) -> Document:
    """Read a PDF into a Document, or raise InputError (encrypted, corrupt, scanned, too long)."""
    path = str(path)
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise InputError(path, f"缺少 pypdfium2：{exc}") from exc
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise InputError(path, _open_problem(getattr(exc, "err_code", None), exc)) from exc
    except OSError as exc:
        raise InputError(path, f"无法读取 PDF：{exc.strerror or exc}") from exc
    except Exception as exc:
        raise InputError(path, f"PDF 文件损坏，无法解析：{type(exc).__name__}: {exc}") from exc

    from .pdf_streams import check_streams

    check_streams(path)
    builder = DocumentBuilder(path, "pdf")
    tables = _TableFinder(path, builder.warnings)
    try:
        try:
            count = len(pdf)
        except Exception as exc:
            raise InputError(path, f"PDF 文件损坏，无法读取页数：{exc}") from exc
        if count == 0:
            raise InputError(path, "PDF 没有任何页面，文件可能已损坏")
        max_pages = pick(MAX_PAGES, "max_pages")
        if count > max_pages:
            raise InputError(path, f"PDF 共 {count} 页，超过上限 {max_pages} 页，拒绝处理"
                                   "（请拆分文件或确认这是招标文件）")
        pages, failed, image_only = [], [], []
        work, max_work = 0, pick(MAX_PDF_PAGE_WORK, "max_pdf_page_work")
        for index in range(count):
            page = _read_page(pdf, index, tables)
            if page is None:
                failed.append(index + 1)
                continue
            work += page.objects
            if work > max_work:
                raise InputError(path, f"PDF 页面对象过多（读到第 {index + 1} 页已超过 {max_work} 个），"
                                       "疑似异常构造的文件，拒绝处理")
            if page.lines or page.tables:
                pages.append(page)
            elif page.images:
                image_only.append(index + 1)
        # OCR hook: pages without a usable text layer are read from their image (checker/ingest/pdf_ocr.py)
        from .pdf_ocr import ocr_pass

        redone = ocr_pass(path, pdf, pages, image_only, tables, builder.warnings, failed)
        pages, image_only = redone.pages, redone.image_only
    finally:
        tables.close()
        pdf.close()

    if not pages:
        if failed and len(failed) == count:
            raise InputError(path, "PDF 文件损坏，所有页面都无法解析")
        raise InputError(path, f"扫描件，无文字层：{redone.note or '页面上没有可识别的文字'}")
    if failed:
        builder.warnings.append(f"PDF 第 {_page_list(failed)} 页无法解析，已跳过")
    if image_only:
        builder.warnings.append(f"PDF 第 {_page_list(image_only)} 页只有图片、没有文字层（可能是扫描页），未检查"
                                + (f"（{redone.note}）" if redone.note else ""))
    garbled = _garbled_share(pages)
    if garbled > _GARBLED_REFUSE:
        raise InputError(path, f"PDF 文字层是乱码（约 {garbled:.0%} 的字符无法识别，字体缺少编码映射），"
                               f"无法可靠读取：{redone.note or '请提供原始 Word 文件或可复制文字的 PDF'}")
    if garbled > _GARBLED_WARN:
        builder.warnings.append(f"PDF 文字层约 {garbled:.0%} 为无法识别的字符（字体缺少编码映射），检查结果可能不完整")
    _emit(builder, pages)
    if not any(b.text for b in builder.blocks):
        # every line sat where running headers go and repeated on many pages
        raise InputError(path, "PDF 除重复的页眉页脚外没有可读文字")
    return builder.build(pages=count)


def _open_problem(code: int | None, exc: Exception) -> str:
    if code == _ERR_PASSWORD:
        return "PDF 已加密（需要密码），请提供未加密的文件"
    if code == _ERR_SECURITY:
        return "PDF 使用了不支持的加密方式，请提供未加密的文件"
    if code == _ERR_FILE:
        return "无法打开 PDF 文件（文件不存在或无读取权限）"
    if code == _ERR_FORMAT:
        return "不是有效的 PDF 文件，或文件已损坏/不完整"
    return f"PDF 文件损坏，无法解析：{exc}"


def _page_list(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:10])
    return shown + (f" 等 {len(numbers)} " if len(numbers) > 10 else "")


# --- one page -------------------------------------------------------------------------------------

def _read_page(pdf, index: int, tables: "_TableFinder") -> _Page | None:
    """Lines (and tables, on ruled pages) of one page; None when pdfium cannot load it."""
    try:
        page = pdf[index]
    except Exception:
        return None
    textpage = None
    try:
        width, height = page.get_width(), page.get_height()
        textpage = page.get_textpage()
        result = _Page(index + 1, width, height)
        ruled, result.images, result.objects = _scan_objects(page.raw, width, height)
        if result.objects > pick(MAX_PDF_OBJECTS, "max_pdf_objects"):
            tables.warnings.append(f"第 {index + 1} 页对象过多（{result.objects} 个），未识别表格，按普通文字读取")
            ruled = False
        # a page without any text (scan, drawing) has no table text to read either
        has_text = textpage.count_chars() > 0
        found = tables.find(index, page, width, height) if ruled and has_text else []
        result.lines, result.tables = _page_text(textpage, found)
        return result
    except Exception:
        return None
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def _scan_objects(page_raw, width: float, height: float) -> tuple[bool, int, int]:
    """Whether the page draws ruling lines that could form a table, how many images and how many
    objects it holds (text runs, paths, images, also inside forms).

    Counting thin horizontal and vertical paths with pdfium costs well under a millisecond, so pages
    of plain text never reach pdfplumber (about 60 ms a page).
    """
    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = tuple(ctypes.byref(v) for v in (left, bottom, right, top))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    page_area = max(width * height, 1.0)
    state = {"h": 0, "v": 0, "images": 0, "objects": 0}

    def walk(parent, count_fn, get_fn, depth: int) -> None:
        count = count_fn(parent)
        state["objects"] += count
        if state["objects"] > _MAX_OBJECTS_SCANNED:
            return
        for k in range(count):
            obj = get_fn(parent, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                state["images"] += 1
                continue
            if kind == raw.FPDF_PAGEOBJ_FORM and depth < 3:
                walk(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, depth + 1)
                continue
            if kind != raw.FPDF_PAGEOBJ_PATH or not raw.FPDFPageObj_GetBounds(obj, *refs):
                continue
            w, h = right.value - left.value, top.value - bottom.value
            if w * h > 0.8 * page_area:
                continue  # page frames and white backgrounds
            if h <= 3 and w >= 8:
                state["h"] += 1
            elif w <= 3 and h >= 8:
                state["v"] += 1
            elif w > 3 and h > 3:
                raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
                if stroke.value:  # a stroked box or grid; filled-only boxes are shading
                    k2 = max(2, raw.FPDFPath_CountSegments(obj) // 2)
                    state["h"] += k2
                    state["v"] += k2

    walk(page_raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, 0)
    # A 2x2 grid needs three rules each way; a lone box around a note has only two.
    return state["h"] >= 3 and state["v"] >= 3, state["images"], state["objects"]


@dataclass
class _FoundTable:
    box: tuple[float, float, float, float]  # x0, bottom, x1, top in page space
    cells: list[list[tuple[float, float, float, float] | None]]
    # per row: (lowest bottom, highest top) of its cells, so _locate skips rows a point is not in
    bands: list[tuple[float, float] | None] = field(init=False, repr=False)

    def __post_init__(self):
        self.bands = []
        for row in self.cells:
            ys = [v for c in row if c is not None for v in (c[1], c[3])]
            if not ys:
                self.bands.append(None)
            elif all(math.isfinite(v) for v in ys):
                self.bands.append((min(ys[0::2]), max(ys[1::2])))
            else:  # NaN would make min/max order-dependent: check every cell of such a row
                self.bands.append((-math.inf, math.inf))


def _page_text(textpage, found: list[_FoundTable]) -> tuple[list[_Line], list[_Table]]:
    """Visual lines of the page outside tables, and the tables with cell text from pdfium chars."""
    import pypdfium2.raw as raw

    tp = textpage.raw
    n = raw.FPDFText_CountChars(tp)
    if n <= 0:
        return [], [_Table(t.box[3], [[("" if c is not None else None) for c in row] for row in t.cells])
                    for t in found]
    text = textpage.get_text_range()
    if len(text) != n:
        # outside the BMP get_text_range (UCS-2) and the char list disagree; ask char by char
        text = "".join(_unicode(raw.FPDFText_GetUnicode(tp, k)) for k in range(n))
    text = _drop_generated_spaces(tp, text)
    rect = raw.FS_RECTF()
    rref = ctypes.byref(rect)

    def box(k: int) -> tuple[float, float, float, float] | None:
        raw.FPDFText_GetLooseCharBox(tp, k, rref)
        if rect.right - rect.left <= 0 and rect.top - rect.bottom <= 0:
            return None  # generated char (inserted space or line break)
        return rect.left, rect.right, rect.top, rect.bottom

    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]
    lines: list[_Line] = []
    if not found:
        for start, end in spans:
            first, last = _content_bounds(text, start, end)
            if first is None:
                continue
            a, b = box(first), box(last)
            if a is not None and b is not None and abs((a[2] + a[3]) - (b[2] + b[3])) / 2 < 0.5 * (a[2] - a[3]):
                line = _make_line(text[start:end], [a, b])
                if line is not None:
                    lines.append(line)
            else:
                # pdfium sometimes files two visual lines under one; split them by height
                lines.extend(_runs([(text[k], box(k)) for k in range(start, end)]))
        return lines, []

    # Ruled page with tables: route every char either to a table cell or to the page text.
    fragments: list[list[list[list[str]]]] = [[[[] for _ in row] for row in t.cells] for t in found]
    last_line_of_cell: dict[tuple[int, int, int], int] = {}
    for line_no, (start, end) in enumerate(spans):
        outside: list[tuple[str, tuple | None]] = []
        last_cell = None
        for k in range(start, end):
            ch = text[k]
            if ch == "\x00":
                continue  # a space pdfium made up, see _drop_generated_spaces
            bx = box(k)
            if ch.isspace() or bx is None:
                if last_cell is not None:
                    t, r, c = last_cell
                    fragments[t][r][c][-1].append(" ")
                else:
                    outside.append((" ", None))
                continue
            cell = _locate(found, (bx[0] + bx[1]) / 2, (bx[2] + bx[3]) / 2)
            if cell is None:
                outside.append((ch, bx))
                last_cell = None
                continue
            last_cell = None
            if cell[0] < 0:
                continue  # inside a table but in no cell: decoration
            t, r, c = cell
            frags = fragments[t][r][c]
            if last_line_of_cell.get(cell) != line_no or not frags:
                frags.append([])
                last_line_of_cell[cell] = line_no
            frags[-1].append(ch)
            last_cell = cell
        lines.extend(_runs(outside))
    out_tables = []
    for t, table in zip(found, fragments):
        rows = []
        for r, row in enumerate(table):
            rows.append([None if t.cells[r][c] is None else join_lines(["".join(f) for f in frags])
                         for c, frags in enumerate(row)])
        out_tables.append(_Table(t.box[3], rows))
    return lines, out_tables


def _drop_generated_spaces(tp, text: str) -> str:
    """Blank out spaces pdfium inserted for a wide gap next to a Chinese character ("30 分" → "30分").

    Spaces the document itself holds ("2025 年") are kept; the replacement keeps the text aligned
    with pdfium's char indexes and is stripped later as a control char.
    """
    import pypdfium2.raw as raw

    chars = list(text)
    changed = False
    for m in _SPACE_BY_CJK.finditer(text):
        k = m.start()
        if _CHAPTER_SPACE.match(text[text.rfind("\n", 0, k) + 1:k + 2]):
            continue  # "第一章 招标公告": kept, see clean_line
        if raw.FPDFText_IsGenerated(tp, k) == 1:
            chars[k] = "\x00"
            changed = True
    return "".join(chars) if changed else text


def _runs(chars: list[tuple[str, tuple | None]]) -> list[_Line]:
    """Lines from chars in pdfium order, starting a new line where the height jumps by half a line."""
    out: list[_Line] = []
    text: list[str] = []
    boxes: list[tuple] = []
    for ch, bx in chars:
        if bx is None:
            text.append(ch)
            continue
        if boxes:
            ref = boxes[0]
            if abs((bx[2] + bx[3]) - (ref[2] + ref[3])) / 2 >= 0.5 * max(ref[2] - ref[3], 1.0):
                line = _make_line("".join(text), boxes)
                if line is not None:
                    out.append(line)
                text, boxes = [], []
        text.append(ch)
        boxes.append(bx)
    if boxes:
        line = _make_line("".join(text), boxes)
        if line is not None:
            out.append(line)
    return out


def _unicode(code: int) -> str:
    if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000:
        return chr(code)
    return "\ufffd"


def _content_bounds(text: str, start: int, end: int) -> tuple[int | None, int | None]:
    first = start
    while first < end and text[first].isspace():
        first += 1
    if first == end:
        return None, None
    last = end - 1
    while last > first and text[last].isspace():
        last -= 1
    return first, last


def _make_line(text: str, boxes: list[tuple[float, float, float, float]]) -> _Line | None:
    text = clean_line(text)
    if not text:
        return None
    return _Line(text, min(b[0] for b in boxes), max(b[1] for b in boxes),
                 max(b[2] for b in boxes), min(b[3] for b in boxes))


def _locate(found: list[_FoundTable], x: float, y: float) -> tuple[int, int, int] | None:
    """(table, row, col) of the cell holding point (x, y); (-1, -1, -1) inside a table but no cell."""
    for t, table in enumerate(found):
        x0, y0, x1, y1 = table.box
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        for r, row in enumerate(table.cells):
            band = table.bands[r]
            if band is None or not band[0] <= y <= band[1]:
                continue  # no cell of this row can hold y: every check below would fail
            for c, cell in enumerate(row):
                if cell is not None and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                    return t, r, c
        return -1, -1, -1
    return None


# --- tables: ruling lines from pdfium, grid finding by pdfplumber -------------------------------------

class _TableFinder:
    """Finds tables on ruled pages with pdfplumber's TableFinder, fed the page's rules read by pdfium.

    Letting pdfplumber parse the page itself costs 60-150 ms (pdfminer re-reads every glyph); the rules
    are all the grid search needs, and pdfium already has them, so a ruled page costs a few ms.
    pdfplumber is imported on the first ruled page only.
    """

    def __init__(self, path: str, warnings: list[str]):
        self.path = path
        self.warnings = warnings
        self._finder = None
        self._broken = False

    def find(self, index: int, pdfium_page, width: float, height: float) -> list[_FoundTable]:
        finder = self._load()
        if finder is None:
            return []
        try:
            edges = _page_edges(pdfium_page.raw)
            horizontal = [e for e in edges if e["top"] == e["bottom"]]
            vertical = [e for e in edges if e["x0"] == e["x1"]]
            if len(horizontal) < 2 or len(vertical) < 2:
                return []
            if not self._within_limits(index, horizontal, vertical):
                return []
            return grid_tables(finder, vertical, horizontal)
        except Exception as exc:
            self.warnings.append(f"第 {index + 1} 页表格识别失败（{type(exc).__name__}），已按普通文字读取")
            return []

    def _within_limits(self, index: int, horizontal: list, vertical: list) -> bool:
        """Table finding grows with rule rows × rule columns: a page ruled like graph paper is read as text."""
        rows = len({round(e["top"]) for e in horizontal})
        cols = len({round(e["x0"]) for e in vertical})
        if len(horizontal) + len(vertical) <= pick(MAX_PDF_EDGES, "max_pdf_edges") \
                and rows * cols <= pick(MAX_PDF_GRID, "max_pdf_grid"):
            return True
        self.warnings.append(f"第 {index + 1} 页表格线过密（{rows} 条横线 × {cols} 条竖线），"
                             "未识别表格，按普通文字读取")
        return False

    def _load(self):
        if self._finder is None and not self._broken:
            try:
                from pdfplumber.table import TableFinder

                self._finder = TableFinder
            except Exception as exc:
                self._broken = True
                self.warnings.append(f"无法加载 pdfplumber（{type(exc).__name__}），表格按普通文字读取")
        return self._finder

    def close(self) -> None:
        self._finder = None


def _to_page(box) -> tuple[float, float, float, float]:
    """pdfplumber box (x0, top, x1, bottom) built from flipped pdfium y back to (x0, y0, x1, y1)."""
    return float(box[0]), -float(box[3]), float(box[2]), -float(box[1])


def _edge(x0: float, y0: float, x1: float, y1: float) -> dict:
    # pdfplumber measures down from the top; feeding it -y keeps pdfium's page space exactly.
    top, bottom = -max(y0, y1), -min(y0, y1)
    return {"object_type": "line", "x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
            "width": abs(x1 - x0), "height": bottom - top}


def _page_edges(page_raw) -> list[dict]:
    """Horizontal and vertical rules drawn on the page: strokes, thin filled bars, sides of boxes."""
    import pypdfium2.raw as raw

    matrix = raw.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    edges: list[dict] = []

    def subpaths(obj, m):
        a, b, c, d, e, f = m
        current: list[tuple[float, float]] = []
        out = []
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py)):
                continue
            x, y = px.value, py.value
            point = (a * x + c * y + e, b * x + d * y + f)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                if len(current) > 1:
                    out.append(current)
                current = [point]
            elif kind == raw.FPDF_SEGMENT_LINETO:
                current.append(point)
            else:
                current.append(None)  # curve: breaks straight runs
                current.append(point)
            if raw.FPDFPathSegment_GetClose(seg) and current and current[0] is not None:
                current.append(current[0])
        if len(current) > 1:
            out.append(current)
        return out

    def add_path(obj, m) -> None:
        if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
            return
        if not fill.value and not stroke.value:
            return  # clipping-only path
        for pts in subpaths(obj, m):
            real = [p for p in pts if p is not None]
            xs, ys = [p[0] for p in real], [p[1] for p in real]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            if h <= 3 and w > 3:
                y = (max(ys) + min(ys)) / 2
                edges.append(_edge(min(xs), y, max(xs), y))
            elif w <= 3 and h > 3:
                x = (max(xs) + min(xs)) / 2
                edges.append(_edge(x, min(ys), x, max(ys)))
            elif stroke.value:
                for p, q in zip(pts, pts[1:]):
                    if p is None or q is None:
                        continue
                    if abs(p[1] - q[1]) < 0.5 and abs(p[0] - q[0]) > 3:
                        edges.append(_edge(p[0], p[1], q[0], p[1]))
                    elif abs(p[0] - q[0]) < 0.5 and abs(p[1] - q[1]) > 3:
                        edges.append(_edge(p[0], p[1], p[0], q[1]))
            # a large filled-only box is shading behind a heading or cell, not a rule

    def compose(m, n):
        a, b, c, d, e, f = n
        A, B, C, D, E, F = m
        return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                e * A + f * C + E, e * B + f * D + F)

    def walk(parent, count_fn, get_fn, m, depth: int) -> None:
        for k in range(count_fn(parent)):
            obj = get_fn(parent, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                continue
            if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
                continue
            own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            full = compose(m, own)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                add_path(obj, full)
            elif depth < 3:
                walk(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, full, depth + 1)

    walk(page_raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
    return edges


def _is_real_grid(grid: list[list[tuple | None]]) -> bool:
    """A grid with some row of two or more cells; a one-column box is framed text, not a table."""
    return any(sum(1 for c in row if c is not None) >= 2 for row in grid)


def _keep_innermost(tables: list[_FoundTable]) -> list[_FoundTable]:
    # Nested finds (a table inside a framed area that was also read as a table) keep the inner one.
    out = []
    for t in tables:
        x0, y0, x1, y1 = t.box
        inner = any(o is not t and x0 - 1 <= o.box[0] and o.box[2] <= x1 + 1 and y0 - 1 <= o.box[1]
                    and o.box[3] <= y1 + 1 and o.box != t.box for o in tables)
        if not inner:
            out.append(t)
    return out


# --- text cleaning and paragraph assembly ----------------------------------------------------------

def clean_line(text: str) -> str:
    """One visual line: control chars dropped, stray spaces between Chinese characters removed."""
    text = _CONTROL.sub("", text).replace("\u00a0", " ")
    # "第一章 招标公告": the space after a chapter number is the author's, and keeps the heading
    # trail identical to what the .docx reader gives for the same document
    chapter = _CHAPTER_SPACE.match(text)
    if chapter:
        return re.sub(r"\s+", "", chapter.group(1)) + " " + clean_line(text[chapter.end():])
    text = _CJK_SPACES.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: nothing between Chinese characters, one space between Latin words."""
    out = ""
    for line in lines:
        line = clean_line(line)
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " " + line
        else:
            out += line
    return out


def _garbled_share(pages: list[_Page]) -> float:
    """Share of letters from scripts a Chinese tender never uses: the mark of fonts with a broken
    ToUnicode map, whose text layer decodes to mojibake (Canadian syllabics, Cyrillic, CJK Ext-A…)."""
    # Regexes drop whitespace (\s is str.isspace) and the common ranges in C; the few characters
    # left are classified one by one.
    letters = _SPACE_RUNS.sub("", "".join(line.text for page in pages for line in page.lines))
    total = len(letters)
    bad = 0
    for ch in _COMMON_SCRIPTS.sub("", letters):
        code = ord(ch)
        if ch == "\ufffd" or 0xE000 <= code <= 0xF8FF or unicodedata.category(ch).startswith("L"):
            bad += 1
    return bad / total if total else 0.0


_SPACE_RUNS = re.compile(r"\s+")
_COMMON_SCRIPTS = re.compile("[\x00-\u024f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def _emit(builder: DocumentBuilder, pages: list[_Page]) -> None:
    _drop_headers_footers(pages)
    layout = _Layout(pages)
    buffer: list[_Line] = []
    buffer_page = 0
    prev: _Line | None = None

    def flush() -> None:
        nonlocal buffer
        if buffer:
            builder.paragraph(join_lines([ln.text for ln in buffer]), page=buffer_page,
                              ocr=min((ln.conf for ln in buffer if ln.conf is not None), default=None))
        buffer = []

    for page in pages:
        items: list[_Line | _Table] = list(page.lines)
        for table in sorted(page.tables, key=lambda t: -t.top):
            # place the table before the first line that lies below its top edge
            pos = next((i for i, it in enumerate(items) if isinstance(it, _Line) and it.center < table.top),
                       len(items))
            items.insert(pos, table)
        first_on_page = True
        for item in items:
            if isinstance(item, _Table):
                flush()
                prev = None
                builder.table(item.rows, page=page.number, ocr=item.conf)
                continue
            before = buffer[-2] if len(buffer) > 1 else None
            if buffer and prev is not None and layout.continues(prev, item, page, first_on_page, before):
                buffer.append(item)
            else:
                flush()
                buffer = [item]
                buffer_page = page.number
            prev = item
            first_on_page = False
        layout.end_page(page)
    flush()


def grid_tables(finder, vertical: list, horizontal: list, **tolerances) -> list[_FoundTable]:
    """Tables pdfplumber's grid search finds between the given ruling lines, innermost kept."""
    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal, **tolerances}
    out = []
    for table in finder(None, settings).tables:
        grid = [[None if c is None else _to_page(c) for c in row.cells] for row in table.rows]
        if _is_real_grid(grid):
            out.append(_FoundTable(_to_page(table.bbox), grid))
    return _keep_innermost(out)


class _Layout:
    """The usual text margins and line spacing, to tell wrapped lines from paragraph ends."""

    def __init__(self, pages: list[_Page]):
        by_size: dict[tuple[int, int], list[_Line]] = {}
        gaps: list[float] = []
        for page in pages:
            by_size.setdefault(self._key(page), []).extend(page.lines)
            for a, b in zip(page.lines, page.lines[1:]):
                gap = a.bottom - b.top
                if -0.5 * a.height < gap < 2 * a.height:
                    gaps.append(gap / a.height)
        sizes = {key: _margins(lines, key[0]) for key, lines in by_size.items()}
        # Margins per page where the page has enough full lines (sections may differ), else per page size.
        self._margins = {id(page): _margins(page.lines, page.width, sizes[self._key(page)]) for page in pages}
        self._gap = _percentile(sorted(gaps), 0.5) if gaps else 0.5
        self._last_page: _Page | None = None

    @staticmethod
    def _key(page: _Page) -> tuple[int, int]:
        return round(page.width), round(page.height)

    def end_page(self, page: _Page) -> None:
        self._last_page = page

    def continues(self, a: _Line, b: _Line, page: _Page, new_page: bool, before: _Line | None) -> bool:
        """Whether line ``b`` continues the paragraph of line ``a`` (``before`` is the line above ``a``)."""
        if _PARA_END.search(a.text) or _TOC_LEADER.search(a.text) or _ITEM_START.match(b.text):
            return False
        prev_page = self._last_page if new_page and self._last_page is not None else page
        left, right = self._margins[id(prev_page)]
        size = a.height
        middle = left + right
        if (b.x1 - b.x0 < 0.6 * (right - left) and b.x0 > left + 2.5 * size
                and abs((b.x0 + b.x1) - middle) < 3 * size and abs((a.x0 + a.x1) - middle) >= 3 * size):
            return False  # b is short and centred under an uncentred line: a title
        if a.x1 - a.x0 < 0.6 * (right - left):
            return False  # a short line (or a right-aligned or centred one) ends its paragraph
        if a.x1 < right - 2.5 * size:
            # Short of the page margin: still a wrap when a neighbour ends at the same edge, as in an
            # indented block or a borderless table column with its own right edge.
            tol = 0.2 * size
            same_edge = abs(a.x1 - b.x1) <= tol or (
                before is not None and abs(a.x1 - before.x1) <= tol and b.x1 <= a.x1 + tol)
            if new_page or not same_edge:
                return False
        if new_page:
            return True
        if b.top > a.bottom + 0.5 * size:
            return False  # b is beside or above a: separate text boxes, not a wrap
        if a.bottom - b.top > (self._gap + 1.2) * size:
            return False  # a blank line's worth of space
        return True


def _margins(lines: list[_Line], width: float,
             fallback: tuple[float, float] | None = None) -> tuple[float, float]:
    """Left and right text margin: where the wide lines (over half the page) start and end."""
    wide = [ln for ln in lines if ln.x1 - ln.x0 > 0.5 * width]
    if len(wide) < 3:
        if fallback is not None:
            return fallback
        wide = wide or lines
    if not wide:
        return 0.0, width
    return _percentile(sorted(ln.x0 for ln in wide), 0.25), _percentile(sorted(ln.x1 for ln in wide), 0.5)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, int(math.floor(q * (len(values) - 1) + 0.5))))]


def _places(hits: list[tuple[int, int, float]]) -> list[list[tuple[int, int, float]]]:
    """Hits (page, line, height) grouped by height: runs whose neighbours are within 3 points."""
    groups: list[list[tuple[int, int, float]]] = []
    for h in sorted(hits, key=lambda h: h[2]):
        if groups and h[2] - groups[-1][-1][2] <= 3:
            groups[-1].append(h)
        else:
            groups.append([h])
    return groups


def _drop_headers_footers(pages: list[_Page]) -> None:
    """Remove running headers/footers (same text at the same height on many pages) and page numbers."""
    candidates: dict[str, list[tuple[int, int, float]]] = {}
    edge: list[tuple[int, int]] = []
    for p_i, page in enumerate(pages):
        zone = _EDGE_ZONE * page.height
        order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].center)
        picked = set(order[:_EDGE_LINES]) | set(order[-_EDGE_LINES:])
        for l_i in picked:
            line = page.lines[l_i]
            if line.center < page.height - zone and line.center > zone:
                continue
            edge.append((p_i, l_i))
            key = re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))
            candidates.setdefault(key, []).append((p_i, l_i, line.center))
    drop: set[tuple[int, int]] = set()
    for p_i, l_i in edge:
        if _PAGE_NUMBER.match(pages[p_i].lines[l_i].text.strip()):
            drop.add((p_i, l_i))
    threshold = max(3, math.ceil(0.1 * len(pages)))
    for key, hits in candidates.items():
        if len({h[0] for h in hits}) < threshold:
            continue
        for same_place in _places(hits):  # a header may sit at two heights (a layout change midway)
            if len({h[0] for h in same_place}) >= threshold:
                drop.update((h[0], h[1]) for h in same_place)
    for p_i, page in enumerate(pages):
        page.lines = [ln for l_i, ln in enumerate(page.lines) if (p_i, l_i) not in drop]
