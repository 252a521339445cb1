"""The figures of the monthly report (月度报告) and the term summary (学期总结), as plain data.

Everything a leader reads on paper is computed here from the ledger and the compliance results,
with a few grouped queries however many cadres there are; pdf_report draws it. Rates count the
required rules only (advisory ones are listed, not scored), and only results whose period is over
or already met: a rule still running (进行中) is neither a success nor a failure yet.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..calendar import month_bounds, parse_month, parse_term_id
from ..ledger import settings
from ..ledger.clerks import scope_line
from ..policy import PERIODS, Policy
from ..rules.compliance import Result, cadre_rows, check
from ..rules.matrix import summarise
from ..rules.periods import term_label
from ..store.models import ProblemEvent, Unit
from ..store.records import tuples
from ..store.sql import run, truth
from ..vocabulary import TIERS, vocabulary
from .report_figures import (
    ActivityByUnit,
    CadreSummary,
    Completion,
    MonthlyReport,
    ProblemFigures,
    ProblemRow,
    RuleLine,
    SheetsByUnit,
    Shortfall,
    TermSummary,
)
from .report_sheets import month_due, sheet_states

CLOSED = ("已办结", "已解释", "已反馈")
PROBLEM_STATUSES = ("待分办", "已转办", "已办结", "已解释", "已反馈")
NO_UNIT = "（未填部门）"
NO_PROBLEM_UNIT = "（未分办）"
MONTH_PERIODS = ("week", "month")


# Shared pieces ---------------------------------------------------------------------------------


def _activity_counts(start: date, end: date, cadre_id: int | None = None) -> list[tuple[int, str, int, int, int]]:
    """(cadre id, category, activities, face-to-face, people) for a date range: one grouped query."""
    sql = (f"SELECT cadre_id, category, COUNT(*), SUM({truth('face_to_face')}), SUM(COALESCE(people, 0)) FROM activity "
           "WHERE date >= ? AND date <= ?")
    params: list[object] = [start.isoformat(), end.isoformat()]
    if cadre_id is not None:
        sql += " AND cadre_id = ?"
        params.append(cadre_id)
    return [(int(c), str(cat), int(n), int(f or 0), int(p or 0))
            for c, cat, n, f, p in run(sql + " GROUP BY cadre_id, category", params)]


def _unit_order() -> dict[str, int]:
    """Units in the order the roster lists them (first cadre's place), so tables read as usual."""
    order: dict[str, int] = {}
    for c in cadre_rows():
        order.setdefault(c.unit or NO_UNIT, len(order))
    for (name,) in tuples(Unit.select(Unit.name).order_by(Unit.id)):
        order.setdefault(name, len(order))
    return order


def problem_figures(start: date, end: date, as_of: date) -> ProblemFigures:
    """Problems raised in the period, those closed in it, and what is still open at its end (or
    at `as_of`, when that comes first), each problem's status, unit and due date as its dated
    steps (ProblemEvent) had left them on that day: the ledger as it stood then."""
    from ..ledger import problems as problem_list

    end = min(end, as_of)
    everything = problem_list.list_problems(end=end)
    state = _problem_states(end)

    def row(p: Any) -> ProblemRow:
        status, unit, due = state.get(p.id, (p.status, p.unit, p.due_on))
        unit, due = unit or p.unit, due or p.due_on  # a unit named on entry has no step of its own
        closed = status in CLOSED
        overdue = status == "已转办" and due is not None and due < end
        # Who raised it is personal data (often a student): reports name only the cadre.
        return ProblemRow(p.raised_on, p.cadre, p.description, unit, status, p.resolution if closed else "",
                          closed, overdue, p.reported_up)

    rows = {p.id: row(p) for p in everything}
    raised_ids = [p.id for p in everything if p.raised_on >= start]
    closed_ids = {pid for (pid,) in tuples(
        ProblemEvent.select(ProblemEvent.problem).where(
            (ProblemEvent.on >= start) & (ProblemEvent.on <= end) & ProblemEvent.status.in_(CLOSED)).distinct())}
    by_date = sorted(rows.items(), key=lambda kv: (kv[1].raised_on, kv[0]))
    raised = [r for pid, r in by_date if pid in set(raised_ids)]
    closed = [r for pid, r in by_date if pid in closed_ids]
    still_open = [r for _pid, r in by_date if not r.closed]
    counts = Counter(r.status for r in raised)
    units: Counter[str] = Counter(r.unit or NO_PROBLEM_UNIT for r in raised)
    closed_by_unit: Counter[str] = Counter(r.unit or NO_PROBLEM_UNIT for r in closed)
    open_by_unit: Counter[str] = Counter(r.unit or NO_PROBLEM_UNIT for r in still_open)
    names = sorted(set(units) | set(closed_by_unit) | set(open_by_unit))
    return ProblemFigures(raised=raised, closed=closed, still_open=len(still_open),
                          overdue=sum(r.overdue for r in still_open),
                          reported_up=[r for _pid, r in by_date if r.reported_up],
                          by_status={s: counts.get(s, 0) for s in PROBLEM_STATUSES},
                          by_unit=[(n, units[n], closed_by_unit[n], open_by_unit[n]) for n in names],
                          overdue_rows=[r for r in still_open if r.overdue])


def _problem_states(day: date) -> dict[int, tuple[str, str, date | None]]:
    """problem id → (status, unit, due date) after its last step on or before `day` (one query)."""
    out: dict[int, tuple[str, str, date | None]] = {}
    for pid, status, unit, due in run(
            "SELECT e.problem_id, e.status, u.name, e.due_on FROM problem_event e "
            "LEFT JOIN unit u ON u.id = e.unit_id WHERE e.\"on\" <= ? ORDER BY e.problem_id, e.\"on\", e.id",
            (day.isoformat(),)):
        _s, was_unit, was_due = out.get(pid, ("", "", None))
        out[pid] = (status, unit or was_unit, date.fromisoformat(str(due)[:10]) if due else was_due)
    return out


def _missed(results: Sequence[Result]) -> str:
    """Which periods or targets fell short: 第3周、第7周 / 2025年10月 / a target's name."""
    parts = []
    for r in results:
        if r.status != "short":
            continue
        if r.target:
            parts.append(r.target)
        elif r.due is not None:
            parts.append(_SHEET_OF.sub("", cn_dates(r.detail or r.period_label)))
        else:
            parts.append(r.period_label.split("（")[0])
    if len(parts) > 8:
        return "、".join(parts[:8]) + f" 等 {len(parts)} 项"
    return "、".join(dict.fromkeys(parts))


def _grouped(results: Iterable[Result]) -> dict[tuple[int, str], list[Result]]:
    grouped: dict[tuple[int, str], list[Result]] = defaultdict(list)
    for r in results:
        grouped[(r.cadre_id, r.rule)].append(r)
    return grouped


def _period_word(rule_period: str) -> str:
    return "每" + PERIODS.get(rule_period, rule_period)


# Monthly report --------------------------------------------------------------------------------


def monthly_report(month: str, as_of: date | None = None, compare: bool = True) -> MonthlyReport:
    """The month's figures as the ledger stood on `as_of`; with `compare`, last month's too (as
    of the same date), for the change page 1 states."""
    y, m = parse_month(month)
    month = f"{y:04d}-{m:02d}"
    first, last = month_bounds(month)
    as_of = as_of or date.today()
    policy = settings.current_policy()
    cadres = cadre_rows()
    order = _unit_order()
    by_id = {c.id: c for c in cadres}
    # Sheets: in by the report's date, late, overdue (report_sheets: the deadline check's dates).
    states = sheet_states(policy, cadres, [month], as_of)
    units: dict[str, list[int]] = defaultdict(list)
    for c in cadres:
        units[c.unit or NO_UNIT].append(c.id)
    sheets_by_unit = []
    for unit in sorted(units, key=lambda u: order.get(u, 1 << 30)):
        mine = [states[(i, month)] for i in units[unit]]
        sheets_by_unit.append(SheetsByUnit(
            unit, len(mine), sum(s.received is not None for s in mine), sum(s.signed for s in mine),
            tuple(by_id[s.cadre_id].name for s in mine if s.received is None),
            tuple(by_id[s.cadre_id].name for s in mine if s.late),
            tuple(by_id[s.cadre_id].name for s in mine if s.has_deadline and s.overdue(as_of))))
    # Activities by unit and category group.
    vocab = vocabulary()
    groups = list(dict.fromkeys(c.group for c in vocab.categories.values()))
    counts = _activity_counts(first, min(last, as_of))
    per_unit: dict[str, Counter[str]] = defaultdict(Counter)
    face_unit: Counter[str] = Counter()
    active: dict[str, set[int]] = defaultdict(set)
    cats: Counter[str] = Counter()
    face_total = people = 0
    for cid, cat, n, f, p in counts:
        row = by_id.get(cid)
        if row is None:
            continue
        unit = row.unit or NO_UNIT
        group = vocab.categories[cat].group if cat in vocab.categories else "其他"
        per_unit[unit][group] += n
        face_unit[unit] += f
        active[unit].add(cid)
        cats[cat] += n
        face_total += f
        people += p
    activity_by_unit = [
        ActivityByUnit(unit, len(units[unit]), {g: per_unit[unit][g] for g in groups},
                       sum(per_unit[unit].values()), face_unit[unit], len(active[unit]))
        for unit in sorted(units, key=lambda u: order.get(u, 1 << 30))]
    by_category = [(name, cats[name]) for name in vocab.categories if cats[name]]
    by_category += [(name, n) for name, n in cats.items() if name not in vocab.categories]
    # Compliance over the month: weekly and monthly rules.
    results = check("month", month, as_of=as_of, policy=policy)
    shortfalls = []
    rule_order = {r.id: i for i, r in enumerate(policy.rules)}
    def place(key: tuple[int, str]) -> tuple[int, int, int]:
        c = by_id.get(key[0])
        return order.get((c.unit if c else "") or NO_UNIT, 0), key[0], rule_order.get(key[1], 0)

    for (cid, rule_id), rs in sorted(_grouped(results).items(), key=lambda kv: place(kv[0])):
        if not any(r.status == "short" for r in rs):
            continue
        cell = summarise(rs)
        rule = policy.rule(rule_id)
        who = by_id.get(cid)
        shortfalls.append(Shortfall(rs[0].cadre, (who.unit if who else "") or NO_UNIT, rule_id, rule.title,
                                    _period_word(rule.period), cell.text, rule.severity,
                                    _own_month(_missed(rs), f"{y}年{m}月")))
    required = [r for r in results if r.severity == "required"]
    return MonthlyReport(
        school=settings.school_name(), policy=policy.label, month=month,
        month_label=f"{y}年{m}月", as_of=as_of, month_over=as_of > last, cadres=len(cadres),
        submitted=sum(s.submitted for s in sheets_by_unit), signed=sum(s.signed for s in sheets_by_unit),
        activities=sum(cats.values()), face_to_face=face_total,
        active_cadres=sum(len(v) for v in active.values()), people=people, by_category=by_category,
        groups=groups, sheets_by_unit=sheets_by_unit, activity_by_unit=activity_by_unit,
        shortfalls=shortfalls, open_results=sum(r.status == "open" for r in required),
        met_results=sum(r.status == "met" for r in required),
        short_results=sum(r.status == "short" for r in required),
        problems=problem_figures(first, last, as_of),
        sheets_due=month_due(policy, month),
        sheets_late=sum(len(s.late) for s in sheets_by_unit),
        sheets_overdue=sum(len(s.overdue) for s in sheets_by_unit),
        not_judged=_not_judged(policy, cadres), uses_groups=uses_groups(policy, groups),
        category_required=category_required(policy, cadres), rule_met=_rule_met(results, policy),
        previous=monthly_report(_month_before(month), as_of, compare=False) if compare else None,
        scope=scope_line(),
    )


def _own_month(missed: str, label: str) -> str:
    """A deadline row of the report's own month need not name the month again."""
    return missed[len(label):] if missed.startswith(label) and missed[len(label):][:2] in ("逾期", "未报") else missed


def _month_before(month: str) -> str:
    y, m = parse_month(month)
    return f"{y - (m == 1):04d}-{12 if m == 1 else m - 1:02d}"


def _rule_met(results: Sequence[Result], policy: Policy) -> list[tuple[str, int, int]]:
    """For each required rule judged this month: cadres who met it in every judged period, and
    cadres judged at all (the chart draws the second as the requirement)."""
    judged: dict[str, set[int]] = defaultdict(set)
    short: dict[str, set[int]] = defaultdict(set)
    for r in results:
        if r.severity == "required" and r.status in ("met", "short"):
            judged[r.rule].add(r.cadre_id)
            if r.status == "short":
                short[r.rule].add(r.cadre_id)
    by_title: dict[str, list[int]] = {}
    for rule in policy.rules:  # rules of one title for different tiers read as one requirement
        if judged.get(rule.id):
            counts = by_title.setdefault(rule.title, [0, 0])
            counts[0] += len(judged[rule.id] - short[rule.id])
            counts[1] += len(judged[rule.id])
    return [(title, met, seen) for title, (met, seen) in by_title.items()]


def category_required(policy: Policy, cadres: Sequence[Any]) -> dict[str, float]:
    """What the month's required per-category rules ask of the whole roster: for each cadre the
    largest monthly minimum of a rule counting only that category, summed (the chart's mark)."""
    need: dict[str, float] = defaultdict(float)
    for c in cadres:
        mine: dict[str, float] = {}
        for rule in policy.rules:
            if (rule.severity == "required" and rule.period == "month" and rule.measure == "count"
                    and len(rule.categories) == 1 and not rule.face_to_face and rule.who.matches(c.tier, c.tags)):
                cat = rule.categories[0]
                mine[cat] = max(mine.get(cat, 0.0), rule.min)
        for cat, n in mine.items():
            need[cat] += n
    return dict(need)


def _not_judged(policy: Policy, cadres: Sequence[Any]) -> list[tuple[str, str]]:
    """Required rules checked over a term, half-year or year that apply to someone on the roster:
    a month's report cannot judge them yet (saying 欠缺 0 would read as all fine)."""
    out = []
    for rule in policy.rules:
        if rule.severity != "required" or rule.period in MONTH_PERIODS:
            continue
        if any(rule.who.matches(c.tier, c.tags) for c in cadres):
            out.append((PERIODS.get(rule.period, rule.period), rule.title))
    return out


#: The words each category group goes by in policy texts: a report prints a group's name only when
#: the policy in force uses it (another school's 五个联系 / 七个走进 mean nothing to the reader).
GROUP_WORDS = {"五个联系": ("五个联系", "五联"), "七个走进": ("七个走进", "七进")}


def uses_groups(policy: Policy, groups: Sequence[str]) -> bool:
    text = policy.to_json()
    named = [g for g in groups if g in GROUP_WORDS]
    return bool(named) and all(any(w in text for w in GROUP_WORDS[g]) for g in named)


def cn_date(d: date, year: bool = True) -> str:
    """The reports' one date style: 2026年12月10日."""
    return f"{d.year}年{d.month}月{d.day}日" if year else f"{d.month}月{d.day}日"


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})(?![\d-])")


_SHEET_OF = re.compile(r"(?<=月)工作记录表(?=逾期|未报送|已于)")  # the row says which rule: keep the month only


def cn_dates(text: str) -> str:
    """Dates inside a check's wording (2026-12-11, 2026-11) in the reports' style."""
    text = _ISO_DAY.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)
    text = _ISO_MONTH.sub(lambda m: f"{int(m[1])}年{int(m[2])}月", text)
    return re.sub(r"(?<=[月日]) (?=\S)|(?<=\S) (?=\d{4}年)", "", text)


# Term summary -----------------------------------------------------------------------------------


def _completion(name: str, cadre_ids: Sequence[int], grouped: dict[tuple[int, str], list[Result]],
                activities: dict[int, int]) -> Completion:
    ids = set(cadre_ids)
    met = short = open_ = 0
    short_cadres = set()
    for (cid, _rule), rs in grouped.items():
        if cid not in ids:
            continue
        for r in rs:
            if r.severity != "required":
                continue
            if r.status == "met":
                met += 1
            elif r.status == "short":
                short += 1
                short_cadres.add(cid)
            elif r.status == "open":
                open_ += 1
    return Completion(name, len(ids), met, short, open_, len(short_cadres),
                      sum(activities.get(i, 0) for i in ids))


def term_summary(term_id: str, as_of: date | None = None, cadre: str | None = None) -> TermSummary:
    """The term's results for the whole school, or (cadre) for one cadre only."""
    parse_term_id(term_id)
    term = settings.get_term(term_id.strip())
    as_of = as_of or date.today()
    policy = settings.current_policy()
    rows = cadre_rows(cadre) if cadre else cadre_rows()
    results = check("term", term.id, as_of=as_of, cadre=cadre, policy=policy)
    grouped = _grouped(results)
    counts = _activity_counts(term.start, min(term.end, as_of), rows[0].id if cadre else None)
    acts: Counter[int] = Counter()
    face: Counter[int] = Counter()
    cats: Counter[str] = Counter()
    for cid, cat, n, f, _p in counts:
        acts[cid] += n
        face[cid] += f
        cats[cat] += n
    order = _unit_order()
    units: dict[str, list[int]] = defaultdict(list)
    tiers: dict[str, list[int]] = defaultdict(list)
    for c in rows:
        units[c.unit or NO_UNIT].append(c.id)
        tiers[c.tier].append(c.id)
    by_unit = [_completion(u, units[u], grouped, acts) for u in sorted(units, key=lambda u: order.get(u, 1 << 30))]
    by_tier = [_completion(TIERS.get(t, t), tiers[t], grouped, acts) for t in TIERS if t in tiers]
    # Sheets: only months whose deadline has passed are due; received means by the report's date.
    states = sheet_states(policy, rows, term.months(), as_of).values()
    due = [st for st in states if st.is_due(as_of)]
    expected = len(due)
    submitted = sum(st.received is not None for st in due)
    signed = sum(st.signed for st in due)
    late = sum(st.late for st in due)
    early = sum(st.received is not None for st in states if not st.is_due(as_of))
    rule_order = {r.id: i for i, r in enumerate(policy.rules)}
    people = []
    positions = dict(run("SELECT id, position FROM cadre"))
    per_cadre: dict[int, list[tuple[str, list[Result]]]] = defaultdict(list)
    for (cid, rule_id), rs in grouped.items():
        per_cadre[cid].append((rule_id, rs))
    for c in rows:
        lines = []
        for rule_id, rs in sorted(per_cadre.get(c.id, []), key=lambda kv: rule_order.get(kv[0], 0)):
            rule = policy.rule(rule_id)
            cell = summarise(rs)
            lines.append(RuleLine(rule.title, _period_word(rule.period), cell.text, cell.status,
                                  rule.severity, _missed(rs)))
        people.append(CadreSummary(c.id, c.name, c.unit, positions.get(c.id) or "", c.tier, acts[c.id],
                                   face[c.id], tuple(lines)))
    problems = None if cadre else problem_figures(term.start, term.end, as_of)
    vocab_order = list(vocabulary().categories)
    by_category = sorted(cats.items(), key=lambda kv: vocab_order.index(kv[0]) if kv[0] in vocab_order else 99)
    from ..ledger.sealing import revisions_between

    names = {c.name for c in rows}
    revisions = [r for r in revisions_between(term.start, term.end) if r.cadre in names]
    return TermSummary(
        revisions=revisions,
        school=settings.school_name(), policy=policy.label, term=term.id,
        term_label=term_label(term.id), start=term.start, end=term.end, as_of=as_of,
        term_over=as_of > term.end, cadres=len(rows), activities=sum(acts.values()),
        face_to_face=sum(face.values()), sheets_expected=expected, sheets_submitted=submitted,
        sheets_signed=signed, sheets_late=late, sheets_early=early, by_unit=by_unit, by_tier=by_tier,
        school_total=_completion("全校", [c.id for c in rows], grouped, acts), by_category=by_category,
        problems=problems,
        people=people, only_cadre=rows[0].name if cadre else None, scope=scope_line(),
    )
