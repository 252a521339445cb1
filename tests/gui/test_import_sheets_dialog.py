"""#20: 导入记录表 driven through its widgets — the preview of every line before anything is
written, Enter to import, problems blocking it, and Word forms dropped on the sheet editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_files import dump
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from benchmarks.docx_forms import fill_own
from benchmarks.entry_replay import LEADER, MONTH, make_roster
from liaison_desk.gui.app import make_app
from liaison_desk.gui.import_sheets_dialog import MARK, SheetsImportDialog
from liaison_desk.paper.sheet_content import sheet_content
from liaison_desk.paper.sheet_docx import sheet_docx
from liaison_desk.store.models import Activity

from .editor_window import open_editor

ROWS = {"党总支": [("护理学院党总支", "10月9日", "参加理论学习")],
        "进宿舍": [("南苑5栋402", "10.14", "走访宿舍"), ("北苑3栋", "28日", "回访热水问题")]}


@pytest.fixture
def form(qapp, ledger, tmp_path) -> Path:
    make_app()
    make_roster()
    blank = tmp_path / "blank.docx"
    blank.write_bytes(sheet_docx(sheet_content(LEADER, MONTH, blank=True)))
    folder = tmp_path / "forms"
    folder.mkdir()
    return fill_own(blank, folder / "王建国.docx", ROWS)


def checked(qtbot, paths: list[Path]) -> SheetsImportDialog:
    dialog = SheetsImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_paths(paths)
    qtbot.waitUntil(lambda: dialog.job is None and dialog.state != "checking", timeout=10000)
    return dialog


def cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_preview_shows_every_line_and_enter_imports(qtbot, form, db_path):
    before = dump(db_path)
    dialog = checked(qtbot, [form.parent])
    assert dialog.state == "checked"
    assert dump(db_path) == before  # nothing written by the preview
    table = dialog.lineTable
    assert table.rowCount() == 3
    assert cells(table, 0)[:8] == ["王建国.docx", "3", LEADER, "联系党总支", "2025-10-09", "护理学院党总支",
                                   "参加理论学习", "新增"]
    carrier = next(r for r in range(3) if table.item(r, 5).text() == "北苑3栋")
    assert "名册中没有" in table.item(carrier, 8).text()
    assert table.item(carrier, 0).background().color() == MARK
    assert dialog.tabs.tabText(0).startswith("活动 3")
    assert dialog.importButton.isEnabled() and dialog.importButton.isDefault()
    qtbot.keyClick(dialog.importButton, Qt.Key.Key_Return)  # Enter on the default button
    qtbot.waitUntil(lambda: dialog.state == "imported", timeout=10000)
    assert Activity.select().count() == 3
    assert "已导入" in dialog.summaryLabel.text()
    again = checked(qtbot, [form])  # the same form again: shown as already in the ledger
    assert [cells(again.lineTable, r)[7] for r in range(3)] == ["不变"] * 3
    assert not again.importButton.isEnabled()


def test_a_problem_blocks_the_import_and_says_where(qtbot, form, db_path):
    (form.parent / "旧表.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    before = dump(db_path)
    dialog = checked(qtbot, [form.parent])
    assert dialog.problemTable.rowCount() == 1
    assert cells(dialog.problemTable, 0)[0] == "旧表.doc" and "旧版 Word" in cells(dialog.problemTable, 0)[4]
    assert dialog.tabs.currentWidget() is dialog.problemTable
    assert not dialog.importButton.isEnabled()
    dialog.do_import()
    assert dump(db_path) == before


def test_forms_dropped_on_the_sheet_editor_are_previewed_then_shown(qtbot, form):
    page = open_editor(qtbot, LEADER, MONTH)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(form))])
    drop = QDropEvent(QPointF(QPoint(50, 50)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    page.dropEvent(drop)
    dialog = page.findChild(SheetsImportDialog)
    qtbot.waitUntil(dialog.importButton.isEnabled, timeout=10000)  # checked, and the reading done
    assert dialog.lineTable.rowCount() == 3
    dialog.do_import()
    qtbot.waitUntil(lambda: dialog.state == "imported", timeout=10000)
    shown = [g.line.target for g in page.model.lines if g.line]
    assert sorted(shown) == ["北苑3栋", "南苑5栋402", "护理学院党总支"]
    dialog.close()


def test_file_menu_imports_record_forms(qtbot, form, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from liaison_desk.gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.ui.actionImportSheets in window.ui.menuFile.actions()
    assert window.ui.actionImportSheets.text() == "导入记录表…(&D)"
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(form)], ""))
    window.ui.actionImportSheets.trigger()
    dialog = window.findChild(SheetsImportDialog)
    qtbot.waitUntil(dialog.importButton.isEnabled, timeout=10000)  # checked, and the reading done
    assert dialog.lineTable.rowCount() == 3
    dialog.close()
