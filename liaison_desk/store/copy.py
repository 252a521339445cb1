"""`copy --from SRC --to DST`: a whole ledger between SQLite files and PostgreSQL servers, either
way, every row with its id and the change log as it is (its chain and hashes unchanged), so that
`verify` passes on both ends. How an office moves its file up to the server, and how a server
ledger is backed up as a checked SQLite file beside the DBA's pg_dump."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import AutoField, BooleanField, sort_models  # type: ignore[attr-defined]

from ..errors import BadInput
from . import server, storage
from .models import CURRENT_MODELS, BaseModel, SchemaVersion
from .sql import on_server

BATCH = 20_000


@dataclass
class Copied:
    rows: dict[str, int]
    log_entries: int


def _models() -> list[type[BaseModel]]:
    return [m for m in sort_models(CURRENT_MODELS) if m is not SchemaVersion]


def _read(database: Any, model: type[BaseModel]) -> Iterator[list[tuple[Any, ...]]]:
    """The table's rows in id order, in batches (a server streams them through a named cursor)."""
    meta: Any = model._meta  # type: ignore[attr-defined]
    columns = ", ".join(f'"{f.column_name}"' for f in meta.sorted_fields)
    sql = f'SELECT {columns} FROM "{meta.table_name}" ORDER BY "{meta.primary_key.column_name}"'
    cursor = database.connection().cursor(name=f"copy_{meta.table_name}") if on_server(database) else None
    if cursor is not None:
        cursor.execute(sql)
    else:
        cursor = database.execute_sql(sql)
    while rows := cursor.fetchmany(BATCH):
        yield rows


def _converter(model: type[BaseModel], to_server: bool) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """Values as the destination keeps them: booleans as booleans on a server, dates and times as
    the text SQLite keeps (what peewee writes there)."""
    fields = model._meta.sorted_fields  # type: ignore[attr-defined]
    booleans = [i for i, f in enumerate(fields) if isinstance(f, BooleanField)]

    def convert(row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        if to_server:
            for i in booleans:
                if values[i] is not None:
                    values[i] = bool(values[i])
        else:
            for i, v in enumerate(values):
                if isinstance(v, datetime):
                    values[i] = str(v)
                elif isinstance(v, date):
                    values[i] = v.isoformat()
                elif isinstance(v, bool):
                    values[i] = int(v)
                elif isinstance(v, memoryview):
                    values[i] = bytes(v)
        return tuple(values)
    return convert


def _same(src: Path | str, dst: Path | str) -> bool:
    if server.is_url(src) or server.is_url(dst):
        return str(src).strip() == str(dst).strip()
    return Path(src).resolve() == Path(dst).resolve()


def copy_ledger(src: Path | str, dst: Path | str, progress: Callable[[str], None] | None = None) -> Copied:
    """Copy the ledger at `src` into `dst`, a new file or an empty server database; then verify
    the copy. Nothing is written to `src`; a copy that fails leaves no new file behind."""
    from .verify import verify

    say = progress or (lambda _msg: None)
    if _same(src, dst):
        raise BadInput("源台账与目标台账是同一个")
    dst_is_new_file = not server.is_url(dst) and not Path(dst).exists()
    if not server.is_url(dst) and Path(dst).exists() and Path(dst).stat().st_size > 0:
        raise BadInput(f"目标文件 {dst} 已存在：copy 只写入新的台账，不覆盖")
    source = storage.open_database(src, create=False, read_only=True)
    try:
        _whole_ledger_readable()
        target = storage.open_database(dst, create=True)  # binds the models to the destination
        try:
            rows = _copy_rows(source, target, say)
            say("校验副本")
            report = verify()
            if not report.ok:
                raise BadInput(f"复制后的台账校验未通过：{report.problems[0]}")
        except BaseException:
            target.close()
            if dst_is_new_file:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(str(dst) + suffix).unlink(missing_ok=True)
            raise
    finally:
        source.close()
    return Copied(rows, report.log_entries)


def _whole_ledger_readable() -> None:
    """A college secretary's login reads only its units' rows: a copy of that would be a ledger
    with holes in it (and in its chain). Copies and backups of a server ledger are the office's."""
    from .rights import session_clerk

    if on_server():
        clerk = session_clerk()
        if not clerk.office:
            raise BadInput(f"只有党委办公室可以复制或备份整本服务器台账；当前登录的是 {clerk.name}（{clerk.scope}），"
                           "只能看到本部门的记录")


def _copy_rows(source: Any, target: Any, say: Callable[[str], None]) -> dict[str, int]:
    to_server = on_server(target)
    counts: dict[str, int] = {}
    with source.atomic(), target.atomic():  # one snapshot of the source; the copy all or nothing
        if on_server(source):
            source.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in _models():
            meta = model._meta  # type: ignore[attr-defined]
            if model.select().exists():
                raise BadInput(f"目标台账不是空的（表 {meta.table_name} 已有记录）：copy 只写入新的空台账")
            names = [f.column_name for f in meta.sorted_fields]
            sql = (f'INSERT INTO "{meta.table_name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                   f'VALUES ({", ".join(["%s" if to_server else "?"] * len(names))})')
            convert = _converter(model, to_server)
            say(f"复制 {meta.table_name}")
            n = 0
            for batch in _read(source, model):
                cursor = target.cursor()
                cursor.executemany(sql, [convert(r) for r in batch])
                n += len(batch)
            counts[meta.table_name] = n
            if to_server and isinstance(meta.primary_key, AutoField):  # the next id after the copied ones
                target.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{meta.table_name}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{meta.table_name}"), 0) + 1, false)')
    return counts
