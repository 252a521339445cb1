"""台账校验码: the change log's head printed on paper, so a rewrite of the file is evident.

The chain of hashes has no secret: whoever has the file can edit a row and recompute every hash
after it, or cut the newest entries off. What they cannot change is paper the office already
holds. Every monthly report, term summary and signed sheet prints the head of the chain as it was
(entry number and 12 hex digits of its hash, e.g. `12345-3F9A-C21B-07D4`); each printed head is also kept in the
ledger (table `anchor`, so in every backup). `verify --anchor CODE` then proves that the printed
head is still part of today's chain: the entry of that number has that hash, and the chain
verifies from the first entry to the last. An edit before it, a truncation below it, or a lost
session in which it was printed all fail.

Codes printed before schema version 6 hold 48 bits of a v5 hash: their entry keeps those bits
(`legacy`, hashed with it), and `verify --anchor` recomputes the v5 chain up to it from the
re-encoded entries (changelog.legacy_hash), which the v6 migration proved to say what the old did.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from peewee import DatabaseError, OperationalError

from ..errors import BadInput
from . import changelog
from .models import Anchor, ChangeLog, db
from .records import as_dict

LABEL = "台账校验码"
#: Entry number and 48 bits of its hash: enough that forging a chain to match a printed code
#: takes far more than a script and an afternoon.
CODE = re.compile(r"^(\d{1,12})-?([0-9A-F]{4})-?([0-9A-F]{4})-?([0-9A-F]{4})$")


@dataclass(frozen=True)
class Head:
    entries: int  # number of the newest entry (0: an empty log)
    hash: str

    @property
    def code(self) -> str:
        h = self.hash[:12].upper()
        return f"{self.entries}-{h[:4]}-{h[4:8]}-{h[8:]}"


def hex_hash(value: object) -> str:
    """A stored hash as hex: bytes since v6, hex text in a v5 file (an older backup)."""
    return bytes(value).hex() if isinstance(value, bytes | memoryview) else str(value)  # type: ignore[arg-type]


GENESIS = changelog.GENESIS.hex()


def head() -> Head:
    """The newest entry of the change log (entries are numbered from 1, never reused)."""
    from .sql import on_server

    if on_server():  # the whole log's head, whichever entries this login may read
        found = changelog.head()
        return Head(found[0], found[1].hex()) if found else Head(0, GENESIS)
    row = db.execute_sql("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    return Head(int(row[0]), hex_hash(row[1])) if row else Head(0, GENESIS)


def _matches(entries: int, full: str) -> bool:
    """Is `full` (a kept head: hex, v5 or v6, or 12 hex digits from paper) entry `entries`'s hash,
    as hashed now or, for a re-encoded entry, the first 48 bits of its v5 hash?"""
    if entries == 0:
        return GENESIS.startswith(full)
    row = db.execute_sql(f"SELECT hash, legacy FROM change_log WHERE id = {db.obj.param}", (entries,)).fetchone()
    if row is None:
        return False
    if hex_hash(row[0]).startswith(full):
        return True
    return row[1] is not None and full[:12] == bytes(row[1]).hex()


def footer(what: str) -> str:
    """The footer line for a document about to be printed ("台账校验码 12345-3F9A-C21B-07D4"), the head
    kept in the ledger. A ledger open read-only (or busy) still prints the code: it is the paper
    that proves; the kept copy is for backups and for `verify`."""
    now = head()
    keep(now, what)
    return f"{LABEL} {now.code}"


def keep(printed: Head, what: str) -> None:
    try:
        with db.atomic():
            row = Anchor.create(entries=printed.entries, hash=printed.hash,
                                printed_at=datetime.now().replace(microsecond=0), what=what[:200])
            changelog.record("insert", "anchor", row.id, None, as_dict(row))
    except (BadInput, OperationalError):  # read-only file or folder, another writer: print anyway
        pass


def parse_code(text: str) -> tuple[int, str]:
    compact = re.sub(r"[\s\u3000]+", "", text).upper().replace("—", "-").replace("－", "-")
    m = CODE.match(compact)
    if not m:
        raise BadInput(f"“{text}”不是台账校验码（应像 12345-3F9A-C21B-07D4：条数-十二位校验值）")
    return int(m.group(1)), (m.group(2) + m.group(3) + m.group(4)).lower()


def check_code(text: str, whole_chain: bool = True) -> list[str]:
    """Why a printed code is not an ancestor of today's chain ([] when it is). `verify` checks
    the whole chain itself (whole_chain=False): once is enough on a million entries."""
    entries, short = parse_code(text)
    code = text.strip()
    now = head()
    if entries > now.entries:
        return [f"台账校验码 {code} 记载日志已有 {entries:,} 条，今天的台账只有 {now.entries:,} 条："
                "其后的记录被删除、截断，或那次工作的内容丢失（如删除了 -wal 文件）"]
    if not _matches(entries, short):
        return [f"台账校验码 {code} 与今天台账第 {entries:,} 条日志不符：打印之后，日志在程序之外被改写"]
    if entries and not _current_hash(entries).startswith(short):  # printed before v6: its v5 hash
        old, wrong = changelog.legacy_hash(entries)
        if old is None or not old.startswith(short) or wrong is not None:
            return [f"台账校验码 {code} 与今天台账第 {wrong or entries:,} 条日志不符：打印之后，日志在程序之外被改写"]
    bad = changelog.verify_chain() if whole_chain else None
    if bad is not None:
        return [f"台账校验码 {code} 所在的日志链在第 {bad} 条断开：日志在程序之外被改动"]
    return []


def _current_hash(entries: int) -> str:
    row = ChangeLog.select(ChangeLog.hash).where(ChangeLog.id == entries).tuples().first()
    return hex_hash(row[0]) if row else ""


def kept_anchors_problems() -> list[str]:
    """Each head kept in the ledger must still be in the chain (a rewrite that left them behind)."""
    problems = []
    for a in Anchor.select().order_by(Anchor.id):
        if a.entries and not _matches(a.entries, a.hash):
            problems.append(f"{a.printed_at:%Y-%m-%d %H:%M} 打印的台账校验码 {Head(a.entries, a.hash).code}"
                            f"（{a.what}）已不在今天的日志链中：日志被改写或截断")
    return problems


def _file_head(path: Path) -> Head | None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return Head(int(row[0]), hex_hash(row[1])) if row else Head(0, GENESIS)


def chain_vs_backup(ledger: Path | None, backup_path: Path) -> str | None:
    """A warning when the open ledger's change log is behind its backup's, or is not a
    continuation of it (a rewrite, a truncation, a lost session); None when it continues it or
    the backup cannot be read (damaged backups are another check's business)."""
    try:
        theirs = _file_head(backup_path)
    except sqlite3.Error:
        return None
    if theirs is None:
        return None
    ours = head()
    name = backup_path.name
    where = f"台账 {ledger.name} " if ledger is not None else "台账"
    if ours.entries < theirs.entries:
        return (f"{where}的变更日志只有 {ours.entries:,} 条，比最新备份 {name}（{theirs.entries:,} 条）少："
                "台账可能被截断、丢失了一次工作的内容，或刚从更早的备份恢复。若非有意恢复，请运行“校验”，"
                "并用纸面上的台账校验码核对")
    if theirs.entries and not _matches(theirs.entries, theirs.hash):
        return (f"{where}的变更日志不是最新备份 {name} 的延续（第 {theirs.entries:,} 条不同）："
                "台账可能在程序之外被改写，或刚从别的备份恢复。若非有意恢复，请运行“校验”，"
                "并用纸面上的台账校验码核对")
    return None


def newest_backup_warning(ledger: Path | None, folders: list[Path]) -> str | None:
    """chain_vs_backup against the newest backup in these folders (None when there is none)."""
    from .backup import list_backups

    found = []
    for folder in folders:
        try:
            found.extend(list_backups(folder))
        except OSError:
            continue
    if not found:
        return None
    newest = max(found, key=lambda b: (b.taken, _mtime(b.path)))  # two in one second: the later
    return chain_vs_backup(ledger, newest.path)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def warn_on_open(ledger: Path | None) -> str | None:
    """The warning for a ledger just opened for writing, against its own backup folder."""
    from .backup import backup_folder

    try:
        return newest_backup_warning(ledger, [backup_folder(ledger)])
    except (OSError, sqlite3.Error, DatabaseError):  # a damaged ledger is the integrity check's to report
        return None
