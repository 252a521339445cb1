"""Schema v6: the change log re-encoded in its compact form (changelog.py), proven equal to the old.

Entry by entry, in the migration's one transaction (storage.migrate has copied the file first):
1. the v5 entry is checked: its prev_hash is the previous entry's hash and its hash follows from
   its content. A tampered or missing entry stops the migration, naming the entry; the
   transaction rolls back and the file is as it was;
2. it is re-encoded: values as arrays of a layout, the time as microseconds, the hash as bytes,
   the first 6 bytes of its v5 hash kept (`legacy`) for 台账校验码 printed before;
3. the proof: the v5 hash is recomputed from the re-encoded entry alone (its time, actor, action,
   table, row, and before/after rebuilt as v5 text) and must equal the v5 hash, so each new entry
   says exactly what the old one said. Values whose v5 text an array cannot give back byte for
   byte keep the v5 text.
Last, the old head (entry count and v5 hash) is kept as a 台账校验码 in the anchor table and
logged like any other: the old chain's last word, inside the new one.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..errors import BadInput
from . import changelog, logpack
from . import changelog_v5 as v5
from .models import Anchor, ChangeLog, LogLayout, LogPack
from .records import as_dict

OLD = "change_log_v5"
_PACK = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
HEAD_NOTE = "第6版重新编码前的变更日志链头（已逐条核对）"
Stored = tuple[int | None, str | None, tuple[str, ...] | None, str | None, str | None]


def reencode_v6(database: Any) -> None:
    if not v5.is_v5(database):  # made by this version's models already
        database.create_tables([ChangeLog, LogLayout, LogPack])
        return
    database.execute_sql(f'ALTER TABLE "change_log" RENAME TO "{OLD}"')
    database.create_tables([ChangeLog, LogLayout, LogPack])
    head = _copy(database)
    database.execute_sql(f'DROP TABLE "{OLD}"')
    if head is not None:
        row = Anchor.create(entries=head[0], hash=head[1], printed_at=datetime.now().replace(microsecond=0),
                            what=HEAD_NOTE)
        changelog.record("insert", "anchor", row.id, None, as_dict(row))


def _refused(entry_id: int, why: str) -> BadInput:
    return BadInput(f"变更日志第 {entry_id:,} 条{why}：日志在程序之外被改动，不能升级到新的日志格式")


def _copy(database: Any) -> tuple[int, str] | None:
    """Check, re-encode and prove every entry; the old head (entry number, v5 hash), or None."""
    layouts: dict[tuple[str, ...], tuple[int, str]] = {}
    prev_old, prev_new = v5.GENESIS, changelog.GENESIS
    rows: list[tuple[Any, ...]] = []
    ids: list[int] = []
    last = None
    for entry_id, at, who, action, table, row_id, before, after, prev_hash, old in v5.entries(database, OLD):
        stamp = v5.stamp(at)
        if prev_hash != prev_old:
            raise _refused(entry_id, "与前一条日志接不上（其前的日志被删除或改动）")
        if v5.digest(prev_old, stamp, who, action, table, row_id, before, after) != old:
            raise _refused(entry_id, "的内容与其校验值不符")
        at_new = changelog.micros(datetime.fromisoformat(stamp))
        layout, columns, names, b, a = _arrays(before, after, layouts)
        if _old_digest(prev_old, at_new, who, action, table, row_id, names, b, a) != old:
            layout, columns, names, b, a = None, None, None, before, after  # as v5 wrote them
            if _old_digest(prev_old, at_new, who, action, table, row_id, names, b, a) != old:
                raise _refused(entry_id, "无法按原样重新编码")
        legacy = bytes.fromhex(old[:12])
        prev_new = changelog.digest(prev_new, at_new, who, action, table, row_id, columns, b, a, legacy)
        rows.append((at_new, who, action, table, row_id, layout, b, a, prev_new, legacy, None))
        ids.append(entry_id)
        prev_old, last = old, entry_id
        if len(rows) >= 5 * logpack.BLOCK:
            logpack.store(rows, ids)
            rows, ids = [], []
    logpack.store(rows, ids)
    return (int(last), prev_old) if last is not None else None


def _old_digest(prev: str, at: int, who: str, action: str, table: str, row_id: str,
                names: tuple[str, ...] | None, before: str | None, after: str | None) -> str:
    """The v5 hash as recomputed from a re-encoded entry alone."""
    stamp = changelog.moment(at).isoformat(timespec="microseconds")
    return v5.digest(prev, stamp, who, action, table, row_id, v5.text(names, before), v5.text(names, after))


def _arrays(before: str | None, after: str | None, layouts: dict[tuple[str, ...], tuple[int, str]]) -> Stored:
    """(layout id, its names as stored, names, before, after): v5 objects as arrays of a layout."""
    old_b = json.loads(before) if before is not None else None
    old_a = json.loads(after) if after is not None else None
    shape = old_a if old_a is not None else old_b
    if shape is None or not all(v is None or isinstance(v, dict) for v in (old_b, old_a)):
        return None, None, None, before, after
    names = tuple(shape)
    found = layouts.get(names)
    if found is None:
        columns = _PACK(list(names))
        row = LogLayout.select(LogLayout.id).where(LogLayout.columns == columns).first()
        found = (row.id if row else LogLayout.create(columns=columns).id, columns)
        layouts[names] = found
    b = before if old_b is None or tuple(old_b) != names else _PACK(list(old_b.values()))
    a = None if old_a is None else _PACK(list(old_a.values()))
    return found[0], found[1], names, b, a
