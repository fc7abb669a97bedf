"""How the label evaluation ties findings to labelled quotes (checker.label_eval)."""
from __future__ import annotations

from checker.label_eval import _quote_rows
from checker.model import Finding, Location

CELL = ("提供2023年以来同类服务合同，在此前提下评分：合同履约地为项目所在地的，每份得4分，满分8分；"
        "合同涉及连锁门店的，每份得2分。")


def _finding(excerpt: str) -> Finding:
    start = CELL.index(excerpt)
    loc = Location("<t>", (), 0, "cell", None, 0, 0, 0, start, start + len(excerpt))
    return Finding("EXC-REGION-002", "error", "", "", excerpt, loc, (), "", context=CELL)


LABEL = {"violations": [{"quote": "合同履约地为项目所在地的，每份得4分", "rule": "EXC-REGION-002"}],
         "traps": [{"quote": "提供2023年以来同类服务合同", "looks_like": "EXC-PERF-001"}]}


def test_a_finding_on_the_violation_does_not_hit_a_trap_in_its_sentence():
    rows, used = _quote_rows(LABEL, (_finding("合同履约地为项目所在地的，每份得4分"),))
    kinds = {r.kind: r.found_by for r in rows}
    assert kinds["violation"] == ("EXC-REGION-002",) and kinds["trap"] == ()


def test_a_finding_whose_excerpt_is_the_trap_hits_it():
    rows, _ = _quote_rows(LABEL, (_finding("提供2023年以来同类服务合同"),))
    assert {r.kind: r.found_by for r in rows}["trap"] == ("EXC-REGION-002",)


def test_a_finding_on_no_violation_hits_the_trap_it_shares_a_sentence_with():
    label = {"violations": [], "traps": LABEL["traps"]}
    rows, _ = _quote_rows(label, (_finding("合同履约地为项目所在地的，每份得4分"),))
    assert rows[0].found_by == ("EXC-REGION-002",)
