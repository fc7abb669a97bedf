"""Sanity checks for the brand / manufacturer lexicon (checker/data/brands.yaml)."""
import re
from pathlib import Path

import pytest
import yaml

LEXICON = Path(__file__).resolve().parents[1] / "checker" / "data" / "brands.yaml"

ALLOWED_CATEGORIES = {
    "it_network", "office", "server_storage", "software_db", "security",
    "vehicles", "medical", "building", "hvac", "furniture",
    # optional categories
    "appliances", "av", "instruments", "power",
}
REQUIRED_CATEGORIES = {
    "it_network", "office", "server_storage", "software_db", "security",
    "vehicles", "medical", "building", "hvac", "furniture",
}

# Ordinary words that may only appear as aliases of entries marked ambiguous.
ORDINARY_WORDS = [
    "长城", "联想", "方正", "美的", "中兴", "浪潮", "大众", "东风",
    "金山", "曙光", "兄弟", "同方", "得力", "大华",
]

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def brands():
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("brands"), list)
    return data["brands"]


def _norm(alias):
    # Latin aliases compare case-insensitively; CJK is unaffected by casefold.
    return alias.strip().casefold()


def test_entry_count(brands):
    assert len(brands) >= 500


def test_entry_shape(brands):
    for e in brands:
        assert isinstance(e, dict), e
        assert set(e) >= {"name", "category", "aliases", "ambiguous"}, e
        assert isinstance(e["name"], str) and e["name"].strip(), e
        assert e["category"] in ALLOWED_CATEGORIES, e
        assert isinstance(e["aliases"], list) and e["aliases"], e
        for a in e["aliases"]:
            assert isinstance(a, str) and a.strip(), e
            assert a == a.strip(), e
        assert isinstance(e["ambiguous"], bool), e


def test_required_categories_present(brands):
    assert REQUIRED_CATEGORIES <= {e["category"] for e in brands}


def test_names_unique(brands):
    seen = {}
    for e in brands:
        key = _norm(e["name"])
        assert key not in seen, f"duplicate name {e['name']!r}"
        seen[key] = e


def test_no_alias_shared_between_entries(brands):
    owner = {}
    for e in brands:
        for a in {_norm(a) for a in e["aliases"]}:
            assert a not in owner, (
                f"alias {a!r} in both {owner[a]!r} and {e['name']!r}"
            )
            owner[a] = e["name"]


def test_ordinary_words_only_on_ambiguous_entries(brands):
    for e in brands:
        if e["ambiguous"]:
            continue
        for a in e["aliases"]:
            assert a not in ORDINARY_WORDS, (
                f"{e['name']!r}: ordinary word alias {a!r} on unambiguous entry"
            )
            if len(a) == 1 and CJK.match(a):
                pytest.fail(f"{e['name']!r}: single-character alias {a!r}")


def test_ordinary_words_that_are_present_are_ambiguous(brands):
    by_alias = {a: e for e in brands for a in e["aliases"]}
    for w in ORDINARY_WORDS:
        if w in by_alias:
            assert by_alias[w]["ambiguous"] is True, w
