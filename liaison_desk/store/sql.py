"""The raw SQL kept for speed, portable between SQLite (a clerk's file) and PostgreSQL (a server).

Every query that bypasses peewee's models goes through here: statements are written once with
SQLite's `?` placeholders and turned into psycopg's `%s` on a server; many rows go through a
cursor's executemany (a psycopg connection has no execute); ids come from the database, read back
after the insert; locks and transactions say what they need on each engine.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from peewee import DatabaseError, PostgresqlDatabase, __exception_wrapper__  # type: ignore[attr-defined]

from .models import db

T = TypeVar("T")


def on_server(database: Any = None) -> bool:
    """Is the open ledger (or `database`) on a PostgreSQL server?"""
    return isinstance(database if database is not None else db.obj, PostgresqlDatabase)


def portable(sql: str, database: Any = None) -> str:
    """`sql` written with `?` placeholders, in the open engine's dialect."""
    if not on_server(database):
        return sql
    return sql.replace("%", "%%").replace("?", "%s")


def run(sql: str, params: Sequence[Any] = ()) -> Any:
    """Execute one statement (written with `?`); returns the cursor."""
    return db.execute_sql(portable(sql), params)


def run_many(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """Execute one statement (written with `?`) for many rows."""
    rows = list(rows)
    if not rows:
        return
    cursor = db.cursor()
    with __exception_wrapper__:
        cursor.executemany(portable(sql), rows)


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert rows whose ids the database assigns; returns the ids, in the order of `rows`.

    On a server other clients insert at the same time, so the ids come back from each insert
    (RETURNING); SQLite's writer holds the file for the whole transaction, so the rows above the
    highest id before the insert are exactly these."""
    if not rows:
        return []
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    if on_server():
        cursor = db.cursor()
        with __exception_wrapper__:
            cursor.executemany(portable(sql + " RETURNING id"), rows, returning=True)
            ids: list[int] = []
            while True:
                ids.extend(int(r[0]) for r in cursor.fetchall())
                if not cursor.nextset():
                    break
        return ids
    before = int(run(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0])
    run_many(sql, rows)
    ids = [int(r[0]) for r in run(f'SELECT id FROM "{table}" WHERE id > ? ORDER BY id', (before,))]
    if len(ids) != len(rows):
        raise RuntimeError(f"{table}: {len(rows)} rows inserted, {len(ids)} read back")
    return ids


def insert_new(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
               unique: Sequence[str]) -> list[int | None]:
    """Insert rows that the plan found missing, by their `unique` columns; each one's id, or None
    for a row another clerk inserted meanwhile (on a server: it waits for their transaction, then
    keeps theirs). SQLite's writer holds the file, so nothing is inserted meanwhile there."""
    if not on_server():
        return list(insert_rows(table, columns, rows))
    if not rows:
        return []
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    keys = ", ".join(f'"{c}"' for c in unique)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT ({keys}) DO NOTHING RETURNING id'
    cursor = db.cursor()
    ids: list[int | None] = []
    with __exception_wrapper__:
        cursor.executemany(portable(sql), rows, returning=True)
        while True:
            found = cursor.fetchall()
            ids.append(int(found[0][0]) if found else None)
            if not cursor.nextset():
                break
    if len(ids) != len(rows):
        raise RuntimeError(f"{table}: {len(rows)} rows inserted, {len(ids)} answers")
    return ids


def insert_one(table: str, values: dict[str, Any]) -> int:
    """Insert one row; its id, as the database assigned it."""
    return insert_rows(table, list(values), [list(values.values())])[0]


def write_transaction() -> Any:
    """A transaction that writes: on SQLite it takes the writer's lock at once (IMMEDIATE), so a
    long import does not fail half-way on a busy file; a server locks rows as they are written."""
    return db.atomic() if on_server() else db.atomic("IMMEDIATE")


def serialise(name: str) -> None:
    """Inside a transaction: wait for, and hold until its end, the lock called `name`, so that no
    other client runs the same step at once (the change-log append, a migration). SQLite has one
    writer at a time already."""
    if on_server():
        run("SELECT pg_advisory_xact_lock(?)", (lock_key(name),))


def lock_key(name: str) -> int:
    """A stable 32-bit key for an advisory lock: the same on every client."""
    return zlib.crc32(f"liaison-desk:{name}".encode())


def truth(column: str) -> str:
    """A boolean column as a 0/1 number (to count or sum), on both engines."""
    return f"CASE WHEN {column} THEN 1 ELSE 0 END"


def as_date(value: Any) -> date:
    """A date column's value: SQLite hands back ISO text, a server a date."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


#: How often a write that lost a conflict on a server is tried again before the clerk is told.
RETRIES = 3


def retried(work: Callable[[], T]) -> T:
    """Run a whole write (its own transaction) again when the server aborted it for a deadlock or
    a serialisation conflict with another clerk's write — it was rolled back whole, so running it
    again is safe. Inside an outer transaction the outer one must be retried instead: no retry."""
    attempt = 0
    while True:
        try:
            return work()
        except DatabaseError as e:
            if not _conflict(e) or db.in_transaction():
                raise  # not a collision, or a step of a larger write (an import): that one is retried
            attempt += 1
            if attempt >= RETRIES:
                from ..errors import BadInput

                raise BadInput("服务器繁忙：与其他经办人的保存冲突，重试后仍未成功，请稍后再保存") from None


def retrying(service: Callable[..., T]) -> Callable[..., T]:
    """A write service run through `retried`."""
    @functools.wraps(service)
    def run_it(*args: Any, **kwargs: Any) -> T:
        return retried(lambda: service(*args, **kwargs))
    return run_it


def _conflict(error: BaseException) -> bool:
    """The server's word for "two writes collided": serialization_failure or deadlock_detected."""
    causes = [error, error.__cause__, error.__context__, *(error.args[:1] if error.args else ())]
    return any(getattr(c, "sqlstate", None) in ("40001", "40P01") for c in causes)
