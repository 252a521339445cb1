"""Pages show other clerks' changes when shown again (issue 18): a college secretary adds activities
from another process (the command line, as from another machine) to a server ledger the office's
window has open; switching to another page and back, or coming back to the window, shows them
without F5 — and a cell the clerk is typing in stays as it is until they finish, then the page
catches up. The session's real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.gui.sheet_model import SUMMARY
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import storage
from liaison_desk.store.models import Activity

ROOT = Path(__file__).resolve().parents[2]


def secretary_adds(url: str, day: int, summary: str) -> None:
    """`liaison-desk activity add` in another process."""
    done = subprocess.run([sys.executable, "-m", "liaison_desk", "--db", url, "activity", "add", "陈书记",
                           "--date", f"2025-10-{day:02d}", "--category", "进食堂", "--summary", summary],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def press(widget, key, text=""):
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))


def summaries(page) -> set[str]:
    column = page.model.keys.index("summary")
    return {page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())}


def sheet_summaries(editor) -> set[str]:
    return {editor.model.data(editor.model.index(r, SUMMARY)) for r in range(editor.model.rowCount())}


def back_to_the_window(window) -> None:
    """As when the clerk comes back from another program (Alt+Tab)."""
    assert window.isActiveWindow()
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))


def test_pages_shown_again_show_another_clerks_additions_but_never_under_typing(qapp, qtbot, pg):
    make_app()
    url = pg.new_database()
    storage.open_database(url)
    try:
        policy = settings.init("fjwsxy-2021", "测试学院")
        add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
        add_activity(ActivityInput("陈书记", date(2025, 10, 3), "进食堂", summary="原来的"), policy)
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)

        # 台账: another clerk's addition, shown after a look at 名册, no F5
        window.show_area("台账")
        ledger_page = window.page("台账")
        assert summaries(ledger_page) == {"原来的"}
        secretary_adds(url, 5, "秘书补录一")
        window.show_area("名册")
        window.show_area("台账")
        assert summaries(ledger_page) == {"原来的", "秘书补录一"}
        assert "重新载入" in window.ui.statusbar.currentMessage()

        # 记录录入: the clerk is typing in a cell when the secretary adds another line
        window.show_area("记录录入")
        editor = window.page("记录录入")
        editor.open_sheet("陈书记", "2025-10")
        row = editor.model.row_of_activity(Activity.get(Activity.summary == "原来的").id)
        editor.view.setFocus()
        editor.view.setCurrentIndex(editor.model.index(row, SUMMARY))
        press(editor.view, Qt.Key.Key_unknown, "经办人正在输入")  # opens the cell's editor with the text
        assert editor.view.state() == QAbstractItemView.State.EditingState
        secretary_adds(url, 7, "秘书补录二")
        back_to_the_window(window)
        cell = window.focusWidget()
        assert isinstance(cell, QLineEdit) and cell.text() == "经办人正在输入"
        assert editor.view.state() == QAbstractItemView.State.EditingState  # not reloaded under the typing
        assert "秘书补录二" not in sheet_summaries(editor)
        qtbot.wait(1500)  # the page tries again a moment later: still typing, still left alone
        assert window.focusWidget() is cell and cell.text() == "经办人正在输入"

        press(cell, Qt.Key.Key_Return)  # the clerk finishes: saved, then the page catches up
        qtbot.waitUntil(lambda: "秘书补录二" in sheet_summaries(editor), timeout=5000)
        assert "经办人正在输入" in sheet_summaries(editor)
        assert {a.summary for a in Activity.select()} == {"经办人正在输入", "秘书补录一", "秘书补录二"}

        # nothing new: shown again, the page is not reloaded (the cursor stays where it was)
        editor.view.setCurrentIndex(editor.model.index(row, SUMMARY))
        window.ui.statusbar.clearMessage()
        back_to_the_window(window)
        assert window.ui.statusbar.currentMessage() == ""
    finally:
        storage.close_database()


def test_a_ledger_file_written_by_another_program_shows_on_return_to_the_window(qapp, qtbot, ledger, db_path):
    """The same on a SQLite file (or the server, with LIAISON_TEST_DB=postgresql): the command
    line adds an activity while the window is open; coming back to the window shows it."""
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.show_area("台账")
    ledger_page = window.page("台账")
    assert ledger_page.model.total == 0
    secretary_adds(str(db_path), 5, "命令行录入的")
    back_to_the_window(window)
    assert summaries(ledger_page) == {"命令行录入的"}
    window.show_area("首页")
    assert "<b>1</b> 条" in window.home.body.text()
