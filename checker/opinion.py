"""The review opinion (审查意见书): a Word document a reviewer signs and attaches when the file is uploaded.

Project facts, the verdict, the checklist, every finding with its location, excerpt, basis and fix (and the
reviewer's decision and note when the scan applied decisions), then a signature and date block. Written with
python-docx; the caller writes the bytes atomically.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from .checklist import shown
from .decisions import DECISION_ZH
from .model import FileResult
from .reporters import SEVERITY_ZH
from .reporters.html import FACT_LABELS, fact_value

_FACTS = ("buyer", "regime", "method", "attribute", "budget", "max_price", "price_weight", "sme_deduction",
          "announce_date")


def _table(doc, header: list[str], rows: list[list[str]]):
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(t.add_row().cells, row):
            cell.text = text
    return t


def _facts_section(doc, r: FileResult) -> None:
    doc.add_heading("一、项目基本情况", level=1)
    facts = r.facts or {}
    _table(doc, ["项目", "内容"], [["文件", Path(r.path).name]] + [[FACT_LABELS[k], fact_value(k, facts.get(k))] for k in _FACTS])


def _verdict_section(doc, r: FileResult) -> None:
    doc.add_heading("二、审查结论", level=1)
    v = r.verdict() or {"text": "未能审查", "manual": []}
    doc.add_paragraph(v["text"])
    for item in v.get("manual", []):
        doc.add_paragraph(f"需人工核查：{item}", style="List Bullet")


def _checklist_section(doc, r: FileResult) -> None:
    doc.add_heading("三、核查表", level=1)
    rows = [[s.item.id, s.item.title, s.status, s.reason] for s in shown(r.checklist_states(), mof=False)]
    _table(doc, ["项", "核查内容", "结果", "说明"], rows)


def _findings_section(doc, r: FileResult) -> None:
    doc.add_heading("四、发现的问题及修改意见", level=1)
    if not r.findings:
        doc.add_paragraph("未发现问题。")
    if r.hidden:
        doc.add_paragraph(f"另有 {len(r.hidden)} 项经审查人判定为误报，未列入。")
    for i, f in enumerate(r.findings, 1):
        status = "（预览规则）" if f.status == "preview" else ""
        doc.add_heading(f"{i}. {f.rule_id}［{SEVERITY_ZH.get(f.severity, f.severity)}］{status}{f.title}", level=2)
        lines = [("位置", f.location.describe()), ("原文", f.excerpt), ("问题", f.message),
                 ("依据", "；".join(str(b) for b in f.basis)), ("修改建议", f.fix)]
        if f.also:
            lines.append(("同一条款亦触发", "、".join(f.also)))
        decision = getattr(f, "decision", None)
        if decision:
            lines.append(("审查人判断", DECISION_ZH.get(decision, decision)))
        if getattr(f, "note", None):
            lines.append(("审查人备注", f.note))
        for label, text in lines:
            p = doc.add_paragraph()
            p.add_run(f"{label}：").bold = True
            p.add_run(text)


def _signature(doc) -> None:
    doc.add_heading("五、审查意见", level=1)
    doc.add_paragraph("审查意见：" + "＿" * 30)
    doc.add_paragraph("审查人（签字）：＿＿＿＿＿＿　　复核人（签字）：＿＿＿＿＿＿")
    doc.add_paragraph("审查单位（盖章）：＿＿＿＿＿＿＿＿＿＿")
    doc.add_paragraph("日期：＿＿＿＿年＿＿月＿＿日")


def render_opinion(r: FileResult, today: date | None = None) -> bytes:
    """The opinion for one scanned file, as .docx bytes."""
    from docx import Document as Docx
    from docx.oxml.ns import qn

    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading("采购文件审查意见书", level=0)
    doc.add_paragraph(f"由 tender-check 自动检查生成，{(today or date.today()).isoformat()}；结论和意见以审查人签字为准。")
    if r.status != "ok":
        doc.add_paragraph(f"文件 {Path(r.path).name} 无法读取：{r.error}")
    else:
        _facts_section(doc, r)
        _verdict_section(doc, r)
        _checklist_section(doc, r)
        _findings_section(doc, r)
    _signature(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def default_output(path: str) -> str:
    return Path(path).stem + ".审查意见书.docx"
