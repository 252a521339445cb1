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
from datetime import datetime
from typing import Any

from peewee import JOIN

from ..errors import BadInput
from ..store import rights
from ..store.changelog import record
from ..store.models import Cadre, ClerkRecord, ClerkUnit, Unit
from ..store.records import as_dict, clean_text, tuples
from ..store.rights import Clerk  # noqa: F401 (re-exported: the GUI and the CLI ask this module)
from ..store.sql import on_server, write_transaction
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


# The office's list of clerks (server ledgers only) ----------------------------------------------

def _on_server() -> None:
    if not on_server():
        raise BadInput("单机台账文件没有经办人账号：经办人只在服务器台账上设置"
                       "（liaison-desk --db postgresql://… clerk add …）")


def _check_login(login: str) -> str:
    import re

    login = login.strip()
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}|[\w\u4e00-\u9fff]{1,20}", login):
        raise BadInput(f"登录名“{login}”不合适：用字母、数字、下划线（或 20 字以内的中文），不以数字开头")
    return login


def _units(names: list[str]) -> list[Any]:
    from .roster import find_unit

    found = [find_unit(n) for n in dict.fromkeys(n.strip() for n in names if n.strip())]
    if not found:
        raise BadInput("学院秘书至少要有一个部门（--units 计算机学院,…），或用 --office 添加党委办公室的经办人")
    return found


def _link_units(login: str, found: list[Any]) -> None:
    """The clerk's units, each a logged row of clerk_unit (inside the caller's transaction)."""
    for unit in found:
        link = ClerkUnit.create(login=login, unit=unit)
        record("insert", "clerk_unit", link.id, None, as_dict(link))


def _unlink_units(login: str) -> None:
    """The clerk's units gone, each deletion logged (inside the caller's transaction)."""
    for link in ClerkUnit.select().where(ClerkUnit.login == login):
        record("delete", "clerk_unit", link.id, as_dict(link), None)
        link.delete_instance()


def add(login: str, office: bool, units: list[str], name: str = "", password: str | None = None) -> Clerk:
    """A new clerk: the PostgreSQL login (its password stored by the server as a SCRAM verifier,
    never here), its group and units, logged — one transaction: all of it or nothing."""
    _on_server()
    require("clerks")
    login = _check_login(login)
    name = clean_text(name or login, "经办人姓名", 50)
    found = [] if office else _units(units)
    if rights.role_exists(login):
        raise BadInput(f"服务器上已有名为 {login} 的登录：请换一个登录名")
    with write_transaction():
        if not rights.can_create_roles():
            raise BadInput("当前登录不能建立数据库账号：请由数据库管理员运行一次，或给党委办公室的账号 CREATEROLE")
        if not rights.ready():  # the first clerk: the owner (the DBA) sets the rights up
            rights.install()
        rights.create_login(login, password, office)
        row = ClerkRecord.create(login=login, name=name, office=office, added_at=datetime.now().replace(microsecond=0))
        record("insert", "clerk", login, None, as_dict(row))
        _link_units(login, found)
    return Clerk(login=login, name=name, office=office, units=tuple(u.name for u in found))


def _clerk_row(login: str) -> Any:
    row = ClerkRecord.get_or_none(ClerkRecord.login == login.strip())
    if row is None:
        known = "、".join(c.login for c in listed()) or "（还没有）"
        raise BadInput(f"本台账没有登录名为 {login} 的经办人；现有：{known}")
    return row


def set_units(login: str, units: list[str]) -> Clerk:
    """A college secretary's units, replaced: from now on it sees the rows of these."""
    _on_server()
    require("clerks")
    row = _clerk_row(login)
    if row.office:
        raise BadInput(f"{row.name} 是党委办公室的经办人，看得到全部部门，不需要分配部门")
    found = _units(units)
    with write_transaction():
        _unlink_units(row.login)
        _link_units(row.login, found)
    rights.forget()
    return Clerk(login=row.login, name=row.name, office=False, units=tuple(u.name for u in found))


def remove(login: str) -> None:
    """The clerk's login goes (it can no longer connect); what it entered stays, under its name."""
    _on_server()
    require("clerks")
    row = _clerk_row(login)
    if row.login == current().login:
        raise BadInput("不能删除自己正在使用的登录")
    with write_transaction():
        _unlink_units(row.login)
        record("delete", "clerk", row.login, as_dict(row), None)
        row.delete_instance()
        if rights.role_exists(row.login):
            rights.drop_login(row.login)


def listed() -> list[Clerk]:
    """Every clerk of the ledger, the office's first (a secretary sees only itself)."""
    _on_server()
    units_of: dict[str, list[str]] = {}
    for login, unit in tuples(ClerkUnit.select(ClerkUnit.login, Unit.name).join(Unit).order_by(Unit.name)):
        units_of.setdefault(str(login), []).append(str(unit))
    rows = ClerkRecord.select().order_by(ClerkRecord.office.desc(), ClerkRecord.login)
    return [Clerk(login=r.login, name=r.name, office=r.office,
                  units=() if r.office else tuple(units_of.get(r.login, ()))) for r in rows]
