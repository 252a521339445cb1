"""The ledger (台账): every activity in one sortable, filterable list, read a page at a time.

The Qt model asks for pages as the clerk scrolls; each page is one query, so the list opens at
once on a million activities and never queries per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from peewee import JOIN, Field, fn

from ..activity_fields import decode
from ..store.models import Activity, Cadre, Target, Unit
from ..store.records import tuples
from .form_library import field_labels

PAGE_SIZE = 500

#: (key, header) of the ledger's columns, in order.
COLUMNS: list[tuple[str, str]] = [
    ("date", "日期"), ("cadre", "干部"), ("unit", "部门"), ("category", "类别"), ("target", "联系对象/载体"),
    ("summary", "工作简况"), ("people", "人数"), ("days", "天数"), ("face_to_face", "面对面"),
    ("problems", "发现问题"),
]
EXTRA = "extra."  # the key of a form's own field's column: extra.place


def columns() -> list[tuple[str, str]]:
    """COLUMNS, then one column for each field of a form's own (地点 …) the ledger's forms declare."""
    return COLUMNS + [(EXTRA + key, label) for key, label in field_labels().items()]


_SORT_FIELDS = {
    "date": Activity.date, "cadre": Cadre.name, "unit": Unit.name, "category": Activity.category,
    "target": fn.COALESCE(Target.name, Activity.carrier), "summary": Activity.summary,
    "people": Activity.people, "days": Activity.days, "face_to_face": Activity.face_to_face,
    "problems": Activity.problems,
}


@dataclass(frozen=True)
class LedgerFilter:
    cadre: str = ""
    unit: str = ""
    category: str = ""
    start: date | None = None
    end: date | None = None
    text: str = ""


@dataclass(frozen=True)
class LedgerRow:
    activity_id: int
    date: date
    cadre: str
    unit: str
    category: str
    target: str
    summary: str
    people: int | None
    days: float | None
    face_to_face: bool
    problems: str
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # 地点 …, by key
    updated_at: Any = field(default=None, compare=False)  # when it was last saved: a stale save is refused

    def value(self, key: str) -> object:
        if key.startswith(EXTRA):
            return self.extra.get(key[len(EXTRA):], "")
        return getattr(self, key)


def _filtered(query: Any, f: LedgerFilter, joined: bool) -> Any:
    """The filter's conditions; on the cadre and unit tables when joined, else by subquery (so a
    count over a million rows needs no join)."""
    if f.cadre:
        query = query.where(Cadre.name == f.cadre) if joined else query.where(
            Activity.cadre.in_(Cadre.select(Cadre.id).where(Cadre.name == f.cadre)))
    if f.unit:
        query = query.where(Unit.name == f.unit) if joined else query.where(
            Activity.cadre.in_(Cadre.select(Cadre.id).join(Unit).where(Unit.name == f.unit)))
    if f.category:
        query = query.where(Activity.category == f.category)
    if f.start:
        query = query.where(Activity.date >= f.start)
    if f.end:
        query = query.where(Activity.date <= f.end)
    return query


def _query(f: LedgerFilter, columns: tuple = ()) -> Any:
    query = (Activity.select(*columns)
             .join(Cadre, on=(Activity.cadre == Cadre.id))
             .join(Unit, JOIN.LEFT_OUTER, on=(Cadre.unit == Unit.id))
             .switch(Activity).join(Target, JOIN.LEFT_OUTER, on=(Activity.target == Target.id)))
    query = _filtered(query, f, joined=True)
    if f.text:
        like = f"%{f.text}%"
        query = query.where(Activity.summary.contains(f.text) | Activity.problems.contains(f.text)
                            | Target.name.contains(f.text) | Activity.carrier.contains(f.text)
                            | Activity.extra.contains(f.text)
                            | Cadre.name ** like)
    return query


_ROW_COLUMNS = (Activity.id, Activity.date, Cadre.name, Unit.name, Activity.category, Target.name, Activity.carrier,
                Activity.summary, Activity.people, Activity.days, Activity.face_to_face, Activity.problems,
                Activity.extra, Activity.updated_at)


def _row(t: tuple) -> LedgerRow:
    aid, d, cadre, unit, category, tname, carrier, summary, people, days, f2f, problems, extra, saved = t
    when = d if isinstance(d, date) else date.fromisoformat(d)
    return LedgerRow(aid, when, cadre, unit or "", category, tname or carrier or "", summary or "", people, days,
                     bool(f2f), problems or "", decode(extra), saved)


def count(f: LedgerFilter) -> int:
    """How many rows match; without a text search the joins are not needed (a million rows)."""
    if f.text:
        return int(_query(f, (fn.COUNT(Activity.id),)).scalar() or 0)
    return int(_filtered(Activity.select(fn.COUNT(Activity.id)), f, joined=False).scalar() or 0)


def page(f: LedgerFilter, sort: str = "date", descending: bool = True, offset: int = 0,
         limit: int = PAGE_SIZE) -> list[LedgerRow]:
    """One page of rows; ties broken by id so pages never overlap."""
    # A form's own field sorts by the stored text: by its value while the forms declare one field.
    field: Any = Activity.extra if sort.startswith(EXTRA) else _SORT_FIELDS.get(sort, Activity.date)
    # Empty values first going up and last going down, as SQLite does and a server must be told to;
    # not said of a column that is never empty (the date), so the server can read its index in order
    # instead of sorting a million joined rows (8× SQLite's time on the large ledger, issue 18).
    # (the unit's name is empty for a cadre without a unit: outer-joined)
    nullable = not isinstance(field, Field) or field.null or field.model not in (Activity, Cadre)
    order = ([field.desc(nulls="last" if nullable else None), Activity.id.desc()] if descending
             else [field.asc(nulls="first" if nullable else None), Activity.id.asc()])
    query = _query(f, _ROW_COLUMNS).order_by(*order).offset(offset).limit(limit)
    return [_row(t) for t in query.tuples()]


def row(activity_id: int) -> LedgerRow | None:
    found = _query(LedgerFilter(), _ROW_COLUMNS).where(Activity.id == activity_id).tuples().first()
    return _row(found) if found else None


def units() -> list[str]:
    return [n for (n,) in tuples(Unit.select(Unit.name).order_by(Unit.name))]
