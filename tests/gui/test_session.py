"""The GUI's hold on the ledger: a second window is read-only, a damaged file is not written to
and the newest good backup is offered, backups are taken on start and close."""

from __future__ import annotations

import pytest
from ledger_files import flip_page
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from liaison_desk.errors import BadInput
from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.gui.session import Session
from liaison_desk.ledger import settings
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import backup, safety, storage
from liaison_desk.store.models import Cadre

pytestmark = pytest.mark.sqlite_only("the window's hold on a file: lock, check, backups "
                                     "(a server: tests/gui/test_server_ledger.py)")


@pytest.fixture
def ledger_file(db_path):
    storage.open_database(db_path)
    settings.init("moe-2019", "测试大学")
    add_cadre("王芳", "leader")
    storage.close_database()
    return db_path


def test_a_second_window_opens_read_only_and_says_so(qapp, qtbot, ledger_file):
    make_app()
    other = safety.LedgerLock(ledger_file)
    assert other.acquire()
    session = Session(ledger_file)
    try:
        assert session.open() and session.read_only
        assert "正被" in session.reason
        window = MainWindow()
        qtbot.addWidget(window)
        window.set_read_only(session.reason)
        assert "只读" in window.windowTitle()
        with pytest.raises(BadInput, match="只读"):
            add_cadre("李强", "leader")
        assert Cadre.select().count() == 1
    finally:
        session.close()
        other.release()


def corrupt(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, min(len(data), 4096 * 6)):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_not_written_and_the_newest_good_backup_is_offered(qapp, ledger_file, monkeypatch):
    make_app()
    storage.open_database(ledger_file)
    good = backup.make_backup("daily")
    storage.close_database()
    safety.mark_open(ledger_file)  # as if the last session crashed
    corrupt(ledger_file)
    assert safety.quick_check(ledger_file) != "ok"
    damaged_bytes = ledger_file.read_bytes()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)
    session = Session(ledger_file)
    session.open()  # refused the offer: read-only (or not openable at all), never written
    session.close()
    assert ledger_file.read_bytes() == damaged_bytes

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    session = Session(ledger_file)
    try:
        assert session.open() and not session.read_only
        assert Cadre.get().name == "王芳"
        assert safety.quick_check(ledger_file) == "ok"
    finally:
        session.close()
    kept = list(ledger_file.parent.glob("*.damaged-*.sqlite3"))
    assert kept and kept[0].read_bytes()[:4096 * 6] == damaged_bytes[:4096 * 6]
    assert good.exists()


def test_backups_on_start_and_on_close(qapp, qtbot, ledger_file):
    make_app()
    session = Session(ledger_file)
    assert session.open()
    assert not safety.was_closed_cleanly(ledger_file)  # marked open while in use
    session.started()
    folder = backup.backup_folder(ledger_file, backup.default_base())
    qtbot.waitUntil(lambda: any(b.reason == "start" for b in backup.list_backups(folder)), timeout=5000)
    add_cadre("李强", "leader")  # a change: closing backs it up
    session.close()
    reasons = {b.reason for b in backup.list_backups(folder)}
    assert {"start", "close"} <= reasons
    assert safety.was_closed_cleanly(ledger_file)
    latest = backup.list_backups(folder)[0]
    assert safety.quick_check(latest.path) == "ok"


def test_opening_and_closing_without_a_change_takes_no_new_backup(qapp, qtbot, ledger_file):
    make_app()
    folder = backup.backup_folder(ledger_file, backup.default_base())
    session = Session(ledger_file)
    assert session.open()
    session.started()
    qtbot.waitUntil(lambda: len(backup.list_backups(folder)) == 1, timeout=5000)
    session.close()
    session = Session(ledger_file)
    assert session.open()
    session.started()
    # the check, then the start backup
    qtbot.waitUntil(lambda: session.checked and len(session.jobs) == 2, timeout=5000)
    session.jobs[-1].wait()
    session.close()
    (only,) = backup.list_backups(folder)  # the start backup; the same content is not copied again
    assert only.reason == "start" and safety.was_closed_cleanly(ledger_file)


def answer_dialog(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Wait for the program's message box, note what it says, press `button`."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox) and box.button(button) is not None:
        seen.append(box.text())
        box.button(button).click()
    else:
        QTimer.singleShot(50, lambda: answer_dialog(button, seen))


def test_a_page_flipped_while_closed_is_found_right_after_the_window_shows(qapp, qtbot, ledger_file):
    make_app()
    storage.open_database(ledger_file)
    good = backup.make_backup("daily")
    storage.close_database()
    flip_page(ledger_file)  # closed cleanly: no crash marker to say anything is wrong
    assert safety.quick_check(ledger_file) != "ok"
    damaged = ledger_file.read_bytes()
    folder = backup.backup_folder(ledger_file, backup.default_base())

    session = Session(ledger_file)
    try:
        assert session.open() and not session.read_only
        with pytest.raises(BadInput, match="正在检查"):  # no write before the check has passed
            add_cadre("李强", "leader")
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        seen: list[str] = []
        QTimer.singleShot(50, lambda: answer_dialog(QMessageBox.StandardButton.No, seen))
        session.started(window)
        qtbot.waitUntil(lambda: session.read_only, timeout=10000)
        assert seen and "已损坏" in seen[0] and str(good) in seen[0]  # names the damage and the backup
        assert "只读" in window.windowTitle()
        with pytest.raises(BadInput):
            add_cadre("李强", "leader")
    finally:
        session.close()
    assert ledger_file.read_bytes() == damaged
    assert [b.path for b in backup.list_backups(folder)] == [good]  # no start-up or close backup of it


def test_the_clerk_takes_the_offered_backup(qapp, qtbot, ledger_file):
    make_app()
    storage.open_database(ledger_file)
    backup.make_backup("daily")
    storage.close_database()
    flip_page(ledger_file)
    session = Session(ledger_file)
    try:
        assert session.open()
        window = MainWindow()
        qtbot.addWidget(window)
        seen: list[str] = []
        QTimer.singleShot(50, lambda: answer_dialog(QMessageBox.StandardButton.Yes, seen))
        QTimer.singleShot(50, lambda: answer_dialog(QMessageBox.StandardButton.Ok, seen))  # "restored"
        session.started(window)
        qtbot.waitUntil(lambda: session.checked and len(seen) == 2, timeout=10000)
        assert "已损坏" in seen[0] and "已用完好的备份替换" in seen[1]
        assert not session.read_only and safety.quick_check(ledger_file) == "ok"
        add_cadre("李强", "leader")
        assert Cadre.select().count() == 2
    finally:
        session.close()
    assert list(ledger_file.parent.glob("*.damaged-*.sqlite3"))


def test_writes_wait_for_the_check_and_then_go_through(qapp, qtbot, ledger_file):
    make_app()
    session = Session(ledger_file)
    try:
        assert session.open() and not session.checked
        with pytest.raises(BadInput, match="正在检查"):
            add_cadre("李强", "leader")
        session.started()
        qtbot.waitUntil(lambda: session.checked, timeout=10000)
        add_cadre("李强", "leader")
        assert Cadre.select().count() == 2
    finally:
        session.close()


def test_the_error_log_does_not_grow_without_bound(qapp, tmp_path, monkeypatch):
    from liaison_desk.gui import crash

    monkeypatch.setattr(crash, "log_path", lambda: tmp_path / crash.LOG_FILE)
    saved = list(crash.log.handlers)
    for h in saved:
        crash.log.removeHandler(h)
    try:
        crash.setup_logging()
        for _ in range(3000):
            crash.log.error("后台备份失败：%s", "x" * 1000)
        for h in crash.log.handlers:
            h.flush()
        logs = sorted(tmp_path.glob(crash.LOG_FILE + "*"))
        assert (tmp_path / crash.LOG_FILE).stat().st_size <= 1024 * 1024
        assert sum(p.stat().st_size for p in logs) <= 4 * 1024 * 1024 + 4096
    finally:
        for h in list(crash.log.handlers):
            crash.log.removeHandler(h)
            h.close()
        for h in saved:
            crash.log.addHandler(h)


def test_restoring_a_backup_edited_outside_the_program_asks_first(qapp, qtbot, ledger_file, tmp_path, monkeypatch):
    import sqlite3

    from PySide6.QtWidgets import QFileDialog

    make_app()
    session = Session(ledger_file)
    try:
        assert session.open()
        session.check_now()
        copy = backup.make_backup("manual", out=tmp_path / "copy.sqlite3")
        conn = sqlite3.connect(copy)
        conn.execute("UPDATE cadre SET name = '王芳芳'")
        conn.commit()
        conn.close()
        add_cadre("李强", "leader")
        window = MainWindow()
        qtbot.addWidget(window)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), ""))
        for second in (QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes):
            seen: list[str] = []
            QTimer.singleShot(50, lambda s=seen: answer_dialog(QMessageBox.StandardButton.Yes, s))
            QTimer.singleShot(400, lambda b=second, s=seen: answer_dialog(b, s))
            if second == QMessageBox.StandardButton.Yes:
                QTimer.singleShot(800, lambda s=seen: answer_dialog(QMessageBox.StandardButton.Ok, s))
            window.restore_from_backup()
            qtbot.waitUntil(lambda s=seen: len(s) >= 2, timeout=10000)
            assert "没有通过校验" in seen[1] and "干部 #1" in seen[1]
            if second == QMessageBox.StandardButton.No:
                assert sorted(c.name for c in Cadre.select()) == ["李强", "王芳"]  # asked, declined: unchanged
        qtbot.waitUntil(lambda: len(seen) == 3, timeout=10000)
        assert [c.name for c in Cadre.select()] == ["王芳芳"]
    finally:
        session.close()


def test_damage_where_the_window_first_reads_is_reported_not_a_crash(qapp, ledger_file, monkeypatch):
    import sys

    from liaison_desk.gui.app import run_gui

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    flip_page(ledger_file, "setting")
    assert safety.quick_check(ledger_file) != "ok"
    damaged = ledger_file.read_bytes()
    seen: list[str] = []
    QTimer.singleShot(50, lambda: answer_dialog(QMessageBox.StandardButton.Ok, seen))  # no backup: told so
    assert run_gui(ledger_file) == 2
    assert seen and "已损坏" in seen[0] and "没有找到完好的备份" in seen[0]
    assert ledger_file.read_bytes() == damaged
