# ruff: noqa: F811  (the editor fixture is imported from test_sheet_editor)
"""The flows a clerk really uses in the sheet editor (#12), driven through real widgets by keys."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from liaison_desk.gui.sheet_editor import SheetEditor
from liaison_desk.gui.sheet_model import DATE, SUMMARY, TARGET, WARNING
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Activity, Cadre, Sheet

from .test_sheet_editor import current, editor, enter_line, focused, key, saved, tab, type_into  # noqa: F401

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def fields_of(cadre: str, month: str) -> dict:
    sheet = Sheet.get_or_none((Sheet.cadre == Cadre.get(Cadre.name == cadre)) & (Sheet.month == month))
    return json.loads(sheet.fields or "{}") if sheet else {}


def shortcut(qtbot, page, k, modifiers):
    """A key combination as the window system delivers it (shortcuts fire, unlike sendEvent)."""
    qtbot.keyClick(page.window().focusWidget() or page.view, k, modifiers)


def blank_row(page, label):
    return next(r for r, g in enumerate(page.model.lines) if g.label == label and g.kind == "blank")


@pytest.fixture
def two_middle(editor):
    add_cadre("王丽", "middle_head", "学生工作部", "副部长", "学生工作部门")
    add_cadre("赵强", "middle_head", "教务处", "处长", "教学管理部门")
    page = SheetEditor()
    page.resize(1200, 900)
    page.show()
    page.open_sheet("王丽", "2025-10")
    yield page
    page.close()
    page.deleteLater()


# 1. 三特一体 fields stay on the sheet they were typed on -------------------------------------------

@pytest.mark.parametrize("field, keys", [
    ("work", (Qt.Key.Key_PageDown, CTRL)),  # next cadre
    ("carrier_students", (Qt.Key.Key_PageUp, CTRL | SHIFT)),  # previous month
])
def test_a_field_typed_then_switching_sheet_stays_on_its_sheet(two_middle, qtbot, field, keys):
    page = two_middle
    widget = page.field_widgets[field]
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    key(qtbot, widget, Qt.Key.Key_unknown, "王丽本月的内容")
    shortcut(qtbot, page, *keys)
    assert (page.content.cadre, page.content.month) != ("王丽", "2025-10")
    other = (page.content.cadre, page.content.month)
    shown = page.field_widgets[field]
    text = shown.toPlainText() if isinstance(shown, QPlainTextEdit) else shown.text()
    assert text == ""  # the new sheet shows its own (empty) field
    assert fields_of("王丽", "2025-10")[field] == "王丽本月的内容"  # saved where it was typed
    # Going on (and back) never writes the text anywhere else.
    for _ in range(3):
        shortcut(qtbot, page, *keys)
    page.open_sheet("王丽", "2025-10")
    assert fields_of(*other).get(field, "") == ""
    assert sum(1 for s in Sheet.select() if "王丽本月的内容" in (s.fields or "")) == 1
    restored = page.field_widgets[field]
    assert (restored.toPlainText() if isinstance(restored, QPlainTextEdit) else restored.text()) == "王丽本月的内容"


def test_santeyiti_fields_are_gone_on_a_wulian_qijin_sheet(two_middle, qtbot):
    page = two_middle
    work = page.field_widgets["work"]
    work.setFocus()
    qtbot.waitUntil(work.hasFocus, timeout=2000)
    page.open_sheet("陈书记", "2025-10")
    assert page.content.form.id == "wulian-qijin"
    assert page.field_widgets == {}
    assert not page.fields_box.isVisible()
    assert not any(w.isVisible() for w in page.findChildren(QPlainTextEdit))


# 2. A block pasted from an Excel sheet laid out like the paper ----------------------------------

PAPER_BLOCK = "\r\n".join([
    "护理学院党总支\t10.9\t参加党总支中心组学习",
    "护理学院领导班子\t10.10\t出席党政联席会议",
    "护理学生第一党支部\t10.12\t参加组织生活会",
    "基础医学教研室\t10.15\t参加集体备课",
    "王青\t10.20\t谈心，了解职业规划",
    "载体名称\t时间\t工作简况",  # the 七个走进 header row of the Excel sheet
    "思想道德与法治\t10.21\t随堂听课",
    "护理2301班\t10.22\t参加主题班会",
    "南苑3栋\t10.23\t走访宿舍",
    "\t\t",
    "\t\t",
    "\t\t",
    "\t\t",
]) + "\r\n"


def test_a_paper_shaped_block_lands_row_by_row(editor, qtbot):
    page = editor
    page.view.setCurrentIndex(page.model.index(blank_row(page, "党总支"), TARGET))
    QGuiApplication.clipboard().setText(PAPER_BLOCK)
    key(qtbot, page.view, Qt.Key.Key_V, modifiers=CTRL)
    assert saved("联系党总支") == [(date(2025, 10, 9), "护理学院党总支", "参加党总支中心组学习")]
    assert saved("联系院系班子") == [(date(2025, 10, 10), "护理学院领导班子", "出席党政联席会议")]
    assert saved("联系党支部") == [(date(2025, 10, 12), "护理学生第一党支部", "参加组织生活会")]
    assert saved("联系教研室") == [(date(2025, 10, 15), "基础医学教研室", "参加集体备课")]
    assert saved("联系青年教师") == [(date(2025, 10, 20), "王青", "谈心，了解职业规划")]
    assert saved("进课堂") == [(date(2025, 10, 21), "思想道德与法治", "随堂听课")]
    assert saved("进班级") == [(date(2025, 10, 22), "护理2301班", "参加主题班会")]
    assert saved("进宿舍") == [(date(2025, 10, 23), "南苑3栋", "走访宿舍")]
    assert Activity.select().count() == 8
    # One undo takes the data and the screen back together.
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=CTRL)
    assert Activity.select().count() == 0
    assert all(g.kind != "activity" and not g.marks and not g.pending for g in page.model.lines[1:])


def test_a_pasted_line_that_cannot_be_saved_is_never_reported_saved(editor, qtbot):
    page = editor
    page.view.setCurrentIndex(page.model.index(blank_row(page, "党总支"), TARGET))
    QGuiApplication.clipboard().setText("护理学院党总支\t10.9\t参加学习\n护理学院领导班子\t11.40\t出席会议\n")
    key(qtbot, page.view, Qt.Key.Key_V, modifiers=CTRL)
    assert saved("联系党总支")[0][2] == "参加学习"
    assert saved("联系院系班子") == []
    row = blank_row(page, "院系班子")
    assert page.model.reason(page.model.index(row, DATE))  # red, with the reason
    assert "已保存" not in page.status.text() or "未保存" in page.status.text()
    assert "1 行未保存" in page.status.text()
    key(qtbot, page.view, Qt.Key.Key_Z, modifiers=CTRL)
    assert Activity.select().count() == 0
    assert not any(g.marks for g in page.model.lines)  # the red line went with the undo
    key(qtbot, page.view, Qt.Key.Key_Y, modifiers=CTRL)
    assert Activity.select().count() == 1
    assert page.model.reason(page.model.index(blank_row(page, "院系班子"), DATE))


def test_a_paste_that_would_land_on_a_section_title_is_refused_whole(editor, qtbot):
    page = editor
    page.view.setCurrentIndex(page.model.index(blank_row(page, "青年教师"), TARGET))
    QGuiApplication.clipboard().setText("王青\t10.20\t谈心\n思想道德与法治\t10.21\t随堂听课\n")
    key(qtbot, page.view, Qt.Key.Key_V, modifiers=CTRL)
    assert Activity.select().count() == 0
    assert "未粘贴" in page.status.text() and "七个走进" in page.status.text()


def test_a_target_of_the_wrong_kind_is_marked_and_the_mark_stays(editor, qtbot):
    page = editor
    page.view.setCurrentIndex(page.model.index(blank_row(page, "党支部"), TARGET))
    enter_line(qtbot, page, ["基础医学教研室", "12", "参加组织生活会"])
    page.view.setCurrentIndex(page.model.index(blank_row(page, "进宿舍"), TARGET))
    enter_line(qtbot, page, ["北苑9栋", "13", "走访"])
    assert Activity.select().count() == 2

    def mark(label):
        row = next(r for r, g in enumerate(page.model.lines) if g.label == label and g.kind == "activity")
        return page.model.lines[row].marks.get(TARGET)

    assert mark("党支部")[2] == WARNING and "教研室" in mark("党支部")[1]
    assert mark("进宿舍")[2] == WARNING and "名册中没有" in mark("进宿舍")[1]
    page.open_sheet("林处长", "2025-10")
    page.open_sheet("陈书记", "2025-10")  # reopened: the yellow marks are still there
    assert mark("党支部")[2] == WARNING and mark("进宿舍")[2] == WARNING


# 5. Type-ahead ---------------------------------------------------------------------------------

def popup_or_focus(page):
    return QApplication.activePopupWidget() or focused(page)


@pytest.mark.parametrize("accept", [Qt.Key.Key_Tab, Qt.Key.Key_Return])
def test_type_ahead_then_tab_or_enter_takes_the_suggestion(editor, qtbot, accept):
    page = editor
    page.view.setCurrentIndex(page.model.index(blank_row(page, "党支部"), TARGET))
    type_into(qtbot, page, "护")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=2000)
    key(qtbot, popup_or_focus(page), accept)
    if accept == Qt.Key.Key_Return:  # the cell closes (Enter commits once the editor has the key)
        qtbot.waitUntil(lambda: page.view.state() != page.view.State.EditingState, timeout=2000)
    row = blank_row(page, "党支部")
    assert page.model.lines[row].pending.get("target") == "护理学生第一党支部"
    if accept == Qt.Key.Key_Tab:  # on to the date cell, ready for typing
        assert current(page)[1] == DATE and QApplication.activePopupWidget() is None
    assert "名册中没有" not in page.status.text()


def test_an_unknown_name_is_a_deliberate_choice(editor, qtbot):
    page = editor
    page.view.setCurrentIndex(page.model.index(blank_row(page, "党支部"), TARGET))
    type_into(qtbot, page, "护")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=2000)
    key(qtbot, popup_or_focus(page), Qt.Key.Key_Escape)  # close the suggestions, keep what was typed
    key(qtbot, popup_or_focus(page), Qt.Key.Key_Tab)
    row = blank_row(page, "党支部")
    assert page.model.lines[row].pending.get("target") == "护"


# 6. A long session ends with exit status 0 -------------------------------------------------------

def test_quit_after_a_long_session_exits_cleanly(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "LIAISON_DESK_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"}
    script = Path(__file__).with_name("long_session_app.py")
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "ledger.sqlite3"), "300"],
                          env=env, capture_output=True, text=True, timeout=240)
    assert "edits typed: 300" in done.stdout, done.stderr[-2000:]
    assert "Fatal Python error" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 0


# 7. Smaller costs ------------------------------------------------------------------------------

def test_one_enter_per_paper_row_and_shift_enter_for_a_second_line(editor, qtbot):
    page = editor
    enter_line(qtbot, page, ["护理学院党总支", "3", "参加中心组学习"])
    assert (current(page)[0].label, current(page)[1]) == ("院系班子", TARGET)
    enter_line(qtbot, page, ["护理学院领导班子", "8", "出席会议"])
    assert current(page)[0].label == "党支部"
    # A second line in a row: Shift+Enter stays in the row.
    page.view.setCurrentIndex(page.model.index(blank_row(page, "进宿舍"), TARGET))
    for text in ("南苑3栋", "21", "走访宿舍"):
        type_into(qtbot, page, text)
        if text != "走访宿舍":
            tab(qtbot, page)
    key(qtbot, focused(page), Qt.Key.Key_Return, modifiers=SHIFT)
    qtbot.waitUntil(lambda: page.view.state() != page.view.State.EditingState, timeout=2000)
    assert (current(page)[0].label, current(page)[0].kind) == ("进宿舍", "blank")
    enter_line(qtbot, page, ["北苑5栋", "28", "再次走访"])
    assert current(page)[0].label == "进食堂"
    assert [s[1] for s in saved("进宿舍")] == ["南苑3栋", "北苑5栋"]


def test_tab_reaches_the_santeyiti_fields_before_the_grid(two_middle, qtbot):
    page = two_middle
    page.month_edit.setFocus()
    order = []
    widget = page.month_edit
    for _ in range(12):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
        order.append(widget)
        if widget is page.view:
            break
    fields = [page.field_widgets[k] for k in ("specialties:工作职能", "carrier_teachers", "work")]
    positions = [order.index(w) for w in fields]
    assert positions == sorted(positions) and order.index(page.view) > positions[-1]
    assert all(not isinstance(w, QLineEdit) or w in page.field_widgets.values() for w in order[:positions[-1]]
               if w.parent() is page.fields_box)


def test_a_key_jumps_into_the_grid(two_middle, qtbot):
    page = two_middle
    page.field_widgets["work"].setFocus()
    qtbot.waitUntil(page.field_widgets["work"].hasFocus, timeout=2000)
    shortcut(qtbot, page, Qt.Key.Key_G, CTRL)
    assert page.view.hasFocus() and page.view.currentIndex().isValid()


def test_month_starts_at_the_month_just_ended(editor, qtbot):
    from PySide6.QtCore import QSettings
    QSettings().remove("sheet/month")
    page = SheetEditor()
    qtbot.addWidget(page)
    today = date.today()
    ended = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    assert page.content.month == ended.strftime("%Y-%m")


def test_long_names_have_a_tooltip(editor, qtbot):
    page = editor
    long_summary = "走访护理系学生宿舍，与同学们逐一交流学习、生活和就业准备情况，了解到部分宿舍热水供应不稳定"
    enter_line(qtbot, page, ["护理学院党总支", "3", long_summary])
    row = next(r for r, g in enumerate(page.model.lines) if g.kind == "activity")
    for col, text in ((TARGET, "护理学院党总支"), (SUMMARY, long_summary)):
        assert page.model.data(page.model.index(row, col), Qt.ItemDataRole.ToolTipRole) == text


def test_text_typed_just_before_closing_is_saved(two_middle, qtbot):
    page = two_middle
    work = page.field_widgets["work"]
    work.setFocus()
    key(qtbot, work, Qt.Key.Key_unknown, "关窗前刚写的")
    page.window().close()  # within the 0.8 s before typed text is saved by itself
    assert fields_of("王丽", "2025-10")["work"] == "关窗前刚写的"


def test_text_typed_in_a_cell_is_saved_when_ctrl_pgdn_leaves_the_sheet(editor, qtbot):
    """The clerk corrects a line's 工作简况 and goes straight on to the next cadre (Ctrl+PgDn)
    without Tab or Enter: the text in the open cell was thrown away, and the keys went nowhere."""
    page = editor
    enter_line(qtbot, page, ["护理学院党总支", "3", "参加中心组学习"])
    qtbot.waitUntil(lambda: Activity.select().count() == 1)
    row = next(r for r, g in enumerate(page.model.lines) if g.kind == "activity")
    page.activateWindow()  # offscreen, the completer's popup of the line typed leaves none active
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    page.view.setCurrentIndex(page.model.index(row, SUMMARY))
    page.view.setFocus()
    type_into(qtbot, page, "参加中心组学习并讲话")
    assert focused(page) is not page.view  # the cell's editor is open
    shortcut(qtbot, page, Qt.Key.Key_PageDown, CTRL)
    assert page.content.cadre == "林处长"
    assert saved("联系党总支") == [(date(2025, 10, 3), "护理学院党总支", "参加中心组学习并讲话")]
    inside = page.window().focusWidget()
    assert inside is not None and page.isAncestorOf(inside)
    shortcut(qtbot, page, Qt.Key.Key_PageUp, CTRL)
    assert page.content.cadre == "陈书记"
