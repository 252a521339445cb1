"""The import dialog (#6), driven through its widgets: preview first, then import; problems block
it; a bad file is explained; cancelling writes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from ledger_files import dump
from openpyxl import Workbook
from PySide6.QtCore import Qt

from liaison_desk.excel.xlsx import Book, Column
from liaison_desk.gui.app import make_app
from liaison_desk.gui.import_dialog import ImportDialog, open_import_dialog
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.store.models import Activity

HEADER = ["姓名", "日期", "类别", "联系对象", "工作简况", "人数"]


@pytest.fixture
def app(qapp):
    return make_app()


@pytest.fixture
def roster(ledger):
    add_cadre("刘建国", "校领导", "校领导班子", "党委书记")
    add_cadre("王芳", "中层正职", "学生工作部", "部长")
    add_target("南苑3栋201", "宿舍")
    return ledger




def workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    wb.active.title = "台账"
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def big_workbook(path: Path, rows: int) -> Path:
    book = Book("台账")
    sheet = book.add_sheet("台账")
    sheet.table([Column(h) for h in HEADER])
    first = date(2025, 9, 1)
    for i in range(rows):
        sheet.append(["王芳", first + timedelta(days=i % 300), "进食堂", "", f"与学生共进午餐 {i}", 4])
    return book.save(path)


def start_check(qtbot, dialog: ImportDialog, path: Path, kind: str = "activities") -> None:
    dialog.set_kind(kind)
    dialog.set_file(path)
    qtbot.mouseClick(dialog.checkButton, Qt.MouseButton.LeftButton)


def test_preview_then_import(app, qtbot, roster, db_path, tmp_path):
    path = workbook(tmp_path / "ledger.xlsx", [
        ["刘建国", "2025-10-12", "进宿舍", "南苑3栋201", "走访宿舍", 6],
        ["王芳", "2025/10/13", "进食堂", "", "共进午餐", None],
        ["王芳", "2025年10月14日", "谈心谈话", "李同学", "谈心", 1],
    ])
    dialog = open_import_dialog(None)
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.importButton.isEnabled()
    before = dump(db_path)
    start_check(qtbot, dialog, path)
    qtbot.waitUntil(lambda: dialog.importButton.isEnabled(), timeout=15000)
    assert dialog.state == "checked"
    assert "新增 3 条" in dialog.summaryLabel.text() and "检查通过" in dialog.summaryLabel.text()
    assert dialog.addedList.count() == 3 and dialog.tabs.tabText(0) == "将新增 3"
    assert dialog.problemTable.rowCount() == 0
    assert dump(db_path) == before  # the preview wrote nothing
    with qtbot.waitSignal(dialog.imported, timeout=15000) as done:
        qtbot.mouseClick(dialog.importButton, Qt.MouseButton.LeftButton)
    assert done.args[0].added == 3
    assert "已导入" in dialog.summaryLabel.text() and not dialog.importButton.isEnabled()
    assert sorted(str(a.date) for a in Activity.select()) == ["2025-10-12", "2025-10-13", "2025-10-14"]
    qtbot.waitUntil(lambda: dialog.job is None)


def test_problems_are_listed_and_block_the_import(app, qtbot, roster, db_path, tmp_path):
    path = workbook(tmp_path / "bad.xlsx", [
        ["刘建国", "2025-10-12", "进宿舍", "南苑3栋201", "走访宿舍", 6],
        ["张三", "2025-02-30", "进澡堂", "", "x", -1],
    ])
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    before = dump(db_path)
    start_check(qtbot, dialog, path)
    qtbot.waitUntil(lambda: dialog.problemTable.rowCount() > 0, timeout=15000)
    assert dialog.problemTable.rowCount() == 4
    cells = {(dialog.problemTable.item(r, 1).text(), dialog.problemTable.item(r, 2).text())
             for r in range(dialog.problemTable.rowCount())}
    assert cells == {("3", "姓名"), ("3", "日期"), ("3", "类别"), ("3", "人数")}
    assert dialog.tabs.currentIndex() == 2 and "问题 4" in dialog.tabs.tabText(2)
    assert "改正后才能导入" in dialog.summaryLabel.text()
    assert not dialog.importButton.isEnabled()
    assert dump(db_path) == before


def test_a_file_that_is_not_a_workbook_is_explained(app, qtbot, roster, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("姓名,日期\n刘建国,2025-10-12\n", encoding="utf-8")
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    start_check(qtbot, dialog, path)
    qtbot.waitUntil(lambda: dialog.state == "failed", timeout=15000)
    assert "不是 Excel 工作簿" in dialog.summaryLabel.text() and "没有任何改动" in dialog.summaryLabel.text()
    assert not dialog.importButton.isEnabled()


def test_cancelling_the_check_leaves_nothing(app, qtbot, roster, db_path, tmp_path):
    path = big_workbook(tmp_path / "big.xlsx", 30_000)
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    start_check(qtbot, dialog, path)
    assert dialog.progress is not None
    dialog.progress.canceled.emit()  # the 取消 button
    qtbot.waitUntil(lambda: dialog.state == "cancelled", timeout=20000)
    assert "已取消" in dialog.summaryLabel.text() and dialog.importer is None
    assert not dialog.importButton.isEnabled()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.checkButton.isEnabled()


def test_cancelling_the_import_rolls_it_back(app, qtbot, roster, db_path, tmp_path):
    path = big_workbook(tmp_path / "big.xlsx", 30_000)
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    start_check(qtbot, dialog, path)
    qtbot.waitUntil(lambda: dialog.importButton.isEnabled(), timeout=30000)
    before = dump(db_path)
    qtbot.mouseClick(dialog.importButton, Qt.MouseButton.LeftButton)
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.state in ("cancelled", "imported"), timeout=30000)
    assert dialog.state == "cancelled"
    assert dump(db_path) == before
