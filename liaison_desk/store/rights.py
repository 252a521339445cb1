"""Clerks and their rights on a server ledger (#19): logins, units, row-level security.

(Being built: for now every connection is the office.)
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Clerk:
    login: str  # the database login (session_user); the operating-system user on a file
    name: str  # the clerk's name as the office entered it (the login when none was)
    office: bool  # the party office (everything) or a college secretary (its units)
    units: tuple[str, ...] = ()  # a college secretary's units, by name; () for the office

    @property
    def scope(self) -> str:
        """What this clerk's lists and reports cover, in words: 全校, or the units' names."""
        return "全校" if self.office else "、".join(self.units) or "（未分配部门）"

    @property
    def label(self) -> str:
        """For the title bar and the status line: 王秘书（计算机学院）."""
        return f"{self.name}（{'党委办公室' if self.office else self.scope}）"


def session_clerk() -> Clerk:
    try:
        who = getpass.getuser()
    except Exception:
        who = "unknown"
    return Clerk(login=who, name=who, office=True)
