"""The clerk edits the database's own policy: validated like the files, saved and logged, and the
checks follow the edited rules; policies go to and from TOML and JSON files unchanged."""

from __future__ import annotations

import json
from datetime import date

import pytest

from liaison_desk.calendar import Term
from liaison_desk.errors import BadInput
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.policy_edit import (
    blank_policy,
    export_policy,
    new_rule_id,
    read_policy_file,
    rule_data,
    save_policy,
    with_fields,
    with_rule,
    without_rule,
)
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.policy import load_preset, preset_ids
from liaison_desk.rules.compliance import check
from liaison_desk.store import changelog
from liaison_desk.store.models import ChangeLog


@pytest.mark.parametrize("pid", preset_ids())
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_every_preset_survives_export_and_import(pid, suffix, tmp_path):
    policy = load_preset(pid)
    path = export_policy(policy, tmp_path / f"{pid}{suffix}")
    assert read_policy_file(path) == policy


@pytest.fixture
def weifa(ledger):
    """The conftest ledger, switched to weifa-2019-19, with a term and a cadre who visited a dorm
    once in October 2025."""
    save_policy(load_preset("weifa-2019-19"))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    add_cadre("赵处长", "middle_head", "学生工作部", "部长")
    add_activity(ActivityInput("赵处长", date(2025, 10, 9), "进宿舍"), settings.current_policy())
    return settings.current_policy()


def dorm(as_of: date = date(2025, 11, 5)):
    return next(r for r in check("month", "2025-10", as_of=as_of) if r.rule == "dorm-visit-monthly")


def test_raising_a_number_changes_the_result_and_is_logged(weifa):
    assert dorm().status == "met"
    index = [r.id for r in weifa.rules].index("dorm-visit-monthly")
    data = rule_data(weifa.rules[index])
    save_policy(with_rule(weifa, {**data, "min": 2}, index))
    assert (dorm().required, dorm().status) == (2, "short")
    entry = ChangeLog.select().where(ChangeLog.table == "setting").order_by(ChangeLog.id.desc()).first()
    assert entry.row_id == settings.POLICY
    logged = json.loads(changelog.decoded(entry).after["value"])
    assert next(r for r in logged["rules"] if r["id"] == "dorm-visit-monthly")["min"] == 2


def test_changing_period_categories_and_who(weifa):
    index = [r.id for r in weifa.rules].index("dorm-visit-monthly")
    data = rule_data(weifa.rules[index])
    edited = with_rule(weifa, {**data, "period": "term", "categories": ["进宿舍", "进食堂"],
                               "who": {"tiers": ["middle_head"]}}, index)
    save_policy(edited)
    rule = settings.current_policy().rule("dorm-visit-monthly")
    assert (rule.period, rule.categories, rule.who.tiers) == ("term", ("进宿舍", "进食堂"), ("middle_head",))
    assert not [r for r in check("month", "2025-10", as_of=date(2025, 11, 5)) if r.rule == "dorm-visit-monthly"]
    term = [r for r in check("term", "2025-2026-1", as_of=date(2025, 11, 5)) if r.rule == "dorm-visit-monthly"]
    assert len(term) == 1 and term[0].status == "met"


def test_adding_and_removing_rules(weifa):
    rule = {"id": new_rule_id(weifa, "talk-monthly"), "title": "每月谈心1次", "clause": "本校补充规定",
            "measure": "count", "categories": ["谈心谈话"], "period": "month", "min": 1}
    save_policy(with_rule(weifa, rule))
    results = check("month", "2025-10", as_of=date(2025, 11, 5))
    assert [r.status for r in results if r.rule == "talk-monthly-1"] == ["short"]
    save_policy(without_rule(settings.current_policy(), "dorm-visit-monthly"))
    results = check("month", "2025-10", as_of=date(2025, 11, 5))
    assert "dorm-visit-monthly" not in {r.rule for r in results}
    assert len(settings.current_policy().rules) == len(weifa.rules)


@pytest.mark.parametrize("change, where", [
    ({"min": -1}, "min"),
    ({"categories": ["进澡堂"]}, "categories"),
    ({"period": "fortnight"}, "period"),
    ({"who": {"tiers": ["chairman"]}}, "tiers"),
    ({"id": "Dorm Visit"}, "id"),
    ({"id": "canteen-meal-monthly"}, "id"),  # already taken
    ({"measure": "per_target"}, "target_kinds"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_edit_is_refused_with_where_and_nothing_is_saved(weifa, change, where):
    index = [r.id for r in weifa.rules].index("dorm-visit-monthly")
    before = ChangeLog.select().count()
    with pytest.raises(BadInput) as caught:
        with_rule(weifa, {**rule_data(weifa.rules[index]), **change}, index)
    assert where in str(caught.value)
    assert settings.current_policy() == weifa
    assert ChangeLog.select().count() == before


def test_starting_from_nothing(weifa):
    blank = with_fields(blank_policy("某某学院联系制度"), document="某院发〔2026〕1号")
    save_policy(blank)
    assert settings.current_policy().name == "某某学院联系制度"
    assert check("month", "2025-10", as_of=date(2025, 11, 5)) == []
    with pytest.raises(BadInput):
        with_fields(blank, forms={"leader": "wulian-qijin"})  # every tier needs its form
