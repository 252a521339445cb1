"""Start the GUI: application, fonts, Chinese Qt dialogs, crash reporting, database, main window."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import peewee
from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import resources
from ..ledger import settings
from ..store import storage
from . import crash
from .fonts import register_fonts

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .session import Session


def make_app(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, set up for Chinese text in the bundled font."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(["liaison-desk", *(argv or [])])
    app.setApplicationName("联系工作台")
    app.setOrganizationName("LiaisonDesk")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    register_fonts(app)
    icon = resources.icons_dir() / "liaison-desk.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    translator = QTranslator(app)
    bundled = resources.translations_dir()
    if translator.load("qtbase_zh_CN", str(bundled)) or translator.load(
            "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    return app


def run_gui(db_path: Path | str | None, argv: list[str] | None = None) -> int:
    app = make_app(argv)
    crash.install()
    from ..store.server import is_url
    from .session import ServerSession, Session

    session = (ServerSession(str(db_path)) if is_url(db_path)
               else Session(Path(db_path) if db_path else storage.default_db_path()))
    if not session.open():
        return 2
    try:
        from .main_window import MainWindow
        from .setup_dialog import SetupDialog

        try:
            initialised = settings.is_initialised()
            window = MainWindow() if initialised else None
        except (sqlite3.DatabaseError, peewee.DatabaseError):
            if not session.damaged_on_first_read():
                return 2
            initialised = settings.is_initialised()
            window = MainWindow() if initialised else None
        if not initialised:
            if session.read_only:
                QMessageBox.critical(None, "无法打开台账", session.reason)
                return 2
            if not session.check_now():
                return 2
            dialog = SetupDialog()
            if not dialog.exec():
                return 0
            window = MainWindow()
        if session.read_only:
            window.set_read_only(session.reason)
        window.show()
        QTimer.singleShot(0, lambda: session.started(window))
        close_in_background(app, window, session)
        _automation(app, window)
        return app.exec()
    finally:
        session.close()


def close_in_background(app: QApplication, window: MainWindow, session: Session,
                        quit: Callable[[], None] | None = None) -> None:
    """When the window closes the program does not quit at once: the session's close-time backup
    runs off the GUI thread (its progress in a small window), then the program quits."""
    app.setQuitOnLastWindowClosed(False)
    window.closed.connect(session.close_in_background)
    session.closed.connect(quit or app.quit)


def _automation(app: QApplication, window: object) -> None:
    """For benchmarks and screenshots: LIAISON_DESK_SCREENSHOT=FILE grabs the window and quits;
    LIAISON_DESK_EXIT_AFTER_SHOW=1 quits as soon as the window has been painted."""
    shot = os.environ.get("LIAISON_DESK_SCREENSHOT")
    if shot:
        def grab() -> None:
            window.grab().save(shot)  # type: ignore[attr-defined]
            app.quit()
        QTimer.singleShot(int(os.environ.get("LIAISON_DESK_SCREENSHOT_DELAY_MS", "300")), grab)
    elif os.environ.get("LIAISON_DESK_EXIT_AFTER_SHOW"):
        def done() -> None:
            print("main-window-shown", flush=True)
            app.quit()
        QTimer.singleShot(0, done)


if __name__ == "__main__":
    sys.exit(run_gui(None))
