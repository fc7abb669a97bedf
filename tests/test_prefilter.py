"""The literal prefilter never hides a match: for every bundled pattern, every text it matches passes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.checks.like import LikeCheck
from checker.ingest import read
from checker.ingest.text import parse_text
from checker.prefilter import Prefiltered, required_literals
from checker.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent


def _patterns(check):
    for value in vars(check).values():
        for item in value if isinstance(value, (tuple, list)) else [value]:
            if isinstance(item, Prefiltered):
                yield item
    if isinstance(check, LikeCheck):
        for ref in check.rules:
            yield from _patterns(ref.check)


def _all_patterns() -> dict[str, Prefiltered]:
    return {p.pattern: p for rule in load_rules() for p in _patterns(rule.check)}


def _texts() -> list[str]:
    texts = []
    for rule in load_rules():
        for ex in (*rule.bad, *rule.good):
            doc = parse_text(ex.text, f"<{rule.id}>", "md")
            texts.extend(b.norm for b in doc.blocks)
    for path in sorted((ROOT / "corpus").iterdir()):
        if path.suffix in (".docx", ".pdf", ".txt", ".md"):
            texts.extend(b.norm for b in read(path).blocks)
    return texts


def test_no_bundled_pattern_is_rejected_on_a_text_it_matches():
    patterns = _all_patterns()
    assert sum(1 for p in patterns.values() if p.needles) > len(patterns) // 2  # the filter is in use
    texts = _texts()
    missed = [(p.pattern, t[:60]) for p in patterns.values() if p.needles
              for t in texts if not p.possible(t) and p.regex.search(t)]
    assert not missed, missed[:5]


def test_filtered_patterns_find_the_same_spans_on_the_rule_examples():
    blocks = [b.norm for rule in load_rules() for ex in (*rule.bad, *rule.good)
              for b in parse_text(ex.text, "<x>", "md").blocks]
    for pattern in _all_patterns().values():
        for text in blocks:
            assert ([m.span() for m in pattern.finditer(text)]
                    == [m.span() for m in pattern.regex.finditer(text)]), (pattern.pattern, text)


@pytest.mark.parametrize("source,needles", [
    (r"本地(?:企业|供应商)", {"本地"}),
    (r"(?:注册地|住所)在本(?:市|省)", {"在本"}),
    (r"(?:限定|指定)品牌", {"品牌"}),
    (r"近(?P<years>\d+)年", {"近"}),
    (r"(?:甲|乙公司)", {"甲", "乙公司"}),
    (r"a(?=乙方)", {"乙方"}),
])
def test_required_literals(source, needles):
    assert required_literals(source) == needles


@pytest.mark.parametrize("source", [
    r"(?:甲|)乙?",  # an empty branch: nothing is required
    r"(?i)abc",  # case folding: literals match other characters
    r"(?i:ab)c?",
    r"\d+年?",  # classes only
    r"[^,]+",
    r"(?:本地)?",
    r"(?!本地)\w",
    r"(a)?\1",  # a back-reference to an optional group
])
def test_unsure_patterns_get_no_filter(source):
    assert required_literals(source) is None


def test_filtered_pattern_answers_like_the_regex():
    p = Prefiltered.compile(re.compile(r"(?P<n>\d+)个(?:工作日|日历天)"))
    assert set(p.needles) == {"工作日", "日历天"}
    for text in ("须在5个工作日内", "10个日历天", "5天内", ""):
        assert [m.span() for m in p.finditer(text)] == [m.span() for m in p.regex.finditer(text)]
        assert bool(p.search(text)) == bool(p.regex.search(text))
    assert p.groupindex == {"n": 1}


def test_corpus_findings_are_the_same_with_and_without_the_filter(monkeypatch):
    import checker.checks.near
    import checker.checks.regex
    import checker.checks.threshold
    import checker.checks.window
    from checker.api import build_engine, scan_file

    engine = build_engine()
    paths = [str(p) for p in sorted((ROOT / "corpus").iterdir())
             if p.suffix in (".docx", ".pdf", ".txt")]
    filtered = [scan_file(p, engine).findings for p in paths]
    assert sum(map(len, filtered)) > 10  # the comparison covers real findings

    def every_block(ctx, rule, patterns):
        for block in ctx.blocks_for(rule):
            yield block, tuple(p.regex for p in patterns)

    for module in (checker.checks.regex, checker.checks.threshold, checker.checks.window, checker.checks.near):
        monkeypatch.setattr(module, "candidates", every_block)
    monkeypatch.setattr(Prefiltered, "possible", lambda self, text: True)
    assert [scan_file(p, engine).findings for p in paths] == filtered
