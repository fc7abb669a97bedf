"""The D01–D22 coverage table (rules/regulator_coverage.yaml) is complete, names only existing rules,
and is what scripts/coverage_table.py generates; when the real corpus is present, its D-items match."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checker.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "rules" / "regulator_coverage.yaml"
TSV = ROOT.parent / "shared" / "real-corpus" / "regulator_patterns_mof2025_annex9.tsv"
EXPECTED = [f"D{i:02d}" for i in range(1, 23)]


@pytest.fixture(scope="module")
def table():
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def test_every_d_item_is_covered_or_explained(table):
    items = {it["id"]: it for it in table["items"]}
    assert sorted(items) == EXPECTED
    for did, it in items.items():
        assert it["label_zh"] and it["label_en"], did
        if "not_text_detectable" in it:
            assert len(it["not_text_detectable"]) > 10, did
            assert "rules" not in it, did
        else:
            assert it["rules"], did


def test_every_rule_in_the_table_exists(table):
    ids = {r.id for r in load_rules()}
    for it in table["items"]:
        for r in it.get("rules", []):
            assert r["id"] in ids, (it["id"], r["id"])


def test_most_items_are_detected(table):
    detected = [it for it in table["items"] if "rules" in it]
    assert len(detected) >= 19


def test_table_is_up_to_date():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "coverage_table.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_d_items_match_the_regulator_list(table):
    if not TSV.exists():
        pytest.skip(f"{TSV} 不存在（../shared 不在此环境中）")
    with TSV.open(encoding="utf-8") as fh:
        ids = [row["rule_id"] for row in csv.DictReader(fh, delimiter="\t")]
    assert sorted(ids) == sorted(it["id"] for it in table["items"])
