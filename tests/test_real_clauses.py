"""Reviewer-labelled clauses from ../shared/real-corpus/clauses.tsv: every violation candidate gets an
EXC finding, no compliant clause gets one; needs-review clauses are only reported (-s shows them).

Each clause is checked inside a small Markdown document with a heading chosen from the clause's own
wording, because the rules read section context: a clause that awards points (得…分) goes under
"# 评分标准", one about staff (年龄, 人员, 保洁员) under "# 人员要求", one about brands or drawings under
"# 技术要求", and any other under "# 资格要求". Facts are those the snippet yields (regime unknown, so the
政府采购 rules apply), which is what a reviewer would apply to a clause read on its own.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from checker.api import scan_text
from checker.rules import load_rules, select_rules

CLAUSES = Path(__file__).resolve().parent.parent.parent / "shared" / "real-corpus" / "clauses.tsv"


def _heading(text: str) -> str:
    if re.search(r"得\s*\d|分值|评分|评审|基准价", text):
        return "评分标准"
    if re.search(r"年龄|人员|保洁员|岗位", text):
        return "人员要求"
    if re.search(r"品牌|图纸|参数", text):
        return "技术要求"
    return "资格要求"


def _rows():
    if not CLAUSES.exists():
        return []
    with CLAUSES.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


ROWS = _rows()


@pytest.fixture(scope="module")
def engine():
    from checker.engine import Engine

    return Engine(select_rules(load_rules(), ["EXC", "ENG"]))


def _exc_findings(engine, clause: str):
    doc = f"# {_heading(clause)}\n{clause}\n"
    return [f for f in scan_text(doc, engine=engine) if f.rule_id.startswith(("EXC-", "ENG-"))]


def _label(row) -> str:
    return row["ruling_label"].split(":", 1)[0].strip()


@pytest.mark.skipif(not CLAUSES.exists(), reason=f"{CLAUSES} 不存在（../shared/real-corpus 不在此环境中）")
@pytest.mark.parametrize("row", [r for r in ROWS if _label(r) == "violation-candidate"],
                         ids=lambda r: r["source"].split("local docs/")[-1][:24])
def test_violation_candidate_is_flagged(engine, row):
    found = _exc_findings(engine, row["clause_text"])
    assert found, f"未报告：{row['clause_text']}（{row['ruling_label']}）"


@pytest.mark.skipif(not CLAUSES.exists(), reason=f"{CLAUSES} 不存在（../shared/real-corpus 不在此环境中）")
@pytest.mark.parametrize("row", [r for r in ROWS if _label(r).startswith("compliant")],
                         ids=lambda r: r["source"].split("local docs/")[-1][:24])
def test_compliant_clause_is_silent(engine, row):
    found = _exc_findings(engine, row["clause_text"])
    assert not found, f"误报 {[(f.rule_id, f.excerpt) for f in found]}：{row['clause_text']}"


@pytest.mark.skipif(not CLAUSES.exists(), reason=f"{CLAUSES} 不存在（../shared/real-corpus 不在此环境中）")
def test_needs_review_clauses_are_reported(engine, capsys):
    rows = [r for r in ROWS if _label(r) == "needs-review"]
    assert rows
    with capsys.disabled():
        for r in rows:
            found = _exc_findings(engine, r["clause_text"])
            print(f"\n[needs-review] {r['clause_text'][:40]} → {[f.rule_id for f in found] or '无'}")
