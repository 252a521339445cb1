"""The append-only change log: who changed what, when, before and after, chained by hashes."""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from .models import ChangeLog
from .sql import on_server, portable, run_many, serialise

GENESIS = "0" * 64


def actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows service accounts
        return "unknown"


# The encoders json.dumps would build anew for every call, built once: the same bytes, faster.
_PACK = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_DUMP = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def _digest(prev_hash: str, at: str, who: str, action: str, table: str, row_id: str,
            before: str | None, after: str | None) -> str:
    payload = _PACK([prev_hash, at, who, action, table, row_id, before, after])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _dump(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return _DUMP(values)


def record(action: str, table: str, row_id: object = "", before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> ChangeLog:
    """Append one entry; call inside the transaction of the write it describes."""
    serialise("change-log")  # one writer appends at a time, or two entries share a prev_hash: a fork
    last = ChangeLog.select(ChangeLog.hash).order_by(ChangeLog.id.desc()).first()
    prev_hash = last.hash if last else GENESIS
    at = datetime.now().isoformat(timespec="microseconds")
    who = actor()
    b, a = _dump(before), _dump(after)
    digest = _digest(prev_hash, at, who, action, table, str(row_id), b, a)
    return ChangeLog.create(at=at, actor=who, action=action, table=table, row_id=str(row_id),
                            before=b, after=a, prev_hash=prev_hash, hash=digest)


def record_many(entries: list[tuple[str, str, object, dict[str, Any] | None, dict[str, Any] | None]]) -> None:
    """Append many entries at once (imports): (action, table, row_id, before, after) each,
    chained in memory and written with one executemany; call inside the import's transaction."""
    if not entries:
        return
    serialise("change-log")
    last = ChangeLog.select(ChangeLog.hash).order_by(ChangeLog.id.desc()).first()
    prev_hash = last.hash if last else GENESIS
    who = actor()
    rows = []
    for action, table, row_id, before, after in entries:
        at = datetime.now().isoformat(timespec="microseconds")
        b, a = _dump(before), _dump(after)
        digest = _digest(prev_hash, at, who, action, table, str(row_id), b, a)
        rows.append((at, who, action, table, str(row_id), b, a, prev_hash, digest))
        prev_hash = digest
    run_many(
        "INSERT INTO change_log (at, actor, action, table_name, row_id, before, after, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def row_states(model: Any, after_id: int = 0, batch: int = 50_000) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(id, values) of each row of `model` with id > after_id, as the change log records them.

    Reads raw rows (peewee's per-value conversion is most of the cost on a million rows): SQLite
    hands back dates and times as the ISO text peewee would print, so only booleans and blobs need
    converting to match what the services log.
    """
    from peewee import BlobField, BooleanField, DateField, DateTimeField

    from .records import normalise

    fields = sorted(model._meta.sorted_fields, key=lambda f: f.name)
    names = [f.name for f in fields]
    booleans = [i for i, f in enumerate(fields) if isinstance(f, BooleanField)]
    blobs = any(isinstance(f, BlobField) for f in fields)
    pk = model._meta.primary_key
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = (f'SELECT {columns} FROM "{model._meta.table_name}" WHERE "{pk.column_name}" > ? '
           f'ORDER BY "{pk.column_name}" LIMIT ?')
    key = names.index(pk.name)
    # A server hands back dates and times as objects: their text as SQLite keeps it (issue 17's
    # canonical encoding replaces this).
    dated = [i for i, f in enumerate(fields) if isinstance(f, DateField | DateTimeField)] if on_server() else []
    last = after_id
    while True:
        rows = model._meta.database.execute_sql(portable(sql), (last, batch)).fetchall()
        if not rows:
            return
        for raw in rows:
            values = list(raw)
            for i in booleans:
                if values[i] is not None:
                    values[i] = bool(values[i])
            for i in dated:
                if values[i] is not None:
                    values[i] = str(values[i])
            state = dict(zip(names, values, strict=True))
            yield raw[key], (normalise(state) if blobs else state)
        last = rows[-1][key]


def log_inserted(model: Any, table: str, after_id: int = 0, batch: int = 50_000) -> int:
    """Log every row of `model` with id > after_id as inserted, read back from the database so the
    entries hold exactly what verify will find (bulk writes: demo data, imports)."""
    count = 0
    entries: list[tuple[str, str, object, dict[str, Any] | None, dict[str, Any] | None]] = []
    for row_id, state in row_states(model, after_id, batch):
        entries.append(("insert", table, row_id, None, state))
        if len(entries) >= batch:
            record_many(entries)
            count += len(entries)
            entries = []
    record_many(entries)
    return count + len(entries)


def verify_chain() -> int | None:
    """The id of the first entry whose hash does not follow from its content, or None.

    Reads the raw stored text: the digest was made from exactly these strings.
    """
    prev = GENESIS
    cursor = ChangeLog._meta.database.execute_sql(
        "SELECT id, at, actor, action, table_name, row_id, before, after, prev_hash, hash FROM change_log ORDER BY id")
    while True:
        rows = cursor.fetchmany(20_000)
        if not rows:
            return None
        for entry_id, at, who, action, table, row_id, before, after, prev_hash, digest in rows:
            # Stored as written ('T') or as peewee writes datetimes (' ', fraction dropped at zero).
            stamp = datetime.fromisoformat(str(at)).isoformat(timespec="microseconds")
            if prev_hash != prev or digest != _digest(prev, stamp, who, action, table, row_id, before, after):
                return int(entry_id)
            prev = digest
