"""Scores a scan against each document's sidecar (<name>.expected.yaml): precision, recall, F1, facts accuracy.

Matching rule (documented in corpus/README.md): an expected finding (rule_id, excerpt) is met by a
finding of the same rule that
  1. exact   – reports the same excerpt (compared after normalisation, so PDF spacing does not count), or
  2. overlap – lies in the same block (paragraph or table cell) as the expected excerpt and overlaps it, or
  3. row     – lies in the same table row as the expected excerpt (a rule may mark the price row's points
               cell while the sidecar names its criterion cell, or the other way round).
Each finding meets at most one expectation; exact matches are paired first, then overlaps, then rows.
A finding that meets none is a false alarm; an expectation that no finding meets is a miss.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Block, Document, FileResult, Finding
from .normalize import normalize

SIDECAR_SUFFIX = ".expected.yaml"
LEVELS = ("exact", "overlap", "row")


@dataclass(frozen=True)
class Expected:
    rule_id: str
    excerpt: str


@dataclass(frozen=True)
class Sidecar:
    path: Path
    findings: tuple[Expected, ...]
    facts: dict[str, Any]


@dataclass(frozen=True)
class Hit:
    rule_id: str
    excerpt: str          # expected excerpt
    reported: str         # the finding's excerpt
    level: str            # exact / overlap / row


@dataclass(frozen=True)
class Miss:
    document: str
    rule_id: str
    excerpt: str
    reason: str


@dataclass(frozen=True)
class FalseAlarm:
    document: str
    rule_id: str
    excerpt: str
    where: str


@dataclass(frozen=True)
class FactCheck:
    document: str
    key: str
    expected: Any
    actual: Any
    ok: bool


@dataclass(frozen=True)
class DocResult:
    document: str
    status: str
    error: str | None
    hits: tuple[Hit, ...]
    misses: tuple[Miss, ...]
    false_alarms: tuple[FalseAlarm, ...]
    facts: tuple[FactCheck, ...]


@dataclass(frozen=True)
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class Evaluation:
    documents: tuple[DocResult, ...]
    unpaired: tuple[str, ...] = ()   # scanned files that have no sidecar
    by_rule: dict[str, Scores] = field(default_factory=dict)

    @property
    def overall(self) -> Scores:
        return sum(self.by_rule.values(), Scores())

    @property
    def by_family(self) -> dict[str, Scores]:
        fam: dict[str, Scores] = {}
        for rule_id, s in self.by_rule.items():
            key = family_of(rule_id)
            fam[key] = fam.get(key, Scores()) + s
        return dict(sorted(fam.items()))

    @property
    def fact_checks(self) -> list[FactCheck]:
        return [f for d in self.documents for f in d.facts]

    @property
    def facts_accuracy(self) -> float:
        checks = self.fact_checks
        return sum(c.ok for c in checks) / len(checks) if checks else 1.0

    def level_counts(self) -> dict[str, int]:
        counts = {lvl: 0 for lvl in LEVELS}
        for d in self.documents:
            for h in d.hits:
                counts[h.level] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        o = self.overall
        checks = self.fact_checks
        return {
            "precision": round(o.precision, 4), "recall": round(o.recall, 4), "f1": round(o.f1, 4),
            "tp": o.tp, "fp": o.fp, "fn": o.fn,
            "documents": len(self.documents),
            "match_levels": self.level_counts(),
            "facts_accuracy": round(self.facts_accuracy, 4),
            "facts_checked": len(checks), "facts_correct": sum(c.ok for c in checks),
            "by_family": {k: v.as_json() for k, v in self.by_family.items()},
            "by_rule": {k: v.as_json() for k, v in sorted(self.by_rule.items())},
            "misses": [vars(m) for d in self.documents for m in d.misses],
            "false_alarms": [vars(f) for d in self.documents for f in d.false_alarms],
            "fact_errors": [vars(c) for c in checks if not c.ok],
            "files": [{"document": d.document, "status": d.status, "error": d.error, "found": len(d.hits),
                       "missed": len(d.misses), "false_alarms": len(d.false_alarms),
                       "facts": f"{sum(c.ok for c in d.facts)}/{len(d.facts)}"} for d in self.documents],
            "no_sidecar": list(self.unpaired),
        }


def family_of(rule_id: str) -> str:
    """EXC-SCALE-001 → EXC, PRICE-WEIGHT-001 → PRICE."""
    return rule_id.split("-", 1)[0]


# ------------------------------------------------------------------------------------------------
def sidecar_path(document: str | Path) -> Path:
    p = Path(document)
    return p.with_name(p.stem + SIDECAR_SUFFIX)


def load_sidecar(path: str | Path) -> Sidecar:
    import yaml

    from .errors import CheckerError

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CheckerError(f"{path}: 无法读取期望结果文件：{exc}") from exc
    items = []
    for i, f in enumerate(data.get("findings") or []):
        if not isinstance(f, dict) or not f.get("rule_id") or not f.get("excerpt"):
            raise CheckerError(f"{path}: findings[{i}] 须有 rule_id 和 excerpt")
        items.append(Expected(str(f["rule_id"]), str(f["excerpt"])))
    return Sidecar(path, tuple(items), dict(data.get("facts") or {}))


# ------------------------------------------------------------------------------------------------
def _norm(s: str) -> str:
    return normalize(s).text


def _positions(doc: Document, excerpt: str) -> list[tuple[Block, int, int]]:
    """Every place the expected excerpt occurs, as (block, original start, original end)."""
    needle = _norm(excerpt)
    out = []
    if not needle:
        return out
    for b in doc.blocks:
        start = b.norm.find(needle)
        while start >= 0:
            s, e = b.to_original(start, start + len(needle))
            out.append((b, s, e))
            start = b.norm.find(needle, start + 1)
    return out


def _level(f: Finding, exp: Expected, places: list[tuple[Block, int, int]]) -> str | None:
    if f.rule_id != exp.rule_id:
        return None
    loc = f.location
    if _norm(f.excerpt) == _norm(exp.excerpt) and (not places or any(b.index == loc.block for b, _, _ in places)):
        return "exact"
    for b, s, e in places:
        if b.index == loc.block and loc.start < e and s < loc.end:
            return "overlap"
    for b, _, _ in places:
        if b.table is not None and b.table == loc.table and b.row == loc.row:
            return "row"
    return None


def match_document(result: FileResult, sidecar: Sidecar) -> DocResult:
    name = Path(result.path).name
    facts = tuple(compare_facts(name, sidecar.facts, result.facts if result.status == "ok" else {}))
    if result.status != "ok":
        misses = tuple(Miss(name, e.rule_id, e.excerpt, f"文件无法读取：{result.error}") for e in sidecar.findings)
        return DocResult(name, result.status, result.error, (), misses, (), facts)
    doc = result.document
    places = [(_positions(doc, e.excerpt) if doc is not None else []) for e in sidecar.findings]
    findings = list(result.findings)
    used: set[int] = set()
    paired: dict[int, Hit] = {}
    for level in LEVELS:
        for i, exp in enumerate(sidecar.findings):
            if i in paired:
                continue
            for j, f in enumerate(findings):
                if j not in used and _level(f, exp, places[i]) == level:
                    used.add(j)
                    paired[i] = Hit(exp.rule_id, exp.excerpt, f.excerpt, level)
                    break
    misses = []
    for i, exp in enumerate(sidecar.findings):
        if i not in paired:
            reason = "未报告" if places[i] else "未报告（文档中找不到该摘录，检查读取结果或期望文件）"
            misses.append(Miss(name, exp.rule_id, exp.excerpt, reason))
    alarms = tuple(FalseAlarm(name, f.rule_id, f.excerpt, f.location.describe())
                   for j, f in enumerate(findings) if j not in used)
    hits = tuple(paired[i] for i in sorted(paired))
    return DocResult(name, "ok", None, hits, tuple(misses), alarms, facts)


def _fact_equal(key: str, expected: Any, actual: Any) -> bool:
    if isinstance(expected, list):
        if not isinstance(actual, (list, tuple)):
            return False
        try:
            return sorted({float(x) for x in expected}) == sorted({float(x) for x in actual})
        except (TypeError, ValueError):
            return sorted(map(str, expected)) == sorted(map(str, actual))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)):
        try:
            return math.isclose(float(expected), float(actual), rel_tol=1e-6, abs_tol=0.01)
        except (TypeError, ValueError):
            return False
    return str(expected) == str(actual)


def compare_facts(document: str, expected: dict[str, Any], actual: dict[str, Any]) -> list[FactCheck]:
    return [FactCheck(document, k, v, actual.get(k), _fact_equal(k, v, actual.get(k)))
            for k, v in expected.items()]


def evaluate(paths, options=None) -> Evaluation:
    """Scan the documents under ``paths`` that have a sidecar and score them against it."""
    from dataclasses import replace

    from .api import Options, build_engine, iter_inputs, scan_file

    options = replace(options or Options(), keep_document=True)
    engine = build_engine(options)
    docs: list[DocResult] = []
    unpaired: list[str] = []
    by_rule: dict[str, Scores] = {}
    for path in iter_inputs(paths, options.include, options.exclude):
        side = sidecar_path(path)
        if not side.exists():
            unpaired.append(path)
            continue
        sidecar = load_sidecar(side)
        result = scan_file(path, engine, keep_document=True)
        d = match_document(result, sidecar)
        docs.append(d)
        for h in d.hits:
            by_rule[h.rule_id] = by_rule.get(h.rule_id, Scores()) + Scores(tp=1)
        for m in d.misses:
            by_rule[m.rule_id] = by_rule.get(m.rule_id, Scores()) + Scores(fn=1)
        for f in d.false_alarms:
            by_rule[f.rule_id] = by_rule.get(f.rule_id, Scores()) + Scores(fp=1)
    return Evaluation(tuple(docs), tuple(unpaired), by_rule)


def golden_view(result: FileResult) -> dict[str, Any]:
    """What a golden file pins for one document: status, facts and findings, with the bare file name."""
    data = result.as_json()
    data["path"] = Path(data["path"]).name
    return data


# ------------------------------------------------------------------------------------------------
def render_text(ev: Evaluation) -> str:
    o = ev.overall
    lines = [f"评估 {len(ev.documents)} 个文档：精确率 {o.precision:.3f}，召回率 {o.recall:.3f}，F1 {o.f1:.3f}"
             f"（命中 {o.tp}，漏报 {o.fn}，误报 {o.fp}）"]
    levels = ev.level_counts()
    lines.append(f"命中方式：摘录一致 {levels['exact']}，同段重叠 {levels['overlap']}，同一表格行 {levels['row']}")
    checks = ev.fact_checks
    lines.append(f"项目事实准确率 {ev.facts_accuracy:.3f}（{sum(c.ok for c in checks)}/{len(checks)}）")
    lines.append("")
    lines.append(f"{'族/规则':<22}{'精确率':>8}{'召回率':>8}{'F1':>8}{'命中':>6}{'漏报':>6}{'误报':>6}")
    for fam, s in ev.by_family.items():
        lines.append(f"{fam:<22}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>9.3f}{s.tp:>7}{s.fn:>7}{s.fp:>7}")
        for rule_id, r in sorted(ev.by_rule.items()):
            if family_of(rule_id) == fam:
                lines.append(f"  {rule_id:<20}{r.precision:>10.3f}{r.recall:>10.3f}{r.f1:>9.3f}{r.tp:>7}{r.fn:>7}{r.fp:>7}")
    misses = [m for d in ev.documents for m in d.misses]
    alarms = [f for d in ev.documents for f in d.false_alarms]
    if misses:
        lines += ["", f"漏报（{len(misses)}）："]
        lines += [f"  {m.document}  {m.rule_id}  「{m.excerpt}」 {m.reason}" for m in misses]
    if alarms:
        lines += ["", f"误报（{len(alarms)}）："]
        lines += [f"  {f.document}  {f.rule_id}  「{f.excerpt}」 {f.where}" for f in alarms]
    wrong = [c for c in checks if not c.ok]
    if wrong:
        lines += ["", f"项目事实不符（{len(wrong)}）："]
        lines += [f"  {c.document}  {c.key}：期望 {c.expected!r}，实际 {c.actual!r}" for c in wrong]
    errors = [d for d in ev.documents if d.status != "ok"]
    if errors:
        lines += ["", "无法读取："] + [f"  {d.document}：{d.error}" for d in errors]
    if ev.unpaired:
        lines += ["", f"没有期望结果文件（未计入）：{len(ev.unpaired)} 个"] + [f"  {p}" for p in ev.unpaired]
    return "\n".join(lines) + "\n"
