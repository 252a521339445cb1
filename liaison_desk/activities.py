"""Activities (联系活动): one contact event each, the lines of a cadre's monthly sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from . import changelog
from .calendar import month_id
from .errors import BadInput
from .models import Activity, Cadre, Sheet, db
from .policy import Policy
from .records import as_dict, clean_text
from .roster import find_cadre, find_target
from .vocabulary import vocabulary

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


def parse_category(name: str) -> str:
    name = name.strip()
    if name not in vocabulary().categories:
        raise BadInput(f"未知的活动类别“{name}”，可选：{'、'.join(vocabulary().categories)}")
    return name


def form_for(cadre: Cadre, policy: Policy) -> str:
    return policy.forms[cadre.tier]


def ensure_sheet(cadre: Cadre, month: str, policy: Policy) -> Sheet:
    """The cadre's sheet for the month, made as a draft on first use; a signed one refuses."""
    sheet = Sheet.get_or_none((Sheet.cadre == cadre) & (Sheet.month == month))
    if sheet is None:
        sheet = Sheet.create(cadre=cadre, month=month, form=form_for(cadre, policy))
        changelog.record("insert", "sheet", sheet.id, None, as_dict(sheet))
    elif sheet.status == "signed":
        raise BadInput(f"{cadre.name} {month} 的记录表已签字封存，修改需先办理修订")
    return sheet


def add_activity(data: ActivityInput, policy: Policy) -> Activity:
    """Check everything first, then write the activity (and its sheet) in one transaction."""
    cadre = find_cadre(data.cadre)
    category = parse_category(data.category)
    target = find_target(data.target) if data.target.strip() else None
    carrier = clean_text(data.carrier, "载体名称", 100)
    summary = clean_text(data.summary, "工作简况", 4000)
    problems = clean_text(data.problems, "发现问题", 4000)
    if data.people is not None and not 0 <= data.people <= MAX_PEOPLE:
        raise BadInput(f"人数应在 0 到 {MAX_PEOPLE} 之间（收到 {data.people}）")
    if data.days is not None and not 0 <= data.days <= MAX_DAYS:
        raise BadInput(f"天数应在 0 到 {MAX_DAYS:g} 之间（收到 {data.days:g}）")
    if not date(2000, 1, 1) <= data.date <= date(2100, 12, 31):
        raise BadInput(f"日期 {data.date} 超出范围")
    face = vocabulary().categories[category].face_to_face if data.face_to_face is None else data.face_to_face
    now = datetime.now()
    with db.atomic():
        ensure_sheet(cadre, month_id(data.date), policy)
        activity = Activity.create(
            cadre=cadre, date=data.date, category=category, target=target, carrier=carrier,
            summary=summary, people=data.people, days=data.days, face_to_face=face,
            problems=problems, created_at=now, updated_at=now,
        )
        changelog.record("insert", "activity", activity.id, None, as_dict(activity))
    return activity
