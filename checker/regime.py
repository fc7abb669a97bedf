"""Which legal regime a rule is judged under for a document, and on which basis (catalog §2.1).

A document's ``regime`` fact is one of REGIMES. A rule's ``regimes:`` mapping says, per regime (or the
group ``eng`` = both 招标投标法 classes), whether it binds and with which basis and severity; a regime
missing from the mapping does not bind. ``adopted`` lets a rule run where no regime binds it but the
document itself declares the policy (e.g. 财库〔2020〕46号): the basis is then the document's own clause.
Rules without ``regimes`` keep the legacy ``applies.regime`` list (each listed regime binds with the
rule's own basis).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .errors import RuleFileError
from .model import Basis

REGIMES = ("gp", "eng-must", "eng-other", "enterprise", "military")
GROUPS = {"eng": ("eng-must", "eng-other")}
LABELS = {"gp": "政府采购", "eng-must": "招标投标法（依法必须招标）", "eng-other": "招标投标法（其他招标）",
          "enterprise": "企业自行采购（非招标）", "military": "军队采购"}
POLICIES = {"sme": "政府采购促进中小企业发展政策（财库〔2020〕46号等）",
            "gp_scoring": "政府采购评审办法（财政部令第87号等）"}
KEYS = {"basis", "severity", "status", "note"}
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Binding:
    regime: str | None          # the regime judged under (None: regime unknown, rule's own basis)
    basis: tuple[Basis, ...] = ()
    severity: str | None = None
    status: str | None = None
    note: str = ""              # said in the message, e.g. 本文件自行采用…
    adopted: str | None = None  # the policy key when judged against the document's own clause


def expand(keys) -> list[str]:
    out: list[str] = []
    for k in keys:
        out.extend(GROUPS.get(k, (k,)))
    return out


def _basis_list(path: str, where: str, raw: Any) -> tuple[Basis, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RuleFileError(path, where, "应为依据列表（law + article）")
    out = []
    for i, b in enumerate(raw):
        if not isinstance(b, dict) or not b.get("law") or "article" not in b:
            raise RuleFileError(path, f"{where}[{i}]", "每条依据须有 law 与 article")
        out.append(Basis(str(b["law"]), str(b["article"] or "")))
    return tuple(out)


def _one(path: str, key: str, raw: Any) -> Binding:
    raw = raw or {}
    if not isinstance(raw, dict):
        raise RuleFileError(path, f"regimes.{key}", "应为映射（basis/severity/status/note）")
    for k in raw:
        if k not in KEYS and not (key == "adopted" and k == "policy"):
            raise RuleFileError(path, f"regimes.{key}.{k}", f"未知的键（可用：{', '.join(sorted(KEYS))}）")
    sev = raw.get("severity")
    if sev is not None and sev not in SEVERITIES:
        raise RuleFileError(path, f"regimes.{key}.severity", f"应为 {' / '.join(SEVERITIES)}")
    policy = raw.get("policy") if key == "adopted" else None
    if key == "adopted" and (not isinstance(policy, str) or policy not in POLICIES):
        raise RuleFileError(path, "regimes.adopted.policy", f"应为 {' / '.join(POLICIES)}")
    return Binding(None, _basis_list(path, f"regimes.{key}.basis", raw.get("basis")), sev,
                   raw.get("status"), str(raw.get("note") or ""), policy)


def parse_regimes(path: str, raw: Any, legacy: tuple[str, ...]) -> dict[str, Binding]:
    """regime -> Binding (regime not yet filled in); empty mapping = binds everywhere (legacy: no regime)."""
    if raw is None:
        return {r: Binding(r) for r in expand(legacy)}
    if not isinstance(raw, dict):
        raise RuleFileError(path, "regimes", "应为映射：制度 → {basis, severity, note}")
    out: dict[str, Binding] = {}
    for key, value in raw.items():
        if key != "adopted" and key not in REGIMES and key not in GROUPS:
            raise RuleFileError(path, f"regimes.{key}", f"未知制度（可用：{', '.join(REGIMES + tuple(GROUPS))}、adopted）")
        binding = _one(path, key, value)
        for r in (["adopted"] if key == "adopted" else expand([key])):
            out[r] = replace(binding, regime=None if r == "adopted" else r)
    return out


def _adopted(rule, facts) -> Binding | None:
    b = rule.regimes.get("adopted")
    adopts = facts.get("adopts") or {}
    clause = adopts.get(b.adopted) if b else None
    if not clause:
        return None
    where = clause.get("where") or "本文件"
    basis = (Basis("本文件", f"{where}：{clause.get('text', '')[:40]}"),)
    note = f"本文件自行采用{POLICIES[b.adopted]}（{where}），但："
    return replace(b, regime=facts.get("regime"), basis=basis, severity=b.severity or "warning", note=note)


def binding_for(rule, facts) -> Binding | None:
    """How ``rule`` binds the document, or None when it does not apply to the document's regime."""
    regime = facts.get("regime")
    if regime == "eng":
        regime = "eng-must"  # the pre-2026-12 single 招标投标法 class
    if not rule.regimes:
        return Binding(regime)
    if regime is None:  # not read: judge as 政府采购 (the catalog's reference regime), own basis
        return Binding(None) if "gp" in rule.regimes else None
    b = rule.regimes.get(regime)
    if b is not None:
        return b
    return _adopted(rule, facts)


def judged(rule, binding: Binding) -> tuple[tuple[Basis, ...], str, str]:
    """Basis, severity and status of a finding under ``binding``."""
    basis = binding.basis or rule.basis
    return basis, binding.severity or rule.severity, binding.status or rule.status
