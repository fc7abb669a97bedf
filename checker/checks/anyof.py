"""`any`: several checks under one rule ID (e.g. a brand named in a list, or "须为…品牌" wording);
a passage flagged by more than one of them is reported once."""
from __future__ import annotations

from ..errors import RuleFileError
from .base import Check


class AnyCheck(Check):
    TYPE = "any"
    KEYS = {"checks"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        from . import build_check

        subs = cfg.get("checks")
        if not isinstance(subs, list) or not subs:
            raise RuleFileError(path, "check.checks", "应为检查列表")
        self.checks = [build_check(path, sub) for sub in subs]

    def terms(self) -> list[str]:
        return [t for c in self.checks for t in c.terms()]

    def run(self, ctx, rule):
        for check in self.checks:
            yield from check.run(ctx, rule)
