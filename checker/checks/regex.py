"""`regex`: regular expressions with named captures, conditions on them, and sentence filters.

A capture named ``span`` sets the reported span; otherwise the whole match is reported.
``exclude_clause`` patterns drop a match when they occur in the match's own clause (between commas):
a statutory list beside the buyer's own list in one sentence keeps the buyer's list reported.
``once_per_block: true`` reports only the earliest match of a block (a scoring cell is one criterion:
its several vague tiers are one finding, not one per tier).
"""
from __future__ import annotations

from ..prefilter import candidates
from ..sentences import clause_end, clause_start
from .base import Check, Match, compile_list


class RegexCheck(Check):
    TYPE = "regex"
    KEYS = {"patterns", "require", "exclude", "exclude_clause", "where", "once_per_block"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.patterns = compile_list(path, "check.patterns", cfg.get("patterns"), required=True)
        self.once_per_block = bool(cfg.get("once_per_block", False))
        self.exclude_clause = compile_list(path, "check.exclude_clause", cfg.get("exclude_clause"))

    def run(self, ctx, rule):
        for block, patterns in candidates(ctx, rule, self.patterns):
            matches = self._block_matches(ctx, block, patterns)
            if self.once_per_block and matches:
                matches = [min(matches, key=lambda m: (m.start, -m.end))]
            yield from matches

    def _block_matches(self, ctx, block, patterns) -> list[Match]:
        out = []
        for pattern in patterns:
            for m in pattern.finditer(block.norm):
                start, end = m.span("span") if "span" in m.groupdict() and m.group("span") else m.span()
                if start == end:
                    continue
                values = {k: v for k, v in m.groupdict().items() if v is not None}
                if self.sentence_ok(ctx, block, start, end) and self.where_ok(values, ctx.facts) \
                        and self._clause_ok(ctx, block, start, end):
                    out.append(Match(block, start, end, values))
        return out

    def _clause_ok(self, ctx, block, start: int, end: int) -> bool:
        if not self.exclude_clause:
            return True
        s, e = ctx.sentence_of(block, start)
        text = block.norm
        clause = text[clause_start(text, s, start):clause_end(text, end, max(e, end))]
        return not any(p.search(clause) for p in self.exclude_clause)
