"""Canonical text for matching, with a character map back to the document's own text.

Rules match against the normalised form:
- full-width ASCII forms (０-９, Ａ-Ｚ, ％, （）, ，；：, ＞＜＝ …) become their half-width twins;
  ``〔〕［］【】`` become ``[]``; the ideographic space becomes a space;
- whitespace is dropped unless it sits between two Latin letters or digits (PDF extraction leaves
  stray spaces between Chinese characters and inside "10 %");
- Chinese numerals next to a counter (年/个/人/家/名/项/%…) become digits: 近三年 → 近3年, 十二个 → 12个.

``Normalized.to_original`` maps any span of the normalised text back to the original span, so an
excerpt shown to a reviewer is always the document's own characters.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_BRACKETS = {"〔": "[", "〕": "]", "［": "[", "］": "]", "【": "[", "】": "]", "\u3000": " ",
             "—": "-", "–": "-", "―": "-", "～": "~", "≦": "≤", "≧": "≥", "﹪": "%", "．": "."}
_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# A Chinese numeral counts as a number only before one of these counters (or after 第/近/前/满/每).
_COUNTERS = "年个人家名项次份台套月日周天级分倍%条张"
_CN_NUM_RE = re.compile(r"[零〇○一二两三四五六七八九十百千]+(?=[年个人家名项次份台套月日周天级分倍%条张])")
_KEEP_SPACE = re.compile(r"[A-Za-z0-9.]")
_HAS_CN_NUM = re.compile(r"[零〇○一二两三四五六七八九十百千]")


def _halfwidth(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    return _BRACKETS.get(ch, ch)


def chinese_to_int(s: str) -> int | None:
    """Value of a Chinese numeral such as 三, 十二, 二十, 一百零五, 二〇二五 (digit by digit)."""
    if not s:
        return None
    if all(c in _CN_DIGITS for c in s):
        if len(s) == 1:
            return _CN_DIGITS[s]
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, current = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[c]
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True)
class Normalized:
    text: str
    original: str
    starts: tuple[int, ...]  # for each normalised char, the original start offset
    ends: tuple[int, ...]    # for each normalised char, the original end offset

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if not self.text:
            return 0, 0
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.starts[start], self.ends[end - 1]

    def excerpt(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]

    def to_normalized(self, orig_offset: int) -> int:
        """Index of the first normalised char at or after an original offset."""
        return bisect_right(self.starts, orig_offset - 1) if orig_offset else 0


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3000" <= ch <= "\u303f"


# str.translate table for the 1:1 half-width mapping (one C-level pass instead of a Python loop per char).
_HALFWIDTH = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH.update({ord(k): v for k, v in _BRACKETS.items()})
# Characters dropped from the normalised text: whitespace (str.isspace) and zero-width marks.
_DROP = re.compile(r"[\s\u200b\ufeff]+")


def normalize(original: str) -> Normalized:
    # Pass 1: half-width mapping (1:1), dropping whitespace runs; a single space is put back where a
    # run sat between two Latin letters/digits ("Windows 10"), never between two digits ("1 000").
    mapped = original.translate(_HALFWIDTH)
    if not _DROP.search(original):
        text = mapped
        # ranges, not lists: tuple() below and the numeral pass take them as they are
        out_s = range(len(original))
        out_e = range(1, len(original) + 1)
    else:
        pieces: list[str] = []
        out_s = []
        out_e = []
        pos = 0
        for m in _DROP.finditer(original):
            a, b = m.span()
            if a > pos:
                pieces.append(mapped[pos:a])
                out_s.extend(range(pos, a))
                out_e.extend(range(pos + 1, a + 1))
            if out_s and b < len(original):
                prev, nxt = pieces[-1][-1], mapped[b]
                if original[a:b].strip(" \t\r\n\u3000\u00a0\u200b\ufeff") == "" and _KEEP_SPACE.match(prev) \
                        and _KEEP_SPACE.match(nxt) and not (prev.isdigit() and nxt.isdigit()):
                    pieces.append(" ")
                    out_s.append(a)
                    out_e.append(b)
            pos = b
        if pos < len(original):
            pieces.append(mapped[pos:])
            out_s.extend(range(pos, len(original)))
            out_e.extend(range(pos + 1, len(original) + 1))
        text = "".join(pieces)
    # Pass 2: Chinese numerals before counters → Arabic digits (length may change).
    numerals = [m for m in _CN_NUM_RE.finditer(text)
                if not _part_of_word(text, m.start()) and chinese_to_int(m.group()) is not None] \
        if _HAS_CN_NUM.search(text) else []
    if numerals:
        res_c: list[str] = []
        res_s: list[int] = []
        res_e: list[int] = []
        pos = 0
        for m in numerals:
            value = chinese_to_int(m.group())
            res_c.append(text[pos:m.start()])
            res_s.extend(out_s[pos:m.start()])
            res_e.extend(out_e[pos:m.start()])
            digits = str(value)
            o_start, o_end = out_s[m.start()], out_e[m.end() - 1]
            res_c.append(digits)
            res_s.extend([o_start] * len(digits))
            res_e.extend([o_end] * len(digits))
            pos = m.end()
        res_c.append(text[pos:])
        res_s.extend(out_s[pos:])
        res_e.extend(out_e[pos:])
        text, out_s, out_e = "".join(res_c), res_s, res_e
    return Normalized(text, original, tuple(out_s), tuple(out_e))


# Words where a numeral is part of a fixed expression, not a count: 一年级 is fine to convert,
# but 统一 / 唯一 / 第一 … stay as they are (第一 is an ordinal heading word).
_WORD_BEFORE = set("统唯单万专同之逐")


def _part_of_word(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in _WORD_BEFORE
