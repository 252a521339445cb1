"""The GUI shell, driven through real widgets offscreen; and once under a real X display."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from liaison_desk.gui import crash
from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import AREAS, MainWindow
from liaison_desk.gui.setup_dialog import SetupDialog
from liaison_desk.ledger import settings
from liaison_desk.store import storage
from liaison_desk.store.models import Cadre


@pytest.fixture
def app(qapp):
    return make_app()


def type_chinese(widget, text: str) -> None:
    """keyClicks aborts on non-ASCII text: commit it as an input method would."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_bundled_chinese_font_is_registered(app):
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    assert app.font().family() == "WenQuanYi Micro Hei"


def test_main_window_shows_navigation_and_the_ledger(app, qtbot, ledger):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    nav = [window.ui.navList.item(i).text() for i in range(window.ui.navList.count())]
    assert nav == [name for name, _ in AREAS]
    assert {"记录录入", "台账", "达标检查", "问题清单", "报表", "名册", "设置"} <= set(nav)
    assert "测试学院" in window.home.heading.text()
    assert "福建卫生职业技术学院" in window.home.body.text() or "闽卫院委" in window.home.body.text()
    qtbot.keyClick(window.ui.navList, Qt.Key.Key_Down)
    assert window.ui.pages.currentIndex() == 1
    window.show_area("名册")
    assert window.ui.pages.currentIndex() == nav.index("名册")


def test_first_run_setup_writes_policy_and_term(app, qtbot, db_path):
    storage.open_database(db_path)
    try:
        dialog = SetupDialog(today=date(2025, 10, 8))
        qtbot.addWidget(dialog)
        assert dialog.ui.termEdit.text() == "2025-2026-1"
        index = dialog.ui.policyCombo.findData("hnust-2025")
        dialog.ui.policyCombo.setCurrentIndex(index)
        type_chinese(dialog.ui.schoolEdit, "湖南科技大学")
        dialog.ui.demoCheck.setChecked(True)
        dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok).click()
        assert dialog.result() == dialog.DialogCode.Accepted
        assert settings.school_name() == "湖南科技大学"
        assert settings.current_policy().id == "hnust-2025"
        assert settings.get_term("2025-2026-1").start == date(2025, 9, 1)
        assert Cadre.select().count() == 60
    finally:
        storage.close_database()


def test_setup_with_a_bad_term_says_why_and_writes_nothing(app, qtbot, db_path):
    storage.open_database(db_path)
    try:
        dialog = SetupDialog(today=date(2025, 10, 8))
        qtbot.addWidget(dialog)
        dialog.ui.termEdit.setText("2025-2027-1")
        dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok).click()
        assert dialog.result() != dialog.DialogCode.Accepted
        assert "格式不对" in dialog.ui.errorLabel.text()
        assert not settings.is_initialised()
    finally:
        storage.close_database()


def test_an_unexpected_error_is_logged_and_shown_in_chinese(app, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    crash.setup_logging()
    try:
        raise ValueError("模拟的意外")
    except ValueError as e:
        crash.report(type(e), e, e.__traceback__)
    for handler in crash.log.handlers:
        handler.flush()
    logged = crash.log_path().read_text(encoding="utf-8")
    assert "模拟的意外" in logged and "Traceback" in logged
    assert shown and "意外错误" in shown[0] and str(crash.log_path()) in shown[0]


@pytest.mark.sqlite_only("the file ledger under Xvfb (a server ledger's window: tests/gui/test_server_ledger.py)")
@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs xvfb-run (installed by scripts/setup.sh)")
def test_program_opens_under_a_real_x_display(tmp_path, cli, db_path):
    """The whole program under Xvfb with the xcb platform: window shown, screenshot taken."""
    assert cli("init", "--policy", "moe-2019", "--school", "测试大学")[0] == 0
    shot = tmp_path / "window.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(QT_QPA_PLATFORM="xcb", LIAISON_DESK_SCREENSHOT=str(shot))
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, "-m", "liaison_desk",
         "--db", str(db_path)],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(shot))
    assert image.width() > 800 and image.height() > 500


def test_excel_import_and_export_from_the_file_menu(app, qtbot, ledger, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from liaison_desk.ledger.roster import add_cadre

    add_cadre("王芳", "leader", "校领导班子", "校长")
    window = MainWindow()
    qtbot.addWidget(window)
    out = tmp_path / "名册.xlsx"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("干部名册", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.ui.actionExport.trigger()
    assert out.exists() and "已导出 1 行" in window.ui.statusbar.currentMessage()
    from liaison_desk.gui.import_dialog import ImportDialog

    window.ui.actionImport.trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()


def test_tab_leaves_a_read_only_table(app, qtbot):
    """近期待完成 and the compliance details are lists to read: Tab walked cell by cell through
    every row before a keyboard clerk could get anywhere else."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    from liaison_desk.gui.tables import fill_table, read_only_table

    box = QWidget()
    qtbot.addWidget(box)
    table = read_only_table(["干部", "要求", "期间"])
    fill_table(table, [["周明远", "每月至少听课一次", "2026年12月"], ["陈立", "每月至少听课一次", "2026年12月"]])
    after = QPushButton("下一个")
    layout = QVBoxLayout(box)
    layout.addWidget(table)
    layout.addWidget(after)
    box.show()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow, timeout=2000)
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after


def test_ctrl_and_a_digit_go_to_an_area_from_anywhere(app, qtbot, ledger):
    """A clerk at the keyboard on 报表 wanting 达标检查 had to tab through every control of the
    page to reach the navigation; Ctrl+4 goes there, with the focus on the navigation."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.show_area("报表")
    window.page("报表").setFocus()
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert AREAS[window.ui.pages.currentIndex()][0] == "达标检查"
    assert window.ui.navList.hasFocus()
    assert window.ui.navList.item(6).toolTip() == "Ctrl+7"
