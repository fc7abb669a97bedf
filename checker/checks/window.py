"""`perf_window`: a look-back window on performance records (近N年, 自2020年1月1日起) longer than a
maximum; with the rule's local switch on (e.g. dongguan), any window at all.

A window written as a start date is measured against the document's announcement date; when the
document has none, only the switch can make it reportable.
"""
from __future__ import annotations

import re

from ..errors import RuleFileError
from ..prefilter import candidates
from .base import Check, Match, compile_list


class WindowCheck(Check):
    TYPE = "perf_window"
    KEYS = {"patterns", "max_years", "any_window_switch", "require", "exclude", "where"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.patterns = compile_list(path, "check.patterns", cfg.get("patterns"), required=True)
        for i, p in enumerate(self.patterns):
            if not {"years", "since"} & set(p.groupindex):
                raise RuleFileError(path, f"check.patterns[{i}]", "须有命名捕获组 (?P<years>…) 或 (?P<since>年份)")
        max_years = cfg.get("max_years", 5)
        if not isinstance(max_years, (int, float)) or max_years <= 0:
            raise RuleFileError(path, "check.max_years", "应为正数（年）")
        self.max_years = float(max_years)
        self.switch = cfg.get("any_window_switch")
        if self.switch is not None and not isinstance(self.switch, str):
            raise RuleFileError(path, "check.any_window_switch", "应为开关名（字符串）")

    def _years(self, m: re.Match, facts) -> float | None:
        raw = m.groupdict()
        if raw.get("years"):
            return float(raw["years"])
        if raw.get("since"):
            announced = facts.get("announce_date")
            if not announced:
                return None
            return int(str(announced)[:4]) - int(raw["since"]) + 1
        return None

    def run(self, ctx, rule):
        any_window = bool(self.switch) and self.switch in ctx.engine.switches
        for block, patterns in candidates(ctx, rule, self.patterns):
            for pattern in patterns:
                for m in pattern.finditer(block.norm):
                    years = self._years(m, ctx.facts)
                    if not any_window and (years is None or years <= self.max_years):
                        continue
                    start, end = m.span("span") if m.groupdict().get("span") else m.span()
                    values = {k: v for k, v in m.groupdict().items() if v is not None}
                    values.update(window=f"{years:g}年" if years is not None else m.group(0),
                                  max_years=f"{self.max_years:g}")
                    if self.sentence_ok(ctx, block, start, end) and self.where_ok(values, ctx.facts):
                        yield Match(block, start, end, values)
