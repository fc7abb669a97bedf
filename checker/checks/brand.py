"""`brand`: brands from a lexicon named in one sentence, reported once per sentence (at the first brand).

The engine's Aho-Corasick pass finds the terms; this check groups them by sentence so a parameter
table naming five brands gives one finding, and so a rule can tell "华为或同等" (one brand with an
opener) from "参考品牌：A、B、C或同等" (three brands, a lawful way to describe a grade).
"""
from __future__ import annotations

import re

from ..errors import RuleFileError
from .base import Check, Match, compile_list
from .phrase import _brand_context


# A brand followed by a company suffix names an organisation (华润万家有限公司, 宝武集团), often the buyer.
_ORG_NAME = re.compile(r"^[\u4e00-\u9fa5A-Za-z()]{0,10}?(?:有限公司|有限责任公司|股份|集团|公司|事业部|分行|银行|大学|医院)")
# In service and works documents brands mostly describe equipment already on site (电梯：三菱客梯2台);
# there a brand counts only in a sentence that asks for something.
_CUE = re.compile(r"须|必须|应当?|要求|采用|选用|选购|指定|限定|品牌|型号|配置|投标产品|所投")


class BrandCheck(Check):
    TYPE = "brand"
    KEYS = {"lexicon", "context", "unless", "max_brands", "cue_for", "require", "exclude", "where"}

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
        # attributes (services, works) whose documents need a requirement cue beside the brand
        self.cue_for = tuple(cfg.get("cue_for") or ())

    def terms(self) -> list[str]:
        return self._terms

    def run(self, ctx, rule):
        groups: dict[tuple[int, int, int], list] = {}
        buyer = str(ctx.facts.get("buyer") or "")
        need_cue = ctx.facts.get("attribute") in self.cue_for
        blocks = {}
        for block, start, end, term in ctx.phrase_hits(rule.id, rule):
            info = ctx.lexicon_info(term)
            if info.get("ambiguous") and not _brand_context(block.norm, start, end):
                continue
            if _ORG_NAME.match(block.norm, end) or (buyer and term in buyer):
                continue
            s, e = ctx.sentence_of(block, start)
            groups.setdefault((block.index, s, e), []).append((start, end, info.get("brand", term)))
            blocks[block.index] = block
        for (index, s, e), hits in groups.items():
            block = blocks[index]
            sentence = block.norm[s:e]
            # a table cell is read with its column header: a 推荐品牌 column says what its names are
            probe = f"{sentence} {_column_header(ctx, block)}"
            if self.context and not any(p.search(probe) for p in self.context):
                continue
            if any(p.search(probe) for p in self.unless):
                continue
            if need_cue and not _CUE.search(sentence):
                continue
            names = list(dict.fromkeys(name for _, _, name in hits))
            if self.max_brands is not None and len(names) > self.max_brands:
                continue
            start, end = hits[0][0], hits[0][1]  # the first brand; the message names them all
            if not self.sentence_ok(ctx, block, start, end):
                continue
            term = block.norm[start:end]
            values = {"brands": "、".join(names), "count": len(names), "term": term, "span": term}
            if self.where_ok(values, ctx.facts):
                yield Match(block, start, end, values)


def _column_header(ctx, block) -> str:
    """The header cell above a table cell (the first row of its column), or ''."""
    if block.table is None:
        return ""
    rows = ctx.doc.tables[block.table].rows
    if not rows or block.row == 0 or block.col >= len(rows[0]) or rows[0][block.col] in (None, block.index):
        return ""
    return ctx.doc.blocks[rows[0][block.col]].norm[:30]
