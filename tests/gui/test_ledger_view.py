"""The ledger grid: filters and sorting by the core, paging, editing in place with undo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from liaison_desk.gui.app import make_app
from liaison_desk.gui.ledger_view import KEYS, LedgerPage
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.listing import PAGE_SIZE
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Activity, db


@pytest.fixture
def page(qapp, qtbot, ledger):
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记")
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    with db.atomic():
        for day in range(1, 29):
            add_activity(ActivityInput("陈书记", date(2025, 10, day), "进宿舍", summary=f"走访第{day}次"), ledger)
            add_activity(ActivityInput("林处长", date(2025, 10, day), "谈心谈话", people=1,
                                       summary="与学生谈心" if day != 5 else "反映热水问题"), ledger)
    widget = LedgerPage()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_filters_narrow_the_grid(page, qtbot):
    assert page.model.total == 56 and "56" in page.count.text()
    page.category.setCurrentIndex(page.category.findData("进宿舍"))
    qtbot.waitUntil(lambda: page.model.total == 28)
    assert {r.category for r in page.model.rows} == {"进宿舍"}
    page.category.setCurrentIndex(0)
    page.search.setText("热水")
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.rows[0].cadre == "林处长"
    page.search.setText("")
    page.unit.setCurrentIndex(page.unit.findData("学生工作部"))
    qtbot.waitUntil(lambda: page.model.total == 28)


def test_sorting_is_done_by_the_core(page):
    page.view.sortByColumn(KEYS.index("date"), Qt.SortOrder.AscendingOrder)
    assert page.model.rows[0].date == date(2025, 10, 1)
    page.view.sortByColumn(KEYS.index("date"), Qt.SortOrder.DescendingOrder)
    assert page.model.rows[0].date == date(2025, 10, 28)


def test_rows_load_a_page_at_a_time(ledger, qapp, qtbot):
    make_app()
    add_cadre("王芳", "leader")
    rows = [Activity(cadre=1, date=date(2025, 1, 1 + i % 28), category="进食堂", created_at=date.today(),
                     updated_at=date.today()) for i in range(PAGE_SIZE + 120)]
    with db.atomic():
        Activity.bulk_create(rows, batch_size=500)
    widget = LedgerPage()
    qtbot.addWidget(widget)
    assert widget.model.total == PAGE_SIZE + 120 and widget.model.rowCount() == PAGE_SIZE
    assert widget.model.canFetchMore()
    widget.model.fetchMore()
    assert widget.model.rowCount() == PAGE_SIZE + 120 and not widget.model.canFetchMore()


def test_edit_in_place_with_undo_and_a_refused_value(page, qtbot):
    page.view.sortByColumn(KEYS.index("date"), Qt.SortOrder.AscendingOrder)
    row = next(i for i, r in enumerate(page.model.rows) if r.cadre == "陈书记")
    activity_id = page.model.rows[row].activity_id
    index = page.model.index(row, KEYS.index("summary"))
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    QApplication.sendEvent(page.view, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                Qt.KeyboardModifier.NoModifier, "走访南苑3栋"))
    editor = page.window().focusWidget()
    QApplication.sendEvent(editor, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: Activity.get_by_id(activity_id).summary == "走访南苑3栋", timeout=2000)
    assert page.model.rows[row].summary == "走访南苑3栋"
    page.undo.undo()
    assert Activity.get_by_id(activity_id).summary == "走访第1次"
    # A date the clerk cannot mean is marked, not saved.
    page.model.setData(page.model.index(row, KEYS.index("date")), "2025-02-30")
    assert Activity.get_by_id(activity_id).date == date(2025, 10, 1)
    assert "不存在" in page.status.text()
    assert page.model.data(page.model.index(row, KEYS.index("date")), Qt.ItemDataRole.ToolTipRole)
    # Shorthand within the row's own month.
    page.model.setData(page.model.index(row, KEYS.index("date")), "10.3")
    assert Activity.get_by_id(activity_id).date == date(2025, 10, 3)
    page.model.setData(page.model.index(row, KEYS.index("face_to_face")), Qt.CheckState.Unchecked.value,
                       Qt.ItemDataRole.CheckStateRole)
    assert not Activity.get_by_id(activity_id).face_to_face
