"""YAML reading through libyaml's C parser when PyYAML was built with it (about 10x faster than pure Python)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

# Same safe subset either way; only the speed differs. Rule files and the brand lexicon are read at
# every start of the engine (and in every worker), so the parser is most of the engine's build time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def safe_load(text: str):
    """``yaml.safe_load`` with the C loader when available."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a SafeLoader


def load_file(path: str | Path):
    """Parse a YAML file, reusing the result while the file is unchanged (a `like` rule reads the
    files of the rules it borrows from, which load_rules has already parsed). The value is shared:
    callers must not modify it."""
    p = Path(path).resolve()
    st = p.stat()
    return _load_cached(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=512)
def _load_cached(path: str, mtime_ns: int, size: int):
    return safe_load(Path(path).read_text(encoding="utf-8"))
