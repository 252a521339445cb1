"""A long entry session in the real program, for tests/gui/test_sheet_editor_flows.py.

`python long_session_app.py LEDGER EDITS` makes a small ledger, starts the GUI as `liaison-desk
gui` does, types EDITS edits into the sheet editor by key events, then quits with the menu's
退出 (Ctrl+Q). The exit status is the program's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from liaison_desk.ledger import settings
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.store import storage


def make_ledger(path: Path) -> None:
    storage.open_database(path)
    settings.init("fjwsxy-2021", "测试学院")
    add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    add_target("护理学院党总支", "党总支")
    storage.close_database()


def type_edits(edits: int) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = next(w for w in app.topLevelWidgets() if w.__class__.__name__ == "MainWindow")
    window.show_area("记录录入")  # type: ignore[attr-defined]
    page = window.page("记录录入")  # type: ignore[attr-defined]
    page.open_sheet("陈书记", "2025-10")
    page.view.setFocus()

    def press(key: Qt.Key, text: str = "") -> None:
        widget = window.focusWidget() or page.view
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))

    for i in range(edits):
        row = next(r for r, g in enumerate(page.model.lines) if g.label == "党总支")
        if page.model.lines[row].kind == "blank":  # the first line: target and date
            page.view.setCurrentIndex(page.model.index(row, 2))
            press(Qt.Key.Key_unknown, "护理学院党总支")
            press(Qt.Key.Key_Tab)
            press(Qt.Key.Key_unknown, "3")
            press(Qt.Key.Key_Return)
        page.view.setCurrentIndex(page.model.index(row, 4))
        press(Qt.Key.Key_unknown, f"第{i + 1}次修改工作简况")
        press(Qt.Key.Key_Return)
        app.processEvents()
    print(f"edits typed: {edits}", flush=True)
    window.ui.actionQuit.trigger()  # type: ignore[attr-defined]


def main() -> int:
    ledger, edits = Path(sys.argv[1]), int(sys.argv[2])
    make_ledger(ledger)
    from liaison_desk.gui import app as gui_app

    gui_app.make_app()
    QTimer.singleShot(100, lambda: type_edits(edits))
    return gui_app.run_gui(ledger)


if __name__ == "__main__":
    sys.exit(main())
