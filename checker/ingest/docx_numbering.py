"""Word automatic numbering (numbering.xml): the label Word draws before a numbered paragraph.

Many tender files number their outline with Word's list numbering instead of typing "2.1" or heading
styles, so the text of "投标人资格要求" carries no number at all. Rendering the label ("2.", "2.1",
"一、", "第三章") lets the heading tracker read the outline the reader sees.
"""
from __future__ import annotations

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_GAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MAX_LEVELS = 9


def _cn(n: int, digits: str = _DIGITS, ten: str = "十") -> str:
    """1..999 in Chinese counting (十一, 二十, 一百零五); larger numbers in Arabic digits."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = digits[hundreds] + "百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    elif hundreds and units:
        out += digits[0]
    return out + (digits[units] if units else "")


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def format_number(n: int, fmt: str) -> str | None:
    """The counter ``n`` in Word's number format ``fmt``; None for bullets and unknown formats."""
    if fmt in ("decimal", "decimalZero", "decimalHalfWidth", "ordinal", "cardinalText", "ordinalText"):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographDigital", "taiwaneseCountingThousand", "koreanCounting"):
        return _cn(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _cn(n, _LEGAL, "拾")
    if fmt in ("ideographTraditional", "ideographZodiac"):
        return _GAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt.startswith("decimalEnclosedCircle"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt in ("decimalEnclosedParen", "decimalEnclosedFullstop"):
        return str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        return _letter(n) if fmt == "upperLetter" else _letter(n).lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return None


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(_W + tag) if el is not None else None
    return child.get(_W + "val", default) if child is not None else default


def _int(text: str | None, default: int) -> int:
    return int(text) if text is not None and text.lstrip("-").isdigit() else default


class _Level:
    __slots__ = ("start", "fmt", "text", "legal")

    def __init__(self, el):
        self.start = _int(_val(el, "start"), 1)
        self.fmt = _val(el, "numFmt", "decimal") or "decimal"
        self.text = _val(el, "lvlText", "") or ""
        self.legal = el.find(_W + "isLgl") is not None


def _levels(abstract) -> dict[int, _Level]:
    out = {}
    for lvl in abstract.iterchildren(_W + "lvl"):
        ilvl = _int(lvl.get(_W + "ilvl"), -1)
        if 0 <= ilvl < _MAX_LEVELS:
            out[ilvl] = _Level(lvl)
    return out


class Numbering:
    """Renders list labels in reading order: call ``label`` once for each body paragraph."""

    def __init__(self, numbering_root, styles_root=None):
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._restarted: set[str] = set()
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        if numbering_root is not None:
            self._read(numbering_root)
        if styles_root is not None:
            self._read_styles(styles_root)

    def _read(self, root) -> None:
        for ab in root.iterchildren(_W + "abstractNum"):
            self._abstract[ab.get(_W + "abstractNumId") or ""] = _levels(ab)
        for num in root.iterchildren(_W + "num"):
            overrides = {}
            for ov in num.iterchildren(_W + "lvlOverride"):
                start = _val(ov, "startOverride")
                if start is not None:
                    overrides[_int(ov.get(_W + "ilvl"), 0)] = _int(start, 1)
            self._nums[num.get(_W + "numId") or ""] = (_val(num, "abstractNumId", "") or "", overrides)

    def _read_styles(self, root) -> None:
        raw = {}
        for st in root.iterchildren(_W + "style"):
            sid = st.get(_W + "styleId")
            if not sid:
                continue
            npr = st.find(f"{_W}pPr/{_W}numPr")
            num = (_val(npr, "numId"), _int(_val(npr, "ilvl"), 0)) if npr is not None else (None, None)
            raw[sid] = (num, _val(st, "basedOn"))
        for sid in raw:
            self._style_num_of(sid, raw)

    def _style_num_of(self, sid: str, raw: dict) -> tuple[str | None, int | None]:
        """The numbering a style has or inherits through basedOn; each style resolved once, so a
        long chain costs its length, and a cycle ends where it closes."""
        chain, seen, cur = [], set(), sid
        while cur in raw and cur not in self._style_num and cur not in seen:
            chain.append(cur)
            seen.add(cur)
            if raw[cur][0][0] is not None:
                break
            cur = raw[cur][1]
        found = self._style_num.get(cur, (None, None)) if cur not in seen else raw[cur][0]
        for name in chain:
            self._style_num[name] = found
        return found

    def _num_of(self, p) -> tuple[str, int] | None:
        ppr = p.find(_W + "pPr")
        if ppr is None:
            return None
        npr = ppr.find(_W + "numPr")
        style = self._style_num.get(_val(ppr, "pStyle", "") or "", (None, None))
        num_id = _val(npr, "numId") if npr is not None else None
        ilvl = _val(npr, "ilvl") if npr is not None else None
        num_id = num_id if num_id is not None else style[0]
        if num_id is None or num_id == "0":
            return None
        return num_id, _int(ilvl, style[1] if style[1] is not None else 0)

    def label(self, p) -> str | None:
        """The label Word shows before paragraph ``p`` ("2.1", "一、"), advancing the list's
        counters; None for an unnumbered or bulleted paragraph."""
        found = self._num_of(p)
        if found is None or found[0] not in self._nums:
            return None
        num_id, ilvl = found
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id)
        if not levels or ilvl not in levels or not 0 <= ilvl < _MAX_LEVELS:
            return None
        counters = self._counters.setdefault(abstract_id, [None] * _MAX_LEVELS)
        if num_id not in self._restarted and overrides:
            self._restarted.add(num_id)
            for lvl, start in overrides.items():
                if 0 <= lvl < _MAX_LEVELS:
                    counters[lvl] = start - 1
        current = counters[ilvl]
        counters[ilvl] = (levels[ilvl].start if current is None else current + 1)
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = None
        return self._render(levels, counters, ilvl)

    @staticmethod
    def _render(levels: dict[int, _Level], counters: list[int | None], ilvl: int) -> str | None:
        level = levels[ilvl]
        if level.fmt in ("bullet", "none") or not level.text:
            return None
        out = level.text
        for k in range(_MAX_LEVELS - 1, -1, -1):
            mark = f"%{k + 1}"
            if mark not in out:
                continue
            lv = levels.get(k)
            n = counters[k] if counters[k] is not None else (lv.start if lv else 1)
            fmt = "decimal" if level.legal or lv is None else lv.fmt
            text = format_number(n, fmt)
            if text is None:
                return None
            out = out.replace(mark, text)
        return out
