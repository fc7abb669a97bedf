"""Refuse rule patterns that can backtrack exponentially, before any document is read.

Python's `re` cannot be interrupted mid-match, so a pattern such as `(a+)+$` on a long run of `a`
would hold a worker until its file timeout and then blame the document. The dangerous shape is a
repeat whose body can itself match one string in several ways: the body is an unbounded repeat
(possibly beside parts that may match nothing), as in `(a+)+`, `(\\d+,?)*`, `(?:\\s*\\w+)+`. Such a
pattern is reported with the rule file and key; it can always be written without the nesting
(`a+`, `\\d+(?:,\\d+)*`).
"""
from __future__ import annotations

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
# a bounded repeat this large backtracks like an unbounded one
_MANY = 16


def _many(hi) -> bool:
    return hi == _c.MAXREPEAT or hi >= _MANY


def _nullable(item) -> bool:
    op, av = item
    if op in _ZERO_WIDTH:
        return True
    if op in _REPEATS:
        return av[0] == 0 or _seq_nullable(av[2])
    if op is _c.SUBPATTERN:
        return _seq_nullable(av[-1])
    if op is _c.BRANCH:
        return any(_seq_nullable(alt) for alt in av[1])
    return False


def _seq_nullable(seq) -> bool:
    return all(_nullable(i) for i in seq)


def _varies(item) -> bool:
    """The item can match runs of different length by repeating something (a+, (?:x|y)*, …)."""
    op, av = item
    if op in _REPEATS:
        return av[0] != av[1] and not _seq_nullable(av[2])
    if op is _c.SUBPATTERN:
        return _ambiguous(av[-1])
    if op is _c.BRANCH:
        return any(_ambiguous(alt) for alt in av[1])
    return False


def _ambiguous(seq) -> bool:
    """A body that one string can fill in several ways: a varying item, everything else optional."""
    items = [i for i in seq if i[0] not in _ZERO_WIDTH]
    return any(_varies(v) and all(_nullable(o) for j, o in enumerate(items) if j != k)
               for k, v in enumerate(items))


def _walk(seq):
    for op, av in seq:
        if op in _REPEATS:
            if _many(av[1]) and op is not getattr(_c, "POSSESSIVE_REPEAT", None) and _ambiguous(av[2]):
                return True
            if _walk(av[2]):
                return True
        elif op is _c.SUBPATTERN:
            if _walk(av[-1]):
                return True
        elif op is _c.BRANCH:
            if any(_walk(alt) for alt in av[1]):
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if _walk(av[1]):
                return True
    return False


def backtracking_risk(pattern: str, flags: int = 0) -> bool:
    """True when the pattern nests a repeat inside a repeat in a way that can backtrack exponentially."""
    try:
        return _walk(_p.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - re.compile reports syntax errors itself
        return False
