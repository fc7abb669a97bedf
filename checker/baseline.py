"""Baselines: record the known findings once, then report only new ones, whatever else in the file moved.

A baseline maps each file (its path relative to the baseline's folder) to the fingerprints of its
findings (checker.fingerprint: rule ID + normalised excerpt + heading trail + ordinal; no path, no
offsets). A scanned file is matched to its baseline entry by path first. When its path is not in the
baseline (a renamed draft, a copy saved under another name or in another folder), it is matched by
content instead: the baseline file sharing the most fingerprints with it (ties: the first name in
sorted order), if it shares any. Only that one entry is applied, so a known clause stays known in
the renamed copy while a clause known only in some other file is still reported; a file sharing no
fingerprint with any entry is reported in full. Files that had no findings are recorded with an
empty list, so a clause later pasted into one of them is reported rather than matched elsewhere.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ConfigError
from .fingerprint import fingerprints

BASELINE_VERSION = 1

__all__ = ["BASELINE_VERSION", "Baseline", "best_entry", "build", "fingerprints", "load"]


def _rel(path: str, root: Path) -> str:
    """File identity in a baseline: the path relative to the baseline's folder."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), root.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).resolve().as_posix()


def best_entry(known: dict[str, frozenset[str]], fps) -> str | None:
    """The entry sharing the most fingerprints with ``fps`` (ties: the first name in sorted order),
    or None when none shares any. Also used for reviewer decisions (checker.decisions)."""
    current = set(fps)
    best, best_n = None, 0
    for name in sorted(known):
        n = len(current & known[name])
        if n > best_n:
            best, best_n = name, n
    return best


@dataclass(frozen=True)
class Baseline:
    path: Path
    known: dict[str, frozenset[str]]  # file (relative to the baseline) → fingerprints

    def entry_for(self, path: str, fps) -> frozenset[str]:
        """The known fingerprints for a scanned file: its own entry by path, else the entry that
        shares the most fingerprints with it (a renamed or copied draft), else none."""
        own = self.known.get(_rel(path, self.path.parent))
        if own is not None:
            return own
        name = best_entry(self.known, fps)
        return self.known[name] if name is not None else frozenset()

    def filter_result(self, result):
        """Keep only findings whose fingerprint the baseline does not hold."""
        if not result.findings or not self.known:
            return result
        fps = fingerprints(result.findings)
        known = self.entry_for(result.path, fps)
        if not known:
            return result
        kept = tuple(f for f, fp in zip(result.findings, fps) if fp not in known)
        return replace(result, findings=kept)


def build(results, baseline_path: str | Path) -> dict:
    """The baseline document for these results (written as JSON)."""
    root = Path(baseline_path).resolve().parent
    files = {}
    for r in results:
        if r.status != "ok":
            continue
        # a clean file is recorded too (no fingerprints), so it is never matched by content to another entry
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
