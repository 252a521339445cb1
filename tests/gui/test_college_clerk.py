"""#19: the window as a college secretary sees it, and as the office does. The clerk is the one
rights.session_clerk() gives (monkeypatched here: a file has no logins); the database's own row
filtering is not in these tests, so they check what the program itself shows and refuses: who is
logged in, the office's actions greyed out with the reason, each page's unit and cadre lists."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox

from liaison_desk.gui.app import make_app
from liaison_desk.gui.filing_dialog import FilingDialog
from liaison_desk.gui.form_dialog import FormDialog, FormsBox
from liaison_desk.gui.import_dialog import ImportDialog
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.gui.office_only import short_word
from liaison_desk.ledger import clerks, roster
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.clerks import Clerk
from liaison_desk.store import rights, storage
from liaison_desk.store.models import Cadre, Sheet

WANG = Clerk(login="wang", name="王秘书", office=False, units=("计算机学院",))
EVERY_UNIT = ["学生工作部", "数学学院", "计算机学院"]  # the roster's, by name


@pytest.fixture
def school(qapp, ledger):
    """Three units, a cadre in each, an October activity each."""
    make_app()
    for name, unit in (("张三", "计算机学院"), ("李四", "数学学院"), ("王五", "学生工作部")):
        roster.add_cadre(name, "middle_head", unit, "院长")
        add_activity(ActivityInput(cadre=name, date=date(2025, 10, 9), category="谈心谈话", summary="谈心",
                                   face_to_face=True, people=1), ledger)
    return ledger


@pytest.fixture
def college(monkeypatch):
    monkeypatch.setattr(rights, "session_clerk", lambda: WANG)
    return WANG


@pytest.fixture
def warnings(monkeypatch):
    """QMessageBox.warning calls, (title, text), without showing a box."""
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *a, **k: said.append((title, text)))
    return said


@pytest.fixture
def window(qtbot, school):
    def make() -> MainWindow:
        w = MainWindow()
        qtbot.addWidget(w)
        with qtbot.waitSignal(w.home.due_soon.loaded, timeout=60000):  # its worker done before the ledger closes
            w.show()
        return w
    return make


def items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def notes(widget) -> list[str]:
    """The office-only words shown on a page."""
    return [label.text() for label in widget.findChildren(QLabel, "officeOnly") if label.isVisibleTo(widget)]


# 1. Who is logged in ---------------------------------------------------------------------------

def test_a_college_clerk_is_named_in_the_status_bar(window, college):
    w = window()
    assert w.clerk_label.isVisible()
    assert w.clerk_label.text() == "登录：王秘书（计算机学院）"
    w.ui.statusbar.showMessage("已刷新", 5000)  # a passing message does not push it away
    assert w.clerk_label.isVisible()


def test_on_a_server_the_title_bar_names_the_clerk_too(window, college, monkeypatch):
    monkeypatch.setattr(storage, "is_server", lambda: True)
    monkeypatch.setattr(storage, "server_url", lambda: "postgresql://wang@ledger.school.edu.cn/ledger")
    w = window()
    assert "王秘书（计算机学院）" in w.windowTitle()
    assert "服务器台账 wang@ledger.school.edu.cn/ledger" in w.windowTitle()


def test_on_a_server_the_office_is_named_as_the_office(window, monkeypatch):
    monkeypatch.setattr(storage, "is_server", lambda: True)
    monkeypatch.setattr(storage, "server_url", lambda: "postgresql://office@ledger.school.edu.cn/ledger")
    w = window()
    office = rights.session_clerk()
    assert w.clerk_label.isVisible() and w.clerk_label.text() == f"登录：{office.name}（党委办公室）"
    assert w.windowTitle().endswith(f"— {office.name}（党委办公室）")
    assert w.ui.actionImportForm.isEnabled()


@pytest.mark.sqlite_only("a file has no logins: the window says nothing new")
def test_the_office_on_a_file_sees_no_new_clutter(window):
    w = window()
    assert not w.clerk_label.isVisible()
    assert "登录" not in w.windowTitle()
    assert w.ui.actionImportForm.isEnabled()


# 2. What only the office may do ----------------------------------------------------------------

def test_form_import_is_greyed_in_the_menu_with_the_reason_and_cannot_be_triggered(window, college, monkeypatch):
    opened = []
    monkeypatch.setattr("liaison_desk.gui.form_dialog.open_form_dialog", lambda *a: opened.append(a))
    w = window()
    action = w.ui.actionImportForm
    assert not action.isEnabled()
    assert action.toolTip() == action.statusTip() == clerks.refusal("forms")
    assert "只有党委办公室可以导入或修改记录表格式" in action.toolTip() and "王秘书" in action.toolTip()
    action.setShortcut("Ctrl+Shift+F")  # even with a key bound to it, the key does nothing
    w.activateWindow()
    QTest.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    action.trigger()
    assert opened == []


def test_signing_and_the_signing_box_are_greyed_with_a_word(window, college, warnings, monkeypatch, qtbot):
    w = window()
    w.show_area("报表")
    page = w.page("报表")
    page.cadre_combo.setCurrentText("张三")
    page.refresh_sheet()
    assert not page.sign_button.isEnabled()
    assert page.sign_button.toolTip() == clerks.refusal("sign")
    assert short_word("sign") == "仅党委办公室可签字封存记录表"
    assert short_word("sign") in notes(page)
    for button in page.signing.buttons:
        assert not button.isEnabled(), button.text()
        assert button.toolTip() == clerks.refusal("sign")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a))
    page.sign_button.setFocus()
    qtbot.keyClick(page.sign_button, Qt.Key.Key_Space)  # the keyboard does not reach it either
    assert asked == [] and warnings == []
    page.sign_sheet()  # reached any other way: refused, nothing signed
    assert warnings == [("签字封存", clerks.refusal("sign"))] and asked == []
    assert Sheet.select().where(Sheet.status == "signed").count() == 0


def test_the_policy_editor_is_the_offices(window, college, warnings, monkeypatch):
    w = window()
    w.show_area("达标检查")
    page = w.page("达标检查")
    assert not page.policy_button.isEnabled()
    assert page.policy_button.toolTip() == clerks.refusal("policy")
    assert "仅党委办公室可修改联系制度" in notes(page)
    opened = []
    monkeypatch.setattr("liaison_desk.gui.policy_editor.PolicyEditor.exec", lambda self: opened.append(self))
    page.edit_policy()
    assert opened == [] and warnings == [("编辑制度", clerks.refusal("policy"))]
    assert page.filing_button.isEnabled()  # 登记报送 is a college's work too


def test_school_name_and_terms_are_greyed_in_settings(window, college, warnings):
    w = window()
    w.show_area("设置")
    page = w.page("设置")
    assert not page.school.isEnabled() and not any(b.isEnabled() for b in page.school_buttons)
    assert not page.save_term_button.isEnabled()
    assert page.save_term_button.toolTip() == clerks.refusal("terms")
    shown = notes(page)
    assert "仅党委办公室可修改学校名称等台账设置" in shown and "仅党委办公室可设置学期" in shown
    assert "仅党委办公室可导入或修改记录表格式" in shown
    box = page.findChild(FormsBox)
    assert not box.button.isEnabled()


def test_the_forms_dialog_refuses_to_import(qtbot, school, college, warnings):
    dialog = FormDialog()
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert dialog.do_import() is False
    assert warnings == [("导入记录表格式", clerks.refusal("forms"))]


def test_roster_imports_are_greyed_in_the_import_dialog_and_refused(qtbot, school, college, warnings, tmp_path):
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    combo = dialog.kindCombo
    model = combo.model()
    enabled = {combo.itemData(i): model.item(i).isEnabled() for i in range(combo.count())}
    assert enabled == {"activities": True, "cadres": False, "targets": False, "assignments": False}
    assert model.item(1).toolTip() == clerks.refusal("roster_import")
    dialog.set_kind("cadres")
    dialog.set_file(tmp_path / "名册.xlsx")
    dialog.check()
    assert warnings == [("导入名册", clerks.refusal("roster_import"))]
    assert dialog.state == "idle"


def test_a_college_secretary_adds_cadres_to_its_own_units_only(window, college):
    before = Cadre.select().count()
    w = window()
    w.show_area("名册")
    page = w.page("名册")
    tab = page.cadres
    assert tab.unit.text() == "计算机学院"  # its unit, filled in
    assert tab.unit.completer().model().stringList() == ["计算机学院"]
    tab.unit.setText("学生工作部")
    tab.name.setText("赵六")
    tab.add()
    assert "“学生工作部”不在其中" in page.status.text()
    assert Cadre.select().count() == before
    assert "仅党委办公室可签字封存记录表" in notes(page)  # the signature picture is for signing


def test_the_office_sees_every_action_enabled_and_no_notes(window):
    w = window()
    for area in ("报表", "达标检查", "设置", "名册"):
        w.show_area(area)
        assert notes(w.page(area)) == [], area
    assert w.page("报表").signing.certificate_choose_button.isEnabled()
    assert w.page("达标检查").policy_button.isEnabled()
    assert w.page("设置").save_term_button.isEnabled()
    assert w.page("名册").cadres.unit.text() == ""


# 3. Unit and cadre lists -----------------------------------------------------------------------

def page_lists(w: MainWindow) -> dict[str, list[str]]:
    """Every unit and cadre list on the pages, as shown."""
    for area in ("记录录入", "台账", "达标检查", "问题清单", "报表", "名册"):
        w.show_area(area)
    reports = w.page("报表")
    reports.month_edit.setDate(reports.month_edit.date().fromString("2025-10-01", "yyyy-MM-dd"))
    return {
        "记录录入 干部": items(w.page("记录录入").cadre_box),
        "台账 部门": items(w.page("台账").unit)[1:],
        "台账 干部": items(w.page("台账").cadre)[1:],
        "达标检查 部门": items(w.page("达标检查").unit_combo)[1:],
        "问题清单 部门": items(w.page("问题清单").unit_box)[1:],
        "问题清单 干部": items(w.page("问题清单").cadre_box)[1:],
        "报表 干部": items(reports.cadre_combo),
        "报表 记录表部门": items(reports.receipts.unit_box)[1:],
        "报表 记录表干部": [line.cadre for line in reports.receipts.lines],
        "名册 部门": w.page("名册").cadres.unit.completer().model().stringList(),
        "名册 联系安排干部": items(w.page("名册").assignments.cadre),
    }


def test_a_college_secretary_s_lists_hold_its_units_only(window, college, qtbot):
    lists = page_lists(window())
    for what, shown in lists.items():
        expected = ["张三"] if "干部" in what else ["计算机学院"]
        assert shown == expected, what
    dialog = FilingDialog()
    qtbot.addWidget(dialog)
    assert items(dialog.unit_combo)[1:] == ["计算机学院"] and items(dialog.cadre_combo)[1:] == ["张三"]


def test_the_office_s_lists_hold_every_unit(window):
    lists = page_lists(window())
    assert lists["台账 部门"] == lists["问题清单 部门"] == lists["名册 部门"] == EVERY_UNIT
    assert sorted(lists["达标检查 部门"]) == EVERY_UNIT
    assert sorted(lists["报表 记录表部门"]) == EVERY_UNIT
    for what in ("记录录入 干部", "报表 干部", "报表 记录表干部", "名册 联系安排干部"):
        assert lists[what] == ["张三", "李四", "王五"], what


def test_the_core_lists_for_the_command_line_too(school, college):
    assert clerks.visible_units() == ["计算机学院"]
    assert [name for _id, name in clerks.visible_cadres()] == ["张三"]
    assert clerks.scope_line() == "范围：计算机学院"
    clerks.require_unit("计算机学院")
    with pytest.raises(Exception, match="不在其中"):
        clerks.require_unit("数学学院")

