"""The 三特一体 sheet's 联系载体 boxes, typed by keys: the names become the cadre's 联系安排, the
status line says so, and undo takes them back (issue 12, defect 7's last point)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from liaison_desk.gui.app import make_app
from liaison_desk.ledger.carriers import CARRIER_ROLE
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.store.models import Assignment

from .editor_window import open_editor


def press(widget, k, text="", modifiers=Qt.KeyboardModifier.NoModifier):
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, k, modifiers, text))


@pytest.fixture
def editor(qapp, qtbot, ledger):
    make_app()
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    add_target("护理2301班", "班级")
    page = open_editor(qtbot, "林处长", "2025-10", focus_grid=False)
    return page


def test_carriers_typed_in_the_students_box_become_assignments_and_undo_takes_them_back(editor, qtbot):
    box = editor.field_widgets["carrier_students"]
    box.setFocus()
    press(box, Qt.Key.Key_unknown, "护理2301班、青协")
    press(box, Qt.Key.Key_Return)
    assert [(a.target.name, a.year, a.role) for a in Assignment.select()] == [("护理2301班", "2025-2026", CARRIER_ROLE)]
    assert "已列入 2025-2026 学年联系安排：护理2301班" in editor.status.text()
    assert "青协" in editor.status.text()
    editor.view.setFocus()
    press(editor.view, Qt.Key.Key_Z, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert Assignment.select().count() == 0
    assert editor.field_widgets["carrier_students"].text() == ""
