"""tender-check: compliance checks for Chinese government-procurement and tender documents."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "scan", "scan_text", "Options"]


def __getattr__(name):
    # Lazy: `tender-check --version` must not import the readers, spaCy or the engine.
    if name in ("scan", "scan_text", "Options", "scan_file", "build_engine"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
