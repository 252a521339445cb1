"""The problem list (问题清单): what students raised during contacts, passed to the responsible
unit, solved or explained, and the student told — each step dated and kept.

Life: 待分办 → 已转办 (a unit, a due date) → 已办结 (what was done) or 已解释 (why not, what the
student was told) → 已反馈 (the student heard back). A problem can be reopened at any time. What a
cadre or unit cannot solve is reported up to the party committee (上报学校党委).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import JOIN

from ..errors import BadInput
from ..store import changelog
from ..store.models import Activity, Cadre, Problem, ProblemEvent, Unit, db
from ..store.records import as_dict, clean_text, refuse_unknown, tuples
from ..store.sql import insert_rows, run
from .roster import find_cadre, find_unit, get_or_add_unit

NEW, TRANSFERRED, SOLVED, EXPLAINED, ANSWERED = "待分办", "已转办", "已办结", "已解释", "已反馈"
STATUSES = (NEW, TRANSFERRED, SOLVED, EXPLAINED, ANSWERED)
OPEN_STATUSES = (NEW, TRANSFERRED)
CATEGORIES = ("学习", "生活", "思想", "心理", "就业", "后勤", "安全", "其他")
URGENCIES = ("一般", "紧急")
#: Which step may follow which (reopening is allowed from any closed or answered step).
NEXT = {NEW: (TRANSFERRED, SOLVED, EXPLAINED), TRANSFERRED: (TRANSFERRED, SOLVED, EXPLAINED),
        SOLVED: (ANSWERED, NEW), EXPLAINED: (ANSWERED, NEW), ANSWERED: (NEW,)}


@dataclass(frozen=True)
class ProblemRow:
    id: int
    description: str
    raised_on: date
    raised_by: str
    category: str
    urgency: str
    status: str
    cadre: str
    unit: str
    due_on: date | None
    resolution: str
    activity_id: int | None
    activity_month: str
    reported_up: bool

    def overdue(self, as_of: date) -> bool:
        return self.status == TRANSFERRED and self.due_on is not None and self.due_on < as_of


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    value = value.strip()
    if value not in allowed:
        raise BadInput(f"未知的{what}“{value}”，可选：{'、'.join(allowed)}")
    return value


def _step(problem: Problem, status: str, on: date, note: str = "", unit: Unit | None = None,
          due_on: date | None = None) -> None:
    event = ProblemEvent.create(problem=problem, on=on, status=status, unit=unit, due_on=due_on, note=note,
                                actor=changelog.actor(), at=datetime.now())
    changelog.record("insert", "problem_event", event.id, None, as_dict(event))


def add_problem(description: str, raised_on: date, category: str = "其他", unit: str = "",
                urgency: str = "一般", raised_by: str = "", cadre: str = "", activity_id: int | None = None,
                ) -> Problem:
    """Record a problem, alone or from an activity (its 发现问题)."""
    description = clean_text(description, "问题描述", 2000, required=True)
    category = _choice(category or "其他", CATEGORIES, "问题类别")
    urgency = _choice(urgency or "一般", URGENCIES, "紧急程度")
    raised_by = clean_text(raised_by, "反映人", 60)
    activity = Activity.get_or_none(Activity.id == activity_id) if activity_id else None
    if activity_id and activity is None:
        raise BadInput("来源活动不存在")
    who = find_cadre(cadre) if cadre else (activity.cadre if activity else None)
    with db.atomic():
        problem = Problem.create(description=description, raised_on=raised_on, category=category,
                                 unit=get_or_add_unit(unit) if unit else None, urgency=urgency, raised_by=raised_by,
                                 cadre=who, activity=activity, status=NEW, updated_at=datetime.now())
        changelog.record("insert", "problem", problem.id, None, as_dict(problem))
        _step(problem, NEW, raised_on, "登记")
    return problem


def from_activity(activity: Activity) -> Problem | None:
    """The 发现问题 of an activity becomes a problem on the list (once); later edits of the text
    follow while the problem is still 待分办. Called inside the activity's transaction."""
    text = (activity.problems or "").strip()
    linked = Problem.get_or_none(Problem.activity == activity.id)
    if linked is None:
        if not text:
            return None
        return add_problem(text, activity.date, activity_id=activity.id)
    if text and linked.status == NEW and linked.description != text:
        before = as_dict(linked)
        linked.description = text
        linked.updated_at = datetime.now()
        linked.save()
        changelog.record("update", "problem", linked.id, before, as_dict(linked))
    return linked


def bulk_from_activities(activity_ids: list[int]) -> int:
    """After a bulk write of activities (an import): each of `activity_ids` with a 发现问题 and no
    problem yet goes on the list as 待分办, logged like the rest. Returns how many."""
    if not activity_ids:
        return 0
    wanted = set(activity_ids)
    rows = [r for r in run(
        "SELECT a.id, a.cadre_id, a.date, a.problems FROM activity a LEFT JOIN problem p ON p.activity_id = a.id "
        "WHERE a.id >= ? AND a.problems != '' AND p.id IS NULL ORDER BY a.id", (min(wanted),)).fetchall()
        if r[0] in wanted]
    if not rows:
        return 0
    now = datetime.now().isoformat(sep=" ", timespec="seconds")
    who = changelog.actor()
    values = [(aid, cid, text.strip()[:2000], "", when, "其他", None, "一般", "待分办", None, "", now, False)
              for aid, cid, when, text in rows]
    problem_ids = insert_rows("problem", (
        "activity_id", "cadre_id", "description", "raised_by", "raised_on", "category", "unit_id", "urgency",
        "status", "due_on", "resolution", "updated_at", "reported_up"), values)
    event_ids = insert_rows("problem_event", ("problem_id", "on", "status", "unit_id", "due_on", "note", "actor", "at"),
                            [(pid, v[4], "待分办", None, None, "登记（导入）", who, now)
                             for pid, v in zip(problem_ids, values, strict=True)])
    changelog.log_inserted(Problem, "problem", problem_ids)
    changelog.log_inserted(ProblemEvent, "problem_event", event_ids)
    problem_rows = problem_ids
    return len(problem_rows)


def unlink_activity(activity_id: int) -> None:
    """Before an activity is deleted: its problems stay on the list, no longer linked."""
    for problem in Problem.select().where(Problem.activity == activity_id):
        before = as_dict(problem)
        problem.activity = None
        problem.updated_at = datetime.now()
        problem.save()
        changelog.record("update", "problem", problem.id, before, as_dict(problem))


def _get(problem_id: int) -> Problem:
    problem = Problem.get_or_none(Problem.id == problem_id)
    if problem is None:
        raise BadInput(f"问题 #{problem_id} 不存在")
    return problem


def _move(problem_id: int, status: str, on: date, note: str = "", **changes: Any) -> Problem:
    problem = _get(problem_id)
    if status not in NEXT[problem.status]:
        raise BadInput(f"问题 #{problem_id} 当前为“{problem.status}”，不能改为“{status}”")
    if on < problem.raised_on:
        raise BadInput(f"日期 {on} 早于问题登记日期 {problem.raised_on}")
    note = clean_text(note, "说明", 2000)
    with db.atomic():
        before = as_dict(problem)
        for key, value in changes.items():
            setattr(problem, key, value)
        problem.status = status
        problem.updated_at = datetime.now()
        problem.save()
        changelog.record("update", "problem", problem.id, before, as_dict(problem))
        _step(problem, status, on, note, changes.get("unit"), changes.get("due_on"))
    return problem


def transfer(problem_id: int, unit: str, due_on: date, on: date, note: str = "",
             new_unit: bool = False) -> Problem:
    """转办: pass it to the responsible unit with a date it is due. The unit must be on the
    roster (a typo must not become a new unit) unless `new_unit` says to add it."""
    if not unit.strip():
        raise BadInput("转办须写明承办部门")
    if due_on < on:
        raise BadInput("办理期限早于转办日期")
    target = get_or_add_unit(unit) if new_unit else find_unit(unit)
    return _move(problem_id, TRANSFERRED, on, note, unit=target, due_on=due_on)


def solve(problem_id: int, on: date, what_was_done: str) -> Problem:
    """办结: what was done."""
    if not what_was_done.strip():
        raise BadInput("办结须写明办理结果")
    return _move(problem_id, SOLVED, on, what_was_done, resolution=what_was_done.strip())


def explain(problem_id: int, on: date, explanation: str) -> Problem:
    """已解释: why it cannot be done, and what the student was told."""
    if not explanation.strip():
        raise BadInput("须写明不能解决的原因及向学生所作的解释")
    return _move(problem_id, EXPLAINED, on, explanation, resolution=explanation.strip())


def answer(problem_id: int, on: date, note: str = "") -> Problem:
    """已反馈: the student has been told."""
    return _move(problem_id, ANSWERED, on, note or "已向学生反馈")


def reopen(problem_id: int, on: date, reason: str) -> Problem:
    if not reason.strip():
        raise BadInput("重新打开须写明原因")
    return _move(problem_id, NEW, on, reason, due_on=None)


def report_up(problem_id: int, reported: bool = True) -> Problem:
    """Mark a problem the cadre or unit cannot solve as reported up (listed in the term summary)."""
    problem = _get(problem_id)
    with db.atomic():
        before = as_dict(problem)
        problem.reported_up = reported
        problem.updated_at = datetime.now()
        problem.save()
        changelog.record("update", "problem", problem.id, before, as_dict(problem))
    return problem


EDITABLE = ("description", "category", "urgency", "raised_by")


def update_problem(problem_id: int, changes: dict[str, str]) -> Problem:
    """Edit a problem's own words in place (its steps go through transfer/solve/…)."""
    problem = _get(problem_id)
    refuse_unknown(changes, EDITABLE, "不能直接修改")
    before = as_dict(problem)
    if "description" in changes:
        problem.description = clean_text(changes["description"], "问题描述", 2000, required=True)
    if "category" in changes:
        problem.category = _choice(changes["category"], CATEGORIES, "问题类别")
    if "urgency" in changes:
        problem.urgency = _choice(changes["urgency"], URGENCIES, "紧急程度")
    if "raised_by" in changes:
        problem.raised_by = clean_text(changes["raised_by"], "反映人", 60)
    with db.atomic():
        problem.updated_at = datetime.now()
        problem.save()
        changelog.record("update", "problem", problem.id, before, as_dict(problem))
    return problem


def history(problem_id: int) -> list[ProblemEvent]:
    return list(ProblemEvent.select().where(ProblemEvent.problem == problem_id).order_by(ProblemEvent.id))


_COLUMNS = (Problem.id, Problem.description, Problem.raised_on, Problem.raised_by, Problem.category,
            Problem.urgency, Problem.status, Cadre.name, Unit.name, Problem.due_on, Problem.resolution,
            Problem.activity, Activity.date, Problem.reported_up)


def _to_date(v: Any) -> Any:
    return v if isinstance(v, date) or v is None else date.fromisoformat(v)


def _row(t: tuple) -> ProblemRow:
    pid, desc, raised_on, by, cat, urg, status, cadre, unit, due, res, aid, adate, up = t
    to_date = _to_date
    adate = to_date(adate)
    return ProblemRow(pid, desc, to_date(raised_on), by or "", cat or "", urg or "", status, cadre or "", unit or "",
                      to_date(due), res or "", aid, f"{adate:%Y-%m}" if adate else "", bool(up))


def list_problems(status: str = "", unit: str = "", cadre: str = "", overdue: bool = False,
                  as_of: date | None = None, start: date | None = None, end: date | None = None) -> list[ProblemRow]:
    as_of = as_of or date.today()
    query = (Problem.select(*_COLUMNS).join(Cadre, JOIN.LEFT_OUTER, on=(Problem.cadre == Cadre.id))
             .switch(Problem).join(Unit, JOIN.LEFT_OUTER, on=(Problem.unit == Unit.id))
             .switch(Problem).join(Activity, JOIN.LEFT_OUTER, on=(Problem.activity == Activity.id)))
    if status:
        query = query.where(Problem.status == _choice(status, STATUSES, "状态"))
    if unit:
        query = query.where(Unit.name == unit)
    if cadre:
        query = query.where(Cadre.name == cadre)
    if overdue:
        query = query.where((Problem.status == TRANSFERRED) & (Problem.due_on < as_of))
    if start:
        query = query.where(Problem.raised_on >= start)
    if end:
        query = query.where(Problem.raised_on <= end)
    return [_row(t) for t in tuples(query.order_by(Problem.raised_on.desc(), Problem.id.desc()))]


@dataclass(frozen=True)
class ProblemSummary:
    """The reports' problem section for a period."""

    raised: int
    closed: int  # reached 已办结 / 已解释 / 已反馈 within the period
    open: int  # still 待分办 / 已转办 at the period's end
    overdue: list[ProblemRow]
    by_unit: list[tuple[str, int, int, int]]  # unit, raised, closed, open
    reported_up: list[ProblemRow]


def summary(start: date, end: date, as_of: date | None = None) -> ProblemSummary:
    as_of = min(as_of or date.today(), end)
    raised = list_problems(start=start, end=end)
    closed_ids = {pid for (pid,) in tuples(ProblemEvent.select(ProblemEvent.problem).where(
        (ProblemEvent.on >= start) & (ProblemEvent.on <= end)
        & ProblemEvent.status.in_((SOLVED, EXPLAINED, ANSWERED))).distinct())}
    everything = list_problems(end=end)
    still_open = [p for p in everything if p.status in OPEN_STATUSES]
    units: Counter[str] = Counter(p.unit or "（未分办）" for p in raised)
    closed_by_unit: Counter[str] = Counter(p.unit or "（未分办）" for p in everything if p.id in closed_ids)
    open_by_unit: Counter[str] = Counter(p.unit or "（未分办）" for p in still_open)
    names = sorted(set(units) | set(closed_by_unit) | set(open_by_unit))
    return ProblemSummary(
        raised=len(raised), closed=len(closed_ids), open=len(still_open),
        overdue=[p for p in still_open if p.overdue(as_of)],
        by_unit=[(n, units[n], closed_by_unit[n], open_by_unit[n]) for n in names],
        reported_up=[p for p in everything if p.reported_up])
