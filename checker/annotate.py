"""Word comments on a copy of a .docx: one comment per finding, anchored on exactly the flagged words."""
from __future__ import annotations

import io
import os
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import InputError
from .ingest.docx import (_in_fallback, _owner_box, body_items, is_tab_stop, table_grid, table_rows,
                          text_box_paragraphs)
from .model import Finding

AUTHOR = "tender-check"
INITIALS = "TC"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# the same text elements, in the same order, as the reader's para_text (checker/ingest/docx.py)
_TEXT_TAGS = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_TXBX = _W + "txbxContent"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_KIND_ZH = {".pdf": "PDF", ".doc": "旧版 Word 文件（.doc）", ".wps": "WPS 文件（.wps）",
            ".docm": "启用宏的 Word 文件（.docm）", ".txt": "纯文本", ".md": "Markdown 文本"}


class AnnotateError(InputError):
    """The file cannot be annotated. ``usage`` marks a request that cannot be met (not a .docx, the
    output would overwrite the input) as opposed to an unreadable input."""

    def __init__(self, path: str, problem: str, usage: bool = False):
        super().__init__(path, problem)
        self.usage = usage


@dataclass(frozen=True)
class Skipped:
    finding: Finding
    reason: str


@dataclass(frozen=True)
class AnnotateResult:
    source: str
    output: str
    comments: int
    skipped: tuple[Skipped, ...] = ()


# ---- text with the XML origin of every character -------------------------------------------------

# A character of a block's text and where it came from: (w:t element, offset) for text, (element, 0)
# for a tab/break, or None for what the reader adds itself (the "\n" between a cell's paragraphs).
_Chars = list[tuple[str, tuple | None]]


def _para_chars(p) -> _Chars:
    """Mirrors the reader's para_text: a paragraph's own runs, without tab-stop definitions, without
    the text of text boxes anchored in it (they are blocks of their own) or mc:Fallback copies."""
    out: _Chars = []
    own_box = _owner_box(p)
    for el in p.iter(*_TEXT_TAGS):
        if is_tab_stop(el) or _owner_box(el) is not own_box or _in_fallback(el, p):
            continue
        if el.tag == _W + "t":
            for k, ch in enumerate(el.text or ""):
                out.append((ch, (el, k)))
        else:
            out.append((_TEXT_TAGS[el.tag], (el, 0) if el.getparent().tag == _W + "r" else None))
    return out


def _join(parts: list[_Chars], sep: str) -> _Chars:
    out: _Chars = []
    for i, part in enumerate(parts):
        if i:
            out.extend((c, None) for c in sep)
        out.extend(part)
    return out


def _cell_chars(tc) -> _Chars:
    parts: list[_Chars] = []
    for child in tc.iterchildren():
        if child.tag == _W + "p":
            parts.append(_para_chars(child))
            parts.extend(_para_chars(p) for p in text_box_paragraphs(child))
        elif child.tag == _W + "tbl":
            for row in _table_rows(child):
                parts.append(_join([t for t in row if t], " "))
    return _join([p for p in parts if p], "\n")


def _table_rows(tbl) -> list[list[_Chars | None]]:
    """The reader's table walk with characters-and-origins instead of text."""
    return table_rows(tbl, cell=_cell_chars)


def _text(chars: _Chars) -> str:
    return "".join(c for c, _ in chars)


def chars_of(el) -> _Chars:
    """A block's characters from its XML: a paragraph (w:p) or a table cell (w:tc)."""
    return _para_chars(el) if el.tag == _W + "p" else _cell_chars(el)


def _cells(tbl) -> list:
    """The w:tc of each cell block, in the order the reader produces them."""
    return [tc for row in table_grid(tbl) for tc, _span, continued in row if not continued]


def block_sources(body) -> list:
    """The XML element behind each block of a .docx body, in the reader's order (body_items in
    ingest/docx.py: body paragraphs with text, text-box paragraphs after their anchor, every
    non-merged table cell, paragraphs inside content controls)."""
    out = []
    for kind, el in body_items(body):
        if kind == "tbl":
            out.extend(_cells(el))
        elif _text(_para_chars(el)).strip():
            out.append(el)
    return out


def align(block_text: str, raw: str) -> list[int] | None:
    """Index in ``raw`` of each character of ``block_text``. The reader strips paragraphs and cells and
    collapses whitespace in headings, so whitespace in ``raw`` may be skipped or stand for a space."""
    out, j = [], 0
    for ch in block_text:
        while j < len(raw) and raw[j] != ch and not (ch.isspace() and raw[j].isspace()):
            if not raw[j].isspace():
                return None
            j += 1
        if j == len(raw):
            return None
        out.append(j)
        j += 1
    return out


# ---- splitting runs ------------------------------------------------------------------------------

def _run_of(origin) -> object | None:
    el = origin[0]
    r = el.getparent()
    return r if r is not None and r.tag == _W + "r" else None


def _content(run) -> list:
    return [c for c in run if c.tag != _W + "rPr"]


def _preserve(t) -> None:
    if t.tag == _W + "t":
        t.set(_XML_SPACE, "preserve")


def split_before(origin) -> None:
    """Split the run holding ``origin`` so that this character starts a run; both halves keep the
    run's formatting (w:rPr is copied)."""
    el, off = origin
    run = _run_of(origin)
    if run is None:
        return
    kids = _content(run)
    i = kids.index(el)
    if i == 0 and off == 0:
        return
    left = deepcopy(run)
    lkids = _content(left)
    for c in lkids[i + 1:]:
        left.remove(c)
    if off:
        lkids[i].text = (el.text or "")[:off]
        _preserve(lkids[i])
        el.text = (el.text or "")[off:]
        _preserve(el)
    else:
        left.remove(lkids[i])
    for c in kids[:i]:
        run.remove(c)
    run.addprevious(left)


def _anchor_run(origin, own: set) -> object | None:
    """The run to anchor on: the character's own run, or, for text inside a text box drawn in a run,
    that outer run (the text box cannot hold the comment range of the paragraph around it)."""
    r = _run_of(origin)
    node = r
    while node is not None:
        p = node.getparent()
        while p is not None and p.tag != _W + "p":
            p = p.getparent()
        if p is None:
            return None
        if p in own:
            return node
        node = p.getparent()
        while node is not None and node.tag != _W + "r":
            node = node.getparent()
    return None


# ---- comments ------------------------------------------------------------------------------------

def comment_text(f: Finding) -> str:
    from .reporters import SEVERITY_ZH

    preview = "（预览规则）" if f.status == "preview" else ""
    lines = [f"{f.rule_id}【{SEVERITY_ZH.get(f.severity, f.severity)}】{preview}{f.message}", f"修改：{f.fix}"]
    if f.also:
        lines.append("同一条款亦触发：" + "、".join(f.also))
    if f.basis:
        lines.append("依据：" + "；".join(str(b) for b in f.basis))
    if f.decision:
        from .decisions import DECISION_ZH

        lines.append(f"审查判断：{DECISION_ZH.get(f.decision, f.decision)}" + (f"（备注：{f.note}）" if f.note else ""))
    return "\n".join(lines)


def check_paths(src: str | Path, out: str | Path) -> None:
    """Refuse what would lose the reviewer's work: a non-.docx input, or an output that is the input."""
    src_p, out_p = Path(src), Path(out)
    ext = src_p.suffix.lower()
    if ext not in (".docx", ".doc", ".wps"):
        kind = _KIND_ZH.get(ext, f"{ext or '无扩展名'} 文件")
        raise AnnotateError(str(src), f"写批注需要 .docx 文件，此文件是 {kind}；请先在 Word 或 WPS 中另存为 .docx（.doc、.wps 会经 LibreOffice 转换）",
                            usage=True)
    if out_p.suffix.lower() != ".docx":
        raise AnnotateError(str(out), "批注输出文件应以 .docx 结尾", usage=True)
    same = out_p.exists() and src_p.exists() and os.path.samefile(src_p, out_p)
    if same or out_p.resolve() == src_p.resolve():
        raise AnnotateError(str(out), "输出文件就是输入文件；原稿不会被改写，请用 -o 指定另一个文件",
                            usage=True)


def annotate_docx(src: str | Path, out: str | Path, findings: Iterable[Finding], blocks=None) -> AnnotateResult:
    """Write a copy of ``src`` to ``out`` with a comment on each finding. ``blocks`` (the Document's
    blocks, as the checker read them) lets each block be matched to its XML; without it the file is
    read again."""
    from . import reporters
    from .ingest.docx import read_docx

    check_paths(src, out)
    try:
        import docx
        from docx.text.run import Run
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise AnnotateError(str(src), f"缺少 python-docx：{exc}") from exc
    if blocks is None:
        blocks = read_docx(src).blocks
    try:
        d = docx.Document(str(src))
    except Exception as exc:
        raise AnnotateError(str(src), f"无法打开 .docx：{type(exc).__name__}: {exc}") from exc
    body = d.element.body
    sources = block_sources(body)
    if len(sources) != len(blocks):
        raise AnnotateError(str(src), f"无法把发现对应回 Word 段落（读出 {len(blocks)} 块，批注器找到 {len(sources)} 块）")
    by_block: dict[int, list[Finding]] = {}
    for f in findings:
        by_block.setdefault(f.location.block, []).append(f)
    skipped: list[Skipped] = []
    anchors: list[tuple[Finding, object, object]] = []
    own = {p for p in body.iter(_W + "p") if not any(a.tag == _TXBX for a in p.iterancestors())}
    for index in sorted(by_block):
        todo = by_block[index]
        if not 0 <= index < len(sources):
            skipped += [Skipped(f, "位置超出文档范围") for f in todo]
            continue
        el = sources[index]
        spans = _spans(blocks[index].text, chars_of(el), todo, skipped)
        # split at every boundary, last first, re-reading the block's characters after each split
        # (splitting never changes the text, only which run holds it)
        for pos in sorted({p for s, e, _ in spans for p in (s, e)}, reverse=True):
            chars = chars_of(el)
            if pos < len(chars) and chars[pos][1] is not None:
                split_before(chars[pos][1])
        chars = chars_of(el)
        for s, e, f in spans:
            first, last = _anchor_run(chars[s][1], own), _anchor_run(chars[e - 1][1], own)
            if first is None or last is None:
                skipped.append(Skipped(f, "摘录不在可批注的文字中"))
                continue
            anchors.append((f, first, last))
    for f, first, last in anchors:
        d.add_comment([Run(first, d), Run(last, d)], comment_text(f), author=AUTHOR, initials=INITIALS)
    buf = io.BytesIO()
    d.save(buf)
    reporters.write_atomic(out, buf.getvalue())
    return AnnotateResult(str(src), str(out), len(anchors), tuple(skipped))


def _spans(text: str, chars: _Chars, todo: list[Finding], skipped: list[Skipped]) -> list[tuple[int, int, Finding]]:
    """Each finding's [start, end) in the block's raw characters, trimmed to characters a run holds."""
    where = align(text, _text(chars))
    out = []
    for f in todo:
        if where is None:
            skipped.append(Skipped(f, "段落文字与 Word 原文对不上"))
            continue
        s, e = f.location.start, f.location.end
        if not 0 <= s < e <= len(where):
            skipped.append(Skipped(f, "摘录为空或超出段落"))
            continue
        raw = [where[i] for i in range(s, e) if chars[where[i]][1] is not None]
        if not raw:
            skipped.append(Skipped(f, "摘录不在可批注的文字中"))
            continue
        out.append((raw[0], raw[-1] + 1, f))
    return out


def annotate_file(src: str | Path, out: str | Path, options=None, engine=None, decisions=None) -> AnnotateResult:
    """Check ``src`` and write the annotated copy to ``out``; with ``decisions``
    (checker.decisions.Decisions) false alarms get no comment and the others carry the decision."""
    from .api import build_engine, scan_file

    check_paths(src, out)
    engine = engine or build_engine(options)
    if Path(src).suffix.lower() in (".doc", ".wps"):
        return _annotate_converted(src, out, engine, decisions)
    result = scan_file(str(src), engine, keep_document=True)
    if result.status != "ok":
        raise AnnotateError(str(src), result.error or "无法读取")
    if decisions is not None:
        result = decisions.apply(result)
    return annotate_docx(src, out, result.findings, result.document.blocks)


def _annotate_converted(src: str | Path, out: str | Path, engine, decisions=None) -> AnnotateResult:
    """A .doc/.wps draft: LibreOffice makes a .docx copy, which is checked and annotated; the original is untouched."""
    import tempfile

    from .api import scan_file
    from .errors import InputError
    from .ingest.doc import convert_to_docx

    with tempfile.TemporaryDirectory(prefix="tender-check-annotate-") as tmp:
        try:
            converted = convert_to_docx(src, tmp)
        except InputError as exc:
            raise AnnotateError(str(src), exc.problem) from None
        result = scan_file(converted, engine, keep_document=True)
        if result.status != "ok":
            raise AnnotateError(str(src), result.error or "无法读取")
        if decisions is not None:
            result = decisions.apply(result)
        return annotate_docx(converted, out, result.findings, result.document.blocks)


def default_annotated_name(src: str | Path) -> Path:
    """``<stem>.批注.docx`` beside the draft."""
    return Path(src).with_name(Path(src).stem + ".批注.docx")


def output_name(src: str | Path, out_dir: str | Path, taken: set[str], kind: str = "annotated") -> Path:
    """``<stem>.<kind>.docx`` in ``out_dir``, numbered when two inputs share a name."""
    stem = Path(src).stem
    n, name = 1, f"{stem}.{kind}.docx"
    while name in taken:
        n += 1
        name = f"{stem}.{kind}-{n}.docx"
    taken.add(name)
    return Path(out_dir) / name
