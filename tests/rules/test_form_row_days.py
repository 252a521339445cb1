"""A half day on site typed where the paper has it — the 院系班子 row of the 五联七进 sheet, 天数
0.5 — counts toward fjwsxy-2021's 每月驻点办公0.5天, and prints on that row (issue 12, defect 4)."""

from __future__ import annotations

from datetime import date

import pytest

from liaison_desk.gui.app import make_app
from liaison_desk.gui.sheet_model import DATE, DAYS, SUMMARY, TARGET, SheetModel
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.ledger.sheets import load_sheet
from liaison_desk.paper.sheet_content import month_sheets
from liaison_desk.rules.compliance import check
from liaison_desk.store.models import Activity


@pytest.fixture
def leader(ledger):
    add_cadre("林院长", "leader", "院领导班子", "院长")
    for name, kind in (("护理系领导班子", "院系班子"), ("药学系领导班子", "院系班子")):
        add_target(name, kind)
    assign("林院长", "护理系领导班子", "2025-2026")
    return ledger


def onsite(month: str):
    found = [r for r in check("month", month, as_of=date(2026, 1, 31))
             if r.rule == "onsite-office-monthly"]
    assert len(found) == 1
    return found[0]


def row_add(category: str, day: date, target: str, days: float | None, summary: str = "") -> None:
    add_activity(ActivityInput("林院长", day, category, target=target, days=days, summary=summary),
                 settings.current_policy())


def test_days_on_the_college_team_row_count_as_time_on_site(leader):
    row_add("联系院系班子", date(2025, 10, 16), "护理系领导班子", 0.5, "在护理系驻点办公半天")
    result = onsite("2025-10")
    assert (result.actual, result.status) == (0.5, "met")
    # Only the cadre's own college team counts, and a line without days counts nothing (and says so).
    row_add("联系院系班子", date(2025, 11, 6), "药学系领导班子", 1.0)
    row_add("联系院系班子", date(2025, 11, 20), "护理系领导班子", None, "出席党政联席会议")
    nov = onsite("2025-11")
    assert (nov.actual, nov.status) == (0, "short") and "未填天数" in nov.detail
    # The 驻点办公 category still counts too, added to the row's days.
    row_add("驻点办公", date(2025, 12, 4), "护理系领导班子", 0.25)
    row_add("联系院系班子", date(2025, 12, 18), "护理系领导班子", 0.25)
    assert (onsite("2025-12").actual, onsite("2025-12").status) == (0.5, "met")


def test_the_half_day_prints_on_the_college_team_row(leader):
    row_add("联系院系班子", date(2025, 10, 16), "护理系领导班子", 0.5, "在护理系驻点办公半天")
    sheet = month_sheets("2025-10")[0]
    rows = {r.label: r for s in sheet.sections for r in s.rows}
    line = rows["院系班子"].lines[0]
    assert line.target == "护理系领导班子" and "0.5天" in line.text("summary")
    others = [s for s in sheet.sections if s.section.kind == "activities"]
    assert all(not s.lines for s in others)


def test_typed_in_the_editor_grid_on_the_college_team_row(qapp, leader):
    """The grid's 院系班子 row with 天数 0.5, as the clerk fills it, is what the rule counts."""
    make_app()
    from PySide6.QtGui import QUndoStack

    model = SheetModel(leader, QUndoStack())
    model.load(load_sheet(1, "2025-10", leader))
    row = next(i for i, g in enumerate(model.lines) if g.kind == "blank" and g.label == "院系班子")
    for col, text in ((TARGET, "护理系领导班子"), (DATE, "16"), (SUMMARY, "驻点办公半天"), (DAYS, "0.5")):
        assert model.setData(model.index(row, col), text)
    a = Activity.get()
    assert (a.category, a.target.name, a.days) == ("联系院系班子", "护理系领导班子", 0.5)
    assert onsite("2025-10").status == "met"
