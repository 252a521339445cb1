"""The problem list page: filter, follow a problem through its steps, open its source sheet."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.ledger import problems
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Problem


@pytest.fixture
def window(qapp, qtbot, ledger):
    make_app()
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    add_activity(ActivityInput("林处长", date(2025, 10, 12), "进宿舍", problems="热水供应不稳定"), ledger)
    late = problems.add_problem("快递点排队时间长", date(2025, 9, 1), "生活")
    problems.transfer(late.id, "后勤保障处", date(2025, 9, 15), date(2025, 9, 2), new_unit=True)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def test_overdue_problems_show_on_the_home_view(window):
    assert "逾期未办结的问题 1 条" in window.home.body.text()
    assert "快递点排队时间长" in window.home.body.text()


def test_follow_a_problem_from_the_list(window, qtbot):
    page = window.page("问题清单")
    window.show_area("问题清单")
    assert "逾期 1 条" in page.count.text()
    page.overdue.setChecked(True)
    assert [r["description"] for r in page.model.rows] == ["快递点排队时间长"]
    page.overdue.setChecked(False)
    row = next(i for i, r in enumerate(page.model.rows) if r["description"] == "热水供应不稳定")
    page.view.selectRow(row)
    assert "热水供应不稳定" in page.title.text() and page.history.count() == 1
    page.to_unit.setCurrentText("后勤保障处")
    page.step_date.setDate(QDate(2025, 10, 13))
    page.due.setDate(QDate(2025, 10, 27))
    page.act("transfer")
    p = Problem.get(Problem.description == "热水供应不稳定")
    assert (p.status, p.unit.name, p.due_on) == ("已转办", "后勤保障处", date(2025, 10, 27))
    page.view.selectRow(next(i for i, r in enumerate(page.model.rows) if r["id"] == p.id))
    page.act("solve")  # no result written: refused with the reason
    assert "办理结果" in page.message.text() and Problem.get_by_id(p.id).status == "已转办"
    page.note.setText("更换热水器")
    page.step_date.setDate(QDate(2025, 10, 20))
    page.act("solve")
    assert Problem.get_by_id(p.id).status == "已办结"
    page.view.selectRow(next(i for i, r in enumerate(page.model.rows) if r["id"] == p.id))
    assert page.history.count() == 3
    # The way back to the sheet the problem came from.
    page.act("source")
    editor = window.page("记录录入")
    assert window.ui.pages.currentWidget() is editor
    assert (editor.content.cadre, editor.content.month) == ("林处长", "2025-10")


def test_register_a_problem_alone(window):
    page = window.page("问题清单")
    page.new_text.setText("图书馆座位预约系统常出错")
    page.add()
    assert Problem.select().where(Problem.description == "图书馆座位预约系统常出错").exists()
    page.new_text.setText("")
    page.add()
    assert "不能为空" in page.message.text()
