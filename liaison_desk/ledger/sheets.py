"""A cadre's month sheet (工作记录表) as the sheet editor works on it: the month's activities with
their ids, the form's own values, the cadre's assigned targets; and the editor's writes of the
form's own values. (Printing and sealing gather the same records in sheet_content.py, laid out
by section, for every cadre of a month at once.)

One query per table, so opening a sheet stays well under 100 ms on the large ledger.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import JOIN

from ..activity_fields import decode
from ..calendar import academic_year_of, month_bounds, parse_month
from ..errors import BadInput
from ..forms import Form
from ..policy import Policy
from ..store import changelog
from ..store.models import Activity, Assignment, Cadre, Sheet, Target, Unit, db
from ..store.records import as_dict, clean_text, tuples
from ..store.sql import retrying
from .form_library import form_for_sheet


@dataclass(frozen=True)
class Line:
    """One activity as it stands on a sheet."""

    activity_id: int
    date: date
    category: str
    target_id: int | None
    target: str  # the roster target's name, or the free carrier name
    summary: str
    people: int | None
    days: float | None
    face_to_face: bool
    problems: str
    extra: dict[str, str] = field(default_factory=dict, hash=False)  # a form's own fields (地点 …)
    updated_at: datetime | None = None  # as saved: an edit made from this line is refused if it changed since

    def value(self, key: str) -> str:
        """A form's own field's value ('' when not filled in)."""
        return self.extra.get(key, "")


@dataclass
class SheetContent:
    cadre_id: int
    cadre: str
    unit: str
    position: str
    tier: str
    month: str
    form: Form
    sheet_id: int | None = None
    status: str = "draft"
    signed_at: str | None = None
    revision: int = 0
    submitted_on: date | None = None  # the paper sheet received by the office (receipts.py)
    fields: dict[str, object] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    assigned: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # kind → targets

    @property
    def signed(self) -> bool:
        return self.status == "signed"

    def lines_of(self, category: str) -> list[Line]:
        return [ln for ln in self.lines if ln.category == category]

    def other_lines(self) -> list[Line]:
        """Activities whose category has no fixed row on this form."""
        fixed = self.form.row_categories
        return [ln for ln in self.lines if ln.category not in fixed]

    def assigned_names(self, kinds: tuple[str, ...]) -> list[str]:
        return [name for k in kinds for _id, name in self.assigned.get(k, [])]


_LINE_FIELDS = (Activity.id, Activity.cadre, Activity.date, Activity.category, Activity.target,
                Target.name, Activity.carrier, Activity.summary, Activity.people, Activity.days,
                Activity.face_to_face, Activity.problems, Activity.extra, Activity.updated_at)


def _line(row: tuple) -> tuple[int, Line]:
    aid, cid, d, cat, tid, tname, carrier, summary, people, days, f2f, problems, extra, updated = row
    when = d if isinstance(d, date) else date.fromisoformat(d)
    if isinstance(updated, str):
        updated = datetime.fromisoformat(updated)
    return cid, Line(aid, when, cat, tid, tname or carrier or "", summary or "", people, days, bool(f2f),
                     problems or "", decode(extra), updated)


def _activity_rows(month: str, cadre_id: int | None = None) -> list[tuple]:
    first, last = month_bounds(month)
    query = (Activity.select(*_LINE_FIELDS).join(Target, join_type=JOIN.LEFT_OUTER, on=(Activity.target == Target.id))
             .where((Activity.date >= first) & (Activity.date <= last)))
    if cadre_id is not None:
        query = query.where(Activity.cadre == cadre_id)
    return tuples(query.order_by(Activity.cadre, Activity.date, Activity.id))


def _assigned(year: str, cadre_id: int | None = None) -> dict[int, dict[str, list[tuple[int, str]]]]:
    query = (Assignment.select(Assignment.cadre, Target.kind, Target.id, Target.name)
             .join(Target).where(Assignment.year == year))
    if cadre_id is not None:
        query = query.where(Assignment.cadre == cadre_id)
    result: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for cid, kind, tid, name in tuples(query.order_by(Assignment.id)):
        result[cid][kind].append((tid, name))
    return result


def _content(cadre: tuple, month: str, policy: Policy, sheet: tuple | None) -> SheetContent:
    cid, name, unit, position, tier = cadre
    content = SheetContent(cadre_id=cid, cadre=name, unit=unit or "", position=position or "", tier=tier,
                           month=month, form=form_for_sheet(sheet[1], sheet[3]) if sheet
                           else form_for_sheet(policy.forms[tier]))
    if sheet:
        sid, _form, status, fields, signed_at, revision, submitted = sheet
        content.sheet_id, content.status, content.revision = sid, status, revision
        content.submitted_on = submitted if isinstance(submitted, date) or submitted is None \
            else date.fromisoformat(str(submitted)[:10])
        content.fields = json.loads(fields or "{}")
        content.signed_at = str(signed_at) if signed_at else None
    return content


_CADRE_FIELDS = (Cadre.id, Cadre.name, Unit.name, Cadre.position, Cadre.tier)
_SHEET_FIELDS = (Sheet.id, Sheet.form, Sheet.status, Sheet.fields, Sheet.signed_at, Sheet.revision,
                 Sheet.submitted_on)


def load_sheet(cadre_id: int, month: str, policy: Policy) -> SheetContent:
    parse_month(month)
    cadre = (Cadre.select(*_CADRE_FIELDS).join(Unit, join_type=JOIN.LEFT_OUTER, on=(Cadre.unit == Unit.id))
             .where(Cadre.id == cadre_id).tuples().first())
    if cadre is None:
        raise BadInput("未找到该干部")
    sheet = (Sheet.select(*_SHEET_FIELDS).where((Sheet.cadre == cadre_id) & (Sheet.month == month))
             .tuples().first())
    content = _content(cadre, month, policy, sheet)
    content.lines = [line for _cid, line in map(_line, _activity_rows(month, cadre_id))]
    year = academic_year_of(month_bounds(month)[0])
    content.assigned = {k: v for k, v in _assigned(year, cadre_id).get(cadre_id, {}).items()}
    return content


@retrying
def set_field(cadre_id: int, month: str, key: str, value: object, policy: Policy) -> str:
    """Set one of the form's own values (特长, 教师/学生 carriers, 工作内容), logged. A carrier
    field also keeps the cadre's 联系安排 for the year in line (carriers.py); returns what the
    clerk should be told about that ('' otherwise)."""
    from .activities import ensure_sheet
    from .carriers import sync

    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise BadInput("未找到该干部")
    with db.atomic():
        sheet = ensure_sheet(cadre, month, policy)
        form = form_for_sheet(sheet.form)
        if form.notice:
            raise BadInput(f"本表的记录表格式“{form.id}”已找不到，栏目暂不能修改（导入该格式后即可）")
        if key not in form.field_keys:
            raise BadInput(f"记录表“{form.title}”没有栏目“{key}”")
        if isinstance(value, str):
            value = clean_text(value, "栏目内容", 8000)
        elif isinstance(value, list):
            options = {o for s in form.sections if s.key == key for o in s.options}
            if not all(isinstance(v, str) and v in options for v in value):
                raise BadInput(f"栏目“{key}”的选项无效")
        else:
            raise BadInput("栏目内容无效")
        before = as_dict(sheet)
        fields = json.loads(sheet.fields or "{}")
        if fields.get(key) == value:
            return ""
        old = fields.get(key)
        fields[key] = value
        sheet.fields = json.dumps(fields, ensure_ascii=False, sort_keys=True)
        sheet.save()
        changelog.record("update", "sheet", sheet.id, before, as_dict(sheet))
        carrier = form.carrier_field(key)
        return sync(cadre, sheet, carrier, old, value) if carrier else ""


def load_line(activity_id: int) -> Line | None:
    """One activity as a sheet line (after an edit), or None when it no longer exists."""
    row = (Activity.select(*_LINE_FIELDS).join(Target, join_type=JOIN.LEFT_OUTER, on=(Activity.target == Target.id))
           .where(Activity.id == activity_id).tuples().first())
    return _line(row)[1] if row else None


def target_names(kinds: tuple[str, ...]) -> list[str]:
    """Roster targets of these kinds, by name (the target cell's suggestions after the assigned ones)."""
    if not kinds:
        return []
    return [n for (n,) in tuples(Target.select(Target.name).where(Target.kind.in_(kinds)).order_by(Target.name))]
