"""Scoring tables (评分标准) from document tables and prose lists: items, points, groups, total, price weight.

The readers live in scoring_tables (tables) and scoring_prose (sentences, headings, weights); this module
joins split schemes, lists every scheme in reading order and picks the one a fact reports."""
from __future__ import annotations

from .model import Document
from .scoring_model import ScoreItem, ScoringTable, classify, lot_of  # noqa: F401  (the scoring API)
from .scoring_prose import (heading_schemes, line_schemes, packed_schemes, price_headings, prose_schemes,
                            sum_schemes, title_row_schemes, weight_schemes)
from .scoring_tables import merged_tables, run_rows, table_scheme  # noqa: F401  (run_rows: lot tables)


def _chapter(doc: Document, s: ScoringTable) -> str:
    section = doc.blocks[s.anchor.block].section
    return section[0] if section else ""


def _join_split(doc: Document, tables: list[ScoringTable]) -> list[ScoringTable]:
    """A scheme split into separate tables (《服务评审表》《商务评审表》《价格评审表》, or a 价格分 heading
    beside a table of the other items): join the price piece with the price-less tables of its chapter
    when together they make exactly 100 — otherwise leave them apart rather than guess."""
    pieces = [t for t in tables if t.items and all(i.group == "price" for i in t.items)]
    if not any(len(t.items) >= 2 for t in tables if t.price_items):
        pieces += price_headings(doc)
    used: set[int] = set()
    joined: list[ScoringTable] = []
    for piece in pieces:
        if id(piece) in used:
            continue
        others = [t for t in tables if not t.price_items and id(t) not in used and t.lot == piece.lot
                  and _chapter(doc, t) == _chapter(doc, piece)]
        nearest = sorted(others, key=lambda t: abs(t.anchor.block - piece.anchor.block))[:1]
        for group in (others, nearest):
            if group and abs(sum(t.total for t in group) + piece.total - 100) < 1e-6:
                parts = sorted([*group, piece], key=lambda t: t.anchor.block)
                first = next(t for t in parts if t.table is not None)
                joined.append(ScoringTable(tuple(i for t in parts for i in t.items), None, "table", parts[0].anchor,
                                           piece.lot, first.table, tuple(p for t in parts for p in t.parents)))
                used.update(id(t) for t in parts)
                break
    kept = [t for t in tables if id(t) not in used and len(t.items) >= 2]  # a lone price row is no scheme
    return kept + joined


def extract_scoring(doc: Document) -> list[ScoringTable]:
    """Every scoring scheme in reading order: tables first where they exist, prose lists besides."""
    tables = _join_split(doc, [s for run in merged_tables(doc) if (s := table_scheme(doc, run)) is not None])
    prose = prose_schemes(doc) + heading_schemes(doc) + line_schemes(doc) + weight_schemes(doc) \
        + title_row_schemes(doc) + sum_schemes(doc) + packed_schemes(doc)
    seen_lots = {t.lot for t in tables if t.price_items and not t.sub_scale}
    prose = [p for p in prose if not tables or p.lot not in seen_lots]
    return sorted(tables + prose, key=lambda s: s.anchor.block)


def primary(schemes: list[ScoringTable], lot: str | None = None) -> ScoringTable | None:
    """The scheme a fact reports: the first with a price row (for a lot when asked)."""
    pool = [s for s in schemes if lot is None or s.lot == lot]
    # a scheme whose rows are no single scale gives no share: another statement of the scheme may
    ranked = [s for s in pool if not s.sub_scale] + [s for s in pool if s.sub_scale]
    for source in ("weights", "table"):  # stated weights (F×A) win over the sub-scores they weight
        for s in ranked:
            if s.price_items and s.source == source and not s.sub_scale:
                return s
    for s in ranked:
        if s.price_items:
            return s
    return None
