"""Closing the program (#17): the close-time backup (12 s on the large ledger) runs off the GUI
thread once the window has gone, a small window showing its progress; the program then quits.
The lock is held until the backup is done, and the backup is sound."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer

from liaison_desk.cli.main import main
from liaison_desk.gui.app import close_in_background, make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.gui.session import Session
from liaison_desk.ledger import settings
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import backup, safety, storage

COPY_S = 1.5  # the copy made to last this long, as on a large ledger


pytestmark = pytest.mark.sqlite_only("the close-time backup of the ledger file")


@pytest.fixture
def ledger_file(db_path):
    storage.open_database(db_path)
    settings.init("moe-2019", "测试大学")
    add_cadre("王芳", "leader")
    storage.close_database()
    return db_path


@pytest.fixture
def quits(qapp):
    """What the program's quit would be told; the application is put back as it was."""
    told: list[float] = []
    yield told
    qapp.setQuitOnLastWindowClosed(True)


def _slow_copy(monkeypatch) -> None:
    real = backup.copy_file

    def copy_file(source, dest, progress=None):
        for step in range(1, 6):
            time.sleep(COPY_S / 5)
            if progress is not None:
                progress(step, 5, "复制")
        real(source, dest, progress)
    monkeypatch.setattr(backup, "copy_file", copy_file)


def test_closing_the_window_does_not_wait_for_the_backup(qapp, qtbot, ledger_file, monkeypatch, quits, capsys):
    make_app()
    session = Session(ledger_file)
    assert session.open()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    close_in_background(qapp, window, session, quit=lambda: quits.append(time.monotonic()))
    session.started(window)
    folder = backup.backup_folder(ledger_file, backup.default_base())
    qtbot.waitUntil(lambda: any(b.reason == "start" for b in backup.list_backups(folder)), timeout=10_000)
    add_cadre("李强", "leader")  # a change since the start-up backup: closing backs it up
    _slow_copy(monkeypatch)

    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    began = time.monotonic()
    window.close()
    assert time.monotonic() - began < 0.5  # the window goes at once
    assert not window.isVisible()
    assert session.progress is not None and session.progress.isVisible()
    assert "备份" in session.progress.labelText()
    assert not safety.LedgerLock(ledger_file).acquire()  # the lock is held while the backup runs
    session.progress.close()  # the progress window cannot be dismissed: the backup goes on
    assert session.progress.isVisible()

    qtbot.waitUntil(lambda: bool(quits), timeout=20_000)
    timer.stop()
    assert quits[0] - began >= COPY_S  # it quit only after the backup…
    during = [t for t in ticks if t < quits[0]]
    assert len(during) >= COPY_S / 0.05 / 3  # …and the event loop ran all the while
    assert max(b - a for a, b in zip([began, *during], during, strict=False)) < 0.5
    assert not session.progress.isVisible()

    (newest,) = [b for b in backup.list_backups(folder) if b.reason == "close"]
    assert not list(folder.glob("*.part"))
    assert safety.quick_check(newest.path) == "ok"
    assert safety.was_closed_cleanly(ledger_file)
    other = safety.LedgerLock(ledger_file)
    assert other.acquire()  # let go once done
    other.release()
    capsys.readouterr()
    assert main(["verify", str(newest.path)]) == 0
    assert "李强" in _cadres(newest.path)


def test_closing_without_a_change_quits_at_once(qapp, qtbot, ledger_file, quits):
    make_app()
    session = Session(ledger_file)
    assert session.open()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    close_in_background(qapp, window, session, quit=lambda: quits.append(time.monotonic()))
    session.started(window)
    folder = backup.backup_folder(ledger_file, backup.default_base())
    qtbot.waitUntil(lambda: len(backup.list_backups(folder)) == 1 and all(not j.isRunning() for j in session.jobs),
                    timeout=10_000)
    window.close()
    qtbot.waitUntil(lambda: bool(quits), timeout=5000)
    assert len(backup.list_backups(folder)) == 1  # nothing changed: no second copy
    assert safety.was_closed_cleanly(ledger_file)


def _cadres(path):
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return {name for (name,) in conn.execute("SELECT name FROM cadre")}
    finally:
        conn.close()
