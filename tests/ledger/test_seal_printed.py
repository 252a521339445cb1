"""The seal covers what the sheet prints (issue 14, defect 10): renaming a target or changing a
cadre's position after signing changes the paper, so the seal must break; seals made before
version 5 (a hash of the records by id) still check as they did."""

from __future__ import annotations

import paper_data as pd
import pytest

from liaison_desk.calendar import month_bounds
from liaison_desk.ledger.roster import update_cadre, update_target
from liaison_desk.paper.sheet_content import _activity_records, records_hash, sheet_content
from liaison_desk.paper.signing import sign_sheet
from liaison_desk.store.models import Activity, Cadre, Sheet, Target


@pytest.fixture
def data(ledger):
    return pd.build(ledger)


def test_renaming_a_target_after_signing_breaks_the_seal(data):
    sign_sheet(data.leader, pd.MONTH)
    target = Target.get(Target.name == "南苑5栋402")
    update_target(target.id, {"name": "南苑5栋403"})
    content = sheet_content(data.leader, pd.MONTH)
    assert any(ln.target == "南苑5栋403" for s in content.sections for r in s.rows for ln in r.lines)
    assert not content.intact


def test_changing_a_cadres_position_after_signing_breaks_the_seal(data):
    sign_sheet(data.middle, pd.MONTH)
    assert sheet_content(data.middle, pd.MONTH).intact
    update_cadre(Cadre.get(Cadre.name == data.middle).id, {"position": "副部长"})
    assert not sheet_content(data.middle, pd.MONTH).intact


def test_a_seal_made_before_version_5_still_checks_with_its_own_algorithm(data):
    """An old seal (bare hex of the records by id) stays intact until a record changes."""
    sign_sheet(data.leader, pd.MONTH)
    cadre = Cadre.get(Cadre.name == data.leader)
    sheet = Sheet.get((Sheet.cadre == cadre) & (Sheet.month == pd.MONTH))
    start, end = month_bounds(pd.MONTH)
    old = records_hash(cadre.id, pd.MONTH, _activity_records(start, end, [cadre.id]), sheet.fields)
    Sheet.update(content_hash=old).where(Sheet.id == sheet.id).execute()  # as version 4 sealed it
    assert sheet_content(data.leader, pd.MONTH).intact
    update_target(Target.get(Target.name == "南苑5栋402").id, {"name": "南苑5栋403"})
    assert sheet_content(data.leader, pd.MONTH).intact  # the old algorithm never covered names
    act = Activity.select().where(Activity.cadre == cadre).first()
    Activity.update(summary="改过的内容").where(Activity.id == act.id).execute()
    assert not sheet_content(data.leader, pd.MONTH).intact
