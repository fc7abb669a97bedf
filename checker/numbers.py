"""Typed quantities from tender text: money in 元/万元/亿元 and 大写, percents, dates, day counts."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .normalize import chinese_to_int

_UPPER_DIGITS = {"零": 0, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
                 "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9}
_UPPER_UNITS = {"拾": 10, "佰": 100, "仟": 1000, "十": 10, "百": 100, "千": 1000}
_UPPER_BIG = {"万": 10_000, "亿": 100_000_000}

MONEY_RE = re.compile(
    r"(?:人民币|RMB|CNY|￥|¥)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元|亿|万)(?:人民币)?")
UPPER_MONEY_RE = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+(?:元|圆)(?:[零壹贰叁肆伍陆柒捌玖]角)?(?:[零壹贰叁肆伍陆柒捌玖]分)?整?")
PERCENT_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*%")


@dataclass(frozen=True)
class Money:
    yuan: float
    start: int
    end: int


def money_value(num: str, unit: str) -> float:
    value = float(num.replace(",", ""))
    factor = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "千元": 1e3, "元": 1.0}[unit]
    return value * factor


def parse_upper_money(s: str) -> float | None:
    """Value of 大写 amounts such as 壹佰万元整, 叁拾伍万陆仟元, 贰亿元."""
    s = re.sub(r"[元圆整]", " ", s).split()[0] if s else ""
    if not s:
        return None
    total, section, current = 0, 0, 0
    for ch in s:
        if ch in _UPPER_DIGITS:
            current = _UPPER_DIGITS[ch]
        elif ch in _UPPER_UNITS:
            section += (current or 1) * _UPPER_UNITS[ch]
            current = 0
        elif ch in _UPPER_BIG:
            total += (section + current) * _UPPER_BIG[ch]
            section, current = 0, 0
        else:
            return None
    return float(total + section + current)


def iter_money(text: str):
    for m in MONEY_RE.finditer(text):
        yield Money(money_value(m.group("num"), m.group("unit")), m.start(), m.end())
    for m in UPPER_MONEY_RE.finditer(text):
        v = parse_upper_money(m.group())
        if v:
            yield Money(v, m.start(), m.end())


def first_money(text: str) -> Money | None:
    found = sorted(iter_money(text), key=lambda m: m.start)
    return found[0] if found else None


def parse_number(s: str) -> float | None:
    """A number written in digits or Chinese numerals ("30", "1,000", "三十")."""
    s = s.strip().replace(",", "")
    try:
        return float(s)
    except ValueError:
        v = chinese_to_int(s)
        return float(v) if v is not None else None


_DATE_RES = (
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>[二〇零一三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日"),
)


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int
    end: int


def iter_dates(text: str):
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            try:
                y = int(m.group("y")) if m.group("y").isdigit() else chinese_to_int(m.group("y"))
                mo = int(m.group("m")) if m.group("m").isdigit() else chinese_to_int(m.group("m"))
                d = int(m.group("d")) if m.group("d").isdigit() else chinese_to_int(m.group("d"))
                yield DateMatch(date(y, mo, d), m.start(), m.end())
            except (TypeError, ValueError):
                continue
