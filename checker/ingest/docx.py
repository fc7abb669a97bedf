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
    b = DocumentBuilder(path, "docx")
    levels = _style_levels(d)
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            b.paragraph(para_text(child), style_level=_para_level(child, levels))
        elif tag == _W + "tbl":
            b.table(_table_rows(child))
        elif tag == _W + "sdt":
            # content controls wrap ordinary paragraphs (cover pages, tables of contents)
            for p in child.iter(_W + "p"):
                b.paragraph(para_text(p))
    if not any(blk.text for blk in b.blocks):
        raise InputError(path, "文档没有可读文字")
    return b.build()


# Text runs we keep: w:t (text), w:tab, w:br/w:cr (line breaks). Deleted text (w:delText) and
# field instructions (w:instrText) are not what the reader sees, so they are skipped.
_TEXT_TAGS = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def para_text(p) -> str:
    """A paragraph's visible text, read straight from the XML (python-docx objects are slow here)."""
    parts = []
    for el in p.iter(*_TEXT_TAGS):
        if el.tag == _W + "t":
            if el.text:
                parts.append(el.text)
        else:
            parts.append(_TEXT_TAGS[el.tag])
    return "".join(parts)


def _style_levels(d) -> dict[str, int]:
    """styleId → heading level, from the style's name (Heading 1 / 标题 1) or its outline level,
    following basedOn so custom styles derived from a heading style count too."""
    try:
        root = d.styles.element
    except Exception:
        return {}
    raw: dict[str, tuple[int | None, str | None]] = {}
    for st in root.iterchildren(_W + "style"):
        sid = st.get(_W + "styleId")
        if not sid:
            continue
        name_el = st.find(_W + "name")
        name = (name_el.get(_W + "val") if name_el is not None else "") or ""
        level = None
        m = _STYLE_LEVEL.match(name.strip())
        if m:
            level = int(m.group(1))
        elif name.strip().lower() == "title":
            level = 1
        else:
            lvl = st.find(f"{_W}pPr/{_W}outlineLvl")
            val = lvl.get(_W + "val") if lvl is not None else None
            if val is not None and val.isdigit() and int(val) < 9:
                level = int(val) + 1
        based = st.find(_W + "basedOn")
        raw[sid] = (level, based.get(_W + "val") if based is not None else None)
    levels: dict[str, int] = {}
    for sid in raw:
        seen, cur = set(), sid
        while cur in raw and cur not in seen:
            seen.add(cur)
            if raw[cur][0] is not None:
                levels[sid] = raw[cur][0]
                break
            cur = raw[cur][1]
    return levels


def _para_level(p, levels: dict[str, int]) -> int | None:
    """Heading level from the paragraph's own outline level or its style; None lets numbering decide."""
    ppr = p.find(_W + "pPr")
    if ppr is None:
        return None
    lvl = ppr.find(_W + "outlineLvl")
    if lvl is not None:
        val = lvl.get(_W + "val")
        if val is not None and val.isdigit() and int(val) < 9:
            return int(val) + 1
    ps = ppr.find(_W + "pStyle")
    if ps is not None:
        return levels.get(ps.get(_W + "val"))
    return None


def _table_rows(tbl) -> list[list[str | None]]:
    """Cell texts by row on the grid; a cell covered by a horizontal span (gridSpan) or a vertical
    merge continuation (vMerge without restart) becomes None, so merged text is kept once."""
    rows: list[list[str | None]] = []
    for tr in tbl.iterchildren(_W + "tr"):
        out: list[str | None] = []
        for tc in tr.iterchildren(_W + "tc"):
            tcpr = tc.find(_W + "tcPr")
            span, continued = 1, False
            if tcpr is not None:
                gs = tcpr.find(_W + "gridSpan")
                if gs is not None and (gs.get(_W + "val") or "").isdigit():
                    span = max(1, min(int(gs.get(_W + "val")), 64))
                vm = tcpr.find(_W + "vMerge")
                if vm is not None and vm.get(_W + "val") not in ("restart",):
                    continued = True
            out.append(None if continued else _cell_text(tc))
            out.extend([None] * (span - 1))
        rows.append(out)
    return rows


def _cell_text(tc) -> str:
    parts = []
    for child in tc.iterchildren():
        if child.tag == _W + "p":
            parts.append(para_text(child))
        elif child.tag == _W + "tbl":  # nested tables: keep their words in the outer cell
            for row in _table_rows(child):
                parts.append(" ".join(t for t in row if t))
    return "\n".join(p for p in parts if p)
