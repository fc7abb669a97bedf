"""Compare two drafts: which findings were fixed (已修改), which are new (新增), which remain (仍存在).

Each side is a document (scanned here) or a JSON report written by ``scan --format json`` (taken as
it is: its findings are not re-filtered by this run's rule options). Findings are paired by content,
never by position (checker.fingerprint):

1. rule ID + normalised excerpt + heading trail, the n-th such finding in OLD with the n-th in NEW;
2. what is left, by rule ID + normalised excerpt alone (the clause stayed, its heading was renamed
   or it moved to another chapter), again in reading order.

Unpaired OLD findings are 已修改, unpaired NEW findings are 新增, pairs are 仍存在.
"""
from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .errors import CheckerError
from .fingerprint import finding_key, fingerprints, loose_key
from .model import Basis, Finding, Location

KINDS = ("fixed", "added", "remaining")
KIND_ZH = {"fixed": "已修改", "added": "新增", "remaining": "仍存在"}
KIND_NOTE = {"fixed": "旧稿中有、新稿中已没有", "added": "只在新稿中", "remaining": "两稿都有"}
REPORT_EXTENSIONS = (".json",)


class CompareError(CheckerError):
    """An input of `compare` that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Side:
    path: str
    source: str  # "document" | "report"
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    old: Finding | None
    new: Finding | None

    @property
    def finding(self) -> Finding:
        return self.new or self.old


@dataclass(frozen=True)
class Comparison:
    old: Side
    new: Side
    changes: tuple[Change, ...]

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, int]:
        return {k: len(self.of(k)) for k in KINDS}


# ---------------------------------------------------------------- inputs

def is_report(path: str | Path) -> bool:
    """A JSON report by extension; a file with an unknown extension whose content starts with '{'."""
    from .api import SCAN_EXTENSIONS

    p = Path(path)
    ext = p.suffix.lower()
    if ext in REPORT_EXTENSIONS:
        return True
    if ext in SCAN_EXTENSIONS:
        return False
    try:
        with open(p, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def load_report(path: str) -> Side:
    """The findings of a one-file JSON report written by ``scan --format json``."""
    not_report = f"{path}: 不是 tender-check 的 JSON 报告（应为 scan --format json 的输出）"
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise CompareError(f"{path}: 文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CompareError(f"{path}: 无法读取：{getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError:
        raise CompareError(not_report) from None
    if (not isinstance(data, dict) or not isinstance(data.get("tool"), dict)
            or data["tool"].get("name") != "tender-check" or not isinstance(data.get("files"), list)):
        raise CompareError(not_report)
    files = data["files"]
    if len(files) != 1:
        raise CompareError(f"{path}: 报告包含 {len(files)} 个文件；compare 需要只含一个文件的报告")
    entry = files[0]
    if not isinstance(entry, dict) or not isinstance(entry.get("findings"), list):
        raise CompareError(not_report)
    if entry.get("status") != "ok":
        raise CompareError(f"{path}: 报告中的文件 {entry.get('path')} 未能读取：{entry.get('error')}")
    try:
        found = tuple(_finding(f, str(entry.get("path") or path)) for f in entry["findings"])
    except (TypeError, KeyError, ValueError, AttributeError):
        raise CompareError(not_report) from None
    return Side(path, "report", found)


def _finding(d: dict, path: str) -> Finding:
    loc = d["location"]
    section = loc.get("section") or []
    if not isinstance(section, list) or not all(isinstance(s, str) for s in section):
        raise ValueError("section")
    if not isinstance(d["rule_id"], str) or not isinstance(d["excerpt"], str):
        raise ValueError("finding")
    location = Location(path, tuple(section), int(loc.get("block") or 0), str(loc.get("kind") or ""),
                        loc.get("page"), loc.get("table"), loc.get("row"), loc.get("col"),
                        int(loc.get("start") or 0), int(loc.get("end") or 0), loc.get("para"),
                        loc.get("ocr_confidence"))
    basis = tuple(Basis(str(b.get("law", "")), str(b.get("article", ""))) for b in d.get("basis") or ())
    return Finding(d["rule_id"], str(d.get("severity") or "warning"), str(d.get("title") or ""),
                   str(d.get("message") or ""), d["excerpt"], location, basis, str(d.get("fix") or ""),
                   status=str(d.get("status") or "stable"), regime=d.get("regime"),
                   also=tuple(d.get("also") or ()))


def load_document(path: str, engine, config=None) -> Side:
    from .api import scan_file

    result = scan_file(path, engine)
    if result.status != "ok":
        raise CompareError(f"{path}: 无法读取：{result.error}")
    if config is not None:
        result = config.filter_result(result)
    return Side(path, "document", result.findings)


def load_side(path: str, engine_factory, config=None) -> Side:
    """A report or a document; ``engine_factory`` builds the engine only when a document needs it."""
    if not Path(path).exists():
        raise CompareError(f"{path}: 文件不存在")
    if Path(path).is_dir():
        raise CompareError(f"{path}: 是目录；compare 需要两个文件（文档或 JSON 报告）")
    if is_report(path):
        return load_report(path)
    return load_document(path, engine_factory(), config)


# ---------------------------------------------------------------- pairing

def _pair(olds: list[int], news: list[int], old_f, new_f, key, pairs: dict[int, int]) -> None:
    by_key: dict = defaultdict(list)
    for j in news:
        by_key[key(new_f[j])].append(j)
    for i in olds:
        waiting = by_key.get(key(old_f[i]))
        if waiting:
            pairs[i] = waiting.pop(0)


def compare(old: Side, new: Side) -> Comparison:
    old_f, new_f = list(old.findings), list(new.findings)
    pairs: dict[int, int] = {}
    _pair(list(range(len(old_f))), list(range(len(new_f))), old_f, new_f, finding_key, pairs)
    left_old = [i for i in range(len(old_f)) if i not in pairs]
    taken = set(pairs.values())
    left_new = [j for j in range(len(new_f)) if j not in taken]
    _pair(left_old, left_new, old_f, new_f, loose_key, pairs)
    taken = set(pairs.values())
    changes = [Change("fixed", old_f[i], None) for i in range(len(old_f)) if i not in pairs]
    back = {j: i for i, j in pairs.items()}
    for j, f in enumerate(new_f):
        if j in back:
            changes.append(Change("remaining", old_f[back[j]], f))
        elif j not in taken:
            changes.append(Change("added", None, f))
    order = {k: n for n, k in enumerate(KINDS)}
    changes.sort(key=lambda c: order[c.kind])  # stable: reading order within each kind
    return Comparison(old, new, tuple(changes))


def fingerprints_of(cmp: Comparison) -> list[str]:
    """Each change's fingerprint (in ``cmp.changes`` order), taken in NEW where it is there, else in OLD."""
    fps = {}
    for side in (cmp.old, cmp.new):
        fps.update(zip(map(id, side.findings), fingerprints(side.findings)))
    return [fps.get(id(c.finding), "") for c in cmp.changes]


# ---------------------------------------------------------------- output

def render_text(cmp: Comparison) -> str:
    from .reporters import SEVERITY_ZH
    from .reporters.text import location_text, safe

    counts = cmp.counts()
    out = [f"比较：旧稿 {safe(cmp.old.path)} → 新稿 {safe(cmp.new.path)}", ""]
    for kind in KINDS:
        items = cmp.of(kind)
        out.append(f"{KIND_ZH[kind]} {len(items)} 项（{KIND_NOTE[kind]}）")
        if not items:
            out.append("  （无）")
        for c in items:
            f = c.finding
            out.append(f"  {f.rule_id} [{SEVERITY_ZH.get(f.severity, f.severity)}] {safe(f.message or f.title)}")
            out.append(f"    原文：{safe(f.excerpt)}")
            if c.old is not None:
                out.append(f"    旧稿位置：{location_text(c.old.location)}")
            if c.new is not None:
                out.append(f"    新稿位置：{location_text(c.new.location)}")
        out.append("")
    out.append(f"共 {sum(counts.values())} 项：" + "，".join(f"{KIND_ZH[k]} {counts[k]}" for k in KINDS))
    return "\n".join(out) + "\n"


def _where(f: Finding | None):
    if f is None:
        return None
    from .reporters.text import location_text

    return {"where": location_text(f.location), "location": f.location.as_json()}


def as_json(cmp: Comparison) -> dict:
    from .reporters.json import SCHEMA_VERSION, tool_info

    fps = dict(zip(map(id, cmp.changes), fingerprints_of(cmp)))
    out = {"version": SCHEMA_VERSION, "tool": tool_info(),
           "old": {"path": cmp.old.path, "source": cmp.old.source},
           "new": {"path": cmp.new.path, "source": cmp.new.source},
           "summary": cmp.counts()}
    for kind in KINDS:
        out[kind] = [{"kind": KIND_ZH[kind], "rule_id": c.finding.rule_id, "severity": c.finding.severity,
                      "title": c.finding.title, "message": c.finding.message, "excerpt": c.finding.excerpt,
                      "fingerprint": fps.get(id(c)), "old": _where(c.old), "new": _where(c.new)}
                     for c in cmp.of(kind)]
    return out


def render_json(cmp: Comparison) -> str:
    from .reporters.json import dumps

    return dumps(as_json(cmp))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CSS = """
:root { --err: #c62828; --warn: #b26a00; --info: #1565c0; --ink: #1f2328; --muted: #636c76;
  --line: #d0d7de; --paper: #fff; --wash: #f6f8fa; }
body { margin: 0; color: var(--ink); background: var(--wash); line-height: 1.75; font-size: 15px;
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.top { background: #24292f; color: #fff; padding: .8rem 1.5rem; }
.top h1 { font-size: 1.25rem; margin: 0; }
.top .meta { color: #c9d1d9; font-size: .85rem; word-break: break-all; }
main { padding: 1rem 1.5rem 3rem; max-width: 1200px; margin: 0 auto; }
section.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
  margin-bottom: 1.5rem; padding: 1rem 1.25rem; }
section.panel h2 { margin: 0 0 .6rem; font-size: 1.15rem; }
ol.cmp { list-style: none; margin: 0; padding: 0; }
li.fi { border-left: 3px solid var(--line); padding: .25rem .6rem; margin: .4rem 0; }
li.fi.s-error { border-color: var(--err); } li.fi.s-warning { border-color: var(--warn); }
li.fi.s-info { border-color: var(--info); }
.rid { font-weight: 700; font-size: .85rem; }
.ex, .loc { color: var(--muted); font-size: .9rem; }
.empty { color: var(--muted); }
"""


def _e(value) -> str:
    s = "" if value is None else str(value)
    return html.escape(_CONTROL.sub("\ufffd", s))


def render_html(cmp: Comparison) -> str:
    from . import __version__
    from .reporters import SEVERITY_ZH
    from .reporters.text import location_text

    counts = cmp.counts()
    parts = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
             f'<meta name="generator" content="tender-check {_e(__version__)}">',
             f"<title>两稿比较：{_e(Path(cmp.new.path).name)}</title>\n<style>{_CSS}</style>\n</head>\n<body>",
             '<header class="top"><h1>两稿比较</h1>',
             f'<div class="meta">旧稿 {_e(cmp.old.path)} → 新稿 {_e(cmp.new.path)}；'
             + "，".join(f"{KIND_ZH[k]} {counts[k]}" for k in KINDS) + "</div></header>\n<main>"]
    for kind in KINDS:
        items = cmp.of(kind)
        parts.append(f'<section class="panel" id="{kind}"><h2>{KIND_ZH[kind]} <span class="n">{len(items)}</span>'
                     f' 项（{KIND_NOTE[kind]}）</h2>')
        if not items:
            parts.append('<p class="empty">（无）</p></section>')
            continue
        parts.append('<ol class="cmp">')
        for c in items:
            f = c.finding
            sev = f.severity if f.severity in SEVERITY_ZH else "info"
            locs = []
            if c.old is not None:
                locs.append(f'<div class="loc">旧稿位置：{_e(location_text(c.old.location))}</div>')
            if c.new is not None:
                locs.append(f'<div class="loc">新稿位置：{_e(location_text(c.new.location))}</div>')
            parts.append(f'<li class="fi s-{sev}"><span class="rid">{_e(f.rule_id)}</span> '
                         f'[{_e(SEVERITY_ZH.get(f.severity, f.severity))}] {_e(f.message or f.title)}'
                         f'<div class="ex">原文：{_e(f.excerpt)}</div>{"".join(locs)}</li>')
        parts.append("</ol></section>")
    parts.append("</main>\n</body>\n</html>\n")
    return "\n".join(parts)


RENDERERS = {"text": render_text, "json": render_json, "html": render_html}
