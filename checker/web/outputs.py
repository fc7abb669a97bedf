"""What a check page offers: the HTML report and the downloads (annotated Word copy, review opinion,
xlsx, JSON), each made from the stored result with the project's current decisions."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import quote

from ..model import Report
from . import decide
from .errors import WebError

DOWNLOADS = {  # kind → (label, file name suffix, media type)
    "annotated": ("批注版 Word", ".批注.docx",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "opinion": ("审查意见书", ".审查意见书.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel 表", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", ".json", "application/json"),
}


@dataclass(frozen=True)
class Loaded:
    check: dict
    raw: object       # the FileResult as checked
    decided: object   # with the project's decisions (false alarms in ``hidden``)
    rows: list


def load(store, check_id: int) -> Loaded:
    from .store import StoredResultError

    check = store.check(check_id)
    try:
        raw = store.load_result(check_id) if check else None
    except StoredResultError as exc:
        raise WebError(500, str(exc)) from None
    if check is None or raw is None:
        raise WebError(404, f"找不到第 {check_id} 号检查记录（可能已被删除）")
    rows = store.decisions(check["project_id"])
    return Loaded(check, raw, decide.apply(raw, rows), rows)


def file_name(check: dict, kind: str) -> str:
    return PurePath(check["file_name"]).stem + DOWNLOADS[kind][1]


def disposition(name: str, kind: str) -> str:
    """An attachment header any browser reads: the Chinese name in RFC 5987 form, a plain ASCII one
    for the rest."""
    fallback = f"tender-check-{kind}{PurePath(DOWNLOADS[kind][1]).suffix}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def offered(check: dict) -> list[str]:
    from .service import ANNOTATABLE

    return [k for k in DOWNLOADS if k != "annotated" or check["ext"] in ANNOTATABLE]


def render_download(store, engine, loaded: Loaded, kind: str) -> bytes:
    if kind not in offered(loaded.check):
        if kind == "annotated":
            raise WebError(404, "批注版只对 Word 文件（.docx、.doc、.wps）提供")
        raise WebError(404, "没有这种下载")
    report = Report((loaded.decided,))
    if kind == "json":
        from ..reporters import json as json_reporter

        return json_reporter.render(report).encode("utf-8")
    if kind == "xlsx":
        from ..reporters import xlsx

        return xlsx.render(report)
    if kind == "opinion":
        from ..opinion import render_opinion

        return render_opinion(loaded.decided)
    return _annotated(store, engine, loaded)


def _annotated(store, engine, loaded: Loaded) -> bytes:
    from ..annotate import annotate_docx, annotate_file

    check = loaded.check
    source = store.source(check["id"], check["ext"])
    if source is None:
        raise WebError(404, "该检查没有保存 Word 原稿，无法生成批注版")
    with tempfile.TemporaryDirectory(prefix="tender-check-annotated-") as tmp:
        out = Path(tmp) / "annotated.docx"
        try:
            if check["ext"] == ".docx":
                annotate_docx(source, out, loaded.decided.findings, loaded.raw.document.blocks)
            else:  # .doc/.wps: LibreOffice converts the copy again, then it is checked and annotated
                annotate_file(source, out, engine=engine, decisions=decide.as_decisions(loaded.raw, loaded.rows))
        except Exception as exc:
            problem = getattr(exc, "problem", None) or f"{type(exc).__name__}"
            raise WebError(500, f"无法生成批注版：{problem}") from None
        return out.read_bytes()
