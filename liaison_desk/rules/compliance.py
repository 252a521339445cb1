"""Compliance (达标检查): the policy's rules evaluated over the records, as of a date.

`check(scope, period_id)` answers, for a term, a month or an academic year, one `Result` per
cadre × rule × period (× target, for per-target rules): what was required, what was done, and a
status — met (达标), short (欠缺: the period is over and it was not met), open (进行中: the
period is not over as of the date and not yet met) or exempt (不适用: a holiday week, or a
per-target rule with no such target). Which periods each scope returns is written in periods.py:
a term gives its weeks, the months it touches, the term, its half-year and its academic year, all
whole; a month gives that month and the teaching weeks whose Thursday falls in it; a year gives
all of those for both terms.

How the rules read the records (the presets' notes rely on these):

- what counts: an activity counts toward a rule when its category is one of the rule's, or the
  rule has `face_to_face` and the activity is flagged 面对面; one activity may count toward any
  number of rules;
- scope "assigned": only activities at the cadre's own assigned targets of the rule's kinds, for
  the academic year of the activity's date;
- measures: count = activities; people = sum of 人次 (an activity with no number counts as 1 —
  every contact meets somebody); days = sum of days (no number counts 0, said in the detail);
  distinct_targets = different roster targets (of the rule's kinds, if any); per_target = each
  target separately (scope assigned: each target assigned for the period's academic year; scope
  any: every roster target of those kinds); assigned = the cadre's assignments of those kinds for
  the academic year, between min and max;
- deadlines are judged against their due date, not the period's end: `arrangement_filed` = first
  term's start + offset (the cadre's earliest assignment for the year, or a filing of kind
  "arrangement"); `term_summary` = term end + offset (a filing of kind "term_summary" by the
  cadre or for the cadre's unit); `monthly_sheet` = month end + offset (the sheet's submitted
  date); a filing kind the policy declares (年度书面报告…) = its period's start, end or month-day
  + offset. Filed late counts 0, with the date in the detail. An assignment rule with `due` is
  short once that date has passed, not only at the period's end;
- `term_months_only` monthly rules: a month less than half of whose days lie in a set term is
  exempt (vacation);
- explaining every number: activities of a rule's categories that do not count (not at an
  assigned target, a target of the wrong kind, no days entered, dated between terms — reported
  with the term that follows, or the year's last term) are listed on the result (`uncounted`)
  and counted in its detail;
- only records dated on or before `as_of` count, so an old date shows the ledger as it was then;
  a period that is not over (or not yet begun) on that date is open until it is met.

Speed: each check loads the activities of its whole span with one query (tuples), indexes them by
cadre and category in Python, and evaluates every rule from those indexes; nothing is queried per
cadre or per rule.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..calendar import academic_year_bounds, academic_year_of, parse_year_id
from ..ledger import settings
from ..policy import Policy, Rule
from ..store.sql import run
from .loading import CadreRow, Loaded, cadre_rows, iso_day, year_start
from .periods import Period, Plan, due_date, plan_for

STATUSES: dict[str, str] = {"met": "达标", "short": "欠缺", "open": "进行中", "exempt": "不适用"}
SEVERITY_LABELS: dict[str, str] = {"required": "必须", "advisory": "提示"}
VACATION_MONTH = "假期月（当月过半不在学期内），不考核"
OUTSIDE_TERMS = "日期不在已设置的学期内（假期）"


@dataclass(frozen=True)
class Result:
    """One cadre × rule × period (× target): what was required, what was done, the status."""

    cadre_id: int
    cadre: str
    rule: str
    title: str
    categories: tuple[str, ...]
    period_start: date
    period_end: date
    target: str | None
    required: float
    actual: float
    unit: str
    status: str  # "met" | "short" | "open" | "exempt"
    severity: str  # "required" | "advisory"
    period: str = ""  # the period's kind: week / month / term / half_year / year
    period_label: str = ""
    target_id: int | None = None
    maximum: float | None = None
    due: date | None = None  # deadlines: the date it had to be filed by
    detail: str = ""
    activity_ids: tuple[int, ...] = field(default=(), compare=False, repr=False)
    # Activities of the rule's categories that did not count, with why (说明 says how many).
    uncounted: tuple[tuple[int, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def needed(self) -> float:
        """How much is still missing (0 when met or exempt)."""
        if self.status in ("met", "exempt"):
            return 0.0
        return max(0.0, self.required - self.actual)

    def to_json(self) -> dict[str, Any]:
        return {
            "cadre": self.cadre, "cadre_id": self.cadre_id, "rule": self.rule, "title": self.title,
            "categories": list(self.categories), "period": self.period,
            "period_label": self.period_label, "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(), "target": self.target,
            "required": _num(self.required), "maximum": _num(self.maximum),
            "actual": _num(self.actual), "unit": self.unit, "status": self.status,
            "severity": self.severity, "due": self.due.isoformat() if self.due else None,
            "detail": self.detail,
            "uncounted": [{"activity_id": i, "reason": why} for i, why in self.uncounted],
        }


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


# Evaluation --------------------------------------------------------------------------------------


def _status(ok: bool, end: date, as_of: date) -> str:
    if ok:
        return "met"
    return "open" if as_of <= end else "short"


def _periods_for_rule(plan: Plan, rule: Rule) -> tuple[Period, ...]:
    return plan.periods(rule.period)  # a deadline rule's period is its event's (policy.py checks)


def _explain(left_out: list[tuple[int, str, str]]) -> str:
    """“2 条进班级未计入：对象不是本人本学年联系的班级”, one clause per category and reason."""
    groups: dict[tuple[str, str], int] = {}
    for _id, category, why in left_out:
        groups[(category, why)] = groups.get((category, why), 0) + 1
    return "；".join(f"{n} 条{category}未计入：{why}" for (category, why), n in groups.items())


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


class _Evaluator:
    def __init__(self, ledger: Loaded, as_of: date, policy: Policy) -> None:
        self.ledger = ledger
        self.as_of = as_of
        self.policy = policy
        self.out: list[Result] = []
        self._term_month: dict[str, bool] = {}
        self._gaps: dict[str, list[tuple[date, date]]] = {}

    def off(self, rule: Rule, p: Period) -> str:
        """Why the period is not judged for this rule ("" when it is)."""
        if p.exempt:
            return "假期周，不考核"
        if rule.term_months_only and p.kind == "month" and not self.term_month(p):
            return VACATION_MONTH
        return ""

    def term_month(self, p: Period) -> bool:
        """A month is a term month when at least half of its days lie in a set term: a term that
        ends on July 5 or starts on February 23 leaves July and February vacation months."""
        found = self._term_month.get(p.key)
        if found is None:
            terms = self.ledger.terms.values()
            inside = sum(max(0, (min(t.end, p.end) - max(t.start, p.start)).days + 1) for t in terms)
            year = academic_year_of(p.start)
            mine = [t for t in terms if t.academic_year == year]
            # Only the calendar can say a month is vacation: with its year's terms not yet set
            # (or only those before it), the month is checked as any other.
            known = len(mine) >= 2 or any(t.start > p.end for t in mine)
            found = 2 * inside >= (p.end - p.start).days + 1 or not known
            self._term_month[p.key] = found
        return found

    def gaps(self, p: Period) -> list[tuple[date, date]]:
        """For a term: the vacation days of its academic year that are reported with it (before
        it, since the last term or the year's start; after it too when it is the year's last)."""
        if p.kind != "term":
            return []
        found = self._gaps.get(p.key)
        if found is None:
            found = self._gaps[p.key] = self._term_gaps(p)
        return found

    def _term_gaps(self, p: Period) -> list[tuple[date, date]]:
        year_start_day, year_end_day = academic_year_bounds(p.key[:9])
        terms = sorted((t for t in self.ledger.terms.values() if t.academic_year == p.key[:9]),
                       key=lambda t: t.start)
        before = [t for t in terms if t.end < p.start]
        after = [t for t in terms if t.start > p.end]
        spans = [((before[-1].end if before else year_start_day - timedelta(days=1)) + timedelta(days=1),
                  p.start - timedelta(days=1))]
        if not after:
            spans.append((p.end + timedelta(days=1), year_end_day))
        return [(a, b) for a, b in spans if a <= b]

    def result(self, c: CadreRow, rule: Rule, p: Period, required: float, actual: float,
               status: str, target: tuple[int, str] | None = None, ids: Iterable[int] = (),
               due: date | None = None, detail: str = "",
               uncounted: tuple[tuple[int, str], ...] = ()) -> None:
        self.out.append(Result(
            cadre_id=c.id, cadre=c.name, rule=rule.id, title=rule.title, categories=rule.categories,
            period_start=p.start, period_end=p.end, target=target[1] if target else None,
            required=required, actual=actual, unit=rule.unit, status=status, severity=rule.severity,
            period=p.kind, period_label=p.label, target_id=target[0] if target else None,
            maximum=rule.max, due=due, detail=detail, activity_ids=tuple(ids), uncounted=uncounted))

    def rule(self, c: CadreRow, rule: Rule, periods: tuple[Period, ...]) -> None:
        if rule.measure == "deadline":
            for p in periods:
                self.deadline(c, rule, p)
        elif rule.measure == "assigned":
            for p in periods:
                self.assignments(c, rule, p)
        elif rule.measure == "per_target":
            self.per_target(c, rule, periods)
        else:
            self.activities(c, rule, periods)

    def left_out(self, c: CadreRow, rule: Rule, p: Period) -> list[tuple[int, str, str]]:
        """The activities of the rule's categories in the period that its scope leaves out, and
        (for a term) those dated in the vacation reported with it: (id, category, why)."""
        out: list[tuple[int, str, str]] = []
        rows, dates = self.ledger.left_out(c.id, rule)
        kept, kept_dates = self.ledger.qualifying(c.id, rule)
        if not rows and not kept:
            return out
        lo, hi = bisect_left(dates, iso_day(p.start)), bisect_right(dates, iso_day(p.end))
        out += [(r[1], r[2], r[3]) for r in rows[lo:hi]]
        for a, b in self.gaps(p):
            lo, hi = bisect_left(kept_dates, iso_day(a)), bisect_right(kept_dates, iso_day(b))
            out += [(r[1], r[6], OUTSIDE_TERMS) for r in kept[lo:hi]]
            lo, hi = bisect_left(dates, iso_day(a)), bisect_right(dates, iso_day(b))
            out += [(r[1], r[2], OUTSIDE_TERMS) for r in rows[lo:hi]]
        return out

    def activities(self, c: CadreRow, rule: Rule, periods: tuple[Period, ...]) -> None:
        rows, dates = self.ledger.qualifying(c.id, rule)
        kinds = set(rule.target_kinds)
        of_kinds = {tid for k in kinds for tid, _n in self.ledger.targets.get(k, ())}
        for p in periods:
            lo = bisect_left(dates, iso_day(p.start))
            hi = bisect_right(dates, iso_day(p.end))
            chosen = rows[lo:hi]
            detail = ""
            left_out = self.left_out(c, rule, p)
            if rule.measure == "count":
                actual = float(len(chosen))
            elif rule.measure == "people":
                missing = sum(1 for r in chosen if r[3] is None)
                actual = float(sum(r[3] if r[3] is not None else 1 for r in chosen))
                if missing:
                    detail = f"其中 {missing} 条未填人数，各按1人次计"
            elif rule.measure == "days":
                left_out += [(r[1], r[6], "未填天数") for r in chosen if r[4] is None]
                chosen = [r for r in chosen if r[4] is not None]
                actual = float(sum(r[4] or 0.0 for r in chosen))
            else:  # distinct_targets
                if rule.scope != "assigned":
                    outside = [(r, self.ledger.not_at(r[2], rule.target_kinds)) for r in chosen]
                    left_out += [(r[1], r[6], why) for r, why in outside if why]
                    chosen = [r for r, why in outside if not why]
                seen = {r[2] for r in chosen if r[2] is not None and (not kinds or r[2] in of_kinds)}
                actual = float(len(seen))
            off = self.off(rule, p)
            status = "exempt" if off else _status(actual >= rule.min, p.end, self.as_of)
            self.result(c, rule, p, rule.min, actual, status, ids=(r[1] for r in chosen),
                        detail=_join(off, detail, _explain(left_out)),
                        uncounted=tuple((i, why) for i, _cat, why in left_out))

    def per_target(self, c: CadreRow, rule: Rule, periods: tuple[Period, ...]) -> None:
        rows, dates = self.ledger.qualifying(c.id, rule)
        for p in periods:
            targets = self.targets_for(c, rule, p)
            lo = bisect_left(dates, iso_day(p.start))
            hi = bisect_right(dates, iso_day(p.end))
            at: dict[int, list[int]] = {}
            for r in rows[lo:hi]:
                if r[2] is not None:
                    at.setdefault(r[2], []).append(r[1])
            left_out = self.left_out(c, rule, p)
            listed = {t[0] for t in targets}
            what = "本人联系的" if rule.scope == "assigned" else ""
            left_out += [(r[1], r[6], self.ledger.not_at(r[2], ()) or f"对象不是{what}{'、'.join(rule.target_kinds)}")
                         for r in rows[lo:hi] if r[2] not in listed]
            explained = _explain(left_out)
            uncounted = tuple((i, why) for i, _cat, why in left_out)
            if not targets:
                what = "本人联系的" if rule.scope == "assigned" else "名册中的"
                self.result(c, rule, p, rule.min, 0.0, "exempt",
                            detail=_join(f"{what}{'、'.join(rule.target_kinds)}类对象为空", explained),
                            uncounted=uncounted)
                continue
            off = self.off(rule, p)
            for target in targets:
                ids = at.get(target[0], [])
                status = "exempt" if off else _status(len(ids) >= rule.min, p.end, self.as_of)
                self.result(c, rule, p, rule.min, float(len(ids)), status, target=target, ids=ids,
                            detail=_join(off, explained), uncounted=uncounted)

    def targets_for(self, c: CadreRow, rule: Rule, p: Period) -> list[tuple[int, str]]:
        if rule.scope != "assigned":
            return [t for k in rule.target_kinds for t in self.ledger.targets.get(k, ())]
        found: dict[int, str] = {}
        for year in range(year_start(iso_day(p.start)), year_start(iso_day(p.end)) + 1):
            for tid, _kind, name, _filed in self.ledger.assigned_to(c.id, year, rule.target_kinds):
                found.setdefault(tid, name)
        return list(found.items())

    def assignments(self, c: CadreRow, rule: Rule, p: Period) -> None:
        middle = p.start + (p.end - p.start) / 2
        links = self.ledger.assigned_to(c.id, parse_year_id(academic_year_of(middle)), rule.target_kinds)
        actual = float(len(links))
        ok = actual >= rule.min and (rule.max is None or actual <= rule.max)
        names = "、".join(name for _t, _k, name, _f in links)
        detail = f"联系：{names}" if names else "尚无此类联系安排"
        if rule.max is not None and actual > rule.max:
            detail += f"（超过上限 {rule.max:g} 个）"
        due = None
        if rule.due:
            due, note = due_date(rule.due, rule.offset_days, p, self.ledger.terms)
            detail += f"（截止 {due}）{note}"
        off = self.off(rule, p)
        status = "exempt" if off else _status(ok, due or p.end, self.as_of)
        self.result(c, rule, p, rule.min, actual, status, due=due, detail=_join(off, detail))

    def deadline(self, c: CadreRow, rule: Rule, p: Period) -> None:
        ledger, as_of = self.ledger, iso_day(self.as_of)
        _period, anchor, offset = self.policy.event_due(rule.event)
        due, note = due_date(anchor, offset + rule.offset_days, p, ledger.terms)
        if rule.event == "monthly_sheet":
            filed = ledger.sheets.get((c.id, p.key))
            what = f"{p.key} 工作记录表"
        elif rule.event == "arrangement_filed":
            year = parse_year_id(p.key)
            assigned = [a[3] for a in ledger.assigned.get((c.id, year), ()) if a[3]]
            slot = ledger.filings.get(("arrangement", p.key), {})
            filed = _earliest(min(assigned) if assigned else None, slot.get(c.id),
                              slot.get(("unit", c.unit_id)) if c.unit_id else None)
            what = "学年联系安排"
        else:  # term_summary, or a filing kind the policy declares (年度书面报告…)
            slot = ledger.filings.get((rule.event, p.key), {})
            filed = _earliest(slot.get(c.id), slot.get(("unit", c.unit_id)) if c.unit_id else None)
            what = self.policy.filing_kinds().get(rule.event, rule.event)
        if filed is not None and filed > as_of:
            filed = None
        on_time = filed is not None and filed <= iso_day(due)
        if on_time:
            detail = f"{what}已于 {filed} 报送（截止 {due}）"
        elif filed is not None:
            detail = f"{what}逾期：{filed} 报送（截止 {due}）"
        else:
            detail = f"{what}未报送（截止 {due}）"
        off = self.off(rule, p)
        status = "met" if on_time else ("open" if self.as_of <= due else "short")
        self.result(c, rule, p, 1.0, 1.0 if on_time else 0.0, "exempt" if off and not on_time else status,
                    due=due, detail=_join(off, detail + note))


def _earliest(*dates: str | None) -> str | None:
    found = [d for d in dates if d]
    return min(found) if found else None


def _needs(rules: list[tuple[Rule, tuple[Period, ...]]]) -> set[str]:
    needs: set[str] = set()
    for rule, _ps in rules:
        if rule.measure in ("count", "people", "days", "distinct_targets", "per_target"):
            needs.add("activities")
        elif rule.event == "monthly_sheet":
            needs.add("sheets")
        elif rule.measure == "deadline":
            needs.add("filings")
    return needs


def evaluate(plan: Plan, as_of: date, cadres: list[CadreRow], policy: Policy,
             containing: date | None = None) -> list[Result]:
    """Every rule over the plan's periods for the cadres; with `containing`, only the periods
    that hold that date (what is running now)."""
    rules: list[tuple[Rule, tuple[Period, ...]]] = []
    for rule in policy.rules:
        periods = _periods_for_rule(plan, rule)
        if containing is not None:
            periods = tuple(p for p in periods if p.start <= containing <= p.end)
        if periods:
            rules.append((rule, periods))
    if not rules or not cadres:
        return []
    start = min(p.start for _r, ps in rules for p in ps)
    end = max(p.end for _r, ps in rules for p in ps)
    if any(p.kind == "term" for _r, ps in rules for p in ps):  # the vacations a term reports
        start = min(start, *(academic_year_bounds(p.key[:9])[0] for _r, ps in rules for p in ps
                             if p.kind == "term"))
        end = max(end, *(academic_year_bounds(p.key[:9])[1] for _r, ps in rules for p in ps
                         if p.kind == "term"))
    ledger = Loaded(cadres, start, end, as_of, plan, _needs(rules))
    ev = _Evaluator(ledger, as_of, policy)
    for c in cadres:
        for rule, periods in rules:
            if rule.who.matches(c.tier, c.tags):
                ev.rule(c, rule, periods)
    return ev.out


def check(scope: str, period_id: str, as_of: date | None = None, cadre: str | None = None,
          policy: Policy | None = None) -> list[Result]:
    """scope "term" (period_id "2025-2026-1") | "month" ("2025-10") | "year" ("2025-2026").

    Results come in roster order, then the policy's rule order, then by period and target.
    """
    plan = plan_for(scope, period_id)
    policy = policy or settings.current_policy()
    return evaluate(plan, as_of or date.today(), cadre_rows(cadre), policy)


def counted_activity_ids(result: Result) -> list[int]:
    """The activities that counted toward a result, by date."""
    return list(result.activity_ids)


def due_soon(as_of: date | None = None, policy: Policy | None = None) -> list[Result]:
    """What each cadre still needs in the periods running now (this week, month, term, year):
    the open results of the current term (or, between terms, of this month), soonest due first."""
    as_of = as_of or date.today()
    policy = policy or settings.current_policy()
    term = settings.term_of(as_of)
    plan = plan_for("term", term.id) if term else plan_for("month", as_of.strftime("%Y-%m"))
    open_now = [r for r in evaluate(plan, as_of, cadre_rows(), policy, containing=as_of)
                if r.status == "open"]
    order = {r.id: i for i, r in enumerate(policy.rules)}
    open_now.sort(key=lambda r: (r.severity != "required", r.due or r.period_end, order[r.rule]))
    return open_now


@dataclass(frozen=True)
class CountedActivity:
    id: int
    date: date
    category: str
    target: str
    summary: str
    people: int | None
    days: float | None
    face_to_face: bool


def counted_activities(result: Result) -> list[CountedActivity]:
    """The activities behind a result, for the clerk to see the evidence (one query)."""
    return _activities(counted_activity_ids(result))


def uncounted_activities(result: Result) -> list[tuple[CountedActivity, str]]:
    """The activities of the rule's categories that did not count toward the result, with why."""
    why = dict(result.uncounted)
    return [(a, why[a.id]) for a in _activities(list(why))]


def _activities(ids: list[int]) -> list[CountedActivity]:
    if not ids:
        return []
    found: dict[int, CountedActivity] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        marks = ",".join("?" * len(part))
        for aid, d, cat, tname, carrier, summary, people, days, f2f in run(
                "SELECT a.id, a.date, a.category, t.name, a.carrier, a.summary, a.people, a.days, "
                f"a.face_to_face FROM activity a LEFT JOIN target t ON t.id = a.target_id "
                f"WHERE a.id IN ({marks})", part):
            found[aid] = CountedActivity(aid, date.fromisoformat(str(d)[:10]), cat, tname or carrier or "",
                                         summary or "", people, days, bool(f2f))
    return sorted(found.values(), key=lambda a: (a.date, a.id))
