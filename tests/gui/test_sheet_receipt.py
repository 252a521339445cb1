"""纸质表已收到, as a clerk records it: one key in the sheet editor (shown on the sheet, undoable)
and the month's list of sheets on the 报表 page (issue 12, defect 3)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from liaison_desk.gui.app import make_app
from liaison_desk.gui.reports_view import ReportsPage
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Cadre, Sheet

from .editor_window import open_editor

CTRL = Qt.KeyboardModifier.ControlModifier


def submitted(name: str, month: str) -> date | None:
    sheet = Sheet.get_or_none((Sheet.cadre == Cadre.get(Cadre.name == name)) & (Sheet.month == month))
    return sheet.submitted_on if sheet else None


@pytest.fixture
def editor(qapp, qtbot, ledger):
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    page = open_editor(qtbot, "林处长", "2025-10")
    return page


def test_one_key_records_the_paper_received_today_shown_on_the_sheet_and_undoable(editor, qtbot):
    today = date.today()
    assert "未收到" in editor.received.text()
    assert "Ctrl+R" in " ".join(w.text() for w in editor.findChildren(type(editor.status)))
    qtbot.keyClick(editor.view, Qt.Key.Key_R, CTRL)
    assert submitted("林处长", "2025-10") == today
    assert f"已收到 {today.isoformat()}" in editor.received.text()
    assert "已登记" in editor.status.text()
    # Reopening the sheet (another cadre, then back) shows what is stored.
    editor.open_sheet("陈书记", "2025-10")
    assert "未收到" in editor.received.text()
    editor.open_sheet("林处长", "2025-10")
    assert f"已收到 {today.isoformat()}" in editor.received.text()
    # The same key again takes it back; Ctrl+Z puts it back as it was.
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_R, CTRL)
    assert submitted("林处长", "2025-10") is None and "未收到" in editor.received.text()
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, CTRL)
    assert submitted("林处长", "2025-10") == today and "已收到" in editor.received.text()
    qtbot.keyClick(editor.view, Qt.Key.Key_Y, CTRL)
    assert submitted("林处长", "2025-10") is None and "未收到" in editor.received.text()


def test_a_month_not_begun_cannot_be_received(editor, qtbot):
    nxt = date.today().replace(day=1)
    nxt = nxt.replace(year=nxt.year + 1, month=1) if nxt.month == 12 else nxt.replace(month=nxt.month + 1)
    editor.open_sheet("林处长", f"{nxt.year:04d}-{nxt.month:02d}")
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_R, CTRL)
    assert "早于" in editor.status.text() and "未收到" in editor.received.text()
    assert Sheet.select().count() == 0


@pytest.fixture
def reports(qapp, qtbot, ledger):
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    add_cadre("周副部长", "middle_deputy", "学生工作部", "副部长")
    page = ReportsPage(today=date(2025, 11, 4))
    qtbot.addWidget(page)
    page.show()
    page.month_edit.setDate(page.month_edit.date().addMonths(-1))  # 2025-10
    return page


def test_the_months_list_of_sheets_shows_and_records_receipts_for_the_selected(reports, qtbot):
    panel = reports.receipts
    assert [panel.model.rows[r]["cadre"] for r in range(panel.model.rowCount())] == ["陈书记", "林处长", "周副部长"]
    assert all(r["received"] == "未收到" for r in panel.model.rows)
    assert "已收到 0 份" in panel.summary.text()
    # A whole unit: choose 学生工作部, Ctrl+A, record them received on the chosen date.
    panel.unit_box.setCurrentIndex(panel.unit_box.findText("学生工作部"))
    assert [r["cadre"] for r in panel.model.rows] == ["林处长", "周副部长"]
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_A, CTRL)
    panel.date_edit.setDate(panel.date_edit.date().addDays(-1))  # 2025-11-03
    qtbot.mouseClick(panel.mark_button, Qt.MouseButton.LeftButton)
    assert submitted("林处长", "2025-10") == date(2025, 11, 3) == submitted("周副部长", "2025-10")
    assert submitted("陈书记", "2025-10") is None
    assert "已登记收到 2 份" in panel.message.text()
    panel.unit_box.setCurrentIndex(0)
    assert [r["received"] for r in panel.model.rows] == ["未收到", "已收到 2025-11-03", "已收到 2025-11-03"]
    assert "已收到 2 份" in panel.summary.text()
    # One row taken back (recorded by mistake).
    panel.view.selectionModel().select(panel.model.index(2, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                       | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert submitted("周副部长", "2025-10") is None and submitted("林处长", "2025-10") == date(2025, 11, 3)
    reports.cadre_combo.setCurrentIndex(reports.cadre_combo.findText("林处长"))
    assert "纸质表已于 2025-11-03 收到" in reports.sheet_status.text()
    # Another month has its own list.
    reports.month_edit.setDate(reports.month_edit.date().addMonths(1))
    assert all(r["received"] == "未收到" for r in panel.model.rows)
