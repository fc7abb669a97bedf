"""`threshold`: a captured quantity with its unit (money, percent, count) compared with a limit
or with a project fact times a factor (e.g. a bid bond above 2% of the budget)."""
from __future__ import annotations

from ..errors import RuleFileError
from ..prefilter import candidates
from .base import OPS, Check, Match, compile_list, config_number, fact_name, to_number


class ThresholdCheck(Check):
    TYPE = "threshold"
    KEYS = {"patterns", "compare", "require", "exclude", "where"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.patterns = compile_list(path, "check.patterns", cfg.get("patterns"), required=True)
        for i, p in enumerate(self.patterns):
            if "value" not in p.groupindex:
                raise RuleFileError(path, f"check.patterns[{i}]", "阈值检查的正则须有命名捕获组 (?P<value>…)")
        cmp = cfg.get("compare")
        if not isinstance(cmp, dict):
            raise RuleFileError(path, "check.compare", "需要 {op: gt, limit: 数值} 或 {op: gt, fact: budget, factor: 0.02}")
        from ..rules import _check_keys

        _check_keys(path, "check.compare.", cmp, {"op", "limit", "fact", "factor"})
        if cmp.get("op") not in OPS:
            raise RuleFileError(path, "check.compare.op", f"应为 {' / '.join(OPS)}")
        if ("limit" in cmp) == ("fact" in cmp):
            raise RuleFileError(path, "check.compare", "limit 与 fact 须且只须给出一个")
        self.op = cmp["op"]
        self.limit = config_number(path, "check.compare.limit", cmp["limit"]) if "limit" in cmp else None
        self.fact = cmp.get("fact")
        if self.fact is not None:
            fact_name(path, "check.compare.fact", self.fact)
        self.factor = config_number(path, "check.compare.factor", cmp.get("factor", 1))

    def run(self, ctx, rule):
        if self.fact is not None:
            base = ctx.facts.get(self.fact)
            if base is None:
                return  # the fact this rule needs is unknown: stay silent
            limit = float(base) * self.factor
        else:
            base, limit = None, self.limit
        for block, patterns in candidates(ctx, rule, self.patterns):
            for pattern in patterns:
                for m in pattern.finditer(block.norm):
                    value = to_number(m.group("value"))
                    if value is None or not OPS[self.op](value, limit):
                        continue
                    values = {k: v for k, v in m.groupdict().items() if v is not None}
                    values.update(value_number=value, limit=_fmt(limit))
                    if base:
                        values["ratio"] = f"{value / float(base) * 100:.2f}%"
                        values["base"] = _fmt(float(base))
                    start, end = m.span("span") if "span" in m.groupdict() and m.group("span") else m.span()
                    if self.sentence_ok(ctx, block, start, end) and self.where_ok(values, ctx.facts):
                        yield Match(block, start, end, values)


def _fmt(v: float) -> str:
    if v >= 10000 and v % 100 == 0:
        return f"{v / 10000:g}万元"
    return f"{v:g}"
