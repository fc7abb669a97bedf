"""Every rule's bad examples are flagged on their marked span; every good example stays silent."""
from __future__ import annotations

import pytest

from checker.rules import load_rules
from checker.ruletest import run_example

_CASES = [(rule, kind, i, ex) for rule in load_rules()
          for kind, exs in (("bad", rule.bad), ("good", rule.good)) for i, ex in enumerate(exs)]


@pytest.mark.parametrize("rule,kind,index,example", _CASES,
                         ids=[f"{r.id}-{k}{i}" for r, k, i, _ in _CASES])
def test_rule_example(rule, kind, index, example):
    ok, detail = run_example(rule, example, kind)
    assert ok, f"{rule.id} {kind}[{index}]: {detail}\n{example.text}"


def test_every_rule_has_two_bad_and_two_good_examples():
    for rule in load_rules():
        assert len(rule.bad) >= 2, rule.id
        assert len(rule.good) >= 2, rule.id


def test_every_rule_cites_law_and_article():
    for rule in load_rules():
        assert rule.basis, rule.id
        for b in rule.basis:
            assert b.law.startswith("《"), (rule.id, b)
            assert "第" in b.article or "（" in b.article, (rule.id, b)
