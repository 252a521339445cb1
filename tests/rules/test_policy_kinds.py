"""What a policy can now say: its own filing kinds, term-months-only monthly rules, assignment
due dates, rule ids in any script — and the presets saying what their seeds mean for vacations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from liaison_desk.calendar import Term
from liaison_desk.errors import BadInput
from liaison_desk.ledger import settings
from liaison_desk.ledger.policy_edit import export_policy, policy_data, read_policy_file, save_policy, validate
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.policy import load_preset
from liaison_desk.rules.compliance import check

SIXTH = Path(__file__).resolve().parents[1] / "data" / "sixth-school-policy.toml"


def _with(data: dict, **rule_changes) -> dict:
    rules = [dict(r) for r in data["rules"]]
    rules[-1].update(rule_changes)
    return {**data, "rules": rules}


def test_a_yearly_deadline_on_a_term_event_is_refused_not_checked_per_term():
    data = policy_data(read_policy_file(SIXTH))
    with pytest.raises(BadInput, match='period 应为 "term"'):
        validate(_with(data, event="term_summary", period="year"))
    with pytest.raises(BadInput, match='period 应为 "year"'):
        validate(_with(data, event="年度书面报告", period="term"))


@pytest.mark.parametrize("due", ["07-32", "june", "13-01", ""])
def test_a_filing_due_date_must_be_start_end_or_a_month_day(due):
    data = policy_data(read_policy_file(SIXTH))
    data["filings"] = [{**data["filings"][0], "due": due}]
    with pytest.raises(BadInput, match="filings"):
        validate(data)


def test_a_deadline_rule_names_only_a_declared_filing():
    data = policy_data(read_policy_file(SIXTH))
    with pytest.raises(BadInput, match="可选：.*年度书面报告"):
        validate(_with(data, event="年终总结"))


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_filings_term_months_and_due_survive_export_and_import(suffix, tmp_path):
    policy = read_policy_file(SIXTH)
    assert read_policy_file(export_policy(policy, tmp_path / f"p{suffix}")) == policy


def test_rule_ids_may_be_chinese():
    policy = read_policy_file(SIXTH)
    assert policy.rule("听课-每月").title == "每月听课1次"
    with pytest.raises(BadInput, match="不能含空格"):
        validate(_with(policy_data(policy), id="听课 每月"))


@pytest.mark.parametrize("pid, rule, vacation", [
    ("weifa-2019-19", "dorm-visit-monthly", "exempt"),
    ("weifa-2019-19", "class-attend-monthly", "exempt"),
    ("hnust-2025", "leader-face-to-face-monthly", "exempt"),
    ("hnust-2025", "mailbox-monthly", "short"),  # an online platform runs in the vacation
    ("fjwsxy-2021", "young-teacher-talk-monthly", "short"),  # teachers, not students
])
def test_presets_say_whether_july_and_august_count(ledger, pid, rule, vacation):
    save_policy(load_preset(pid))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    settings.set_term(Term("2025-2026-2", date(2026, 2, 23), date(2026, 7, 5)))
    add_cadre("刘书记", "leader", "校领导班子", "党委书记", "党委书记、党委委员")
    found = {r.period_label: r.status for r in check("year", "2025-2026", as_of=date(2026, 9, 1), cadre="刘书记")
             if r.rule == rule}
    assert (found["2026年7月"], found["2026年8月"]) == (vacation, vacation)
    assert found["2025年10月"] == "short"


def test_a_class_link_missing_after_the_september_filing_is_short_mid_year(ledger):
    # hnust-2025 六、（一）: arrangements are filed within two weeks of the September start.
    save_policy(load_preset("hnust-2025"))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    add_cadre("陈处长", "middle_head", "教务处", "处长")

    def link(as_of: date):
        return next(r for r in check("term", "2025-2026-1", as_of=as_of, cadre="陈处长")
                    if r.rule == "link-class-senior")
    assert (link(date(2025, 9, 10)).status, link(date(2025, 9, 10)).due) == ("open", date(2025, 9, 15))
    assert link(date(2025, 11, 1)).status == "short"  # was 进行中 until the year's end


def test_a_ledger_saved_with_a_yearly_term_summary_still_opens_and_checks_as_before(ledger):
    import json

    from liaison_desk.ledger.settings import POLICY, put

    data = json.loads(settings.current_policy().to_json())
    data["rules"].append({**data["rules"][0], "id": "old-summary", "measure": "deadline",
                          "event": "term_summary", "period": "year", "categories": [], "target_kinds": [],
                          "max": None, "scope": "any"})
    put(POLICY, json.dumps(data, ensure_ascii=False))  # as an older version let the editor save it
    assert settings.current_policy().rule("old-summary").period == "term"  # judged per term, as then
