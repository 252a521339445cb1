"""The home view's figures: what ledger this is and how much it holds (cheap queries only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..calendar import month_id
from ..store.models import Activity, Cadre, Sheet, Target
from . import settings


@dataclass(frozen=True)
class Overview:
    school: str
    policy_name: str
    policy_document: str
    rules: int
    term: str
    cadres: int
    targets: int
    activities: int
    month: str
    sheets_this_month: int
    overdue_problems: list[str]  # "#12 宿舍漏水（后勤保障处，期限 2025-10-10）", the oldest first
    overdue_count: int


def overview(today: date | None = None) -> Overview:
    today = today or date.today()
    policy = settings.current_policy()
    term = settings.term_of(today)
    month = month_id(today)
    from .problems import TRANSFERRED, list_problems

    overdue = sorted((p for p in list_problems(status=TRANSFERRED, overdue=True, as_of=today)),
                     key=lambda p: (p.due_on or today, p.id))
    return Overview(
        school=settings.school_name(),
        policy_name=policy.name,
        policy_document=policy.bare_document,
        rules=len(policy.rules),
        term=term.id if term else "",
        cadres=Cadre.select().where(Cadre.active == True).count(),  # noqa: E712 (peewee)
        targets=Target.select().count(),
        activities=Activity.select().count(),
        month=month,
        sheets_this_month=Sheet.select().where(Sheet.month == month).count(),
        overdue_problems=[f"#{p.id} {p.description}（{p.unit}，期限 {p.due_on}）" for p in overdue[:5]],
        overdue_count=len(overdue),
    )
