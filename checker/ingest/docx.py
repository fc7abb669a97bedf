"""Word .docx: body paragraphs and tables in reading order, heading trail from styles and numbering."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import InputError
from ..model import Document
from .builder import DocumentBuilder

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STYLE_LEVEL = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def read_docx(path: str | Path) -> Document:
    path = str(path)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise InputError(path, f"缺少 python-docx：{exc}") from exc
    if not zipfile.is_zipfile(path):
        raise InputError(path, "不是有效的 .docx 文件（不是 zip 压缩包，可能是旧版 .doc 或已损坏）")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
        if "word/document.xml" not in names:
            if "EncryptedPackage" in names:
                raise InputError(path, "文件已加密（设有打开密码），请去除密码后再检查")
            raise InputError(path, ".docx 缺少正文部分 word/document.xml，文件已损坏")
        d = docx.Document(path)
    except InputError:
        raise
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"无法打开 .docx：{exc}") from exc
    except Exception as exc:  # lxml/XML errors inside a broken package
        raise InputError(path, f".docx 内容损坏，无法解析：{type(exc).__name__}: {exc}") from exc
    return _walk(d, path)


def _walk(d, path: str) -> Document:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    b = DocumentBuilder(path, "docx")
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            para = Paragraph(child, d)
            b.paragraph(para.text, style_level=_style_level(para))
        elif tag == _W + "tbl":
            b.table(_table_rows(Table(child, d)))
        elif tag == _W + "sdt":
            # content controls wrap ordinary paragraphs (cover pages, tables of contents)
            for p in child.iter(_W + "p"):
                b.paragraph(Paragraph(p, d).text)
    if not any(blk.text for blk in b.blocks):
        raise InputError(path, "文档没有可读文字")
    return b.build()


def _style_level(para) -> int | None:
    """Heading level from the Word style or outline level; None lets the numbering decide."""
    try:
        style = para.style
    except Exception:
        style = None
    name = (style.name if style is not None else "") or ""
    m = _STYLE_LEVEL.match(name.strip())
    if m and para.text.strip():
        return int(m.group(1))
    if name.strip().lower() == "title":
        return 1
    ppr = para._p.pPr
    if ppr is not None:
        lvl = ppr.find(_W + "outlineLvl")
        if lvl is not None:
            val = lvl.get(_W + "val")
            if val is not None and val.isdigit() and int(val) < 9 and para.text.strip():
                return int(val) + 1
    return None


def _table_rows(table) -> list[list[str | None]]:
    """Cell texts by row; a cell merged with its left or upper neighbour becomes None."""
    rows: list[list[str | None]] = []
    above: list = []
    for r in table.rows:
        out: list[str | None] = []
        seen = []
        try:
            cells = r.cells
        except Exception:
            cells = []
        for c, cell in enumerate(cells):
            tc = cell._tc
            if (seen and seen[-1] is tc) or (c < len(above) and above[c] is tc):
                out.append(None)
            else:
                out.append(_cell_text(cell))
            seen.append(tc)
        above = [cell._tc for cell in cells]
        rows.append(out)
    return rows


def _cell_text(cell) -> str:
    parts = [p.text for p in cell.paragraphs]
    for inner in cell.tables:  # nested tables: keep their words in the outer cell
        for row in _table_rows(inner):
            parts.append(" ".join(t for t in row if t))
    return "\n".join(p for p in parts if p is not None)
