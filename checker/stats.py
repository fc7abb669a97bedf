"""Figures over many documents: findings per rule and family, price weights, SME deductions, limits broken."""
from __future__ import annotations

import csv
import html
import io
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import InputError

ATTRIBUTE_ZH = {"goods": "货物", "services": "服务", "works": "工程", None: "未说明"}
PRICE_BINS = ((0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 101))


def _percent(value: Any) -> float | None:
    """A percent as a number; facts give 30 for 30%, but accept 0.3 too (a fraction)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) * 100 if 0 < value <= 1 else float(value)


def _deductions(value: Any) -> list[float]:
    items = value if isinstance(value, list) else [value]
    return [p for p in (_percent(v) for v in items) if p is not None]


@dataclass(frozen=True)
class Limit:
    """A legal range a document's facts can break (catalog §5 and §6); the rules are the authority,
    this is the statistical view of the same thresholds."""

    key: str
    label: str
    broken: Callable[[dict], bool]


def _method(f: dict) -> str:
    return f.get("method") or ""


def _weight(f: dict) -> float | None:
    return None if f.get("fixed_price") else _percent(f.get("price_weight"))


def _post_2022(f: dict) -> bool | None:
    d = f.get("announce_date")
    return None if not isinstance(d, str) else d >= "2022-07-01"


def _gp(f: dict) -> bool:
    """The statutory price-weight and SME limits bind 政府采购 (and documents whose regime was not read)."""
    return f.get("regime") in ("gp", None)


def _sme_out_of_range(f: dict) -> bool:
    values = [v for v in _deductions(f.get("sme_deduction")) if v]  # 0%: no deduction, not a rate
    if not values or f.get("sme_reserved") is True or not _gp(f):
        return False
    attr = f.get("attribute")
    if attr == "works":
        lo, hi = 3, 5
    elif attr in ("goods", "services"):
        after = _post_2022(f)
        lo, hi = (10, 20) if after in (True, None) else (6, 10)
    else:
        return False
    return any(v < lo or v > hi for v in values)


LIMITS = (
    Limit("PW-TENDER-GOODS", "招标 货物 价格分 < 30%",
          lambda f: _gp(f) and f.get("attribute") == "goods" and "招标" in _method(f)
          and (w := _weight(f)) is not None and w < 30),
    Limit("PW-TENDER-SERVICES", "招标 服务 价格分 < 10%",
          lambda f: _gp(f) and f.get("attribute") == "services" and "招标" in _method(f)
          and (w := _weight(f)) is not None and w < 10),
    Limit("PW-TOS-GOODS", "磋商 货物 价格分不在 30%–60%",
          lambda f: _gp(f) and f.get("attribute") == "goods" and _method(f) == "竞争性磋商"
          and (w := _weight(f)) is not None and not 30 <= w <= 60),
    Limit("PW-TOS-SERVICES", "磋商 服务 价格分不在 10%–30%",
          lambda f: _gp(f) and f.get("attribute") == "services" and _method(f) == "竞争性磋商"
          and (w := _weight(f)) is not None and not 10 <= w <= 30),
    Limit("SME-RANGE", "小微企业价格扣除不在法定幅度内（货物/服务 10%–20%，2022-07-01 前 6%–10%；工程 3%–5%）",
          _sme_out_of_range),
)


@dataclass
class Stats:
    """Accumulates per-file records (the JSON contract's `files` entries) one at a time."""

    files: int = 0
    unreadable: int = 0
    findings: int = 0
    by_rule: Counter = field(default_factory=Counter)
    docs_by_rule: Counter = field(default_factory=Counter)
    by_family: Counter = field(default_factory=Counter)
    docs_by_family: Counter = field(default_factory=Counter)
    weights: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    weight_unknown: Counter = field(default_factory=Counter)
    sme: Counter = field(default_factory=Counter)
    sme_docs_without: int = 0
    limit_docs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    titles: dict[str, str] = field(default_factory=dict)
    rule_docs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, record: dict) -> None:
        self.files += 1
        if record.get("status") != "ok":
            self.unreadable += 1
            return
        findings = record.get("findings") or []
        rules = [f.get("rule_id", "?") for f in findings]
        for f in findings:
            self.titles.setdefault(f.get("rule_id", "?"), f.get("title") or "")
        for rule in dict.fromkeys(rules):
            self.rule_docs[rule].append(str(record.get("path")))
        self.findings += len(rules)
        self.by_rule.update(rules)
        self.docs_by_rule.update(set(rules))
        families = [r.split("-", 1)[0] for r in rules]
        self.by_family.update(families)
        self.docs_by_family.update(set(families))
        facts = record.get("facts") or {}
        attr = ATTRIBUTE_ZH.get(facts.get("attribute"), str(facts.get("attribute")))
        w = _weight(facts)
        if w is None:
            self.weight_unknown[attr] += 1
        else:
            self.weights[attr].append(w)
        deductions = _deductions(facts.get("sme_deduction"))
        if deductions:
            self.sme.update(f"{v:g}%" for v in sorted(set(deductions)))
        else:
            self.sme_docs_without += 1
        for limit in LIMITS:
            try:
                broken = limit.broken(facts)
            except (TypeError, ValueError):  # a fact of an unexpected shape is no evidence either way
                broken = False
            if broken:
                self.limit_docs[limit.key].append(str(record.get("path")))

    # ---- tables: (title, header, rows) ----

    def tables(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        out = [("概况", ["项目", "数量"],
                [["文件", self.files], ["可读", self.files - self.unreadable], ["无法读取", self.unreadable],
                 ["发现", self.findings]])]
        out.append(("按规则族", ["规则族", "发现数", "文档数"],
                    [[k, v, self.docs_by_family[k]] for k, v in sorted(self.by_family.items(), key=lambda kv: (-kv[1], kv[0]))]))
        out.append(("按规则", ["规则", "规则名称", "发现数", "文档数"],
                    [[k, self.titles.get(k, ""), v, self.docs_by_rule[k]]
                     for k, v in sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]))
        rows = []
        for attr in sorted(set(self.weights) | set(self.weight_unknown)):
            ws = sorted(self.weights.get(attr, []))
            bins = [sum(1 for w in ws if lo <= w < hi) for lo, hi in PRICE_BINS]
            rows.append([attr, len(ws), self.weight_unknown[attr],
                         f"{ws[0]:g}" if ws else "-", f"{statistics.median(ws):g}" if ws else "-",
                         f"{ws[-1]:g}" if ws else "-", *bins])
        out.append(("价格分权重（%）按项目属性", ["属性", "有值", "未说明", "最小", "中位", "最大",
                                          *[f"{lo}–{hi if hi <= 100 else 100}" for lo, hi in PRICE_BINS]], rows))
        sme_rows = [[k, v] for k, v in sorted(self.sme.items(), key=lambda kv: float(kv[0].rstrip("%")))]
        sme_rows.append(["未说明比例", self.sme_docs_without])
        out.append(("小微企业价格扣除比例", ["比例", "文档数"], sme_rows))
        out.append(("超出法定幅度的文档", ["限度", "文档数"],
                    [[limit.label, len(self.limit_docs.get(limit.key, []))] for limit in LIMITS]))
        return out


def read_jsonl(path: str | Path):
    """Records from a saved `--format jsonl` run; a bad line is an error naming the file and line."""
    path = Path(path)
    try:
        fh = open(path, encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(str(path), f"无法读取：{exc.strerror}") from None
    with fh:
        n = 0
        try:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    yield _record(path, n, line)
        except UnicodeDecodeError:
            raise InputError(str(path), f"第 {n + 1} 行不是 UTF-8 文本（jsonl 结果应为 UTF-8）") from None


def _record(path: Path, n: int, line: str) -> dict:
    """One line's record, its shape checked where the statistics read it."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(str(path), f"第 {n} 行不是有效的 JSON：{getattr(exc, 'msg', '嵌套过深')}") from None
    if not isinstance(record, dict) or not isinstance(record.get("status"), str):
        raise InputError(str(path), f"第 {n} 行不是 tender-check 的 jsonl 结果")
    findings, facts = record.get("findings"), record.get("facts")
    if findings is not None and not (isinstance(findings, list) and all(isinstance(f, dict) for f in findings)):
        raise InputError(str(path), f"第 {n} 行的 findings 应为发现列表")
    if facts is not None and not isinstance(facts, dict):
        raise InputError(str(path), f"第 {n} 行的 facts 应为映射")
    texts = [(f"findings[{i}].{k}", f.get(k)) for i, f in enumerate(findings or ()) for k in ("rule_id", "title")]
    texts += [(f"facts.{k}", (facts or {}).get(k)) for k in ("method", "regime", "attribute", "announce_date")]
    for where, value in texts:
        if value is not None and not isinstance(value, str):
            raise InputError(str(path), f"第 {n} 行的 {where} 应为文本")
    return record


def render_text(stats: Stats) -> str:
    from .reporters.text import width

    def pad(s: str, n: int) -> str:
        return s + " " * max(0, n - width(s))

    out = []
    for title, header, rows in stats.tables():
        cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
        widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
        out.append(f"== {title}")
        for i, row in enumerate(cells):
            out.append("  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip())
            if i == 0:
                out.append("  ".join("-" * w for w in widths))
        if not rows:
            out.append("（无）")
        out.append("")
    return "\n".join(out)


def render_csv(stats: Stats) -> str:
    """Long format (表, 列, …): one CSV for every table; UTF-8 with BOM for Excel."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for title, header, rows in stats.tables():
        writer.writerow([title, *header])
        for r in rows:
            writer.writerow([title, *r])
    return "\ufeff" + buf.getvalue()


def _bar_chart(title: str, labels: list[str], values: list[float], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG (text escaped; no scripts, no external fonts)."""
    if not values:
        return f"<p>{html.escape(title)}：无数据</p>"
    row_h, label_w, bar_w = 22, 300, 360
    top = max(values) or 1
    h = row_h * len(values) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 80}" height="{h}" '
             f'role="img" aria-label="{html.escape(title, quote=True)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, v) in enumerate(zip(labels, values)):
        y = 28 + i * row_h
        w = max(1, int(bar_w * v / top)) if v else 0
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">{html.escape(str(label))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="#3b6ea8"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 14}" font-size="12">{v:g}{html.escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(stats: Stats) -> str:
    tables = stats.tables()
    charts = [
        _bar_chart("各规则族发现数", [r[0] for r in tables[1][2]], [r[1] for r in tables[1][2]]),
        _bar_chart("各规则涉及文档数", [r[0] for r in tables[2][2]][:30], [r[3] for r in tables[2][2]][:30]),
    ]
    for attr, ws in sorted(stats.weights.items()):
        labels = [f"{lo}–{min(hi, 100)}%" for lo, hi in PRICE_BINS]
        counts = [sum(1 for w in ws if lo <= w < hi) for lo, hi in PRICE_BINS]
        charts.append(_bar_chart(f"价格分权重分布（{attr}，文档数）", labels, counts))
    sme_rows = tables[4][2]
    charts.append(_bar_chart("小微企业价格扣除比例（文档数）", [r[0] for r in sme_rows], [r[1] for r in sme_rows]))
    charts.append(_bar_chart("超出法定幅度的文档数", [r[0] for r in tables[5][2]], [r[1] for r in tables[5][2]]))
    body = []
    for title, header, rows in tables:
        body.append(f"<h2>{html.escape(title)}</h2><table><thead><tr>"
                    + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr></thead><tbody>")
        for r in rows:
            body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>")
        body.append("</tbody></table>")
    broken = []
    for limit in LIMITS:
        docs = stats.limit_docs.get(limit.key, [])
        if docs:
            broken.append(f"<h3>{html.escape(limit.label)}</h3><ul>"
                          + "".join(f"<li>{html.escape(d)}</li>" for d in docs) + "</ul>")
    behind = [f"<details><summary>{html.escape(rule)} {html.escape(stats.titles.get(rule, ''))}（{len(docs)} 个文档）</summary><ul>"
              + "".join(f"<li>{html.escape(d)}</li>" for d in docs) + "</ul></details>"
              for rule, docs in sorted(stats.rule_docs.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<title>tender-check 统计</title><style>"
            "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}"
            "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
            "text-align:left}th{background:#f0f0f0}svg{display:block;margin:1em 0}</style></head><body>"
            f"<h1>tender-check 统计（{stats.files} 个文件）</h1>"
            + "".join(charts) + "".join(body)
            + ("<h2>超出法定幅度的文档</h2>" + "".join(broken) if broken else "")
            + ("<h2>各规则涉及的文档</h2>" + "".join(behind) if behind else "")
            + "</body></html>\n")
