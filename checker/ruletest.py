"""Runs every rule's own examples: each bad example must be flagged on exactly its marked span(s),
each good example must stay silent."""
from __future__ import annotations

from dataclasses import dataclass

from .engine import Engine
from .facts import extract_facts
from .ingest.text import parse_text
from .rules import Example, Rule


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    kind: str  # "bad" | "good"
    index: int
    ok: bool
    detail: str
    text: str


def run_example(rule: Rule, example: Example, kind: str) -> tuple[bool, str]:
    engine = Engine([rule], switches=frozenset(example.config.get("switches", [])))
    doc = parse_text(example.text, f"<{rule.id} {kind}>", "md")
    facts = extract_facts(doc)
    if example.facts:
        facts = facts.with_overrides(example.facts)
    if facts.get("regime") is None and "gp" not in rule.regimes:
        # an example too short to show its regime is judged in the rule's own (first) regime
        own = next((r for r in rule.regimes if r != "adopted"), None)
        if own:
            facts = facts.with_overrides({"regime": own})
    found = [f for f in engine.check(doc, facts) if f.rule_id == rule.id]
    excerpts = [f.excerpt for f in found]
    if kind == "good":
        if found:
            return False, f"不应报告，却报告了：{excerpts}"
        return True, ""
    missing = [s for s in example.spans if s not in excerpts]
    extra = [e for e in excerpts if e not in example.spans]
    if missing or extra:
        return False, f"期望片段 {list(example.spans)}，实际 {excerpts}"
    return True, ""


def run_rule_examples(rule: Rule) -> list[ExampleResult]:
    results = []
    for kind, examples in (("bad", rule.bad), ("good", rule.good)):
        for i, ex in enumerate(examples):
            ok, detail = run_example(rule, ex, kind)
            results.append(ExampleResult(rule.id, kind, i, ok, detail, ex.text))
    return results
