"""Open the ledger database: where it lives, SQLite settings, schema version and migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from peewee import Database, DatabaseError, OperationalError, SqliteDatabase

from ..errors import BadInput
from . import server
from .models import ALL_MODELS, CURRENT_MODELS, SchemaVersion, db
from .safety import read_only_uri, sync_file
from .sql import on_server, serialise

APP_NAME = "LiaisonDesk"
DB_FILE = "liaison-desk.sqlite3"

#: Committed work must survive a killed process or a power cut: WAL with full syncs.
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "busy_timeout": 5000,
    "cache_size": -32000,
}


def data_dir() -> Path:
    """The user's data folder (database, backups, log); LIAISON_DESK_HOME overrides it."""
    override = os.environ.get("LIAISON_DESK_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE


def _create_v1(database: SqliteDatabase) -> None:
    from . import changelog_v5

    database.create_tables(ALL_MODELS)
    database.execute_sql(changelog_v5.DDL)  # the log as v1 made it: v6 re-encodes it


def _add_filing_v2(database: SqliteDatabase) -> None:
    """v2: the filing table (term summaries, year arrangements) that deadline rules check."""
    from .models import Filing

    database.create_tables([Filing])


def _revisions_and_adoption_v3(database: SqliteDatabase) -> None:
    """v3: the sheet_revision table (reopened signed sheets), and a per-row baseline in the change
    log for rows that version 1 logged only in bulk (demo data), so `verify` can check every row
    from here on. The baseline entries say what they are: action "adopt"."""
    from . import changelog_v5
    from .models import Activity, Assignment, Cadre, Filing, Problem, Sheet, SheetRevision, Target, Unit
    from .records import dicts, normalise

    database.create_tables([SheetRevision])
    tables = {"unit": Unit, "cadre": Cadre, "target": Target, "assignment": Assignment, "activity": Activity,
              "sheet": Sheet, "problem": Problem, "filing": Filing}
    for table, model in tables.items():
        logged = {r for (r,) in database.execute_sql(
            "SELECT DISTINCT row_id FROM change_log WHERE table_name = ? AND action != 'bulk'", (table,))}
        existing = {c.name for c in database.get_columns(model._meta.table_name)}
        fields = [f for f in model._meta.sorted_fields if f.column_name in existing]  # columns of this version
        rows = [r for r in dicts(model.select(*fields).order_by(model._meta.primary_key))
                if str(r["id"]) not in logged]
        changelog_v5.record_many(database, [("adopt", table, r["id"], None, normalise(r)) for r in rows])


def _problem_history_v4(database: SqliteDatabase) -> None:
    """v4: each problem's dated steps (problem_event), and a flag for problems reported up to the
    party committee (上报学校党委)."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    from .models import Problem, ProblemEvent

    database.create_tables([ProblemEvent])
    columns = {c.name for c in database.get_columns("problem")}
    if "reported_up" not in columns:
        run(SchemaMigrator.from_database(database).add_column("problem", "reported_up", Problem.reported_up))


def _anchor_v5(database: SqliteDatabase) -> None:
    """v5: the anchor table, each 台账校验码 printed on paper (see anchor.py)."""
    from .models import Anchor

    database.create_tables([Anchor])


def _compact_log_v6(database: SqliteDatabase) -> None:
    """v6: the change log re-encoded at about a quarter of its size, proven equal entry by entry
    (reencode.py); a log changed outside the program is refused before anything is written."""
    from .reencode import reencode_v6

    reencode_v6(database)


def _forms_v7(database: SqliteDatabase) -> None:
    """v7: the form table, the school's own record forms kept in the ledger (ledger/form_library)."""
    from .models import FormRecord

    database.create_tables([FormRecord])


def _activity_extra_v8(database: SqliteDatabase) -> None:
    """v8: activity.extra, the values of a form's own columns (地点 …) as canonical JSON. Nullable,
    so adding it is one ALTER TABLE however many activities there are."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    from .models import Activity

    if "extra" not in {c.name for c in database.get_columns("activity")}:
        run(SchemaMigrator.from_database(database).add_column("activity", "extra", Activity.extra))


def _clerks_v9(database: Any) -> None:
    """v9: clerks and their units (a server ledger's logins, #19), and the login each change-log
    entry was written by. Nullable column, new tables: quick on any size. On a server the rights
    (row-level security, grants) are installed too, when this login may create roles."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    from .models import ChangeLog, ClerkRecord, ClerkUnit

    database.create_tables([ClerkRecord, ClerkUnit])
    if "login" not in {c.name for c in database.get_columns("change_log")}:
        run(SchemaMigrator.from_database(database).add_column("change_log", "login", ChangeLog.login))
    if on_server(database):
        from . import rights

        rights.install_if_allowed()


#: Forward migrations: version N is reached by running MIGRATIONS[N] on version N-1.
MIGRATIONS: dict[int, Callable[[Any], None]] = {
    1: _create_v1, 2: _add_filing_v2, 3: _revisions_and_adoption_v3, 4: _problem_history_v4,
    5: _anchor_v5, 6: _compact_log_v6, 7: _forms_v7, 8: _activity_extra_v8, 9: _clerks_v9}
SCHEMA_VERSION = max(MIGRATIONS)
#: Server ledgers began at the compact change log: the migrations before it (v1's log, v3's
#: baseline, v6's re-encoding) are for SQLite files, which reach a server by `copy`.
FIRST_SERVER_VERSION = 6


def schema_version(database: Database) -> int:
    if not database.table_exists("schema_version"):
        return 0
    row = SchemaVersion.select().first()
    return row.version if row else 0


def backup_copy(database: SqliteDatabase, dest: Path) -> Path:
    """A consistent copy through SQLite's online backup, safe while the file is in use. Written
    under a `.part` name, synced, then renamed: a copy cut short never carries the final name."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        target = sqlite3.connect(part)
        try:
            database.connection().backup(target)
        finally:
            target.close()
        sync_file(part)
        part.replace(dest)
    finally:
        part.unlink(missing_ok=True)
    return dest


def migrate(database: Any, path: Path | None) -> None:
    """Bring the file up to SCHEMA_VERSION, making a backup first when it holds data."""
    if on_server(database):
        _migrate_server(database)
        return
    current = schema_version(database)
    if current > SCHEMA_VERSION:
        raise BadInput(f"数据库版本（{current}）比本程序新（{SCHEMA_VERSION}），请升级程序")
    if current == SCHEMA_VERSION:
        return
    copy = None
    if current > 0 and path is not None:
        for cut_short in path.parent.glob(f"{path.stem}.before-v*.sqlite3.part"):  # a killed earlier try
            cut_short.unlink(missing_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = backup_copy(database, path.with_name(f"{path.stem}.before-v{SCHEMA_VERSION}-{stamp}.sqlite3"))
    try:
        with database.atomic():
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](database)
            SchemaVersion.delete().execute()
            SchemaVersion.create(version=SCHEMA_VERSION)
    except BadInput as e:  # refused, nothing written: the copy of an unchanged file is not kept
        if copy is not None:
            copy.unlink(missing_ok=True)
        if path is None:
            raise
        raise BadInput(f"{e}。台账 {path.name} 未做任何改动；请用备份恢复（liaison-desk restore），"
                       "或联系维护人员") from None
    if current < 6 <= SCHEMA_VERSION:
        _give_back_space(database)


def _give_back_space(database: SqliteDatabase) -> None:
    """After a migration that freed much of the file (v6: the log at a quarter), shrink it; a
    VACUUM that cannot run (disk full) leaves a larger file, nothing worse."""
    free = database.execute_sql("PRAGMA freelist_count").fetchone()[0]
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    if pages and free > pages // 4:
        with contextlib.suppress(OperationalError):
            database.execute_sql("VACUUM")


def _migrate_server(database: Any) -> None:
    """A server ledger, brought up to SCHEMA_VERSION under a lock: two clients opening an old
    database at once do not both migrate (the second waits, then finds nothing to do). The DBA's
    pg_dump is the backup before an upgrade; a failed migration rolls back whole."""
    if schema_version(database) == SCHEMA_VERSION:
        return
    with database.atomic():
        serialise("migration")
        current = schema_version(database)
        if current > SCHEMA_VERSION:
            raise BadInput(f"数据库版本（{current}）比本程序新（{SCHEMA_VERSION}），请升级程序")
        if current == SCHEMA_VERSION:
            return
        if current == 0:  # a new server ledger starts at today's schema
            database.create_tables(CURRENT_MODELS)
            from . import rights

            rights.install_if_allowed()
        elif current < FIRST_SERVER_VERSION:
            raise BadInput(f"服务器台账的版本（{current}）早于本程序支持的服务器版本（{FIRST_SERVER_VERSION}）："
                           "请用 liaison-desk copy 从它的 SQLite 副本重新复制到服务器")
        else:
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](database)
            from . import rights

            if rights.installed() and rights.can_create_roles():  # tables a migration added: their rights
                rights.install()
        SchemaVersion.delete().execute()
        SchemaVersion.create(version=SCHEMA_VERSION)


READ_ONLY_REFUSAL = "台账现在以只读方式打开（见窗口下方说明），不能修改"
CHECKING_REFUSAL = "正在检查台账文件是否完好（打开后的几秒内），请稍候再保存"


class ReadOnlyDatabase(SqliteDatabase):
    """A ledger opened only to read: an attempted write is bad input with the reason, not a crash.
    Also the GUI's ledger until its start-up check passes (`hold_writes`, then `release_writes`)."""

    refusal = READ_ONLY_REFUSAL

    def execute_sql(self, sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        except OperationalError as e:
            if "readonly" in str(e) or "read-only" in str(e) or "query_only" in str(e):
                raise BadInput(self.refusal) from None
            raise


def open_server(url: str, create: bool = False, read_only: bool = False) -> Any:
    """Bind the models to the ledger on a PostgreSQL server and migrate it. An empty database
    is prepared only when `create` (server init, init); one holding another program's tables is
    refused untouched."""
    database = server.connect(url, read_only=read_only)
    db.initialize(database)
    database.ledger_url = url  # type: ignore[attr-defined]
    try:
        version = schema_version(database)
        if version == 0:
            foreign = server.foreign_tables(database)
            if foreign:
                raise BadInput(f"服务器数据库 {server.describe(url)} 中已有别的程序的表（{'、'.join(foreign[:5])}），"
                               "不是台账：请换一个空数据库")
            if not create or read_only:
                raise BadInput(f"服务器数据库 {server.describe(url)} 还是空的：请先运行 "
                               f"liaison-desk --db {url} server init")
        if read_only:
            if version != SCHEMA_VERSION:
                raise BadInput(f"{server.describe(url)} 需要升级后才能使用，但现在只能只读连接")
            return database
        migrate(database, None)
    except BaseException:
        database.close()
        raise
    return database


def open_database(path: Path | str | None = None, create: bool = True,
                  read_only: bool = False, hold_writes: bool = False) -> SqliteDatabase:
    """Bind the models to the database at `path` (default: the user's file) and migrate it.

    With create=False a missing file is bad input rather than a new empty ledger. read_only
    opens it so that no write can reach the file (a second window, a damaged file). hold_writes
    opens it for writing but refuses writes until `release_writes` (the GUI, while it checks the
    file off the GUI thread); it needs a file already at this version (nothing to migrate).
    """
    if server.is_url(path):
        return open_server(str(path), create=create, read_only=read_only)
    path = Path(path) if path is not None else default_db_path()
    if (not create or read_only) and not path.exists():
        raise BadInput(f"数据库文件不存在：{path}（请先运行 init）")
    if path.exists() and path.is_dir():
        raise BadInput(f"数据库路径是一个文件夹：{path}")
    if path.exists() and not path.is_file():  # /dev/null, a pipe, a device
        raise BadInput(f"数据库路径不是一个普通文件：{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    hold_writes = hold_writes or (_pending_check is not None and not read_only)
    database: SqliteDatabase
    if read_only:
        database = ReadOnlyDatabase(read_only_uri(path), uri=True, check_same_thread=False,
                                    pragmas={"foreign_keys": 1, "busy_timeout": 5000, "query_only": 1})
    elif hold_writes:
        database = ReadOnlyDatabase(str(path), pragmas={**PRAGMAS, "query_only": 1}, check_same_thread=False)
        database.refusal = CHECKING_REFUSAL
    else:
        database = SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    try:
        database.connect(reuse_if_open=True)
    except OperationalError as e:
        from ..failures import explain

        raise BadInput(f"无法打开数据库 {path}：{explain(e) or e}") from None
    except DatabaseError as e:
        raise BadInput(f"{path} 不是有效的数据库文件（{e}）") from None
    db.initialize(database)
    database.ledger_path = path  # type: ignore[attr-defined]
    if read_only or hold_writes:
        if schema_version(database) != SCHEMA_VERSION:
            database.close()
            raise BadInput(f"{path} 需要升级后才能使用，但现在只能只读打开")
        return database
    try:
        migrate(database, path)
    except sqlite3.DatabaseError as e:
        database.close()
        raise BadInput(f"{path} 不是有效的数据库文件（{e}）") from None
    return database


#: This session's integrity check, when it runs beside a command's reading (see defer_check).
_pending_check: Callable[[], None] | None = None


def defer_check(check: Callable[[], None] | None) -> None:
    """Let this session's integrity check finish while the command reads: the ledger opens with
    writes held (SQLite refuses them), and `settle_check` waits for the check before the first
    write. `check` raises BadInput when the file is damaged; None forgets a deferral."""
    global _pending_check
    _pending_check = check


def settle_check() -> None:
    """Before the first write: wait for the deferred check; a sound file lets writes through, a
    damaged one raises BadInput and writes stay held. Nothing to wait for without a deferral."""
    global _pending_check
    check, _pending_check = _pending_check, None
    if check is None:
        return
    check()
    if db.obj is not None and isinstance(db.obj, ReadOnlyDatabase) and not is_read_only():
        release_writes()


def release_writes() -> None:
    """The held ledger passed its check: let writes through, here and on later connections."""
    database = db.obj
    if on_server(database):
        return
    database._pragmas = [(k, v) for k, v in database._pragmas if k != "query_only"]
    database.refusal = READ_ONLY_REFUSAL
    if not database.is_closed():
        database.execute_sql("PRAGMA query_only = 0")


def ledger_path() -> Path:
    """The file of the open ledger (the database name is a URI when it is open read-only)."""
    if on_server():
        raise BadInput("服务器台账没有文件：这一步只用于单机台账文件")
    return Path(getattr(db.obj, "ledger_path", None) or db.obj.database)


def is_server() -> bool:
    """Is the open ledger on a PostgreSQL server (no file: no lock file, open marker, file backups)?"""
    return db.obj is not None and on_server()


def server_url() -> str | None:
    """The open server ledger's address, or None for a file."""
    return getattr(db.obj, "ledger_url", None) if is_server() else None


def is_read_only() -> bool:
    database = db.obj
    if on_server(database):
        return "default_transaction_read_only=on" in str(database.connect_params.get("options", ""))
    return bool(database is not None and str(database.database).endswith("?mode=ro"))


def close_database() -> None:
    if db.obj is not None and not db.is_closed():
        db.close()
