"""Academic calendar (校历): academic years, terms, months, teaching weeks, half-years.

Term ids read `2025-2026-1` (first term of academic year 2025-2026). An academic year runs
1 September to 31 August. Teaching weeks start on Monday; week 1 is the week holding the term's
first day. A week is not a teaching week when every one of its days inside the term is a holiday
(the issue's "wholly inside a holiday"); such weeks are exempt from weekly rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .errors import BadInput

TERM_ID = re.compile(r"^(\d{4})-(\d{4})-([12])$")
YEAR_ID = re.compile(r"^(\d{4})-(\d{4})$")
MONTH_ID = re.compile(r"^(\d{4})-(\d{1,2})$")


#: Years a ledger can hold: year 0 and 9999 are refused, so the month, term or year after any
#: accepted one still exists (date(10000, 1, 1) does not). Whether a date is plausible (not in
#: the future, say) is each service's own check.
YEARS = range(1900, 9999)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, what: str = "日期") -> date:
    """A date as YYYY-MM-DD only (Python also reads 20251012 and 2025-W41-1: a typo's friends)."""
    try:
        value = text.strip()
        if not ISO_DATE.match(value):
            raise ValueError(value)
        parsed = date.fromisoformat(value)
    except (ValueError, AttributeError):
        raise BadInput(f"{what}“{text}”不是有效日期（应为 YYYY-MM-DD，如 2025-10-12）") from None
    check_year(parsed.year, f"{what}“{text}”")
    return parsed


def check_year(year: int, what: str) -> None:
    if year not in YEARS:
        raise BadInput(f"{what}的年份超出范围（{YEARS.start}—{YEARS.stop - 1} 年）")


def parse_term_id(term_id: str) -> tuple[int, int]:
    """`2025-2026-1` → (2025, 1)."""
    m = TERM_ID.match(term_id.strip())
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise BadInput(f"学期“{term_id}”格式不对（应如 2025-2026-1）")
    check_year(int(m.group(2)), f"学期“{term_id}”")
    check_year(int(m.group(1)), f"学期“{term_id}”")
    return int(m.group(1)), int(m.group(3))


def parse_year_id(year_id: str) -> int:
    """`2025-2026` → 2025."""
    m = YEAR_ID.match(year_id.strip())
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise BadInput(f"学年“{year_id}”格式不对（应如 2025-2026）")
    check_year(int(m.group(2)), f"学年“{year_id}”")
    check_year(int(m.group(1)), f"学年“{year_id}”")
    return int(m.group(1))


def parse_month(month: str) -> tuple[int, int]:
    m = MONTH_ID.match(month.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise BadInput(f"月份“{month}”格式不对（应如 2025-10）")
    check_year(int(m.group(1)), f"月份“{month}”")
    return int(m.group(1)), int(m.group(2))


def month_id(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    y, m = parse_month(month)
    first = date(y, m, 1)
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return first, nxt - timedelta(days=1)


def academic_year_of(d: date) -> str:
    start = d.year if d.month >= 9 else d.year - 1
    return f"{start}-{start + 1}"


def academic_year_bounds(year_id: str) -> tuple[date, date]:
    y = parse_year_id(year_id)
    return date(y, 9, 1), date(y + 1, 8, 31)


def half_year_bounds(d: date) -> tuple[date, date]:
    """Calendar half-years: January–June and July–December."""
    if d.month <= 6:
        return date(d.year, 1, 1), date(d.year, 6, 30)
    return date(d.year, 7, 1), date(d.year, 12, 31)


def monday_of(d: date) -> date:
    return d - timedelta(days=d.weekday())


def months_between(start: date, end: date) -> list[str]:
    months = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


@dataclass(frozen=True)
class Week:
    number: int  # 第几周, from 1
    start: date  # Monday
    end: date  # Sunday
    teaching: bool


@dataclass(frozen=True)
class Term:
    """One term with its dates and holidays (the calendar weekly rules count in)."""

    id: str
    start: date
    end: date
    holidays: tuple[tuple[date, date], ...] = field(default=())

    def __post_init__(self) -> None:
        year, number = parse_term_id(self.id)
        if self.end < self.start:
            raise BadInput(f"学期 {self.id} 的结束日期早于开始日期")
        if (self.end - self.start).days > 200:
            raise BadInput(f"学期 {self.id} 长于200天，请核对日期")
        ay_start, ay_end = academic_year_bounds(f"{year}-{year + 1}")
        if not (ay_start <= self.start and self.end <= ay_end + timedelta(days=31)):
            raise BadInput(f"学期 {self.id} 的日期不在 {year}-{year + 1} 学年内")
        for h_start, h_end in self.holidays:
            if h_end < h_start:
                raise BadInput(f"假期 {h_start}:{h_end} 的结束日期早于开始日期")

    @property
    def academic_year(self) -> str:
        return self.id[:9]

    @property
    def number(self) -> int:
        return int(self.id[-1])

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def is_holiday(self, d: date) -> bool:
        return any(a <= d <= b for a, b in self.holidays)

    def weeks(self) -> list[Week]:
        weeks = []
        monday = monday_of(self.start)
        n = 1
        while monday <= self.end:
            sunday = monday + timedelta(days=6)
            days = [monday + timedelta(days=i) for i in range(7)]
            in_term = [d for d in days if self.contains(d)]
            teaching = not all(self.is_holiday(d) for d in in_term)
            weeks.append(Week(n, monday, sunday, teaching))
            monday += timedelta(days=7)
            n += 1
        return weeks

    def months(self) -> list[str]:
        return months_between(self.start, self.end)


def parse_holiday(text: str) -> tuple[date, date]:
    """`2025-10-01:2025-10-08` → the two dates."""
    parts = text.split(":")
    if len(parts) != 2:
        raise BadInput(f"假期“{text}”格式不对（应为 开始:结束，如 2025-10-01:2025-10-08）")
    return parse_date(parts[0], "假期开始"), parse_date(parts[1], "假期结束")


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")
_FULL_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_DAY = re.compile(r"^(\d{1,2})\s*日?$")


def parse_clerk_date(text: str, month: str | None = None) -> date:
    """A date as clerks write it: 2025-10-12, 2025.10.12, 2025/10/12, 2025年10月12日, and within a
    sheet's month also 12, 10.12, 10-12, 10/12, 10月12日. Full-width digits are accepted.

    With `month`, a date outside that month is refused with the reason.
    """
    raw = (text or "").strip()
    t = raw.translate(_FULLWIDTH)
    if not t:
        raise BadInput("请填写日期")
    y = m = d = None
    if match := _FULL_DATE.match(t):
        y, m, d = (int(g) for g in match.groups())
    elif month and (match := _MONTH_DAY.match(t)):
        y = parse_month(month)[0]
        m, d = (int(g) for g in match.groups())
    elif month and (match := _DAY.match(t)):
        y, m = parse_month(month)
        d = int(match.group(1))
    if y is None or m is None or d is None:
        hint = "如 12、10.12、10月12日 或 2025-10-12" if month else "如 2025-10-12"
        raise BadInput(f"无法识别的日期“{raw}”（{hint}）")
    try:
        value = date(y, m, d)
    except ValueError:
        raise BadInput(f"不存在的日期“{raw}”") from None
    if month and month_id(value) != f"{parse_month(month)[0]:04d}-{parse_month(month)[1]:02d}":
        raise BadInput(f"日期 {value} 不在本表月份（{month}）内")
    return value
