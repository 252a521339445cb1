"""Backups (备份): consistent copies through SQLite's online backup, rotated so recent ones are
all kept and older ones thin out; restore, which first backs up what it replaces."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from . import settings, storage
from .errors import BadInput
from .models import db

NAME = re.compile(r"^liaison-desk-(\d{8}-\d{6})-([a-z-]+)\.sqlite3$")
KEEP_NEWEST = 10  # always kept
KEEP_DAILY_DAYS = 14  # then one a day for two weeks
KEEP_WEEKLY_WEEKS = 8  # then one a week for two months
KEEP_MONTHLY_MONTHS = 24  # then one a month for two years


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime
    reason: str


def backup_folder(ledger: Path | None = None, base: Path | None = None) -> Path:
    """Backups of one ledger file, in a folder of their own (several ledgers never mix):
    `<backup folder>/<ledger file name>-<folder digest>/`, the backup folder being the setting or the data folder's."""
    if base is None:
        configured = settings.backup_dir() if settings.is_initialised() else ""
        base = Path(configured) if configured else default_base()
    ledger = (ledger or Path(db.obj.database)).resolve()
    where = hashlib.sha256(str(ledger.parent).encode("utf-8")).hexdigest()[:8]
    folder = base / f"{ledger.stem}-{where}"  # two ledgers of the same name in two folders never mix
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_base() -> Path:
    return storage.data_dir() / "backups"


def make_backup(reason: str = "manual", out: Path | None = None, now: datetime | None = None) -> Path:
    """Copy the open ledger; `reason` is start / close / daily / manual / before-restore."""
    now = now or datetime.now()
    dest = out or backup_folder() / f"liaison-desk-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    if dest.exists() and out is None:
        dest = dest.with_name(dest.stem + f"-{now:%f}.sqlite3")
    if out is not None and out.exists() and out.is_dir():
        raise BadInput(f"{out} 是文件夹，请给出备份文件名")
    tmp = dest.with_name(dest.name + ".part")
    copy_file(Path(db.obj.database), tmp)
    tmp.replace(dest)  # a half-written copy never carries a backup's name
    if out is None:
        rotate(dest.parent, now)
    return dest


def copy_file(source: Path, dest: Path) -> None:
    """SQLite's online backup on a connection of its own, so it can run off the GUI thread."""
    src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(dest)
        try:
            src.backup(target)
        finally:
            target.close()
    finally:
        src.close()


def replace_damaged(path: Path, good: Path) -> Path:
    """Put a good backup in place of a damaged ledger (closed): the damaged file is kept aside,
    never deleted. Returns where it went."""
    check_file(good)
    aside = path.with_name(f"{path.stem}.damaged-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
    path.replace(aside)
    for extra in ("-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists():
            side.replace(aside.with_name(aside.name + extra))
    copy_file(good, path)
    return aside


def newest_age(folder: Path | None = None, now: datetime | None = None) -> timedelta | None:
    found = list_backups(folder)
    return (now or datetime.now()) - found[0].taken if found else None


def list_backups(folder: Path | None = None) -> list[BackupFile]:
    folder = folder or backup_folder()
    found = []
    for p in folder.glob("liaison-desk-*.sqlite3"):
        m = NAME.match(p.name)
        if m:
            found.append(BackupFile(p, datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"), m.group(2)))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def to_keep(backups: list[BackupFile], now: datetime) -> set[Path]:
    """The newest few, then the newest of each day, week and month as they age."""
    keep = {b.path for b in backups[:KEEP_NEWEST]}
    seen: set[tuple[str, object]] = set()
    for b in backups:  # newest first: the first of each bucket is its newest
        age = now - b.taken
        if age <= timedelta(days=KEEP_DAILY_DAYS):
            bucket: tuple[str, object] = ("day", b.taken.date())
        elif age <= timedelta(weeks=KEEP_WEEKLY_WEEKS):
            bucket = ("week", tuple(b.taken.isocalendar())[:2])
        elif age <= timedelta(days=31 * KEEP_MONTHLY_MONTHS):
            bucket = ("month", (b.taken.year, b.taken.month))
        else:
            continue
        if bucket not in seen:
            seen.add(bucket)
            keep.add(b.path)
    return keep


def rotate(folder: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups the thinning rule no longer keeps; returns what was deleted."""
    backups = list_backups(folder)
    keep = to_keep(backups, now or datetime.now())
    removed = [b.path for b in backups if b.path not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def check_file(path: Path) -> None:
    """A file fit to restore from: an intact SQLite file holding a Liaison Desk ledger."""
    if not path.is_file():
        raise BadInput(f"备份文件不存在：{path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = conn.execute("SELECT version FROM schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise BadInput(f"{path.name} 不是有效的台账备份（{e}）") from None
    if result != "ok":
        raise BadInput(f"{path.name} 已损坏（{result}）")
    if not version or version[0] > storage.SCHEMA_VERSION:
        raise BadInput(f"{path.name} 的版本与本程序不符")


def newest_good(folder: Path | None = None) -> BackupFile | None:
    for b in list_backups(folder):
        try:
            check_file(b.path)
            return b
        except BadInput:
            continue
    return None


def restore(path: Path) -> Path:
    """Replace the open ledger's content with a backup's; the current content is backed up first.

    Returns the safety copy. The database stays open and is migrated if the backup is older.
    """
    path = Path(path)
    check_file(path)
    safety = make_backup("before-restore")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(db.connection())
    finally:
        source.close()
    storage.migrate(db.obj, None)
    return safety
