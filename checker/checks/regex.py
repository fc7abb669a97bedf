"""`regex`: regular expressions with named captures, conditions on them, and sentence filters.

A capture named ``span`` sets the reported span; otherwise the whole match is reported.
"""
from __future__ import annotations

from ..prefilter import candidates
from .base import Check, Match, compile_list


class RegexCheck(Check):
    TYPE = "regex"
    KEYS = {"patterns", "require", "exclude", "where"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.patterns = compile_list(path, "check.patterns", cfg.get("patterns"), required=True)

    def run(self, ctx, rule):
        for block, patterns in candidates(ctx, rule, self.patterns):
            text = block.norm
            for pattern in patterns:
                for m in pattern.finditer(text):
                    start, end = m.span("span") if "span" in m.groupdict() and m.group("span") else m.span()
                    if start == end:
                        continue
                    values = {k: v for k, v in m.groupdict().items() if v is not None}
                    if not self.sentence_ok(ctx, block, start, end):
                        continue
                    if not self.where_ok(values, ctx.facts):
                        continue
                    yield Match(block, start, end, values)
