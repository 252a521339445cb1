"""A sixth school, none of the seeds: its scheme written as a policy file
(tests/data/sixth-school-policy.toml) and checked against results worked out by hand.

The scheme: leaders and division-level cadres each link 1–2 classes (due with the September
arrangement, 14 days after the first term starts); per term ≥2 activities at the linked class and
≥1 dorm visit; per month ≥1 class attended, term months only; per year ≥1 lecture and one written
report 年度书面报告 (a filing kind the policy declares, due June 30)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from liaison_desk.calendar import Term
from liaison_desk.errors import BadInput
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.filings import add_filing
from liaison_desk.ledger.policy_edit import import_policy
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.rules.compliance import check

POLICY_FILE = Path(__file__).resolve().parents[1] / "data" / "sixth-school-policy.toml"
YEAR_END = date(2026, 9, 1)  # the day after the year: every period is over


@pytest.fixture
def school(ledger):
    policy = import_policy(POLICY_FILE)
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    settings.set_term(Term("2025-2026-2", date(2026, 2, 23), date(2026, 7, 5)))
    for name in ("计算2501班", "计算2502班", "机械2501班", "机械2502班"):
        add_target(name, "班级", "计算机学院")
    add_target("西苑3栋", "宿舍")
    add_cadre("王校长", "leader", "校领导班子", "副校长")
    add_cadre("李处长", "middle_head", "学生工作部", "部长")
    add_cadre("张副处长", "middle_deputy", "教务处", "副处长")
    assign("王校长", "计算2501班", "2025-2026", "名誉班主任", filed_on=date(2025, 9, 5))
    for name in ("计算2502班", "机械2501班", "机械2502班"):
        assign("张副处长", name, "2025-2026", "名誉班主任", filed_on=date(2025, 9, 8))

    def act(cadre: str, day: date, category: str, target: str = "") -> None:
        add_activity(ActivityInput(cadre, day, category, target=target, summary="联系"), policy)

    act("王校长", date(2025, 10, 10), "进班级", "计算2501班")
    act("王校长", date(2025, 11, 12), "进班级", "计算2501班")
    act("王校长", date(2025, 12, 1), "进班级", "机械2501班")  # not his class
    act("王校长", date(2026, 1, 25), "进班级", "计算2501班")  # winter vacation
    act("王校长", date(2025, 10, 20), "进宿舍", "西苑3栋")
    for day in (date(2025, 9, 10), date(2025, 10, 15), date(2025, 11, 5), date(2026, 1, 8)):
        act("王校长", day, "进课堂", "计算2501班")
    act("王校长", date(2026, 3, 15), "进讲座")
    act("李处长", date(2025, 10, 15), "进班级", "计算2502班")  # he links no class
    act("李处长", date(2025, 9, 20), "进课堂", "计算2502班")
    add_filing("年度书面报告", "2025-2026", date(2026, 6, 20), cadre="王校长")
    add_filing("年度书面报告", "2025-2026", date(2026, 7, 2), cadre="张副处长")  # late
    return policy


def results(cadre: str, rule: str, as_of: date = YEAR_END, scope: str = "year", period: str = "2025-2026"):
    return [r for r in check(scope, period, as_of=as_of, cadre=cadre) if r.rule == rule]


def statuses(cadre: str, rule: str, **kw) -> list[tuple[str, str]]:
    return [(r.period_label, r.status) for r in results(cadre, rule, **kw)]


def test_the_policy_file_reads_as_the_scheme(school):
    assert [f.name for f in school.filings] == ["年度书面报告"]
    assert school.rule("听课-每月").term_months_only
    assert school.rule("联系班级").due == "start"


def test_class_links_are_due_with_the_september_arrangement(school):
    # 王校长 links one class: met. 张副处长 links three: over the maximum of two.
    (wang,) = results("王校长", "联系班级")
    assert (wang.status, wang.actual, wang.due) == ("met", 1, date(2025, 9, 15))
    (zhang,) = results("张副处长", "联系班级")
    assert (zhang.status, zhang.actual) == ("short", 3)
    # 李处长 has none: in progress before the due date, short after it (not only at year end).
    assert statuses("李处长", "联系班级", as_of=date(2025, 9, 10)) == [("2025-2026学年", "open")]
    assert statuses("李处长", "联系班级", as_of=date(2025, 11, 1)) == [("2025-2026学年", "short")]


def test_class_activities_count_only_at_the_linked_class_and_say_what_did_not(school):
    first, second = results("王校长", "班级活动-每学期")
    assert (first.actual, first.status) == (2, "met")
    assert "1 条进班级未计入：对象不是本人本学年联系的班级" in first.detail
    assert (second.actual, second.status) == (0, "short")
    assert "1 条进班级未计入：日期不在已设置的学期内（假期）" in second.detail
    (li_first, _li_second) = results("李处长", "班级活动-每学期")
    assert (li_first.actual, li_first.status) == (0, "short")
    assert "1 条进班级未计入：对象不是本人本学年联系的班级" in li_first.detail
    assert len(li_first.uncounted) == 1


def test_monthly_class_attendance_only_in_term_months(school):
    assert statuses("王校长", "听课-每月") == [
        ("2025年9月", "met"), ("2025年10月", "met"), ("2025年11月", "met"), ("2025年12月", "short"),
        ("2026年1月", "met"), ("2026年2月", "exempt"), ("2026年3月", "short"), ("2026年4月", "short"),
        ("2026年5月", "short"), ("2026年6月", "short"), ("2026年7月", "exempt"), ("2026年8月", "exempt"),
    ]
    july = results("王校长", "听课-每月")[10]
    assert "假期月" in july.detail


def test_dorm_and_lecture(school):
    assert statuses("王校长", "进宿舍-每学期") == [("2025-2026学年第一学期", "met"),
                                                  ("2025-2026学年第二学期", "short")]
    assert statuses("王校长", "讲座-每学年") == [("2025-2026学年", "met")]
    assert statuses("李处长", "讲座-每学年") == [("2025-2026学年", "short")]


def test_the_yearly_report_is_checked_once_per_year_by_its_own_due_date(school):
    (wang,) = results("王校长", "年度书面报告")
    assert (wang.status, wang.due, wang.period) == ("met", date(2026, 6, 30), "year")
    (zhang,) = results("张副处长", "年度书面报告")
    assert zhang.status == "short" and "逾期：2026-07-02" in zhang.detail
    (li,) = results("李处长", "年度书面报告")
    assert li.status == "short" and "年度书面报告未报送（截止 2026-06-30）" in li.detail
    # A term check shows it once, for the year, not once per term.
    term = results("李处长", "年度书面报告", scope="term", period="2025-2026-1", as_of=date(2025, 12, 1))
    assert [(r.period, r.status) for r in term] == [("year", "open")]


def test_a_declared_filing_is_filed_for_its_own_period(school):
    with pytest.raises(BadInput, match="学年"):
        add_filing("年度书面报告", "2025-2026-1", date(2026, 6, 1), cadre="李处长")
    with pytest.raises(BadInput, match="可选：.*年度书面报告"):
        add_filing("年终报告", "2025-2026", date(2026, 6, 1), cadre="李处长")


def test_check_json_carries_the_uncounted_activities(school, cli, capsys):
    from liaison_desk.store import storage

    storage.close_database()
    code, out, _err = cli("check", "--term", "2025-2026-1", "--cadre", "王校长", "--as-of", "2026-02-01",
                          "--format", "json")
    assert code == 0
    rows = [r for r in json.loads(out) if r["rule"] == "班级活动-每学期"]
    assert [u["reason"] for u in rows[0]["uncounted"]] == ["对象不是本人本学年联系的班级"]
    code, out, err = cli("filing", "add", "李处长", "--kind", "年度书面报告", "--period", "2025-2026",
                         "--date", "2026-06-29")
    assert code == 0, err
    assert "年度书面报告" in out


def test_policy_show_lists_the_filing_kind_and_term_months(cli):
    assert cli("init", "--policy", "moe-2019", "--school", "第六学院")[0] == 0
    code, out, err = cli("policy", "import", str(POLICY_FILE))
    assert code == 0, err
    code, out, _err = cli("policy", "show")
    assert "听课-每月  每月听课1次  每月（仅学期月） ≥1次" in out
    assert "报送类别：年度书面报告，每学年，截止 6月30日" in out
