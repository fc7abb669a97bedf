"""Self-contained HTML report: each document in reading order with findings marked in place."""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Iterator

from ..fingerprint import fingerprints
from ..model import OCR_NOTE, SEVERITY_ORDER, Block, Document, FileResult, Finding, Report
from ..regime import LABELS, POLICIES
from . import SEVERITY_ZH

FAMILY_ZH = {
    "EXC": "排他性与倾向性条款",
    "NUM": "数额与期限",
    "PRICE": "价格分与报价",
    "SCORE": "评分办法",
    "SME": "中小企业政策",
    "ENG": "工程招标",
    "PROC": "程序与期限",
}
FACT_LABELS = {
    "regime": "适用制度",
    "regime_basis": "制度判断依据",
    "adopts": "文件自行采用的政策",
    "method": "采购方式",
    "attribute": "项目属性",
    "evaluation": "评审方法",
    "price_weight": "价格分权重",
    "sme_deduction": "中小企业价格扣除",
    "sme_reserved": "预留中小企业份额",
    "sme_mode": "中小企业政策方式",
    "budget": "预算金额",
    "max_price": "最高限价",
    "announce_date": "公告日期",
    "bid_deadline": "投标截止时间",
    "open_date": "开标时间",
    "bid_bond": "投标保证金",
    "performance_bond": "履约保证金",
    "sme_consortium_deduction": "联合体中小企业扣除",
    "issue_start": "文件发售开始",
    "issue_end": "文件发售截止",
    "deadline": "投标截止",
    "import_allowed": "接受进口产品",
    "fixed_price": "固定价格",
    "price_approved": "价格分调整经财政部门同意",
    "buyer": "采购人",
    "lots": "分包",
    "scoring": "评分表",
    "announce_date_from": "公告日期取自",
    "max_price_from": "最高限价取自",
    "attribute_from": "项目属性取自",
    "terms": "合同期限用语（工期/交货期/服务期）",
    "items": "采购内容表中资金占比最高的采购对象",
    "attribute_share": "该类采购对象的资金占比",
    "sme_reserved_from": "预留份额判断依据",
    "signature": "公告落款日期",
    "glossed": "文中注明的公告发布之日",
    "prequal_issue_start": "资格预审文件发售开始",
    "prequal_issue_end": "资格预审文件发售截止",
    "prequal_deadline": "资格预审申请截止",
    "publicity_start": "单一来源公示开始",
    "publicity_end": "单一来源公示截止",
}
_VALUE_ZH = {
    "gp": "政府采购", "eng": "工程建设项目招标", "enterprise": "企业采购",
    "goods": "货物", "services": "服务", "works": "工程",
}
_SME_MODE_ZH = {"whole": "整体预留", "lots": "按包预留", "partial": "部分预留", "none": "不预留"}
_PERCENT_KEYS = ("price_weight", "sme_deduction", "sme_consortium_deduction")
_MONEY_KEYS = ("budget", "max_price", "bid_bond", "performance_bond")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class FindingView:
    """One finding as the report shows it (ids are unique across the whole report)."""

    id: str
    rule_id: str
    severity: str
    severity_zh: str
    family: str
    title: str
    message: str
    fix: str
    basis: tuple[str, ...]
    where: str
    spot: str                 # where without the heading trail (the side list groups by section)
    section: str
    excerpt: str
    preview: bool
    related: tuple[str, ...]  # element ids of related blocks
    placed: bool              # whether a mark for it exists in the rendered document
    also: tuple[str, ...] = ()  # other rules that flagged the same words
    regime: str = ""          # the regime it was judged under, in Chinese
    fp: str = ""              # content fingerprint (checker.fingerprint): what a decision is keyed by
    full_excerpt: str = ""    # the excerpt untruncated, for the exported decisions
    decision: str = ""        # the reviewer's decision from a decisions file (scan --decisions), if any
    note: str = ""


@dataclass(frozen=True)
class Piece:
    """An item of a block's rendered text: plain/marked text ('t'), an anchor ('a') or a rule chip ('c')."""

    kind: str
    text: str = ""
    fids: tuple[str, ...] = ()
    severity: str = ""
    finding: FindingView | None = None


@dataclass(frozen=True)
class BlockView:
    id: str
    kind: str
    level: int
    pieces: tuple[Piece, ...]
    flagged: bool
    ocr: str = ""  # "OCR识别，请核对原文（置信度 93%）" for text read by OCR


@dataclass(frozen=True)
class TableView:
    id: str
    rows: tuple[tuple[BlockView | None, ...], ...]
    flagged: bool


@dataclass(frozen=True)
class Node:
    """A top-level thing in the document body: a heading/paragraph, a table or a page marker."""

    kind: str  # "block" | "table" | "page"
    block: BlockView | None = None
    table: TableView | None = None
    page: int | None = None
    ocr: str = ""  # on a page marker: the page (or part of it) was read by OCR


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    n: int


@dataclass(frozen=True)
class Group:
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class FactView:
    label: str
    value: str
    known: bool


@dataclass(frozen=True)
class DocView:
    id: str
    path: str
    name: str
    status: str
    error: str | None
    facts: tuple[FactView, ...]
    findings: tuple[FindingView, ...]
    by_severity: tuple[Count, ...]
    by_family: tuple[Count, ...]
    by_rule: tuple[Count, ...]
    by_section: tuple[Group, ...]
    by_family_groups: tuple[Group, ...]
    unplaced: tuple[FindingView, ...]
    nodes: Any  # iterator of Node, produced while the template renders (keeps memory flat)
    pages: int | None
    has_document: bool
    verdict: str = ""
    verdict_key: str = ""
    hidden: int = 0           # findings a decisions file judged false alarms (not listed)
    hidden_json: str = "[]"   # those decisions, so 导出判断 writes them out again
    checklist: tuple = ()  # (group title, ((id, title, status, reason), ...)) per checklist group
    opinion: str = ""  # link to the review opinion written beside the report (scan --opinion-dir)


@dataclass(frozen=True)
class ExampleView:
    text: str
    span: str


@dataclass(frozen=True)
class RuleCard:
    id: str
    title: str
    severity: str
    severity_zh: str
    family: str
    family_label: str
    preview: bool
    description: str
    basis: tuple[str, ...]
    fix: str
    bad: tuple[ExampleView, ...]
    good: tuple[ExampleView, ...]
    count: int


def family_of(rule_id: str, rules: dict) -> str:
    rule = rules.get(rule_id)
    fam = getattr(rule, "family", None) or rule_id.split("-")[0]
    return str(fam).upper()


def family_label(fam: str) -> str:
    return f"{fam} {FAMILY_ZH[fam]}" if fam in FAMILY_ZH else fam


def _money(v: float) -> str:
    if v == 0:
        return "0 元"
    if v >= 10000:  # four decimals of 万元 are exact to the yuan
        return f"{v / 10000:,.4f}".rstrip("0").rstrip(".") + " 万元"
    return f"{v:,.2f} 元".replace(".00 元", " 元")


def _num(v: float) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _scoring(schemes) -> str:
    out = []
    for sc in schemes:
        if not isinstance(sc, dict):
            out.append(str(sc))
            continue
        lot = f"包{sc['lot']}：" if sc.get("lot") else ""
        total = f"总分 {_num(sc['total'])}" if sc.get("total") is not None else "总分未知"
        price = f"，价格分 {_num(sc['price_points'])}" if sc.get("price_points") is not None else ""
        out.append(f"{lot}{total}{price}（{len(sc.get('items') or [])} 项）")
    return "；".join(out)


def _lots(lots) -> str:
    out = []
    for lot in lots:
        if not isinstance(lot, dict):
            out.append(str(lot))
            continue
        parts = [f"{FACT_LABELS.get(k, k)} {fact_value(k, v)}" for k, v in lot.items() if k != "lot"]
        out.append(f"包{lot.get('lot', '?')}" + (f"：{'，'.join(parts)}" if parts else ""))
    return "；".join(out)


def fact_value(key: str, value: Any) -> str:
    """A fact in words; facts are extended by others, so anything unexpected is shown as it is."""
    if value is None or value == [] or value == "" or value == {}:
        return "未说明"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "scoring" and isinstance(value, (list, tuple)):
        return _scoring(value)
    if key == "regime":
        return LABELS.get(str(value), str(value))
    if key == "adopts" and isinstance(value, dict):
        return "；".join(f"{POLICIES.get(k, k)}（{v.get('where', '本文件')}）" for k, v in value.items())
    if key == "lots" and isinstance(value, (list, tuple)):
        return _lots(value)
    if key in _MONEY_KEYS and isinstance(value, (int, float)):
        return _money(float(value))
    if key in _PERCENT_KEYS and isinstance(value, (int, float)):
        return f"{(value * 100 if 0 < value <= 1 else value):g}%"
    if isinstance(value, (list, tuple)):
        return "；".join(fact_value(key, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{FACT_LABELS.get(k, k)}：{fact_value(k, v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if key == "sme_mode":
        text = _SME_MODE_ZH.get(str(value), str(value))
    elif key.endswith("_from"):  # names another fact
        text = FACT_LABELS.get(str(value), str(value))
    else:
        text = _VALUE_ZH.get(str(value), str(value))
    return text if len(text) <= 300 else text[:298] + "…"


def _facts(facts: dict) -> tuple[FactView, ...]:
    keys = [k for k in FACT_LABELS if k in facts] + [k for k in facts if k not in FACT_LABELS]
    return tuple(FactView(FACT_LABELS.get(k, k), fact_value(k, facts[k]),
                          facts[k] not in (None, [], "", {})) for k in keys)


def _sev_max(sevs) -> str:
    return max(sevs, key=lambda s: SEVERITY_ORDER.get(s, 0))


def block_pieces(block: Block, views: list[tuple[Finding, FindingView]]) -> tuple[Piece, ...]:
    """Cut a block's text at every finding boundary so overlapping findings each get their marks:
    every piece knows all findings covering it; an anchor precedes a finding's first piece and its
    chip follows its last. One sweep over the cuts (linear in findings plus covered pieces)."""
    text = block.text
    n = len(text)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    spans = []
    for k, (f, v) in enumerate(views):
        s = min(max(f.location.start, 0), n)
        e = min(max(f.location.end, s), n)
        spans.append((s, e, f, v))
        starts.setdefault(s, []).append(k)
        if s < e:
            ends.setdefault(e, []).append(k)
    cuts = sorted({0, n, *starts, *ends})
    active: dict[int, None] = {}  # findings covering the current piece, in report order
    out: list[Piece] = []
    for i, pos in enumerate(cuts):
        for k in ends.get(pos, ()):  # chips of findings ending here
            active.pop(k, None)
            out.append(Piece("c", finding=spans[k][3], severity=spans[k][2].severity))
        for k in starts.get(pos, ()):  # anchors of findings starting here
            s, e, f, v = spans[k]
            out.append(Piece("a", fids=(v.id,), finding=v))
            if s == e:  # nothing to mark (e.g. a missing clause reported here): chip only
                out.append(Piece("c", finding=v, severity=f.severity))
            else:
                active[k] = None
        if i + 1 < len(cuts):
            cover = sorted(active)
            out.append(Piece("t", text[pos:cuts[i + 1]], tuple(spans[k][3].id for k in cover),
                             _sev_max([spans[k][2].severity for k in cover]) if cover else ""))
    return tuple(out)


def _block_view(doc_id: str, block: Block, by_block: dict) -> BlockView:
    views = by_block.get(block.index)
    pieces = block_pieces(block, views) if views else (Piece("t", block.text),)
    return BlockView(f"{doc_id}-b{block.index}", block.kind, block.level or 0, pieces, bool(views),
                     _ocr_note(block.ocr))


def _ocr_note(conf: float | None) -> str:
    return "" if conf is None else f"{OCR_NOTE}（置信度 {conf:.0%}）"


def iter_nodes(doc_id: str, doc: Document, by_block: dict) -> Iterator[Node]:
    """The document body in reading order; tables drawn whole where their first cell appears."""
    done_tables: set[int] = set()
    page = None
    ocr_pages: dict[int, float] = {}
    for block in doc.blocks:
        if block.ocr is not None and block.page is not None:
            ocr_pages[block.page] = min(block.ocr, ocr_pages.get(block.page, 1.0))
    for block in doc.blocks:
        if block.page is not None and block.page != page:
            page = block.page
            yield Node("page", page=page, ocr=_ocr_note(ocr_pages.get(page)))
        if block.table is not None and 0 <= block.table < len(doc.tables):
            if block.table in done_tables:
                continue
            done_tables.add(block.table)
            table = doc.tables[block.table]
            rows = tuple(tuple(_block_view(doc_id, doc.blocks[i], by_block) if i is not None else None
                               for i in row) for row in table.rows)
            flagged = any(c is not None and c.flagged for row in rows for c in row)
            yield Node("table", table=TableView(f"{doc_id}-t{table.index}", rows, flagged))
            continue
        yield Node("block", block=_block_view(doc_id, block, by_block))


def _groups(findings: list[FindingView], key) -> tuple[Group, ...]:
    order: dict[str, list[FindingView]] = {}
    for f in findings:
        order.setdefault(key(f), []).append(f)
    return tuple(Group(k, tuple(v)) for k, v in order.items())


def _spot(loc) -> str:
    """The short place of a finding (第N段 / 表N… / 第N页), with the OCR note when the text was recognised."""
    spot = replace(loc, ocr=None).describe().rsplit(" · ", 1)[-1]
    return spot if loc.ocr is None else f"{spot} · {OCR_NOTE}"


def _doc_view(i: int, r: FileResult, rules: dict) -> tuple[DocView, list[Finding]]:
    doc_id = f"d{i + 1}"
    doc = r.document
    nblocks = len(doc.blocks) if doc is not None else 0
    pairs: list[tuple[Finding, FindingView]] = []
    fps = fingerprints(r.findings)
    for j, f in enumerate(r.findings):
        loc = f.location
        rel = tuple(f"{doc_id}-b{x.block}" for x in f.related if doc is not None and 0 <= x.block < nblocks)
        placed = doc is not None and 0 <= loc.block < nblocks
        pairs.append((f, FindingView(
            id=f"{doc_id}-f{j + 1}", rule_id=f.rule_id, severity=f.severity,
            severity_zh=SEVERITY_ZH.get(f.severity, f.severity), family=family_of(f.rule_id, rules),
            title=f.title, message=f.message, fix=f.fix, basis=tuple(str(b) for b in f.basis),
            where=loc.describe(), spot=_spot(loc), section=" › ".join(loc.section) or "（文档开头，未在任何标题下）",
            excerpt=f.excerpt if len(f.excerpt) <= 80 else f.excerpt[:78] + "…",
            preview=f.status == "preview", related=rel, placed=placed, also=f.also,
            regime=LABELS.get(f.regime or "", ""), fp=fps[j], full_excerpt=f.excerpt,
            decision=f.decision or "", note=f.note or "")))
    by_block: dict[int, list] = {}
    for f, v in pairs:
        if v.placed:
            by_block.setdefault(f.location.block, []).append((f, v))
    views = [v for _, v in pairs]
    sev_counts = tuple(Count(s, SEVERITY_ZH[s], sum(1 for v in views if v.severity == s)) for s in SEVERITIES)
    fams = sorted({v.family for v in views})
    fam_counts = tuple(Count(fm, family_label(fm), sum(1 for v in views if v.family == fm)) for fm in fams)
    rule_counts = _rule_counts(views)
    nodes = iter_nodes(doc_id, doc, by_block) if doc is not None else iter(())
    view = DocView(
        id=doc_id, path=r.path, name=os.path.basename(r.path) or r.path, status=r.status, error=r.error,
        facts=_facts(r.facts or {}), findings=tuple(views), by_severity=sev_counts, by_family=fam_counts,
        by_rule=rule_counts,
        by_section=_groups(views, lambda v: v.section),
        by_family_groups=_groups(sorted(views, key=lambda v: (v.family, v.rule_id)),
                                 lambda v: family_label(v.family)),
        unplaced=tuple(v for v in views if not v.placed), nodes=nodes,
        pages=doc.pages if doc is not None else None, has_document=doc is not None,
        hidden=len(r.hidden or ()), hidden_json=_hidden_json(r),
        **_checklist_view(r))
    return view, [f for f, _ in pairs]


def _rule_counts(views: list[FindingView]) -> tuple[Count, ...]:
    """Findings per rule ID (for the rule filter), labelled with the rule's title."""
    titles: dict[str, str] = {}
    counts: dict[str, int] = {}
    for v in views:
        titles.setdefault(v.rule_id, v.title)
        counts[v.rule_id] = counts.get(v.rule_id, 0) + 1
    return tuple(Count(rid, f"{rid} {titles[rid]}", counts[rid]) for rid in sorted(counts))


def _hidden_json(r: FileResult) -> str:
    """The decisions behind the hidden false alarms, as the exported file writes them."""
    hidden = r.hidden or ()
    return json.dumps([{"fingerprint": fp, "rule_id": f.rule_id, "excerpt": f.excerpt,
                        "decision": f.decision, "note": f.note or ""}
                       for f, fp in zip(hidden, fingerprints(hidden))], ensure_ascii=False)


def report_key(report: Report) -> str:
    """Names the report's reviewer choices in the browser's storage: the same documents, the same key."""
    paths = "\n".join(os.path.abspath(r.path) for r in report.files)
    return hashlib.sha256(paths.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_VERDICT_KEYS = {"不通过": "error", "需修改": "warning", "通过": "ok"}


def _checklist_view(r: FileResult) -> dict:
    """The verdict and the checklist grouped as the form is (编制核查表, 条例第三十二条, D01–D22)."""
    if not r.checklist:
        return {}
    verdict = r.verdict() or {}
    groups: dict[str, list] = {}
    from ..checklist import shown

    for st in shown(r.checklist_states()):
        groups.setdefault(st.item.group_title, []).append((st.item.id, st.item.title, st.status, st.reason))
    return {"verdict": verdict.get("text", ""), "verdict_key": _VERDICT_KEYS.get(verdict.get("conclusion"), ""),
            "checklist": tuple((title, tuple(rows)) for title, rows in groups.items())}


def _example(ex) -> ExampleView:
    spans = getattr(ex, "spans", ()) or ()
    return ExampleView(ex.text.strip(), spans[0] if spans else "")


def _cards(findings: list[Finding], rules: dict) -> tuple[RuleCard, ...]:
    counts: dict[str, int] = {}
    first: dict[str, Finding] = {}
    for f in findings:
        counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
        first.setdefault(f.rule_id, f)
    cards = []
    for rid in sorted(counts):
        rule, f = rules.get(rid), first[rid]
        if rule is None:  # a rule from a folder the report was not told about: use what the finding carries
            cards.append(RuleCard(rid, f.title, f.severity, SEVERITY_ZH.get(f.severity, f.severity),
                                  family_of(rid, rules), family_label(family_of(rid, rules)),
                                  f.status == "preview", "",
                                  tuple(str(b) for b in f.basis), f.fix, (), (), counts[rid]))
            continue
        cards.append(RuleCard(
            rid, rule.title, rule.severity, SEVERITY_ZH.get(rule.severity, rule.severity),
            family_of(rid, rules), family_label(family_of(rid, rules)), rule.status == "preview",
            rule.description.strip(),
            tuple(str(b) for b in rule.basis), rule.fix.strip(),
            tuple(_example(e) for e in rule.bad[:1]), tuple(_example(e) for e in rule.good[:1]),
            counts[rid]))
    return tuple(cards)


def _load_rules(rules) -> dict:
    if rules is None:
        try:
            from ..rules import load_rules

            rules = load_rules()
        except Exception:  # the report must still be written if a rule folder is broken
            rules = []
    return {r.id: r for r in rules}


def _coverage(rules) -> str:
    fams: dict[str, int] = {}
    for r in rules:
        fam = str(getattr(r, "family", "") or r.id.split("-")[0]).upper()
        fams[fam] = fams.get(fam, 0) + 1
    parts = "、".join(f"{family_label(f)} {n}" for f, n in sorted(fams.items()))
    return f"本次检查加载了 {sum(fams.values())} 条规则（{parts}），各自只在适用的项目上运行；未列出的问题类型没有检查。"


def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("checker", "templates"),
                      autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_finalize)
    env.filters["mark_span"] = _split_span
    return env


# Control characters from a document or file name are not allowed in HTML; each becomes U+FFFD
# (one for one) before autoescaping, which handles < > & " '.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _finalize(value):
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub("\ufffd", value)
    return value


def _split_span(text: str, span: str) -> tuple[str, str, str]:
    """(before, span, after) for highlighting the flagged words inside a rule's bad example."""
    i = text.find(span) if span else -1
    if i < 0:
        return text, "", ""
    return text[:i], span, text[i + len(span):]


def render(report: Report, rules=None, title: str | None = None, opinions=None, web=None, **_options) -> str:
    """The report page; ``web`` (checker.web.pages.ReportWeb) adds the local web app's navigation,
    downloads and comparison, and has decisions saved by the server instead of the browser."""
    from .. import __version__

    rule_map = _load_rules(rules)
    docs, all_findings = [], []
    for i, r in enumerate(report.files):
        view, found = _doc_view(i, r, rule_map)
        if opinions and r.path in opinions:
            view = replace(view, opinion=opinions[r.path])
        docs.append(view)
        all_findings.extend(found)
    summary = report.summary()
    # say what was checked, so a clean section is not read as "checked and fine" for rules never run
    ran = _coverage(rules) if rules is not None else ""
    sev_total = tuple(Count(s, SEVERITY_ZH[s], summary["by_severity"].get(s, 0)) for s in SEVERITIES)
    template = _env().get_template("report.html.j2")
    text = template.render(
        title=title or ("检查报告：" + docs[0].name if len(docs) == 1 else f"检查报告：{len(docs)} 个文件"),
        docs=docs, summary=summary, sev_total=sev_total, cards=_cards(all_findings, rule_map),
        version=__version__, generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        multi=len(docs) > 1, coverage=ran, report_key=report_key(report), web=web)
    # lone surrogates from broken documents must not make the whole report unwritable
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
