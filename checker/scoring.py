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
    seen_lots = {t.lot for t in tables if t.price_items and not t.sub_scale and _whole(t)}
    prose = [p for p in prose if not tables or p.lot not in seen_lots]
    return sorted(tables + prose, key=lambda s: s.anchor.block)


def _whole(s: ScoringTable) -> bool:
    """The rows add up to a full scale: 100 points, or the total the document states."""
    return abs(s.total - 100) < 1e-6 or (s.stated_total is not None and abs(s.total - s.stated_total) < 1e-6)


def primary(schemes: list[ScoringTable], lot: str | None = None) -> ScoringTable | None:
    """The scheme a fact reports, for a lot when asked: stated weights (F×A) over the sub-scores they
    weight, then a table, then prose — among the schemes that add up to a full scale first (a scoring
    checklist copied into the forms may miss a row), and never one whose rows are no single scale
    while another statement of the scheme gives a share."""
    pool = [s for s in schemes if s.price_items and (lot is None or s.lot == lot)]
    for group in ([s for s in pool if not s.sub_scale and _whole(s)], [s for s in pool if not s.sub_scale]):
        for source in ("weights", "table"):
            for s in group:
                if s.source == source:
                    return s
        if group:
            return group[0]
    return pool[0] if pool else None
