"""Shared fixtures: the bundled rules, an engine, and paths to test data."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_CORPUS = ROOT.parent / "shared" / "real-corpus"


@pytest.fixture(scope="session")
def rules():
    from checker.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def engine(rules):
    from checker.engine import Engine

    return Engine(rules)


@pytest.fixture
def scan_md(engine):
    """Check a Markdown-style snippet with every bundled rule; returns the findings."""
    from checker.api import scan_text

    def run(text: str, **facts):
        return scan_text(text, engine=engine, facts_overrides=facts or None)

    return run


@pytest.fixture(scope="session")
def web_checker(tmp_path_factory):
    """The web app's checker (a warm engine), shared by the web tests; each test gives it its own store."""
    pytest.importorskip("starlette")
    pytest.importorskip("multipart")
    from tests.webapp import warm_checker

    return warm_checker(tmp_path_factory.mktemp("web"))
