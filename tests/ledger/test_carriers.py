"""联系载体 typed on a 三特一体 sheet are the cadre's 联系安排 for that academic year, through the
roster, logged; taken out again (or undone) they go, unless entered in 名册 or named on another
sheet of the year (issue 12, defect 7's last point)."""

from __future__ import annotations

from datetime import date

import pytest

from liaison_desk.ledger.carriers import CARRIER_ROLE
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.ledger.sheets import set_field
from liaison_desk.rules.compliance import check
from liaison_desk.store import changelog
from liaison_desk.store.models import Assignment, Cadre, ChangeLog
from liaison_desk.store.verify import verify


@pytest.fixture
def middle(ledger):
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    for name, kind in (("护理2301班", "班级"), ("护理系教工党支部", "党支部"), ("基础医学教研室", "教研室"),
                       ("南苑3栋", "宿舍")):
        add_target(name, kind)
    return Cadre.get(Cadre.name == "林处长").id


def linked(year: str = "2025-2026") -> dict[str, str]:
    return {a.target.name: a.role for a in Assignment.select().where(Assignment.year == year)}


def test_carriers_on_the_sheet_become_the_years_assignments(middle, ledger):
    said = set_field(middle, "2025-10", "carrier_students", "护理2301班、南苑3栋、青协社团", ledger)
    assert linked() == {"护理2301班": CARRIER_ROLE, "南苑3栋": CARRIER_ROLE}
    assert "已列入 2025-2026 学年联系安排：护理2301班、南苑3栋" in said and "青协社团" in said
    said = set_field(middle, "2025-10", "carrier_teachers", "护理系教工党支部 基础医学教研室", ledger)
    assert set(linked()) == {"护理2301班", "南苑3栋", "护理系教工党支部", "基础医学教研室"}
    # Logged as roster writes; the ledger verifies.
    inserts = ChangeLog.select().where((ChangeLog.table == "assignment") & (ChangeLog.action == "insert"))
    assert sorted(changelog.decoded(e).after["role"] for e in inserts) == [CARRIER_ROLE] * 4
    assert verify().ok
    # The rule that needs a carrier is met by them, for the year of the sheet's month.
    registered = [r for r in check("year", "2025-2026", as_of=date(2026, 8, 31))
                  if r.rule == "middle-contacts-registered"]
    assert [(r.actual, r.status) for r in registered] == [(4, "met")]
    # A sheet of September starts the next academic year.
    set_field(middle, "2026-09", "carrier_students", "护理2301班", ledger)
    assert linked("2026-2027") == {"护理2301班": CARRIER_ROLE}


def test_a_carrier_taken_out_goes_unless_named_elsewhere_or_entered_in_the_roster(middle, ledger):
    assign("林处长", "南苑3栋", "2025-2026", "宿舍联系人")  # entered in 名册 by the clerk
    set_field(middle, "2025-10", "carrier_students", "护理2301班、南苑3栋", ledger)
    set_field(middle, "2025-11", "carrier_students", "护理2301班", ledger)
    assert linked() == {"护理2301班": CARRIER_ROLE, "南苑3栋": "宿舍联系人"}
    set_field(middle, "2025-10", "carrier_students", "", ledger)  # November still names the class
    assert linked() == {"护理2301班": CARRIER_ROLE, "南苑3栋": "宿舍联系人"}
    said = set_field(middle, "2025-11", "carrier_students", "", ledger)
    assert linked() == {"南苑3栋": "宿舍联系人"} and "去掉：护理2301班" in said
    deleted = ChangeLog.select().where((ChangeLog.table == "assignment") & (ChangeLog.action == "delete")).get()
    assert changelog.decoded(deleted).before["role"] == CARRIER_ROLE and verify().ok


def test_names_of_another_kind_or_ambiguous_are_reported_not_guessed(middle, ledger):
    add_target("护理2301班", "社团")  # a club of the same name as the class
    said = set_field(middle, "2025-10", "carrier_teachers", "护理2301班", ledger)  # a class is no teacher group
    assert linked() == {} and "不在名册中（或类别不符）" in said
    said = set_field(middle, "2025-10", "carrier_students", "护理2301班", ledger)
    assert linked() == {} and "多个同名" in said


def test_other_fields_do_not_touch_the_roster(middle, ledger):
    assert set_field(middle, "2025-10", "work", "护理2301班宿舍热水问题已协调", ledger) == ""
    assert linked() == {}
