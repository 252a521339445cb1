"""The figures a monthly report or term summary shows, as plain data: report_data computes them
from the ledger and the compliance results, report draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class SheetsByUnit:
    unit: str
    cadres: int
    submitted: int  # received by the report's date
    signed: int
    missing: tuple[str, ...]  # not received by the report's date
    late: tuple[str, ...] = ()  # received after the deadline
    overdue: tuple[str, ...] = ()  # deadline passed, still not received


@dataclass(frozen=True)
class ActivityByUnit:
    unit: str
    cadres: int
    by_group: dict[str, int]
    total: int
    face_to_face: int
    active: int  # cadres with at least one activity

    @property
    def per_cadre(self) -> float:
        return self.total / self.cadres if self.cadres else 0.0


@dataclass(frozen=True)
class Shortfall:
    """One cadre short of one rule (over the report's periods)."""

    cadre: str
    unit: str
    rule: str
    title: str
    period: str  # 每周, 每月…
    text: str  # 2/4周, 0/1次…
    severity: str
    missed: str  # which periods or targets


@dataclass(frozen=True)
class ProblemRow:
    raised_on: date
    cadre: str
    description: str
    unit: str
    status: str
    resolution: str
    closed: bool
    overdue: bool = False
    reported_up: bool = False


@dataclass(frozen=True)
class ProblemFigures:
    """A period's problem list as the reports print it (the problem list's own definitions:
    closed = reached 已办结/已解释/已反馈 on a date within the period)."""

    raised: list[ProblemRow]
    closed: list[ProblemRow]
    still_open: int
    overdue: int
    reported_up: list[ProblemRow]
    by_status: dict[str, int]  # of the problems raised in the period, as they stand now
    overdue_rows: list[ProblemRow] = field(default_factory=list)  # still open past their due date
    by_unit: list[tuple[str, int, int, int]] = field(default_factory=list)  # unit, raised, closed, open


@dataclass(frozen=True)
class Completion:
    """Required results of a group of cadres: met, short and still open."""

    name: str
    cadres: int
    met: int
    short: int
    open: int
    short_cadres: int
    activities: int = 0

    @property
    def rate(self) -> float | None:
        judged = self.met + self.short
        return self.met / judged if judged else None


@dataclass(frozen=True)
class RuleLine:
    """One rule's result for one cadre over the term, as the personal table prints it."""

    title: str
    period: str
    text: str
    status: str
    severity: str
    missed: str


@dataclass(frozen=True)
class CadreSummary:
    cadre_id: int
    name: str
    unit: str
    position: str
    tier: str
    activities: int
    face_to_face: int
    lines: tuple[RuleLine, ...]

    @property
    def short(self) -> int:
        return sum(1 for r in self.lines if r.status == "short" and r.severity == "required")


@dataclass
class MonthlyReport:
    school: str
    policy: str
    month: str
    month_label: str
    as_of: date
    month_over: bool
    cadres: int
    submitted: int
    signed: int
    activities: int
    face_to_face: int
    active_cadres: int
    people: int
    by_category: list[tuple[str, int]]
    groups: list[str]
    sheets_by_unit: list[SheetsByUnit]
    activity_by_unit: list[ActivityByUnit]
    shortfalls: list[Shortfall]
    open_results: int
    met_results: int
    short_results: int
    problems: ProblemFigures
    sheets_due: date | None = None  # the month's deadline (the policy's, else month end)
    sheets_late: int = 0
    sheets_overdue: int = 0  # deadline passed, not in
    not_judged: list[tuple[str, str]] = field(default_factory=list)  # (period word, rule title): judged later
    uses_groups: bool = True  # the policy's own text uses the category groups' words
    previous: MonthlyReport | None = None  # last month, as of the same date
    category_required: dict[str, float] = field(default_factory=dict)  # the month's required count
    rule_met: list[tuple[str, int, int]] = field(default_factory=list)  # rule title, cadres met, cadres judged
    scope: str = ""  # "范围：计算机学院" when a college secretary printed it (its units only); "" for the office

    @property
    def sheets_judged(self) -> bool:
        """The deadline has passed: 未交 now means late, not merely not yet handed in."""
        return self.sheets_due is not None and self.as_of > self.sheets_due

    @property
    def short_cadres(self) -> int:
        return len({s.cadre for s in self.shortfalls if s.severity == "required"})


@dataclass
class TermSummary:
    school: str
    policy: str
    term: str
    term_label: str
    start: date
    end: date
    as_of: date
    term_over: bool
    cadres: int
    activities: int
    face_to_face: int
    sheets_expected: int  # sheets whose deadline has passed by the report's date
    sheets_submitted: int  # of those, received by that date
    sheets_signed: int
    by_unit: list[Completion]
    by_tier: list[Completion]
    school_total: Completion
    by_category: list[tuple[str, int]]
    problems: ProblemFigures | None  # None for one cadre's summary
    people: list[CadreSummary] = field(default_factory=list)
    only_cadre: str | None = None
    revisions: list[Any] = field(default_factory=list)  # sealing.RevisionInfo: signed sheets reopened
    sheets_late: int = 0
    sheets_early: int = 0  # received for months not yet due (not in the figures above)
    scope: str = ""  # "范围：计算机学院" when a college secretary printed it (its units only); "" for the office
