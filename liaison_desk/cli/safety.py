"""Commands for data safety (backup, restore, verify), and the look every command takes at the
ledger file before it runs: a damaged file, an empty one or another program's database is
refused before anything is written, and a refused command leaves a new file as it found it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIDE_FILES = ("-wal", "-shm", "-journal")


def guarded(args: argparse.Namespace, run: Callable[[argparse.Namespace], None],
            writer_lock: Callable[[argparse.Namespace], Any]) -> None:
    """Run one command on the ledger named by --db, if the file is fit for it.

    Checks the file (SQLite's quick_check) after taking the writer's lock and before the first
    write. A read-only command that finds an older ledger takes the writer's lock to migrate it
    (the migration is the one write it makes). When the command fails on a file that was new or
    empty, what it created is removed again."""
    from ..errors import BadInput
    from ..store import ledger_file, storage
    from ..store.safety import LedgerLock
    from ..store.server import is_url

    if is_url(args.db):  # a server ledger: no file to inspect, lock or put back
        run(args)
        return
    path = Path(args.db) if args.db else storage.default_db_path()
    before = _snapshot(path)
    lock = writer_lock(args)
    try:
        state = ledger_file.inspect(path, check=args.command not in CHECKED_WHILE_READING)
        if not state.problem and args.command in CHECKED_WHILE_READING:
            state = _check_while_reading(path, state)
        if state.damaged and args.command != "restore":
            raise BadInput(_damage_message(path, state.problem))
        ledger_file.refuse_unfit(state, args.command)
        if lock is None and ledger_file.needs_migration(state):
            lock = LedgerLock(path)
            lock.require(wait_s=float(os.environ.get("LIAISON_DESK_LOCK_WAIT", "10")))
        args.ledger_state = state
        try:
            run(args)
        except Exception:
            storage.settle_check()  # damage found meanwhile is the reason to give
            raise
        storage.settle_check()
    except BaseException:
        storage.defer_check(None)
        storage.close_database()
        _undo_creation(path, before)
        raise
    finally:
        if lock is not None:
            lock.release()


#: Commands that read a large file before their first write (an import of 100,000 lines): the
#: integrity check runs on a thread meanwhile, and the first write waits for it.
CHECKED_WHILE_READING = {"import"}


def _check_while_reading(path: Path, state: Any) -> Any:
    """Start SQLite's quick_check on a thread (it waits in C, so the reading goes on) when the
    file is a ledger at this version; else check it now, as every other command does."""
    import threading

    from ..errors import BadInput
    from ..store import ledger_file, storage
    from ..store.safety import quick_check

    if not state.ledger or ledger_file.needs_migration(state):
        return ledger_file.inspect(path)
    found: list[str | BaseException] = []
    thread = threading.Thread(target=lambda: found.append(_quick_check_or_error(quick_check, path)), daemon=True)
    thread.start()

    def settle() -> None:
        thread.join()
        result = found[0] if found else "检查未能完成"
        if isinstance(result, BaseException):
            raise result
        if result != "ok":
            raise BadInput(_damage_message(path, result))
    storage.defer_check(settle)
    return state


def _quick_check_or_error(quick_check: Callable[[Path], str], path: Path) -> str | BaseException:
    try:
        return quick_check(path)
    except BaseException as e:  # a full disk or an unreadable folder: said when the write waits
        return e


def _damage_message(path: Path, problem: str) -> str:
    from ..store import backup

    good = backup.newest_sound_for(path)
    hint = f"恢复：liaison-desk --db \"{path}\" restore \"{good.path}\"" if good else ""
    return backup.damage_text(path, problem, good) + hint


def _snapshot(path: Path) -> dict[str, Any]:
    missing_dirs = []
    parent = path.parent
    while not parent.exists():
        missing_dirs.append(parent)
        parent = parent.parent
    lock = path.with_name(path.name + ".lock")
    return {"fresh": not path.exists() or (path.is_file() and path.stat().st_size == 0),
            "existed": path.exists(), "lock": lock.exists(), "dirs": missing_dirs,
            "sides": {s for s in SIDE_FILES if path.with_name(path.name + s).exists()}}


def _undo_creation(path: Path, before: dict[str, Any]) -> None:
    """A refused command: remove the lock file it made (while still holding the lock); on a new
    or empty file, put the folder back as it was."""
    if not before["lock"]:
        path.with_name(path.name + ".lock").unlink(missing_ok=True)
    if not before["fresh"]:
        return
    for side in SIDE_FILES:
        if side not in before["sides"]:
            path.with_name(path.name + side).unlink(missing_ok=True)
    if not before["existed"]:
        path.unlink(missing_ok=True)
    elif path.is_file() and path.stat().st_size:
        path.write_bytes(b"")
    for folder in before["dirs"]:
        try:
            folder.rmdir()
        except OSError:
            break


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .main import add_db_option

    p = sub.add_parser("backup", help="备份台账（SQLite 在线备份，可在程序运行时进行）")
    p.add_argument("--out", type=Path, default=None, help="备份文件；省略时存入备份文件夹并轮换")
    add_db_option(p)
    p = sub.add_parser("restore", help="从备份恢复（先备份当前台账）")
    p.add_argument("file", type=Path)
    add_db_option(p)
    p = sub.add_parser("verify", help="检查数据库与变更日志：是否完好、是否在程序之外被改动")
    p.add_argument("--quick", action="store_true", help="只做快速检查（quick_check）")
    p.add_argument("--anchor", action="append", default=[], metavar="CODE",
                   help="核对纸面上的台账校验码（如 12345-3F9A-C21B-07D4），可多次给出")
    p.add_argument("file", type=Path, nargs="?", default=None,
                   help="改为校验一份备份（.sqlite3 或压缩的 .sqlite3.zst；解压到台账旁的临时文件校验，台账不变）")
    add_db_option(p)
    return {"backup": cmd_backup, "restore": cmd_restore, "verify": cmd_verify}


def cmd_backup(args: argparse.Namespace) -> None:
    from ..store.backup import make_backup
    from .main import open_ledger

    open_ledger(args)
    from ..store import storage

    if storage.is_server():
        from ..errors import BadInput

        raise BadInput("服务器台账不做文件备份：请用 liaison-desk copy --from 服务器地址 --to 备份.sqlite3 "
                       "复制出一份经校验的 SQLite 副本，或由数据库管理员用 pg_dump 备份")
    out = args.out
    if out is not None and out.exists():
        from ..errors import BadInput

        raise BadInput(f"{out} 已存在，不覆盖；请换一个文件名")
    path = make_backup("manual", out=out)
    print(f"已备份到 {path}（{path.stat().st_size / 1024 / 1024:.1f} MB）")


def cmd_restore(args: argparse.Namespace) -> None:
    """A damaged ledger is set aside and the backup put in its place; a sound one is backed up
    and its content replaced. Either way the backup must first pass the integrity check and
    `verify` (exit 2 otherwise, nothing changed)."""
    from ..store import storage
    from ..store.backup import restore, restore_damaged
    from .main import open_ledger

    state = getattr(args, "ledger_state", None)
    if state is not None and state.damaged:
        aside = restore_damaged(state.path, args.file)
        storage.open_database(state.path, create=False)
        print(f"已从 {args.file} 恢复；损坏的台账另存为 {aside}（未删除）")
        return
    open_ledger(args)
    safety = restore(args.file)
    print(f"已从 {args.file} 恢复；恢复前的台账已备份到 {safety}")


def cmd_verify(args: argparse.Namespace) -> None:
    from ..errors import BadInput
    from ..ledger import settings
    from ..store import storage
    from ..store.anchor import parse_code
    from ..store.verify import verify

    if args.file is not None:
        verify_backup(args)
        return
    for code in args.anchor:
        parse_code(code)  # a mistyped code is bad input before anything is read
    storage.open_database(args.db, create=False)  # the stored policy may be what was tampered with
    if not settings.is_initialised():
        raise BadInput("数据库尚未初始化（请先运行 init --policy …）")
    report = verify(full=not args.quick, anchors=tuple(args.anchor))
    if not report.ok:
        for line in report.problems[:20]:
            print(line, file=sys.stderr)
        more = len(report.problems) - 20
        raise BadInput(f"校验未通过：{report.problems[0]}" + (f"（另有 {more} 处）" if more > 0 else ""))
    print(f"校验通过：数据库完好，{report.checked_rows:,} 条记录与 {report.log_entries:,} 条变更日志相符")
    if report.scope:
        print(report.scope)
    for code in args.anchor:
        print(f"台账校验码 {code.strip()} 在今天的日志链中：打印之后台账未被改写或截断")


def verify_backup(args: argparse.Namespace) -> None:
    """`verify FILE`: a backup, plain or compressed, checked as restore would check it (SQLite's
    check, then `verify` on a copy beside the ledger, removed afterwards)."""
    from ..errors import BadInput
    from ..store import storage
    from ..store.backup import staged_copy

    ledger = Path(args.db) if args.db else storage.default_db_path()
    staging, findings = staged_copy(args.file, ledger)
    staging.unlink(missing_ok=True)
    if findings:
        for line in findings[:20]:
            print(line, file=sys.stderr)
        raise BadInput(f"备份 {args.file.name} 校验未通过：{findings[0]}")
    print(f"校验通过：备份 {args.file.name} 完好，与其变更日志相符")
