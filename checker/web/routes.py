"""The app's URLs: upload (form and API), report, decisions, downloads, history, comparison."""
from __future__ import annotations

import json
import sys

from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..compare import Side, compare
from ..reporters.json import finite
from . import outputs, pages, uploads
from .decide import record, resolve, valid_decision
from .errors import WebError
from .service import verdict_text

MAX_NOTE = 2000


def _svc(request):
    return request.app.state.checker


def _int(value, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise WebError(404, f"{what}编号无效") from None


async def index(request):
    store = _svc(request).store
    return HTMLResponse(pages.index_page(store.checks(10), store.projects(), request.app.state.settings))


async def _check_upload(request) -> list:
    settings = request.app.state.settings
    form, files, fields = await uploads.form_files(request, settings.max_upload_files)
    folder = uploads.private_folder()
    try:
        saved = [await uploads.save(f, folder, i, settings.max_upload_bytes) for i, f in enumerate(files)]
        project = fields.get("project", "").strip()
        project_id = int(project) if project.isdigit() else None
        return await run_in_threadpool(_svc(request).run, saved, project_id)
    finally:
        await form.close()
        if settings.keep_uploads:
            print(f"上传文件保留在 {folder}", file=sys.stderr, flush=True)
        else:
            uploads.remove(folder)


async def upload_form(request):
    return HTMLResponse(pages.results_page(await _check_upload(request)))


async def upload_api(request):
    return JSONResponse(finite({"results": [o.as_json() for o in await _check_upload(request)]}))


def _web(store, loaded) -> pages.ReportWeb:
    check = loaded.check
    cid = check["id"]
    prev = store.previous(check)
    downloads = tuple((outputs.DOWNLOADS[k][0], f"/checks/{cid}/download/{k}") for k in outputs.offered(check))
    return pages.ReportWeb(check, f"/api/checks/{cid}/decisions", downloads,
                           f"/checks/{cid}/compare" if prev else "", prev, pages.false_alarms(loaded.decided),
                           len(resolve(loaded.raw.findings, loaded.rows)))


async def report(request):
    svc = _svc(request)
    loaded = await run_in_threadpool(outputs.load, svc.store, _int(request.path_params["id"], "检查"))
    text = await run_in_threadpool(pages.report_page, loaded, svc.engine, _web(svc.store, loaded))
    return HTMLResponse(text)


async def findings_api(request):
    """The findings of a check with their decisions; ?severity=error,warning and ?rule=EXC-… filter."""
    svc = _svc(request)
    loaded = await run_in_threadpool(outputs.load, svc.store, _int(request.path_params["id"], "检查"))
    sev = {s for s in request.query_params.get("severity", "").split(",") if s}
    rules = {r for r in request.query_params.get("rule", "").split(",") if r}
    shown = [f for f in loaded.decided.findings
             if (not sev or f.severity in sev) and (not rules or f.rule_id in rules or f.rule_id.split("-")[0] in rules)]
    out = []
    for f in shown:
        item = f.as_json()
        item.update(fingerprint=f.fingerprint, decision=f.decision or "", note=f.note or "",
                    where=f.location.describe())
        out.append(item)
    return JSONResponse({"check_id": loaded.check["id"], "verdict": verdict_text(loaded.decided),
                         "findings": out, "false_alarms": list(pages.false_alarms(loaded.decided))})


async def _decision_body(request) -> tuple[str, str, str]:
    """fingerprint, decision ('' clears it) and note of a decision posted as JSON."""
    if "application/json" not in request.headers.get("content-type", ""):
        raise WebError(415, "判断应以 JSON 提交")
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise WebError(400, "判断不是有效的 JSON") from None
    if not isinstance(body, dict):
        raise WebError(400, "判断应为 JSON 对象")
    fp, decision, note = body.get("fingerprint"), body.get("decision", ""), body.get("note", "")
    if not all(isinstance(x, str) for x in (fp, decision, note)) or not fp:
        raise WebError(400, "判断缺少 fingerprint，或字段不是文字")
    if not valid_decision(decision):
        raise WebError(400, f"判断 {decision!r} 无效：应为 accepted（采纳）、false_alarm（误报）、pending（待核）或空")
    if len(note) > MAX_NOTE:
        raise WebError(400, f"备注过长（最多 {MAX_NOTE} 字）")
    return fp, decision, note.strip()


async def decide_api(request):
    svc = _svc(request)
    cid = _int(request.path_params["id"], "检查")
    fp, decision, note = await _decision_body(request)
    loaded = await run_in_threadpool(outputs.load, svc.store, cid)
    if not record(svc.store, loaded, fp, decision, note):
        raise WebError(400, "本次检查中没有这一项发现（页面可能已过期，请刷新）")
    await run_in_threadpool(svc.refresh_summary, cid)
    return JSONResponse({"ok": True, "fingerprint": fp, "decision": decision, "note": note})


async def download(request):
    svc = _svc(request)
    kind = request.path_params["kind"]
    if kind not in outputs.DOWNLOADS:
        raise WebError(404, "没有这种下载")
    loaded = await run_in_threadpool(outputs.load, svc.store, _int(request.path_params["id"], "检查"))
    data = await run_in_threadpool(outputs.render_download, svc.store, svc.engine, loaded, kind)
    return Response(data, media_type=outputs.DOWNLOADS[kind][2],
                    headers={"Content-Disposition": outputs.disposition(outputs.file_name(loaded.check, kind), kind)})


def _with_previous(checks: list[dict]) -> list[dict]:
    """Each check with the id of its project's draft before it (a different text), for the history."""
    by_project: dict[int, list[dict]] = {}
    for c in sorted(checks, key=lambda c: c["id"]):
        earlier = [p for p in by_project.get(c["project_id"], []) if p["sha256"] != c["sha256"]]
        c["previous_id"] = earlier[-1]["id"] if earlier else None
        by_project.setdefault(c["project_id"], []).append(c)
    return checks


async def history(request):
    return HTMLResponse(pages.history_page(_with_previous(_svc(request).store.checks())))


async def delete(request):
    cid = _int(request.path_params["id"], "检查")
    if not _svc(request).store.delete_check(cid):
        raise WebError(404, f"找不到第 {cid} 号检查记录")
    return RedirectResponse("/history", status_code=303)


async def compare_view(request):
    svc = _svc(request)
    new = await run_in_threadpool(outputs.load, svc.store, _int(request.path_params["id"], "检查"))
    other = request.query_params.get("with")
    prev = svc.store.check(_int(other, "检查")) if other else svc.store.previous(new.check)
    if prev is None:
        raise WebError(404, "这个项目没有更早的一稿可以比较")
    old = await run_in_threadpool(outputs.load, svc.store, prev["id"])
    comparison = compare(Side(old.check["file_name"], "document", old.raw.findings),
                         Side(new.check["file_name"], "document", new.raw.findings))
    return HTMLResponse(pages.compare_page(old.check, new.check, comparison))


async def no_icon(request):
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        Route("/favicon.ico", no_icon),
        Route("/", index),
        Route("/upload", upload_form, methods=["POST"]),
        Route("/api/checks", upload_api, methods=["POST"]),
        Route("/history", history),
        Route("/checks/{id}", report),
        Route("/checks/{id}/compare", compare_view),
        Route("/checks/{id}/download/{kind}", download),
        Route("/checks/{id}/delete", delete, methods=["POST"]),
        Route("/api/checks/{id}/findings", findings_api),
        Route("/api/checks/{id}/decisions", decide_api, methods=["POST"]),
    ]
