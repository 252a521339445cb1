"""The sheet editor driven by key events alone, as a clerk types a paper sheet."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

from liaison_desk.gui.app import make_app
from liaison_desk.gui.sheet_editor import SheetEditor
from liaison_desk.gui.sheet_model import DATE, SUMMARY, TARGET
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.store.models import Activity, Sheet

from .editor_window import open_editor


@pytest.fixture
def editor(qapp, qtbot, ledger):
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    add_cadre("林处长", "middle_head", "学生工作部", "部长", "学生工作部门")
    for name, kind in (("护理学院党总支", "党总支"), ("护理学院领导班子", "院系班子"),
                       ("护理学生第一党支部", "党支部"), ("基础医学教研室", "教研室"), ("王青", "青年教师"),
                       ("护理2301班", "班级"), ("南苑3栋", "宿舍"), ("思想道德与法治", "思政课")):
        add_target(name, kind)
    for name in ("护理学院党总支", "护理学院领导班子", "护理学生第一党支部", "基础医学教研室", "王青", "护理2301班"):
        assign("陈书记", name, "2025-2026")
    page = open_editor(qtbot, "陈书记", "2025-10")
    return page


def key(qtbot, widget, k, text="", modifiers=Qt.KeyboardModifier.NoModifier):
    # Only the press: the widget may be an editor that the key closes.
    assert widget is not None, "no widget has the keyboard focus"
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, k, modifiers, text))


def focused(page):
    """The widget with the keyboard focus in the page's window (the cell editor while editing).

    Asked of the window, not the application: offscreen, a completer's popup leaves no window
    active, so QApplication.focusWidget() can be None while the window's focus is where it was.
    """
    widget = page.window().focusWidget()
    return widget if widget is not None else page.view


def type_into(qtbot, page, text):
    """Type a cell's text: the first key starts editing (Chinese goes as a key event's text)."""
    key(qtbot, focused(page), Qt.Key.Key_unknown, text)


def tab(qtbot, page):
    key(qtbot, focused(page), Qt.Key.Key_Tab)


def enter_line(qtbot, page, cells):
    """Type the cells of one line, Tab between them, Enter at the end."""
    for i, text in enumerate(cells):
        if text:
            type_into(qtbot, page, text)
        if i < len(cells) - 1:
            tab(qtbot, page)
    key(qtbot, focused(page), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.view.state() != page.view.State.EditingState, timeout=2000)


def current(page):
    index = page.view.currentIndex()
    return page.model.lines[index.row()], index.column()


def saved(category):
    return [(a.date, a.target.name if a.target else a.carrier, a.summary)
            for a in Activity.select().where(Activity.category == category).order_by(Activity.id)]


def test_a_whole_wulian_qijin_sheet_by_keys_alone(editor, qtbot):
    page = editor
    g, col = current(page)
    assert (g.label, col) == ("党总支", TARGET)  # the first cell the paper asks for
    rows = [("护理学院党总支", "3", "参加中心组学习"), ("护理学院领导班子", "10.8", "出席党政联席会议"),
            ("护理学生第一党支部", "10-12", "参加组织生活会"), ("基础医学教研室", "10月15日", "参加集体备课"),
            ("王青", "2025.10.20", "谈心，了解职业规划")]
    labels = ["党总支", "院系班子", "党支部", "教研室", "青年教师"]
    for (target, when, summary), label in zip(rows, labels, strict=True):
        assert (current(page)[0].label, current(page)[1]) == (label, TARGET)
        enter_line(qtbot, page, [target, when, summary])  # one Enter: on to the next row of the paper
    assert (current(page)[0].label, current(page)[1]) == ("进课堂", TARGET)
    qtbot.waitUntil(lambda: Activity.select().count() == 5, timeout=3000)
    assert saved("联系党总支") == [(date(2025, 10, 3), "护理学院党总支", "参加中心组学习")]
    assert saved("联系院系班子") == [(date(2025, 10, 8), "护理学院领导班子", "出席党政联席会议")]
    assert saved("联系党支部")[0][:2] == (date(2025, 10, 12), "护理学生第一党支部")
    assert saved("联系教研室")[0][0] == date(2025, 10, 15)
    assert saved("联系青年教师") == [(date(2025, 10, 20), "王青", "谈心，了解职业规划")]
    # Now the 七个走进: jump to the 进宿舍 row and enter two visits into the same row.
    row = next(r for r, g in enumerate(page.model.lines) if g.label == "进宿舍" and g.kind == "blank")
    page.view.setCurrentIndex(page.model.index(row, TARGET))
    enter_line(qtbot, page, ["南苑3栋", "21", "走访宿舍，了解热水供应"])
    row = next(r for r, g in enumerate(page.model.lines) if g.label == "进宿舍" and g.kind == "blank")
    page.view.setCurrentIndex(page.model.index(row, TARGET))
    enter_line(qtbot, page, ["北苑5栋", "28", "再次走访"])
    assert [s[1] for s in saved("进宿舍")] == ["南苑3栋", "北苑5栋"]
    assert len([g for g in page.model.lines if g.label == "进宿舍"]) == 3  # two saved and a blank
    assert Activity.get(Activity.carrier == "北苑5栋").face_to_face


def test_bad_date_is_marked_on_the_cell_and_nothing_is_saved(editor, qtbot):
    page = editor
    enter_line(qtbot, page, ["护理学院党总支", "11.3", "参加中心组学习"])
    assert Activity.select().count() == 0
    row = next(r for r, g in enumerate(page.model.lines) if g.label == "党总支")
    index = page.model.index(row, DATE)
    assert "不在本表月份" in page.model.reason(index)
    assert page.model.data(index) == "11.3"
    page.view.setCurrentIndex(index)
    assert "不在本表月份" in page.status.text()
    # Correcting the date saves the line with what was typed before.
    type_into(qtbot, page, "3")
    key(qtbot, focused(page), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: Activity.select().count() == 1, timeout=2000)
    assert saved("联系党总支") == [(date(2025, 10, 3), "护理学院党总支", "参加中心组学习")]
    assert page.model.reason(page.model.index(row, DATE)) == ""


def test_undo_and_redo_every_edit(editor, qtbot):
    page = editor
    enter_line(qtbot, page, ["护理学院党总支", "3", "参加中心组学习"])
    qtbot.waitUntil(lambda: Activity.select().count() == 1)
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Activity.get().summary == ""
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Activity.select().count() == 0
    key(qtbot, page.view, Qt.Key.Key_Y, modifiers=Qt.KeyboardModifier.ControlModifier)
    key(qtbot, page.view, Qt.Key.Key_Y, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert saved("联系党总支") == [(date(2025, 10, 3), "护理学院党总支", "参加中心组学习")]
    # Deleting a line is undoable too.
    row = next(r for r, g in enumerate(page.model.lines) if g.kind == "activity")
    page.view.setCurrentIndex(page.model.index(row, SUMMARY))
    key(qtbot, page.view, Qt.Key.Key_Delete, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Activity.select().count() == 0
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert saved("联系党总支")[0][2] == "参加中心组学习"


def test_paste_a_block_copied_from_a_spreadsheet(editor, qtbot):
    page = editor
    row = next(r for r, g in enumerate(page.model.lines) if g.label == "进宿舍" and g.kind == "blank")
    page.view.setCurrentIndex(page.model.index(row, TARGET))
    QGuiApplication.clipboard().setText("南苑3栋\t10月12日\t走访宿舍\t\t\t热水不稳定\r\n"
                                        "北苑5栋\t10.19\t再次走访\t6\r\n")
    key(qtbot, page.view, Qt.Key.Key_V, modifiers=Qt.KeyboardModifier.ControlModifier)
    # Each pasted line goes on the row of the form it lands on: the second one on 进食堂.
    assert saved("进宿舍") == [(date(2025, 10, 12), "南苑3栋", "走访宿舍")]
    assert saved("进食堂") == [(date(2025, 10, 19), "北苑5栋", "再次走访")]
    assert Activity.get(Activity.carrier == "北苑5栋").people == 6
    assert Activity.get(Activity.summary == "走访宿舍").problems == "热水不稳定"
    # One undo takes the whole paste back.
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Activity.select().count() == 0
    # Copy gives tab-separated text back.
    key(qtbot, page.view, Qt.Key.Key_Y, modifiers=Qt.KeyboardModifier.ControlModifier)
    row = next(r for r, g in enumerate(page.model.lines) if g.label == "进宿舍")
    page.view.setCurrentIndex(page.model.index(row, TARGET))
    key(qtbot, page.view, Qt.Key.Key_C, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "南苑3栋\n"


def test_a_santeyiti_sheet_by_keys(editor, qtbot):
    page = editor
    page.open_sheet("林处长", "2025-10")
    assert page.title.text() == "中层干部“三特一体”工作记录表"
    checks = [page.field_widgets[f"specialties:{o}"] for o in ("工作职能", "业务主体", "个人专长")]
    for check in (checks[0], checks[2]):  # a check box toggles when Space is released
        check.setFocus()
        qtbot.keyClick(check, Qt.Key.Key_Space)
    teachers = page.field_widgets["carrier_teachers"]
    teachers.setFocus()
    key(qtbot, teachers, Qt.Key.Key_unknown, "护理系青年教师党员")
    key(qtbot, teachers, Qt.Key.Key_Tab)
    work = page.field_widgets["work"]
    work.setFocus()
    key(qtbot, work, Qt.Key.Key_unknown, "走访学生宿舍，协调后勤解决热水问题。")
    page.save_text_fields()
    sheet = Sheet.get(Sheet.month == "2025-10")
    import json
    fields = json.loads(sheet.fields)
    assert fields["specialties"] == ["工作职能", "个人专长"]
    assert fields["carrier_teachers"] == "护理系青年教师党员"
    assert fields["work"] == "走访学生宿舍，协调后勤解决热水问题。"
    # The month's activities go in the grid under 工作内容, in the form's column order.
    page.view.setFocus()
    row = next(r for r, g in enumerate(page.model.lines) if g.kind == "blank")
    header = page.model.lines.index(next(g for g in page.model.lines if g.kind == "header"))
    assert [page.model.text(page.model.lines[header], c) for c in range(1, 8)] == [
        "时间", "类别", "联系对象", "工作简况", "人数", "天数", "发现问题"]
    page.view.setCurrentIndex(page.model.index(row, 1))
    enter_line(qtbot, page, ["8", "进宿舍", "南苑3栋", "走访宿舍"])
    assert saved("进宿舍") == [(date(2025, 10, 8), "南苑3栋", "走访宿舍")]


def test_a_signed_sheet_opens_read_only_and_says_so(editor, qtbot):
    page = editor
    enter_line(qtbot, page, ["护理学院党总支", "3", "参加中心组学习"])
    Sheet.update(status="signed").execute()
    page.open_sheet("陈书记", "2025-10")
    assert page.banner.isVisible() and "签字封存" in page.banner.text()
    row = next(r for r, g in enumerate(page.model.lines) if g.kind == "activity")
    index = page.model.index(row, SUMMARY)
    assert not page.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    page.view.setCurrentIndex(index)
    type_into(qtbot, page, "改动")
    assert Activity.get().summary == "参加中心组学习"


def test_target_cell_offers_the_cadres_assigned_targets_first(editor):
    from liaison_desk.gui.sheet_view import SheetDelegate
    page = editor
    add_target("护理2302班", "班级")
    row = next(r for r, g in enumerate(page.model.lines) if g.label == "进班级" and g.kind == "blank")
    words = SheetDelegate(page.model).suggestions(page.model.index(row, TARGET))
    assert words[0] == "护理2301班" and "护理2302班" in words  # assigned first, then the roster's
    row = next(r for r, g in enumerate(page.model.lines) if g.label == "党总支")
    assert SheetDelegate(page.model).suggestions(page.model.index(row, TARGET)) == ["护理学院党总支"]


def test_last_cadre_and_month_are_remembered(editor, qtbot):
    editor.open_sheet("林处长", "2025-11")
    again = SheetEditor()
    qtbot.addWidget(again)
    assert again.content.cadre == "林处长" and again.content.month == "2025-11"


def test_qt_dialogs_speak_chinese(editor):
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
