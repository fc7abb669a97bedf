"""`brand`: brands from a lexicon named in one sentence, reported once per sentence with the list.

The engine's Aho-Corasick pass finds the terms; this check groups them by sentence so a parameter
table naming five brands gives one finding, and so a rule can tell "华为或同等" (one brand with an
opener) from "参考品牌：A、B、C或同等" (three brands, a lawful way to describe a grade).
"""
from __future__ import annotations

from ..errors import RuleFileError
from .base import Check, Match, compile_list
from .phrase import _brand_context


class BrandCheck(Check):
    TYPE = "brand"
    KEYS = {"lexicon", "context", "unless", "max_brands", "require", "exclude", "where"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        from ..lexicon import lexicon_terms

        self.lexicon = cfg.get("lexicon", "brands")
        try:
            self._terms = lexicon_terms(self.lexicon)
        except KeyError as exc:
            raise RuleFileError(path, "check.lexicon", f"未知词表 {self.lexicon!r}") from exc
        # context: the sentence must contain one of these; unless: it must contain none of them.
        self.context = compile_list(path, "check.context", cfg.get("context"))
        self.unless = compile_list(path, "check.unless", cfg.get("unless"))
        max_brands = cfg.get("max_brands")
        if max_brands is not None and not isinstance(max_brands, int):
            raise RuleFileError(path, "check.max_brands", "应为整数")
        self.max_brands = max_brands

    def terms(self) -> list[str]:
        return self._terms

    def run(self, ctx, rule):
        groups: dict[tuple[int, int, int], list] = {}
        blocks = {}
        for block, start, end, term in ctx.phrase_hits(rule.id, rule):
            info = ctx.lexicon_info(term)
            if info.get("ambiguous") and not _brand_context(block.norm, start, end):
                continue
            s, e = ctx.sentence_of(block, start)
            groups.setdefault((block.index, s, e), []).append((start, end, info.get("brand", term)))
            blocks[block.index] = block
        for (index, s, e), hits in groups.items():
            block = blocks[index]
            sentence = block.norm[s:e]
            if self.context and not any(p.search(sentence) for p in self.context):
                continue
            if any(p.search(sentence) for p in self.unless):
                continue
            names = list(dict.fromkeys(name for _, _, name in hits))
            if self.max_brands is not None and len(names) > self.max_brands:
                continue
            start, end = hits[0][0], hits[-1][1]
            if not self.sentence_ok(ctx, block, start, end):
                continue
            values = {"brands": "、".join(names), "count": len(names), "term": block.norm[start:end]}
            if self.where_ok(values, ctx.facts):
                yield Match(block, start, end, values)
