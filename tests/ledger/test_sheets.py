"""A cadre's month sheet as content, and the edits the sheet editor makes through the core."""

from datetime import date

import pytest

from liaison_desk.errors import BadInput
from liaison_desk.ledger.activities import (
    ActivityInput,
    add_activity,
    delete_activity,
    is_unknown_target,
    restore_activity,
    update_activity,
)
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.ledger.sheets import load_sheet, set_field
from liaison_desk.store import changelog
from liaison_desk.store.models import Activity, Sheet


@pytest.fixture
def roster(ledger):
    leader = add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    middle = add_cadre("林处长", "middle_head", "学生工作部", "部长", "学生工作部门")
    add_target("护理学院党总支", "党总支")
    add_target("护理2301班", "班级")
    add_target("南苑3栋", "宿舍")
    assign("陈书记", "护理学院党总支", "2025-2026")
    assign("陈书记", "护理2301班", "2025-2026")
    return leader, middle


def test_a_leaders_sheet_is_the_wulian_qijin_form_with_its_lines(ledger, roster):
    leader, _ = roster
    add_activity(ActivityInput("陈书记", date(2025, 10, 20), "进宿舍", target="南苑3栋"), ledger)
    add_activity(ActivityInput("陈书记", date(2025, 10, 3), "进宿舍", carrier="北苑5栋"), ledger)
    add_activity(ActivityInput("陈书记", date(2025, 10, 9), "谈心谈话", summary="与学生谈心"), ledger)
    add_activity(ActivityInput("陈书记", date(2025, 11, 1), "进宿舍"), ledger)
    content = load_sheet(leader.id, "2025-10", ledger)
    assert content.form.id == "wulian-qijin" and content.position == "党委书记"
    assert [ln.target for ln in content.lines_of("进宿舍")] == ["北苑5栋", "南苑3栋"]  # by date
    assert [ln.category for ln in content.other_lines()] == ["谈心谈话"]
    assert content.assigned_names(("党总支",)) == ["护理学院党总支"]


def test_a_middle_cadres_sheet_is_santeyiti_and_keeps_its_fields(ledger, roster):
    _, middle = roster
    set_field(middle.id, "2025-10", "specialties", ["工作职能", "个人专长"], ledger)
    set_field(middle.id, "2025-10", "work", "走访学生宿舍，协调解决热水问题。", ledger)
    content = load_sheet(middle.id, "2025-10", ledger)
    assert content.form.id == "santeyiti"
    assert content.fields == {"specialties": ["工作职能", "个人专长"], "work": "走访学生宿舍，协调解决热水问题。"}
    with pytest.raises(BadInput):
        set_field(middle.id, "2025-10", "specialties", ["会唱歌"], ledger)
    with pytest.raises(BadInput):
        set_field(middle.id, "2025-10", "no_such_field", "x", ledger)


def test_cell_edits_are_checked_logged_and_undoable(ledger, roster):
    a = add_activity(ActivityInput("陈书记", date(2025, 10, 20), "进宿舍"), ledger)
    update_activity(a.id, {"target": "南苑3栋", "summary": "走访宿舍", "people": 6}, ledger)
    a = Activity.get_by_id(a.id)
    assert (a.target.name, a.carrier, a.summary, a.people) == ("南苑3栋", "", "走访宿舍", 6)
    update_activity(a.id, {"target": "北苑5栋"}, ledger)
    a = Activity.get_by_id(a.id)
    assert a.target is None and a.carrier == "北苑5栋"
    assert is_unknown_target("北苑5栋", "进宿舍") and not is_unknown_target("第一食堂", "进食堂")
    with pytest.raises(BadInput):
        update_activity(a.id, {"people": -1}, ledger)
    assert Activity.get_by_id(a.id).people == 6
    values = delete_activity(a.id)
    assert not Activity.select().exists()
    back = restore_activity(values, ledger)
    assert back.id == a.id and back.carrier == "北苑5栋"
    assert changelog.verify_chain() is None


def test_a_signed_month_refuses_edits(ledger, roster):
    a = add_activity(ActivityInput("陈书记", date(2025, 10, 20), "进宿舍"), ledger)
    Sheet.update(status="signed").execute()
    for attempt in (lambda: update_activity(a.id, {"summary": "改"}, ledger),
                    lambda: delete_activity(a.id),
                    lambda: add_activity(ActivityInput("陈书记", date(2025, 10, 21), "进食堂"), ledger),
                    lambda: update_activity(a.id, {"date": date(2025, 11, 2)}, ledger)):
        with pytest.raises(BadInput, match="封存"):
            attempt()
    assert Activity.get_by_id(a.id).summary == ""


def test_roster_edits_are_checked_and_logged(ledger, roster):
    from liaison_desk.ledger.roster import remove_assignment, roster_list, set_signature, update_cadre, update_target
    from liaison_desk.store.models import Assignment, Cadre, ChangeLog
    leader, middle = roster
    update_cadre(leader.id, {"position": "党委书记、校长", "tags": "党委书记，校长", "unit": "校领导班子"})
    c = Cadre.get_by_id(leader.id)
    assert c.position == "党委书记、校长" and c.tag_set == {"党委书记", "校长"}
    with pytest.raises(BadInput, match="已存在"):
        update_cadre(leader.id, {"name": "林处长"})
    with pytest.raises(BadInput):
        update_cadre(leader.id, {"tier": "大领导"})
    with pytest.raises(BadInput, match="PNG"):
        set_signature(leader.id, b"GIF89a....")
    set_signature(leader.id, b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert Cadre.get_by_id(leader.id).signature is not None
    target = update_target(1, {"name": "护理学院党委"})
    assert target.name == "护理学院党委"
    rows = roster_list("2025-2026", [("党总支",), ("班级", "社团"), ("宿舍",)])
    assert [(c.name, cols) for c, cols in rows][0] == ("陈书记", [["护理学院党委"], ["护理2301班"], []])
    remove_assignment(Assignment.select().first().id)
    assert Assignment.select().count() == 1
    assert ChangeLog.select().where(ChangeLog.table == "assignment", ChangeLog.action == "delete").count() == 1
    assert changelog.verify_chain() is None
