"""The change log as schema versions 1 to 5 wrote it, kept for three jobs: migrations 1–5 still
write it (v3's baseline entries), v6 checks it entry by entry before re-encoding it, and a
台账校验码 printed before v6 (its hash is a v5 hash) is checked by recomputing the v5 chain from
the re-encoded entries.

An entry then was JSON text: values as an object with every column name (sorted), the time as
ISO text, the previous and the own SHA-256 as 64 hex digits each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

GENESIS = "0" * 64

#: The table as versions 1–5 created it (peewee's DDL of the v5 model, verbatim).
DDL = ('CREATE TABLE IF NOT EXISTS "change_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, '
       '"actor" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "table_name" VARCHAR(255) NOT NULL, '
       '"row_id" VARCHAR(255) NOT NULL, "before" TEXT, "after" TEXT, "prev_hash" VARCHAR(255) NOT NULL, '
       '"hash" VARCHAR(255) NOT NULL)')

_PACK = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
DUMP = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def digest(prev_hash: str, at: str, who: str, action: str, table: str, row_id: str,
           before: str | None, after: str | None) -> str:
    payload = _PACK([prev_hash, at, who, action, table, row_id, before, after])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def stamp(at: object) -> str:
    """The time as the v5 digest saw it: stored as written ('T') or as peewee writes datetimes
    (' ', fraction dropped at zero), hashed as ISO text with microseconds."""
    return datetime.fromisoformat(str(at)).isoformat(timespec="microseconds")


def is_v5(database: Any) -> bool:
    """Does the ledger's change_log still have the v5 shape (a prev_hash column)?"""
    return any(c.name == "prev_hash" for c in database.get_columns("change_log"))


def record_many(database: Any, entries: list[tuple[str, str, object, dict[str, Any] | None,
                                                    dict[str, Any] | None]]) -> None:
    """Append entries in the v5 form (migrations before v6 run on a v5 table)."""
    if not entries:
        return
    from .changelog import actor

    row = database.execute_sql("SELECT hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = row[0] if row else GENESIS
    who = actor()
    rows = []
    for action, table, row_id, before, after in entries:
        at = datetime.now().isoformat(timespec="microseconds")
        b = None if before is None else DUMP(before)
        a = None if after is None else DUMP(after)
        h = digest(prev_hash, at, who, action, table, str(row_id), b, a)
        rows.append((at, who, action, table, str(row_id), b, a, prev_hash, h))
        prev_hash = h
    database.connection().executemany(
        "INSERT INTO change_log (at, actor, action, table_name, row_id, before, after, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


Entry = tuple[int, str, str, str, str, str, str | None, str | None, str, str]


def entries(database: Any, table: str = "change_log", batch: int = 20_000) -> Iterator[Entry]:
    """(id, at, actor, action, table, row_id, before, after, prev_hash, hash) of a v5 log, in order."""
    cursor = database.connection().cursor()
    cursor.execute(f'SELECT id, at, actor, action, table_name, row_id, before, after, prev_hash, hash '
                   f'FROM "{table}" ORDER BY id')
    while True:
        rows = cursor.fetchmany(batch)
        if not rows:
            return
        yield from rows


def text(columns: tuple[str, ...] | None, stored: str | None) -> str | None:
    """The v5 text of values the v6 log stores as an array (an object is stored as v5 wrote it)."""
    if stored is None or stored[:1] != "[":
        return stored
    return DUMP(dict(zip(columns or (), json.loads(stored), strict=True)))
