"""Rule files: load, validate at the boundary, and expose typed Rule objects to the engine."""
from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .yamlio import load_file
from .model import Basis
from .regime import parse_regimes
from .template import template_problem
from .regex_safety import backtracking_risk

SEVERITIES = ("error", "warning", "info")
STATUSES = ("stable", "preview")
REGIMES = ("gp", "eng", "eng-must", "eng-other", "enterprise", "military")
ATTRIBUTES = ("goods", "services", "works")
BLOCK_KINDS = ("heading", "paragraph", "cell")
SUPPRESSORS = ("prohibition", "law_quote", "template", "equivalent", "evidence", "post_award", "statutory",
               "sme_size_standard", "platform")

TOP_KEYS = {"id", "name", "title", "family", "severity", "status", "applies", "basis", "description",
            "message", "fix", "scope", "check", "examples", "keep_in", "switch", "verified", "notes",
            "catalog", "regimes"}
REQUIRED = ("id", "name", "title", "severity", "status", "basis", "description", "message", "fix",
            "check", "examples")
APPLIES_KEYS = {"regime", "method", "attribute", "announced", "switch"}
SCOPE_KEYS = {"sections", "exclude_sections", "exclude_sections_unless", "kinds", "tables"}
EXAMPLE_KEYS = {"text", "span", "spans", "facts", "note", "config"}
# Generated tables that live beside the rules but are not rule files.
NOT_RULES = {"regulator_coverage.yaml", "checklist.yaml"}
ID_RE = re.compile(r"^[A-Z]+(?:-[A-Z0-9]+)*-\d{3}$")


def _unknown(path: str, where: str, key: str, allowed) -> RuleFileError:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    hint = f"（是否应为 '{close[0]}'？）" if close else f"（可用：{', '.join(sorted(allowed))}）"
    return RuleFileError(path, f"{where}{key}", f"未知的键 {hint}")


def _check_keys(path: str, where: str, data: dict, allowed: set) -> None:
    for key in data:
        if key not in allowed:
            raise _unknown(path, where, str(key), allowed)


def _as_list(value: Any) -> list:
    if value is None or value == "any":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


@dataclass(frozen=True)
class Applies:
    regime: tuple[str, ...] = ()
    method: tuple[str, ...] = ()
    attribute: tuple[str, ...] = ()
    announced_from: date | None = None
    announced_to: date | None = None
    switch: str | None = None

    def matches(self, facts, switches: frozenset[str] = frozenset()) -> bool:
        """Unknown facts do not exclude a rule, except date ranges: a date rule needs the date.
        The regime is not matched here: checker.regime.binding_for decides it, with its basis."""
        if self.switch and self.switch not in switches:
            return False
        for key, wanted in (("method", self.method), ("attribute", self.attribute)):
            value = facts.get(key)
            if wanted and value is not None and value not in wanted:
                return False
        if self.announced_from or self.announced_to:
            raw = facts.get("announce_date")
            if not raw:
                return False
            d = date.fromisoformat(raw)
            if self.announced_from and d < self.announced_from:
                return False
            if self.announced_to and d > self.announced_to:
                return False
        return True


@dataclass(frozen=True)
class Scope:
    sections: re.Pattern[str] | None = None
    exclude_sections: re.Pattern[str] | None = None
    kinds: tuple[str, ...] = ("paragraph", "cell")
    tables: bool | None = None  # True: only table cells; False: never table cells
    # a block of an excluded section whose own text matches this stays in scope (a pass/fail
    # condition written into the scoring table: "…的，得基本分；否则视为无效投标")
    exclude_sections_unless: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Example:
    text: str
    spans: tuple[str, ...] = ()
    facts: dict = field(default_factory=dict)
    note: str = ""
    config: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    family: str
    severity: str
    status: str
    applies: Applies
    basis: tuple[Basis, ...]
    description: str
    message: str
    fix: str
    scope: Scope
    check: Any
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    keep_in: frozenset[str]
    path: str
    verified: str = ""
    regimes: dict = field(default_factory=dict)  # regime -> checker.regime.Binding

    @property
    def group(self) -> str:
        """ID without its number: EXC-SCALE-001 → EXC-SCALE."""
        return self.id.rsplit("-", 1)[0]


def _compile(path: str, key: str, pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise RuleFileError(path, key, "应为正则表达式字符串")
    try:
        compiled = re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        raise RuleFileError(path, key, f"正则表达式无效：{exc}") from exc
    if backtracking_risk(pattern):
        raise RuleFileError(path, key, "正则表达式含嵌套的重复（如 (a+)+），或重复中的分支"
                                       "可以同样开头（如 (a|aa)+），在长文本上会回溯失控；"
                                       "请改写为不嵌套、分支互斥的形式（如 a+）")
    return compiled


def _parse_date(path: str, key: str, value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise RuleFileError(path, key, f"日期应为 YYYY-MM-DD：{value!r}") from exc


def _parse_applies(path: str, data: Any) -> Applies:
    if data in (None, "any"):
        return Applies()
    if not isinstance(data, dict):
        raise RuleFileError(path, "applies", "应为映射（regime/method/attribute/announced）")
    _check_keys(path, "applies.", data, APPLIES_KEYS)
    regime = tuple(_as_list(data.get("regime")))
    for r in regime:
        if r not in REGIMES:
            raise RuleFileError(path, "applies.regime", f"未知取值 {r!r}（可用：{', '.join(REGIMES)}）")
    attribute = tuple(_as_list(data.get("attribute")))
    for a in attribute:
        if a not in ATTRIBUTES:
            raise RuleFileError(path, "applies.attribute", f"未知取值 {a!r}（可用：{', '.join(ATTRIBUTES)}）")
    announced = data.get("announced") or {}
    if not isinstance(announced, dict):
        raise RuleFileError(path, "applies.announced", "应为 {from: 日期, to: 日期}")
    _check_keys(path, "applies.announced.", announced, {"from", "to"})
    return Applies(regime, tuple(_as_list(data.get("method"))), attribute,
                   _parse_date(path, "applies.announced.from", announced.get("from")),
                   _parse_date(path, "applies.announced.to", announced.get("to")),
                   data.get("switch"))


def _parse_scope(path: str, data: Any) -> Scope:
    if data is None:
        return Scope()
    if not isinstance(data, dict):
        raise RuleFileError(path, "scope", "应为映射（sections/exclude_sections/kinds/tables）")
    _check_keys(path, "scope.", data, SCOPE_KEYS)
    kinds = tuple(_as_list(data.get("kinds"))) or ("paragraph", "cell")
    for k in kinds:
        if k not in BLOCK_KINDS:
            raise RuleFileError(path, "scope.kinds", f"未知取值 {k!r}（可用：{', '.join(BLOCK_KINDS)}）")
    sec = data.get("sections")
    exc = data.get("exclude_sections")
    unless = data.get("exclude_sections_unless")
    return Scope(_compile(path, "scope.sections", sec) if sec else None,
                 _compile(path, "scope.exclude_sections", exc) if exc else None,
                 kinds, data.get("tables"),
                 _compile(path, "scope.exclude_sections_unless", unless) if unless else None)


def _parse_examples(path: str, data: Any) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    if not isinstance(data, dict):
        raise RuleFileError(path, "examples", "应为映射，含 bad 与 good 两个列表")
    _check_keys(path, "examples.", data, {"bad", "good", "todo"})
    out = []
    for kind in ("bad", "good"):
        items = data.get(kind) or []
        if not isinstance(items, list) or not items:
            raise RuleFileError(path, f"examples.{kind}", "至少需要一个示例")
        parsed = []
        for i, item in enumerate(items):
            key = f"examples.{kind}[{i}]"
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise RuleFileError(path, key, "示例需要 text 字符串")
            _check_keys(path, key + ".", item, EXAMPLE_KEYS)
            spans = _as_list(item.get("spans")) + _as_list(item.get("span"))
            if not all(isinstance(s, str) and s for s in spans):
                raise RuleFileError(path, key + ".span", "片段应为非空文本")
            for sub in ("facts", "config"):
                if item.get(sub) is not None and not isinstance(item[sub], dict):
                    raise RuleFileError(path, f"{key}.{sub}", "应为映射")
            if kind == "bad" and not spans:
                raise RuleFileError(path, key + ".span", "bad 示例须标出应报告的原文片段（span）")
            for s in spans:
                if s not in item["text"]:
                    raise RuleFileError(path, key + ".span", f"片段 {s!r} 不在示例文本中")
            parsed.append(Example(item["text"], tuple(spans), dict(item.get("facts") or {}),
                                  str(item.get("note") or ""), dict(item.get("config") or {})))
        out.append(tuple(parsed))
    return out[0], out[1]


def _check_template(path: str, key: str, value: Any) -> None:
    if not isinstance(value, str):
        raise RuleFileError(path, key, "应为文本")
    problem = template_problem(value)
    if problem:
        raise RuleFileError(path, key, problem)


def _build_check(path: str, cfg: Any):
    """The check, with a malformed value anywhere inside it reported as a rule-file error: a check type
    validates the keys it knows by name, and this catches a wrong shape it did not foresee."""
    from .checks import build_check

    try:
        return build_check(path, cfg)
    except RuleFileError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, IndexError) as exc:
        raise RuleFileError(path, "check", f"结构或取值不符合该检查类型的要求（{type(exc).__name__}: {exc}）") from exc


def parse_rule(path: str, data: Any) -> Rule:
    if not isinstance(data, dict):
        raise RuleFileError(path, "", "规则文件应为 YAML 映射")
    _check_keys(path, "", data, TOP_KEYS)
    for key in REQUIRED:
        if key not in data or data[key] in (None, ""):
            raise RuleFileError(path, key, "缺少必填键")
    rid = str(data["id"])
    if not ID_RE.match(rid):
        raise RuleFileError(path, "id", f"规则 ID 格式应如 EXC-SCALE-001：{rid!r}")
    if Path(path).stem.upper() != rid.upper():
        raise RuleFileError(path, "id", f"文件名应与规则 ID 一致（{rid}.yaml）")
    severity = str(data["severity"])
    if severity not in SEVERITIES:
        raise RuleFileError(path, "severity", f"应为 {' / '.join(SEVERITIES)}：{severity!r}")
    status = str(data["status"])
    if status not in STATUSES:
        raise RuleFileError(path, "status", f"应为 {' / '.join(STATUSES)}：{status!r}")
    basis_raw = data["basis"]
    if not isinstance(basis_raw, list) or not basis_raw:
        raise RuleFileError(path, "basis", "至少需要一条法律依据（law + article）")
    basis = []
    for i, b in enumerate(basis_raw):
        if not isinstance(b, dict) or not b.get("law") or not b.get("article"):
            raise RuleFileError(path, f"basis[{i}]", "每条依据须有 law 与 article")
        _check_keys(path, f"basis[{i}].", b, {"law", "article"})
        basis.append(Basis(str(b["law"]), str(b["article"])))
    keep_list = _as_list(data.get("keep_in"))
    for k in keep_list:
        if not isinstance(k, str) or k not in SUPPRESSORS:
            raise _unknown(path, "keep_in: ", str(k), set(SUPPRESSORS))
    keep_in = frozenset(keep_list)
    for key in ("message", "fix"):
        _check_template(path, key, data[key])
    bad, good = _parse_examples(path, data["examples"])
    check = _build_check(path, data["check"])
    applies = _parse_applies(path, data.get("applies"))
    return Rule(
        id=rid, name=str(data["name"]), title=str(data["title"]),
        family=str(data.get("family") or rid.split("-")[0]), severity=severity, status=status,
        applies=applies, basis=tuple(basis),
        description=str(data["description"]).strip(), message=str(data["message"]).strip(),
        fix=str(data["fix"]).strip(), scope=_parse_scope(path, data.get("scope")), check=check,
        bad=bad, good=good, keep_in=keep_in, path=path, verified=str(data.get("verified") or ""),
        regimes=parse_regimes(path, data.get("regimes"), applies.regime))


def default_rule_dirs() -> list[Path]:
    """The bundled rules: the repository's rules/ (source checkout) or the installed copy."""
    env = os.environ.get("TENDER_CHECK_RULES")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "rules",
                      Path(sys.prefix) / "share" / "tender-check" / "rules"):
        if candidate.is_dir():
            return [candidate]
    return []


def iter_rule_files(dirs) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        if not d.is_dir():
            raise RuleFileError(str(d), "", "规则目录不存在")
        files.extend(sorted(p for p in d.rglob("*.yaml") if p.is_file() and p.name not in NOT_RULES))
    return files


def parse_rule_file(path) -> Rule:
    """One rule file, parsed once per process and content: a rule borrowed by a `like` check (ENG-EXC-* use
    the EXC-* detectors) is the same object as the one loaded, not a second compile of all its patterns."""
    p = Path(path)
    try:
        key = (str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size)
    except OSError as exc:
        raise RuleFileError(str(p), "", f"无法读取规则文件：{exc.strerror or exc}") from exc
    return _parse_cached(key, str(p))


@lru_cache(maxsize=1024)
def _parse_cached(key: tuple, path: str) -> Rule:
    try:
        data = load_file(path)
    except yaml.YAMLError as exc:
        raise RuleFileError(path, "", f"YAML 语法错误：{exc}") from exc
    except UnicodeDecodeError as exc:
        raise RuleFileError(path, "", f"规则文件须为 UTF-8 编码（第 {exc.start + 1} 字节处无法按 UTF-8 读取）") from exc
    except RecursionError as exc:
        raise RuleFileError(path, "", "YAML 嵌套过深") from exc
    except OSError as exc:
        raise RuleFileError(path, "", f"无法读取规则文件：{exc.strerror or exc}") from exc
    return parse_rule(path, data)


def load_rules(dirs=None, base=()) -> list[Rule]:
    """Load and validate every rule file; the first broken one raises RuleFileError.
    `like` references resolve among these rules and then `base` (the bundled rules, for a local pack)."""
    dirs = default_rule_dirs() if dirs is None else dirs
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in iter_rule_files(dirs):
        rule = parse_rule_file(f)
        if rule.id in seen:
            raise RuleFileError(str(f), "id", f"规则 ID {rule.id} 与 {seen[rule.id]} 重复")
        seen[rule.id] = str(f)
        rules.append(rule)
    return sorted(resolve_likes(rules, base), key=lambda r: r.id)


def resolve_likes(rules: list[Rule], base=()) -> list[Rule]:
    """Give each `like` check the loaded rules it names; an unknown name or a cycle is a rule-file error."""
    from dataclasses import replace

    known = {r.id: r for r in base}
    known.update({r.id: r for r in rules})
    done: dict[str, Rule] = {}

    def visit(rule: Rule, trail: tuple[str, ...]) -> Rule:
        if rule.id in done:
            return done[rule.id]
        if rule.id in trail:
            loop = " → ".join(trail[trail.index(rule.id):] + (rule.id,))
            raise RuleFileError(rule.path, "check.rules", f"like 引用构成循环：{loop}")
        ids = rule.check.references()
        if ids:
            missing = [i for i in ids if i not in known]
            if missing:
                raise RuleFileError(rule.path, "check.rules",
                                    f"找不到被引用的规则 {', '.join(missing)}（只在已加载的规则中查找）")
            refs = {i: visit(known[i], trail + (rule.id,)) for i in ids}
            rule = replace(rule, check=rule.check.resolved(refs.__getitem__))
        done[rule.id] = rule
        return rule

    return [visit(r, ()) for r in rules]


def select_rules(rules: list[Rule], select=None, ignore=None) -> list[Rule]:
    """Filter by ID prefix (ruff-style): --select EXC-REGION, --ignore EXC-BRAND-002."""
    def hit(rule: Rule, prefixes) -> bool:
        return any(rule.id == p or rule.id.startswith(p.rstrip("-") + "-") or p.upper() == "ALL"
                   for p in prefixes)

    out = rules
    if select:
        out = [r for r in out if hit(r, select)]
    if ignore:
        out = [r for r in out if not hit(r, ignore)]
    return out
