"""Two clerks on one sheet (issue 18): a cell saved over an activity another clerk changed since
the grid showed it is refused, saying who and when, and F5 shows the other clerk's value. Runs on
SQLite and, with LIAISON_TEST_DB=postgresql, on the session's server."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from liaison_desk.gui.app import make_app
from liaison_desk.gui.sheet_model import SUMMARY
from liaison_desk.ledger.activities import ActivityInput, add_activity, update_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Activity

from .editor_window import open_editor


def press(widget, k, text=""):
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, k, Qt.KeyboardModifier.NoModifier, text))


def test_a_stale_cell_is_refused_with_who_and_when_and_f5_shows_the_other_clerks_value(qapp, qtbot, ledger):
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    mine = add_activity(ActivityInput("陈书记", date(2025, 10, 3), "进食堂", summary="原来的"), ledger)
    page = open_editor(qtbot, "陈书记", "2025-10")
    update_activity(mine.id, {"summary": "另一位经办人改的"}, ledger)  # another clerk, after the grid was shown
    row = page.model.row_of_activity(mine.id)
    page.view.setCurrentIndex(page.model.index(row, SUMMARY))
    press(page.view, Qt.Key.Key_unknown, "我改的")
    press(page.window().focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已被" in page.status.text(), timeout=2000)
    assert "修改" in page.status.text() and "F5" in page.status.text()
    assert Activity.get_by_id(mine.id).summary == "另一位经办人改的"  # not overwritten
    press(page.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "已刷新" in page.status.text(), timeout=2000)
    row = page.model.row_of_activity(mine.id)
    assert page.model.data(page.model.index(row, SUMMARY)) == "另一位经办人改的"
    page.view.setCurrentIndex(page.model.index(row, SUMMARY))  # after F5 the same edit saves
    press(page.view, Qt.Key.Key_unknown, "我改的")
    press(page.window().focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: Activity.get_by_id(mine.id).summary == "我改的", timeout=2000)
