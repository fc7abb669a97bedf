"""`near`: an anchor that counts only when every other pattern occurs close by (same sentence,
same block, or within N characters)."""
from __future__ import annotations

from ..errors import RuleFileError
from ..prefilter import candidates
from .base import Check, Match, compile_list


class NearCheck(Check):
    TYPE = "near"
    KEYS = {"anchor", "near", "within", "require", "exclude", "where"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.anchor = compile_list(path, "check.anchor", cfg.get("anchor"), required=True)
        self.near = compile_list(path, "check.near", cfg.get("near"), required=True)
        within = cfg.get("within", "sentence")
        if within not in ("sentence", "block") and not isinstance(within, int):
            raise RuleFileError(path, "check.within", "应为 sentence、block 或字符数")
        self.within = within

    def _window(self, ctx, block, start: int, end: int) -> tuple[int, int]:
        if self.within == "block":
            return 0, len(block.norm)
        if self.within == "sentence":
            return ctx.sentence_of(block, start)
        return max(0, start - self.within), min(len(block.norm), end + self.within)

    def run(self, ctx, rule):
        for block, anchors in candidates(ctx, rule, self.anchor):
            text = block.norm
            for pattern in anchors:
                for m in pattern.finditer(text):
                    s, e = self._window(ctx, block, m.start(), m.end())
                    window = text[s:e]
                    values = {k: v for k, v in m.groupdict().items() if v is not None}
                    ok = True
                    for other in self.near:
                        found = other.search(window)
                        if not found:
                            ok = False
                            break
                        values.update({k: v for k, v in found.groupdict().items() if v is not None})
                    if not ok or not self.sentence_ok(ctx, block, m.start(), m.end()):
                        continue
                    if self.where_ok(values, ctx.facts):
                        span = m.span("span") if "span" in m.groupdict() and m.group("span") else m.span()
                        yield Match(block, span[0], span[1], values)
