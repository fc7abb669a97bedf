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
    r"(?:人民币|RMB|CNY|￥|¥)?\s*(?<![\d,.])(?P<num>\d[\d,]{0,23}(?:\.\d{1,8})?)\s*(?P<unit>亿元|万元|千元|元|亿|万)(?:人民币)?")
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


# Beyond this (10^15 yuan, several times a year's national output) a figure is not a project's amount.
MAX_YUAN = 1e15


def iter_money(text: str):
    for m in MONEY_RE.finditer(text):
        value = money_value(m.group("num"), m.group("unit"))
        if value <= MAX_YUAN:
            yield Money(value, m.start(), m.end())
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
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    # the normaliser drops the space between digits, so "2024-11-26 09:00" arrives as "2024-11-2609:00"
    re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2}?)(?:(?!\d)|(?=\d{1,2}:\d{2}))"),
    re.compile(r"(?P<y>[二〇零一三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日"),
)


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int
    end: int


def _int(s: str) -> int | None:
    return int(s) if s.isdigit() else chinese_to_int(s)


def iter_dates(text: str):
    """Dates in every form tender files use, in text order: 2025年3月1日, 2025-03-01, 2025/3/1,
    2025.3.1, 二〇二五年三月一日 (the normaliser already turns most of the last into digits)."""
    found = []
    taken: list[tuple[int, int]] = []
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            try:
                value = date(_int(m.group("y")), _int(m.group("m")), _int(m.group("d")))
            except (TypeError, ValueError):
                continue
            taken.append(m.span())
            found.append(DateMatch(value, m.start(), m.end()))
    return iter(sorted(found, key=lambda d: d.start))


def parse_date(text: str) -> date | None:
    for d in iter_dates(text):
        return d.value
    return None


@dataclass(frozen=True)
class Percent:
    value: float
    start: int
    end: int


# 6%-10%, 6%—10%, 6-10%, 6%至10%, (4-6%): a range restates the law; a single value is a choice
PERCENT_RANGE_RE = re.compile(
    r"(?P<lo>\d+(?:\.\d+)?)\s*%?\s*(?:-|~|至|到|—|–)\s*(?P<hi>\d+(?:\.\d+)?)\s*%")


def iter_percents(text: str, skip_ranges: bool = True):
    """Single percentages in text order; with ``skip_ranges`` the ends of "6%-10%" are left out."""
    ranges = [m.span() for m in PERCENT_RANGE_RE.finditer(text)] if skip_ranges else []
    for m in PERCENT_RE.finditer(text):
        if any(s <= m.start() < e for s, e in ranges):
            continue
        yield Percent(float(m.group("num")), m.start(), m.end())


def iter_percent_ranges(text: str):
    for m in PERCENT_RANGE_RE.finditer(text):
        lo, hi = float(m.group("lo")), float(m.group("hi"))
        if lo < hi:
            yield lo, hi, m.start(), m.end()


_POINTS_RE = re.compile(r"(?P<a>\d+(?:\.\d+)?)\s*(?:分)?\s*(?:(?:-|~|至|到|—)\s*(?P<b>\d+(?:\.\d+)?))?\s*(?P<u>分|%)?")


def parse_points(text: str) -> float | None:
    """The maximum of a score cell: "10", "10分", "0~10", "0-10分", "30%", "满分15分" → a number."""
    t = text.strip().replace(" ", "")
    if not t or len(t) > 24:
        m = re.search(r"(?:满分|最高|分值)\s*(?:为|:)?\s*(\d+(?:\.\d+)?)\s*分", t)
        return float(m.group(1)) if m else None
    t = re.sub(r"^(?:满分|最高|分值|最高得|共|计)\s*(?:为|:)?", "", t)
    m = _POINTS_RE.fullmatch(t) or _POINTS_RE.fullmatch(t.rstrip("。.;"))
    if not m:
        return None
    a = float(m.group("a"))
    b = float(m.group("b")) if m.group("b") else None
    return max(a, b) if b is not None else a


@dataclass(frozen=True)
class DayCount:
    value: int
    working: bool  # 工作日 vs calendar 日/天 (catalog §0.4 keeps them distinct)
    start: int
    end: int


DAYS_RE = re.compile(r"(?P<n>\d+)\s*(?:个)?\s*(?P<u>工作日|日历日|自然日|日|天)")


def iter_day_counts(text: str):
    for m in DAYS_RE.finditer(text):
        # "3月1日" is a date, not a count of days
        if m.group("u") == "日" and m.start() > 0 and text[m.start() - 1] == "月":
            continue
        yield DayCount(int(m.group("n")), m.group("u") == "工作日", m.start(), m.end())


def calendar_days_between(start: date, end: date) -> int:
    """Days from ``start`` to ``end``, the start day not counted (87号令 第85条)."""
    return (end - start).days


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (Mon–Fri; statutory holidays and
    make-up working days are not known to us, so this can only overstate the period)."""
    from datetime import timedelta

    n, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n += 1
    return n
