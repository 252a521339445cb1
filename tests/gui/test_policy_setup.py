"""A new school in the GUI: the first-run dialog offers a blank policy and a policy file besides
the presets and says where the policy is edited later; the policy editor starts a new rule with
nothing ticked, shows every category, amounts as typed, errors by their on-screen label, rule ids
in Chinese (or made up), the school's own filing kinds, and fits a 1366×768 screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from liaison_desk.gui.app import make_app
from liaison_desk.gui.policy_editor import PolicyEditor
from liaison_desk.gui.policy_widgets import _checked
from liaison_desk.gui.setup_dialog import BLANK, IMPORT, SetupDialog
from liaison_desk.ledger import settings
from liaison_desk.policy import FilingKind
from liaison_desk.store import storage

SIXTH = Path(__file__).resolve().parents[1] / "data" / "sixth-school-policy.toml"
SCREEN = (1366, 768 - 40)  # a 1366×768 laptop less a Windows taskbar


@pytest.fixture
def app(qapp):
    return make_app()


def type_chinese(widget, text: str) -> None:
    """keyClicks aborts on non-ASCII text: commit it as an input method would."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def fresh(db_path):
    storage.open_database(db_path)
    yield
    storage.close_database()


def choose(qtbot, dialog: SetupDialog, label: str) -> None:
    """Pick a policy by keyboard: focus the combo and press Down until the label is current."""
    combo = dialog.ui.policyCombo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findText(label)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def press_ok(dialog: SetupDialog) -> None:
    dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok).click()


def test_first_run_offers_a_blank_policy_and_says_where_it_is_edited(app, qtbot, fresh):
    dialog = SetupDialog(today=date(2025, 10, 8))
    qtbot.addWidget(dialog)
    items = [dialog.ui.policyCombo.itemText(i) for i in range(dialog.ui.policyCombo.count())]
    assert items[-2:] == [BLANK, IMPORT] and len(items) == 7
    assert "达标检查" in dialog.ui.laterLabel.text() and "编辑制度" in dialog.ui.laterLabel.text()
    assert "以后可在“设置”中修改" not in dialog.ui.introLabel.text()
    choose(qtbot, dialog, BLANK)
    assert "没有任何规则" in dialog.ui.policyInfo.text()
    type_chinese(dialog.ui.schoolEdit, "某某职业学院")
    press_ok(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert settings.current_policy().rules == () and settings.school_name() == "某某职业学院"


def test_first_run_imports_a_policy_file(app, qtbot, fresh, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(SIXTH), ""))
    dialog = SetupDialog(today=date(2025, 10, 8))
    qtbot.addWidget(dialog)
    choose(qtbot, dialog, IMPORT)  # choosing the item opens the file dialog
    assert "领导干部联系班级工作办法" in dialog.ui.policyCombo.currentText()
    assert "检查规则 6 条" in dialog.ui.policyInfo.text()
    press_ok(dialog)
    policy = settings.current_policy()
    assert [f.name for f in policy.filings] == ["年度书面报告"] and len(policy.rules) == 6


def test_first_run_refuses_a_bad_policy_file_and_keeps_the_choice(app, qtbot, fresh, monkeypatch, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nname = \n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog = SetupDialog(today=date(2025, 10, 8))
    qtbot.addWidget(dialog)
    choose(qtbot, dialog, IMPORT)
    assert "无法导入" in dialog.ui.errorLabel.text() and "bad.toml" in dialog.ui.errorLabel.text()
    assert dialog.ui.policyCombo.currentIndex() == 0
    assert not settings.is_initialised()


@pytest.fixture
def editor(app, qtbot, ledger, monkeypatch):
    # Closing at teardown asks whether to drop unsaved edits: answer yes.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog = PolicyEditor(policy=settings.current_policy())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_new_rule_starts_with_nothing_ticked_and_errors_name_the_label(qtbot, editor):
    count = len(editor.policy.rules)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert _checked(editor.form.categories_list) == [] and _checked(editor.form.kinds_list) == []
    assert editor.form.min_spin.text() == "1"  # not 1.00
    type_chinese(editor.form.title_edit, "每月谈心1次")
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    error = editor.error_label.text()
    assert "“计入的活动类别”" in error and "rules[" not in error
    assert len(editor.policy.rules) == count  # nothing added while invalid
    talk = editor.form.categories_list.findItems("谈心谈话", Qt.MatchFlag.MatchExactly)[0]
    talk.setCheckState(Qt.CheckState.Checked)
    editor.form.id_edit.clear()
    type_chinese(editor.form.id_edit, "谈心-每月")
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert editor.error_label.text() == ""
    rule = editor.policy.rules[-1]
    assert (rule.id, rule.title, rule.categories) == ("谈心-每月", "每月谈心1次", ("谈心谈话",))


def test_an_empty_rule_id_is_made_up(qtbot, editor):
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.form.id_edit.clear()
    editor.form.categories_list.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert editor.policy.rules[-1].id == "规则-1"


def test_half_amounts_show_as_typed(qtbot, editor):
    editor.form.min_spin.setFocus()
    editor.form.min_spin.selectAll()
    qtbot.keyClicks(editor.form.min_spin, "0.5")
    assert editor.form.min_spin.value() == 0.5
    editor.form.min_spin.setValue(2)
    assert editor.form.min_spin.text() == "2"


def test_every_category_is_in_sight(qtbot, editor):
    editor.resize(1100, 680)  # its size on a 1366×768 screen
    qtbot.wait(50)
    box = editor.form.categories_list
    editor.form.parentWidget().parentWidget().ensureWidgetVisible(box)  # the form's scroll area
    shown = [box.visualItemRect(box.item(i)) for i in range(box.count())]
    assert box.count() > 4
    assert all(box.viewport().rect().contains(r) for r in shown)
    assert len({r.top() for r in shown}) < box.count()  # laid out in rows, not one per line


def test_the_school_declares_a_filing_kind_and_a_rule_names_it(qtbot, editor):
    assert editor.set_filings((FilingKind("年度书面报告", "year", "06-30"),))
    events = [editor.form.event_combo.itemData(i) for i in range(editor.form.event_combo.count())]
    assert "年度书面报告" in events
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.form.measure_combo.setCurrentIndex(editor.form.measure_combo.findData("deadline"))
    editor.form.event_combo.setCurrentIndex(editor.form.event_combo.findData("年度书面报告"))
    editor.form.period_combo.setCurrentIndex(editor.form.period_combo.findData("year"))
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert editor.error_label.text() == ""
    assert editor.save()
    assert settings.current_policy().rules[-1].event == "年度书面报告"


def test_the_editor_fits_a_1366_by_768_screen_with_every_button_reachable(qtbot, editor):
    frame = editor.frameGeometry()
    assert frame.width() <= SCREEN[0] and frame.height() <= SCREEN[1]
    hint = editor.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1]
    inside = editor.rect()
    for button in editor.findChildren(QPushButton):
        assert button.isVisible(), button.text()
        corner = button.mapTo(editor, QPoint(button.width() - 1, button.height() - 1))
        assert inside.contains(button.mapTo(editor, QPoint(0, 0))) and inside.contains(corner), button.text()


def test_set_up_in_august_proposes_the_coming_first_term():
    from liaison_desk.gui.setup_dialog import default_term

    assert default_term(date(2025, 8, 25)) == ("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18))


def test_the_filing_dialog_takes_the_schools_own_kind(app, qtbot, ledger):
    from liaison_desk.calendar import Term
    from liaison_desk.gui.filing_dialog import FilingDialog
    from liaison_desk.ledger.filings import filings
    from liaison_desk.ledger.policy_edit import import_policy
    from liaison_desk.ledger.roster import add_cadre

    import_policy(SIXTH)
    settings.set_term(Term("2025-2026-2", date(2026, 2, 23), date(2026, 7, 5)))
    add_cadre("王校长", "leader", "校领导班子", "副校长")
    dialog = FilingDialog(today=date(2026, 6, 20))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    kinds = [dialog.kind_combo.itemText(i) for i in range(dialog.kind_combo.count())]
    assert kinds == ["学期工作总结", "学年联系安排", "年度书面报告"]
    assert dialog.period_edit.text() == "2025-2026-2"  # a term summary is filed per term
    dialog.kind_combo.setFocus()
    qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_End)
    assert dialog.period_edit.text() == "2025-2026"  # the yearly report per academic year
    dialog.cadre_combo.setCurrentIndex(dialog.cadre_combo.findData("王校长"))
    dialog.period_edit.selectAll()
    qtbot.keyClicks(dialog.period_edit, "2025-2026-2")
    qtbot.keyClick(dialog.period_edit, Qt.Key.Key_Return)
    assert "学年" in dialog.error_label.text() and filings() == []  # a yearly kind takes a year
    dialog.period_edit.selectAll()
    qtbot.keyClicks(dialog.period_edit, "2025-2026")
    qtbot.keyClick(dialog.period_edit, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [(f.kind, f.period, f.cadre.name) for f in filings()] == [("年度书面报告", "2025-2026", "王校长")]


def test_the_filing_dialog_opens_on_the_deadline_picked_in_the_matrix(app, qtbot, ledger):
    from liaison_desk.gui.filing_dialog import FilingDialog
    from liaison_desk.ledger.policy_edit import import_policy
    from liaison_desk.ledger.roster import add_cadre

    import_policy(SIXTH)
    add_cadre("李处长", "middle_head", "学生工作部", "部长")
    dialog = FilingDialog(today=date(2026, 9, 10), cadre="李处长", event="年度书面报告", day=date(2025, 9, 1))
    qtbot.addWidget(dialog)
    assert (dialog.kind_combo.currentData(), dialog.period_edit.text(), dialog.cadre_combo.currentData()) == (
        "年度书面报告", "2025-2026", "李处长")


def test_moving_to_another_rule_adds_a_valid_new_rule_and_shows_the_one_picked(qtbot, editor):
    count = len(editor.policy.rules)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.form.categories_list.item(0).setCheckState(Qt.CheckState.Checked)
    first = editor.rule_list.visualItemRect(editor.rule_list.item(0)).center()
    qtbot.mouseClick(editor.rule_list.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert len(editor.policy.rules) == count + 1 and editor.rule_list.count() == count + 1
    assert editor.rule_list.currentRow() == 0
    assert editor.form.title_edit.text() == editor.policy.rules[0].title
    assert editor.rule_list.item(count).text().startswith("新规则  ·  规则-")


def test_the_school_adds_a_filing_kind_in_the_editor(qtbot, editor):
    from liaison_desk.gui.policy_widgets import FilingKindsDialog

    dialog = FilingKindsDialog(editor.policy.filings, editor)
    qtbot.addWidget(dialog)
    type_chinese(dialog.name_edit, "年度书面报告")
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("year"))
    dialog.due_combo.setCurrentIndex(dialog.due_combo.findData("date"))
    qtbot.keyClicks(dialog.date_edit, "13-40")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "应如 06-30" in dialog.error_label.text() and dialog.filings == []
    dialog.date_edit.clear()
    qtbot.keyClicks(dialog.date_edit, "06-30")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.list.item(0).text() == "年度书面报告：每学年，截止 6月30日"
    assert editor.set_filings(tuple(dialog.filings))
    assert editor.policy.filings == (FilingKind("年度书面报告", "year", "06-30"),)


def test_the_navigation_says_where_the_policy_is_edited():
    from liaison_desk.gui.main_window import AREAS

    areas = dict(AREAS)
    assert "编辑联系制度" in areas["达标检查"]
    assert "“达标检查”→“编辑制度…”" in areas["设置"]


def test_the_clause_is_typed_over_and_left_with_tab(qtbot, editor):
    """A clerk at the keyboard: Tab from 标题 into 依据条款 selects the stand-in text, so what is
    typed replaces it; Tab then goes on to 计量方式 instead of putting a tab into the clause."""
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    form = editor.form
    assert QApplication.focusWidget() is form.title_edit
    qtbot.keyClick(form.title_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.clause_edit
    type_chinese(form.clause_edit, "本校办法第五条")
    qtbot.keyClick(form.clause_edit, Qt.Key.Key_Tab)
    assert form.clause_edit.toPlainText() == "本校办法第五条"
    assert QApplication.focusWidget() is form.measure_combo
    form.note_edit.setFocus()
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Tab)
    assert form.note_edit.toPlainText() == "" and QApplication.focusWidget() is not form.note_edit


def test_ok_keeps_a_filing_kind_filled_in_but_not_added(qtbot, editor):
    """The clerk fills in 年度书面报告 and presses Enter (确定) without 添加: it was dropped without
    a word; now it is kept, and a bad one keeps the dialog open with the reason."""
    from liaison_desk.gui.policy_widgets import FilingKindsDialog

    dialog = FilingKindsDialog(editor.policy.filings, editor)
    qtbot.addWidget(dialog)
    dialog.show()
    type_chinese(dialog.name_edit, "年度书面报告")
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("year"))
    dialog.due_combo.setCurrentIndex(dialog.due_combo.findData("date"))
    qtbot.keyClicks(dialog.date_edit, "13-40")
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "应如 06-30" in dialog.error_label.text()
    dialog.date_edit.clear()
    qtbot.keyClicks(dialog.date_edit, "06-30")
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.filings == [FilingKind("年度书面报告", "year", "06-30")]


def test_the_rule_count_follows_a_rule_applied_with_the_button(qtbot, editor):
    """应用修改 on a new rule: the list shows it and the count under the list says so (it stayed at
    the old number: the button's clicked(bool) reached apply() as reselect=False)."""
    count = len(editor.policy.rules)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    type_chinese(editor.form.title_edit, "每月听课")
    editor.form.categories_list.findItems("进课堂", Qt.MatchFlag.MatchExactly)[0].setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert len(editor.policy.rules) == count + 1 and editor.error_label.text() == ""
    assert editor.status_label.text().startswith(f"共 {count + 1} 条规则")
