"""Plain text and Markdown: encoding detection, headings from numbering or '#', pipe tables."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError
from ..limits import current as current_limits
from ..model import Document
from .builder import DocumentBuilder

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030/GBK; anything else is an error."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    nearly = _nearly_utf8(data)
    if nearly is not None:
        return nearly
    if _looks_utf16_without_bom(data):
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "无法识别文本编码（支持 UTF-8、UTF-16、GB18030/GBK）")
    return str(best)


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a file cut mid-character, a damaged sector): read with U+FFFD in
    their place rather than refused. GBK or UTF-16 text read as UTF-8 breaks far more often."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    # real multi-byte characters must far outnumber the breaks: GBK bytes rarely form valid UTF-8
    wide = sum(1 for ch in text if ch > "\x7f") - bad
    if wide >= 16 and bad <= 3 + wide // 100:
        return text
    return None


def _looks_utf16_without_bom(data: bytes) -> bool:
    sample = data[:2000]
    return len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4


def read_text(path: str | Path, data: bytes | None = None) -> Document:
    path = str(path)
    if data is None:
        limit = current_limits().max_text_bytes
        try:
            size = Path(path).stat().st_size
        except OSError as exc:
            raise InputError(path, f"无法读取：{exc.strerror or exc}") from exc
        if size > limit:
            raise InputError(path, f"文本文件 {size / 1048576:.0f} MB，超过上限 {limit / 1048576:.0f} MB，拒绝处理")
        try:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)  # never more than the limit, whatever stat said
        except OSError as exc:
            raise InputError(path, f"无法读取：{exc.strerror or exc}") from exc
        if len(data) > limit:
            raise InputError(path, f"文本文件超过上限 {limit / 1048576:.0f} MB，拒绝处理")
    text = decode(data, path)
    if "\x00" in text:
        raise InputError(path, "文件含二进制内容，不是文本文件")
    return parse_text(text, path, "md" if path.lower().endswith(".md") else "txt")


def parse_text(text: str, path: str = "<text>", fmt: str = "txt") -> Document:
    """Build a Document from text: '#' headings, numbered headings, '|' tables, one block per line."""
    b = DocumentBuilder(path, fmt)
    table_rows: list[list[str | None]] = []

    def flush_table() -> None:
        if table_rows:
            b.table([list(r) for r in table_rows])
            table_rows.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        row = _PIPE_ROW.match(line)
        if row:
            if _PIPE_RULE.match(line):
                continue
            cells = [c.strip() for c in row.group(1).split("|")]
            # '^' in a cell means "merged with the cell above", '<' with the cell to the left.
            table_rows.append([None if c in ("^", "<") else c for c in cells])
            continue
        flush_table()
        heading = _MD_HEADING.match(line)
        if heading and fmt in ("md", "txt"):
            b.heading(heading.group(2).strip(), len(heading.group(1)))
            continue
        b.paragraph(line)
    flush_table()
    if not any(blk.text for blk in b.blocks):
        raise InputError(path, "文件为空或没有可读文字")
    return b.build()
