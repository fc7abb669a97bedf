"""Refuse rule patterns that can backtrack exponentially, before any document is read.

Python's `re` cannot be interrupted mid-match, so a pattern such as `(a+)+$` on a long run of `a`
would hold a worker until its file timeout and then blame the document. The dangerous shape is a
repeat whose body can itself match one string in several ways: the body is an unbounded repeat
(possibly beside parts that may match nothing), as in `(a+)+`, `(\\d+,?)*`, `(?:\\s*\\w+)+`. Such a
pattern is reported with the rule file and key; it can always be written without the nesting
(`a+`, `\\d+(?:,\\d+)*`). The other shape is a repeated choice whose alternatives can begin alike,
`(a|a)*`, `(a|aa)+` (an empty alternative begins like anything): each character may go to either.
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


_ALL = None  # a first-character set standing for "any character"


def _class_chars(items) -> frozenset | None:
    chars: set[int] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(av)
        elif op is _c.RANGE and av[1] - av[0] < 4096:
            chars.update(range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            chars.update(range(0x30, 0x3A))
        else:  # a negation, a wide range, \w, \s…: anything
            return _ALL
    return frozenset(chars)


def _first(seq) -> frozenset | None:
    """The characters a match of ``seq`` can begin with (_ALL when unknown or when it may match nothing)."""
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            return frozenset((av,))
        if op is _c.IN:
            return _class_chars(av)
        if op is _c.SUBPATTERN and not _seq_nullable(av[-1]):
            return _first(av[-1])
        if op is _c.BRANCH and not _nullable((op, av)):
            firsts = [_first(alt) for alt in av[1]]
            return _ALL if _ALL in firsts else frozenset().union(*firsts)
        return _ALL
    return _ALL


def _overlap(a, b) -> bool:
    return a is _ALL or b is _ALL or bool(a & b)


def _branch_overlaps(seq) -> bool:
    """Somewhere in ``seq`` two alternatives can start the same way (an empty one counts as starting
    every way, since the next repeat then begins there), as in `(a|a)*`, `(a|aa)+`: under a repeat,
    one string then splits into the alternatives in exponentially many ways."""
    for op, av in seq:
        if op is _c.BRANCH:
            firsts = [_first(alt) for alt in av[1]]
            if any(_overlap(x, y) for i, x in enumerate(firsts) for y in firsts[i + 1:]):
                return True
            if any(_branch_overlaps(alt) for alt in av[1]):
                return True
        elif op is _c.SUBPATTERN and _branch_overlaps(av[-1]):
            return True
        elif op in _REPEATS and _branch_overlaps(av[2]):
            return True
    return False


def _risky_body(seq) -> bool:
    return _ambiguous(seq) or _branch_overlaps(seq)


def _walk(seq):
    for op, av in seq:
        if op in _REPEATS:
            if _many(av[1]) and op is not getattr(_c, "POSSESSIVE_REPEAT", None) and _risky_body(av[2]):
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
