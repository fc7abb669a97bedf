"""What every check type shares: the Match it yields and conditions on captured values."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import RuleFileError
from ..model import Block
from ..numbers import MONEY_RE, money_value, parse_number
from ..prefilter import Prefiltered


@dataclass(frozen=True)
class Match:
    """A span of one block's normalised text, with the values a message can name."""

    block: Block
    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)
    document_level: bool = False  # e.g. missing content: no sentence context to suppress on
    related: tuple = ()
    severity: str | None = None  # overrides the rule's severity (e.g. info when an exemption is stated)
    message: str | None = None  # the case's own message and fix (an `any` branch's), else the rule's
    fix: str | None = None
    # look-alike suppressors this match opts out of besides its rule's own (a `like` rule borrowing
    # another rule's detection borrows that rule's keep_in with it)
    keep_in: frozenset[str] = frozenset()


OPS = {"gt": lambda a, b: a > b, "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b,
       "le": lambda a, b: a <= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}
COND_KEYS = set(OPS) | {"in", "not_in", "regex", "not_regex"}


def config_number(path: str, key: str, value: Any, positive: bool = False) -> float:
    """A number given in a rule file (a limit, a factor), checked at load: a list or a string there
    would otherwise fail on every document at scan time."""
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or (positive and value <= 0):
        raise RuleFileError(path, key, "应为正数" if positive else "应为数值")
    return float(value)


def fact_name(path: str, key: str, value) -> str:
    """A check's reference to a project fact: a fact name (lower case and underscores, e.g. issue_start);
    a list or mapping there failed at scan time on every document."""
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", value):
        raise RuleFileError(path, key, "应为事实名（小写字母与下划线，如 issue_start、budget）")
    return value


def to_number(raw: str) -> float | None:
    """A captured quantity as a number: money in yuan (万元 → ×10⁴), percents as given, counts."""
    if raw is None:
        return None
    raw = raw.strip()
    m = MONEY_RE.search(raw)
    if m:
        return money_value(m.group("num"), m.group("unit"))
    raw = raw.rstrip("%").replace("人民币", "").replace("¥", "").replace("￥", "")
    num = re.match(r"\d[\d,]*(?:\.\d+)?", raw)
    if num:
        return float(num.group().replace(",", ""))
    return parse_number(raw)


@dataclass(frozen=True)
class Condition:
    """`capture: {gt: 0}`, `{le: {fact: budget, factor: 0.02}}`, `{in: [...]}`, `{regex: ...}`."""

    capture: str
    op: str
    operand: Any

    def holds(self, values: dict[str, Any], facts) -> bool | None:
        raw = values.get(self.capture)
        if raw is None:
            return False
        if self.op in ("regex", "not_regex"):
            found = bool(self.operand.search(str(raw)))
            return found if self.op == "regex" else not found
        if self.op in ("in", "not_in"):
            inside = str(raw) in self.operand
            return inside if self.op == "in" else not inside
        left = raw if isinstance(raw, (int, float)) else to_number(str(raw))
        right = self.operand
        if isinstance(right, dict):
            fact = facts.get(right["fact"]) if facts is not None else None
            if fact is None:
                return None  # unknown fact: the condition cannot be decided → stay silent
            right = float(fact) * float(right.get("factor", 1))
        if left is None:
            return False
        return OPS[self.op](left, right)


def _operand(path: str, key: str, op: str, operand: Any) -> Any:
    """A condition's operand, checked for its operator: a pattern, a list, a number or a fact."""
    from ..rules import _compile

    if op in ("regex", "not_regex"):
        return _compile(path, key, operand)
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not all(isinstance(v, (str, int, float)) for v in operand):
            raise RuleFileError(path, key, "应为取值列表")
        return [str(v) for v in operand]
    if isinstance(operand, dict):
        factor = operand.get("factor", 1)
        if set(operand) - {"fact", "factor"} or not isinstance(operand.get("fact"), str) \
                or isinstance(factor, bool) or not isinstance(factor, (int, float)):
            raise RuleFileError(path, key, "引用事实应写作 {fact: 名称, factor: 系数}")
        return operand
    if isinstance(operand, bool) or not isinstance(operand, (int, float)) or operand != operand:
        raise RuleFileError(path, key, "应为数值，或 {fact: 名称, factor: 系数}")
    return operand


def parse_conditions(path: str, key: str, data: Any) -> tuple[Condition, ...]:
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise RuleFileError(path, key, "应为映射：捕获组名 → {gt: 数值, ...}")
    out = []
    for capture, spec in data.items():
        if not isinstance(spec, dict):
            raise RuleFileError(path, f"{key}.{capture}", "应为 {gt|ge|lt|le|eq|ne|in|not_in|regex: 值}")
        for op, operand in spec.items():
            if op not in COND_KEYS:
                from ..rules import _unknown

                raise _unknown(path, f"{key}.{capture}.", str(op), COND_KEYS)
            out.append(Condition(str(capture), op, _operand(path, f"{key}.{capture}.{op}", op, operand)))
    return tuple(out)


def compile_list(path: str, key: str, data: Any, required: bool = False) -> tuple[Prefiltered, ...]:
    """The key's pattern(s), each behind a literal prefilter (checker/prefilter.py): same results, less work."""
    from ..rules import _compile

    if data is None:
        if required:
            raise RuleFileError(path, key, "缺少必填键")
        return ()
    items = data if isinstance(data, list) else [data]
    if required and not items:
        raise RuleFileError(path, key, "至少需要一个正则表达式")
    return tuple(Prefiltered.compile(_compile(path, f"{key}[{i}]", p)) for i, p in enumerate(items))


class Check:
    """Base class: subclasses set TYPE and KEYS, parse their config, and yield Matches."""

    TYPE = ""
    KEYS: set[str] = set()

    def __init__(self, path: str, cfg: dict):
        self.path = path
        from ..rules import _check_keys

        _check_keys(path, "check.", cfg, self.KEYS | {"type"})
        self.require = compile_list(path, "check.require", cfg.get("require"))
        self.exclude = compile_list(path, "check.exclude", cfg.get("exclude"))
        self.where = parse_conditions(path, "check.where", cfg.get("where"))

    def terms(self) -> list[str]:
        """Literal terms to place in the shared Aho-Corasick automaton (phrase checks only)."""
        return []

    def references(self) -> tuple[str, ...]:
        """IDs of other rules this check runs (a `like` check, or an `any` holding one)."""
        return ()

    def resolved(self, lookup) -> "Check":
        """This check with its references bound: `lookup(rule_id)` gives a loaded, resolved Rule."""
        return self

    def run(self, ctx, rule):  # pragma: no cover - interface
        raise NotImplementedError

    def sentence_ok(self, ctx, block: Block, start: int, end: int) -> bool:
        """`require`/`exclude` patterns over the sentence that holds the match."""
        if not self.require and not self.exclude:
            return True
        s, e = ctx.sentence_of(block, start)
        sentence = block.norm[s:max(e, end)]
        if any(not p.search(sentence) for p in self.require):
            return False
        return not any(p.search(sentence) for p in self.exclude)

    def where_ok(self, values: dict, facts) -> bool:
        return all(c.holds(values, facts) for c in self.where)
