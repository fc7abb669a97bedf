"""Every real tender document in ../shared/real-corpus reads, or fails with a clear one-line error; nothing raises."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.api import SCAN_EXTENSIONS, build_engine, scan_file

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-corpus"
FILES = sorted(p for p in REAL.iterdir() if p.suffix.lower() in SCAN_EXTENSIONS and p.name != "README.md") \
    if REAL.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/real-corpus is not present")


@pytest.fixture(scope="module")
def engine():
    return build_engine()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_real_document_scans_or_fails_clearly(path, engine):
    result = scan_file(str(path), engine)
    if result.status == "ok":
        assert result.facts is not None
        for f in result.findings:
            assert f.excerpt and f.rule_id
        return
    assert result.status == "error"
    assert result.error and "\n" not in result.error.strip()
    assert not result.error.startswith("内部错误"), f"{path.name}: reader bug: {result.error}"
