"""What a ledger file is before anything opens it to write: missing, empty, another program's
SQLite file, a ledger of some schema version, and whether SQLite finds it sound.

Looked at through a connection of its own that only reads, so looking never changes the file
(opening it the usual way would switch it to WAL and create the tables).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from .safety import quick_check, reading_connection


@dataclass(frozen=True)
class FileState:
    path: Path
    exists: bool
    empty: bool = False  # 0 bytes, or an SQLite file without a single table
    ledger: bool = False  # holds the schema_version table every ledger has
    version: int = 0
    problem: str = ""  # what SQLite finds wrong; "" when sound or not checked

    @property
    def damaged(self) -> bool:
        return bool(self.problem)


def inspect(path: Path, check: bool = True) -> FileState:
    """The state of the file at `path`; with check, SQLite's quick_check too (0.8 s on 890 MB)."""
    path = Path(path)
    if not path.is_file():
        return FileState(path, exists=False)
    if path.stat().st_size == 0:
        return FileState(path, exists=True, empty=True)
    problem = ""
    if check:
        result = quick_check(path)
        problem = "" if result == "ok" else result
    try:
        conn = reading_connection(path)
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = 0
            if "schema_version" in tables:
                row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
                version = int(row[0] or 0)
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        return FileState(path, exists=True, problem=problem or str(e))
    return FileState(path, exists=True, empty=not tables, ledger="schema_version" in tables,
                     version=version, problem=problem)


def refuse_unfit(state: FileState, command: str, damage_text: str = "") -> None:
    """Refuse, before anything is written, a file this command must not touch: a damaged one
    (except to restore it), an empty one (except to init it), another program's database."""
    from .storage import SCHEMA_VERSION

    if not state.exists:
        return
    if state.damaged:
        if command != "restore":
            raise BadInput(damage_text or f"台账文件已损坏（{state.problem}），未做任何改动")
        return
    if state.empty:
        if command != "init":
            raise BadInput(f"{state.path} 是空文件，不是台账；新建台账请运行 init。未做任何改动")
        return
    if not state.ledger:
        raise BadInput(f"{state.path} 不是联系工作台的台账（像是其他程序的数据库文件），未做任何改动")
    if state.version > SCHEMA_VERSION:
        raise BadInput(f"数据库版本（{state.version}）比本程序新（{SCHEMA_VERSION}），请升级程序。未做任何改动")


def needs_migration(state: FileState) -> bool:
    from .storage import SCHEMA_VERSION

    return state.ledger and 0 < state.version < SCHEMA_VERSION
