"""Nothing rots silently: a ledger damaged while closed is refused before the first write and its
backups never push out the good ones; restore checks first; odd folder names; refused commands
leave every file as it was; a backup needs no writer's lock; backup names and clock skew."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from ledger_files import dump, flip_page, folder_hashes

from liaison_desk.errors import BadInput
from liaison_desk.store import backup, backup_pack, storage
from liaison_desk.store.models import Cadre
from liaison_desk.store.safety import LedgerLock, quick_check

pytestmark = pytest.mark.sqlite_only("the file: damage, locks, backups, empty files")

V1 = Path(__file__).resolve().parents[1] / "data" / "ledger-v1.sqlite3"
DEMO = ("demo", "--cadres", "6", "--months", "2", "--end", "2025-12")


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def folder_of(db_path: Path) -> Path:
    return backup.backup_folder(db_path, backup.default_base())


# 1 — damage found before the first write, GUI in tests/gui/test_session.py ---------------------


def test_a_page_flipped_while_closed_is_refused_before_any_write(cli, db_path):
    assert cli(*DEMO)[0] == 0
    assert cli("backup")[0] == 0
    sound = backup.list_backups(folder_of(db_path))
    assert len(sound) == 1
    flip_page(db_path)
    assert quick_check(db_path) != "ok"
    before = folder_hashes(db_path.parent)

    code, _out, err = cli("cadre", "add", "李强", "--tier", "leader")
    assert code == 2 and "已损坏" in err and "没有写入任何内容" in err
    assert str(sound[0].path) in err  # the newest sound backup, by name
    for _ in range(12):  # a nightly backup, night after night: never a damaged copy, never rotation
        code, _out, err = cli("backup")
        assert code == 2 and "已损坏" in err
    code, _out, err = cli("verify")
    assert code == 2 and "已损坏" in err
    assert folder_hashes(db_path.parent) == before
    assert backup.list_backups(folder_of(db_path)) == sound

    # The way back: restore the backup the message named.
    code, out, _err = cli("restore", str(sound[0].path))
    assert code == 0 and "损坏的台账另存为" in out
    assert cli("verify")[0] == 0
    (aside,) = db_path.parent.glob("ledger.damaged-*.sqlite3")
    assert quick_check(aside) != "ok"  # the damaged file is kept, not deleted


def test_a_backup_of_a_damaged_ledger_is_not_kept(ledger, db_path, tmp_path):
    storage.close_database()
    flip_page(db_path)
    storage.open_database(db_path)  # damaged in the change log: it still opens
    folder = folder_of(db_path)
    with pytest.raises(BadInput, match="备份未保存"):
        backup.make_backup("daily")
    with pytest.raises(BadInput, match="备份未保存"):
        backup.make_backup("manual", out=tmp_path / "copy.sqlite3")
    assert backup.list_backups(folder) == [] and not list(folder.glob("*.part"))
    assert not (tmp_path / "copy.sqlite3").exists()


def test_rotation_never_lets_damaged_copies_push_the_sound_one_out(ledger, db_path, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    good = backup.make_backup("manual", out=tmp_path / "good.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    shutil.copy(good, bad)
    flip_page(bad)
    now = datetime(2026, 11, 27, 12, 0)
    sound = folder / "liaison-desk-20261125-100000-daily.sqlite3"
    shutil.copy(good, sound)
    # Copies of a damaged ledger (written by an older version): one later the same day, ten today.
    stamps = [datetime(2026, 11, 25, 11, 0)] + [datetime(2026, 11, 27, h, 0) for h in range(10)]
    for t in stamps:
        shutil.copy(bad, folder / f"liaison-desk-{t:%Y%m%d-%H%M%S}-daily.sqlite3")
    backup.rotate(folder, now)
    assert sound.exists()
    assert [b.path for b in backup.list_backups(folder)] == [sound]
    assert len(list(folder.glob("*.damaged"))) == backup.KEEP_DAMAGED  # a few set aside, not counted


# 2 — restore checks the candidate first ------------------------------------------------------------


def test_restore_refuses_a_backup_edited_outside_the_program(cli, db_path, tmp_path):
    assert cli(*DEMO)[0] == 0
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(copy))[0] == 0
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE activity SET summary = '伪造的走访' WHERE id = 1")
    conn.commit()
    conn.close()
    before = dump(db_path)
    code, _out, err = cli("restore", str(copy))
    assert code == 2 and "没有通过校验" in err and "活动 #1" in err
    assert dump(db_path) == before
    assert not list(db_path.parent.glob("*.part"))


def test_restore_of_a_damaged_ledger_refuses_an_edited_backup_too(cli, db_path, tmp_path):
    assert cli(*DEMO)[0] == 0
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(copy))[0] == 0
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM cadre WHERE id = 1")
    conn.commit()
    conn.close()
    flip_page(db_path)
    damaged = db_path.read_bytes()
    code, _out, err = cli("restore", str(copy))
    assert code == 2 and "没有通过校验" in err
    assert db_path.read_bytes() == damaged and not list(db_path.parent.glob("*.damaged-*"))


# 4 — #, ? and %xx in a folder name -----------------------------------------------------------------


def test_folder_names_with_hash_question_mark_and_percent(tmp_path, capsys):
    from liaison_desk.cli.main import main

    odd = tmp_path / "台账#1?x%41 备份"
    odd.mkdir()
    path = odd / "ledger.sqlite3"

    def cli(*args: str) -> tuple[int, str]:
        code = main(["--db", str(path), *args])
        return code, capsys.readouterr().err

    assert cli("init", "--policy", "moe-2019")[0] == 0
    assert cli("cadre", "add", "王芳", "--tier", "leader")[0] == 0
    assert cli("backup")[0] == 0
    (made,) = backup.list_backups(folder_of(path))
    assert count(made.path, "cadre") == 1  # not an empty database
    copy = odd / "copy.sqlite3"
    assert cli("backup", "--out", str(copy))[0] == 0 and count(copy, "cadre") == 1

    storage.open_database(path, read_only=True)
    try:
        assert Cadre.get().name == "王芳"
    finally:
        storage.close_database()

    # restore backup%41.sqlite3 restores that file, not backupA.sqlite3
    shutil.copy(copy, odd / "backup%41.sqlite3")
    assert cli("cadre", "add", "李强", "--tier", "leader")[0] == 0
    assert cli("backup", "--out", str(odd / "backupA.sqlite3"))[0] == 0
    assert cli("restore", str(odd / "backup%41.sqlite3"))[0] == 0
    assert count(path, "cadre") == 1

    flip_page(path)
    assert quick_check(path) != "ok"  # the crash check sees the damage
    code, err = cli("check", "--month", "2025-10")
    assert code == 2 and "已损坏" in err


# 6 — a refused command leaves every file as it was -------------------------------------------------


@pytest.mark.parametrize("bad", [["--end", "9999-12"], ["--end", "2025-13"], ["--policy", "bogus"]])
def test_demo_refused_on_a_new_file_leaves_no_ledger(cli, db_path, bad):
    before = folder_hashes(db_path.parent)
    code, _out, _err = cli("demo", "--cadres", "3", "--months", "2", *bad)
    assert code != 0
    assert folder_hashes(db_path.parent) == before and not db_path.exists()
    assert cli("demo", "--cadres", "3", "--months", "2", "--end", "2025-12", "--policy", "moe-2019")[0] == 0
    from liaison_desk.ledger import settings

    storage.open_database(db_path)
    assert settings.current_policy().id == "moe-2019"  # the later demo was not kept from its policy


def test_another_programs_database_is_refused_untouched(cli, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('别人的数据')")
    conn.commit()
    conn.close()
    before = folder_hashes(db_path.parent)
    for args in (["check", "--month", "2025-10"], ["verify"],
                 ["cadre", "add", "王芳", "--tier", "leader"], ["init", "--policy", "moe-2019"], ["backup"]):
        code, _out, err = cli(*args)
        assert code == 2, (args, err)
        assert "不是联系工作台的台账" in err, (args, err)
        assert folder_hashes(db_path.parent) == before, args


def test_an_empty_file_is_refused_unless_it_is_init(cli, db_path):
    db_path.write_bytes(b"")
    before = folder_hashes(db_path.parent)
    for args in (["check", "--month", "2025-10"], ["verify"], ["cadre", "add", "王芳", "--tier", "leader"],
                 ["demo", "--cadres", "3", "--months", "2"]):
        code, _out, err = cli(*args)
        assert code == 2 and "空文件" in err, (args, err)
        assert folder_hashes(db_path.parent) == before, args
    assert cli("init", "--policy", "moe-2019")[0] == 0
    assert cli("verify")[0] == 0


def test_a_read_only_command_takes_the_writer_lock_to_migrate(cli, db_path, monkeypatch):
    shutil.copy(V1, db_path)
    holder = LedgerLock(db_path)
    assert holder.acquire()
    monkeypatch.setenv("LIAISON_DESK_LOCK_WAIT", "0.3")
    before = folder_hashes(db_path.parent)
    try:
        for args in (["verify"], ["check", "--term", "2025-2026-1"]):
            code, _out, err = cli(*args)
            assert code == 2 and "正被" in err, args
            assert folder_hashes(db_path.parent) == before, args
    finally:
        holder.release()
    assert cli("verify")[0] == 0  # with the lock free, it migrates (a copy first) and reads
    assert list(db_path.parent.glob("ledger.before-v*.sqlite3"))


def _full_disk(monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    """SQLite's own "database or disk is full" for files whose name contains `marker`."""
    real = sqlite3.connect

    def connect(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real(database, *args, **kwargs)  # type: ignore[arg-type]
        if marker in str(database):
            conn.execute("PRAGMA max_page_count = 3")
        return conn
    monkeypatch.setattr(sqlite3, "connect", connect)


def test_a_backup_on_a_full_disk_leaves_no_part_file(ledger, db_path, monkeypatch, tmp_path):
    folder = folder_of(db_path)
    stale, fresh = folder / "liaison-desk-20250101-000000-daily.sqlite3.part", folder / "other.part"
    stale.write_bytes(b"x" * 1000)
    fresh.write_bytes(b"x")
    old = time.time() - 3 * 3600
    os.utime(stale, (old, old))
    with monkeypatch.context() as m:
        _full_disk(m, ".part")
        with pytest.raises(sqlite3.DatabaseError, match="full"):
            backup.make_backup("daily")
        with pytest.raises(sqlite3.DatabaseError, match="full"):
            backup.make_backup("manual", out=tmp_path / "copy.sqlite3")
    assert sorted(p.name for p in folder.glob("*.part")) == sorted([stale.name, fresh.name])
    assert not list(tmp_path.glob("*.part"))
    backup.make_backup("daily")  # the next good backup cleans up what a failed one left long ago
    assert [p.name for p in folder.glob("*.part")] == [fresh.name]


def test_a_migration_cut_short_leaves_no_copy_under_the_final_name(db_path, monkeypatch):
    shutil.copy(V1, db_path)
    with monkeypatch.context() as m:
        _full_disk(m, ".before-v")
        with pytest.raises((sqlite3.DatabaseError, BadInput)):
            storage.open_database(db_path)
    storage.close_database()
    assert not list(db_path.parent.glob("*.before-v*"))
    killed = db_path.with_name("ledger.before-v4-20250101-000000.sqlite3.part")
    killed.write_bytes(b"SQLite format 3\x00")  # what a kill during the copy leaves
    storage.open_database(db_path)  # and the next start migrates as usual, clearing that
    storage.close_database()
    (copy,) = db_path.parent.glob("*.before-v*")
    assert quick_check(copy) == "ok" and count(copy, "activity") == 456


# 8 — a backup while the program is open ------------------------------------------------------------


def test_backup_works_while_another_program_holds_the_writer_lock(cli, db_path, monkeypatch):
    assert cli(*DEMO)[0] == 0
    holder = LedgerLock(db_path)
    assert holder.acquire()
    monkeypatch.setenv("LIAISON_DESK_LOCK_WAIT", "0.3")
    try:
        code, out, err = cli("backup")
        assert code == 0, err
    finally:
        holder.release()
    (made,) = backup.list_backups(folder_of(db_path))
    assert str(made.path) in out and count(made.path, "activity") == count(db_path, "activity")


# 11 — backup names ---------------------------------------------------------------------------------


def test_backups_in_one_second_are_all_rotated_and_offered(ledger, db_path):
    now = datetime.now()
    made = [backup.make_backup("manual", now=now) for _ in range(3)]
    assert len(set(made)) == 3
    listed = backup.list_backups(folder_of(db_path))
    # newest first, all three (the oldest now compressed: only the newest KEEP_PLAIN stay plain)
    assert [backup_pack.plain_name(b.path) for b in listed] == made[::-1]
    legacy = folder_of(db_path) / f"liaison-desk-{now:%Y%m%d-%H%M%S}-manual-123456.sqlite3"
    shutil.copy(made[-1], legacy)  # as older versions named the second one
    assert legacy in {b.path for b in backup.list_backups(folder_of(db_path))}
    assert backup.newest_good(folder_of(db_path)) is not None


def test_backups_dated_in_the_future_take_no_place_from_todays(tmp_path):
    now = datetime(2026, 11, 27, 12, 0)
    for d in range(12):  # the clock was a year ahead for a while
        (tmp_path / f"liaison-desk-{now + timedelta(days=365 + d):%Y%m%d-%H%M%S}-daily.sqlite3").write_bytes(b"")
    taken = [now - timedelta(hours=3 * i) for i in range(16)][::-1]  # every three hours, two days
    for t in taken:
        (tmp_path / f"liaison-desk-{t:%Y%m%d-%H%M%S}-start.sqlite3").write_bytes(b"")
        backup.rotate(tmp_path, t)
    present = [b for b in backup.list_backups(tmp_path) if b.taken <= now]
    assert len(present) >= backup.KEEP_NEWEST  # not one a day
    assert [b.taken for b in present[:backup.KEEP_NEWEST]] == taken[::-1][:backup.KEEP_NEWEST]
    assert backup.newest_age(tmp_path, now) == timedelta(0)  # the daily backup is not put off a year
