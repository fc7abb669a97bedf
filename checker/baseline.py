"""Baselines: record the known findings once, then report only new ones, whatever else in the file moved."""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ConfigError
from .normalize import normalize

BASELINE_VERSION = 1


def _key(rule_id: str, excerpt: str, section) -> tuple[str, str, str]:
    # offsets and block numbers change whenever anything above moves: leave them out
    norm = "".join(normalize(excerpt).text.split())
    return rule_id, norm, " › ".join(s.strip() for s in section)


def fingerprints(findings) -> list[str]:
    """One fingerprint per finding: rule ID + normalised excerpt + heading trail + the occurrence
    index among identical ones in the same file (so a second copy of a known clause is new)."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        key = _key(f.rule_id, f.excerpt, f.location.section)
        out.append(_digest(key, seen[key]))
        seen[key] += 1
    return out


def _digest(key: tuple[str, str, str], occurrence: int) -> str:
    raw = "\x1f".join((*key, str(occurrence)))
    # surrogatepass: a lone surrogate (broken file) must not crash; other text hashes as before
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _rel(path: str, root: Path) -> str:
    """File identity in a baseline: the path relative to the baseline's folder."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), root.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).resolve().as_posix()


@dataclass(frozen=True)
class Baseline:
    path: Path
    known: dict[str, frozenset[str]]  # file (relative to the baseline) → fingerprints

    def filter_result(self, result):
        """Keep only findings whose fingerprint the baseline does not hold."""
        known = self.known.get(_rel(result.path, self.path.parent))
        if not known or not result.findings:
            return result
        kept = tuple(f for f, fp in zip(result.findings, fingerprints(result.findings)) if fp not in known)
        return replace(result, findings=kept)


def build(results, baseline_path: str | Path) -> dict:
    """The baseline document for these results (written as JSON)."""
    root = Path(baseline_path).resolve().parent
    files = {}
    for r in results:
        if r.status != "ok" or not r.findings:
            continue
        files[_rel(r.path, root)] = [
            {"fingerprint": fp, "rule_id": f.rule_id, "excerpt": f.excerpt, "section": list(f.location.section)}
            for f, fp in zip(r.findings, fingerprints(r.findings))]
    return {"version": BASELINE_VERSION, "tool": "tender-check", "files": files}


def load(path: str | Path) -> Baseline:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: 基线文件不存在（用 tender-check baseline 生成）") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: 不是有效的基线文件：{exc}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(data.get("files"), dict):
        raise ConfigError(f"{path}: 不是 tender-check 基线文件（version 应为 {BASELINE_VERSION}）")
    known = {}
    for name, entries in data["files"].items():
        try:
            known[name] = frozenset(e["fingerprint"] for e in entries)
        except (TypeError, KeyError):
            raise ConfigError(f"{path}: files.{name}: 条目缺少 fingerprint") from None
    return Baseline(path.resolve(), known)
