"""收到纸质表: recording that a cadre's monthly paper sheet reached the office (Sheet.submitted_on).

The date is what a `monthly_sheet` deadline rule (e.g. fjwsxy-2021's 每月提交工作记录表) and the
monthly report's 已交/未交 read. A receipt is a fact about the paper, not part of what a sheet
prints or seals, so it may be recorded on a signed sheet too, and recording it on a month with no
sheet yet makes the (empty) draft the paper will be typed into.

A receipt already recorded is never moved by a batch (a late batch would make a sheet that came in
on time look late); one cadre's receipt is corrected only when a date is given on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import JOIN

from ..calendar import month_bounds, parse_month
from ..errors import BadInput
from ..policy import Policy
from ..store import changelog
from ..store.models import Cadre, Sheet, Unit, db
from ..store.records import as_dict, tuples
from ..store.sql import run
from .activities import form_for


@dataclass(frozen=True)
class Receipt:
    """What one cadre's sheet says about its paper copy, before and after a change."""

    cadre: str
    month: str
    before: date | None
    after: date | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _month(month: str) -> str:
    y, m = parse_month(month)
    return f"{y:04d}-{m:02d}"


def check_date(month: str, on: date, today: date | None = None) -> None:
    """A receipt cannot come before the month it records, nor after today."""
    first, _last = month_bounds(month)
    today = today or date.today()
    if on < first:
        raise BadInput(f"收到日期 {on} 早于 {first.year}年{first.month}月，不能登记该月的记录表已收到")
    if on > today:
        raise BadInput(f"收到日期 {on} 晚于今天（{today}），不能预先登记")


def received_on(cadre_id: int, month: str) -> date | None:
    """When the cadre's paper sheet for the month was received, or None."""
    row = (Sheet.select(Sheet.submitted_on).where((Sheet.cadre == cadre_id) & (Sheet.month == _month(month)))
           .tuples().first())
    return _as_date(row[0]) if row else None


def _write(cadre: Cadre, month: str, on: date | None, policy: Policy) -> Receipt:
    """Set (or clear) one receipt; call inside a transaction. Makes the draft sheet if needed."""
    sheet = Sheet.get_or_none((Sheet.cadre == cadre.id) & (Sheet.month == month))
    if sheet is None:
        if on is None:
            return Receipt(cadre.name, month, None, None)
        sheet = Sheet.create(cadre=cadre, month=month, form=form_for(cadre, policy))
        changelog.record("insert", "sheet", sheet.id, None, as_dict(sheet))
    before = _as_date(sheet.submitted_on)
    if before == on:
        return Receipt(cadre.name, month, before, on)
    old = as_dict(sheet)
    sheet.submitted_on = on
    sheet.save()
    changelog.record("update", "sheet", sheet.id, old, as_dict(sheet))
    return Receipt(cadre.name, month, before, on)


def set_received(cadre_id: int, month: str, on: date | None, policy: Policy,
                 today: date | None = None) -> Receipt:
    """Set one cadre's receipt to exactly `on` (None clears it): the editor's key and its undo."""
    month = _month(month)
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise BadInput("未找到该干部")
    if on is not None:
        check_date(month, on, today)
    with db.atomic():
        return _write(cadre, month, on, policy)


def cadres_for(cadre: str = "", unit: str = "", everyone: bool = False) -> list[Cadre]:
    """The cadres a receipt command names: one cadre (active or not), a unit's active cadres, or
    every active cadre; exactly one of the three."""
    if sum((bool(cadre.strip()), bool(unit.strip()), everyone)) != 1:
        raise BadInput("请指定 --cadre 姓名、--unit 部门 或 --all（三者选一）")
    if cadre.strip():
        found = Cadre.get_or_none(Cadre.name == cadre.strip())
        if found is None:
            raise BadInput(f"未找到干部“{cadre.strip()}”")
        return [found]
    query = Cadre.select().where(Cadre.active == True)  # noqa: E712 (peewee)
    if unit.strip():
        u = Unit.get_or_none(Unit.name == unit.strip())
        if u is None:
            raise BadInput(f"未找到部门“{unit.strip()}”")
        query = query.where(Cadre.unit == u)
    cadres = list(query.order_by(Cadre.sort_order, Cadre.id))
    if not cadres:
        raise BadInput(f"部门“{unit.strip()}”没有在册干部" if unit.strip() else "名册中没有在册干部")
    return cadres


def mark_received(cadres: list[Cadre], month: str, on: date | None, policy: Policy,
                  correct: bool = False, today: date | None = None) -> list[Receipt]:
    """Record the month's paper sheets of these cadres as received on `on` (default today), all
    in one transaction. A sheet already received keeps its date unless `correct` (one cadre, a
    date given on purpose)."""
    month = _month(month)
    today = today or date.today()
    on = on or today
    check_date(month, on, today)
    out = []
    with db.atomic():
        for cadre in cadres:
            before = received_on(cadre.id, month)
            if before is not None and not correct:
                out.append(Receipt(cadre.name, month, before, before))
                continue
            out.append(_write(cadre, month, on, policy))
    return out


@dataclass(frozen=True)
class MonthSheet:
    """One line of a month's list of sheets: who, whether a sheet is typed, signed, received."""

    cadre_id: int
    cadre: str
    unit: str
    sheet_id: int | None
    status: str  # "" (no sheet yet) / draft / signed
    received: date | None
    activities: int


def month_list(month: str) -> list[MonthSheet]:
    """Every active cadre (and any other cadre with a sheet that month) in roster order, with the
    month's sheet state: a handful of queries, whatever the roster's size."""
    month = _month(month)
    first, last = month_bounds(month)
    sheets = {cid: (sid, status, submitted) for sid, cid, status, submitted in
              tuples(Sheet.select(Sheet.id, Sheet.cadre, Sheet.status, Sheet.submitted_on)
                     .where(Sheet.month == month))}
    counts: dict[int, int] = {}
    for cid, n in run("SELECT cadre_id, COUNT(*) FROM activity WHERE date >= ? AND date <= ? "
                                 "GROUP BY cadre_id", (first.isoformat(), last.isoformat())):
        counts[cid] = n
    out = []
    query = (Cadre.select(Cadre.id, Cadre.name, Cadre.active, Unit.name)
             .join(Unit, JOIN.LEFT_OUTER, on=(Cadre.unit == Unit.id)).order_by(Cadre.sort_order, Cadre.id))
    for cid, name, active, unit in tuples(query):
        if not active and cid not in sheets:
            continue
        sid, status, submitted = sheets.get(cid, (None, "", None))
        out.append(MonthSheet(cid, name, unit or "", sid, status, _as_date(submitted), counts.get(cid, 0)))
    return out


def clear_received(cadres: list[Cadre], month: str, policy: Policy) -> list[Receipt]:
    """Take back receipts recorded by mistake, for these cadres, in one transaction."""
    month = _month(month)
    with db.atomic():
        return [_write(c, month, None, policy) for c in cadres]
