"""Keeping one ledger file safe: one writer at a time, a marker that tells a crash from a clean
close, and SQLite's integrity check."""

from __future__ import annotations

import getpass
import json
import os
import socket
import sqlite3
import sys
import time
from pathlib import Path
from typing import IO

from ..errors import BadInput
from ..failures import explain

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(f: IO[str]) -> bool:
        try:
            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(f: IO[str]) -> None:
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(f: IO[str]) -> bool:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(f: IO[str]) -> None:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


#: How a server's address begins, also once made a Path ("postgresql://…" becomes "postgresql:/…").
_SERVER_SCHEMES = ("postgresql:", "postgres:")


def ledger_file(db_path: Path | str) -> Path:
    """`db_path` as the ledger's file, for the machinery that only a file has (the writer lock,
    the open marker, SQLite's checks). A server's address is refused: it names no file, and no
    folder or file is made from it."""
    if str(db_path).strip().lower().startswith(_SERVER_SCHEMES):
        raise BadInput(f"“{db_path}”是服务器台账的地址，不是台账文件：服务器台账没有写入锁文件、"
                       "打开标记或文件检查")
    return Path(db_path)


class LedgerLock:
    """An operating-system lock on `<ledger>.lock`, held by the one program that writes.

    The lock goes with the process: a killed program leaves no stale lock behind.
    """

    def __init__(self, db_path: Path | str) -> None:
        path = ledger_file(db_path)
        self.path = path.with_name(path.name + ".lock")
        self.file: IO[str] | None = None

    def holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "另一个程序"
        return f"{info.get('user', '?')}@{info.get('host', '?')} 的进程 {info.get('pid', '?')}"

    def acquire(self, wait_s: float = 0.0) -> bool:
        if self.file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        f = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held open while locked)
        deadline = time.monotonic() + wait_s
        while not _try_lock(f):
            if time.monotonic() >= deadline:
                f.close()
                return False
            time.sleep(0.1)
        f.seek(0)
        f.truncate()
        f.write(json.dumps({"pid": os.getpid(), "user": _user(), "host": socket.gethostname()}))
        f.flush()
        self.file = f
        return True

    def release(self) -> None:
        if self.file is not None:
            try:
                _unlock(self.file)
            finally:
                self.file.close()
                self.file = None

    def require(self, wait_s: float = 10.0) -> None:
        """Take the lock or refuse with who holds it (the CLI's write commands)."""
        if not self.acquire(wait_s):
            raise BadInput(f"台账正被 {self.holder()} 使用，请关闭后再试（已等待 {wait_s:g} 秒）")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows service accounts
        return "?"


def open_marker(db_path: Path | str) -> Path:
    path = ledger_file(db_path)
    return path.with_name(path.name + ".open")


def was_closed_cleanly(db_path: Path) -> bool:
    """False when the program that last had the ledger open did not close it (crash, power cut)."""
    return not open_marker(db_path).exists()


def mark_open(db_path: Path) -> None:
    open_marker(db_path).write_text(str(os.getpid()), encoding="utf-8")


def mark_closed(db_path: Path) -> None:
    open_marker(db_path).unlink(missing_ok=True)


def read_only_uri(path: Path | str) -> str:
    """A proper file URI for SQLite's read-only mode: `#`, `?`, `%` and spaces in a folder name
    are quoted (a bare `file:{path}` would cut the path there), Windows drive paths too."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def reading_connection(path: Path | str, timeout: float = 10) -> sqlite3.Connection:
    """A connection to look at a file without leaving anything behind. Read-write when the file
    and its folder may be written: a read-only connection to a WAL file leaves empty `-wal` and
    `-shm` files, which the last read-write connection removes as it closes (nothing else is
    written: only reads are run on it). Read-only, by a proper URI, when they may not."""
    path = ledger_file(path)
    if os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK):
        return sqlite3.connect(str(path), timeout=timeout)
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout)


def quick_check(db_path: Path) -> str:
    """SQLite's quick_check on its own read-only connection: 'ok' or what is wrong."""
    if not ledger_file(db_path).is_file():
        return f"文件不存在：{db_path}"
    try:
        conn = reading_connection(db_path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError as e:  # a full disk or a read-only folder is not damage
        reason = explain(e)
        if reason:
            raise BadInput(reason) from None
        return str(e)
    except sqlite3.DatabaseError as e:
        return str(e)
    return "ok" if rows == [("ok",)] else "; ".join(r[0] for r in rows[:5])


def sync_file(path: Path) -> None:
    """Make what was written to `path` durable before it is renamed into place or trusted."""
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":  # pragma: no cover - Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
