from datetime import date

import pytest
from ledger_files import outside

from liaison_desk.errors import BadInput
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import changelog, storage
from liaison_desk.store.models import Activity, ChangeLog, SchemaVersion


@pytest.mark.sqlite_only("SQLite's PRAGMAs")
def test_database_is_wal_with_foreign_keys_and_a_schema_version(ledger, db_path):
    conn = storage.db.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert SchemaVersion.get().version == storage.SCHEMA_VERSION


def test_a_newer_schema_is_refused(ledger, db_path):
    SchemaVersion.update(version=storage.SCHEMA_VERSION + 1).execute()
    storage.close_database()
    with pytest.raises(BadInput, match="比本程序新"):
        storage.open_database(db_path)


@pytest.mark.sqlite_only("a file that is not a database")
def test_not_a_database_is_bad_input(tmp_path):
    path = tmp_path / "note.sqlite3"
    path.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(BadInput, match="不是有效的数据库"):
        storage.open_database(path)


def test_every_write_is_logged_and_the_chain_verifies(ledger):
    add_cadre("王芳", "leader", "校领导班子", "校长", "校长")
    add_activity(ActivityInput("王芳", date(2025, 10, 12), "进食堂", summary="与学生共进午餐"), ledger)
    tables = [e.table for e in ChangeLog.select().order_by(ChangeLog.id)]
    assert tables.count("cadre") == 1 and "activity" in tables and "sheet" in tables
    assert changelog.verify_chain() is None


def test_a_change_log_entry_edited_outside_the_program_breaks_the_chain(ledger, db_path):
    add_cadre("王芳", "leader")
    add_cadre("李强", "middle_head")
    victim = ChangeLog.select().order_by(ChangeLog.id.desc()).first()
    storage.close_database()
    raw = outside(db_path)
    raw.execute("UPDATE change_log SET after = replace(after, '李强', '李刚') WHERE id = ?", (victim.id,))
    raw.commit()
    raw.close()
    storage.open_database(db_path)
    assert changelog.verify_chain() == victim.id


def test_a_failed_write_leaves_nothing_behind(ledger):
    add_cadre("王芳", "leader")
    before = (Activity.select().count(), ChangeLog.select().count())
    with pytest.raises(BadInput):
        add_activity(ActivityInput("王芳", date(2025, 10, 12), "进宿舍", people=-1), ledger)
    with pytest.raises(BadInput):
        add_activity(ActivityInput("王芳", date(2025, 10, 12), "进宿舍", target="不存在的宿舍"), ledger)
    assert (Activity.select().count(), ChangeLog.select().count()) == before


def test_settings_keep_the_policy_copy_and_terms(ledger):
    assert settings.current_policy() == ledger
    with pytest.raises(BadInput, match="已初始化"):
        settings.init("moe-2019")
    from liaison_desk.calendar import Term
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    with pytest.raises(BadInput, match="重叠"):
        settings.set_term(Term("2025-2026-2", date(2026, 1, 10), date(2026, 7, 5)))
    assert settings.term_of(date(2025, 12, 1)).id == "2025-2026-1"
    assert settings.term_of(date(2026, 2, 1)) is None


def test_bulk_log_entries_chain_on_from_single_ones(ledger):
    from liaison_desk.store.models import db
    add_cadre("王芳", "leader")
    with db.atomic():
        changelog.record_many([("insert", "activity", i, None, {"n": i}) for i in range(50)])
    add_cadre("李强", "leader")
    assert ChangeLog.select().where(ChangeLog.table == "activity").count() == 50
    assert changelog.verify_chain() is None
