"""SARIF 2.1.0 for code-scanning tools.

Region scheme (documents have no source lines): a document is read as its blocks in reading order,
one block per line, so ``region.startLine`` is the block number + 1 (a paragraph, heading or table
cell), ``startColumn``/``endColumn`` are the excerpt's character positions in that block's text + 1
(``run.columnKind`` is ``unicodeCodePoints``), and ``snippet.text`` is the excerpt. The page (PDF),
table/row/column and heading trail go in the result's properties; the heading trail is also the
logical location.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from .. import __version__
from .json import dumps
from ..fingerprint import fingerprints

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    p = Path(path)
    try:
        if p.is_absolute():
            return p.as_uri()
        # surrogateescape gives back the original bytes of a file name that is not valid UTF-8
        return quote(p.as_posix(), safe="/", errors="surrogateescape")
    except (UnicodeEncodeError, ValueError):  # a lone surrogate that stands for no byte
        uri = quote(p.as_posix(), safe="/", errors="replace")
        return "file://" + uri if p.is_absolute() else uri


def _rule_descriptor(rule) -> dict:
    basis = [str(b) for b in rule.basis]
    help_text = rule.fix + ("\n依据：" + "；".join(basis) if basis else "")
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"family": rule.family, "group": rule.group, "severity": rule.severity,
                       "status": rule.status, "basis": basis, "tags": [rule.family, rule.status]},
    }


def _finding_descriptor(f) -> dict:
    """When the rule object is not at hand (e.g. results read back from JSON), describe from a finding."""
    basis = [str(b) for b in f.basis]
    return {
        "id": f.rule_id, "name": f.rule_id,
        "shortDescription": {"text": f.title}, "fullDescription": {"text": f.title},
        "help": {"text": f.fix + ("\n依据：" + "；".join(basis) if basis else "")},
        "defaultConfiguration": {"level": LEVELS.get(f.severity, "warning")},
        "properties": {"family": f.rule_id.split("-", 1)[0], "severity": f.severity, "status": f.status,
                       "basis": basis, "tags": [f.rule_id.split("-", 1)[0], f.status]},
    }


def _result(f, rule_index: int, fingerprint: str) -> dict:
    loc = f.location
    physical = {
        "artifactLocation": {"uri": artifact_uri(loc.path)},
        "region": {"startLine": loc.block + 1, "startColumn": loc.start + 1,
                   "endColumn": max(loc.end, loc.start) + 1, "snippet": {"text": f.excerpt}},
    }
    location: dict = {"physicalLocation": physical}
    if loc.section:
        location["logicalLocations"] = [{
            "name": loc.section[-1], "fullyQualifiedName": " › ".join(loc.section), "kind": "section"}]
    return {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {"tenderCheck/v1": fingerprint},
        "properties": {"where": loc.describe(), "section": list(loc.section), "page": loc.page,
                       "table": loc.table, "row": loc.row, "col": loc.col, "status": f.status},
    }


def as_dict(report, rules=None) -> dict:
    descriptors: list[dict] = [_rule_descriptor(r) for r in (rules or ())]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results, notes = [], []
    for r in report.files:
        if r.status != "ok":
            notes.append({"level": "error", "message": {"text": f"无法读取：{r.error}"},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(r.path)}}}]})
            continue
        for f, fp in zip(r.findings, fingerprints(r.findings)):
            if f.rule_id not in index:
                index[f.rule_id] = len(descriptors)
                descriptors.append(_finding_descriptor(f))
            results.append(_result(f, index[f.rule_id], fp))
    run = {
        "tool": {"driver": {"name": "tender-check", "version": __version__,
                            "rules": descriptors}},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notes}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report, rules=None, **_options) -> str:
    return dumps(as_dict(report, rules))
