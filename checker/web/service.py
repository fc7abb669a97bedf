"""Checking uploaded drafts: the library's per-file worker (checker.batch) over a warm engine, the
results stored under the project with its decisions carried over."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from ..api import Options, build_engine
from ..batch import Batch, BatchSettings, default_jobs, warm_up
from . import decide
from .project import identify
from .store import Store, StoredResultError
from .uploads import Upload

ANNOTATABLE = (".docx", ".doc", ".wps")  # what checker.annotate writes Word comments on


@dataclass(frozen=True)
class Outcome:
    """One uploaded file after its check: a stored check, or the one-line reason it could not be."""

    name: str
    check_id: int | None = None
    error: str = ""
    verdict: str = ""
    counts: dict | None = None
    previous_id: int | None = None   # the project's draft before this one, for the comparison
    carried: int = 0                 # decisions carried over from earlier checks of the project
    seconds: float = 0.0

    def as_json(self) -> dict:
        out = {"name": self.name, "ok": not self.error}
        if self.error:
            out["error"] = self.error
        else:
            out.update(check_id=self.check_id, verdict=self.verdict, counts=self.counts,
                       previous_id=self.previous_id, carried_decisions=self.carried,
                       report=f"/checks/{self.check_id}", seconds=round(self.seconds, 3))
            if self.previous_id:
                out["compare"] = f"/checks/{self.check_id}/compare"
        return out


def severity_counts(findings) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def verdict_text(result) -> str:
    v = result.verdict() if result.status == "ok" else None
    return (v or {}).get("text", "")


def _renamed(result, name: str, temp: str):
    """The result as if the file were called ``name``: the temporary path appears nowhere."""
    def loc(location):
        return replace(location, path=name)

    findings = tuple(replace(f, location=loc(f.location), related=tuple(loc(x) for x in f.related))
                     for f in result.findings)
    error = result.error.replace(temp, name) if result.error else result.error
    doc = result.document
    if doc is not None and hasattr(doc, "path"):
        doc = replace(doc, path=name)
    return replace(result, path=name, findings=findings, error=error, document=doc)


class Checker:
    """Owns the warm engine; one upload is checked at a time (the workers take the cores)."""

    def __init__(self, store: Store, options: Options | None = None):
        self.store = store
        self.options = replace(options or Options(), keep_document=True)
        self.engine = build_engine(self.options)
        warm_up(self.engine)
        self._lock = threading.Lock()

    def run(self, uploads: list[Upload], project_id: int | None = None) -> list[Outcome]:
        """Check the accepted uploads in worker processes; refused ones keep their reason. In upload order."""
        ready = [u for u in uploads if u.path is not None]
        results = {}
        if ready:
            settings = BatchSettings(jobs=min(len(ready), default_jobs()))
            with self._lock:
                started = time.perf_counter()
                for u, r in zip(ready, Batch([str(u.path) for u in ready], self.options, settings, engine=self.engine)):
                    results[u.path] = (r, time.perf_counter() - started)
                    started = time.perf_counter()
        out = []
        for u in uploads:
            if u.path is None:
                out.append(Outcome(u.name, error=f"{u.name}：{u.error}"))
                continue
            r, seconds = results[u.path]
            out.append(self._store(u, _renamed(r, u.name, str(u.path)), seconds, project_id))
        return out

    def _store(self, u: Upload, result, seconds: float, project_id: int | None) -> Outcome:
        if result.status != "ok":
            return Outcome(u.name, error=f"{u.name}：{result.error}")
        pid = self._project(u, result, project_id)
        rows = self.store.decisions(pid)
        decided = decide.apply(result, rows)
        check_id = self.store.add_check(pid, u.name, u.sha256, u.ext, verdict_text(decided),
                                        severity_counts(decided.findings), seconds)
        self.store.save_result(check_id, result, u.path if u.ext in ANNOTATABLE else None, u.ext)
        prev = self.store.previous(self.store.check(check_id))
        carried = len(decide.resolve(result.findings, rows))
        return Outcome(u.name, check_id, verdict=verdict_text(decided), counts=severity_counts(decided.findings),
                       previous_id=prev["id"] if prev else None, carried=carried, seconds=seconds)

    def _project(self, u: Upload, result, chosen: int | None) -> int:
        """The project chosen on the page, else the one these exact bytes were checked under, else the
        first of number / name / file name already known, else a new one under the best of them."""
        if chosen is not None and self.store.project_exists(chosen):
            return chosen
        known = self.store.project_of_content(u.sha256)
        if known is not None:
            return known
        ident = identify(result.document, u.name)
        for key in ident.keys:
            pid = self.store.project_id(key)
            if pid is not None:
                return pid
        return self.store.project(ident.keys[0], ident.name, ident.number)

    def refresh_summary(self, check_id: int) -> None:
        """After a decision: the history's verdict and counts follow the findings still held."""
        check = self.store.check(check_id)
        try:
            result = self.store.load_result(check_id)
        except StoredResultError:
            return
        if check is None or result is None:
            return
        decided = decide.apply(result, self.store.decisions(check["project_id"]))
        self.store.update_summary(check_id, verdict_text(decided), severity_counts(decided.findings))
