"""Packed change-log values: bulk writes (an import, demo data, the v6 re-encoding) keep the
values of each whole block of 4,096 entries zstd-compressed in one row of change_log_pack, the
entries' own `before` and `after` left empty. A row's values compress several times over next to
the rows like it; one edit at a time stays plain (it is small).

Nothing else changes: each entry keeps its row (time, who, what, row, hash), the hash covers the
values wherever they are kept, so a changed or lost pack breaks the chain like a changed entry.
Readers get the values through `Packs`, which decompresses one block at a time.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from typing import Any

import zstandard

from .models import LogPack, db
from .sql import insert_rows, run_many

BLOCK = 4096
LEVEL = 3  # zstd's default: as small within a few per cent as level 9, ten times faster
_PACK = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

Row = tuple[Any, ...]  # (at, actor, action, table, row_id, layout, before, after, hash, legacy, login)
COLUMNS = ("at", "actor", "action", "table_name", "row_id", "layout", "before", "after", "hash", "legacy", "login")


def whole(count: int) -> int:
    """How many of `count` entries go into whole blocks."""
    return count - count % BLOCK


def store(rows: list[Row], ids: list[int] | None = None) -> None:
    """Write entries in order: whole blocks with their values packed, the rest plain. `ids` when
    the caller numbers the entries (the v6 migration keeps the old numbers); else the database
    numbers them and they are read back."""
    if not rows:
        return
    packed = whole(len(rows))
    bare = [(*r[:6], None, None, *r[8:]) for r in rows[:packed]] + rows[packed:]
    if ids is not None:
        marks = ", ".join("?" * (len(COLUMNS) + 1))
        run_many(f"INSERT INTO change_log (id, {', '.join(COLUMNS)}) VALUES ({marks})",
                 [(i, *r) for i, r in zip(ids, bare, strict=True)])
    elif not packed:
        run_many(f"INSERT INTO change_log ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", bare)
        return
    else:
        ids = insert_rows("change_log", COLUMNS, bare)[:packed]
    compress = zstandard.ZstdCompressor(level=LEVEL).compress
    blocks = []
    for start in range(0, packed, BLOCK):
        part = [[i, r[6], r[7]] for i, r in zip(ids[start:start + BLOCK], rows[start:start + BLOCK], strict=True)]
        data = compress(_PACK(part).encode("utf-8"))
        blocks.append({"first_entry": part[0][0], "last_entry": part[-1][0], "data": data})
    if blocks:
        LogPack.insert_many(blocks).execute()


class Packs:
    """The values of packed entries, one block decompressed at a time: read entries in order."""

    def __init__(self) -> None:
        self.ranges = db.execute_sql(
            "SELECT first_entry, last_entry, id FROM change_log_pack ORDER BY first_entry").fetchall()
        self.firsts = [r[0] for r in self.ranges]
        self.block: int | None = None
        self.low, self.high = 1, 0  # the entries of the block in hand
        self.values_of: dict[int, tuple[str | None, str | None]] = {}
        self.decompress = zstandard.ZstdDecompressor().decompress

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def get(self, entry_id: int) -> tuple[str | None, str | None] | None:
        """(before, after) of a packed entry; None when the entry is not in a block."""
        if self.low <= entry_id <= self.high:  # the block in hand
            return self.values_of.get(entry_id, (None, None))
        i = bisect_right(self.firsts, entry_id) - 1
        if i < 0 or entry_id > self.ranges[i][1]:
            return None
        block = self.ranges[i][2]
        if block != self.block:
            row = db.execute_sql(f"SELECT data FROM change_log_pack WHERE id = {db.obj.param}", (block,)).fetchone()
            try:
                part = json.loads(self.decompress(bytes(row[0])))
                self.values_of = {int(e[0]): (e[1], e[2]) for e in part}
            except (zstandard.ZstdError, ValueError, TypeError, IndexError):  # damaged: its entries fail the chain
                self.values_of = {}
            self.block = block
            self.low, self.high = self.ranges[i][0], self.ranges[i][1]
        return self.values_of.get(entry_id, (None, None))
