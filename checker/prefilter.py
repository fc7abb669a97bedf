"""A literal prefilter for rule patterns: skip the regex on text that holds none of its required literals.

At rule-load time each pattern is parsed (``re._parser``) and conservatively reduced to a set of
literal fragments such that every match — and every lookaround the match depends on — needs at least
one of them somewhere in the searched text. A text without any of them cannot match, so the regex is
not run on it. When the analysis is unsure (case-insensitive flags, optional parts only, classes,
back-references) the pattern gets no prefilter and always runs: the filter may only ever skip work.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_NEEDLES = 24  # beyond this many alternatives the `in` tests cost about as much as the regex
_CLASS_MAX = 8  # a character class of up to this many literal characters counts as alternatives

_Needles = frozenset  # frozenset[str]; empty never used: None means "no requirement known"


def required_literals(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """Literal fragments of which any match needs at least one in the text, or None when unknown."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    if not isinstance(source, str):
        return None
    try:
        parsed = _p.parse(source, flags)
    except re.error:
        return None
    if (parsed.state.flags | flags) & (re.IGNORECASE | re.VERBOSE):
        # case folding makes literals match other characters; verbose is handled by the parser, but
        # stay on the safe side and keep such patterns unfiltered
        return None
    needles = _seq(list(parsed))
    if not needles or len(needles) > MAX_NEEDLES or "" in needles:
        return None
    return needles


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirements (longest shortest needle, then fewest needles)."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _seq(items: list) -> frozenset[str] | None:
    """A sequence: every item must match, so the best requirement of any one item holds for all."""
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        best = _better(best, _item(op, av))
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best


def _item(op, av) -> frozenset[str] | None:
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            return None
        return _seq(list(sub))
    if op is _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            got = _seq(list(alt))
            if got is None:
                return None  # one branch without a required literal: the whole branch has none
            out |= got
            if len(out) > MAX_NEEDLES:
                return None
        return frozenset(out)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, _hi, sub = av
        return _seq(list(sub)) if lo >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(list(av))
    if op is _c.ASSERT:
        # a positive lookaround reads text that must be present in the searched string
        return _seq(list(av[1]))
    if op is _c.IN:
        chars = []
        for cop, cav in av:
            if cop is not _c.LITERAL:
                return None  # negation, ranges, categories: no literal requirement
            chars.append(chr(cav))
        if not chars or len(chars) > _CLASS_MAX:
            return None
        return frozenset(chars)
    return None  # ANY, AT, NOT_LITERAL, CATEGORY, GROUPREF, ASSERT_NOT, …


class Prefiltered:
    """A compiled pattern that answers "no match" at once when the text lacks its required literals.

    Offers the re.Pattern methods rule checks use (finditer, search, match, fullmatch, findall, sub)
    plus pattern/flags/groups/groupindex; the results are exactly those of the wrapped pattern.
    """

    __slots__ = ("regex", "needles", "pattern", "flags", "groups", "groupindex")

    def __init__(self, regex: re.Pattern[str], needles: frozenset[str] | None = None):
        self.regex = regex
        self.needles = tuple(sorted(needles, key=len, reverse=True)) if needles else ()
        self.pattern = regex.pattern
        self.flags = regex.flags
        self.groups = regex.groups
        self.groupindex = regex.groupindex

    @classmethod
    def compile(cls, regex: re.Pattern[str]) -> "Prefiltered":
        return cls(regex, required_literals(regex))

    def __reduce__(self):
        return (Prefiltered, (self.regex, frozenset(self.needles) or None))

    def __repr__(self) -> str:
        return f"Prefiltered({self.pattern!r}, needles={self.needles!r})"

    def __eq__(self, other) -> bool:
        if isinstance(other, Prefiltered):
            return self.regex == other.regex
        return self.regex == other

    def __hash__(self) -> int:
        return hash(self.regex)

    def possible(self, text: str) -> bool:
        """False only when the text cannot hold a match (none of the required literals occurs)."""
        if not self.needles:
            return True
        for needle in self.needles:
            if needle in text:
                return True
        return False

    def finditer(self, text: str, *args) -> Iterator[re.Match[str]]:
        if self.needles and not self.possible(text):
            return iter(())
        return self.regex.finditer(text, *args)

    def search(self, text: str, *args) -> re.Match[str] | None:
        if self.needles and not self.possible(text):
            return None
        return self.regex.search(text, *args)

    def match(self, text: str, *args) -> re.Match[str] | None:
        if self.needles and not self.possible(text):
            return None
        return self.regex.match(text, *args)

    def fullmatch(self, text: str, *args) -> re.Match[str] | None:
        if self.needles and not self.possible(text):
            return None
        return self.regex.fullmatch(text, *args)

    def findall(self, text: str, *args) -> list:
        if self.needles and not self.possible(text):
            return []
        return self.regex.findall(text, *args)

    def sub(self, repl, text: str, count: int = 0) -> str:
        return self.regex.sub(repl, text, count)


class LiteralIndex:
    """Per document: which blocks contain a given needle, found with one str.find pass per needle."""

    def __init__(self, blocks):
        self.blocks = tuple(blocks)
        self.by_index = {b.index: b for b in self.blocks}
        # "\0" never occurs in a rule literal, so no needle is found across two blocks
        self.text = "\0".join(b.norm for b in self.blocks)
        starts, pos = [], 0
        for b in self.blocks:
            starts.append(pos)
            pos += len(b.norm) + 1
        self.starts = starts
        self._by_needle: dict[str, frozenset[int]] = {}
        self._by_needles: dict[tuple[str, ...], frozenset[int]] = {}

    def _with_needle(self, needle: str) -> frozenset[int]:
        hit = self._by_needle.get(needle)
        if hit is None:
            out, pos, text, starts, n = [], 0, self.text, self.starts, len(self.starts)
            while True:
                j = text.find(needle, pos)
                if j < 0:
                    break
                k = bisect_right(starts, j) - 1
                out.append(self.blocks[k].index)
                if k + 1 >= n:
                    break
                pos = starts[k + 1]  # one hit per block is enough: go on with the next block
            hit = self._by_needle[needle] = frozenset(out)
        return hit

    def blocks_with(self, needles: tuple[str, ...]) -> frozenset[int]:
        """Indexes of the blocks that contain at least one of ``needles``."""
        hit = self._by_needles.get(needles)
        if hit is None:
            hit = frozenset().union(*(self._with_needle(n) for n in needles))
            self._by_needles[needles] = hit
        return hit


def candidates(ctx, rule, patterns) -> Iterator[tuple[object, tuple[re.Pattern[str], ...]]]:
    """The blocks in ``rule``'s scope, in document order, that may hold a match of one of ``patterns``,
    each with the (plain) patterns that may match there, in their given order.

    Same blocks and order as ``ctx.blocks_for(rule)`` minus those no pattern can match, so a check
    that loops over this instead of every block × pattern yields exactly the same matches.
    """
    index = ctx.literal_index
    sets = [index.blocks_with(p.needles) if isinstance(p, Prefiltered) and p.needles and
            not any("\0" in n for n in p.needles) else None for p in patterns]
    plain = [p.regex if isinstance(p, Prefiltered) else p for p in patterns]
    if any(s is None for s in sets):
        blocks = ctx.blocks_for(rule)
    else:
        wanted = frozenset().union(*sets) & ctx.scope_indexes(rule)
        blocks = (index.by_index[i] for i in sorted(wanted))
    for block in blocks:
        i = block.index
        live = tuple(p for p, s in zip(plain, sets) if s is None or i in s)
        if live:
            yield block, live
