"""Scores scans of real documents against a reviewer's labels (one YAML file per document, ``<file>.yaml``).

The labels' own README defines the matching: a finding meets a labelled quote when, after removing all
whitespace, its excerpt or the sentence around it shares at least 6 consecutive characters with the quote
(or contains the quote whole when the quote is shorter). Violations count by confidence and with any
severity; traps and regime-dependent clauses count only when an error or warning lands on them. Facts are
compared field by field (price weight within 0.5). Findings that meet no label are listed for reading.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import FileResult, Finding
from .yamlio import load_file

GRAM = 6
CONFIDENCES = ("high", "medium", "low")
LOUD = ("error", "warning")


def squash(text: str) -> str:
    """Whitespace removed and width folded (full-width digits, letters and punctuation to half-width)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def shares(quote: str, text: str) -> bool:
    q, t = squash(quote), squash(text)
    if not q or not t:
        return False
    if len(q) < GRAM:
        return q in t
    grams = {t[i:i + GRAM] for i in range(len(t) - GRAM + 1)}
    return any(q[i:i + GRAM] in grams for i in range(len(q) - GRAM + 1))


def meets(f: Finding, quote: str) -> bool:
    return shares(quote, f.excerpt) or shares(quote, f.sentence)


# ---------------------------------------------------------------- labels -> comparable facts

_REGIMES = (("政府采购", "gp"), ("依法必须", "eng-must"), ("非依法必须", "eng-other"), ("military", "military"),
            ("enterprise", "enterprise"))
_ATTRS = {"货物": "goods", "服务": "services", "工程": "works"}


def label_regime(raw: str | None) -> str | None:
    found = None
    for word, value in _REGIMES:
        if raw and word in raw:
            found = value  # 非依法必须 is checked after 依法必须, so it wins
    return found


def _head(raw: Any) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    return re.split(r"[\s(（,，;；]", raw.strip(), maxsplit=1)[0] or None


def label_facts(label: dict) -> dict[str, Any]:
    """The label's facts in the checker's vocabulary; a key is absent when the label gives no value."""
    out: dict[str, Any] = {"price_weight": label.get("price_weight")}
    regime = label_regime(label.get("regime"))
    if regime:
        out["regime"] = regime
    if _head(label.get("method")):
        out["method"] = _head(label.get("method"))
    attr = _head(label.get("attribute"))
    if attr in _ATTRS:
        out["attribute"] = _ATTRS[attr]
    sme = label.get("sme") or {}
    if isinstance(sme.get("reserved"), bool):
        out["sme_reserved"] = sme["reserved"]
    if isinstance(sme.get("deduction_percent"), list):
        out["sme_deduction"] = sme["deduction_percent"]
    for key, src in (("budget", "budget_yuan"), ("max_price", "max_price_yuan")):
        if isinstance(label.get(src), (int, float)):
            out[key] = label[src]
    date = (label.get("dates") or {}).get("announce_date")
    if date:
        out["announce_date"] = str(date)
    return out


def _num_equal(expected, actual, tolerance: float) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return abs(float(expected) - float(actual)) <= tolerance


def fact_ok(key: str, expected: Any, actual: Any) -> bool:
    if key == "price_weight":
        if isinstance(expected, dict):
            return isinstance(actual, dict) and all(
                _num_equal(v, actual.get(str(k)), 0.5) for k, v in expected.items())
        return _num_equal(expected, actual, 0.5)
    if key in ("budget", "max_price"):
        return actual is not None and _num_equal(expected, actual, max(1.0, float(expected) * 0.001))
    if key == "sme_deduction":
        return sorted(float(x) for x in expected) == sorted(float(x) for x in (actual or []))
    return expected == actual


def actual_facts(result: FileResult) -> dict[str, Any]:
    facts = dict(result.facts)
    lots = facts.get("lots") or []
    if lots:
        facts["lot_price_weight"] = {str(lot.get("lot")): lot.get("price_weight") for lot in lots}
    return facts


# ---------------------------------------------------------------- per-document scoring

@dataclass(frozen=True)
class FactRow:
    key: str
    expected: Any
    actual: Any
    ok: bool


@dataclass(frozen=True)
class QuoteRow:
    kind: str          # violation / trap / regime
    quote: str
    rule: str
    confidence: str    # violations only
    found_by: tuple[str, ...]   # rule IDs of the findings that meet it (errors/warnings for trap/regime)


@dataclass(frozen=True)
class DocScore:
    document: str
    status: str
    error: str | None
    facts: tuple[FactRow, ...]
    quotes: tuple[QuoteRow, ...]
    unmatched: tuple[Finding, ...]
    regime: str | None = None

    def violations(self, confidence: str) -> list[QuoteRow]:
        return [q for q in self.quotes if q.kind == "violation" and q.confidence == confidence]

    def flagged(self, kind: str) -> list[QuoteRow]:
        return [q for q in self.quotes if q.kind == kind and q.found_by]


def _fact_rows(label: dict, result: FileResult) -> list[FactRow]:
    expected = label_facts(label)
    actual = actual_facts(result)
    rows = []
    for key, value in expected.items():
        got = actual.get("lot_price_weight") if key == "price_weight" and isinstance(value, dict) \
            else actual.get(key)
        rows.append(FactRow(key, value, got, fact_ok(key, value, got)))
    return rows


def _quote_rows(label: dict, findings: tuple[Finding, ...]) -> tuple[list[QuoteRow], set[int]]:
    rows: list[QuoteRow] = []
    used: set[int] = set()
    groups = (("violation", label.get("violations")), ("trap", label.get("traps")),
              ("regime", label.get("regime_dependent_findings")))
    claimed = _reporting_a_violation(label, findings)
    for kind, entries in groups:
        for entry in entries or []:
            quote = str(entry.get("quote") or "")
            if not quote:
                continue
            hits = [i for i, f in enumerate(findings) if meets(f, quote)
                    and (kind == "violation" or (f.severity in LOUD and (i not in claimed or shares(quote, f.excerpt))))]
            if kind == "violation":
                used.update(hits)
            rows.append(QuoteRow(kind, quote, str(entry.get("rule") or entry.get("looks_like") or ""),
                                 str(entry.get("confidence") or ""),
                                 tuple(dict.fromkeys(findings[i].rule_id for i in hits))))
    return rows, used


def _reporting_a_violation(label: dict, findings: tuple[Finding, ...]) -> set[int]:
    """Findings whose flagged excerpt is a labelled violation's text. Such a finding does not hit a
    trap merely because the trap's clause shares its sentence (a table cell holding both); it hits one
    only when its excerpt is the trap's text."""
    quotes = [str(v.get("quote") or "") for v in label.get("violations") or []]
    return {i for i, f in enumerate(findings) if any(q and shares(q, f.excerpt) for q in quotes)}


def score_document(label: dict, result: FileResult) -> DocScore:
    name = Path(result.path).name
    if result.status != "ok":
        return DocScore(name, result.status, result.error, tuple(_fact_rows(label, result)), (), ())
    quotes, used = _quote_rows(label, result.findings)
    touched = {i for i, f in enumerate(result.findings) if i in used or any(
        q.kind != "violation" and f.rule_id in q.found_by and meets(f, q.quote) for q in quotes)}
    unmatched = tuple(f for i, f in enumerate(result.findings) if i not in touched)
    return DocScore(name, "ok", None, tuple(_fact_rows(label, result)), tuple(quotes), unmatched,
                    result.facts.get("regime"))


# ---------------------------------------------------------------- whole run

def load_labels(directory: str | Path) -> dict[str, dict]:
    """File name -> label mapping, from every ``*.yaml`` in ``directory`` (one mapping keyed by file name)."""
    labels: dict[str, dict] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        data = load_file(str(path))
        if isinstance(data, dict):
            for name, label in data.items():
                if isinstance(label, dict):
                    labels[str(name)] = label
    return labels


@dataclass
class LabelEvaluation:
    documents: list[DocScore] = field(default_factory=list)
    unlabelled: list[FileResult] = field(default_factory=list)

    def totals(self) -> dict[str, Any]:
        docs = self.documents
        facts = [r for d in docs for r in d.facts]
        out: dict[str, Any] = {"documents": len(docs), "unreadable": sum(d.status != "ok" for d in docs),
                               "facts": {"right": sum(r.ok for r in facts), "total": len(facts)}}
        by_key: dict[str, list[int]] = {}
        for r in facts:
            by_key.setdefault(r.key, [0, 0])
            by_key[r.key][0] += r.ok
            by_key[r.key][1] += 1
        out["facts_by_field"] = {k: {"right": v[0], "total": v[1]} for k, v in sorted(by_key.items())}
        out["violations"] = {c: {"found": sum(bool(q.found_by) for d in docs for q in d.violations(c)),
                                 "total": sum(len(d.violations(c)) for d in docs)} for c in CONFIDENCES}
        hm = [q for d in docs for c in ("high", "medium") for q in d.violations(c)]
        out["violations"]["high+medium"] = {"found": sum(bool(q.found_by) for q in hm), "total": len(hm)}
        for kind in ("trap", "regime"):
            out[f"{kind}s_flagged"] = sum(len(d.flagged(kind)) for d in docs)
            out[f"{kind}s_total"] = sum(1 for d in docs for q in d.quotes if q.kind == kind)
        out["unmatched_findings"] = sum(len(d.unmatched) for d in docs)
        out["findings"] = sum(len(d.unmatched) for d in docs) + sum(
            len(q.found_by) for d in docs for q in d.quotes if q.kind == "violation")
        out["unlabelled_loud"] = {Path(r.path).name: sum(f.severity in LOUD for f in r.findings)
                                  for r in self.unlabelled}
        return out


def evaluate_labels(paths, labels_dir: str | Path, options=None) -> LabelEvaluation:
    from dataclasses import replace

    from .api import Options, build_engine, iter_inputs, scan_file

    options = replace(options or Options(), keep_document=False)
    labels = load_labels(labels_dir)
    engine = build_engine(options)
    ev = LabelEvaluation()
    for path in iter_inputs(paths, options.include, options.exclude):
        label = labels.get(Path(path).name)
        if label is None and Path(path).name.upper().startswith("README"):
            continue  # the folder's own notes, not a tender
        result = scan_file(path, engine)
        if label is None:
            ev.unlabelled.append(result)
        else:
            ev.documents.append(score_document(label, result))
    return ev


# ---------------------------------------------------------------- output

def _finding_json(f: Finding) -> dict[str, Any]:
    return {"rule_id": f.rule_id, "severity": f.severity, "excerpt": f.excerpt,
            "sentence": f.sentence[:200], "where": f.location.describe()}


def as_json(ev: LabelEvaluation) -> dict[str, Any]:
    docs = []
    for d in ev.documents:
        docs.append({
            "document": d.document, "status": d.status, "error": d.error, "regime": d.regime,
            "facts": [{"key": r.key, "expected": r.expected, "actual": r.actual, "ok": r.ok} for r in d.facts],
            "quotes": [{"kind": q.kind, "rule": q.rule, "confidence": q.confidence, "quote": q.quote,
                        "found_by": list(q.found_by)} for q in d.quotes],
            "unmatched": [_finding_json(f) for f in d.unmatched]})
    return {"totals": ev.totals(), "documents": docs}


def _ratio(part: dict) -> str:
    total = part["total"]
    return f"{part.get('found', part.get('right'))}/{total}" + (
        f" ({100 * part.get('found', part.get('right', 0)) / total:.0f}%)" if total else "")


def _doc_lines(d: DocScore) -> list[str]:
    if d.status != "ok":
        return [f"== {d.document}: 无法读取（{d.error}）"]
    wrong = [f"{r.key} 期望 {r.expected!r} 得到 {r.actual!r}" for r in d.facts if not r.ok]
    counts = "  ".join(f"{c} {sum(bool(q.found_by) for q in d.violations(c))}/{len(d.violations(c))}"
                       for c in CONFIDENCES)
    lines = [f"== {d.document} [{d.regime or '?'}]  事实 {sum(r.ok for r in d.facts)}/{len(d.facts)}  {counts}"]
    lines += [f"   事实错误：{w}" for w in wrong]
    for q in d.quotes:
        if q.kind == "violation" and q.confidence == "high" and not q.found_by:
            lines.append(f"   漏报(high) {q.rule}: {q.quote[:60]}")
        if q.kind != "violation" and q.found_by:
            lines.append(f"   误报({'陷阱' if q.kind == 'trap' else '适用制度'}) {','.join(q.found_by)}: {q.quote[:60]}")
    for f in d.unmatched:
        lines.append(f"   未匹配 {f.rule_id} [{f.severity}] {f.excerpt[:50]}")
    return lines


def render_text(ev: LabelEvaluation) -> str:
    lines: list[str] = []
    for d in ev.documents:
        lines += _doc_lines(d)
    t = ev.totals()
    lines.append("")
    lines.append(f"文档 {t['documents']}（无法读取 {t['unreadable']}）  事实 {_ratio(t['facts'])}")
    lines.append("  按字段：" + "  ".join(f"{k} {_ratio(v)}" for k, v in t["facts_by_field"].items()))
    lines.append("违规条款：" + "  ".join(f"{c} {_ratio(v)}" for c, v in t["violations"].items()))
    lines.append(f"陷阱被报 error/warning：{t['traps_flagged']}/{t['traps_total']}  "
                 f"适用制度相关条款被报：{t['regimes_flagged']}/{t['regimes_total']}  "
                 f"未匹配任何标注的发现：{t['unmatched_findings']}")
    for name, loud in t["unlabelled_loud"].items():
        lines.append(f"未标注文档 {name}：error/warning {loud} 条")
    return "\n".join(lines) + "\n"
