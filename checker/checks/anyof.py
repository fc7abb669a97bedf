"""`any`: several checks under one rule ID (e.g. a brand named in a list, or "须为…品牌" wording);
a passage flagged by more than one of them is reported once. A branch may carry its own `message`,
`fix` and `severity`, so the finding names the case that fired instead of listing every case the rule covers."""
from __future__ import annotations

from dataclasses import replace

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
        self.checks, self.texts = [], []
        for sub in subs:
            sub = dict(sub) if isinstance(sub, dict) else sub
            texts = {k: sub.pop(k) for k in ("message", "fix", "severity") if isinstance(sub, dict) and k in sub}
            self.checks.append(build_check(path, sub))
            self.texts.append(texts)

    def terms(self) -> list[str]:
        return [t for c in self.checks for t in c.terms()]

    def run(self, ctx, rule):
        for check, texts in zip(self.checks, self.texts):
            for m in check.run(ctx, rule):
                yield replace(m, message=m.message or texts.get("message"), fix=m.fix or texts.get("fix"),
                              severity=texts.get("severity") or m.severity)
