"""A form's own fields (地点) kept with each activity (issue 16): added, changed, undone, read
back on the sheet, logged so that `verify` holds, and typed on the command line."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sixth_school import register, use_for_every_tier

from liaison_desk.errors import BadInput
from liaison_desk.ledger.activities import (
    ActivityInput,
    add_activity,
    delete_activity,
    restore_activity,
    update_activity,
)
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.ledger.sheets import load_sheet
from liaison_desk.store import changelog
from liaison_desk.store.models import Activity, Cadre, ChangeLog
from liaison_desk.store.verify import verify


@pytest.fixture
def school(ledger, monkeypatch):
    policy = use_for_every_tier(monkeypatch, ledger)
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_target("计算2501班", "班级")
    return policy


def test_a_place_goes_in_by_label_or_key_and_comes_back_on_the_sheet(school):
    a = add_activity(ActivityInput("周校长", date(2025, 10, 12), "进班级", target="计算2501班", summary="主题班会",
                                   extra={"地点": " 教学楼A101 "}), school)
    assert Activity.get_by_id(a.id).extra == '{"place":"教学楼A101"}'  # one canonical spelling
    b = add_activity(ActivityInput("周校长", date(2025, 10, 20), "进宿舍", extra={"place": "南苑3栋"}), school)
    none = add_activity(ActivityInput("周校长", date(2025, 10, 21), "进食堂"), school)
    assert Activity.get_by_id(none.id).extra is None
    content = load_sheet(Cadre.get().id, "2025-10", school)
    assert content.form.id == "sixth-school-form"
    assert [ln.value("place") for ln in content.lines] == ["教学楼A101", "南苑3栋", ""]
    assert b.id in [ln.activity_id for ln in content.lines]


def test_a_change_is_logged_undone_and_verify_holds(school):
    a = add_activity(ActivityInput("周校长", date(2025, 10, 12), "进班级", extra={"地点": "教学楼A101"}), school)
    update_activity(a.id, {"extra": {"place": "图书馆报告厅"}}, school)
    entry = ChangeLog.select().where(ChangeLog.table == "activity").order_by(ChangeLog.id.desc()).first()
    assert changelog.decoded(entry).before["extra"] == '{"place":"教学楼A101"}'
    assert changelog.decoded(entry).after["extra"] == '{"place":"图书馆报告厅"}'
    update_activity(a.id, {"extra": {"place": ""}}, school)  # emptied: no field left
    assert Activity.get_by_id(a.id).extra is None
    update_activity(a.id, {"extra": {"地点": "教学楼A101"}}, school)
    values = delete_activity(a.id)
    restore_activity(values, school)  # undo of a delete keeps the place
    assert Activity.get_by_id(a.id).extra == '{"place":"教学楼A101"}'
    report = verify()
    assert report.ok, report.problems


def test_a_field_no_form_declares_is_refused_and_nothing_is_written(school):
    with pytest.raises(BadInput, match="未知的活动栏目“房间”.*地点（place）"):
        add_activity(ActivityInput("周校长", date(2025, 10, 12), "进班级", extra={"房间": "101"}), school)
    with pytest.raises(BadInput, match="地点含有换行"):
        add_activity(ActivityInput("周校长", date(2025, 10, 12), "进班级", extra={"地点": "一楼\n二楼"}), school)
    with pytest.raises(BadInput, match="地点过长"):
        add_activity(ActivityInput("周校长", date(2025, 10, 12), "进班级", extra={"地点": "楼" * 201}), school)
    assert Activity.select().count() == 0


@pytest.mark.sqlite_only("the file changed with sqlite3")
def test_a_change_made_outside_the_program_is_found_by_verify(school, db_path):
    add_activity(ActivityInput("周校长", date(2025, 10, 12), "进班级", extra={"地点": "教学楼A101"}), school)
    conn = sqlite3.connect(db_path)
    conn.execute("""UPDATE activity SET extra = '{"place":"别处"}'""")
    conn.commit()
    conn.close()
    assert any("在程序之外被改动" in p for p in verify().problems)


def test_the_command_line_takes_fields_by_label(cli, ledger, monkeypatch):
    register(monkeypatch)
    assert cli("cadre", "add", "周校长", "--tier", "leader")[0] == 0
    code, _out, err = cli("activity", "add", "周校长", "--date", "2025-10-12", "--category", "进班级",
                          "--carrier", "计算2501班", "--field", "地点=教学楼A101")
    assert code == 0, err
    assert Activity.get().extra == '{"place":"教学楼A101"}'
    for bad, reason in (("房间=101", "未知的活动栏目“房间”"), ("地点", "应写成 栏目=内容")):
        code, _out, err = cli("activity", "add", "周校长", "--date", "2025-10-13", "--category", "进班级",
                              "--field", bad)
        assert code == 2 and reason in err, err
    assert Activity.select().count() == 1
    code, _out, err = cli("verify")
    assert code == 0, err
