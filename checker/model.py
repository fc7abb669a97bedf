"""The immutable document model every reader produces and every check consumes."""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

BLOCK_KINDS = ("heading", "paragraph", "cell")
# shown beside every location whose text was read by OCR (text, HTML and the other reporters)
OCR_NOTE = "OCR识别，请核对原文"


@dataclass(frozen=True)
class Block:
    """One unit of text in reading order: a heading, a paragraph or one table cell.

    ``text`` is the document's own text; checks run over ``norm`` (see normalize.py) and
    map offsets back through ``to_original``.
    """

    index: int
    kind: str
    text: str
    section: tuple[str, ...] = ()
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    level: int | None = None  # heading level (1 = chapter); None for non-headings
    para: int | None = None   # paragraph number in the source (docx body / txt line group)
    ocr: float | None = None  # recognition confidence (0-1) when the text was read by OCR; None otherwise

    @cached_property
    def normalized(self):
        from .normalize import normalize

        return normalize(self.text)

    @cached_property  # read hundreds of thousands of times per document by the rules: keep it a plain attribute
    def norm(self) -> str:
        return self.normalized.text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``norm`` back to the original ``text``."""
        return self.normalized.to_original(start, end)


@dataclass(frozen=True)
class Table:
    """A table as a grid of block indexes (None where a merged cell repeats)."""

    index: int
    rows: tuple[tuple[int | None, ...], ...]
    section: tuple[str, ...] = ()
    page: int | None = None


@dataclass(frozen=True)
class Document:
    path: str
    format: str
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...] = ()
    pages: int | None = None
    warnings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    @cached_property
    def text(self) -> str:
        return "\n".join(b.norm for b in self.blocks)

    def table_cells(self, table: Table) -> list[list[Block | None]]:
        return [[self.blocks[i] if i is not None else None for i in row] for row in table.rows]


@dataclass(frozen=True)
class Location:
    path: str
    section: tuple[str, ...]
    block: int
    kind: str
    page: int | None
    table: int | None
    row: int | None
    col: int | None
    start: int
    end: int
    para: int | None = None
    ocr: float | None = None  # the block's OCR confidence, when its text was read by OCR

    @classmethod
    def of(cls, doc: Document, block: Block, start: int, end: int) -> "Location":
        return cls(doc.path, block.section, block.index, block.kind, block.page, block.table,
                   block.row, block.col, start, end, block.para, block.ocr)

    def describe(self) -> str:
        """Human location in Chinese: 第一章 › 小节 · 第N段 / 表N 第R行第C列 / 第N页."""
        parts = []
        if self.section:
            parts.append(" › ".join(self.section))
        where = []
        if self.table is not None:
            where.append(f"表{self.table + 1} 第{(self.row or 0) + 1}行第{(self.col or 0) + 1}列")
        elif self.para is not None:
            where.append(f"第{self.para + 1}段")
        else:
            where.append(f"第{self.block + 1}块")
        if self.page is not None:
            where.append(f"第{self.page}页")
        parts.append(" / ".join(where))
        if self.ocr is not None:
            parts.append(OCR_NOTE)
        return " · ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "section": list(self.section),
            "block": self.block,
            "kind": self.kind,
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "para": self.para,
            "start": self.start,
            "end": self.end,
            **({"ocr": True, "ocr_confidence": round(self.ocr, 3)} if self.ocr is not None else {}),
        }


_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_SENTENCE_MARKS = "。；;！!？?\n"
_SENTENCE_REACH = 1000


@dataclass(frozen=True)
class Basis:
    law: str
    article: str

    def __str__(self) -> str:
        return f"{self.law} {self.article}".strip()


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    title: str
    message: str
    excerpt: str
    location: Location
    basis: tuple[Basis, ...]
    fix: str
    status: str = "stable"
    context: str = ""  # the whole block text, for reporters that show the passage
    related: tuple[Location, ...] = ()
    regime: str | None = None  # the regime the finding was judged under (checker.regime.REGIMES)
    also: tuple[str, ...] = ()  # other rules that flagged the same words (checker.overlap)
    # the reviewer's decision (checker.decisions: accepted / false_alarm / pending) and note, if any
    decision: str | None = None
    note: str | None = None
    # set when decisions were applied: the finding's name in the report the decisions were made in
    fingerprint: str | None = field(default=None, compare=False)

    def sort_key(self):
        loc = self.location
        return (loc.path, loc.block, loc.start, self.rule_id, loc.end)

    @property
    def sentence(self) -> str:
        """The sentence (or, in a cell without sentence marks, the cell text) that holds the excerpt."""
        text, start, end = self.context or self.excerpt, self.location.start, self.location.end
        if not self.context:
            return text
        # looked for within _SENTENCE_REACH of the excerpt: a paragraph of 16,000 findings made a scan
        # from the paragraph start quadratic, and a mark-free page-long cell is not one sentence to show
        lo, hi = max(0, start - _SENTENCE_REACH), min(len(text), end + _SENTENCE_REACH)
        left = max(text.rfind(c, lo, start) for c in _SENTENCE_MARKS) + 1 or lo
        right = _SENTENCE_END.search(text, end, hi)
        return text[max(left, lo):right.end() if right else hi].strip()

    def as_json(self) -> dict[str, Any]:
        out = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "status": self.status,
            "title": self.title,
            "message": self.message,
            "excerpt": self.excerpt,
            "sentence": self.sentence,
            "location": self.location.as_json(),
            "basis": [{"law": b.law, "article": b.article} for b in self.basis],
            "fix": self.fix,
            "related": [r.as_json() for r in self.related],
            "regime": self.regime,
            "also": list(self.also),
        }
        if self.decision is not None:  # only with --decisions: reports without one stay as they were
            out["decision"] = self.decision
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str  # "ok" | "error"
    error: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    document: Document | None = field(default=None, compare=False, repr=False)
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    checklist: tuple = field(default=(), compare=False, repr=False)  # checker.checklist base states
    # findings the reviewer judged false alarms (checker.decisions), left out of ``findings``;
    # None when no decisions were applied
    hidden: tuple[Finding, ...] | None = field(default=None, compare=False, repr=False)

    def checklist_states(self) -> tuple:
        """The checklist against the findings this result now holds (after baselines and decisions)."""
        from .checklist import final_states

        return final_states(self.checklist, self.findings)

    def verdict(self) -> dict[str, Any] | None:
        from .checklist import verdict

        return verdict(self.checklist_states(), self.findings) if self.checklist else None

    def as_json(self) -> dict[str, Any]:
        out = {
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "facts": self.facts,
            "findings": [f.as_json() for f in self.findings],
        }
        if self.hidden is not None:
            out["hidden_false_alarms"] = len(self.hidden)
        if self.checklist:
            out["checklist"] = [s.as_json() for s in self.checklist_states()]
            out["verdict"] = self.verdict()
        return out


SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Report:
    files: tuple[FileResult, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    def summary(self) -> dict[str, Any]:
        by_sev = {"error": 0, "warning": 0, "info": 0}
        by_rule: dict[str, int] = {}
        for f in self.findings:
            by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
            by_rule[f.rule_id] = by_rule.get(f.rule_id, 0) + 1
        return {
            "files": len(self.files),
            "files_ok": sum(1 for r in self.files if r.status == "ok"),
            "files_error": sum(1 for r in self.files if r.status == "error"),
            "findings": len(self.findings),
            "by_severity": by_sev,
            "by_rule": dict(sorted(by_rule.items())),
            **({"hidden_false_alarms": self.hidden_false_alarms} if self.decided else {}),
        }

    @property
    def decided(self) -> bool:
        """Whether reviewer decisions were applied to these results."""
        return any(r.hidden is not None for r in self.files)

    @property
    def hidden_false_alarms(self) -> int:
        return sum(len(r.hidden or ()) for r in self.files)
