"""Data safety: verify finds changes made outside the program, backups rotate and restore,
one writer at a time."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from ledger_files import outside

from liaison_desk.calendar import Term
from liaison_desk.errors import BadInput
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import (
    ActivityInput,
    add_activity,
    delete_activity,
    restore_activity,
    update_activity,
)
from liaison_desk.ledger.roster import add_cadre, add_target, assign, remove_assignment, set_signature, update_cadre
from liaison_desk.ledger.sheets import set_field
from liaison_desk.store import backup, storage
from liaison_desk.store.models import Activity, Cadre
from liaison_desk.store.safety import LedgerLock, quick_check
from liaison_desk.store.verify import verify


@pytest.fixture
def busy(ledger):
    """A ledger with every kind of write done through the services."""
    national_day = (date(2025, 10, 1), date(2025, 10, 8))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18), (national_day,)))
    settings.set_school_name("测试学院")
    c = add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    add_target("护理2301班", "班级", "护理学院")
    add_target("南苑3栋", "宿舍")
    assign("陈书记", "护理2301班", "2025-2026", "名誉班主任")
    a = assign("陈书记", "南苑3栋", "2025-2026")
    remove_assignment(a.id)
    update_cadre(c.id, {"position": "党委书记、校长"})
    set_signature(c.id, b"\x89PNG\r\n\x1a\n" + b"1" * 64)
    x = add_activity(ActivityInput("陈书记", date(2025, 10, 12), "进宿舍", target="南苑3栋", people=5), ledger)
    update_activity(x.id, {"summary": "走访宿舍", "days": 0.5, "face_to_face": False}, ledger)
    y = add_activity(ActivityInput("林处长", date(2025, 10, 13), "谈心谈话", people=2), ledger)
    restore_activity(delete_activity(y.id), ledger)
    z = add_activity(ActivityInput("林处长", date(2025, 10, 14), "进食堂"), ledger)
    delete_activity(z.id)
    set_field(2, "2025-10", "work", "协调热水问题", ledger)
    return ledger


def test_writes_through_the_program_verify(busy):
    report = verify()
    assert report.ok, report.problems
    assert report.checked_rows > 10


def tamper(db_path: Path, sql: str) -> None:
    storage.close_database()
    raw = outside(db_path)
    raw.execute(sql)
    raw.commit()
    raw.close()
    storage.open_database(db_path)


@pytest.mark.parametrize("sql, finding", [
    ("UPDATE activity SET summary = '伪造的走访' WHERE id = 1", "活动 #1 与变更日志第"),
    ("UPDATE cadre SET position = '校长' WHERE name = '陈书记'", "干部 #1 与变更日志第"),
    ("DELETE FROM activity WHERE id = 2", "活动 #2 依日志第"),
    ("INSERT INTO unit (name, kind) VALUES ('虚构部门', '')", "没有变更日志记录"),
    ("UPDATE setting SET value = '改过的学校' WHERE key = 'school_name'", "设置 #school_name"),
    ("UPDATE change_log SET actor = 'someone' WHERE id = 3", "变更日志第 3 条的校验值不符"),
    ("DELETE FROM change_log WHERE id = 5", "变更日志第 6 条的校验值不符"),
])
def test_a_row_changed_outside_the_program_is_found(busy, db_path, sql, finding):
    tamper(db_path, sql)
    report = verify()
    assert not report.ok
    assert any(finding in p for p in report.problems), report.problems


def test_verify_command_names_the_first_bad_entry(busy, db_path, cli):
    storage.close_database()
    assert cli("verify")[0] == 0
    tamper(db_path, "UPDATE activity SET people = 50 WHERE id = 1")
    storage.close_database()
    code, _out, err = cli("verify")
    assert code == 2 and "活动 #1 与变更日志第" in err and "在程序之外被改动" in err


@pytest.mark.sqlite_only("backups of the file (a server ledger: copy)")
def test_backup_rotation_keeps_recent_ones_and_thins_out_older(tmp_path):
    now = datetime(2026, 11, 27, 12, 0)
    stamps = [now - timedelta(hours=h) for h in range(0, 24 * 400, 6)]  # every six hours for 400 days
    for t in stamps:
        (tmp_path / f"liaison-desk-{t:%Y%m%d-%H%M%S}-daily.sqlite3").write_bytes(b"")
    backup.rotate(tmp_path, now)
    kept = backup.list_backups(tmp_path)
    ages = [(now - b.taken) for b in kept]
    assert len([a for a in ages if a <= timedelta(hours=60)]) == 10  # the newest ten, all kept
    days = {b.taken.date() for b in kept if now - b.taken <= timedelta(days=14)}
    assert len(days) == 15  # then one a day
    older = [b for b in kept if timedelta(days=14) < now - b.taken <= timedelta(weeks=8)]
    assert len({tuple(b.taken.isocalendar())[:2] for b in older}) == len(older)  # one a week
    assert len(kept) < 60 and min(b.taken for b in kept) < now - timedelta(days=300)


@pytest.mark.sqlite_only("backups of the file (a server ledger: copy)")
def test_backup_and_restore_round_trip(busy, db_path, tmp_path):
    copy = backup.make_backup("manual", out=tmp_path / "copy.sqlite3")
    assert quick_check(copy) == "ok"
    add_activity(ActivityInput("陈书记", date(2025, 11, 2), "进食堂", summary="备份之后的记录"), busy)
    safety = backup.restore(copy)
    assert not Activity.select().where(Activity.summary == "备份之后的记录").exists()
    assert Cadre.select().count() == 2
    assert verify().ok
    # The content that restore replaced was kept first.
    back = sqlite3.connect(safety)
    assert back.execute("SELECT count(*) FROM activity WHERE summary = '备份之后的记录'").fetchone()[0] == 1
    back.close()


@pytest.mark.sqlite_only("backups of the file (a server ledger: copy)")
def test_restore_refuses_a_file_that_is_not_a_good_backup(busy, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(BadInput):
        backup.restore(bad)
    with pytest.raises(BadInput, match="不存在"):
        backup.restore(tmp_path / "missing.sqlite3")
    assert Cadre.select().count() == 2


def test_a_server_address_is_never_taken_for_a_file(tmp_path, monkeypatch):
    """The file-only machinery refuses a server's address (given as text or made a Path) instead
    of making a folder `postgresql:` with lock, marker or empty database files under it."""
    from liaison_desk.store import safety

    monkeypatch.chdir(tmp_path)
    url = "postgresql://liaison@127.0.0.1:5432/ledger"
    for target in (url, Path(url)):
        for step in (safety.LedgerLock, safety.mark_open, safety.mark_closed, safety.was_closed_cleanly,
                     safety.quick_check, safety.reading_connection):
            with pytest.raises(BadInput, match="服务器台账的地址"):
                step(target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.sqlite_only("the writer lock file (a server serialises its writers)")
def test_one_writer_at_a_time(db_path, cli, monkeypatch):
    assert cli("init", "--policy", "moe-2019")[0] == 0
    holder = LedgerLock(db_path)
    assert holder.acquire()
    monkeypatch.setenv("LIAISON_DESK_LOCK_WAIT", "0.3")
    code, _out, err = cli("cadre", "add", "王芳", "--tier", "leader")
    assert code == 2 and "正被" in err
    assert cli("verify")[0] == 0  # reading needs no lock
    holder.release()
    assert cli("cadre", "add", "王芳", "--tier", "leader")[0] == 0


def test_a_signed_sheet_is_sealed_until_revised(busy):
    from liaison_desk.ledger.sealing import revise_sheet, revisions_between
    from liaison_desk.store.models import Sheet, SheetRevision

    sheet = Sheet.get(Sheet.month == "2025-10", Sheet.cadre == 1)
    Sheet.update(status="signed", content_hash="abc", signed_pdf=b"%PDF-1.7 signed",
                 signed_at=datetime(2025, 11, 3, 9, 0)).where(Sheet.id == sheet.id).execute()
    activity = Activity.get(Activity.cadre == 1)
    with pytest.raises(BadInput, match="封存"):
        update_activity(activity.id, {"summary": "改"}, busy)
    with pytest.raises(BadInput, match="修订原因"):
        revise_sheet("陈书记", "2025-10", "  ")
    revision = revise_sheet("陈书记", "2025-10", "补录漏记的一次走访")
    sheet = Sheet.get_by_id(sheet.id)
    assert (sheet.status, sheet.revision, sheet.signed_pdf, sheet.content_hash) == ("draft", 1, None, "")
    kept = SheetRevision.get_by_id(revision.id)
    assert kept.voided_pdf == b"%PDF-1.7 signed" and kept.voided_hash == "abc"
    update_activity(activity.id, {"summary": "补录后修改"}, busy)
    listed = revisions_between(date(2025, 9, 1), date(2026, 1, 18))
    assert [(r.cadre, r.month, r.reason) for r in listed] == [("陈书记", "2025-10", "补录漏记的一次走访")]
    with pytest.raises(BadInput, match="尚未签字"):
        revise_sheet("陈书记", "2025-10", "再修订")
    report = verify()
    assert report.ok, report.problems


def test_sign_refuses_edits_until_sheet_revise(cli, db_path, tmp_path):
    assert cli("init", "--policy", "fjwsxy-2021")[0] == 0
    assert cli("cadre", "add", "陈书记", "--tier", "leader", "--position", "党委书记")[0] == 0
    assert cli("activity", "add", "陈书记", "--date", "2025-10-12", "--category", "进食堂")[0] == 0
    assert cli("sign", "--cadre", "陈书记", "--month", "2025-10")[0] == 0
    code, _, err = cli("activity", "add", "陈书记", "--date", "2025-10-13", "--category", "进宿舍")
    assert code == 2 and "封存" in err
    code, _, err = cli("sheet", "revise", "--cadre", "陈书记", "--month", "2025-10")
    assert code == 2 and "修订原因" in err
    code, out, _ = cli("sheet", "revise", "--cadre", "陈书记", "--month", "2025-10", "--reason", "补录一次走访")
    assert code == 0 and "原签字作废" in out
    assert cli("activity", "add", "陈书记", "--date", "2025-10-13", "--category", "进宿舍")[0] == 0
    code, _, err = cli("sheet", "revise", "--cadre", "陈书记", "--month", "2025-10", "--reason", "再次")
    assert code == 2 and "尚未签字" in err
    assert cli("sheet", "--cadre", "陈书记", "--month", "2025-10", "--out", str(tmp_path / "s.pdf"))[0] == 0
    assert cli("verify")[0] == 0
    # The term summary lists the revision, for the party committee to see.
    assert cli("term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18")[0] == 0
    assert cli("problem", "add", "宿舍漏水", "--date", "2025-10-03", "--unit", "后勤保障处",
               "--raised-by", "张同学")[0] == 0
    out = tmp_path / "term.pdf"
    assert cli("report", "term", "--term", "2025-2026-1", "--out", str(out), "--as-of", "2026-01-20")[0] == 0
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "记录表修订" in text and "补录一次走访" in text
    assert "按承办部门" in text and "后勤保障处" in text
    assert "张同学" not in text  # who raised a problem is personal data
