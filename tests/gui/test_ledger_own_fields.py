"""The ledger page (台账) shows a form's own fields (issue 16): a 地点 column, searchable, edited
in place with undo; without such a form the page is as it was."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sixth_school import use_for_every_tier

from liaison_desk.gui.app import make_app
from liaison_desk.gui.ledger_view import KEYS, LedgerPage
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Activity


def open_page(qtbot) -> LedgerPage:
    make_app()
    widget = LedgerPage()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def page(qapp, qtbot, ledger, monkeypatch):
    policy = use_for_every_tier(monkeypatch, ledger)
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_activity(ActivityInput("周校长", date(2025, 10, 12), "进班级", carrier="计算2501班", summary="主题班会",
                               extra={"地点": "教学楼A101"}), policy)
    add_activity(ActivityInput("周校长", date(2025, 10, 20), "进宿舍", summary="走访宿舍"), policy)
    return open_page(qtbot)


def headers(page) -> list[str]:
    return [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]


def test_the_place_has_its_own_column(page, qtbot):
    assert headers(page)[-1] == "地点" and headers(page)[:len(KEYS)][-1] == "发现问题"
    place = len(KEYS)
    assert [page.model.data(page.model.index(r, place)) for r in range(2)] == ["", "教学楼A101"]
    page.search.setText("A101")
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.rows[0].summary == "主题班会"


def test_the_place_is_edited_in_place_and_undone(page):
    place = page.model.index(1, len(KEYS))
    assert page.model.flags(place) & Qt.ItemFlag.ItemIsEditable
    page.model.setData(place, "图书馆")
    assert Activity.get(Activity.summary == "主题班会").extra == '{"place":"图书馆"}'
    assert page.model.data(place) == "图书馆"
    page.undo.undo()
    assert Activity.get(Activity.summary == "主题班会").extra == '{"place":"教学楼A101"}'
    page.model.setData(place, "楼" * 201)
    assert "过长" in page.model.data(place, Qt.ItemDataRole.ToolTipRole)
    assert Activity.get(Activity.summary == "主题班会").extra == '{"place":"教学楼A101"}'


def test_without_such_a_form_the_page_has_its_columns_as_before(qapp, qtbot, ledger):
    assert headers(open_page(qtbot)) == ["日期", "干部", "部门", "类别", "联系对象/载体", "工作简况", "人数", "天数",
                                         "面对面", "发现问题"]


def test_sorting_by_the_place(page):
    page.view.sortByColumn(len(KEYS), Qt.SortOrder.DescendingOrder)
    assert [r.value("extra.place") for r in page.model.rows] == ["教学楼A101", ""]
    page.view.sortByColumn(len(KEYS), Qt.SortOrder.AscendingOrder)
    assert [r.value("extra.place") for r in page.model.rows] == ["", "教学楼A101"]
