"""Helpers for the web app tests: one warm checker per module, each client on a fresh data folder."""
from __future__ import annotations

import copy
import io
import warnings
from pathlib import Path

from tests.docbuild import SAMPLE, make_docx


def client(tmp_path: Path, checker, raise_server_exceptions: bool = True, **settings):
    """A TestClient on an app with its own data folder; ``checker``'s warm engine is reused."""
    from checker.web import Settings, create_app
    from checker.web.store import Store

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note that it prefers httpx2
        from starlette.testclient import TestClient
    own = copy.copy(checker)
    own.store = Store(tmp_path / "data")
    app = create_app(Settings(tmp_path / "data", **settings), own)
    host = settings.get("host", "127.0.0.1")
    return TestClient(app, base_url=f"http://{'192.0.2.10' if host == '0.0.0.0' else host}:8765",
                      raise_server_exceptions=raise_server_exceptions)


def warm_checker(tmp_path: Path):
    from checker.web.service import Checker
    from checker.web.store import Store

    return Checker(Store(tmp_path / "unused"))


def docx_bytes(tmp_path: Path, parts=SAMPLE, name: str = "draft.docx") -> bytes:
    return make_docx(tmp_path / name, parts).read_bytes()


def upload(c, *files, project: str = ""):
    """POST /api/checks with (name, bytes) pairs."""
    return c.post("/api/checks", files=[("file", (n, io.BytesIO(b))) for n, b in files], data={"project": project})


def only(response) -> dict:
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 1
    return results[0]
