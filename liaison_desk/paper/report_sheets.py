"""Which monthly record sheets were due and which were in, as of a report's date.

One source for every sheet figure the reports print: a sheet counts as handed in (已交) when the
office received it (`Sheet.submitted_on`) on or before the report's date; it is due on the date
the policy's `monthly_sheet` deadline gives (month end + offset) for the cadres that rule applies
to, and at month end for the others (the policy sets them no deadline, so nothing of theirs is
late). The compliance check judges the same dates, so page 1 and the list of shortfalls agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..calendar import month_bounds
from ..policy import Policy, Rule
from ..rules.compliance import CadreRow
from ..store.sql import run


@dataclass(frozen=True)
class SheetState:
    """One cadre's sheet of one month as it stood on the report's date."""

    cadre_id: int
    month: str
    due: date
    has_deadline: bool  # the policy's deadline rule applies to this cadre
    received: date | None  # None: not received by the report's date
    signed: bool

    @property
    def late(self) -> bool:
        return self.has_deadline and self.received is not None and self.received > self.due

    def overdue(self, as_of: date) -> bool:
        """Due date passed and still not in (the deadline rule then counts it short)."""
        return self.received is None and as_of > self.due

    def is_due(self, as_of: date) -> bool:
        return as_of > self.due


def deadline_rules(policy: Policy) -> list[Rule]:
    return [r for r in policy.rules if r.measure == "deadline" and r.event == "monthly_sheet"]


def month_due(policy: Policy, month: str) -> date:
    """The month's deadline as the policy states it (the first such rule), else month end."""
    rules = deadline_rules(policy)
    end = month_bounds(month)[1]
    return end + timedelta(days=rules[0].offset_days) if rules else end


def sheet_states(policy: Policy, cadres: Sequence[CadreRow], months: Iterable[str],
                 as_of: date) -> dict[tuple[int, str], SheetState]:
    """(cadre id, month) → state, for every cadre and month asked (one query)."""
    months = list(months)
    if not months or not cadres:
        return {}
    marks = ",".join("?" * len(months))
    stored = {(int(cid), str(m)): (_day(s), st, _day(at)) for cid, m, s, st, at in run(
        f"SELECT cadre_id, month, submitted_on, status, signed_at FROM sheet WHERE month IN ({marks})", months)}
    rules = deadline_rules(policy)
    out: dict[tuple[int, str], SheetState] = {}
    for c in cadres:
        rule = next((r for r in rules if r.who.matches(c.tier, c.tags)), None)
        for m in months:
            end = month_bounds(m)[1]
            due = end + timedelta(days=rule.offset_days) if rule else end
            received, status, signed_at = stored.get((c.id, m), (None, "", None))
            if received is not None and received > as_of:
                received = None
            signed = status == "signed" and (signed_at is None or signed_at <= as_of)
            out[(c.id, m)] = SheetState(c.id, m, due, rule is not None, received, signed)
    return out


def _day(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
