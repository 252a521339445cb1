"""A character no bundled font can print is marked in the sheet editor as it is typed (issue 13,
defect 1): the cell turns the warning colour and its tooltip names the character."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from liaison_desk.gui.app import make_app
from liaison_desk.gui.sheet_model import SUMMARY, TARGET, WARNING_BG
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.store.models import Activity

from .editor_window import open_editor

RARE = "\U00020BB7"  # 𠮷: in no bundled face


@pytest.fixture
def page(qapp, qtbot, ledger):
    make_app()
    add_cadre("王堃", "leader", "校领导班子", "副校长", "党委委员")
    add_target("护理学院党总支", "党总支")
    assign("王堃", "护理学院党总支", "2025-2026")
    editor = open_editor(qtbot, "王堃", "2025-10")
    return editor


def press(page, k, text=""):
    widget = page.window().focusWidget() or page.view
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, k, Qt.KeyboardModifier.NoModifier, text))


def test_an_unprintable_character_is_marked_on_its_cell_as_typed(page, qtbot):
    for text in ("护理学院党总支", "3", f"与{RARE}同学和李喆交流"):
        press(page, Qt.Key.Key_unknown, text)
        press(page, Qt.Key.Key_Tab)
    press(page, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: Activity.select().count() == 1, timeout=3000)
    model = page.model
    row = next(r for r, g in enumerate(model.lines) if g.line is not None)
    summary = model.index(row, SUMMARY)
    assert model.data(summary).startswith("与" + RARE)
    assert model.data(summary, Qt.ItemDataRole.BackgroundRole).color() == WARNING_BG
    assert "U+20BB7" in model.data(summary, Qt.ItemDataRole.ToolTipRole)
    # The cell beside it, all printable, is not marked.
    target = model.index(row, TARGET)
    assert model.data(target, Qt.ItemDataRole.BackgroundRole) is None


def test_the_settings_page_keeps_the_clerks_name_for_printed_revision_tables(qapp, qtbot, ledger):
    from liaison_desk.gui.settings_view import SettingsPage
    from liaison_desk.ledger import settings

    make_app()
    settings_page = SettingsPage()
    qtbot.addWidget(settings_page)
    assert settings_page.clerk.text() == ""
    settings_page.clerk.setText("周文书")
    settings_page.save_clerk()
    assert settings.clerk_name() == "周文书" and "已保存经办人" in settings_page.status.text()
    again = SettingsPage()
    qtbot.addWidget(again)
    assert again.clerk.text() == "周文书"
