"""#20: the two paper sheets of the keystroke benchmark (#12), filled in Word by their cadres,
import with every stored field right — the same fields the replay by keys compares."""

from __future__ import annotations

import json

import pytest

from benchmarks.docx_forms import IMPORT_KEYS, replay_sheets_as_docx
from benchmarks.entry_replay import MONTH, SANTE, WULIAN, expected, make_roster
from liaison_desk.excel.import_sheets import commit_sheets, prepare_sheets
from liaison_desk.store.models import Activity, Cadre, Sheet


@pytest.fixture
def roster(ledger):
    make_roster()
    return ledger


def stored(cadre: str) -> list[tuple]:
    rows = Activity.select().join(Cadre).where(Cadre.name == cadre)
    return sorted((a.category, a.target.name if a.target else a.carrier, a.date, a.summary) for a in rows)


def test_both_sheets_filled_in_word_import_with_every_field_right(roster, tmp_path):
    paths = replay_sheets_as_docx(tmp_path)
    imp = prepare_sheets([tmp_path])  # the folder, as the clerk picks it
    assert not imp.preview.problems, imp.preview.problems.items
    assert [x.name for x in imp.paths] == sorted(p.name for p in paths)
    commit_sheets(imp)
    assert stored(WULIAN.cadre) == expected(WULIAN)
    assert stored(SANTE.cadre) == expected(SANTE)
    for a in Activity.select():
        assert (a.people, a.days, a.problems) == (None, None, "")
    sante = Sheet.get((Sheet.month == MONTH) & (Sheet.cadre == Cadre.get(Cadre.name == SANTE.cadre)))
    assert json.loads(sante.fields) == SANTE.fields
    wulian = Sheet.get((Sheet.month == MONTH) & (Sheet.cadre == Cadre.get(Cadre.name == WULIAN.cadre)))
    assert json.loads(wulian.fields) == {}
    # the name not on the roster of a row that expects one is kept as written and marked, as the grid marks it
    assert [x.target for x in imp.preview.items if "名册中没有" in x.note] == ["北苑3栋"]


def test_a_months_sheets_by_import_cost_six_keys():
    assert len(IMPORT_KEYS) == 6  # against 84 keys (and all the Chinese text) typing both sheets
