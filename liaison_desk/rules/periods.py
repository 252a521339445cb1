"""The periods a compliance check covers: which weeks, months, terms, half-years and years.

A check is asked for one term, one month or one academic year (its *scope*); each rule is then
evaluated over the periods of its own kind that the scope holds:

- week: a term check gives every week of the term (holiday weeks too, marked exempt); a month
  check the term weeks whose Thursday falls in the month (the ISO rule, so each week belongs to
  exactly one month); a year check every week of the year's terms.
- month: a term check gives every calendar month the term touches, whole; a month check that
  month; a year check the twelve months September to August.
- term: a term check gives the term; a year check the year's terms; a month check none.
- half_year: a term check gives the half-year holding the term's middle day, whole (July to
  December for a first term, January to June for a second); a year check the two half-years
  that end inside the year; a month check none.
- year: a term or year check gives the academic year, whole; a month check none.

Periods are never clipped: a rule's requirement is for its whole period (one inspection per
half-year), so a shorter window would ask for the wrong thing. A month check answers "what is
due weekly and monthly"; longer rules are for term and year checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..calendar import (
    Term,
    academic_year_bounds,
    half_year_bounds,
    month_bounds,
    months_between,
    parse_month,
    parse_term_id,
    parse_year_id,
)
from ..errors import BadInput
from ..ledger import settings

SCOPES = ("term", "month", "year")
TERM_NUMBERS = {1: "第一学期", 2: "第二学期"}


@dataclass(frozen=True)
class Period:
    """One stretch of time a rule is judged over."""

    kind: str  # week / month / term / half_year / year
    key: str  # 2025-2026-1/w03, 2025-10, 2025-2026-1, 2025-H2, 2025-2026
    start: date
    end: date
    label: str  # as the clerk reads it: 第3周（10-13—10-19）, 2025年10月…
    exempt: bool = False  # a holiday week: weekly rules do not apply


@dataclass(frozen=True)
class Plan:
    """The periods of each kind that one check covers."""

    scope: str
    period_id: str
    start: date
    end: date
    by_kind: dict[str, tuple[Period, ...]]
    terms: tuple[Term, ...]
    notes: tuple[str, ...] = ()  # what the calendar leaves unchecked (a term not set…)

    def periods(self, kind: str) -> tuple[Period, ...]:
        return self.by_kind.get(kind, ())


def term_label(term_id: str) -> str:
    year, number = parse_term_id(term_id)
    return f"{year}-{year + 1}学年{TERM_NUMBERS[number]}"


def month_period(month: str) -> Period:
    y, m = parse_month(month)
    start, end = month_bounds(month)
    return Period("month", f"{y:04d}-{m:02d}", start, end, f"{y}年{m}月")


def term_period(term: Term) -> Period:
    return Period("term", term.id, term.start, term.end, term_label(term.id))


def year_period(year_id: str) -> Period:
    start, end = academic_year_bounds(year_id)
    return Period("year", year_id, start, end, f"{year_id}学年")


def half_year_period(day: date) -> Period:
    start, end = half_year_bounds(day)
    half = "上半年" if start.month == 1 else "下半年"
    return Period("half_year", f"{start.year}-H{1 if start.month == 1 else 2}", start, end,
                  f"{start.year}年{half}")


def week_periods(term: Term) -> list[Period]:
    return [Period("week", f"{term.id}/w{w.number:02d}", w.start, w.end,
                   f"第{w.number}周（{w.start:%m-%d}—{w.end:%m-%d}）", exempt=not w.teaching)
            for w in term.weeks()]


def _year_terms(year_id: str) -> list[Term]:
    return [t for t in settings.terms() if t.academic_year == year_id]


def due_date(anchor: str, offset: int, p: Period, terms: dict[str, Term]) -> tuple[date, str]:
    """The due date of a deadline or an assignment rule in one period, and a note when the
    calendar lacks the term it is counted from. A year starts at its first term's start and
    ends at its second term's end (September 1 and August 31 when those are not set)."""
    note = ""
    if anchor == "start":
        base = p.start
        if p.kind == "year":
            first = terms.get(f"{p.key}-1")
            base = first.start if first else p.start
            note = "" if first else "（未设置第一学期，按9月1日起算）"
    elif anchor == "end":
        base = p.end
        if p.kind == "year":
            last = terms.get(f"{p.key}-2")
            base = last.end if last else p.end
            note = "" if last else "（未设置第二学期，按8月31日计）"
    else:  # a month-day inside the period
        month, day = int(anchor[:2]), int(anchor[3:])
        base = p.end
        for year in range(p.start.year, p.end.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:  # 02-29 in a common year
                continue
            if p.start <= candidate <= p.end:
                base = candidate
                break
    return base + timedelta(days=offset), note


def plan_for(scope: str, period_id: str) -> Plan:
    """The periods of a term, month or academic year check (see the module docstring)."""
    if scope == "term":
        parse_term_id(period_id)
        term = settings.get_term(period_id)
        middle = term.start + (term.end - term.start) / 2
        by_kind = {
            "week": tuple(week_periods(term)),
            "month": tuple(month_period(m) for m in term.months()),
            "term": (term_period(term),),
            "half_year": (half_year_period(middle),),
            "year": (year_period(term.academic_year),),
        }
        return Plan(scope, period_id, term.start, term.end, by_kind, (term,))
    if scope == "month":
        month = month_period(period_id)
        weeks = []
        terms = []
        for term in settings.terms():
            inside = [w for w in week_periods(term) if month.start <= w.start + timedelta(days=3) <= month.end]
            if inside:
                weeks += inside
                terms.append(term)
        by_kind = {"week": tuple(weeks), "month": (month,)}
        notes = () if terms else (f"{month.label}不在已设置的学期内，每周规则不检查",)
        return Plan(scope, month.key, month.start, month.end, by_kind, tuple(terms), notes)
    if scope == "year":
        y = parse_year_id(period_id)
        year = year_period(period_id)
        terms = _year_terms(period_id)
        by_kind = {
            "week": tuple(w for t in terms for w in week_periods(t)),
            "month": tuple(month_period(m) for m in months_between(year.start, year.end)),
            "term": tuple(term_period(t) for t in terms),
            "half_year": (half_year_period(date(y, 12, 1)), half_year_period(date(y + 1, 6, 1))),
            "year": (year,),
        }
        missing = [f"{period_id}-{n}" for n in (1, 2) if f"{period_id}-{n}" not in {t.id for t in terms}]
        notes = (f"未设置学期 {'、'.join(missing)}，其学期规则和每周规则不检查",) if missing else ()
        return Plan(scope, period_id, year.start, year.end, by_kind, tuple(terms), notes)
    raise BadInput(f"未知的检查范围“{scope}”，可选：term（学期）、month（月）、year（学年）")
