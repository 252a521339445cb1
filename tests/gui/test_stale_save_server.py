"""Two clerks on one server ledger (issue 18), through real widgets: the office's clerk has a
sheet and the 台账 page open, a college secretary changes the same activity from another process
(another machine), then the clerk edits the same cell. The save is refused, the message on screen
names the secretary and when, and the secretary's value stays. The session's real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from liaison_desk.gui.app import make_app
from liaison_desk.gui.ledger_view import LedgerPage
from liaison_desk.gui.sheet_model import SUMMARY
from liaison_desk.ledger import clerks, settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import storage
from liaison_desk.store.models import Activity

from .editor_window import open_editor

ROOT = Path(__file__).resolve().parents[2]

SECRETARY = r"""
import sys
from liaison_desk.store import storage
from liaison_desk.ledger import clerks, settings
from liaison_desk.ledger.activities import update_activity
url, activity_id, summary = sys.argv[1], int(sys.argv[2]), sys.argv[3]
storage.open_database(url, create=False)
update_activity(activity_id, {"summary": summary}, settings.current_policy())
storage.close_database()
"""


SECRETARY_PW = "secretary-secret-1"


def secretary_changes(url: str, activity_id: int, summary: str) -> None:
    """Another client, signed in as the college secretary 学院秘书 (its own login: the change log
    names the clerk of the login, #19)."""
    login = f"mishu_{url.rsplit('/', 1)[1]}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PGPASSWORD": SECRETARY_PW}
    done = subprocess.run([sys.executable, "-c", SECRETARY, url.replace("liaison@", f"{login}@"), str(activity_id),
                           summary], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def press(widget, k, text=""):
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, k, Qt.KeyboardModifier.NoModifier, text))


def type_into(view, text: str) -> None:
    press(view, Qt.Key.Key_unknown, text)  # opens the cell's editor with the text, as a clerk's typing
    press(view.window().focusWidget(), Qt.Key.Key_Return)


def test_a_stale_save_on_a_server_ledger_is_refused_naming_the_other_clerk(qapp, qtbot, pg):
    make_app()
    url = pg.new_database()
    storage.open_database(url)
    try:
        policy = settings.init("fjwsxy-2021", "测试学院")
        add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
        mine = add_activity(ActivityInput("陈书记", date(2025, 10, 3), "进食堂", summary="原来的"), policy)
        clerks.add(f"mishu_{url.rsplit('/', 1)[1]}", False, ["校领导班子"], name="学院秘书", password=SECRETARY_PW)
        sheet = open_editor(qtbot, "陈书记", "2025-10")
        ledger_page = LedgerPage()
        qtbot.addWidget(ledger_page)
        ledger_page.resize(1200, 700)
        ledger_page.show()

        secretary_changes(url, mine.id, "秘书改的")
        saved_by_secretary = Activity.get_by_id(mine.id).updated_at

        # the sheet editor: the clerk types over the summary the grid still shows as 原来的
        row = sheet.model.row_of_activity(mine.id)
        assert sheet.model.data(sheet.model.index(row, SUMMARY)) == "原来的"
        sheet.view.setCurrentIndex(sheet.model.index(row, SUMMARY))
        type_into(sheet.view, "经办人改的")
        qtbot.waitUntil(lambda: "已被" in sheet.status.text(), timeout=3000)
        said = sheet.status.text()
        assert "学院秘书" in said and f"{saved_by_secretary:%Y-%m-%d %H:%M}" in said and "没有保存" in said
        assert Activity.get_by_id(mine.id).summary == "秘书改的"  # nothing overwritten

        # the 台账 page, shown before the secretary's change: the same refusal
        column = ledger_page.model.keys.index("summary")
        assert ledger_page.model.data(ledger_page.model.index(0, column)) == "原来的"
        ledger_page.view.setFocus()
        ledger_page.view.setCurrentIndex(ledger_page.model.index(0, column))
        type_into(ledger_page.view, "台账上改的")
        qtbot.waitUntil(lambda: "已被" in ledger_page.status.text(), timeout=3000)
        said = ledger_page.status.text()
        assert "学院秘书" in said and f"{saved_by_secretary:%Y-%m-%d %H:%M}" in said and "F5" in said
        stored = Activity.get_by_id(mine.id)
        assert stored.summary == "秘书改的" and stored.updated_at == saved_by_secretary

        # shown again, the page has the secretary's value, and the clerk's edit then saves
        ledger_page.apply()
        assert ledger_page.model.data(ledger_page.model.index(0, column)) == "秘书改的"
        ledger_page.view.setCurrentIndex(ledger_page.model.index(0, column))
        type_into(ledger_page.view, "台账上改的")
        qtbot.waitUntil(lambda: Activity.get_by_id(mine.id).summary == "台账上改的", timeout=3000)
    finally:
        storage.close_database()
