"""Activities (联系活动): one contact event each, the lines of a cadre's monthly sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .. import activity_fields
from ..calendar import month_id
from ..errors import BadInput
from ..policy import Policy
from ..store import changelog
from ..store.models import Activity, Cadre, Sheet, Target, db
from ..store.records import as_dict, clean_text, refuse_unknown
from ..store.sql import on_server, retrying, run
from ..vocabulary import vocabulary
from . import problems as problem_list
from .form_library import field_labels
from .roster import find_cadre, find_target

MAX_PEOPLE = 100_000
MAX_DAYS = 31.0


@dataclass
class ActivityInput:
    """What the clerk typed for one activity, before checking."""

    cadre: str
    date: date
    category: str
    target: str = ""
    carrier: str = ""
    summary: str = ""
    people: int | None = None
    days: float | None = None
    face_to_face: bool | None = None  # None: the category's default
    problems: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # a form's own fields (地点 …), by key or label


def parse_category(name: str) -> str:
    name = name.strip()
    if name not in vocabulary().categories:
        raise BadInput(f"未知的活动类别“{name}”，可选：{'、'.join(vocabulary().categories)}")
    return name


def form_for(cadre: Cadre, policy: Policy) -> str:
    return policy.forms[cadre.tier]


def ensure_sheet(cadre: Cadre, month: str, policy: Policy) -> Sheet:
    """The cadre's sheet for the month, made as a draft on first use; a signed one refuses.

    Call inside the write's transaction. Made with an upsert (two clerks adding to a new month at
    once make one sheet, not a duplicate-key error) and, on a server, held locked until the
    transaction ends: a sign in another client either waits for this write and seals it, or
    finishes first and this write sees the signature."""
    made = run("INSERT INTO sheet (cadre_id, month, form, status, fields, content_hash, revision) "
               "VALUES (?, ?, ?, 'draft', '{}', '', 0) ON CONFLICT (cadre_id, month) DO NOTHING RETURNING id",
               (cadre.id, month, form_for(cadre, policy))).fetchone()
    query = Sheet.select().where((Sheet.cadre == cadre) & (Sheet.month == month))
    sheet = (query.for_update() if on_server() else query).get()
    if made:
        changelog.record("insert", "sheet", sheet.id, None, as_dict(sheet))
    elif sheet.status == "signed":
        raise BadInput(f"{cadre.name} {month} 的记录表已签字封存，修改需先办理修订")
    return sheet


def resolve_target(text: str, category: str) -> tuple[Target | None, str]:
    """Free text typed in a target cell: a roster target when the name is known (preferring the
    category's kinds), otherwise kept as the carrier name (载体名称)."""
    name = text.strip()
    if not name:
        return None, ""
    found = list(Target.select().where(Target.name == name))
    if not found:
        return None, clean_text(name, "载体名称", 100)
    kinds = vocabulary().categories[category].target_kinds if category in vocabulary().categories else ()
    found.sort(key=lambda t: (t.kind not in kinds, t.id))
    return found[0], ""


def is_unknown_target(text: str, category: str) -> bool:
    """True when the category expects roster targets and the name is not one (a warning only)."""
    kinds = vocabulary().categories[category].target_kinds if category in vocabulary().categories else ()
    return bool(text.strip() and kinds and resolve_target(text, category)[0] is None)


def target_warning(text: str, category: str) -> str:
    """Why a typed target needs a second look, or "": not on the roster (kept as the carrier name),
    or a roster target of another kind than the category's (a 教研室 typed on the 党支部 row)."""
    vocab = vocabulary().categories
    kinds = vocab[category].target_kinds if category in vocab else ()
    name = text.strip()
    if not name or not kinds:
        return ""
    target, _carrier = resolve_target(name, category)
    if target is None:
        return f"名册中没有“{name}”，已作为载体名称保存"
    if target.kind not in kinds:
        return f"“{name}”在名册中是{target.kind}，不是本栏的联系对象（{'、'.join(kinds)}）"
    return ""


def _check_numbers(people: int | None, days: float | None) -> None:
    if people is not None and not 0 <= people <= MAX_PEOPLE:
        raise BadInput(f"人数应在 0 到 {MAX_PEOPLE} 之间（收到 {people}）")
    if days is not None and not 0 <= days <= MAX_DAYS:
        raise BadInput(f"天数应在 0 到 {MAX_DAYS:g} 之间（收到 {days:g}）")


def _check_date(when: date) -> None:
    if not date(2000, 1, 1) <= when <= date(2100, 12, 31):
        raise BadInput(f"日期 {when} 超出范围")


def _refuse_signed(cadre: Cadre, when: date) -> None:
    month = month_id(when)
    if Sheet.select().where((Sheet.cadre == cadre) & (Sheet.month == month)
                            & (Sheet.status == "signed")).exists():
        raise BadInput(f"{cadre.name} {month} 的记录表已签字封存，修改需先办理修订")


@retrying
def add_activity(data: ActivityInput, policy: Policy, lenient_target: bool = False) -> Activity:
    """Check everything first, then write the activity (and its sheet) in one transaction.

    The command line insists on a roster target (`lenient_target=False`); the sheet editor keeps
    an unknown name as the carrier name instead.
    """
    cadre = find_cadre(data.cadre)
    category = parse_category(data.category)
    if lenient_target:
        target, carrier_text = resolve_target(data.target, category)
        carrier = clean_text(data.carrier or carrier_text, "载体名称", 100)
    else:
        target = find_target(data.target) if data.target.strip() else None
        carrier = clean_text(data.carrier, "载体名称", 100)
    summary = clean_text(data.summary, "工作简况", 4000)
    problems = clean_text(data.problems, "发现问题", 4000)
    extra = activity_fields.merge(None, data.extra, field_labels()) if data.extra else None
    _check_numbers(data.people, data.days)
    _check_date(data.date)
    face = vocabulary().categories[category].face_to_face if data.face_to_face is None else data.face_to_face
    now = datetime.now()
    with db.atomic():
        ensure_sheet(cadre, month_id(data.date), policy)
        activity = Activity.create(
            cadre=cadre, date=data.date, category=category, target=target, carrier=carrier,
            summary=summary, people=data.people, days=data.days, face_to_face=face,
            problems=problems, extra=extra, created_at=now, updated_at=now,
        )
        changelog.record("insert", "activity", activity.id, None, as_dict(activity))
        problem_list.from_activity(activity)
    return activity


EDITABLE = ("date", "category", "target", "summary", "people", "days", "face_to_face", "problems", "extra")


@retrying
def update_activity(activity_id: int, changes: dict[str, Any], policy: Policy,
                    seen: datetime | None = None) -> Activity:
    """Change some fields of one activity (a cell edit); checked first, logged, one transaction.

    `target` is the text typed in the target cell, resolved like the sheet editor does; `extra`
    maps some of a form's own fields (by key or label) to their new values ("" removes one). The
    row is read inside the transaction (on a server: locked) and only the changed fields are
    written, so two clerks editing different cells of one activity both keep their value. `seen`
    is the `updated_at` the clerk's screen shows: when the row has changed since, the save is
    refused, naming who changed it and when.
    """
    refuse_unknown(changes, EDITABLE)
    with db.atomic():
        query = Activity.select().where(Activity.id == activity_id)
        activity = (query.for_update() if on_server() else query).first()
        if activity is None:
            raise BadInput("该活动记录已不存在（可能已被删除）")
        if seen is not None and _moment(activity.updated_at) != _moment(seen):
            raise BadInput(changed_meanwhile("activity", activity_id, "这条活动记录"))
        cadre = activity.cadre
        before = as_dict(activity)
        _refuse_signed(cadre, activity.date)
        if "date" in changes:
            _check_date(changes["date"])
            _refuse_signed(cadre, changes["date"])
            activity.date = changes["date"]
        if "category" in changes:
            activity.category = parse_category(changes["category"])
        if "target" in changes:
            activity.target, activity.carrier = resolve_target(changes["target"] or "", activity.category)
        if "summary" in changes:
            activity.summary = clean_text(changes["summary"], "工作简况", 4000)
        if "problems" in changes:
            activity.problems = clean_text(changes["problems"], "发现问题", 4000)
        if "people" in changes:
            activity.people = changes["people"]
        if "days" in changes:
            activity.days = changes["days"]
        if "face_to_face" in changes:
            activity.face_to_face = bool(changes["face_to_face"])
        if "extra" in changes:
            if not isinstance(changes["extra"], dict):
                raise BadInput("另加栏目的内容无效")
            activity.extra = activity_fields.merge(activity.extra, changes["extra"], field_labels())
        _check_numbers(activity.people, activity.days)
        activity.updated_at = datetime.now()
        ensure_sheet(cadre, month_id(activity.date), policy)
        after = as_dict(activity)
        changed = [f for f in Activity._meta.sorted_fields if after[f.name] != before[f.name]]
        activity.save(only=changed)
        changelog.record("update", "activity", activity.id, before, after)
        problem_list.from_activity(activity)
    return activity


def _moment(value: object) -> datetime | None:
    """A stored time as one comparable value (SQLite may hand back the text it holds)."""
    return value if isinstance(value, datetime) or value is None else datetime.fromisoformat(str(value))


def changed_meanwhile(table: str, row_id: object, what: str) -> str:
    """The refusal of a stale save: who changed the row since the clerk's screen showed it, and when."""
    from ..store.models import ChangeLog

    last = (ChangeLog.select(ChangeLog.actor, ChangeLog.at)
            .where((ChangeLog.table == table) & (ChangeLog.row_id == str(row_id)))
            .order_by(ChangeLog.id.desc()).first())
    by = f"已被 {last.actor} 于 {changelog.moment(last.at):%Y-%m-%d %H:%M} 修改" if last else "已被他人修改"
    return f"{what}{by}，你的修改没有保存：请按 F5 刷新后再改"


@retrying
def delete_activity(activity_id: int) -> dict[str, Any]:
    """Delete one activity; returns its values so an undo can put it back."""
    activity = Activity.get_or_none(Activity.id == activity_id)
    if activity is None:
        raise BadInput("该活动记录已不存在")
    _refuse_signed(activity.cadre, activity.date)
    values = as_dict(activity)
    with db.atomic():
        problem_list.unlink_activity(activity_id)  # the problem stays on the list, logged
        activity.delete_instance()
        changelog.record("delete", "activity", activity_id, values, None)
    return values


@retrying
def restore_activity(values: dict[str, Any], policy: Policy) -> Activity:
    """Put a deleted activity back with its own id (undo of a delete)."""
    cadre = Cadre.get_or_none(Cadre.id == values["cadre"])
    if cadre is None:
        raise BadInput("该活动所属的干部已不存在")
    when = values["date"] if isinstance(values["date"], date) else date.fromisoformat(str(values["date"]))
    _refuse_signed(cadre, when)
    row = dict(values)
    row["date"] = when
    if Activity.get_or_none(Activity.id == row["id"]) is not None:
        row.pop("id")
    with db.atomic():
        ensure_sheet(cadre, month_id(when), policy)
        activity = Activity.create(**row)
        changelog.record("insert", "activity", activity.id, None, as_dict(activity))
    return activity
