"""`phrase`: a list of literal terms (or a named lexicon), found by the engine's one Aho-Corasick pass."""
from __future__ import annotations

from ..errors import RuleFileError
from ..normalize import normalize
from .base import Check, Match


class PhraseCheck(Check):
    TYPE = "phrase"
    KEYS = {"terms", "lexicon", "require", "exclude", "where", "min_length"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        terms = cfg.get("terms") or []
        if not isinstance(terms, list) or not all(isinstance(t, str) and t for t in terms):
            raise RuleFileError(path, "check.terms", "应为非空字符串列表")
        self.lexicon = cfg.get("lexicon")
        if not terms and not self.lexicon:
            raise RuleFileError(path, "check.terms", "需要 terms 或 lexicon")
        # Terms are matched against normalised text, so normalise them the same way.
        self._terms = [normalize(t).text for t in terms]
        if self.lexicon:
            from ..lexicon import lexicon_terms

            try:
                self._terms += lexicon_terms(self.lexicon)
            except KeyError as exc:
                raise RuleFileError(path, "check.lexicon", f"未知词表 {self.lexicon!r}") from exc

    def terms(self) -> list[str]:
        return self._terms

    def run(self, ctx, rule):
        for block, start, end, term in ctx.phrase_hits(rule.id):
            if not self.sentence_ok(ctx, block, start, end):
                continue
            info = ctx.lexicon_info(term)
            if info.get("ambiguous") and not _brand_context(block.norm, start, end):
                continue  # 长城, 美的, 浪潮 … count as brands only beside a model number or 品牌
            values = {"term": block.norm[start:end], **info}
            if self.where_ok(values, ctx.facts):
                yield Match(block, start, end, values)


def _brand_context(text: str, start: int, end: int) -> bool:
    from ..lexicon import MODEL_SHAPE

    return bool(MODEL_SHAPE.match(text[end:end + 20])) or "品牌" in text[max(0, start - 8):start]
