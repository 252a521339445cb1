"""Who is at the keyboard, and what they may do (#19).

On a server ledger every clerk is a PostgreSQL login: the party office's clerks may do everything;
a college secretary reads and writes only the rows of their own units. The database enforces that
itself (row-level security, GRANTs: store/rights.py), so a secretary with psql sees no more than
the program shows. This module is what the program asks before it offers an action, so a refused
action is greyed out with a word why, or refused on the command line with exit 2 before anything
is written, rather than ending in the database's own refusal.

A SQLite file has no logins: whoever opens it is the office.
"""

from __future__ import annotations

from collections.abc import Iterable

from peewee import JOIN

from ..errors import BadInput
from ..store.models import Cadre, Unit
from ..store.records import tuples
from ..store.rights import Clerk  # noqa: F401 (re-exported: the GUI and the CLI ask this module)
from .listing import units

#: What only the party office may do, with the words a refusal uses.
OFFICE_ONLY: dict[str, str] = {
    "sign": "签字封存记录表",
    "revise": "修订已签字的记录表",
    "policy": "修改联系制度",
    "terms": "设置学期",
    "forms": "导入或修改记录表格式",
    "roster_import": "导入名册",
    "units": "增加或修改部门",
    "clerks": "管理经办人账号",
    "school": "修改学校名称等台账设置",
}


def current() -> Clerk:
    """The clerk of the open ledger's connection."""
    from ..store import rights

    return rights.session_clerk()


def may(action: str) -> bool:
    """May the current clerk do `action` (a key of OFFICE_ONLY; anything else: yes)?"""
    return action not in OFFICE_ONLY or current().office


def refusal(action: str) -> str:
    """Why the current clerk may not do `action`, in a clerk's words."""
    clerk = current()
    return (f"只有党委办公室可以{OFFICE_ONLY.get(action, action)}；当前登录的是 {clerk.name}"
            f"（{clerk.scope}），请联系党委办公室办理。")


def require(action: str) -> None:
    """Refuse `action` (BadInput: exit 2, nothing written) unless the current clerk may do it."""
    if not may(action):
        raise BadInput(refusal(action))


def visible_units(names: Iterable[str] | None = None) -> list[str]:
    """The units a clerk's lists offer (filters, drop-downs, the CLI's choices): every unit on the
    roster for the office, a college secretary's own units only. The units table stays readable by
    everyone (a cadre's unit is shown on shared rows), so the lists narrow it here; `names` narrows
    a list already read (e.g. the units of this month's sheets), in its order."""
    clerk = current()
    every = units() if names is None else list(names)
    return every if clerk.office else [n for n in every if n in clerk.units]


def require_unit(name: str) -> None:
    """Refuse (BadInput) a college secretary who names a unit that is not theirs: a cadre, target or
    problem put there would leave what they may see, and a new unit is the office's."""
    clerk = current()
    if not clerk.office and name.strip() not in clerk.units:
        wanted = f"“{name.strip()}”" if name.strip() else "空白部门"
        raise BadInput(f"{clerk.name} 只能登记本部门（{clerk.scope}）的干部、联系对象和问题；{wanted}不在其中。")


def scope_line() -> str:
    """The line a college secretary's printed report carries under its title ("范围：计算机学院"),
    so a sheet of paper says whose figures it holds; "" for the office (the whole school)."""
    clerk = current()
    return "" if clerk.office else f"范围：{clerk.scope}"


def visible_cadres(active: bool = True) -> list[tuple[int, str]]:
    """(id, name) of the cadres (the active ones, or all) a clerk's cadre lists offer, in roster
    order: every one for the office, a college secretary's own units' (entry, ledger, problems,
    reports, the roster's assignments)."""
    clerk = current()
    query = (Cadre.select(Cadre.id, Cadre.name, Unit.name).join(Unit, JOIN.LEFT_OUTER, on=(Cadre.unit == Unit.id))
             .order_by(Cadre.sort_order, Cadre.id))
    if active:
        query = query.where(Cadre.active == True)  # noqa: E712
    return [(cid, name) for cid, name, unit in tuples(query) if clerk.office or unit in clerk.units]
