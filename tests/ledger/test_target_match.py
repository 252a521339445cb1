"""#20: a target name as written matched to the roster the grid's way (exact, type-ahead), then a
slip of one character among the cadre's own targets; otherwise kept as the carrier name."""

from __future__ import annotations

from datetime import date

import pytest

from liaison_desk.excel.word_lines import parse_day
from liaison_desk.ledger.target_match import one_off, type_ahead


def test_type_ahead_takes_what_tab_takes_in_the_grid():
    words = ["护理2301班", "护理2302班", "护理教工党支部"]
    assert type_ahead("护理2302班", words) == "护理2302班"
    assert type_ahead("教工", words) == "护理教工党支部"
    assert type_ahead("2301", words) == "护理2301班"
    assert type_ahead("北苑3栋", words) is None
    assert type_ahead("  ", words) is None


def test_one_character_off_only_when_there_is_one_such_name():
    assert one_off("基础护理教研室", ["基础护理学教研室"]) == "基础护理学教研室"  # one left out
    assert one_off("护理学院党总枝", ["护理学院党总支"]) == "护理学院党总支"  # one wrong
    assert one_off("护理2303班", ["护理2301班", "护理2302班"]) is None  # which one? not guessed
    assert one_off("陈", ["陈青"]) is None  # too short to judge
    assert one_off("南苑5栋420", ["南苑5栋402"]) is None  # two characters off


@pytest.mark.parametrize("text, day", [
    ("10月9日", date(2025, 10, 9)), ("10.9", date(2025, 10, 9)), ("2025-10-09", date(2025, 10, 9)),
    ("9日", date(2025, 10, 9)), ("9", date(2025, 10, 9)), ("１０月９号", date(2025, 10, 9)),
    ("2025年10月9日", date(2025, 10, 9)), ("10/9 下午", date(2025, 10, 9)), ("10月9日14:00", date(2025, 10, 9)),
])
def test_dates_as_cadres_write_them(text, day):
    assert parse_day(text, 2025, 10) == day


@pytest.mark.parametrize("text, why", [
    ("10月32日", "没有这一天"), ("11月3日", "不在填表时间"), ("国庆后", "看不懂"), ("2024-10-09", "不在填表时间"),
])
def test_dates_that_cannot_be_taken_say_why(text, why):
    result = parse_day(text, 2025, 10)
    assert isinstance(result, str) and why in result
