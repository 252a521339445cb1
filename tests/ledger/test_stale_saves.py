"""A save over a row another clerk changed since it was shown is refused, naming who and when
(issue 18); runs on SQLite and, with LIAISON_TEST_DB=postgresql, on a server."""

from __future__ import annotations

from datetime import date

import pytest

from liaison_desk.errors import BadInput
from liaison_desk.ledger.activities import ActivityInput, add_activity, update_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Activity


def test_a_save_over_a_row_changed_meanwhile_is_refused_with_who_and_when(ledger):
    add_cadre("王处长", "middle_head", "学生工作部")
    shown = add_activity(ActivityInput("王处长", date(2025, 10, 2), "进食堂", summary="午餐"), ledger)
    update_activity(shown.id, {"summary": "另一位老师改的"}, ledger, seen=shown.updated_at)  # the first save
    with pytest.raises(BadInput, match=r"已被 .+ 于 \d{4}-\d\d-\d\d \d\d:\d\d 修改.*F5"):
        update_activity(shown.id, {"people": 30}, ledger, seen=shown.updated_at)  # the screen is stale
    row = Activity.get_by_id(shown.id)
    assert (row.summary, row.people) == ("另一位老师改的", None)
    fresh = update_activity(shown.id, {"people": 30}, ledger, seen=row.updated_at)  # after F5
    assert fresh.people == 30 and fresh.summary == "另一位老师改的"
