"""Text recognition of page images with rapidocr-onnxruntime (the optional ``ocr`` extra).

The Chinese detection, direction and recognition models ship inside the rapidocr wheel, so nothing is
fetched at run time. rapidocr (and onnxruntime, OpenCV) are imported on the first page that needs OCR,
never at start-up.
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

MODES = ("auto", "always", "never")
INSTALL_HINT = "pip install 'tender-check[ocr]'"
# Worker processes inherit the mode set by configure() through this, as with checker.limits.
_ENV = "TENDER_CHECK_OCR"

# Rendering: about 200 dpi keeps 7.5 pt print near 20 px high, which the recognition model reads well;
# the long side is capped so a poster-sized page does not take minutes.
RENDER_DPI = 200
MAX_RENDER_SIDE = 3400
# Detection runs on a copy scaled down to this long side; recognition crops come from the full image.
_DET_SIDE = 1600
# Boxes the recogniser scores below this are noise (seal fragments, smudges, ruling-line stubs).
MIN_BOX_SCORE = 0.5


@dataclass(frozen=True)
class TextBox:
    """One recognised run of text: pixel box (y grows downwards), text and the model's confidence."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float
    tilt: float = 0.0  # slope of the box's top edge (dy/dx); seal text runs round a circle

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


class OcrUnavailable(Exception):
    """The ``ocr`` extra is not installed (or its engine cannot start); the message says what to do."""


def mode() -> str:
    """The OCR mode in force: auto (OCR pages without usable text when the extra is installed),
    always (every page), never."""
    value = os.environ.get(_ENV, "auto")
    return value if value in MODES else "auto"


def configure(value: str) -> None:
    """Set the OCR mode for this process and the workers it starts."""
    if value not in MODES:
        raise ValueError(f"unknown OCR mode: {value}")
    os.environ[_ENV] = value


def available() -> bool:
    """Whether the ``ocr`` extra is installed (checked without importing it)."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


_engine = None


def engine():
    """The rapidocr engine, built once per process on first use."""
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable(f"需要 OCR，但未安装 OCR 组件：请运行 {INSTALL_HINT}（{exc}）") from exc
        try:
            # The per-line direction model is off: on upright pages it turned about one line in forty
            # upside down (then read as nothing); pdfium already applies a page's /Rotate.
            _engine = RapidOCR(max_side_len=MAX_RENDER_SIDE + 100, det_limit_type="max",
                               det_limit_side_len=_DET_SIDE, text_score=MIN_BOX_SCORE, use_cls=False)
        except Exception as exc:  # a broken onnxruntime or model file
            raise OcrUnavailable(f"OCR 引擎无法启动（{type(exc).__name__}: {exc}）") from exc
    return _engine


def render_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per PDF point for a page: RENDER_DPI, lowered so the long side stays under the cap."""
    scale = RENDER_DPI / 72
    return min(scale, MAX_RENDER_SIDE / max(width_pt, height_pt, 1.0))


def render(pdf_page, scale: float):
    """The page as an RGB numpy array at ``scale`` pixels per point (white background, annotations drawn)."""
    import numpy as np

    bitmap = pdf_page.render(scale=scale, may_draw_forms=True)
    try:
        image = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    return np.asarray(image)


def recognise(image) -> list[TextBox]:
    """Text boxes of an RGB image array, in the engine's top-to-bottom order."""
    result, _ = engine()(image)
    boxes = []
    for quad, text, score in result or ():
        text = (text or "").strip()
        if not text:
            continue
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        (ax, ay), (bx, by) = quad[0], quad[1]
        tilt = (by - ay) / (bx - ax) if abs(bx - ax) > 1 else 0.0
        boxes.append(TextBox(text, min(xs), min(ys), max(xs), max(ys), float(score), tilt))
    return boxes
