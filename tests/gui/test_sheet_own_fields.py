"""The sheet editor's grid follows the form's columns and their order (issue 16): the sixth
school's one-table form 时间/地点/联系对象/内容/发现问题, typed by keys, edited, undone and pasted
into; the shipped forms keep the grid they had."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sixth_school import use_for_every_tier

from liaison_desk.gui.app import make_app
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.store.models import Activity

from .editor_window import open_editor
from .test_sheet_editor import enter_line, focused, key, type_into

ON_SCREEN = ["类别", "时间", "地点", "联系对象", "内容", "发现问题", "人数", "天数"]


@pytest.fixture
def page(qapp, qtbot, ledger, monkeypatch):
    make_app()
    use_for_every_tier(monkeypatch, ledger)
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_target("计算2501班", "班级")
    add_target("南苑3栋", "宿舍")
    return open_editor(qtbot, "周校长", "2025-10")


def header(page) -> list[str]:
    row = next(r for r, g in enumerate(page.model.lines) if g.kind == "header")
    return [page.model.text(page.model.lines[row], c) for c in range(1, page.model.columnCount())]


def blank_row(page) -> int:
    return next(r for r, g in enumerate(page.model.lines) if g.kind == "blank")


def places():
    return [(a.category, a.date, a.extra, a.target.name if a.target else a.carrier, a.summary, a.problems)
            for a in Activity.select().order_by(Activity.id)]


def test_the_grid_shows_the_forms_columns_in_its_order(page):
    # 类别 first (the paper has none; the rules count by it), then the paper's columns as the form
    # lists them, then what the rules may need that the paper does not print.
    assert header(page) == ON_SCREEN
    assert page.model.lines[0].section_title == "联系学生工作情况"
    assert page.view.currentIndex().column() == 1  # the first cell to type


def test_a_line_typed_by_keys_keeps_its_place(page, qtbot):
    enter_line(qtbot, page, ["进班级", "12", "教学楼A101", "计算2501班", "主题班会", "自习室座位不足"])
    qtbot.waitUntil(lambda: Activity.select().count() == 1, timeout=3000)
    assert places() == [("进班级", date(2025, 10, 12), '{"place":"教学楼A101"}', "计算2501班", "主题班会",
                         "自习室座位不足")]
    row = next(r for r, g in enumerate(page.model.lines) if g.kind == "activity")
    shown = [page.model.text(page.model.lines[row], c) for c in range(1, 7)]
    assert shown == ["进班级", "10月12日", "教学楼A101", "计算2501班", "主题班会", "自习室座位不足"]
    # The place edited in its cell, undone and redone like any other cell.
    place = page.model.index(row, ON_SCREEN.index("地点") + 1)
    page.view.setCurrentIndex(place)
    type_into(qtbot, page, "图书馆报告厅")
    key(qtbot, focused(page), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: Activity.get().extra == '{"place":"图书馆报告厅"}', timeout=2000)
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Activity.get().extra == '{"place":"教学楼A101"}'
    assert page.model.data(place) == "教学楼A101"
    key(qtbot, page.view, Qt.Key.Key_Y, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Activity.get().extra == '{"place":"图书馆报告厅"}'


def test_a_place_too_long_is_marked_on_its_cell_and_not_saved(page, qtbot):
    enter_line(qtbot, page, ["进班级", "12", "楼" * 201])
    qtbot.waitUntil(lambda: Activity.select().count() == 1, timeout=3000)
    place = page.model.index(blank_row(page) - 1, ON_SCREEN.index("地点") + 1)
    assert "地点过长" in page.model.reason(place)
    assert Activity.get().extra is None


def test_lines_pasted_from_excel_land_in_the_forms_columns_and_undo_whole(page, qtbot):
    page.view.setCurrentIndex(page.model.index(blank_row(page), 1))
    page.view.paste("进宿舍\t20\t南苑3栋201\t南苑3栋\t走访宿舍\t热水不稳定\n")
    qtbot.waitUntil(lambda: Activity.select().count() == 1, timeout=3000)
    assert places() == [("进宿舍", date(2025, 10, 20), '{"place":"南苑3栋201"}', "南苑3栋", "走访宿舍", "热水不稳定")]
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Activity.select().count() == 0


def test_the_shipped_forms_keep_their_grid(ledger, qapp, qtbot):
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记")
    page = open_editor(qtbot, "陈书记", "2025-10")
    rows = [r for r, g in enumerate(page.model.lines) if g.kind == "header"]
    assert [[page.model.text(page.model.lines[r], c) for c in range(8)] for r in rows] == [
        ["五个联系", "", "群体名称", "时间", "工作简况", "人数", "天数", "发现问题"],
        ["七个走进", "", "载体名称", "时间", "工作简况", "人数", "天数", "发现问题"],
        ["其他联系活动", "类别", "联系对象", "时间", "工作简况", "人数", "天数", "发现问题"],
    ]
