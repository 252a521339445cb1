"""A ledger written by the first released schema (tests/data/ledger-v1.sqlite3, made by the v1
program with demo data and a hand-entered activity) upgrades with every row kept."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from liaison_desk.ledger import settings
from liaison_desk.ledger.sheets import load_sheet
from liaison_desk.rules.compliance import check
from liaison_desk.store import storage
from liaison_desk.store.models import Cadre, SchemaVersion
from liaison_desk.store.verify import verify
from tests.store.test_log_reencode import new_entries, old_entries

V1 = Path(__file__).resolve().parents[1] / "data" / "ledger-v1.sqlite3"
V1_TABLES = ["setting", "unit", "cadre", "target", "assignment", "activity", "sheet", "problem", "term",
             "change_log"]


def rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in V1_TABLES}
    finally:
        conn.close()


def test_a_version_1_ledger_upgrades_keeping_every_row(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    shutil.copy(V1, path)
    before = rows(path)
    assert len(before["activity"]) == 456 and len(before["cadre"]) == 8

    storage.open_database(path)
    try:
        assert SchemaVersion.get().version == storage.SCHEMA_VERSION
        after = rows(path)
        for table in V1_TABLES[:-1]:
            width = len(before[table][0]) if before[table] else 0  # columns added later come last
            assert [r[:width] for r in after[table]] == before[table], table
        assert all(r[-1] is None for r in after["activity"])  # v8's activity.extra: none yet
        # The log only grows: its v1 entries say what they said (re-encoded by v6, see
        # test_log_reencode), the upgrade's baseline follows them.
        assert new_entries()[:len(before["change_log"])] == old_entries(V1)
        backups = list(tmp_path.glob("ledger.before-v*.sqlite3"))
        assert backups and rows(backups[0]) == before
        # The upgraded ledger works: it verifies, opens sheets, checks rules.
        report = verify()
        assert report.ok, report.problems[:3]
        assert settings.school_name() == "湖南科技大学"
        cadre = Cadre.select().first()
        assert load_sheet(cadre.id, "2025-10", settings.current_policy()).lines
        assert check("term", "2025-2026-1", as_of=settings.get_term("2025-2026-1").end)
    finally:
        storage.close_database()
