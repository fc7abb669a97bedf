"""`tender-check serve`: a local web page for reviewers over the library API.

A Starlette application (served by uvicorn): upload drafts, read the HTML report, save decisions in
SQLite under the data folder, see the history and compare a draft with the project's previous one.
Starlette is imported only here, so the rest of the package runs without the ``web`` extra.
"""
from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
