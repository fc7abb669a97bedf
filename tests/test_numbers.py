"""Amounts, percents, dates, score cells and day counts as tender files write them."""
from __future__ import annotations

from datetime import date

import pytest

from checker.normalize import normalize
from checker.numbers import (iter_dates, iter_day_counts, iter_money, iter_percents, parse_points,
                             parse_upper_money, working_days_between)


def _norm(text: str) -> str:
    return normalize(text).text


@pytest.mark.parametrize("text", ["2025年3月1日", "2025-03-01", "2025/3/1", "2025.03.01", "二〇二五年三月一日",
                                  "2025年3月1日上午9:30", "2025-03-01 09:30:00"])
def test_every_date_form_reads_the_same_day(text):
    assert [d.value for d in iter_dates(_norm(text))] == [date(2025, 3, 1)]


def test_upper_case_amounts():
    assert parse_upper_money("壹佰万元整") == 1_000_000
    assert parse_upper_money("叁拾伍万陆仟元") == 356_000
    assert [m.yuan for m in iter_money("人民币300万元")] == [3_000_000]


def test_a_restated_range_is_not_the_chosen_percent():
    text = _norm("价格扣除幅度由6%—10%提高至10%—20%，本项目取15%")
    assert [p.value for p in iter_percents(text)] == [15.0]


@pytest.mark.parametrize("cell,points", [("0~10", 10), ("10分", 10), ("0-5分", 5), ("30%", 30),
                                         ("满分15分", 15), ("详见评分细则", None)])
def test_score_cells(cell, points):
    assert parse_points(_norm(cell)) == points


def test_working_days_and_days_are_kept_apart():
    counts = list(iter_day_counts(_norm("公告期限为5个工作日，自3月1日起20日内")))
    assert [(c.value, c.working) for c in counts] == [(5, True), (20, False)]


def test_working_days_skip_weekends():
    # Friday 2025-03-07 to Monday 2025-03-10: one working day after the start day
    assert working_days_between(date(2025, 3, 7), date(2025, 3, 10)) == 1
