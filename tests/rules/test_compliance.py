"""The rule engine, with hand-worked examples for every preset.

Every school's ledger here has the same calendar: first term 2025-09-01 (Monday) to 2026-01-18,
with a holiday from 2025-09-29 to 2025-10-07, so week 5 (09-29—10-05) is wholly a holiday and
exempt, while week 6 (10-06—10-12) is a teaching week; second term 2026-02-23 to 2026-07-05.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from liaison_desk.calendar import Term
from liaison_desk.errors import BadInput
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.filings import add_filing
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.rules.compliance import Result, check, counted_activities, counted_activity_ids, due_soon
from liaison_desk.store import storage
from liaison_desk.store.models import Sheet

TERM1 = "2025-2026-1"
YEAR = "2025-2026"


@pytest.fixture
def school(db_path: Path) -> Iterator:
    """Open a fresh ledger under the given preset, with the 2025-2026 terms set."""
    def make(policy_id: str):
        storage.open_database(db_path)
        policy = settings.init(policy_id, "测试学校")
        settings.set_term(Term(TERM1, date(2025, 9, 1), date(2026, 1, 18),
                               ((date(2025, 9, 29), date(2025, 10, 7)),)))
        settings.set_term(Term("2025-2026-2", date(2026, 2, 23), date(2026, 7, 5)))
        return policy
    yield make
    storage.close_database()


def act(cadre: str, day: date, category: str, target: str = "", people: int | None = None,
        days: float | None = None, face_to_face: bool | None = None) -> int:
    activity = add_activity(ActivityInput(cadre, day, category, target=target, people=people, days=days,
                                          face_to_face=face_to_face), settings.current_policy())
    return activity.id


def one(results: list[Result], rule: str, cadre: str | None = None, start: date | None = None,
        target: str | None = None) -> Result:
    found = [r for r in results if r.rule == rule and (cadre is None or r.cadre == cadre)
             and (start is None or r.period_start == start) and (target is None or r.target == target)]
    assert len(found) == 1, [(r.cadre, r.period_label, r.target) for r in found]
    return found[0]


def rules_of(results: list[Result], cadre: str) -> set[str]:
    return {r.rule for r in results if r.cadre == cadre}


# moe-2019 (教党函〔2019〕34号) -------------------------------------------------------------------


def test_moe_weekly_face_to_face_counts_flagged_activities_and_exempts_the_holiday_week(school):
    school("moe-2019")
    add_cadre("王校长", "leader", "校领导班子", "校长", "校长")
    act("王校长", date(2025, 9, 3), "进食堂")  # week 1: a 走进 category counts, flagged or not
    act("王校长", date(2025, 9, 10), "进宿舍", face_to_face=False)  # week 2: still counts
    act("王校长", date(2025, 9, 17), "谈心谈话", face_to_face=True)  # week 3: flagged talk counts
    act("王校长", date(2025, 9, 24), "进网络")  # week 4: 键对键 does not count
    results = check("term", TERM1, as_of=date(2026, 2, 1))
    weekly = [r for r in results if r.rule == "face-to-face-weekly"]
    assert len(weekly) == 20  # every Monday-to-Sunday week the term touches
    by_week = {r.period_start: r for r in weekly}
    assert [by_week[date(2025, 9, d)].status for d in (1, 8, 15, 22)] == ["met", "met", "met", "short"]
    holiday = by_week[date(2025, 9, 29)]
    assert holiday.status == "exempt" and holiday.period_end == date(2025, 10, 5)
    assert by_week[date(2025, 10, 6)].status == "short"  # two holiday days, still a teaching week
    assert sum(r.status == "met" for r in weekly) == 3


def test_moe_one_lecture_counts_for_the_term_lecture_and_the_weekly_contact(school):
    school("moe-2019")
    add_cadre("王校长", "leader", "校领导班子", "校长", "校长")
    lecture = act("王校长", date(2025, 11, 12), "进讲座", people=120)
    results = check("term", TERM1, as_of=date(2025, 11, 30))
    term = one(results, "ideology-lecture-term")
    week = one(results, "face-to-face-weekly", start=date(2025, 11, 10))
    assert (term.status, term.actual) == ("met", 1)
    assert (week.status, week.actual) == ("met", 1)
    assert counted_activity_ids(term) == counted_activity_ids(week) == [lecture]
    assert [a.category for a in counted_activities(term)] == ["进讲座"]


def test_moe_a_term_rule_is_open_before_the_term_ends_and_short_after(school):
    school("moe-2019")
    add_cadre("王校长", "leader", "校领导班子", "校长", "校长")
    act("王校长", date(2025, 10, 20), "进课堂")  # hearing a class is not giving one
    before = one(check("term", TERM1, as_of=date(2026, 1, 18)), "ideology-lecture-term")
    after = one(check("term", TERM1, as_of=date(2026, 1, 19)), "ideology-lecture-term")
    assert (before.status, before.actual, before.required) == ("open", 0, 1)
    assert after.status == "short"
    assert before.severity == "required"


def test_moe_seven_visits_are_advisory_and_middle_cadres_have_no_rules(school):
    school("moe-2019")
    add_cadre("王校长", "leader", "校领导班子", "校长", "校长")
    add_cadre("李处长", "middle_head", "学生工作部", "部长", "学生工作部门")
    act("王校长", date(2025, 10, 15), "进社团")
    results = check("year", YEAR, as_of=date(2026, 9, 1))
    assert rules_of(results, "李处长") == set()
    club = one(results, "seven-club-yearly")
    dorm = one(results, "seven-dorm-yearly")
    assert (club.status, club.severity) == ("met", "advisory")
    assert (dorm.status, dorm.severity) == ("short", "advisory")


# weifa-2019-19 (委发〔2019〕19号) --------------------------------------------------------------


def test_weifa_monthly_dorm_visit_met_in_one_month_and_short_in_the_next(school):
    school("weifa-2019-19")
    add_cadre("赵处长", "middle_head", "学生工作部", "部长", "学生工作部门")
    act("赵处长", date(2025, 10, 9), "进宿舍")
    act("赵处长", date(2025, 12, 1), "进宿舍")  # December, outside November
    oct_ = one(check("month", "2025-10", as_of=date(2025, 12, 5)), "dorm-visit-monthly")
    nov = one(check("month", "2025-11", as_of=date(2025, 12, 5)), "dorm-visit-monthly")
    dec = one(check("month", "2025-12", as_of=date(2025, 12, 5)), "dorm-visit-monthly")
    assert (oct_.status, oct_.actual) == ("met", 1)
    assert (nov.status, nov.actual) == ("short", 0)
    assert (dec.status, dec.actual) == ("met", 1)
    assert (nov.period_start, nov.period_end) == (date(2025, 11, 1), date(2025, 11, 30))


def test_weifa_linked_class_activity_counts_only_at_the_cadres_own_class_and_for_two_rules(school):
    school("weifa-2019-19")
    add_cadre("赵处长", "middle_head", "学生工作部", "部长", "学生工作部门")
    add_target("机电2501班", "班级")
    add_target("土木2502班", "班级")
    assign("赵处长", "机电2501班", YEAR)
    elsewhere = act("赵处长", date(2025, 10, 14), "主题班会", target="土木2502班")
    results = check("term", TERM1, as_of=date(2025, 10, 31))
    assert one(results, "linked-class-activity-term").actual == 0  # not the cadre's class
    assert one(results, "class-meeting-or-club-term").actual == 1  # any class meeting counts
    own = act("赵处长", date(2025, 11, 4), "主题班会", target="机电2501班")
    results = check("term", TERM1, as_of=date(2025, 11, 30))
    linked = one(results, "linked-class-activity-term")
    meeting = one(results, "class-meeting-or-club-term")
    assert (linked.status, counted_activity_ids(linked)) == ("met", [own])
    assert counted_activity_ids(meeting) == [elsewhere, own]


def test_weifa_department_head_lecture_selects_by_tags(school):
    school("weifa-2019-19")
    add_cadre("组织部长", "middle_head", "组织部", "部长", "主要负责人、组织部、党委工作部门")
    add_cadre("组织副部长", "middle_deputy", "组织部", "副部长", "组织部、党委工作部门")
    add_cadre("财务处长", "middle_head", "财务处", "处长", "主要负责人")
    results = check("term", TERM1, as_of=date(2025, 10, 1))
    assert "dept-head-lecture-term" in rules_of(results, "组织部长")
    assert "dept-head-lecture-term" not in rules_of(results, "组织副部长")
    assert "dept-head-lecture-term" not in rules_of(results, "财务处长")
    assert "leader-lecture-term" not in rules_of(results, "组织部长")  # 校领导 only
    assert "dorm-visit-monthly" in rules_of(results, "财务处长")  # who = {}: everyone


def test_weifa_a_month_check_holds_weeks_and_months_only(school):
    school("weifa-2019-19")
    add_cadre("院长", "middle_head", "机电工程学院", "院长", "主要负责人、教学院")
    results = check("month", "2025-10", as_of=date(2025, 11, 5))
    assert {r.period for r in results} == {"week", "month"}
    weeks = sorted(r.period_start for r in results if r.rule == "college-face-to-face-weekly")
    # Weeks whose Thursday falls in October: 09-29 (Thu 10-02) … 10-27 (Thu 10-30).
    assert weeks == [date(2025, 9, 29), date(2025, 10, 6), date(2025, 10, 13), date(2025, 10, 20),
                     date(2025, 10, 27)]


# hnust-2025 (科大党发〔2025〕30号) -------------------------------------------------------------


def test_hnust_talks_are_summed_in_people_29_short_30_met(school):
    school("hnust-2025")
    add_cadre("周书记", "middle_deputy", "机电工程学院", "党委副书记", "教学院、分管学生工作")
    for day, people in ((date(2025, 9, 16), 10), (date(2025, 10, 21), 10), (date(2025, 11, 18), 9)):
        act("周书记", day, "谈心谈话", people=people)
    talks = one(check("term", TERM1, as_of=date(2026, 1, 25)), "college-student-lead-talks")
    assert (talks.actual, talks.required, talks.unit, talks.status) == (29, 30, "人次", "short")
    act("周书记", date(2025, 12, 2), "谈心谈话", people=1)
    talks = one(check("term", TERM1, as_of=date(2026, 1, 25)), "college-student-lead-talks")
    assert (talks.actual, talks.status) == (30, "met")


def test_hnust_a_talk_without_a_number_counts_one_person(school):
    school("hnust-2025")
    add_cadre("周书记", "middle_deputy", "机电工程学院", "党委副书记", "教学院、分管学生工作")
    act("周书记", date(2025, 9, 16), "谈心谈话", people=29)
    act("周书记", date(2025, 9, 17), "谈心谈话")
    talks = one(check("term", TERM1, as_of=date(2026, 1, 25)), "college-student-lead-talks")
    assert (talks.actual, talks.status) == (30, "met")
    assert "未填人数" in talks.detail


def test_hnust_rules_select_cadres_by_tier_and_tags(school):
    school("hnust-2025")
    add_cadre("周书记", "middle_deputy", "机电工程学院", "党委副书记", "教学院、分管学生工作")
    add_cadre("吴副院长", "middle_deputy", "机电工程学院", "副院长", "教学院")
    add_cadre("后勤处长", "middle_head", "基建后勤处", "处长", "基建后勤处、主要负责人、学生工作部门")
    results = check("term", TERM1, as_of=date(2025, 10, 1))
    assert "college-student-lead-dorm-weekly" in rules_of(results, "周书记")
    assert "college-student-lead-dorm-weekly" not in rules_of(results, "吴副院长")
    assert {"logistics-head-dorm-term", "student-dept-dorm-term"} <= rules_of(results, "后勤处长")
    assert "class-attend-term" in rules_of(results, "吴副院长")  # 处级以上: everyone


def test_hnust_arrangement_deadline_two_weeks_after_the_term_starts(school):
    school("hnust-2025")
    add_cadre("早报", "middle_head", "财务处", "处长")
    add_cadre("晚报", "middle_head", "人事处", "处长")
    add_cadre("未报", "middle_head", "科学技术处", "处长")
    add_target("机电2501班", "班级")
    assign("早报", "机电2501班", YEAR, filed_on=date(2025, 9, 12))
    assign("晚报", "机电2501班", YEAR, filed_on=date(2025, 9, 20))
    results = check("term", TERM1, as_of=date(2025, 9, 30))
    early, late, none = (one(results, "arrangement-filed", c) for c in ("早报", "晚报", "未报"))
    assert early.due == date(2025, 9, 15)
    assert (early.status, late.status, none.status) == ("met", "short", "short")
    assert "逾期" in late.detail and "2025-09-20" in late.detail
    assert one(check("term", TERM1, as_of=date(2025, 9, 10)), "arrangement-filed", "未报").status == "open"


def test_hnust_term_summary_filed_by_the_unit_a_week_before_term_end(school):
    school("hnust-2025")
    add_cadre("财务处长", "middle_head", "财务处", "处长")
    add_cadre("财务副处长", "middle_deputy", "财务处", "副处长")
    add_cadre("人事处长", "middle_head", "人事处", "处长")
    add_filing("term_summary", TERM1, date(2026, 1, 9), unit="财务处")
    results = check("term", TERM1, as_of=date(2026, 1, 11))
    assert one(results, "term-summary-filed", "财务处长").status == "met"
    assert one(results, "term-summary-filed", "财务副处长").status == "met"
    assert one(results, "term-summary-filed", "人事处长").status == "open"  # due 2026-01-11
    later = check("term", TERM1, as_of=date(2026, 1, 12))
    assert one(later, "term-summary-filed", "人事处长").status == "short"  # the term is not over
    assert one(results, "term-summary-filed", "人事处长").due == date(2026, 1, 11)


def test_hnust_as_of_counts_only_what_had_happened_by_then(school):
    school("hnust-2025")
    add_cadre("吴副院长", "middle_deputy", "机电工程学院", "副院长", "教学院")
    for day in (date(2025, 9, 10), date(2025, 10, 15), date(2025, 11, 12), date(2025, 12, 10)):
        act("吴副院长", day, "进课堂")
    mid = one(check("term", TERM1, as_of=date(2025, 11, 1)), "class-attend-term")
    end = one(check("term", TERM1, as_of=date(2025, 12, 31)), "class-attend-term")
    assert (mid.actual, mid.status) == (2, "open")
    assert (end.actual, end.status) == (4, "met")


# fjwsxy-2021 (闽卫院委〔2021〕31号) ------------------------------------------------------------


def leader_with_links(name: str = "林院长", tags: str = "校长") -> None:
    add_cadre(name, "leader", "院领导班子", "院长", tags)
    for target, kind in (("护理系党总支", "党总支"), ("护理系领导班子", "院系班子"),
                         ("护理系学生党支部", "党支部"), ("基础护理教研室", "教研室"), ("陈青", "青年教师")):
        add_target(target, kind)
        assign(name, target, YEAR)


def test_fjwsxy_half_a_day_on_site_in_the_cadres_own_college(school):
    school("fjwsxy-2021")
    leader_with_links()
    add_target("药学系领导班子", "院系班子")
    act("林院长", date(2025, 10, 16), "驻点办公", target="护理系领导班子", days=0.5)
    act("林院长", date(2025, 11, 6), "驻点办公", target="药学系领导班子", days=1)  # not linked
    act("林院长", date(2025, 11, 20), "驻点办公", target="护理系领导班子", days=0.25)
    results = check("term", TERM1, as_of=date(2026, 1, 31))
    oct_ = one(results, "onsite-office-monthly", start=date(2025, 10, 1))
    nov = one(results, "onsite-office-monthly", start=date(2025, 11, 1))
    assert (oct_.actual, oct_.unit, oct_.status) == (0.5, "天", "met")
    assert (nov.actual, nov.status) == (0.25, "short")
    # The on-site visit is also a contact with the college team that month.
    assert one(results, "college-team-monthly", start=date(2025, 10, 1)).status == "met"


def test_fjwsxy_every_ideology_course_once_a_term_one_met_one_short(school):
    school("fjwsxy-2021")
    leader_with_links()
    add_target("思想道德与法治", "思政课")
    add_target("形势与政策", "思政课")
    act("林院长", date(2025, 10, 22), "进课堂", target="思想道德与法治")
    results = [r for r in check("term", TERM1, as_of=date(2026, 1, 31)) if r.rule == "ideology-course-each-term"]
    assert {r.target: r.status for r in results} == {"思想道德与法治": "met", "形势与政策": "short"}


def test_fjwsxy_half_year_inspection_and_the_term_shows_its_half_year(school):
    school("fjwsxy-2021")
    leader_with_links()
    act("林院长", date(2025, 11, 26), "专项督查", target="护理系党总支")
    results = check("term", TERM1, as_of=date(2026, 1, 5))
    inspection = one(results, "party-inspection-half-year")
    assert (inspection.period_start, inspection.period_end) == (date(2025, 7, 1), date(2025, 12, 31))
    assert inspection.status == "met"
    # The same inspection is a visit to the linked branch committee that month.
    assert one(results, "branch-committee-monthly", start=date(2025, 11, 1)).status == "met"
    year = [r for r in check("year", YEAR, as_of=date(2026, 1, 5)) if r.rule == "party-inspection-half-year"]
    assert [(r.period_start, r.status) for r in year] == [(date(2025, 7, 1), "met"), (date(2026, 1, 1), "open")]


def test_fjwsxy_lectures_two_for_the_president_one_for_others(school):
    school("fjwsxy-2021")
    leader_with_links("林院长", "校长")
    add_cadre("郑副院长", "leader", "院领导班子", "副院长", "副校长")
    for who in ("林院长", "郑副院长"):
        act(who, date(2025, 12, 3), "进讲座", people=200)
    results = check("term", TERM1, as_of=date(2026, 1, 31))
    president = one(results, "lecture-secretary-president-term", "林院长")
    other = one(results, "lecture-other-leaders-term", "郑副院长")
    assert (president.required, president.status) == (2, "short")
    assert (other.required, other.status) == (1, "met")
    assert "lecture-other-leaders-term" not in rules_of(results, "林院长")


def test_fjwsxy_middle_cadres_monthly_sheet_deadline(school):
    school("fjwsxy-2021")
    add_cadre("黄主任", "middle_head", "护理系", "主任")
    act("黄主任", date(2025, 10, 8), "进宿舍")  # makes the October and November sheets
    act("黄主任", date(2025, 11, 8), "进宿舍")
    Sheet.update(submitted_on=date(2025, 11, 7)).where(Sheet.month == "2025-10").execute()
    Sheet.update(submitted_on=date(2025, 12, 15)).where(Sheet.month == "2025-11").execute()
    results = check("term", TERM1, as_of=date(2025, 12, 20))
    oct_ = one(results, "middle-monthly-sheet", start=date(2025, 10, 1))
    nov = one(results, "middle-monthly-sheet", start=date(2025, 11, 1))
    dec = one(results, "middle-monthly-sheet", start=date(2025, 12, 1))
    assert (oct_.status, oct_.due) == ("met", date(2025, 11, 10))
    assert (nov.status, nov.due) == ("short", date(2025, 12, 10))
    assert dec.status == "open"
    # Seed 003 四、（二）: contacts are reported in early September, so by December a middle cadre
    # with none is short, not in progress (the rule's due date is the September filing's).
    registered = one(results, "middle-contacts-registered")
    assert (registered.status, registered.due) == ("short", date(2025, 9, 11))


def test_fjwsxy_monthly_contacts_count_only_the_leaders_own_targets(school):
    school("fjwsxy-2021")
    leader_with_links()
    add_target("药学系学生党支部", "党支部")
    act("林院长", date(2025, 10, 10), "联系党支部", target="药学系学生党支部")
    act("林院长", date(2025, 11, 10), "党课", target="护理系学生党支部", people=40)
    results = check("term", TERM1, as_of=date(2026, 1, 31))
    assert one(results, "party-branch-monthly", start=date(2025, 10, 1)).status == "short"
    assert one(results, "party-branch-monthly", start=date(2025, 11, 1)).status == "met"
    assert one(results, "party-lecture-yearly").status == "met"
    assert one(results, "link-young-teacher").actual == 1


# jljtxy-2018 (吉交院组字[2018]6号) ------------------------------------------------------------


def test_jljtxy_each_contact_person_needs_two_talks_one_met_one_short(school):
    school("jljtxy-2018")
    add_cadre("孙书记", "leader", "校领导班子", "党委书记", "党委书记、中共党员")
    for person in ("刘一", "刘二"):
        add_target(person, "个人")
        assign("孙书记", person, YEAR)
    act("孙书记", date(2025, 10, 9), "谈心谈话", target="刘一")
    act("孙书记", date(2025, 12, 11), "谈心谈话", target="刘一")
    act("孙书记", date(2025, 11, 5), "谈心谈话", target="刘二")
    results = [r for r in check("term", TERM1, as_of=date(2026, 1, 31)) if r.rule == "contact-person-talk-term"]
    assert {r.target: (r.actual, r.status) for r in results} == {"刘一": (2, "met"), "刘二": (1, "short")}
    persons = one(check("term", TERM1, as_of=date(2026, 1, 31)), "leader-link-persons")
    assert (persons.actual, persons.status) == (2, "met")  # 2 to 3 persons


def test_jljtxy_one_to_two_branches_three_is_too_many(school):
    school("jljtxy-2018")
    add_cadre("孙书记", "leader", "校领导班子", "党委书记", "党委书记、中共党员")
    for branch in ("一支部", "二支部", "三支部"):
        add_target(branch, "党支部")
        assign("孙书记", branch, YEAR)
    links = one(check("year", YEAR, as_of=date(2026, 9, 1)), "link-branches")
    assert (links.actual, links.maximum, links.status) == (3, 2, "short")
    assert "超过上限" in links.detail
    per_branch = [r for r in check("term", TERM1, as_of=date(2026, 1, 31)) if r.rule == "branch-activity-term"]
    assert sorted(r.target for r in per_branch) == ["一支部", "三支部", "二支部"]


def test_jljtxy_rules_are_for_party_members_only(school):
    school("jljtxy-2018")
    add_cadre("钱处长", "middle_head", "财务处", "处长")
    add_cadre("孙处长", "middle_head", "人事处", "处长", "中共党员")
    results = check("term", TERM1, as_of=date(2025, 10, 1))
    assert rules_of(results, "钱处长") == set()
    assert "term-summary" in rules_of(results, "孙处长")


def test_jljtxy_term_summary_due_on_the_last_day_of_term(school):
    school("jljtxy-2018")
    add_cadre("孙处长", "middle_head", "人事处", "处长", "中共党员")
    add_cadre("钱处长", "middle_head", "财务处", "处长", "中共党员")
    add_filing("term_summary", TERM1, date(2026, 1, 18), cadre="孙处长")
    add_filing("term_summary", TERM1, date(2026, 1, 19), cadre="钱处长")
    results = check("term", TERM1, as_of=date(2026, 1, 25))
    assert one(results, "term-summary", "孙处长").status == "met"
    assert one(results, "term-summary", "钱处长").status == "short"


# Scopes, arguments and the due-soon list ----------------------------------------------------------


def test_a_year_check_covers_both_terms_and_all_twelve_months(school):
    school("weifa-2019-19")
    add_cadre("赵处长", "middle_head", "学生工作部", "部长")
    results = check("year", YEAR, as_of=date(2026, 9, 1))
    months = [r for r in results if r.rule == "dorm-visit-monthly"]
    assert len(months) == 12 and months[0].period_start == date(2025, 9, 1)
    assert months[0].period_label == "2025年9月" and months[-1].period_label == "2026年8月"
    assert len([r for r in results if r.rule == "class-meeting-or-club-term"]) == 2


def test_bad_scope_term_month_or_cadre_is_bad_input(school):
    school("weifa-2019-19")
    add_cadre("赵处长", "middle_head", "学生工作部", "部长")
    with pytest.raises(BadInput, match="未设置学期"):
        check("term", "2030-2031-1")
    with pytest.raises(BadInput, match="格式不对"):
        check("month", "2025-13")
    with pytest.raises(BadInput, match="未找到干部"):
        check("month", "2025-10", cadre="无名氏")
    with pytest.raises(BadInput, match="检查范围"):
        check("week", "2025-10")


def test_due_soon_lists_what_is_still_open_this_week_month_and_term(school):
    school("weifa-2019-19")
    add_cadre("赵处长", "middle_head", "学生工作部", "部长")
    act("赵处长", date(2025, 10, 9), "进宿舍")
    soon = due_soon(date(2025, 10, 15))
    rules = {r.rule for r in soon}
    assert "dorm-visit-monthly" not in rules  # done this month
    assert {"canteen-meal-monthly", "class-attend-monthly", "class-meeting-or-club-term"} <= rules
    assert all(r.status == "open" and r.period_start <= date(2025, 10, 15) <= r.period_end for r in soon)
    ends = [r.period_end for r in soon if r.severity == "required"]
    assert ends == sorted(ends)


def test_distinct_targets_count_different_targets_of_the_rules_kinds(school):
    from liaison_desk.ledger.policy_edit import save_policy, with_rule

    policy = school("weifa-2019-19")
    save_policy(with_rule(policy, {
        "id": "dorms-per-term", "title": "每学期走访2个不同宿舍", "clause": "本校补充规定",
        "measure": "distinct_targets", "categories": ["进宿舍", "谈心谈话"], "target_kinds": ["宿舍"],
        "period": "term", "min": 2}))
    add_cadre("赵处长", "middle_head", "学生工作部", "部长")
    for name in ("南苑1栋201", "南苑2栋403"):
        add_target(name, "宿舍")
    add_target("刘一", "个人")
    act("赵处长", date(2025, 9, 10), "进宿舍", target="南苑1栋201")
    act("赵处长", date(2025, 10, 10), "进宿舍", target="南苑1栋201")  # the same dorm again
    act("赵处长", date(2025, 10, 11), "谈心谈话", target="刘一")  # not a dorm
    act("赵处长", date(2025, 10, 12), "进宿舍")  # no roster target
    result = one(check("term", TERM1, as_of=date(2026, 1, 31)), "dorms-per-term")
    assert (result.actual, result.unit, result.status) == (1, "个", "short")
    act("赵处长", date(2025, 11, 12), "谈心谈话", target="南苑2栋403")
    result = one(check("term", TERM1, as_of=date(2026, 1, 31)), "dorms-per-term")
    assert (result.actual, result.status) == (2, "met")
