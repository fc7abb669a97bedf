"""Every input the fuzzer (scripts/fuzz.py) ever crashed on now ends ok or with a one-line error."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.api import build_engine, scan_file

HERE = Path(__file__).parent / "fuzz_regressions"
CASES = sorted(p for p in HERE.iterdir() if p.is_file() and not p.name.endswith((".why", ".md"))) if HERE.is_dir() else []


@pytest.fixture(scope="module")
def engine():
    return build_engine()


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_fuzz_regression_ends_cleanly(case, engine):
    result = scan_file(str(case), engine)
    if result.status != "ok":
        assert result.error and "\n" not in result.error
        assert not result.error.startswith(("内部错误", "处理超时")), result.error


def test_regressions_are_kept():
    assert CASES, "tests/fuzz_regressions/ holds the fuzzer's past crashes"


PACKS = sorted((HERE / "rule-packs").glob("*.yaml")) if (HERE / "rule-packs").is_dir() else []


@pytest.mark.parametrize("case", PACKS, ids=[p.name for p in PACKS])
def test_fuzzed_rule_pack_loads_or_is_a_one_line_error(case, tmp_path):
    """Local rule packs the fuzzer (--rule-packs) once crashed or hung on."""
    import shutil

    from checker.api import Options, scan_text
    from checker.errors import RuleFileError
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(case, pack / "LOCAL-FUZZ-001.yaml")  # the fuzzer names its rule so
    try:
        engine = build_engine(Options(extra_rule_dirs=[pack]))
    except RuleFileError as exc:
        assert "\n" not in str(exc)
        return
    scan_text("# 资格要求\n投标人注册资本不少于1000万元。\n", engine=engine)
