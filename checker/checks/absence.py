"""`absence`: content the law requires that the document never states (reported at a named section,
or at the document's first heading, following Vale's policy for missing content)."""
from __future__ import annotations

from ..errors import RuleFileError
from .base import Check, Match, compile_list


class AbsenceCheck(Check):
    TYPE = "absence"
    KEYS = {"require_any", "unless_any", "report_at", "announcement"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.require_any = compile_list(path, "check.require_any", cfg.get("require_any"), required=True)
        self.unless_any = compile_list(path, "check.unless_any", cfg.get("unless_any"))
        # announcement: true — the announcement itself must carry this, so an announcement alone is judged too
        self.announcement = bool(cfg.get("announcement", False))
        report_at = cfg.get("report_at")
        self.report_at = compile_list(path, "check.report_at", report_at) if report_at else ()
        if report_at is not None and not self.report_at:
            raise RuleFileError(path, "check.report_at", "应为标题正则")

    def run(self, ctx, rule):
        if ctx.notice_only and not self.announcement:
            return  # an announcement alone: the missing content may be in the 招标文件 it points to
        blocks = list(ctx.blocks_for(rule))
        if not blocks:
            blocks = list(ctx.doc.blocks)
        text = "\n".join(b.norm for b in blocks)
        if any(p.search(text) for p in self.require_any):
            return
        if any(p.search(ctx.doc.text) for p in self.unless_any):
            return
        anchor = None
        for b in ctx.doc.blocks:
            if any(p.search(b.norm) for p in self.report_at) and b.norm:
                anchor = b
                break
        if anchor is None:
            anchor = next((b for b in ctx.doc.blocks if b.norm), None)
        if anchor is not None:
            yield Match(anchor, 0, len(anchor.norm), {}, document_level=True)
