"""Backups (备份): consistent copies through SQLite's online backup, rotated so recent ones are
all kept and older ones thin out; all but the newest few compressed (backup_pack); restore,
which first backs up what it replaces, from a plain or a compressed backup."""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import peewee

from ..errors import BadInput
from . import backup_pack, storage
from .models import Setting, db
from .safety import quick_check, reading_connection, sync_file

#: liaison-desk-<date>-<time>-<reason>[-<n>].sqlite3; n tells apart backups taken in one second
#: (older versions wrote the microseconds there, which the same pattern reads); `.zst` when packed.
NAME = re.compile(r"^liaison-desk-(\d{8}-\d{6})-([a-z]+(?:-[a-z]+)*)(?:-(\d+))?\.sqlite3(\.zst)?$")
KEEP_PLAIN = 1  # the newest backup stays a plain .sqlite3 file, for an instant restore
KEEP_NEWEST = 10  # always kept
KEEP_DAILY_DAYS = 14  # then one a day for two weeks
KEEP_WEEKLY_WEEKS = 8  # then one a week for two months
KEEP_MONTHLY_MONTHS = 24  # then one a month for two years
SPACE_BUDGET = 5 * 10**9  # bytes: past this the oldest kept backups go first (never the newest sound one)
KEEP_DAMAGED = 3  # damaged copies found at rotation are set aside, the newest few kept for a maintainer
FUTURE_SLACK = timedelta(hours=1)  # a backup dated later than this (clock skew) is "from the future"
STALE_PART = timedelta(hours=1)  # an unfinished copy this old belongs to a backup that failed
DAMAGED_SUFFIX = ".damaged"
Progress = Callable[[int, int, str], None]  # (done, total, what): a backup's progress, for a window


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime
    reason: str
    n: int = 0

    @property
    def packed(self) -> bool:
        return backup_pack.is_packed(self.path)


#: The setting (设置 → 备份文件夹) that names where backups go. The settings table is the store's,
#: so the store reads this one key itself rather than reaching up to the settings service.
BACKUP_DIR = "backup_dir"


def backup_folder(ledger: Path | None = None, base: Path | None = None, create: bool = True) -> Path:
    """Backups of one ledger file, in a folder of their own (several ledgers never mix):
    `<backup folder>/<ledger file name>-<folder digest>/`, the backup folder being the setting or the data folder's."""
    if base is None:
        row = Setting.get_or_none(Setting.key == BACKUP_DIR)
        configured = row.value if row else ""
        base = Path(configured) if configured else default_base()
    ledger = (ledger or storage.ledger_path()).resolve()
    where = hashlib.sha256(str(ledger.parent).encode("utf-8")).hexdigest()[:8]
    folder = base / f"{ledger.stem}-{where}"  # two ledgers of the same name in two folders never mix
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_base() -> Path:
    return storage.data_dir() / "backups"


def make_backup(reason: str = "manual", out: Path | None = None, now: datetime | None = None,
                pack: bool = True, stop: threading.Event | None = None, progress: Progress | None = None) -> Path:
    """Copy the open ledger; `reason` is start / close / daily / manual / before-restore.

    The copy is written under a `.part` name, checked, and only then given its name: a copy
    that is damaged (the ledger is) or unfinished (disk full) is removed and never rotates a
    good backup out. Then rotation, and (`pack`) the compression of the backups older than the
    newest KEEP_PLAIN; the GUI leaves that to a later background backup when it closes.
    `progress(done, total, what)` hears of the copy page by page, then of the check."""
    now = now or datetime.now()
    if out is not None and out.exists() and out.is_dir():
        raise BadInput(f"{out} 是文件夹，请给出备份文件名")
    dest = out or _free_name(backup_folder(), now, reason)
    tmp = dest.with_name(dest.name + ".part")
    try:
        copy_file(storage.ledger_path(), tmp, progress)
        if progress is not None:
            progress(0, 0, "检查")
        problem = quick_check(tmp)
        if problem != "ok":
            raise BadInput(f"备份未保存：复制出的文件未通过完好性检查（{problem}），台账文件可能已损坏，请运行 verify")
        tmp.replace(dest)  # a half-written or damaged copy never carries a backup's name
    finally:
        tmp.unlink(missing_ok=True)
    if out is None:
        rotate(dest.parent, now, sound=dest, budget=False)
        if pack:  # the space budget counts packed sizes: applied once the older ones are packed
            pack_older(dest.parent, stop)
            rotate(dest.parent, now, sound=dest)
    return dest


def automatic(reason: str, pack: bool = True, stop: threading.Event | None = None,
              progress: Progress | None = None) -> Path | None:
    """The program's own backups (start, daily, close): none when the ledger has not changed
    since the newest backup (its change log ends on the same entry), so that opening and closing
    without a change neither costs a copy nor pushes an older, different backup out."""
    folder = backup_folder()
    newest = next((b for b in list_backups(folder) if b.taken <= datetime.now() + FUTURE_SLACK), None)
    if newest is not None and not newest.packed:
        ours = _log_head(db.execute_sql)
        if ours is not None and ours == _file_log_head(newest.path):
            return None
    return make_backup(reason, pack=pack, stop=stop, progress=progress)


_HEAD = "SELECT (SELECT max(version) FROM schema_version), id, hash FROM change_log ORDER BY id DESC LIMIT 1"


def _log_head(execute: Any) -> tuple[Any, ...] | None:
    try:
        row = execute(_HEAD).fetchone()
    except (sqlite3.DatabaseError, peewee.DatabaseError):
        return None
    return tuple(row) if row else None


def _file_log_head(path: Path) -> tuple[Any, ...] | None:
    try:
        conn = reading_connection(path, timeout=5)
        try:
            return _log_head(conn.execute)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def pack_older(folder: Path, stop: threading.Event | None = None) -> list[Path]:
    """Compress the plain backups older than the newest KEEP_PLAIN; returns the packed files.
    A plain one that fails its check is set aside as damaged; `stop` ends the work early (the
    backup being packed stays plain)."""
    packed = []
    for b in list_backups(folder)[KEEP_PLAIN:]:
        if b.packed:
            continue
        try:
            packed.append(backup_pack.pack(b.path, stop))
        except (backup_pack.Stopped, OSError):  # closing, or the disk is full: stays plain for now
            break
        except backup_pack.Damaged:
            with contextlib.suppress(OSError):
                b.path.replace(b.path.with_name(b.path.name + DAMAGED_SUFFIX))
        except BadInput:  # did not read back the same: the plain one stays, tried again next time
            continue
    return packed


def space_used(folder: Path | None = None) -> tuple[int, int]:
    """How many backups a folder holds and their bytes (damaged copies set aside included)."""
    folder = folder or backup_folder()
    backups = list_backups(folder)
    files = [b.path for b in backups] + list(folder.glob(f"liaison-desk-*.sqlite3*{DAMAGED_SUFFIX}"))
    return len(backups), sum(_size(p) for p in files)


def _free_name(folder: Path, now: datetime, reason: str) -> Path:
    stem = f"liaison-desk-{now:%Y%m%d-%H%M%S}-{reason}"
    dest, n = folder / f"{stem}.sqlite3", 2
    while any(p.exists() for p in (dest, dest.with_name(dest.name + ".part"), backup_pack.packed_name(dest))):
        dest, n = folder / f"{stem}-{n}.sqlite3", n + 1
    return dest


def copy_file(source: Path, dest: Path, progress: Progress | None = None) -> None:
    """SQLite's online backup on a connection of its own (a read transaction: no writer's lock
    needed, and it can run off the GUI thread), synced to disk. A failed copy leaves nothing."""
    try:
        src = reading_connection(source, timeout=30)
        try:
            target = sqlite3.connect(dest)
            try:
                heard = None if progress is None else lambda _s, left, total: progress(total - left, total, "复制")
                src.backup(target, pages=-1 if progress is None else 16384, progress=heard)  # 64 MB a step
            finally:
                target.close()
        finally:
            src.close()
        sync_file(dest)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


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
    """How old the newest backup is; one dated in the future (clock skew) does not count."""
    now = now or datetime.now()
    found = [b for b in list_backups(folder) if b.taken <= now + FUTURE_SLACK]
    return now - found[0].taken if found else None


def list_backups(folder: Path | None = None) -> list[BackupFile]:
    """The backups in a folder, plain and packed, newest first (as their names say). A backup
    found both ways (packing was cut short after the rename) is listed once, as the plain file."""
    folder = folder or backup_folder()
    found = []
    for p in folder.glob("liaison-desk-*.sqlite3*"):
        m = NAME.match(p.name)
        if m and not (m.group(4) and backup_pack.plain_name(p).exists()):
            taken = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
            found.append(BackupFile(p, taken, m.group(2), int(m.group(3) or 0)))
    return sorted(found, key=lambda b: (b.taken, b.n), reverse=True)


def to_keep(backups: list[BackupFile], now: datetime) -> set[Path]:
    """The newest few, then the newest of each day, week and month as they age.

    Backups dated in the future (the clock was wrong when they were taken) are kept apart: the
    newest few of them stay, and they take no place from the backups taken since."""
    future = [b for b in backups if b.taken > now + FUTURE_SLACK]
    present = [b for b in backups if b.taken <= now + FUTURE_SLACK]
    keep = {b.path for b in future[:KEEP_NEWEST]} | {b.path for b in present[:KEEP_NEWEST]}
    seen: set[tuple[str, object]] = set()
    for b in present:  # newest first: the first of each bucket is its newest
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


def rotate(folder: Path, now: datetime | None = None, sound: Path | None = None,
           budget: bool = True) -> list[Path]:
    """Delete the backups the thinning rule no longer keeps, then, newest first, those past the
    space budget; returns what was deleted.

    The newest sound backup is never deleted (`sound`, when the caller has just checked it; else
    found by checking from the newest down). A damaged copy found on the way is set aside
    (`….sqlite3.damaged`) so that it holds no place a sound one needs. Unfinished copies left by
    a failed backup (`*.part`, e.g. disk full) are removed."""
    now = now or datetime.now()
    _remove_stale_parts(folder, now)
    if sound is None:
        sound = _newest_sound(folder, now)
    backups = list_backups(folder)
    keep = to_keep(backups, now)
    if budget:
        keep = within_budget([b for b in backups if b.path in keep], sound, now)
    keep |= {sound} if sound else set()
    removed = [b.path for b in backups if b.path not in keep]
    damaged = sorted(folder.glob(f"liaison-desk-*.sqlite3*{DAMAGED_SUFFIX}"), reverse=True)
    for p in removed:
        p.unlink(missing_ok=True)
        backup_pack.packed_name(p).unlink(missing_ok=True)  # a twin left by packing cut short
    for p in damaged[KEEP_DAMAGED:]:
        p.unlink(missing_ok=True)
    return removed + damaged[KEEP_DAMAGED:]


def within_budget(kept: list[BackupFile], sound: Path | None, now: datetime,
                  budget: int | None = None) -> set[Path]:
    """Of the backups the rule keeps (newest first), those that fit the space budget, taken
    newest first; the newest sound one and the newest KEEP_PLAIN are kept whatever their size."""
    budget = SPACE_BUDGET if budget is None else budget
    present = [b.path for b in kept if b.taken <= now + FUTURE_SLACK]
    protected = set(present[:KEEP_PLAIN]) | ({sound} if sound else set())
    used = sum(_size(p) for p in protected)
    keep = set(protected)
    for b in kept:
        if b.path in protected:
            continue
        size = _size(b.path)
        if used + size <= budget:
            keep.add(b.path)
            used += size
    return keep


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _newest_sound(folder: Path, now: datetime) -> Path | None:
    for b in list_backups(folder):
        if b.taken > now + FUTURE_SLACK:
            continue
        if (backup_pack.is_sound(b.path) if b.packed else quick_check(b.path) == "ok"):
            return b.path
        with contextlib.suppress(OSError):  # set aside: it no longer holds a sound copy's place
            b.path.replace(b.path.with_name(b.path.name + DAMAGED_SUFFIX))
    return None


def _remove_stale_parts(folder: Path, now: datetime) -> None:
    for part in folder.glob("*.part"):
        try:
            if now - datetime.fromtimestamp(part.stat().st_mtime) > STALE_PART:
                part.unlink()
        except OSError:
            continue


def check_file(path: Path, shown: str = "") -> None:
    """A file fit to restore from: an intact SQLite file holding a Liaison Desk ledger (a packed
    one is decompressed beside itself to be checked). `shown`: the name to give in messages."""
    if not path.is_file():
        raise BadInput(f"备份文件不存在：{path}")
    if backup_pack.is_packed(path):
        tmp = path.with_name(path.name + ".check.part")
        try:
            backup_pack.unpack(path, tmp)
            check_file(tmp, shown or path.name)
        finally:
            tmp.unlink(missing_ok=True)
        return
    name = shown or path.name
    try:
        conn = reading_connection(path)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = conn.execute("SELECT version FROM schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise BadInput(f"{name} 不是有效的台账备份（{e}）") from None
    if result != "ok":
        raise BadInput(f"{name} 已损坏（{result}）")
    if not version or version[0] > storage.SCHEMA_VERSION:
        raise BadInput(f"{name} 的版本与本程序不符")


def newest_good(folder: Path | None = None) -> BackupFile | None:
    for b in list_backups(folder):
        try:
            check_file(b.path)
            return b
        except BadInput:
            continue
    return None


def backup_folders(ledger: Path, bases: list[Path] | None = None) -> list[Path]:
    """Where backups of a ledger may be, without opening it: the data folder's, the folder its
    settings name (read straight from the file, which may be damaged), and any given."""
    found = [default_base(), *(bases or [])]
    configured = _configured_base(ledger)
    if configured:
        found.append(Path(configured))
    folders = []
    for base in found:
        folder = backup_folder(ledger, base, create=False)
        if folder.is_dir() and folder not in folders:
            folders.append(folder)
    return folders


def _configured_base(ledger: Path) -> str:
    try:
        conn = reading_connection(ledger, timeout=5)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (BACKUP_DIR,)).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return ""
    return str(row[0]) if row and row[0] else ""


def newest_sound_for(ledger: Path, bases: list[Path] | None = None) -> BackupFile | None:
    """The newest backup of this ledger that is sound, in any of its backup folders."""
    best = None
    for folder in backup_folders(ledger, bases):
        found = newest_good(folder)
        if found and (best is None or found.taken > best.taken):
            best = found
    return best


def damage_text(ledger: Path, problem: str, good: BackupFile | None) -> str:
    """What the clerk is told about a damaged ledger: what SQLite found, and the way back."""
    text = f"台账文件 {ledger} 已损坏（{problem}）。为免写坏，没有写入任何内容。"
    if good is None:
        return text + "没有找到完好的备份，请联系维护人员，不要删除该文件。"
    return text + f"最新的完好备份是 {good.path}（{good.taken:%Y-%m-%d %H:%M}）。"


class RestoreRefused(BadInput):
    """The backup is an intact ledger, but `verify` finds it was changed outside the program."""

    def __init__(self, path: Path, findings: list[str]) -> None:
        more = f"（另有 {len(findings) - 1} 处）" if len(findings) > 1 else ""
        super().__init__(f"{path.name} 没有通过校验，未恢复：{findings[0]}{more}")
        self.findings = findings


def staged_copy(path: Path, ledger: Path) -> tuple[Path, list[str]]:
    """Check a backup before it replaces anything: SQLite's check, then a copy beside the ledger,
    brought to this version and run through `verify`. Returns the copy and what verify found."""
    staging = ledger.with_name(ledger.name + ".restore.part")
    if backup_pack.is_packed(path):
        if not path.is_file():
            raise BadInput(f"备份文件不存在：{path}")
        backup_pack.unpack(path, staging)  # beside the ledger: the restore copies from it
    else:
        check_file(path)
        copy_file(path, staging)
    try:
        if backup_pack.is_packed(path):
            check_file(staging, path.name)
        try:
            return staging, _verify_file(staging)
        except BadInput as e:  # cannot be brought to this version (its old log was changed)
            raise BadInput(f"备份 {path.name} 不能使用：{e}。未做任何改动") from None
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def _verify_file(path: Path) -> list[str]:
    from peewee import SqliteDatabase

    from .verify import verify

    previous = db.obj
    candidate = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    try:
        db.initialize(candidate)
        candidate.connect()
        storage.migrate(candidate, None)
        return verify(full=True).problems
    except sqlite3.DatabaseError as e:
        return [f"数据库文件损坏：{e}"]
    finally:
        candidate.close()
        db.initialize(previous)


def restore(path: Path, accept_findings: bool = False) -> Path:
    """Replace the open ledger's content with a backup's; the current content is backed up first.

    The backup must pass SQLite's check (else refused) and `verify` (else refused, unless the
    clerk was asked and accepts: `accept_findings`). Returns the safety copy. The database stays
    open, at this program's version."""
    path = Path(path)
    staging, findings = staged_copy(path, storage.ledger_path())
    try:
        if findings and not accept_findings:
            raise RestoreRefused(path, findings)
        safety = make_backup("before-restore")
        source = reading_connection(staging)
        try:
            source.backup(db.connection())
        finally:
            source.close()
    finally:
        staging.unlink(missing_ok=True)
    storage.migrate(db.obj, None)
    return safety


def restore_damaged(ledger: Path, path: Path, accept_findings: bool = False) -> Path:
    """Restore a backup over a damaged ledger (not open): the damaged file is set aside, never
    deleted. Returns where it went."""
    staging, findings = staged_copy(Path(path), ledger)
    try:
        if findings and not accept_findings:
            raise RestoreRefused(Path(path), findings)
        return replace_damaged(ledger, staging)
    finally:
        staging.unlink(missing_ok=True)
