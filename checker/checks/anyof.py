"""`any`: several checks under one rule ID (e.g. a brand named in a list, or "须为…品牌" wording);
a passage flagged by more than one of them is reported once. A branch may carry its own `message`,
`fix` and `severity`, so the finding names the case that fired instead of listing every case the rule covers."""
from __future__ import annotations

from copy import copy
from dataclasses import replace

from ..errors import RuleFileError
from .base import Check


def _check_texts(path: str, where: str, texts: dict) -> None:
    from ..rules import SEVERITIES, _check_template

    for key in ("message", "fix"):
        if key in texts:
            _check_template(path, where + key, texts[key])
    if "severity" in texts and texts["severity"] not in SEVERITIES:
        raise RuleFileError(path, where + "severity", f"应为 {' / '.join(SEVERITIES)}")


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
        for i, sub in enumerate(subs):
            sub = dict(sub) if isinstance(sub, dict) else sub
            texts = {k: sub.pop(k) for k in ("message", "fix", "severity") if isinstance(sub, dict) and k in sub}
            _check_texts(path, f"check.checks[{i}].", texts)
            self.checks.append(build_check(path, sub))
            self.texts.append(texts)

    def references(self) -> tuple[str, ...]:
        return tuple(i for c in self.checks for i in c.references())

    def resolved(self, lookup) -> "AnyCheck":
        twin = copy(self)
        twin.checks = [c.resolved(lookup) for c in self.checks]
        return twin

    def terms(self) -> list[str]:
        return [t for c in self.checks for t in c.terms()]

    def run(self, ctx, rule):
        for check, texts in zip(self.checks, self.texts):
            for m in check.run(ctx, rule):
                yield replace(m, message=m.message or texts.get("message"), fix=m.fix or texts.get("fix"),
                              severity=texts.get("severity") or m.severity)
