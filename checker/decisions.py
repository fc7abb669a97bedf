"""Reviewer decisions: 采纳 / 误报 / 待核 and a note per finding, kept from one scan to the next.

A decisions file is what the HTML report's 导出判断 button downloads::

    {"version": 1, "decisions": [{"fingerprint": "…", "rule_id": "…", "excerpt": "…",
                                  "decision": "accepted" | "false_alarm" | "pending", "note": "…",
                                  "file": "招标文件.docx"}]}

``file`` (optional, the document's name in that report) only groups the decisions by document; it is
never compared with the path of a later scan. Findings are matched by fingerprint
(checker.fingerprint: rule ID + normalised excerpt + heading trail + ordinal; no path, no offsets),
and a scanned file takes the decisions of the document sharing the most fingerprints with it, the
way a baseline matches a renamed file (checker.baseline.best_entry). So a renamed or copied draft
keeps its decisions, and a decision made on one document is not applied to an unrelated one just
because both contain the same boilerplate clause elsewhere.

Applied to a result, 误报 findings are removed (and kept in ``FileResult.hidden`` so they are
counted: "另有 N 项已判定为误报，未列出"); 采纳 and 待核 findings carry ``decision`` and ``note``.
The checklist and verdict are computed from the findings held, so an item whose only findings were
false alarms is 通过 again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from .baseline import best_entry
from .errors import ConfigError
from .fingerprint import fingerprints

DECISIONS_VERSION = 1
ACCEPTED, FALSE_ALARM, PENDING = "accepted", "false_alarm", "pending"
DECISION_ZH = {ACCEPTED: "采纳", FALSE_ALARM: "误报", PENDING: "待核"}

__all__ = ["ACCEPTED", "DECISION_ZH", "DECISIONS_VERSION", "Decision", "Decisions", "FALSE_ALARM",
           "PENDING", "load", "parse"]


@dataclass(frozen=True)
class Decision:
    fingerprint: str
    decision: str
    note: str = ""
    rule_id: str = ""
    excerpt: str = ""

    def as_json(self, file: str | None = None) -> dict:
        out = {"fingerprint": self.fingerprint, "rule_id": self.rule_id, "excerpt": self.excerpt,
               "decision": self.decision, "note": self.note}
        if file is not None:
            out["file"] = file
        return out


@dataclass(frozen=True)
class Decisions:
    path: Path | None
    groups: dict[str, dict[str, Decision]]  # document (as named in the file, "" if not) → fingerprint → decision

    def __len__(self) -> int:
        return sum(len(g) for g in self.groups.values())

    def entry_for(self, fps) -> dict[str, Decision]:
        """The decisions for a scanned file: those of the document sharing the most fingerprints."""
        name = best_entry({n: frozenset(g) for n, g in self.groups.items()}, fps)
        return self.groups[name] if name is not None else {}

    def apply(self, result):
        """The result with false alarms removed (kept in ``hidden``) and the other decisions attached.
        Every finding kept carries its fingerprint, so reports made from it name findings exactly as
        the report the decisions were made in did (an ordinal does not shift when a false alarm goes)."""
        if result.status != "ok":
            return result
        fps = fingerprints(result.findings)
        chosen = self.entry_for(fps) if fps else {}
        kept, hidden = [], []
        for f, fp in zip(result.findings, fps):
            d = chosen.get(fp)
            if d is None:
                kept.append(replace(f, fingerprint=fp))
                continue
            f = replace(f, fingerprint=fp, decision=d.decision, note=d.note or None)
            (hidden if d.decision == FALSE_ALARM else kept).append(f)
        return replace(result, findings=tuple(kept), hidden=tuple(hidden))


def _fail(path, problem: str) -> ConfigError:
    return ConfigError(f"判断文件 {path} {problem}（应为报告中“导出判断”下载的 JSON 文件）")


def parse(data, path="（未命名）") -> Decisions:
    """Check a decisions document and index it; a bad one raises ConfigError naming the file."""
    if not isinstance(data, dict) or data.get("version") != DECISIONS_VERSION:
        raise _fail(path, f"不是 tender-check 判断文件：version 应为 {DECISIONS_VERSION}")
    entries = data.get("decisions")
    if not isinstance(entries, list):
        raise _fail(path, "缺少 decisions 列表")
    groups: dict[str, dict[str, Decision]] = {}
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict):
            raise _fail(path, f"第 {i} 条判断不是对象")
        fp, decision, note = e.get("fingerprint"), e.get("decision"), e.get("note")
        if not isinstance(fp, str) or not fp.strip():
            raise _fail(path, f"第 {i} 条判断缺少 fingerprint")
        if decision not in DECISION_ZH:
            raise _fail(path, f"第 {i} 条判断的 decision 为 {decision!r}，应为 accepted、false_alarm 或 pending")
        if note is not None and not isinstance(note, str):
            raise _fail(path, f"第 {i} 条判断的 note 应为文字")
        file = e.get("file")
        groups.setdefault(file if isinstance(file, str) else "", {})[fp.strip()] = Decision(
            fp.strip(), decision, (note or "").strip(), str(e.get("rule_id") or ""), str(e.get("excerpt") or ""))
    return Decisions(Path(path) if path else None, groups)


def load(path: str | Path) -> Decisions:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise _fail(path, "不存在") from None
    except IsADirectoryError:
        raise _fail(path, "是目录") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"无法读取：{exc.__class__.__name__}") from None
    except json.JSONDecodeError as exc:
        raise _fail(path, f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列") from None
    return parse(data, path)
