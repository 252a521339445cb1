"""The window on a ledger on a PostgreSQL server (issue 18): the title bar says what it is
connected to, and the file-only machinery (file backups, restore, the backup folder) is switched
off with a word, not left to fail in the log. The session's real server (tests/conftest.py)."""

from __future__ import annotations

from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import SERVER_BACKUP_WORD, MainWindow
from liaison_desk.gui.session import ServerSession
from liaison_desk.gui.settings_view import SettingsPage
from liaison_desk.ledger import settings


def test_the_window_on_a_server_ledger_says_where_it_is_and_has_no_file_backups(qapp, qtbot, pg):
    make_app()
    url = pg.new_database(prepared=False)
    session = ServerSession(url)
    assert session.open()  # an empty database is prepared on first use
    try:
        settings.init("hnust-2025", "湖南科技大学")
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        session.started(window)
        assert "服务器台账 liaison@127.0.0.1" in window.windowTitle() and url.rsplit("/", 1)[1] in window.windowTitle()
        assert not window.ui.actionBackup.isEnabled() and not window.ui.actionRestore.isEnabled()
        page = SettingsPage()
        qtbot.addWidget(page)
        page.show()
        assert SERVER_BACKUP_WORD in page.backup_space.text() and "写入锁" in page.backup_space.text()
        assert not page.backup.isEnabled()
    finally:
        session.close()


def test_a_server_that_refuses_the_connection_is_said_in_a_dialog(qapp, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr("liaison_desk.gui.session.QMessageBox.critical",
                        lambda parent, title, text: shown.append((title, text)))
    assert not ServerSession("postgresql://liaison@127.0.0.1:1/x").open()
    assert shown and shown[0][0] == "无法连接服务器台账" and "连接被拒绝" in shown[0][1]


def test_connect_to_a_server_ledger_remembers_all_but_the_password(qapp, qtbot, monkeypatch):
    from PySide6.QtCore import QSettings

    from liaison_desk.gui import server_dialog

    launched = []
    monkeypatch.setattr(server_dialog, "open_window", lambda url, password: launched.append((url, password)) or True)
    window_dialog = server_dialog.ServerDialog()
    qtbot.addWidget(window_dialog)
    window_dialog.host.setText("db.example.edu.cn")
    window_dialog.port.setValue(5433)
    window_dialog.database.setText("")
    window_dialog.user.setText("office")
    window_dialog.password.setText("s3cret")
    window_dialog.connect_ledger()
    assert "请填写" in window_dialog.status.text() and not launched  # no database named: nothing opened
    window_dialog.database.setText("liaison")
    window_dialog.connect_ledger()
    assert launched == [("postgresql://office@db.example.edu.cn:5433/liaison", "s3cret")]
    remembered = QSettings()
    assert [remembered.value(f"server/{k}") for k in ("host", "database", "user")] == \
        ["db.example.edu.cn", "liaison", "office"]
    assert all("s3cret" not in str(remembered.value(k)) for k in remembered.allKeys())
    again = server_dialog.ServerDialog()
    qtbot.addWidget(again)
    assert again.host.text() == "db.example.edu.cn" and again.password.text() == ""


def test_f5_shows_the_ledger_page_as_it_is_now(qapp, qtbot, ledger):
    """Another clerk adds an activity (on a server, from another machine): F5 shows it."""
    from datetime import date

    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from liaison_desk.ledger.activities import ActivityInput, add_activity
    from liaison_desk.ledger.roster import add_cadre

    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_area("台账")
    page = window.page("台账")
    assert page.model.total == 0
    add_activity(ActivityInput("陈书记", date(2025, 10, 12), "进食堂", summary="别处录入的"), ledger)
    QApplication.sendEvent(page.view, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=3000)
    assert "已刷新" in window.ui.statusbar.currentMessage()
