"""Word .docx: body paragraphs and tables in reading order, heading trail from styles and numbering."""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from ..errors import InputError
from ..limits import current as current_limits
from ..model import Document
from .builder import DocumentBuilder, heading_level
from .docx_numbering import Numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TXBX = _W + "txbxContent"
_STYLE_LEVEL = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
# Main-part content types read as a Word document: .docx, .docm (macros are never run: we only read
# XML), .dotx and .dotm templates.
_WORD_MAIN_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
# Word never writes a DTD; one in a part can only be an entity-expansion ("billion laughs") or
# external-entity attack, so such a package is refused before any XML parser sees it.
_DTD_MARKS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))
_SCAN_CHUNK = 1 << 20
_DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def read_docx(path: str | Path) -> Document:
    """Read the main document part and its styles straight from the zip with lxml: python-docx would
    parse every part of the package (headers, numbering, themes …) into proxy objects first."""
    path = str(path)
    if not zipfile.is_zipfile(path):
        raise InputError(path, "不是有效的 .docx 文件（不是 zip 压缩包，可能是旧版 .doc 或已损坏）")
    try:
        check_package(path)
        with zipfile.ZipFile(path) as zf:
            root, styles, numbering = _open_parts(zf, path)
        if root.tag != _W + "document" or root.find(_W + "body") is None:
            raise InputError(path, f".docx 正文部分不是 Word 文档结构（根元素为 {_local(root.tag)}），文件已损坏")
    except InputError:
        raise
    except (KeyError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"无法打开 .docx：{exc}") from exc
    except MemoryError:
        raise InputError(path, ".docx 内容过大，内存不足") from None
    except Exception as exc:  # lxml/XML errors inside a broken package
        raise InputError(path, f".docx 内容损坏，无法解析：{type(exc).__name__}: {_one_line(exc)}") from exc
    return _walk(root, styles, path, numbering)


def _xml_parser():
    # check_package has already refused any part with a DTD; the parser never expands entities or
    # fetches anything either. remove_blank_text as python-docx did, so the tree is the same.
    from lxml import etree

    return etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True, huge_tree=False)


def _open_parts(zf: zipfile.ZipFile, path: str):
    """(document root, styles root, numbering root; the last two None when absent): the part the
    package's officeDocument relationship names (its content type must be a Word main part: .docx,
    .docm, .dotx, .dotm) and the styles and numbering parts that part's own relationships name."""
    from lxml import etree

    parser = _xml_parser()
    main = _related(zf, parser, "/", "_rels/.rels", "officeDocument")
    if main is None:
        raise KeyError("没有 officeDocument 关系（_rels/.rels），找不到正文部件")
    content_type = _content_type(zf, parser, main)
    if content_type != _DOCX_MAIN_TYPE and content_type not in _WORD_MAIN_TYPES:
        raise InputError(path, f"不是 Word 文档（主部件类型为 {content_type}）")
    root = etree.fromstring(zf.read(main[1:]), parser)
    base, name = posixpath.split(main)
    rels = posixpath.join(base, "_rels", name + ".rels")[1:]
    styles, numbering = (_related_root(zf, parser, base, rels, kind) for kind in ("styles", "numbering"))
    return root, styles, numbering


def _related_root(zf: zipfile.ZipFile, parser, base: str, rels_member: str, kind: str):
    """The parsed XML of the part of type ``kind`` that the main part relates, or None."""
    from lxml import etree

    part = _related(zf, parser, base, rels_member, kind)
    if part is None or part[1:] not in zf.NameToInfo:
        return None
    return etree.fromstring(zf.read(part[1:]), parser)


def _related(zf: zipfile.ZipFile, parser, base: str, rels_member: str, kind: str) -> str | None:
    """Part name (``/word/document.xml``) of the first internal relationship of type ``kind`` in a
    .rels member, resolved against ``base`` the way OPC (and python-docx) does."""
    from lxml import etree

    if rels_member not in zf.NameToInfo:
        return None
    for rel in etree.fromstring(zf.read(rels_member), parser).iter(_REL):
        if rel.get("Type") == _RT + kind and rel.get("TargetMode") != "External" and rel.get("Target"):
            return posixpath.abspath(posixpath.join(base, rel.get("Target")))
    return None


def _content_type(zf: zipfile.ZipFile, parser, partname: str) -> str:
    from lxml import etree

    types = etree.fromstring(zf.read("[Content_Types].xml"), parser)
    for o in types.iter(_CT + "Override"):
        if (o.get("PartName") or "").lower() == partname.lower():
            return o.get("ContentType") or ""
    ext = posixpath.splitext(partname)[1][1:].lower()
    for d in types.iter(_CT + "Default"):
        if (d.get("Extension") or "").lower() == ext:
            return d.get("ContentType") or ""
    raise KeyError(f"[Content_Types].xml 中没有 {partname} 的内容类型")


def check_package(path: str) -> None:
    """Refuse, before python-docx unpacks anything, a zip that would exhaust memory (a zip bomb:
    huge members or extreme compression) or XML parts carrying a DTD; also a package with no body
    or an encrypted one. Sizes are the ones the zip declares: Python's zipfile never inflates a
    member past its declared size, so the declared size bounds what python-docx will hold."""
    lim = current_limits()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > lim.max_members:
                raise InputError(path, f"疑似压缩炸弹：压缩包含 {len(infos)} 个条目，超过上限 {lim.max_members}")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                if "EncryptedPackage" in names:
                    raise InputError(path, "文件已加密（设有打开密码），请去除密码后再检查")
                raise InputError(path, ".docx 缺少正文部分 word/document.xml，文件已损坏")
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise InputError(path, f"压缩包条目 {info.filename} 已加密（设有密码），请去除密码后再检查")
                size = info.file_size
                total += size
                if size > lim.max_member_bytes:
                    raise InputError(path, f"疑似压缩炸弹：{info.filename} 解压后 {_mb(size)}，"
                                           f"超过单个部件上限 {_mb(lim.max_member_bytes)}")
                ratio = size / max(info.compress_size, 1)
                if size > lim.ratio_min_bytes and ratio > lim.max_ratio:
                    raise InputError(path, f"疑似压缩炸弹：{info.filename} 压缩比 {ratio:.0f}:1，"
                                           f"超过上限 {lim.max_ratio:g}:1")
            if total > lim.max_total_bytes:
                raise InputError(path, f"疑似压缩炸弹：解压后共 {_mb(total)}，超过上限 {_mb(lim.max_total_bytes)}")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")) and _has_dtd(zf, info):
                    raise InputError(path, f"{info.filename} 含有 DTD/实体声明（Word 从不生成），"
                                           "可能是实体扩展攻击，拒绝解析")
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise InputError(path, f"无法打开 .docx（压缩包损坏）：{_one_line(exc)}") from exc
    except (RuntimeError, ValueError) as exc:  # encrypted zip entries, bad compression parameters
        raise InputError(path, f"无法打开 .docx：{_one_line(exc)}") from exc


def _has_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_SCAN_CHUNK)
            if not chunk:
                return False
            window = tail + chunk
            if any(m in window for m in _DTD_MARKS):
                return True
            tail = window[-24:]


def _local(tag) -> str:
    return str(tag).rsplit("}", 1)[-1][:40]


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _walk(root, styles, path: str, numbering=None) -> Document:
    b = DocumentBuilder(path, "docx")
    levels = _style_levels(styles)
    lists = Numbering(numbering, styles)
    for kind, el in body_items(root.find(_W + "body")):
        if kind == "tbl":
            b.table(table_rows(el))
        elif kind == "p":
            text = para_text(el)
            b.paragraph(text, style_level=_outline_level(el, text, levels, lists))
        else:  # a paragraph of a content control or a text box: body text, never a styled heading
            b.paragraph(para_text(el))
    if not any(blk.text for blk in b.blocks):
        raise InputError(path, "文档没有可读文字")
    return b.build()


def body_items(body):
    """(kind, element) of the body in reading order: "p" body paragraphs, "tbl" tables, "sdt-p" the
    paragraphs of content controls (cover pages, tables of contents), "box-p" the paragraphs of
    text boxes anchored in a paragraph, right after it. Each text box is read once: the VML copy
    Word keeps in mc:Fallback for old readers is skipped."""
    for child in body.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            yield "p", child
            for p in text_box_paragraphs(child):
                yield "box-p", p
        elif tag == _W + "tbl":
            yield "tbl", child
        elif tag == _W + "sdt":
            for p in child.iter(_W + "p"):
                if not _in_fallback(p, child):
                    yield "sdt-p", p


def text_box_paragraphs(p) -> list:
    """Paragraphs of the text boxes anchored in paragraph ``p`` (nested boxes included, in order)."""
    out = []
    for box in p.iter(_TXBX):
        if _in_fallback(box, p):
            continue
        for inner in box.iter(_W + "p"):
            if not _in_fallback(inner, p) and _owner_box(inner) is box:
                out.append(inner)
    return out


def _in_fallback(el, stop) -> bool:
    for anc in el.iterancestors():
        if anc is stop:
            return False
        if anc.tag == _MC_FALLBACK:
            return True
    return False


def _owner_box(el):
    for anc in el.iterancestors(_TXBX):
        return anc
    return None


# Text runs we keep: w:t (text), w:tab, w:br/w:cr (line breaks). Deleted text (w:delText) and
# field instructions (w:instrText) are not what the reader sees, so they are skipped.
_TEXT_TAGS = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


_T = _W + "t"
_PARA_TAGS = (*_TEXT_TAGS, _TXBX, _MC_FALLBACK)


def para_text(p) -> str:
    """A paragraph's own visible text, read straight from the XML (python-docx objects are slow here).
    Text boxes anchored in it are read as paragraphs of their own (text_box_paragraphs); markup-
    compatibility fallbacks are skipped."""
    # One pass for the common paragraph that holds neither a text box nor a fallback.
    parts = []
    for el in p.iter(_PARA_TAGS):
        tag = el.tag
        if tag == _T:
            text = el.text
            if text:
                parts.append(text)
        elif tag in _TEXT_TAGS:
            if not is_tab_stop(el):
                parts.append(_TEXT_TAGS[tag])
        else:
            return _boxed_para_text(p)
    return "".join(parts)


def is_tab_stop(el) -> bool:
    """A w:tab inside w:pPr/w:tabs defines a tab stop; only a w:tab inside a run is text."""
    parent = el.getparent()
    return parent is not None and parent.tag == _W + "tabs"


def _boxed_para_text(p) -> str:
    """para_text of a paragraph with text boxes or mc:Fallback copies inside: their text is skipped."""
    parts = []
    own_box = _owner_box(p)
    for el in p.iter(*_TEXT_TAGS):
        if _owner_box(el) is not own_box or _in_fallback(el, p):
            continue
        if el.tag == _T:
            if el.text:
                parts.append(el.text)
        elif not is_tab_stop(el):
            parts.append(_TEXT_TAGS[el.tag])
    return "".join(parts)


def _style_levels(root) -> dict[str, int]:
    """styleId → heading level, from the style's name (Heading 1 / 标题 1) or its outline level,
    following basedOn so custom styles derived from a heading style count too. A package without
    a styles part has no heading styles."""
    if root is None:
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
    levels: dict[str, int | None] = {}
    for sid in raw:
        _inherit_level(sid, raw, levels)
    return {sid: lvl for sid, lvl in levels.items() if lvl is not None}


def _inherit_level(sid: str, raw: dict, levels: dict) -> None:
    """Resolve one style's level through basedOn, filling in every style on the way, so each style
    is walked once however long the chain (a 40,000-style chain was quadratic); a cycle ends where
    it closes."""
    chain, seen, cur = [], set(), sid
    while cur in raw and cur not in levels and cur not in seen:
        chain.append(cur)
        seen.add(cur)
        if raw[cur][0] is not None:
            break
        cur = raw[cur][1]
    if cur in levels:
        found = levels[cur]
    elif cur in raw and cur in seen and raw[cur][0] is not None:
        found = raw[cur][0]
    else:
        found = None
    for name in chain:
        levels[name] = found


def _child(el, tag):
    """First child with ``tag``: el.find(tag) without lxml's ElementPath machinery (half the time,
    and the walk asks this thousands of times per document)."""
    for c in el.iterchildren(tag):
        return c
    return None


def _outline_level(p, text: str, levels: dict[str, int], lists: Numbering) -> int | None:
    """A paragraph's heading level: its outline level or heading style, else what its Word list
    label makes of it ("2.1" before "投标人基本资格要求" reads as a numbered heading)."""
    label = lists.label(p)
    level = _para_level(p, levels)
    if level is None and label:
        level = heading_level(label + text)
    return level


def _para_level(p, levels: dict[str, int]) -> int | None:
    """Heading level from the paragraph's own outline level or its style; None lets numbering decide."""
    ppr = _child(p, _W + "pPr")
    if ppr is None:
        return None
    lvl = _child(ppr, _W + "outlineLvl")
    if lvl is not None:
        val = lvl.get(_W + "val")
        if val is not None and val.isdigit() and int(val) < 9:
            return int(val) + 1
    ps = _child(ppr, _W + "pStyle")
    if ps is not None:
        return levels.get(ps.get(_W + "val"))
    return None


def table_grid(tbl):
    """Each row of a table as (w:tc, grid span, merged-continuation) triples. A cell covered by a
    vertical merge continuation (vMerge without restart) repeats the text above it; the reader and
    the annotator both skip it, so merged text is kept once."""
    for tr in tbl.iterchildren(_W + "tr"):
        row = []
        for tc in tr.iterchildren(_W + "tc"):
            tcpr = _child(tc, _W + "tcPr")
            span, continued = 1, False
            if tcpr is not None:
                gs = _child(tcpr, _W + "gridSpan")
                if gs is not None and (gs.get(_W + "val") or "").isdigit():
                    span = max(1, min(int(gs.get(_W + "val")), 64))
                vm = _child(tcpr, _W + "vMerge")
                if vm is not None and vm.get(_W + "val") not in ("restart",):
                    continued = True
            row.append((tc, span, continued))
        yield row


def table_rows(tbl, cell=None) -> list:
    """Cell contents by row on the grid (``cell(tc)``, the text by default); a cell covered by a
    horizontal span or a vertical merge continuation becomes None."""
    cell = cell or _cell_text
    rows = []
    for grid_row in table_grid(tbl):
        out = []
        for tc, span, continued in grid_row:
            out.append(None if continued else cell(tc))
            out.extend([None] * (span - 1))
        rows.append(out)
    return rows



def _cell_text(tc) -> str:
    parts = []
    for child in tc.iterchildren():
        if child.tag == _W + "p":
            parts.append(para_text(child))
            parts.extend(para_text(p) for p in text_box_paragraphs(child))
        elif child.tag == _W + "tbl":  # nested tables: keep their words in the outer cell
            for row in table_rows(child):
                parts.append(" ".join(t for t in row if t))
    return "\n".join(p for p in parts if p)
