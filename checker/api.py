"""The library API the CLI is a thin layer over: scan files and folders into a Report."""
from __future__ import annotations

import fnmatch
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .checklist import base_states
from .engine import Engine
from .errors import CheckerError, InputError
from .facts import extract_facts
from .model import FileResult, Report
from .rules import load_rules, select_rules

SCAN_EXTENSIONS = (".docx", ".docm", ".pdf", ".doc", ".wps", ".txt", ".md")
_TEMP_PATTERNS = ("~$*", ".~lock.*", "~*.tmp", ".*")


@dataclass
class Options:
    """What a scan runs: rule folders, selection, local switches."""

    rule_dirs: list[Path] | None = None
    extra_rule_dirs: list[Path] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    switches: frozenset[str] = frozenset()
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    keep_document: bool = False
    follow_links: bool = False  # follow symlinks that lead out of a scanned folder
    # rule ID prefix → severity (from configuration); the longest matching prefix wins
    severity: dict[str, str] = field(default_factory=dict)


def build_engine(options: Options | None = None) -> Engine:
    options = options or Options()
    rules = load_rules(options.rule_dirs)
    if options.extra_rule_dirs:
        rules = rules + load_rules(options.extra_rule_dirs, base=rules)
        ids = [r.id for r in rules]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            from .errors import RuleFileError

            raise RuleFileError(str(options.extra_rule_dirs[0]), "id", f"与内置规则 ID 重复：{', '.join(sorted(dup))}")
    rules = select_rules(rules, options.select, options.ignore)
    if options.severity:
        rules = [_with_severity(r, options.severity) for r in rules]
    return Engine(rules, options.switches)


def _with_severity(rule, overrides: dict[str, str]):
    import dataclasses

    hits = [p for p in overrides if rule.id == p or rule.id.startswith(p.rstrip("-") + "-")]
    if not hits:
        return rule
    return dataclasses.replace(rule, severity=overrides[max(hits, key=len)])


def iter_inputs(paths: Iterable[str | Path], include=(), exclude=(), on_skip=None,
                follow_links: bool = False) -> Iterator[str]:
    """Files to scan, in a stable order: named files as given, folders walked recursively
    (supported extensions only, skipping Office lock/temp files and hidden files).

    In a folder, what is not a regular file (a FIFO, a device, a socket, a dangling link) and a symlink
    that leads out of the folder (unless ``follow_links``) are passed over, each told to ``on_skip(path,
    why)``; a subfolder that cannot be read is yielded itself, so it is reported as unreadable."""
    skip = on_skip or (lambda path, why: None)
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = []
            unreadable = []
            top = os.path.realpath(p)
            for root, dirs, files in os.walk(p, onerror=lambda err: unreadable.append(err.filename or str(p))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if any(fnmatch.fnmatch(name, pat) for pat in _TEMP_PATTERNS):
                        continue
                    if not name.lower().endswith(SCAN_EXTENSIONS):
                        continue
                    full = os.path.join(root, name)
                    rel = os.path.relpath(full, p)
                    if include and not any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in include):
                        continue
                    if exclude and any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in exclude):
                        continue
                    why = _not_scannable(full, top, follow_links)
                    if why:
                        skip(full, why)
                        continue
                    found.append(full)
            yield from sorted(found + unreadable)
        else:
            yield str(p)


def _not_scannable(path: str, top: str, follow_links: bool) -> str | None:
    """Why a file met in a folder is passed over, or None to scan it."""
    import stat

    try:
        st = os.stat(path)
    except OSError as exc:
        return f"无法访问（{exc.strerror or exc}），已跳过"
    if not stat.S_ISREG(st.st_mode):
        return "不是普通文件（管道、设备或套接字），已跳过"
    if os.path.islink(path) and not follow_links:
        real = os.path.realpath(path)
        if os.path.commonpath([real, top]) != top:
            return "是指向被检查目录之外的符号链接，未跟随（需要时用 --follow-symlinks）"
    return None


def scan_file(path: str, engine: Engine, keep_document: bool = False) -> FileResult:
    """Read, extract facts and check one file. Never raises for a bad input: the error is the result."""
    from .ingest import read

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    try:
        doc = read(path)
        t1 = time.perf_counter()
        facts = extract_facts(doc)
        t2 = time.perf_counter()
        findings = engine.check(doc, facts)
        t3 = time.perf_counter()
    except InputError as exc:
        return FileResult(path, "error", exc.problem)
    except CheckerError as exc:
        return FileResult(path, "error", str(exc))
    except RecursionError:
        return FileResult(path, "error", "文档结构嵌套过深，无法解析")
    except MemoryError:
        return FileResult(path, "error", "文档过大，内存不足")
    except Exception as exc:  # a reader bug must not stop a batch; report it on this file
        return FileResult(path, "error", f"内部错误（请报告此文件）：{type(exc).__name__}: {exc}")
    timings.update(read=t1 - t0, facts=t2 - t1, rules=t3 - t2)
    return FileResult(path, "ok", None, facts.as_json(), tuple(findings),
                      doc if keep_document else None, timings, base_states(engine, facts))


def scan(paths, options: Options | None = None, engine: Engine | None = None) -> Report:
    """Scan files and folders: ``checker.scan(["tender.docx"]).findings``."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    options = options or Options()
    engine = engine or build_engine(options)
    results = [scan_file(p, engine, options.keep_document)
               for p in iter_inputs(paths, options.include, options.exclude)]
    return Report(tuple(results))


def scan_text(text: str, options: Options | None = None, engine: Engine | None = None,
              facts_overrides: dict | None = None):
    """Check a piece of text (Markdown-style: '#' headings, '|' tables). Returns the findings."""
    from .ingest.text import parse_text

    engine = engine or build_engine(options)
    doc = parse_text(text, "<text>", "md")
    facts = extract_facts(doc)
    if facts_overrides:
        facts = facts.with_overrides(facts_overrides)
    return engine.check(doc, facts)
