"""Runs rules over a Document: the only place a check's match becomes a Finding with a Location."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property

from .facts import Facts, extract_facts
from .model import Block, Document, Finding, Location
from .overlap import Spans, merge_overlaps
from .regime import Binding, binding_for, judged
from .rules import Rule
from .sentences import split_sentences
from .suppress import suppressed_by
from .template import render

_LATIN = re.compile(r"[A-Za-z0-9]")
# A blank model text is not a tender to publish: what it would carry into one is advice, not an error.
_TEMPLATE_NOTE = "（范本文本，封面项目信息未填写，仅供修订范本参考）"


def render_message(template: str, values: dict) -> str:
    return render(template, values)


class DocContext:
    """Per-document caches shared by every rule: sentences, labels, the Aho-Corasick hits."""

    def __init__(self, engine: "Engine", doc: Document, facts: Facts):
        self.engine = engine
        self.doc = doc
        self.facts = facts
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        self._starts: dict[int, list[int]] = {}
        self._labels: dict[int, str] = {}
        # Rules share a handful of distinct scopes: the blocks of each are filtered once per document.
        self._scoped: dict = {}

    @cached_property
    def notice_only(self) -> bool:
        """The file is an announcement on its own: what the 招标文件 must contain cannot be judged here."""
        from .doc_kind import is_notice_only

        return is_notice_only(self.doc)

    @cached_property
    def blank_template(self) -> bool:
        """The file is a blank model text (范本): its clauses are advice to whoever fills it in."""
        from .doc_kind import is_blank_template

        return is_blank_template(self.doc)

    @cached_property
    def unselected(self) -> frozenset[int]:
        """Blocks under a checkbox option the document left unticked."""
        from .options import unselected_blocks

        return unselected_blocks(self.doc)

    def sentences(self, block: Block) -> list[tuple[int, int]]:
        spans = self._sentences.get(block.index)
        if spans is None:
            spans = split_sentences(block.norm)
            self._sentences[block.index] = spans
        return spans

    def sentence_of(self, block: Block, pos: int) -> tuple[int, int]:
        spans = self.sentences(block)
        starts = self._starts.get(block.index)
        if starts is None:
            starts = self._starts[block.index] = [s for s, _ in spans]
        i = bisect_right(starts, pos) - 1
        if i >= 0 and spans[i][0] <= pos < spans[i][1]:
            return spans[i]
        return 0, len(block.norm)

    def labels(self, block: Block) -> str:
        """Heading trail plus, for a table cell, its row label and column header: the words that
        say what the text is about (资格要求, 评分标准 …) when a table carries them."""
        lab = self._labels.get(block.index)
        if lab is None:
            parts = list(block.section)
            if block.kind == "heading":
                parts.append(block.norm)
            if block.table is not None:
                table = self.doc.tables[block.table]
                row = table.rows[block.row] if block.row < len(table.rows) else ()
                for idx in list(row[:2]) + [table.rows[0][block.col] if block.col < len(table.rows[0]) else None]:
                    if idx is not None and idx != block.index:
                        parts.append(self.doc.blocks[idx].norm[:30])
            lab = " / ".join(parts)
            self._labels[block.index] = lab
        return lab

    def in_scope(self, rule: Rule, block: Block) -> bool:
        return block.index in self._scope(rule.scope)[1]

    def _scope(self, scope) -> tuple[tuple[Block, ...], frozenset[int]]:
        """The non-empty blocks inside ``scope`` (in order) and their indexes, computed once per scope."""
        hit = self._scoped.get(scope)
        if hit is None:
            blocks = tuple(b for b in self.doc.blocks if b.norm and self._block_in_scope(scope, b))
            hit = (blocks, frozenset(b.index for b in blocks))
            self._scoped[scope] = hit
        return hit

    def _block_in_scope(self, scope, block: Block) -> bool:
        if block.kind not in scope.kinds:
            return False
        if scope.tables is True and block.table is None:
            return False
        if scope.tables is False and block.table is not None:
            return False
        if scope.sections is not None or scope.exclude_sections is not None:
            labels = self.labels(block)
            if scope.sections is not None and not scope.sections.search(labels):
                return False
            if scope.exclude_sections is not None and scope.exclude_sections.search(labels):
                unless = scope.exclude_sections_unless
                return unless is not None and bool(unless.search(block.norm))
        return True

    def blocks_for(self, rule: Rule):
        return iter(self._scope(rule.scope)[0])

    def scope_indexes(self, rule: Rule) -> frozenset[int]:
        return self._scope(rule.scope)[1]

    @cached_property
    def literal_index(self):
        """Which blocks hold which rule literals (checker/prefilter.py), built on first use."""
        from .prefilter import LiteralIndex

        return LiteralIndex(self.doc.blocks)

    @cached_property
    def _phrase_hits(self) -> dict[str, list]:
        hits: dict[str, list] = {}
        automaton = self.engine.automaton
        if automaton is None:
            return hits
        for block in self.doc.blocks:
            text = block.norm
            if not text:
                continue
            for end_idx, term in automaton.iter(text):
                start = end_idx - len(term) + 1
                end = end_idx + 1
                if _LATIN.match(term[0]) and start > 0 and _LATIN.match(text[start - 1]):
                    continue
                if _LATIN.match(term[-1]) and end < len(text) and re.match(r"[A-Za-z]", text[end]):
                    continue
                for rule_id in self.engine.term_rules[term]:
                    hits.setdefault(rule_id, []).append((block, start, end, term))
        return hits

    def phrase_hits(self, rule_id: str, rule: Rule | None = None):
        """Lexicon hits of ``rule_id`` inside ``rule``'s scope (default: the engine's rule of that ID;
        a `like` check passes the referenced rule so its own sections apply)."""
        rule = rule if rule is not None else self.engine.by_id[rule_id]
        # longest term first at each position, so 海康威视 wins over 海康
        hits = sorted(self._phrase_hits.get(rule_id, []), key=lambda h: (h[0].index, h[1], -h[2]))
        last = (-1, -1)
        for block, start, end, term in hits:
            if block.index == last[0] and start < last[1]:
                continue
            if self.in_scope(rule, block):
                last = (block.index, end)
                yield block, start, end, term

    def lexicon_info(self, term: str) -> dict:
        from .lexicon import lexicon_info

        return lexicon_info(term)


class Engine:
    def __init__(self, rules: list[Rule], switches: frozenset[str] = frozenset(),
                 include_preview: bool = True):
        self.rules = [r for r in rules if include_preview or r.status != "preview"]
        self.by_id = {r.id: r for r in self.rules}
        self.switches = frozenset(switches)
        self.on_rule = None  # called with each rule's ID before it runs (a worker reports it on a timeout)
        self.term_rules: dict[str, list[str]] = {}
        for rule in self.rules:
            for term in rule.check.terms():
                self.term_rules.setdefault(term, [])
                if rule.id not in self.term_rules[term]:
                    self.term_rules[term].append(rule.id)
        self.automaton = None
        if self.term_rules:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for term in self.term_rules:
                automaton.add_word(term, term)
            automaton.make_automaton()
            self.automaton = automaton

    def check(self, doc: Document, facts: Facts | None = None) -> list[Finding]:
        facts = facts if facts is not None else extract_facts(doc)
        ctx = DocContext(self, doc, facts)
        findings: list[Finding] = []
        for rule in self.rules:
            binding = binding_for(rule, facts)
            if binding is None or not rule.applies.matches(facts, self.switches):
                continue
            if self.on_rule is not None:
                self.on_rule(rule.id)
            findings.extend(self._run_rule(ctx, rule, binding))
        if self.on_rule is not None:
            self.on_rule("")
        return merge_overlaps(findings)

    def _run_rule(self, ctx: DocContext, rule: Rule, binding: Binding) -> list[Finding]:
        out: list[Finding] = []
        taken: dict[int, Spans] = {}
        for match in rule.check.run(ctx, rule):
            block = match.block
            if not match.document_level and block.index in ctx.unselected:
                continue  # under an option the document left unticked (checker.options)
            if not match.document_level:
                sentence = ctx.sentence_of(block, match.start)
                if suppressed_by(block.norm, sentence, match.start, match.end, ctx.labels(block),
                                 rule.keep_in | match.keep_in):
                    continue
            spans = taken.setdefault(block.index, Spans())
            if spans.overlapping(match.start, match.end):
                continue  # one finding per passage per rule
            if match.end > match.start:
                spans.add(match.start, match.end, True)
            out.append(self._finding(ctx, rule, match, binding))
        return out

    def _finding(self, ctx: DocContext, rule: Rule, match, binding: Binding) -> Finding:
        block = match.block
        o_start, o_end = block.to_original(match.start, match.end)
        values = {**ctx.facts.values, **match.values}
        basis, severity, status = judged(rule, binding)
        if binding.severity is None and match.severity:
            severity = match.severity
        note = binding.note
        if ctx.blank_template:
            severity, note = "info", _TEMPLATE_NOTE + note
        return Finding(
            rule_id=rule.id, severity=severity, title=rule.title,
            message=note + render_message(match.message or rule.message, values),
            excerpt=block.text[o_start:o_end],
            location=Location.of(ctx.doc, block, o_start, o_end),
            basis=basis, fix=render_message(match.fix or rule.fix, values), status=status, context=block.text,
            related=tuple(match.related), regime=binding.regime)
