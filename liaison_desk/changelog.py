"""The append-only change log: who changed what, when, before and after, chained by hashes."""

from __future__ import annotations

import getpass
import hashlib
import json
from datetime import datetime
from typing import Any

from .models import ChangeLog

GENESIS = "0" * 64


def actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows service accounts
        return "unknown"


def _digest(prev_hash: str, at: str, who: str, action: str, table: str, row_id: str,
            before: str | None, after: str | None) -> str:
    payload = json.dumps([prev_hash, at, who, action, table, row_id, before, after],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _dump(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def record(action: str, table: str, row_id: object = "", before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> ChangeLog:
    """Append one entry; call inside the transaction of the write it describes."""
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
    ChangeLog._meta.database.connection().executemany(
        "INSERT INTO change_log (at, actor, action, table_name, row_id, before, after, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def log_inserted(model: Any, table: str, after_id: int = 0, batch: int = 20_000) -> int:
    """Log every row of `model` with id > after_id as inserted, read back from the database so the
    entries hold exactly what verify will find (for bulk writes: demo data, imports)."""
    from .records import normalise

    count = 0
    pk = model._meta.primary_key
    last = after_id
    while True:
        rows = list(model.select().where(pk > last).order_by(pk).limit(batch).dicts())
        if not rows:
            return count
        record_many([("insert", table, r[pk.name], None, normalise(r)) for r in rows])
        last = rows[-1][pk.name]
        count += len(rows)


def verify_chain() -> int | None:
    """The id of the first entry whose hash does not follow from its content, or None."""
    prev = GENESIS
    query = ChangeLog.select().order_by(ChangeLog.id).tuples().iterator()
    columns = [f.name for f in ChangeLog._meta.sorted_fields]
    for row in query:
        e = dict(zip(columns, row, strict=True))
        at = e["at"] if isinstance(e["at"], str) else e["at"].isoformat(timespec="microseconds")
        expected = _digest(prev, at, e["actor"], e["action"], e["table"], e["row_id"], e["before"],
                           e["after"])
        if e["prev_hash"] != prev or e["hash"] != expected:
            return int(e["id"])
        prev = e["hash"]
    return None
