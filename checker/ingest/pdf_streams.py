"""Refuse a PDF whose compressed streams inflate beyond reason, before pdfium decompresses them.

A 1 MB file can hold a FlateDecode stream of a gigabyte of blanks: pdfium would inflate it whole (2 GB
of memory for one page) and then call the page a scan. Every stream is inflated here in bounded
pieces and only counted, never kept. Real tender PDFs seen so far have streams of at most a few MB
and inflate to under 30 MB in all; a stream past `MIN_BYTES` that inflates more than `max_ratio`
times its compressed size (the .docx zip rule), or a file whose streams add up past the total cap,
is refused with a one-line reason.
"""
from __future__ import annotations

import mmap
import re
import zlib

from ..errors import InputError
from ..limits import MB, pick

MIN_BYTES = 16 * MB       # a stream below this inflated size is never a bomb, whatever its ratio
MAX_TOTAL = 1024 * MB     # inflated bytes of all streams together
_PIECE = 256 * 1024
_STREAM = re.compile(rb"stream\r?\n")


def check_streams(path: str) -> None:
    """Raise InputError when a stream of the file is a decompression bomb."""
    ratio = pick(100, "max_ratio")
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            total = 0
            for m in _STREAM.finditer(data):
                total += _inflated(path, data, m.end(), ratio, MAX_TOTAL - total)
    except (OSError, ValueError):
        return  # empty or unmappable: pdfium reports what is wrong with the file


def _inflated(path: str, data, start: int, ratio: float, room: int) -> int:
    """Inflated size of the zlib stream at `start` (0 when it is not one), refusing a bomb on the way."""
    d = zlib.decompressobj()
    out, pos = 0, start
    try:
        while not d.eof and pos < len(data):
            piece = data[pos:pos + _PIECE]
            pos += len(piece)
            out += len(d.decompress(piece, _PIECE * 64))
            while d.unconsumed_tail and not d.eof:
                out += len(d.decompress(d.unconsumed_tail, _PIECE * 64))
                _judge(path, out, pos - start - len(d.unconsumed_tail), ratio, room)
            _judge(path, out, pos - start, ratio, room)
    except zlib.error:
        pass  # not (or no longer) a zlib stream: DCT images, plain content, trailing bytes
    return out


def _judge(path: str, out: int, consumed: int, ratio: float, room: int) -> None:
    if out > MIN_BYTES and out > ratio * max(consumed, 1):
        raise InputError(path, f"PDF 中有压缩比异常的数据流（{max(consumed, 1) // 1024} KB 解压超过 {out // MB} MB），"
                               "疑似压缩炸弹，拒绝处理")
    if out > room:
        raise InputError(path, f"PDF 数据流解压后合计超过 {MAX_TOTAL // MB} MB，拒绝处理")
