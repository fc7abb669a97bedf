"""The PDF reader's OCR step: which pages need it (no text layer, garbled text, or --ocr always), and
their text read from the rendered page instead."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import ocr
from .pdf import _GARBLED_REFUSE, _Page, _garbled_share, _page_list


@dataclass
class OcrPass:
    pages: list[_Page]
    image_only: list[int]
    # why pages that needed OCR did not get it, for the reader's error message ("" when it ran)
    note: str = ""
    done: list[int] = field(default_factory=list)


def needs_ocr(page: _Page) -> bool:
    return _garbled_share([page]) > _GARBLED_REFUSE


def ocr_pass(path: str, pdf, pages: list[_Page], image_only: list[int], tables, warnings: list[str],
             failed: list[int] = ()) -> OcrPass:
    """Replace the pages whose text layer is missing or garbled (all pages with --ocr always) by OCR."""
    mode = ocr.mode()
    if mode == "always":
        wanted = [n for n in range(1, len(pdf) + 1) if n not in failed]
    else:
        wanted = sorted(image_only + [p.number for p in pages if needs_ocr(p)])
    if not wanted:
        return OcrPass(pages, image_only)
    if mode == "never":
        return OcrPass(pages, image_only, "未启用 OCR（--ocr never）")
    if not ocr.available():
        return OcrPass(pages, image_only, f"需要 OCR 识别，请安装 OCR 组件：{ocr.INSTALL_HINT}")
    by_number = {p.number: p for p in pages}
    show = _PageProgress(Path(path).name, len(wanted))
    done, scores = [], []
    try:
        for i, number in enumerate(wanted):
            show.page(i + 1, number)
            page = _ocr_page(pdf, number, tables, by_number.get(number))
            if page is None:
                continue
            by_number[number] = page
            done.append(number)
            scores += [ln.conf for ln in page.lines] + [c for t in page.tables for row in t.conf
                                                        for c in row if c is not None]
    except ocr.OcrUnavailable as exc:
        return OcrPass(pages, image_only, str(exc))
    finally:
        show.close()
    if done:
        mean = sum(scores) / len(scores) if scores else 0.0
        warnings.append(f"PDF 第 {_page_list(done)} 页没有可用的文字层，已用 OCR 识别（平均置信度 {mean:.0%}）："
                        "识别结果请核对原文")
    kept = [p for p in by_number.values() if p.lines or p.tables]
    return OcrPass(sorted(kept, key=lambda p: p.number), [n for n in image_only if n not in done],
                   "" if done else "OCR 未识别出文字", done)


def _ocr_page(pdf, number: int, tables, text_page: _Page | None) -> _Page | None:
    """One page read by OCR; its ruled tables come from the drawn rules when the PDF has them (a
    garbled text layer keeps its vector grid) and from the pixels otherwise (a scan)."""
    from .ocr_layout import build_page, image_tables

    page = pdf[number - 1]
    try:
        width, height = page.get_width(), page.get_height()
        scale = ocr.render_scale(width, height)
        image = ocr.render(page, scale)
        found = tables.find(number - 1, page, width, height) if text_page is not None else []
        found += [t for t in image_tables(image, scale, height) if not any(_meets(t.box, v.box) for v in found)]
        boxes = ocr.recognise(image)
    finally:
        page.close()
    images = text_page.images if text_page is not None else 1
    return build_page(number, width, height, boxes, scale, found, images)


def _meets(a, b) -> bool:
    """Whether two boxes (x0, y0, x1, y1) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _PageProgress:
    """'OCR 文件名 第 2/4 页' on stderr while pages are recognised, only on a terminal."""

    def __init__(self, name: str, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.name, self.total = name, total

    def page(self, i: int, number: int) -> None:
        if self.enabled:
            self.stream.write(f"\r\x1b[2KOCR 识别 {self.name} 第 {number} 页（{i}/{self.total}）…")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
