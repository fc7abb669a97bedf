"""Rows for the tabular reports: one module builds them, csv.py and xlsx.py write them.

A ``Sheet`` is a name, its columns (header, width, wrap) and a list of rows of plain values (str, int,
float, or None for an empty cell). ``sheets(report)`` gives the workbook in order — 汇总, 发现 and,
when a result carries one, 核查表; a further sheet is one more ``Sheet`` in that list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..decisions import DECISION_ZH
from ..regime import LABELS
from . import SEVERITY_ZH

NOT_STATED = "未说明"        # a fact the document is silent on
UNKNOWN_REGIME = "未能确定"
REGIME_ZH = {**LABELS, "enterprise": "企业自行采购"}
ATTRIBUTE_ZH = {"goods": "货物", "services": "服务", "works": "工程"}
STATUS_ZH = {"stable": "正式", "preview": "预览"}


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12           # in characters (a Chinese character is about two)
    wrap: bool = False          # long text: wrap within the cell
    number_format: str | None = None


@dataclass
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


FINDING_COLUMNS = (
    Column("文件", 30, wrap=True),
    Column("规则ID", 20),
    Column("级别", 8),
    Column("状态", 8),
    Column("标题", 36, wrap=True),
    Column("说明", 50, wrap=True),
    Column("摘录", 36, wrap=True),
    Column("所在句子", 60, wrap=True),
    Column("位置", 40, wrap=True),
    Column("依据", 50, wrap=True),
    Column("修改建议", 50, wrap=True),
    Column("亦触发", 20, wrap=True),
    Column("判断制度", 20, wrap=True),
)
# added after the finding columns when reviewer decisions were applied (scan --decisions)
DECISION_COLUMNS = (
    Column("审查判断", 10),
    Column("备注", 40, wrap=True),
)


def finding_columns(report) -> tuple[Column, ...]:
    return FINDING_COLUMNS + DECISION_COLUMNS if report.decided else FINDING_COLUMNS

SUMMARY_COLUMNS = (
    Column("文件", 36, wrap=True),
    Column("状态", 24, wrap=True),
    Column("项目名称", 36, wrap=True),
    Column("制度", 26, wrap=True),
    Column("采购方式", 14),
    Column("项目属性", 10),
    Column("预算（元）", 18, number_format="#,##0.00"),
    Column("价格分权重（%）", 16, number_format="0.##"),
    Column("小微企业价格扣除（%）", 22, wrap=True),
    Column("错误数", 8),
    Column("警告数", 8),
    Column("提示数", 8),
    Column("审查结论", 24, wrap=True),
)

CHECKLIST_COLUMNS = (
    Column("文件", 36, wrap=True),
    Column("核查表", 24, wrap=True),
    Column("项", 8),
    Column("核查项", 50, wrap=True),
    Column("结果", 14, wrap=True),
    Column("说明", 60, wrap=True),
)


def regime_zh(regime: str | None) -> str:
    return REGIME_ZH.get(regime, regime) if regime else UNKNOWN_REGIME


def finding_row(path: str, f, decided: bool = False) -> list[Any]:
    """One finding as the 发现 sheet (and the CSV) show it; the location numbered from 1 exactly as
    the text report (Location.describe). ``decided``: add the 审查判断 and 备注 cells."""
    row = [
        path,
        f.rule_id,
        SEVERITY_ZH.get(f.severity, f.severity),
        STATUS_ZH.get(f.status, f.status),
        f.title,
        f.message,
        f.excerpt,
        f.sentence,
        f.location.describe(),
        "；".join(str(b) for b in f.basis),
        f.fix,
        "、".join(f.also),
        regime_zh(f.regime),
    ]
    if decided:
        row += [DECISION_ZH.get(f.decision, f.decision) if f.decision else None, f.note or None]
    return row


def finding_rows(report) -> Iterator[list[Any]]:
    decided = report.decided
    for r in report.files:
        for f in r.findings:
            yield finding_row(r.path, f, decided)


def unreadable_row(r, columns=FINDING_COLUMNS) -> list[Any]:
    """A file that could not be read, on the finding columns (for the one-table CSV): 状态 says so and
    说明 gives the reason."""
    row: list[Any] = [None] * len(columns)
    row[0], row[3], row[5] = r.path, "无法读取", r.error
    return row


def _number(v) -> int | float:
    v = float(v)
    return int(v) if v.is_integer() else v


def _fact(facts: dict, key: str, show=lambda v: v):
    v = facts.get(key)
    if v is None or v == "" or v == []:
        return NOT_STATED
    return show(v)


def _deduction(facts: dict):
    rates = facts.get("sme_deduction") or []
    if rates:
        return "、".join(format(_number(x), "g") for x in rates) if len(rates) > 1 else _number(rates[0])
    if facts.get("sme_mode") == "whole" or facts.get("sme_reserved") is True:
        return "不适用（专门面向中小企业）"
    return NOT_STATED


def summary_row(r) -> list[Any]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in r.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    tail = [counts["error"], counts["warning"], counts["info"]]
    if r.status != "ok":
        # nothing was read, so nothing is known about the project: leave the fact cells empty
        return [r.path, f"无法读取：{r.error}" if r.error else "无法读取"] + [None] * 7 + tail + [None]
    facts = r.facts or {}
    return [
        r.path,
        "正常",
        _fact(facts, "project_name"),
        regime_zh(facts.get("regime")),
        _fact(facts, "method"),
        _fact(facts, "attribute", lambda v: ATTRIBUTE_ZH.get(v, v)),
        _fact(facts, "budget", _number),
        _fact(facts, "price_weight", _number),
        _deduction(facts),
    ] + tail + [(r.verdict() or {}).get("text")]


def checklist_sheet(report) -> Sheet | None:
    """核查表: one row per checklist item and file (checker.checklist), statuses against the findings shown."""
    rows = [[r.path, st.item.group_title, st.item.id, st.item.title, st.status, st.reason]
            for r in report.files if r.checklist for st in r.checklist_states()]
    return Sheet("核查表", CHECKLIST_COLUMNS, rows) if rows else None


def sheets(report) -> list[Sheet]:
    summary = Sheet("汇总", SUMMARY_COLUMNS, [summary_row(r) for r in report.files])
    if report.decided:  # how many findings the reviewer's false alarms took out of each file
        summary.columns += (Column("已判定误报", 10),)
        for r, row in zip(report.files, summary.rows):
            row.append(len(r.hidden) if r.hidden is not None else None)
    out = [summary,
           Sheet("发现", finding_columns(report), list(finding_rows(report)))]
    extra = checklist_sheet(report)
    if extra is not None:
        out.append(extra)
    return out
