"""The school's own record form in the GUI (issue 16): the import dialog shows the grid and the
printed page before anything is imported and follows the file as it is edited; the policy editor
chooses each tier's form; a sheet whose form is gone opens in 记录录入 with a note."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from form_files import VISIT_LOG, digest, write_form
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QTextBrowser

from liaison_desk.calendar import Term
from liaison_desk.gui.app import make_app
from liaison_desk.gui.form_dialog import FormDialog
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.gui.policy_editor import PolicyEditor
from liaison_desk.ledger import form_library, settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import FormRecord

from .editor_window import open_editor


@pytest.fixture
def app(qapp):
    return make_app()


def open_dialog(qtbot) -> FormDialog:
    dialog = FormDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def grid_text(dialog: FormDialog) -> str:
    model = dialog.grid_preview.model
    return " ".join(str(model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole) or "")
                    for r in range(model.rowCount()) for c in range(model.columnCount()))


def test_preview_then_import(app, ledger, qtbot, tmp_path):
    dialog = open_dialog(qtbot)
    assert not dialog.import_button.isEnabled() and not dialog.previews.isEnabled()
    dialog.set_file(write_form(tmp_path))
    assert dialog.import_button.isEnabled(), dialog.error_label.text()
    assert dialog.grid_preview.title.text() == "领导干部走访记录簿"
    assert "走访人：张示例" in dialog.grid_preview.header.text()
    text = grid_text(dialog)
    assert "走访情况" in text and "走访对象" in text and "（示例）谈心谈话" in text
    assert "心得体会" in [w.text() for w in dialog.grid_preview.fields.findChildren(QLabel)]
    document = dialog._document[0]
    assert document.pageCount() == 1
    page = document.render(0, QSize(300, 424))
    assert not page.isNull() and len({page.pixel(x, y) for x in range(0, 300, 7) for y in range(0, 424, 7)}) > 2
    assert "尚未导入" in dialog.status.text() and FormRecord.select().count() == 0  # nothing imported yet
    with qtbot.waitSignal(dialog.imported) as signal:
        dialog.import_button.click()
    assert signal.args == ["visit-log"]
    assert form_library.get_form("visit-log").title == "领导干部走访记录簿"
    assert "已导入记录表格式“visit-log”" in dialog.status.text()
    assert any("visit-log" in dialog.forms_list.item(i).text() for i in range(dialog.forms_list.count()))


@pytest.mark.sqlite_only("the ledger file's bytes before and after")
def test_a_bad_file_shows_file_key_and_reason_and_cannot_be_imported(app, ledger, qtbot, tmp_path, db_path):
    dialog = open_dialog(qtbot)
    before = digest(db_path)
    dialog.set_file(write_form(tmp_path, VISIT_LOG.replace('kind = "text"', 'kind = "txt"')))
    assert "visit-log.toml: sections[1].kind" in dialog.error_label.text()
    assert "未知的值“txt”" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()
    assert not dialog.do_import()
    assert digest(db_path) == before


def test_the_preview_follows_the_file_as_it_is_saved(app, ledger, qtbot, tmp_path):
    dialog = open_dialog(qtbot)
    path = tmp_path / "start.toml"
    assert dialog.export_to("santeyiti", path)  # a template as the starting file
    assert dialog.grid_preview.title.text() == "中层干部“三特一体”工作记录表"
    path.write_text(VISIT_LOG, encoding="utf-8")  # the clerk edits it in Notepad and saves
    qtbot.waitUntil(lambda: dialog.grid_preview.title.text() == "领导干部走访记录簿", timeout=5000)
    path.write_text(VISIT_LOG.replace('title = "心得体会"', 'titel = "心得体会"'), encoding="utf-8")
    qtbot.waitUntil(lambda: "sections[1].titel" in dialog.error_label.text(), timeout=5000)
    assert not dialog.import_button.isEnabled()


def test_the_format_guide_is_shipped_and_shown(app, ledger, qtbot):
    dialog = open_dialog(qtbot)
    dialog.show_guide()
    shown = dialog.guide.findChild(QTextBrowser).toPlainText()
    assert "记录表格式说明" in shown and "[[sections]]" in shown and "form import" in shown


def test_file_menu_and_settings_open_the_dialog(app, ledger, qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    labels = [a.text() for a in window.ui.menuFile.actions()]
    assert "导入记录表格式…(&F)" in labels
    window.ui.actionImportForm.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, FormDialog) and w.isVisible() for w in app.topLevelWidgets()))
    from liaison_desk.gui.form_dialog import FormsBox

    settings_page = window.page("设置")
    box = settings_page.findChild(FormsBox)
    assert box is not None and "五联七进" in box.summary.text()


def test_policy_editor_chooses_each_tiers_form(app, ledger, qtbot, tmp_path):
    form_library.import_form(write_form(tmp_path))
    editor = PolicyEditor(policy=settings.current_policy())
    qtbot.addWidget(editor)
    assert editor.tier_forms.forms() == ledger.forms
    combo = editor.tier_forms.combos["leader"]
    assert combo.findData("visit-log") >= 0 and combo.findData("roster") < 0
    editor.tier_forms.choose("leader", "visit-log")
    assert editor.dirty
    with qtbot.waitSignal(editor.saved):
        editor.save_button.click()
    assert settings.current_policy().forms["leader"] == "visit-log"


def test_policy_editor_refuses_to_save_a_missing_form_naming_the_tier(app, ledger, qtbot, tmp_path, fresh_install):
    fresh_install()  # this install has no 五联七进: the stored policy names a form that is gone
    editor = PolicyEditor(policy=settings.current_policy())
    qtbot.addWidget(editor)
    assert "本台账和程序中都没有" in editor.tier_forms.combos["leader"].currentText()
    editor.save_button.click()
    error = editor.error_label.text()
    assert "forms.leader" in error and "校领导（leader）" in error and "“wulian-qijin”" in error
    form_library.import_form(write_form(tmp_path))
    editor.tier_forms.reload()
    editor.tier_forms.choose("leader", "visit-log")
    editor.tier_forms.choose("middle_head", "visit-log")
    editor.tier_forms.choose("middle_deputy", "visit-log")
    with qtbot.waitSignal(editor.saved):
        editor.save_button.click()
    assert set(settings.current_policy().forms.values()) == {"visit-log"}


def test_a_sheet_whose_form_is_gone_opens_in_the_editor_with_a_note(app, ledger, qtbot, fresh_install):
    """Today: 程序遇到了一个意外错误."""
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_activity(ActivityInput("周校长", date(2025, 10, 14), "进宿舍", carrier="南苑5栋", summary="走访宿舍"), ledger)
    fresh_install()
    page = open_editor(qtbot, "周校长", "2025-10")
    assert page.banner.isVisible() and "“wulian-qijin”" in page.banner.text()
    assert page.title.text() == "工作记录表（通用格式）"
    model = page.model
    cells = [model.data(model.index(r, c)) for r in range(model.rowCount()) for c in range(model.columnCount())]
    assert "走访宿舍" in cells


def test_the_tier_form_lists_do_not_widen_the_policy_editor_past_the_screen(app, ledger, qtbot, tmp_path):
    title = "某某职业技术学院党员领导干部深入基层联系师生工作记录簿（二〇二五年修订版）"
    long = VISIT_LOG.replace("领导干部走访记录簿", title)
    form_library.import_form(write_form(tmp_path, long))
    editor = PolicyEditor(policy=settings.current_policy())
    qtbot.addWidget(editor)
    assert editor.tier_forms.minimumSizeHint().width() < 1000


def test_after_an_upgrade_the_schools_form_opens_in_the_editor(app, ledger, qtbot, tmp_path, fresh_install):
    from liaison_desk.ledger.policy_edit import save_policy, with_fields

    form_library.import_form(write_form(tmp_path))
    policy = save_policy(with_fields(ledger, forms={**ledger.forms, "leader": "visit-log"}))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_activity(ActivityInput("周校长", date(2025, 10, 14), "进宿舍", carrier="南苑5栋", summary="走访宿舍"), policy)
    fresh_install()  # a new program folder: no templates but the roster list
    page = open_editor(qtbot, "周校长", "2025-10")
    assert page.title.text() == "领导干部走访记录簿" and not page.banner.isVisible()
    model = page.model
    cells = [model.data(model.index(r, c)) for r in range(model.rowCount()) for c in range(model.columnCount())]
    assert "走访情况" in cells and "走访宿舍" in cells


def test_saving_a_template_says_what_to_do_next_and_a_broken_file_clears_the_old_preview_line(
        app, ledger, qtbot, tmp_path):
    """After 另存为文件 the clerk reads how to go on (the preview's line used to overwrite it at
    once); when the edited file then has a mistake, the line under the preview no longer
    announces the earlier, valid form as ready to import."""
    dialog = open_dialog(qtbot)
    path = tmp_path / "本校.toml"
    assert dialog.export_to("branch-contact", path)
    assert "已另存为" in dialog.status.text() and "编号 id 改为本校的" in dialog.status.text()
    path.write_text(VISIT_LOG.replace('id = "visit-log"', 'id = “visit-log”'), encoding="utf-8")
    assert not dialog.reload()
    assert "TOML 语法错误" in dialog.error_label.text()
    assert "预览：" not in dialog.status.text() and "尚未导入" in dialog.status.text()


def test_the_sheet_page_takes_up_cadres_and_forms_chosen_after_it_was_built(app, ledger, qtbot, tmp_path):
    """A new school: the clerk passes 记录录入 on the way to 名册 (the page is built, empty), adds
    cadres, chooses the school's form in 编辑制度…, and comes back: the page said 名册中还没有干部
    with an empty cadre list, and would have kept the tier's old form."""
    from liaison_desk.ledger.policy_edit import save_policy, with_fields

    page = open_editor(qtbot)
    assert page.cadre_box.count() == 0 and "还没有干部" in page.title.text()
    page.hide()
    add_cadre("周明远", "leader", "校领导班子", "副校长")
    add_cadre("陈立", "leader", "校领导班子", "党委副书记")
    form_library.import_form(write_form(tmp_path))
    save_policy(with_fields(ledger, forms={**ledger.forms, "leader": "visit-log"}))
    page.show()
    assert [page.cadre_box.itemText(i) for i in range(page.cadre_box.count())] == ["周明远", "陈立"]
    assert page.title.text() == "领导干部走访记录簿" and page.content is not None
    assert page.content.cadre == "周明远" and page.content.form.id == "visit-log"


def test_the_preview_fills_the_forms_own_fields_and_a_two_digit_day(app, ledger, qtbot):
    """A form with a 地点 column: its sample line showed the column empty in both the grid and the
    page, so the clerk could not see it in use; and the day was 8, which hid a 时间 column too
    narrow for 10月12日 until the first real sheet was printed."""
    from pathlib import Path

    from paper_data import pages_text

    from liaison_desk.paper import form_preview

    dialog = open_dialog(qtbot)
    dialog.set_file(Path(__file__).resolve().parents[1] / "data" / "sixth-school-form.toml")
    assert dialog.import_button.isEnabled(), dialog.error_label.text()
    text = grid_text(dialog)
    assert "示例地点" in text and "10月18日" in text
    page = pages_text(form_preview.preview_pdf(dialog.form))[0]
    assert "示例地点" in page and "10月18日" in page


def test_the_preview_grid_keeps_the_summary_column_readable(app, ledger, qtbot):
    """In the preview's narrow pane the 内容 column of a five-column form was squeezed to a few
    pixels (one character a line); it keeps a readable width and the grid scrolls instead."""
    from pathlib import Path

    from liaison_desk.gui.sheet_view import SUMMARY_MIN

    dialog = open_dialog(qtbot)
    dialog.resize(1280, 700)
    dialog.set_file(Path(__file__).resolve().parents[1] / "data" / "sixth-school-form.toml")
    qtbot.waitUntil(lambda: dialog.grid_preview.view.isVisible())
    view = dialog.grid_preview.view
    for _ in range(5):
        app.processEvents()
    assert view.columnWidth(view.stretch) >= SUMMARY_MIN
    dialog.resize(2600, 700)  # room enough: the column takes what is left, as in 记录录入
    dialog.previews.setSizes([2000, 300])
    for _ in range(5):
        app.processEvents()
    dialog.reload()  # as when the file is saved again
    qtbot.waitUntil(lambda: view.columnWidth(view.stretch) > SUMMARY_MIN, timeout=2000)


def test_save_dialogs_start_in_the_documents_folder_not_the_program_folder(app, ledger, qtbot, monkeypatch,
                                                                          tmp_path):
    """The Windows shortcut starts the program in its own folder: 另存为文件（作为起点） offered a
    bare file name, i.e. to save the school's form file in C:\\Program Files\\…"""
    from PySide6.QtWidgets import QFileDialog

    from liaison_desk.gui.folders import documents

    monkeypatch.chdir(tmp_path)  # the working folder, as the program folder would be
    asked: list[str] = []

    def save_as(_parent, _title, start, *_rest):
        asked.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    dialog = open_dialog(qtbot)
    dialog.choose_export()
    assert asked and Path(asked[0]).is_absolute() and Path(asked[0]).parent == documents()
    assert Path(asked[0]).name == "branch-contact.toml" and documents() != tmp_path
