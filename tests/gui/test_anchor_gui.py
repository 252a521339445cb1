"""The GUI side of 台账校验码 (issue 14, defect 3): the verify dialog takes a code from paper, and a
ledger behind its newest backup is reported when the window opens it."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.gui.session import Session
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import anchor, backup, storage
from liaison_desk.store.sql import run


@pytest.fixture
def shown(monkeypatch):
    """What the message boxes said, (kind, text) each."""
    said: list[tuple[str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _parent, _title, text, *a, k=kind, **kw: said.append((k, text)))
    return said


def type_into_the_dialog(text: str) -> None:
    """When the input dialog is up, type the code and press OK, as the clerk would."""
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, fill)
            return
        dialog.setTextValue(text)
        dialog.accept()
    QTimer.singleShot(0, fill)


def test_the_verify_dialog_checks_a_code_from_paper(qapp, qtbot, ledger, shown):
    make_app()
    add_cadre("陈书记", "leader")
    add_activity(ActivityInput("陈书记", date(2025, 10, 12), "进宿舍"), ledger)
    code = anchor.footer("月度报告 2025-10").split()[-1]
    window = MainWindow()
    qtbot.addWidget(window)
    type_into_the_dialog(code)
    window.verify_ledger()
    assert shown[-1][0] == "information" and f"台账校验码 {code} 在今天的日志链中" in shown[-1][1]
    entries = int(code.split("-")[0])
    run("DELETE FROM change_log WHERE id >= ?", (entries,))  # a truncation
    type_into_the_dialog(code)
    window.verify_ledger()
    assert shown[-1][0] == "warning" and "今天的台账只有" in shown[-1][1]
    type_into_the_dialog("12-XYZ")
    window.verify_ledger()
    assert shown[-1][0] == "warning" and "不是台账校验码" in shown[-1][1]


@pytest.mark.sqlite_only("backups of the file")
def test_a_ledger_behind_its_newest_backup_is_reported_on_open(qapp, db_path, shown):
    make_app()
    storage.open_database(db_path)
    settings.init("moe-2019", "测试大学")
    add_cadre("王芳", "leader")
    backup.make_backup("daily")
    storage.close_database()
    conn = sqlite3.connect(db_path)  # the newest entry and its row cut off
    conn.execute("DELETE FROM cadre")
    conn.execute("DELETE FROM change_log WHERE id = (SELECT MAX(id) FROM change_log)")
    conn.commit()
    conn.close()
    session = Session(db_path)
    try:
        assert session.open()
        assert [k for k, _ in shown] == ["warning"] and "比最新备份" in shown[0][1]
    finally:
        session.close()
    storage.open_database(db_path)
    backup.make_backup("manual")  # a backup of the chain as it now is
    storage.close_database()
    shown.clear()
    session = Session(db_path)  # the ledger continues its newest backup: no warning now
    try:
        assert session.open() and shown == []
    finally:
        session.close()


def test_a_full_disk_in_the_gui_is_said_plainly(qapp, monkeypatch):
    from liaison_desk.gui import crash

    make_app()
    said = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()) or 0)
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active") from None
    except sqlite3.OperationalError as e:
        e.__context__ = sqlite3.OperationalError("database or disk is full")
        crash.report(type(e), e, e.__traceback__)
    assert said and "磁盘已满" in said[0] and "意外错误" not in said[0]


def test_a_code_printed_before_the_log_was_reencoded_checks_in_the_dialog(qapp, qtbot, tmp_path, shown):
    """A ledger of the v5 program (its log re-encoded on opening) and the code on its report."""
    import shutil

    from tests.store.test_log_reencode import PRINTED, V5

    make_app()
    path = tmp_path / "ledger.sqlite3"
    shutil.copy(V5, path)
    storage.open_database(path)
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        type_into_the_dialog(PRINTED)
        window.verify_ledger()
        assert shown[-1][0] == "information" and f"台账校验码 {PRINTED} 在今天的日志链中" in shown[-1][1]
        forged = PRINTED[:-4] + "0000"
        type_into_the_dialog(forged)
        window.verify_ledger()
        assert shown[-1][0] == "warning" and f"台账校验码 {forged} 与今天台账第" in shown[-1][1]
    finally:
        storage.close_database()
