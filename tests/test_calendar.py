from datetime import date

import pytest

from liaison_desk.calendar import (
    Term,
    academic_year_bounds,
    academic_year_of,
    half_year_bounds,
    month_bounds,
    parse_holiday,
    parse_term_id,
)
from liaison_desk.errors import BadInput


def test_term_id_names_year_and_number():
    assert parse_term_id("2025-2026-1") == (2025, 1)
    assert parse_term_id("2025-2026-2") == (2025, 2)
    for bad in ("2025-2027-1", "2025-2026-3", "2025-1", "二〇二五"):
        with pytest.raises(BadInput):
            parse_term_id(bad)


def test_academic_year_runs_september_to_august():
    assert academic_year_of(date(2025, 9, 1)) == "2025-2026"
    assert academic_year_of(date(2026, 8, 31)) == "2025-2026"
    assert academic_year_of(date(2026, 1, 10)) == "2025-2026"
    assert academic_year_bounds("2025-2026") == (date(2025, 9, 1), date(2026, 8, 31))


def test_months_and_half_years():
    assert month_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_bounds("2025-12") == (date(2025, 12, 1), date(2025, 12, 31))
    assert half_year_bounds(date(2025, 6, 30)) == (date(2025, 1, 1), date(2025, 6, 30))
    assert half_year_bounds(date(2025, 7, 1)) == (date(2025, 7, 1), date(2025, 12, 31))


def test_teaching_weeks_start_monday_and_skip_a_whole_holiday_week():
    # Term starts on a Wednesday: week 1 is the week holding that day, from its Monday.
    term = Term("2025-2026-1", date(2025, 9, 3), date(2025, 10, 19),
                ((date(2025, 10, 6), date(2025, 10, 12)),))
    weeks = term.weeks()
    assert weeks[0].start == date(2025, 9, 1) and weeks[0].start.weekday() == 0
    assert weeks[0].number == 1 and weeks[-1].end == date(2025, 10, 19)
    assert len(weeks) == 7
    holiday_week = [w for w in weeks if w.start == date(2025, 10, 6)][0]
    assert not holiday_week.teaching
    # 10-01..10-05 covers only part of its week: still a teaching week.
    assert [w for w in weeks if w.start == date(2025, 9, 29)][0].teaching
    assert sum(w.teaching for w in weeks) == 6


def test_term_months_and_bad_dates():
    term = Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18))
    assert term.months() == ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01"]
    with pytest.raises(BadInput):
        Term("2025-2026-1", date(2026, 1, 18), date(2025, 9, 1))
    with pytest.raises(BadInput):
        Term("2025-2026-1", date(2024, 9, 1), date(2025, 1, 18))
    with pytest.raises(BadInput):
        parse_holiday("2025-10-01")


@pytest.mark.parametrize("text, expected", [
    ("12", date(2025, 10, 12)), ("12日", date(2025, 10, 12)), ("10.12", date(2025, 10, 12)),
    ("10-12", date(2025, 10, 12)), ("10/12", date(2025, 10, 12)), ("10月12日", date(2025, 10, 12)),
    ("2025.10.12", date(2025, 10, 12)), ("2025-10-12", date(2025, 10, 12)),
    ("2025年10月12日", date(2025, 10, 12)), ("１０．１２", date(2025, 10, 12)), (" 3 ", date(2025, 10, 3)),
])
def test_clerk_date_shorthands_within_the_sheet_month(text, expected):
    from liaison_desk.calendar import parse_clerk_date
    assert parse_clerk_date(text, "2025-10") == expected


@pytest.mark.parametrize("text, reason", [
    ("11.3", "不在本表月份"), ("2025-09-30", "不在本表月份"), ("32", "不存在"), ("10.32", "不存在"),
    ("昨天", "无法识别"), ("", "请填写"),
])
def test_clerk_date_outside_the_month_or_unreadable_says_why(text, reason):
    from liaison_desk.calendar import parse_clerk_date
    with pytest.raises(BadInput, match=reason):
        parse_clerk_date(text, "2025-10")


def test_clerk_date_without_a_month_needs_the_year():
    from liaison_desk.calendar import parse_clerk_date
    assert parse_clerk_date("2025/1/5") == date(2025, 1, 5)
    with pytest.raises(BadInput):
        parse_clerk_date("1.5")
