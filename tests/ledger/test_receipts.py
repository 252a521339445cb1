"""`sheet received`: a monthly paper sheet recorded as received, what the rules make of it, the
batch forms, and bad input refused with nothing changed (issue 12, defect 3)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from ledger_files import dump

from liaison_desk.store import changelog, storage
from liaison_desk.store.models import ChangeLog, Sheet
from liaison_desk.store.sql import run


@pytest.fixture
def office(cli):
    assert cli("init", "--policy", "fjwsxy-2021", "--school", "福建卫生职业技术学院")[0] == 0
    assert cli("term", "set", "2026-2027-1", "--start", "2026-09-01", "--end", "2027-01-17")[0] == 0
    for name, tier, unit in (("王丽", "middle_head", "护理学院"), ("李强", "middle_deputy", "护理学院"),
                             ("赵红", "middle_head", "药学院")):
        assert cli("cadre", "add", name, "--tier", tier, "--unit", unit)[0] == 0
    return cli


def monthly_sheet(cli, cadre: str, month: str = "2026-10", as_of: str = "2026-11-30") -> dict:
    code, out, err = cli("check", "--month", month, "--cadre", cadre, "--as-of", as_of, "--format", "json")
    assert code == 0, err
    return next(r for r in json.loads(out) if r["rule"] == "middle-monthly-sheet")


def received(db_path, cadre: str, month: str = "2026-10") -> str | None:
    storage.open_database(db_path)
    try:
        row = run(
            "SELECT s.submitted_on FROM sheet s JOIN cadre c ON c.id = s.cadre_id WHERE c.name = ? AND s.month = ?",
            (cadre, month)).fetchone()
        return str(row[0]) if row and row[0] else None
    finally:
        storage.close_database()


def test_a_sheet_received_in_time_meets_the_monthly_sheet_rule(office, db_path):
    assert monthly_sheet(office, "王丽")["status"] == "short"
    code, out, _ = office("sheet", "received", "--cadre", "王丽", "--month", "2026-10", "--date", "2026-11-05")
    assert code == 0 and "已登记收到" in out and "2026-11-05" in out
    result = monthly_sheet(office, "王丽")
    assert result["status"] == "met" and "2026-11-05" in result["detail"]
    # As of a day before it came in, the ledger shows it as not yet in.
    assert monthly_sheet(office, "王丽", as_of="2026-11-04")["status"] == "open"
    # Received after the 10th: late, and the rule says so.
    assert office("sheet", "received", "--cadre", "赵红", "--month", "2026-10", "--date", "2026-11-20")[0] == 0
    late = monthly_sheet(office, "赵红")
    assert late["status"] == "short" and "逾期" in late["detail"]


def test_the_receipt_is_logged_and_verify_agrees(office, db_path):
    assert office("sheet", "received", "--cadre", "王丽", "--month", "2026-10", "--date", "2026-11-05")[0] == 0
    storage.open_database(db_path)
    try:
        sheet = Sheet.get()
        entry = ChangeLog.select().where((ChangeLog.table == "sheet") & (ChangeLog.action == "update")).get()
        assert changelog.decoded(entry).after["submitted_on"] == "2026-11-05"
        assert changelog.decoded(entry).before["submitted_on"] is None and entry.row_id == str(sheet.id)
    finally:
        storage.close_database()
    code, out, _ = office("verify")
    assert code == 0, out


def test_batch_for_a_unit_and_for_everyone_never_moves_a_date_already_recorded(office, db_path):
    assert office("sheet", "received", "--cadre", "王丽", "--month", "2026-10", "--date", "2026-11-03")[0] == 0
    code, out, _ = office("sheet", "received", "--unit", "护理学院", "--month", "2026-10", "--date", "2026-11-06")
    assert code == 0 and "1 份" in out and "此前已登记" in out
    assert received(db_path, "王丽") == "2026-11-03" and received(db_path, "李强") == "2026-11-06"
    assert received(db_path, "赵红") is None
    code, out, _ = office("sheet", "received", "--all", "--month", "2026-10", "--date", "2026-11-08")
    assert code == 0 and "1 份" in out
    assert [received(db_path, n) for n in ("王丽", "李强", "赵红")] == ["2026-11-03", "2026-11-06", "2026-11-08"]
    # Without a date, one cadre's receipt is not moved either; with one, it is corrected.
    code, out, _ = office("sheet", "received", "--cadre", "王丽", "--month", "2026-10")
    assert code == 0 and "未改动" in out and received(db_path, "王丽") == "2026-11-03"
    code, out, _ = office("sheet", "received", "--cadre", "王丽", "--month", "2026-10", "--date", "2026-11-02")
    assert code == 0 and "已更正" in out and received(db_path, "王丽") == "2026-11-02"
    code, out, _ = office("sheet", "received", "--cadre", "王丽", "--month", "2026-10", "--clear")
    assert code == 0 and "已撤销" in out and received(db_path, "王丽") is None


@pytest.mark.parametrize("args, words", [
    (("--cadre", "王丽", "--month", "2026-10", "--date", "2026-09-30"), "早于"),
    (("--cadre", "王丽", "--month", "2026-10", "--date", "2999-01-01"), "晚于今天"),
    (("--cadre", "王丽", "--month", "2026-10", "--date", "2026/11/05"), "不是有效日期"),
    (("--cadre", "王丽", "--month", "2026-13"), "月份"),
    (("--cadre", "无此人", "--month", "2026-10"), "未找到干部"),
    (("--unit", "无此部门", "--month", "2026-10"), "未找到部门"),
    (("--month", "2026-10"), "三者选一"),
    (("--cadre", "王丽", "--all", "--month", "2026-10"), "三者选一"),
    (("--all", "--month", "2026-10", "--clear"), "--clear"),
])
def test_bad_input_exits_2_in_chinese_and_changes_nothing(office, db_path, args, words):
    assert office("sheet", "received", "--all", "--month", "2026-10", "--date", "2026-11-05")[0] == 0
    before = dump(db_path)
    code, out, err = office("sheet", "received", *args)
    assert code == 2 and words in err and out == ""
    assert dump(db_path) == before


def test_receipt_options_are_refused_on_other_sheet_actions(office, db_path, tmp_path):
    before = dump(db_path)
    code, _out, err = office("sheet", "--month", "2026-10", "--all", "--date", "2026-11-05",
                             "--out", str(tmp_path / "a.pdf"))
    assert code == 2 and "--date 只用于 sheet received" in err
    assert dump(db_path) == before


def test_the_month_list_shows_each_cadre_with_the_paper_received_or_not(office, db_path):
    from liaison_desk.ledger.receipts import month_list

    assert office("sheet", "received", "--unit", "药学院", "--month", "2026-10", "--date", "2026-11-05")[0] == 0
    storage.open_database(db_path)
    try:
        rows = {s.cadre: (s.status, s.received) for s in month_list("2026-10")}
    finally:
        storage.close_database()
    assert rows == {"王丽": ("", None), "李强": ("", None), "赵红": ("draft", date(2026, 11, 5))}


def test_a_signed_sheet_can_be_received_and_stays_sealed(office, db_path):
    assert office("activity", "add", "王丽", "--date", "2026-10-12", "--category", "谈心谈话",
                  "--carrier", "护理2301班学生", "--summary", "谈心")[0] == 0
    code, _out, err = office("sign", "--cadre", "王丽", "--month", "2026-10")
    assert code == 0, err
    assert office("sheet", "received", "--cadre", "王丽", "--month", "2026-10", "--date", "2026-11-04")[0] == 0
    assert received(db_path, "王丽") == "2026-11-04"
    storage.open_database(db_path)
    try:
        from liaison_desk.paper.sheet_content import sheet_content

        content = sheet_content("王丽", "2026-10")
        assert content.signed and content.intact
    finally:
        storage.close_database()
    assert office("verify")[0] == 0
