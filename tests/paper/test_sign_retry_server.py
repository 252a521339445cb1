"""Signing and revising a sheet on a server, when another clerk's transaction collides with them
(a real deadlock on the session's PostgreSQL server, tests/collision.py): the server aborts the
sign (the revision), which is rolled back and run again from the start — one seal, one revision,
and `verify` passes (issue 18)."""

from __future__ import annotations

from datetime import date

from collision import OtherClerk

from liaison_desk.ledger import sealing, settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.paper import sheet as sheet_module
from liaison_desk.paper.signing import sign_sheet
from liaison_desk.store import storage
from liaison_desk.store.models import ChangeLog, Sheet, SheetRevision
from liaison_desk.store.verify import verify


def test_a_sign_and_a_revision_aborted_by_a_deadlock_are_run_again_once(pg, monkeypatch):
    storage.open_database(pg.new_database())
    try:
        policy = settings.init("hnust-2025", "测试大学")
        add_cadre("刘建国", "leader", "校领导班子", "党委书记", "党委书记")
        add_activity(ActivityInput("刘建国", date(2025, 10, 12), "进食堂", summary="食堂就餐"), policy)
        sheet_id = Sheet.get().id

        def hold_the_sheet() -> None:  # waits for the sheet the sign (the revision) has locked
            Sheet.select().where(Sheet.id == sheet_id).for_update().get()

        drawn = []
        pdf = sheet_module.sheet_pdf
        monkeypatch.setattr(sheet_module, "sheet_pdf", lambda *a, **k: drawn.append(1) or pdf(*a, **k))
        with OtherClerk(hold_the_sheet):
            signed = sign_sheet("刘建国", "2025-10")
        assert len(drawn) == 2  # the first attempt was aborted by the server's deadlock check
        sheet = Sheet.get_by_id(sheet_id)
        assert sheet.status == "signed" and bytes(sheet.signed_pdf) == signed.pdf

        reasons = []
        clean = sealing.clean_text
        monkeypatch.setattr(sealing, "clean_text", lambda *a, **k: reasons.append(1) or clean(*a, **k))
        with OtherClerk(hold_the_sheet):
            sealing.revise_sheet("刘建国", "2025-10", "补录一次活动")
        assert len(reasons) == 2
        assert SheetRevision.select().count() == 1
        assert Sheet.get_by_id(sheet_id).status == "draft"
        sheet_updates = ChangeLog.select().where((ChangeLog.table == "sheet") & (ChangeLog.action == "update"))
        assert sheet_updates.count() == 2  # the seal and the revision, each once
        report = verify()
        assert report.ok, report.problems
    finally:
        storage.close_database()
