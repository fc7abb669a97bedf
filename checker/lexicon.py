"""Named term lists for `phrase` checks (the brand lexicon, data/brands.yaml)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .normalize import normalize
from .yamlio import safe_load

DATA = Path(__file__).resolve().parent / "data"
# A model number right after a brand: "LaserJet Pro M404dn", "DS-2CD3T46", "RG-S5750".
# A bare number after a space ("ARM 2)LoongArch") is list numbering, not a model.
MODEL_SHAPE = re.compile(r"^(?!\s+\d)\s?(?:[A-Za-z]{1,12}[\s-]?){0,3}[A-Za-z]*\d+[A-Za-z0-9-]*")


@lru_cache(maxsize=None)
def _load(name: str) -> dict[str, dict]:
    path = DATA / f"{name}.yaml"
    if not path.exists():
        raise KeyError(name)
    data = safe_load(path.read_text(encoding="utf-8")) or {}
    info: dict[str, dict] = {}
    for entry in data.get("brands", data.get("terms", [])):
        for alias in entry.get("aliases") or [entry["name"]]:
            key = normalize(str(alias)).text
            if key:
                ambiguous = bool(entry.get("ambiguous", False)) or alias in (entry.get("ambiguous_aliases") or ())
                info[key] = {"brand": entry["name"], "category": entry.get("category", ""),
                             "ambiguous": ambiguous}
    return info


def lexicon_terms(name: str) -> list[str]:
    return list(_load(name))


def lexicon_info(term: str) -> dict:
    for name in ("brands",):
        try:
            info = _load(name)
        except KeyError:
            continue
        if term in info:
            return info[term]
    return {}
