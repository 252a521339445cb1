"""The compliance page, the policy editor and the home view's due-soon list, driven offscreen."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from liaison_desk.calendar import Term
from liaison_desk.gui.app import make_app
from liaison_desk.gui.compliance_view import COLOURS, CompliancePage
from liaison_desk.gui.due_soon import DueSoonPanel
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.gui.policy_editor import PolicyEditor
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.policy_edit import save_policy
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.policy import load_preset
from liaison_desk.store.models import ChangeLog


@pytest.fixture
def app(qapp):
    return make_app()


@pytest.fixture
def weifa(ledger):
    """weifa-2019-19 with the first term of 2025-2026, three cadres in two units; 赵处长 visited
    a dorm on 2025-10-09; a cadre whose name looks like a formula."""
    save_policy(load_preset("weifa-2019-19"))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    add_cadre("赵处长", "middle_head", "学生工作部", "部长")
    add_cadre("钱副处长", "middle_deputy", "财务处", "副处长")
    add_cadre("=1+2", "middle_deputy", "财务处", "副处长")
    add_activity(ActivityInput("赵处长", date(2025, 10, 9), "进宿舍", summary="走访南苑3栋"),
                 settings.current_policy())
    return settings.current_policy()


def checked_page(qtbot, scope: str, period: str, today: date) -> CompliancePage:
    page = CompliancePage(today=today)
    qtbot.addWidget(page)
    page.scope_combo.setCurrentIndex(page.scope_combo.findData(scope))
    page.period_combo.setCurrentIndex(page.period_combo.findData(period))
    with qtbot.waitSignal(page.checked, timeout=10000):
        page.show()  # the first showing runs the check
    return page


def cell_index(page: CompliancePage, cadre: str, rule: str):
    matrix = page.model.matrix
    row = [r.name for r in matrix.rows].index(cadre)
    column = [c.rule for c in matrix.columns].index(rule) + 1
    return page.model.index(row, column)


def test_matrix_shows_cadres_by_rules_coloured_by_status(app, qtbot, weifa):
    page = checked_page(qtbot, "month", "2025-10", date(2025, 11, 5))
    model = page.model
    assert model.rowCount() == 3
    assert [model.headerData(i, Qt.Orientation.Vertical) for i in range(3)] == ["赵处长", "钱副处长", "=1+2"]
    dorm = cell_index(page, "赵处长", "dorm-visit-monthly")
    assert model.data(dorm) == "1/1次"
    assert model.data(dorm, Qt.ItemDataRole.BackgroundRole).name() == COLOURS["met"]
    missed = cell_index(page, "钱副处长", "dorm-visit-monthly")
    assert model.data(missed) == "0/1次"
    assert model.data(missed, Qt.ItemDataRole.BackgroundRole).name() == COLOURS["short"]
    assert "干部 3 人" in page.status_label.text()


def test_clicking_a_cell_lists_the_activities_that_counted(app, qtbot, weifa):
    page = checked_page(qtbot, "month", "2025-10", date(2025, 11, 5))
    index = cell_index(page, "赵处长", "dorm-visit-monthly")
    rect = page.view.visualRect(index)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.results_table.rowCount() == 1
    assert page.results_table.item(0, 4).text() == "达标"
    assert page.activities_table.rowCount() == 1
    assert page.activities_table.item(0, 0).text() == "计入"
    assert page.activities_table.item(0, 1).text() == "2025-10-09"
    assert page.activities_table.item(0, 6).text() == "走访南苑3栋"
    assert "赵处长" in page.detail_label.text()


def test_the_drill_down_lists_activities_that_did_not_count_apart_with_why(app, qtbot, weifa):
    from liaison_desk.ledger.roster import add_target, assign

    add_target("计算2501班", "班级")
    add_target("计算2502班", "班级")
    assign("赵处长", "计算2501班", "2025-2026")
    for day, target in ((date(2025, 10, 20), "计算2502班"), (date(2025, 11, 3), "计算2502班"),
                        (date(2025, 11, 10), "计算2501班")):
        add_activity(ActivityInput("赵处长", day, "进班级", target=target, summary=f"到{target}"),
                     settings.current_policy())
    page = checked_page(qtbot, "term", "2025-2026-1", date(2026, 2, 1))
    index = cell_index(page, "赵处长", "linked-class-activity-term")
    page.view.setCurrentIndex(index)
    assert "2 条进班级未计入：对象不是本人本学年联系的" in page.results_table.item(0, 5).text()
    table = page.activities_table
    shown = [(table.item(i, 0).text(), table.item(i, 3).text()) for i in range(table.rowCount())]
    assert shown[0] == ("计入", "计算2501班")
    assert [t for _c, t in shown[1:]] == ["计算2502班", "计算2502班"]
    assert all(c.startswith("未计入：对象不是本人本学年联系的") for c, _t in shown[1:])


def test_filters_by_unit_tier_and_shortfall(app, qtbot, weifa):
    page = checked_page(qtbot, "month", "2025-10", date(2025, 11, 5))
    page.unit_combo.setCurrentIndex(page.unit_combo.findData("财务处"))
    assert page.model.rowCount() == 2
    page.unit_combo.setCurrentIndex(0)
    page.tier_combo.setCurrentIndex(page.tier_combo.findData("middle_head"))
    assert [r.name for r in page.model.matrix.rows] == ["赵处长"]
    page.tier_combo.setCurrentIndex(0)
    page.as_of_edit.setDate(page.as_of_edit.date().addDays(-30))  # 2025-10-06: October still running
    with qtbot.waitSignal(page.checked, timeout=10000):
        page.check_button.click()
    page.short_only.setChecked(True)
    assert page.model.rowCount() == 0  # nothing is short while the month runs


def test_export_writes_the_matrix_with_text_that_never_runs(app, qtbot, weifa, tmp_path):
    page = checked_page(qtbot, "term", "2025-2026-1", date(2026, 2, 1))
    path = page.export_to(tmp_path / "矩阵.xlsx")
    sheet = load_workbook(path)["达标矩阵"]
    names = [sheet.cell(row=r, column=1).value for r in range(4, 7)]
    assert names == ["赵处长", "钱副处长", "=1+2"]
    formula_like = sheet.cell(row=6, column=1)
    assert formula_like.data_type == "s"
    headers = [sheet.cell(row=3, column=c).value for c in range(1, sheet.max_column + 1)]
    dorm = headers.index("每月进宿舍1次（每月）") + 1
    assert sheet.cell(row=4, column=dorm).value == "欠缺 1/5月"
    detail = load_workbook(path)["明细"]
    assert detail.max_row > 10
    starts = [detail.cell(row=r, column=5).value for r in range(2, detail.max_row + 1)]
    assert all(isinstance(d, datetime) for d in starts)  # dates as dates, not as text (#17)
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$3"
    assert sheet.freeze_panes == "A4"


def test_policy_editor_changes_a_number_and_saves_it(app, qtbot, weifa):
    editor = PolicyEditor(policy=settings.current_policy())
    qtbot.addWidget(editor)
    row = [r.id for r in weifa.rules].index("dorm-visit-monthly")
    editor.rule_list.setCurrentRow(row)
    assert editor.form.title_edit.text() == "每月进宿舍1次"
    editor.form.min_spin.selectAll()
    qtbot.keyClicks(editor.form.min_spin, "2")
    editor.apply_button.click()
    assert settings.current_policy().rule("dorm-visit-monthly").min == 1  # not saved yet
    with qtbot.waitSignal(editor.saved):
        editor.save_button.click()
    assert settings.current_policy().rule("dorm-visit-monthly").min == 2
    assert "已保存" in editor.status_label.text()


def test_policy_editor_refuses_an_invalid_rule_and_saves_nothing(app, qtbot, weifa):
    editor = PolicyEditor(policy=settings.current_policy())
    qtbot.addWidget(editor)
    row = [r.id for r in weifa.rules].index("dorm-visit-monthly")
    editor.rule_list.setCurrentRow(row)
    editor.form.title_edit.clear()
    before = ChangeLog.select().count()
    editor.save_button.click()
    assert "“标题”：应为非空文字" in editor.error_label.text() and "rules[" not in editor.error_label.text()
    assert ChangeLog.select().count() == before
    assert settings.current_policy() == weifa
    # Moving to another rule with the bad edit pending keeps the clerk on it.
    editor.rule_list.setCurrentRow(0)
    assert editor.rule_list.currentRow() == row


def test_policy_editor_adds_removes_and_starts_from_a_preset(app, qtbot, weifa, tmp_path):
    editor = PolicyEditor(policy=settings.current_policy())
    qtbot.addWidget(editor)
    count = len(weifa.rules)
    editor.add_button.click()
    assert editor.rule_list.count() == count + 1 and editor.form.title_edit.text() == "新规则"
    editor.remove_button.click()
    assert editor.rule_list.count() == count
    editor.start_combo.setCurrentIndex(editor.start_combo.findData("jljtxy-2018"))
    editor.start_button.click()
    assert editor.policy.id == "jljtxy-2018"
    assert editor.export_to(tmp_path / "jl.toml")
    editor.start_combo.setCurrentIndex(editor.start_combo.findData(""))
    editor.start_button.click()
    assert editor.rule_list.count() == 0
    assert editor.import_from(tmp_path / "jl.toml") and editor.policy == load_preset("jljtxy-2018")
    assert editor.save()
    assert settings.current_policy().id == "jljtxy-2018"


def test_due_soon_lists_what_is_still_open(app, qtbot, weifa):
    panel = DueSoonPanel(today=date(2025, 10, 15))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.show()
    rows = [[panel.table.item(i, j).text() for j in range(5)] for i in range(panel.table.rowCount())]
    zhao = [r for r in rows if r[0] == "赵处长"]
    assert any(r[1] == "每月食堂就餐1次" and r[3] == "1次" and r[4] == "2025-10-31" for r in zhao)
    assert not any(r[1] == "每月进宿舍1次" for r in zhao)  # done this month
    assert not any("（提示）" in r[1] for r in rows)
    panel.required_only.setChecked(False)
    assert panel.table.rowCount() > len(rows)


def test_main_window_has_the_compliance_page_and_the_due_soon_list(app, qtbot, weifa):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window.home.due_soon, DueSoonPanel)
    window.show_area("达标检查")
    page = window.ui.pages.currentWidget()
    assert isinstance(page, CompliancePage)
    qtbot.waitUntil(lambda: page.model.matrix is not None or "无法" in page.status_label.text(),
                    timeout=10000)
    qtbot.waitUntil(lambda: window.home.due_soon.job is None and bool(window.home.due_soon.items),
                    timeout=10000)
