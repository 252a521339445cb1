"""An import that collides with another clerk's write on a server is run again, whole, and lands
exactly once (issue 18). The collision is a real deadlock on the session's PostgreSQL server: the
other clerk holds the change log's lock and then adds the same cadre's sheet for the month that
the import has just added; the server aborts the import, which is rolled back and run again."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from collision import OtherClerk
from openpyxl import Workbook

from liaison_desk.excel import import_ledger, importing
from liaison_desk.ledger import settings
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import changelog, storage
from liaison_desk.store.models import Activity, Cadre, ChangeLog, Sheet
from liaison_desk.store.records import as_dict
from liaison_desk.store.sql import insert_one
from liaison_desk.store.verify import verify

ROWS = 30


def workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "日期", "类别", "工作简况", "人数"])
    for i in range(ROWS):
        ws.append(["刘建国", date(2025, 10, 1 + i % 28).isoformat(), "进食堂", f"食堂就餐 {i}", 3])
    wb.save(path)
    return path


def test_an_import_aborted_by_a_deadlock_is_run_again_and_lands_once(pg, tmp_path, monkeypatch):
    url = pg.new_database()
    storage.open_database(url)
    try:
        policy = settings.init("hnust-2025", "测试大学")
        cadre = add_cadre("刘建国", "leader", "校领导班子", "党委书记", "党委书记")
        path = workbook(tmp_path / "十月.xlsx")

        attempts = []
        write = import_ledger.ActivitiesImport.write

        def counted(self, progress=None):  # noqa: ANN001, ANN202
            attempts.append(1)
            return write(self, progress)
        monkeypatch.setattr(import_ledger.ActivitiesImport, "write", counted)

        def add_the_same_sheet() -> None:  # waits for the import's uncommitted sheet
            sheet_id = insert_one("sheet", {"cadre_id": cadre.id, "month": "2025-10",
                                            "form": policy.forms[Cadre.get_by_id(cadre.id).tier], "status": "draft",
                                            "fields": "{}", "content_hash": "", "revision": 0})
            changelog.record("insert", "sheet", sheet_id, None, as_dict(Sheet.get_by_id(sheet_id)))

        with OtherClerk(add_the_same_sheet):
            p = importing.import_file("activities", path)

        assert len(attempts) == 2  # the first was aborted by the server's deadlock check
        assert p.written and p.added == ROWS
        assert Activity.select().count() == ROWS
        assert Sheet.select().count() == 1  # the other clerk's, which the second run found there
        entries = list(ChangeLog.select())
        assert sum(1 for e in entries if e.action == "import") == 1
        inserts = Counter((e.table, e.row_id) for e in entries if e.action == "insert")
        assert all(inserts[("activity", str(a.id))] == 1 for a in Activity.select())
        assert max(inserts.values()) == 1
        report = verify()
        assert report.ok, report.problems
    finally:
        storage.close_database()
