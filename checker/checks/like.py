"""`like`: run the detection of other rules (e.g. the 政府采购 EXC-* rules) under this rule's ID, so
an engineering-tender rule (ENG-EXC-*) reuses their patterns instead of copying them.

The referenced rules are found among the rules loaded with this one (checker.rules.resolve_likes; a
local pack may also name the bundled rules), and each runs with its own section scope; the engine still
applies this rule's applicability and suppression.
"""
from __future__ import annotations

from dataclasses import replace
from copy import copy

from ..errors import RuleFileError
from .base import Check, Match


_RANK = {"info": 0, "warning": 1, "error": 2}


def _milder(ref: str, own: str) -> str | None:
    """A heuristic borrowed at warning stays a warning under an error rule (e.g. EXC-BRAND-002)."""
    return ref if _RANK.get(ref, 2) < _RANK.get(own, 2) else None


class LikeCheck(Check):
    TYPE = "like"
    KEYS = {"rules", "require", "exclude", "where"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        ids = cfg.get("rules")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise RuleFileError(path, "check.rules", "应为规则 ID 列表，如 [EXC-REGION-002]")
        self.ids = tuple(ids)
        self.rules: tuple = ()  # set by resolved(): the referenced rules among those loaded

    def references(self) -> tuple[str, ...]:
        return self.ids

    def resolved(self, lookup) -> "LikeCheck":
        twin = copy(self)
        twin.rules = tuple(lookup(i) for i in self.ids)
        return twin

    def terms(self) -> list[str]:
        return [t for r in self.rules for t in r.check.terms()]

    def run(self, ctx, rule):
        for ref in self.rules:
            # the referenced rule's own scope and keep_in, under this rule's ID
            keep_in = rule.keep_in | ref.keep_in
            proxy = replace(ref, id=rule.id, keep_in=keep_in)
            for m in ref.check.run(ctx, proxy):
                if m.document_level:
                    yield m
                    continue
                if not self.sentence_ok(ctx, m.block, m.start, m.end):
                    continue
                values = {**m.values, "found": m.block.norm[m.start:m.end], "like": ref.id,
                          "like_title": ref.title}
                if self.where_ok(values, ctx.facts):
                    yield Match(m.block, m.start, m.end, values, related=m.related,
                                severity=m.severity or _milder(ref.severity, rule.severity), keep_in=keep_in)
