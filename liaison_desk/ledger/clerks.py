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

from ..errors import BadInput
from ..store.rights import Clerk  # noqa: F401 (re-exported: the GUI and the CLI ask this module)

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
