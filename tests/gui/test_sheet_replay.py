"""Whole paper sheets replayed by keys into the editor; every stored field compared (#12)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication

from benchmarks.entry_replay import (
    MONTH,
    SANTE,
    WULIAN,
    excel_keystrokes,
    expected,
    make_roster,
    replay,
    sante_script,
    wulian_script,
)
from liaison_desk.gui.app import make_app
from liaison_desk.gui.sheet_model import TARGET, WARNING
from liaison_desk.store.models import Activity, Cadre, Sheet

from .editor_window import open_editor


@pytest.fixture
def page(qapp, qtbot, ledger):
    make_app()
    make_roster()
    editor = open_editor(qtbot, size=(1366, 768))
    return editor


def stored(cadre: str) -> list[tuple]:
    rows = (Activity.select().join(Cadre).where(Cadre.name == cadre))
    return sorted((a.category, a.target.name if a.target else a.carrier, a.date, a.summary) for a in rows)


def settle(qtbot, page):
    return lambda: qtbot.waitUntil(lambda: page.view.state() != page.view.State.EditingState, timeout=2000)


def test_the_wulian_qijin_sheet_by_keys(page, qtbot):
    page.open_sheet(WULIAN.cadre, MONTH)
    page.view.setFocus()
    keys = replay(page, wulian_script(WULIAN), settle(qtbot, page))
    assert stored(WULIAN.cadre) == expected(WULIAN)
    for a in Activity.select():
        assert (a.people, a.days, a.problems) == (None, None, "")
    # The line typed with a name not on the roster carries the yellow mark; the others none.
    marked = [g.line.target for g in page.model.lines if g.line and g.marks.get(TARGET, ("", "", ""))[2] == WARNING]
    assert marked == ["北苑3栋"]
    assert keys == 56 and excel_keystrokes("五联七进", WULIAN) == 133  # the figures in the report


def test_the_santeyiti_sheet_by_keys(page, qtbot):
    page.open_sheet(SANTE.cadre, MONTH)
    assert page.window().focusWidget() is page.field_widgets["specialties:工作职能"]  # the paper's first box
    keys = replay(page, sante_script(SANTE), settle(qtbot, page))
    assert QApplication.activePopupWidget() is None
    sheet = Sheet.get(Sheet.month == MONTH)
    assert json.loads(sheet.fields) == SANTE.fields
    assert stored(SANTE.cadre) == expected(SANTE)
    assert keys == 28 and excel_keystrokes("三特一体", SANTE) == 55
    assert page.window().focusWidget() is page.view and page.model.lines[page.view.currentIndex().row()].kind == "blank"
    assert page.view.state() != page.view.State.EditingState



def test_the_two_sheets_cost_at_most_045_of_excels_keystrokes(page, qtbot):
    page.open_sheet(WULIAN.cadre, MONTH)
    page.view.setFocus()
    editor = replay(page, wulian_script(WULIAN), settle(qtbot, page))
    page.open_sheet(SANTE.cadre, MONTH)
    editor += replay(page, sante_script(SANTE), settle(qtbot, page))
    excel = excel_keystrokes("五联七进", WULIAN) + excel_keystrokes("三特一体", SANTE)
    assert editor <= 0.45 * excel
    assert len(stored(WULIAN.cadre)) + len(stored(SANTE.cadre)) == 18
