"""Shared assembly of a Document: the heading tracker and block/table bookkeeping for every reader."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..limits import current as current_limits
from ..model import Block, Document, Table

# Chinese numbering levels, from outermost to innermost. Many tender files use no Word heading
# styles at all, so the numbering itself is the only reliable outline.
_CN = "一二三四五六七八九十百零〇两"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^\s*第[{_CN}\d]+(章|部分|篇|卷)")),
    (2, re.compile(rf"^\s*第[{_CN}\d]+节")),
    (3, re.compile(rf"^\s*[{_CN}]+\s*[、.．]")),
    (4, re.compile(rf"^\s*[（(]\s*[{_CN}]+\s*[)）]")),
    (5, re.compile(r"^\s*\d{1,2}\s*[、.．](?!\d)")),
    (6, re.compile(r"^\s*\d{1,2}\.\d{1,2}(?!\.\d)(?!\d)")),
    (7, re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{1,2}(?!\d)")),
)
# Control characters (a terminal escape, NUL) and lone surrogates (from a broken UTF-16 text layer or
# the API) would break spaCy, the reports and terminals; tab and line breaks stay.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text a block may hold: control characters dropped, lone surrogates replaced by U+FFFD."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: "" if m.group() < "\x80" else "\ufffd", text)


# A numbered line is a heading only when short and not a sentence (a clause "1. 投标人须…。" is body text).
_MAX_HEADING_CHARS = 40
_SENTENCE_END = re.compile(r"[。；;！？!?]\s*$")
# A table-of-contents line ("第一章 招标公告……3", "一、资格要求\t12") repeats a heading with its page
# number; taking it as a heading would put the whole contents list into the outline.
_TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|-{4,}|\t|\s{2})\s*\d{1,4}\s*$")


_CHAPTER_UNIT = re.compile(rf"^\s*第[{_CN}\d]+(章|部分|篇|卷)")


def _chapter_unit(text: str) -> str | None:
    m = _CHAPTER_UNIT.match(text)
    return m.group(1) if m else None


# A heading style on a whole clause ("2.7 投标人须…；根据…，不接受…。", 200 characters, or
# "投标人出具承诺书，承诺内容须满足上述要求。") is a formatting accident: the clause is body text.
_CLAUSE_CHARS = 2 * _MAX_HEADING_CHARS
_CLAUSE_MARK = re.compile(r"[。；;]")


def _reads_as_clause(text: str) -> bool:
    """Long and punctuated as a sentence, or a sentence of several clauses ending with 。/；."""
    stripped = text.strip()
    if len(stripped) > _CLAUSE_CHARS and _CLAUSE_MARK.search(stripped):
        return True
    return bool(_SENTENCE_END.search(stripped)) and bool(re.search(r"[，,]", stripped))


def heading_level(text: str) -> int | None:
    """Outline level of a line from its Chinese or decimal numbering, or None for body text."""
    stripped = text.strip()
    if not stripped or len(stripped) > _MAX_HEADING_CHARS or _SENTENCE_END.search(stripped):
        return None
    if _TOC_LINE.search(stripped):  # stripped: a run of spaces before the text made the search quadratic
        return None
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(stripped):
            if level > 2 and re.search(r"[：:]\s*\S", stripped):
                # "一、项目名称：XX采购" carries a value: a labelled field, not an outline heading.
                return None
            return level
    return None


@dataclass
class DocumentBuilder:
    path: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _trail: list[tuple[int, str]] = field(default_factory=list)
    _para: int = 0
    # the outline before the latest chapter heading, while no body text has followed it
    _before_chapter: list[tuple[int, str]] | None = None
    _chars: int = 0

    def _add(self, block: Block) -> None:
        """Append a block within the limits on one block, all text and the number of blocks, so memory
        and rule work stay bounded whatever the file holds (a 40 MB line took 3.5 GB and 21 s)."""
        lim = current_limits()
        if len(block.text) > lim.max_block_chars:
            raise InputError(self.path, f"有一段文字超过 {lim.max_block_chars} 字（第 {len(self.blocks) + 1} 段），"
                                        "疑似异常构造的文件，未检查")
        self._chars += len(block.text)
        if self._chars > lim.max_text_chars:
            raise InputError(self.path, f"文档文字超过 {lim.max_text_chars} 字，超出处理上限")
        if len(self.blocks) >= lim.max_blocks:
            raise InputError(self.path, f"文档的段落和单元格超过 {lim.max_blocks} 个，超出处理上限")
        self.blocks.append(block)

    @property
    def section(self) -> tuple[str, ...]:
        return tuple(t for _, t in self._trail)

    def heading(self, text: str, level: int, page: int | None = None, ocr: float | None = None) -> None:
        text = " ".join(safe_text(text).split())
        if self._listed_chapter(text, level, page):
            return
        before = list(self._trail)
        while self._trail and self._trail[-1][0] >= level:
            self._trail.pop()
        self._trail.append((level, text))
        self._add(Block(len(self.blocks), "heading", text, self.section[:-1], page,
                        level=level, para=self._next_para(), ocr=ocr))
        self._before_chapter = before if level == 1 else None

    def _listed_chapter(self, text: str, level: int, page: int | None) -> bool:
        """A chapter title straight after another of the same kind ("本文件由下列部分组成：第一章 …
        第二章 …", a contents list without page numbers) lists the chapters; it does not open one.
        Both become body text under the heading that introduced the list."""
        last = self.blocks[-1] if self.blocks else None
        unit = _chapter_unit(text)
        if level != 1 or last is None or unit is None or self._before_chapter is None:
            return False
        if last.kind == "heading" and _chapter_unit(last.text) != unit:
            return False
        if last.kind == "heading":
            self._trail = self._before_chapter
            self.blocks[-1] = Block(last.index, "paragraph", last.text, self.section, last.page,
                                    para=last.para)
        self._add(Block(len(self.blocks), "paragraph", text, self.section, page, para=self._next_para()))
        return True

    def paragraph(self, text: str, page: int | None = None, style_level: int | None = None,
                  ocr: float | None = None) -> None:
        """Add a line of body text, promoting it to a heading when its style or numbering says so;
        ``ocr`` is the recognition confidence when the text was read by OCR."""
        text = safe_text(text)
        if not text.strip():
            return
        level = style_level if style_level is not None else heading_level(text)
        if level is not None and style_level is not None and _reads_as_clause(text):
            level = None
        if level is not None:
            self.heading(text, level, page, ocr)
            return
        self._add(Block(len(self.blocks), "paragraph", text.strip(), self.section, page,
                        para=self._next_para(), ocr=ocr))
        self._before_chapter = None

    def table(self, rows: list[list[str | None]], page: int | None = None,
              ocr: list[list[float | None]] | None = None) -> int:
        """Add a table; ``None`` marks a cell merged into the one before it (kept once); ``ocr`` holds
        each cell's recognition confidence when the table was read by OCR."""
        t_index = len(self.tables)
        grid: list[tuple[int | None, ...]] = []
        for r, row in enumerate(rows):
            out: list[int | None] = []
            for c, cell in enumerate(row):
                if cell is None:
                    out.append(None)
                    continue
                idx = len(self.blocks)
                conf = _cell_conf(ocr, r, c)
                self._add(Block(idx, "cell", safe_text(cell).strip(), self.section, page,
                                table=t_index, row=r, col=c, ocr=conf))
                out.append(idx)
            grid.append(tuple(out))
        self.tables.append(Table(t_index, tuple(grid), self.section, page))
        self._before_chapter = None
        return t_index

    def _next_para(self) -> int:
        self._para += 1
        return self._para - 1

    def build(self, pages: int | None = None) -> Document:
        return Document(self.path, self.format, tuple(self.blocks), tuple(self.tables), pages,
                        tuple(self.warnings))


def _cell_conf(ocr: list[list[float | None]] | None, r: int, c: int) -> float | None:
    """A cell's OCR confidence; an empty cell of an OCR table counts as read with full confidence."""
    if ocr is None:
        return None
    value = ocr[r][c] if r < len(ocr) and c < len(ocr[r]) else None
    return 1.0 if value is None else value
