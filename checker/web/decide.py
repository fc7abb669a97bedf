"""Reviewer decisions stored for a project, put onto a check's findings.

A stored decision names a finding by its fingerprint (checker.fingerprint: rule ID + normalised passage
+ heading trail + ordinal). A finding of this check takes the decision with its own fingerprint; failing
that, one made on an earlier draft whose fingerprint this draft no longer has but whose rule ID and
normalised passage are the same (the clause stayed, its heading was renamed or it moved), each such
decision used once. So decisions survive a re-upload and a revised draft, and a second copy of a
judged clause in the same draft is still a finding of its own.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ..decisions import DECISION_ZH, FALSE_ALARM, Decision, Decisions
from ..fingerprint import fingerprints, norm_excerpt


def resolve(findings, rows: list[dict]) -> dict[str, dict]:
    """fingerprint of each decided finding → the stored row that decides it."""
    fps = fingerprints(findings)
    present = set(fps)
    exact = {r["fingerprint"]: r for r in rows}
    spare: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in reversed(rows):  # newest first
        if r["fingerprint"] not in present:
            spare[(r["rule_id"], r["passage"])].append(r)
    out = {}
    for f, fp in zip(findings, fps):
        row = exact.get(fp)
        if row is None:
            left = spare.get((f.rule_id, norm_excerpt(f.excerpt)))
            row = left.pop(0) if left else None
        if row is not None:
            out[fp] = row
    return out


def apply(result, rows: list[dict]):
    """The result with every finding carrying its fingerprint, decided ones their decision and note;
    false alarms moved to ``hidden`` (so the checklist and verdict no longer count them)."""
    if result.status != "ok":
        return result
    chosen = resolve(result.findings, rows)
    kept, hidden = [], []
    for f, fp in zip(result.findings, fingerprints(result.findings)):
        row = chosen.get(fp)
        if row is None:
            kept.append(replace(f, fingerprint=fp))
            continue
        f = replace(f, fingerprint=fp, decision=row["decision"] or None, note=row["note"] or None)
        (hidden if row["decision"] == FALSE_ALARM else kept).append(f)
    return replace(result, findings=tuple(kept), hidden=tuple(hidden))


def as_decisions(result, rows: list[dict]) -> Decisions:
    """The same choices as a checker.decisions.Decisions, for the library functions that take one."""
    chosen = resolve(result.findings, rows)
    return Decisions(None, {"": {fp: Decision(fp, r["decision"], r["note"], r["rule_id"], r["passage"])
                                 for fp, r in chosen.items() if r["decision"] in DECISION_ZH}})


def record(store, loaded, fp: str, decision: str, note: str) -> bool:
    """Save the reviewer's choice for the finding ``fp`` of a check (False: the check has no such
    finding). A decision of an earlier draft that this finding was matched to is superseded, so it
    cannot pass on to another copy of the clause; an empty decision and note clears the finding."""
    findings = loaded.raw.findings
    by_fp = dict(zip(fingerprints(findings), findings))
    if fp not in by_fp:
        return False
    f = by_fp[fp]
    pid = loaded.check["project_id"]
    matched = resolve(findings, loaded.rows).get(fp)
    if matched is not None and matched["fingerprint"] != fp:
        store.delete_decision(pid, matched["fingerprint"])
    if decision or note:
        store.set_decision(pid, fp, f.rule_id, norm_excerpt(f.excerpt), decision, note, loaded.check["id"])
    else:
        store.delete_decision(pid, fp)
    return True


def valid_decision(value) -> bool:
    return value == "" or value in DECISION_ZH
