"""Every number explained: activities of a rule's categories that do not count are named in the
result's 说明 with how many and why, and carried on the result for the drill-down."""

from __future__ import annotations

from datetime import date

import pytest

from liaison_desk.calendar import Term
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.policy_edit import policy_data, save_policy, validate
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.rules.compliance import check, uncounted_activities

RULES = [
    {"id": "classes-distinct", "title": "每学期走访2个不同班级", "clause": "本校", "measure": "distinct_targets",
     "categories": ["进班级", "进课堂"], "target_kinds": ["班级"], "period": "term", "min": 2},
    {"id": "onsite-days", "title": "每学期驻点1天", "clause": "本校", "measure": "days",
     "categories": ["驻点办公"], "period": "term", "min": 1},
    {"id": "each-class", "title": "每个联系班级每学期1次", "clause": "本校", "measure": "per_target",
     "categories": ["进班级"], "scope": "assigned", "target_kinds": ["班级"], "period": "term", "min": 1},
]


@pytest.fixture
def school(ledger):
    data = policy_data(ledger)
    policy = save_policy(validate({**data, "rules": RULES}))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    add_target("计算2501班", "班级")
    add_target("计算2502班", "班级")
    add_target("思政课A", "思政课")
    add_cadre("周处长", "middle_head", "教务处", "处长")
    assign("周处长", "计算2501班", "2025-2026")
    for day, category, target, days in (
            (date(2025, 10, 9), "进课堂", "思政课A", None),  # a course, not a class
            (date(2025, 10, 10), "进班级", "计算2501班", None),
            (date(2025, 10, 11), "进班级", "计算2502班", None),  # not his class
            (date(2025, 10, 12), "驻点办公", "", None),  # days not entered
            (date(2025, 10, 13), "驻点办公", "", 0.5)):
        add_activity(ActivityInput("周处长", day, category, target=target, days=days, summary="记录"), policy)
    return policy


def result(rule: str):
    found = [r for r in check("term", "2025-2026-1", as_of=date(2026, 2, 1)) if r.rule == rule]
    return found


def test_a_target_of_another_kind_is_named(school):
    (r,) = result("classes-distinct")
    assert r.actual == 2  # 计算2501班 and 计算2502班
    assert r.detail == "1 条进课堂未计入：对象不是班级"
    assert [(a.target, why) for a, why in uncounted_activities(r)] == [("思政课A", "对象不是班级")]


def test_days_not_entered_are_named(school):
    (r,) = result("onsite-days")
    assert (r.actual, r.status) == (0.5, "short")
    assert r.detail == "1 条驻点办公未计入：未填天数"


def test_per_target_names_activities_at_targets_not_linked(school):
    (r,) = result("each-class")
    assert (r.target, r.actual, r.status) == ("计算2501班", 1, "met")
    assert r.detail == "1 条进班级未计入：对象不是本人本学年联系的班级"
