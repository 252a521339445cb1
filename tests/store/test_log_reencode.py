"""The change log's compact form (issue 17): a ledger written by schema version 5 is re-encoded
entry by entry, proven to say what it said, and refused untouched when its old log was changed;
台账校验码 printed before still verify after; the same write logs the same bytes whatever form its
values come in.

tests/data/ledger-v5.sqlite3 was made by the v5 program (the release before this change):
`liaison-desk demo --cadres 4 --months 2 --seed 3 --end 2025-11 --policy hnust-2025`, then an
activity added (people, days 0.5, face to face, a quote in its summary), changed (days 1.0),
another deleted, the school name changed, and October's monthly report printed (its code,
1826-8C0D-0C0B-3588, kept in the ledger's anchor table).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from liaison_desk.store import anchor, changelog, storage
from liaison_desk.store.models import Anchor, ChangeLog
from liaison_desk.store.verify import verify

V5 = Path(__file__).resolve().parents[1] / "data" / "ledger-v5.sqlite3"
PRINTED = "1826-8C0D-0C0B-3588"  # on October's monthly report, printed by the v5 program
ENTRIES = 1827


def run(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LIAISON_DESK_LOCK_WAIT": "1"})


@pytest.fixture
def v5(tmp_path: Path) -> Path:
    path = tmp_path / "v5" / "ledger.sqlite3"
    path.parent.mkdir()
    shutil.copy(V5, path)
    return path


def old_entries(path: Path) -> list[tuple]:
    """The v5 log as a reader sees it: (id, time, actor, action, table, row, before, after)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, at, actor, action, table_name, row_id, before, after FROM change_log "
                            "ORDER BY id").fetchall()
    finally:
        conn.close()
    return [(i, datetime.fromisoformat(at), who, action, table, row_id,
             json.loads(b) if b else None, json.loads(a) if a else None)
            for i, at, who, action, table, row_id, b, a in rows]


def new_entries() -> list[tuple]:
    return [(e.id, e.at, e.actor, e.action, e.table, e.row_id, e.before, e.after)
            for e in map(changelog.decoded, ChangeLog.select().order_by(ChangeLog.id))]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_v5_ledger_is_reencoded_entry_by_entry_and_verifies(v5):
    before = old_entries(v5)
    assert len(before) == ENTRIES
    storage.open_database(v5)
    try:
        after = new_entries()
        assert after[:ENTRIES] == before  # each entry says what it said: time, who, what, values
        assert verify().ok, verify().problems[:3]
        # The proof kept: the old head, as a 台账校验码 logged in the new chain.
        old_head = Anchor.select().order_by(Anchor.id.desc()).first()
        assert old_head.entries == ENTRIES and "重新编码" in old_head.what
        assert after[ENTRIES][3:5] == ("insert", "anchor")
        assert len(bytes(ChangeLog.get_by_id(1).hash)) == 32
    finally:
        storage.close_database()
    assert list(v5.parent.glob("ledger.before-v*.sqlite3")), "a copy is made before migrating"
    assert v5.stat().st_size < V5.stat().st_size


def test_codes_printed_before_the_reencoding_still_verify_and_a_wrong_one_fails(v5):
    conn = sqlite3.connect(v5)
    head = conn.execute("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    head_code = anchor.Head(head[0], head[1]).code  # what a report printed last would show
    result = run(v5, "verify", "--anchor", PRINTED, "--anchor", head_code)  # migrates, then checks
    assert result.returncode == 0, result.stderr
    assert f"台账校验码 {PRINTED} 在今天的日志链中" in result.stdout
    wrong = PRINTED[:-1] + ("9" if PRINTED[-1] != "9" else "8")
    result = run(v5, "verify", "--anchor", wrong)
    assert result.returncode == 2 and f"台账校验码 {wrong} 与今天台账第 1,826 条日志不符" in result.stderr


def test_a_code_printed_before_catches_a_rewrite_after_the_reencoding(v5):
    from tests.store.test_anchor import recompute_chain

    assert run(v5, "verify").returncode == 0  # migrated
    conn = sqlite3.connect(v5)
    entry, after = conn.execute("SELECT id, after FROM change_log WHERE table_name = 'activity' "
                                "AND row_id = '1'").fetchone()
    conn.execute("UPDATE change_log SET after = ? WHERE id = ?", (after.replace("2025-", "2024-", 1), entry))
    conn.execute("UPDATE activity SET date = replace(date, '2025-', '2024-') WHERE id = 1")
    recompute_chain(conn)  # the new chain recomputed, the kept old prefixes left as they were
    conn.close()
    assert run(v5, "verify").returncode == 0  # the file alone cannot tell
    result = run(v5, "verify", "--anchor", PRINTED)
    assert result.returncode == 2 and "改写" in result.stderr


@pytest.mark.parametrize("sql, entry", [
    ("UPDATE change_log SET after = replace(after, '走访宿舍', '伪造走访') WHERE id = 1824", 1824),
    ("UPDATE change_log SET actor = 'someone' WHERE id = 40", 40),
    ("DELETE FROM change_log WHERE id = 700", 701),
])
def test_a_v5_log_changed_outside_the_program_is_refused_before_reencoding(v5, sql, entry):
    conn = sqlite3.connect(v5)
    conn.execute(sql)
    conn.commit()
    conn.close()
    unchanged = digest(v5)
    result = run(v5, "verify")
    assert result.returncode == 2
    assert f"变更日志第 {entry:,} 条" in result.stderr and "未做任何改动" in result.stderr
    assert digest(v5) == unchanged
    assert not list(v5.parent.glob("ledger.before-v*")), "no copy left of a file nothing was done to"


@pytest.mark.sqlite_only("v5 backup files (server ledgers start at v6)")
def test_a_v5_backup_can_still_be_verified_and_restored(v5, tmp_path, ledger, db_path):
    storage.close_database()
    result = run(db_path, "verify", str(v5))
    assert result.returncode == 0, result.stderr
    result = run(db_path, "restore", str(v5))
    assert result.returncode == 0, result.stderr
    assert run(db_path, "verify", "--anchor", PRINTED).returncode == 0


@pytest.mark.sqlite_only("v5 backup files (server ledgers start at v6)")
def test_a_v5_backup_whose_log_was_changed_is_refused_by_verify_and_restore(v5, ledger, db_path):
    storage.close_database()
    conn = sqlite3.connect(v5)
    conn.execute("UPDATE change_log SET actor = 'someone' WHERE id = 40")
    conn.commit()
    conn.close()
    ours = digest(db_path)
    for command in ("verify", "restore"):
        result = run(db_path, command, str(v5))
        assert result.returncode == 2
        assert f"备份 {v5.name} 不能使用：变更日志第 40 条" in result.stderr, result.stderr
    assert digest(db_path) == ours


WRITE = {"id": 7, "cadre": 1, "date": "2025-10-12", "category": "进宿舍", "target": None, "carrier": "",
         "summary": "走访", "people": 40, "days": 0.5, "face_to_face": 1, "problems": "",
         "created_at": "2025-10-12 08:00:00", "updated_at": "2025-10-12 08:30:00.250000"}
AS_OBJECTS = {**WRITE, "date": date(2025, 10, 12), "days": Decimal("0.5"), "face_to_face": True,
              "created_at": datetime(2025, 10, 12, 8, 0), "updated_at": datetime(2025, 10, 12, 8, 30, 0, 250000)}


def test_the_same_write_logs_the_same_bytes_whatever_form_its_values_come_in(ledger):
    """SQLite hands back text dates and 0/1, PostgreSQL date objects, booleans and Decimals."""
    a = changelog.record("update", "activity", 7, WRITE, {**WRITE, "people": 41})
    b = changelog.record("update", "activity", 7, AS_OBJECTS, {**AS_OBJECTS, "people": 41})
    c = changelog.record("update", "activity", 7, {**WRITE, "days": 0.5, "created_at": "2025-10-12T08:00:00"},
                         {**AS_OBJECTS, "people": 41, "days": Decimal("0.50")})
    stored = [(e.layout, e.before, e.after) for e in (a, b, c)]
    assert stored[0] == stored[1] == stored[2]
    assert '"2025-10-12 08:00:00"' in a.before and "true" in a.before and "0.5" in a.before
    assert changelog.canonical(Decimal("3"), "") == 3 and changelog.canonical(2, "float") == 2.0
    assert changelog.canonical(b"\x89PNG", "blob") == changelog.canonical(memoryview(b"\x89PNG"), "blob")


@pytest.mark.sqlite_only("the file changed with sqlite3")
def test_a_bulk_write_packs_whole_blocks_and_a_changed_pack_breaks_the_chain(ledger, db_path):
    from liaison_desk.store import logpack
    from liaison_desk.store.models import LogPack

    count = logpack.BLOCK + 10
    entries = [("insert", "probe", i, None, {"n": i, "text": f"第{i}条", "on": date(2025, 10, 1)})
               for i in range(count)]
    changelog.record_many(entries)
    assert LogPack.select().count() == 1 and verify().ok
    logged = [e for e in ChangeLog.select().order_by(ChangeLog.id) if e.table == "probe"]
    assert [changelog.decoded(e).after for e in logged] == [
        {"n": i, "on": "2025-10-01", "text": f"第{i}条"} for i in range(count)]
    assert logged[0].after is None and logged[-1].after is not None  # packed, then plain
    storage.close_database()
    conn = sqlite3.connect(db_path)
    data = bytearray(conn.execute("SELECT data FROM change_log_pack").fetchone()[0])
    import zstandard
    text = zstandard.ZstdDecompressor().decompress(bytes(data)).decode().replace("第7条", "第8条")
    conn.execute("UPDATE change_log_pack SET data = ?", (zstandard.ZstdCompressor().compress(text.encode()),))
    conn.commit()
    conn.close()
    result = run(db_path, "verify")
    assert result.returncode == 2 and f"变更日志第 {logged[7].id} 条的校验值不符" in result.stderr


@pytest.mark.parametrize("cut, warned", [(0, False), (3, True)])
def test_a_reencoded_ledger_is_compared_with_its_v5_backup_when_opened(v5, cut, warned):
    """The newest backup was taken by the v5 program: the re-encoded ledger continues it (no
    warning), unless entries were cut off the ledger before the upgrade."""
    from liaison_desk.store import backup

    folder = backup.backup_folder(v5)
    shutil.copy(v5, folder / f"liaison-desk-{datetime.now():%Y%m%d-%H%M%S}-close.sqlite3")
    if cut:
        conn = sqlite3.connect(v5)
        conn.execute("DELETE FROM change_log WHERE id > ?", (ENTRIES - cut,))
        conn.execute("DELETE FROM anchor")  # its entry is among those cut off
        conn.commit()
        conn.close()
    result = run(v5, "cadre", "add", "林处长", "--tier", "middle_head")
    assert result.returncode == 0, result.stderr
    assert ("比最新备份" in result.stderr) == warned, result.stderr


def test_rows_logged_as_inserted_tuples_are_stored_as_their_dicts_would_be(ledger):
    """An import logs its 100,000 new rows as tuples (no dict per row): the same stored values,
    whatever form each value comes in, and a chain that verifies."""
    keys = tuple(AS_OBJECTS)
    rows = [tuple({**AS_OBJECTS, "id": 100 + i, "people": None if i % 3 else i, "days": [None, 1, 0.5][i % 3],
                   "face_to_face": [True, 1, None][i % 3], "updated_at": WRITE["updated_at"]}[k] for k in keys)
            for i in range(30)]
    changelog.record_many([("insert", "activity", r[0], None, dict(zip(keys, r, strict=True))) for r in rows])
    changelog.record_many([("update", "activity", 7, WRITE, {**WRITE, "people": 41})],
                          changelog.Inserted("activity", keys, rows))
    logged = list(ChangeLog.select().where(ChangeLog.table == "activity").order_by(ChangeLog.id))
    by_dicts, as_tuples = logged[:30], logged[31:]
    assert logged[30].action == "update" and len(as_tuples) == 30
    assert [(e.action, e.row_id, e.layout, e.before, e.after) for e in as_tuples] == [
        (e.action, e.row_id, e.layout, e.before, e.after) for e in by_dicts]
    assert changelog.decoded(as_tuples[1]).after["face_to_face"] is True
    assert changelog.verify_chain() is None  # (the rows themselves were never written: no verify())
