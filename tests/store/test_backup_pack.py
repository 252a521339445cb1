"""Backups that fit a disk: all but the newest compressed (checked before, read back after, never
a half file under a final name), restore and verify reading them, rotation treating them as the
plain ones, a space budget."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from ledger_files import dump, flip_page

from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import backup, backup_pack, storage
from liaison_desk.store.safety import quick_check

pytestmark = pytest.mark.sqlite_only("compressed backups of the file")

DEMO = ("demo", "--cadres", "6", "--months", "2", "--end", "2025-12")


def folder_of(db_path: Path) -> Path:
    return backup.backup_folder(db_path, backup.default_base())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_older_backups_are_compressed_and_restore_to_identical_rows(cli, db_path):
    assert cli(*DEMO)[0] == 0
    assert cli("backup")[0] == 0
    storage.close_database()
    at_first_backup = dump(db_path)
    assert cli("cadre", "add", "李强", "--tier", "leader")[0] == 0
    storage.close_database()
    time.sleep(1.1)  # a name of its own second
    assert cli("backup")[0] == 0
    newest, older = backup.list_backups(folder_of(db_path))
    assert not newest.packed and newest.path.suffix == ".sqlite3"  # the newest stays plain
    assert older.packed and older.path.name.endswith(".sqlite3.zst")
    assert not backup_pack.plain_name(older.path).exists()
    assert older.path.stat().st_size * 3 < newest.path.stat().st_size  # compresses several times

    code, out, err = cli("restore", str(older.path))
    assert code == 0, err
    storage.close_database()
    assert dump(db_path) == at_first_backup  # every row, change log included
    assert not list(db_path.parent.glob("*.part"))  # the temporary copy beside the ledger is gone


def test_verify_reads_a_compressed_backup_and_finds_damage_and_edits(cli, db_path, tmp_path):
    assert cli(*DEMO)[0] == 0
    plain = tmp_path / "liaison-desk-20250101-080000-manual.sqlite3"
    assert cli("backup", "--out", str(plain))[0] == 0
    storage.close_database()
    before = dump(db_path)
    edited = tmp_path / "liaison-desk-20250102-080000-manual.sqlite3"
    edited.write_bytes(plain.read_bytes())
    packed = backup_pack.pack(plain)

    code, out, err = cli("verify", str(packed))
    assert code == 0 and "校验通过" in out and packed.name in out, err
    storage.close_database()
    assert dump(db_path) == before and not list(tmp_path.glob("*.part"))

    conn = sqlite3.connect(edited)  # changed outside the program, then compressed
    conn.execute("UPDATE activity SET summary = '伪造的走访' WHERE id = (SELECT min(id) FROM activity)")
    conn.commit()
    conn.close()
    code, out, err = cli("verify", str(backup_pack.pack(edited)))
    assert code == 2 and "校验未通过" in err

    data = bytearray(packed.read_bytes())  # a failing disk: bytes flipped inside the compressed file
    data[len(data) // 2] ^= 0xFF
    packed.write_bytes(bytes(data))
    assert not backup_pack.is_sound(packed)
    code, out, err = cli("verify", str(packed))
    assert code == 2 and "已损坏" in err
    code, out, err = cli("restore", str(packed))
    assert code == 2 and "已损坏" in err
    storage.close_database()
    assert dump(db_path) == before


CHILD = """
import sys, time
from pathlib import Path
from liaison_desk.store import backup_pack

backup_pack.CHUNK = 4096
blocks = backup_pack._blocks
def slow(f, stop):
    for i, block in enumerate(blocks(f, stop)):
        if i == 3:
            print("compressing", flush=True)
            time.sleep(60)
        yield block
backup_pack._blocks = slow
backup_pack.pack(Path(sys.argv[1]))
"""


def test_a_kill_during_compression_leaves_no_file_under_the_final_name(ledger, db_path):
    add_cadre("王芳", "leader")
    folder = folder_of(db_path)
    target = backup.make_backup("manual", out=folder / "liaison-desk-20250101-080000-manual.sqlite3")
    backup.make_backup("manual", out=folder / "liaison-desk-20250102-080000-manual.sqlite3")
    before = digest(target)

    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(target)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "compressing"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    final = backup_pack.packed_name(target)
    assert not final.exists()  # nothing under the final name
    assert digest(target) == before and quick_check(target) == "ok"  # the plain backup as it was
    assert final.with_name(final.name + ".part").exists()  # only the unfinished copy, named so

    assert backup.pack_older(target.parent) == [final]  # the next backup finishes the work
    assert not target.exists() and not list(target.parent.glob("*.part"))
    assert backup_pack.read_digest(final)[0] == before


def test_rotation_treats_compressed_backups_like_plain_ones(ledger, db_path):
    add_cadre("王芳", "leader")
    now = datetime.now()
    made = [backup.make_backup("manual", now=now - timedelta(hours=h)) for h in (3, 2, 1)]
    folder = made[0].parent
    listed = backup.list_backups(folder)
    assert [b.packed for b in listed] == [False, True, True]
    flip_page(listed[0].path)  # the plain newest rots on disk
    middle = bytearray(listed[1].path.read_bytes())  # and so does a compressed one
    middle[len(middle) // 2] ^= 0xFF
    listed[1].path.write_bytes(bytes(middle))

    backup.rotate(folder, now)
    kept = backup.list_backups(folder)
    assert [b.path for b in kept] == [listed[2].path]  # the newest sound one, compressed, stays
    assert backup.newest_good(folder) == listed[2]
    assert len(list(folder.glob("*.damaged"))) == 2  # the damaged ones set aside, not deleted


def test_rotation_stays_within_the_space_budget_and_keeps_the_newest_sound(ledger, db_path, monkeypatch):
    add_cadre("王芳", "leader")
    now = datetime.now()
    first = backup.make_backup("manual", now=now - timedelta(days=3))
    folder = first.parent
    for d in (2, 1):
        backup.make_backup("manual", now=now - timedelta(days=d))
    packed = [b.path.stat().st_size for b in backup.list_backups(folder) if b.packed]
    newest_plain = backup.make_backup("manual", now=now)
    monkeypatch.setattr(backup, "SPACE_BUDGET", newest_plain.stat().st_size + max(packed) + 10)
    backup.rotate(folder, now)
    kept = backup.list_backups(folder)
    assert len(kept) == 2 and kept[0].path == newest_plain  # the oldest went first
    assert kept[1].taken == (now - timedelta(days=1)).replace(microsecond=0)
    assert sum(b.path.stat().st_size for b in kept) <= backup.SPACE_BUDGET

    monkeypatch.setattr(backup, "SPACE_BUDGET", 0)  # a budget no backup fits: the newest sound stays
    backup.rotate(folder, now)
    assert [b.path for b in backup.list_backups(folder)] == [newest_plain]


def test_a_plain_backup_that_rotted_is_set_aside_not_compressed(ledger, db_path):
    add_cadre("王芳", "leader")
    now = datetime.now()
    older = backup.make_backup("manual", now=now - timedelta(days=1), pack=False)
    backup.make_backup("manual", now=now - timedelta(hours=1), pack=False)
    flip_page(older)  # rots on disk before its turn to be compressed
    newest = backup.make_backup("manual", now=now)
    listed = backup.list_backups(newest.parent)
    assert [b.path for b in listed][0] == newest and len(listed) == 2 and listed[1].packed
    assert not backup_pack.packed_name(older).exists()  # a damaged copy is never compressed as sound
    assert older.with_name(older.name + backup.DAMAGED_SUFFIX).exists()
