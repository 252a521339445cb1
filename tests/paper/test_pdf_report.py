"""The monthly report and the term summary: their figures, their text as printed, embedded fonts,
and the `report` commands."""

from __future__ import annotations

from datetime import date

import paper_data as pd
import pytest

from liaison_desk.ledger import problems
from liaison_desk.paper.report import monthly_report_pdf, term_summary_pdf
from liaison_desk.paper.report_data import monthly_report, term_summary
from liaison_desk.store.models import Cadre, Sheet

AS_OF = date(2025, 11, 20)


@pytest.fixture
def data(ledger):
    data = pd.build(ledger)
    leader = Cadre.get(Cadre.name == data.leader)
    # The office received the leader's October sheet; the middle-level cadre's is still out.
    Sheet.update(submitted_on=date(2025, 11, 2)).where((Sheet.cadre == leader) & (Sheet.month == pd.MONTH)).execute()
    # Problems through the problem list's own steps (the activity's 发现问题 is on it already).
    hot = problems.add_problem("宿舍热水供应不稳定", date(2025, 10, 28), cadre=data.leader)
    problems.transfer(hot.id, "学生工作部", date(2025, 11, 5), date(2025, 10, 28))
    problems.solve(hot.id, date(2025, 10, 30), "已更换加热设备")
    seats = problems.add_problem("自习室座位不足", date(2025, 10, 14), cadre=data.leader)
    problems.transfer(seats.id, "学生工作部", date(2025, 10, 25), date(2025, 10, 15))
    old = problems.add_problem("九月的旧问题", date(2025, 9, 20), cadre=data.leader)
    problems.explain(old.id, date(2025, 9, 25), "已说明原因")
    problems.answer(old.id, date(2025, 10, 5))
    return data


def test_monthly_figures_count_sheets_activities_and_problems(data):
    r = monthly_report(pd.MONTH, AS_OF)
    assert r.cadres == 2 and r.submitted == 1 and r.signed == 0
    assert r.activities == 6 and r.face_to_face >= 4
    missing = [name for s in r.sheets_by_unit for name in s.missing]
    assert missing == [data.middle]
    assert dict(r.by_category)["进宿舍"] == 2 and dict(r.by_category)["谈心谈话"] == 2
    raised = [p.description for p in r.problems.raised]
    assert raised[0] == "自习室座位不足"  # by date
    assert sorted(raised) == sorted(["自习室座位不足", "宿舍热水供应不稳定", "热水供应不稳定"])
    assert sorted(p.description for p in r.problems.closed) == ["九月的旧问题", "宿舍热水供应不稳定"]
    assert r.problems.by_status == {"待分办": 1, "已转办": 1, "已办结": 1, "已解释": 0, "已反馈": 0}
    assert r.problems.still_open == 2 and r.problems.overdue == 1
    # The leader saw students face to face in only some October weeks: the weekly rule is short.
    assert any(s.cadre == data.leader for s in r.shortfalls)


def test_monthly_report_pdf_reads_like_the_leaders_paper(data):
    pdf, pages = monthly_report_pdf(pd.MONTH, AS_OF)
    assert pages == pd.page_count(pdf)
    text = pd.text(pdf)
    for expected in ("测试学院", "领导干部深入基层联系师生工作月报", "2025年10月", "一、本月结论",
                     "未达要求的干部", "二、工作记录表报送情况", "三、联系活动情况", "四、问题清单",
                     "学生工作部", data.middle, "各类活动次数", "进宿舍", "自习室座位不足", "已转办（逾期）",
                     "本月办结的问题", "已更换加热设备", "统计截至2025年11月20日"):
        assert expected in text, expected
    assert "工作记录表应交2份" in text and "已交1份" in text
    found = pd.fonts(pdf)
    assert found and all(found.values()), found


def test_term_summary_covers_units_tiers_problems_narrative_and_every_cadre(data):
    t = term_summary(pd.TERM, AS_OF)
    assert t.cadres == 2 and [c.name for c in t.by_tier] == ["校领导", "中层正职"]
    assert {p.name for p in t.people} == {data.leader, data.middle}
    leader = next(p for p in t.people if p.name == data.leader)
    assert leader.activities == 4 and leader.lines
    pdf, _pages = term_summary_pdf(pd.TERM, AS_OF)
    text = pd.text(pdf)
    for expected in ("领导干部深入基层联系师生工作学期总结", "2025-2026学年第一学期", "各单位完成情况",
                     "各层级完成情况", "问题清单", "九月的旧问题", "已反馈", "工作总结", "主要做法与成效",
                     "干部逐人完成情况", f"1．{data.leader}", f"2．{data.middle}", leader.lines[0].title):
        assert expected in text, expected
    assert all(pd.fonts(pdf).values())


def test_term_summary_for_one_cadre_holds_only_that_cadre(data):
    pdf, _ = term_summary_pdf(pd.TERM, AS_OF, cadre=data.middle)
    text = pd.text(pdf)
    assert data.middle in text and data.leader not in text
    assert "各项要求完成情况" in text and "个人小结" in text and "各单位完成情况" not in text


def test_cli_reports_and_their_bad_input(cli, data, tmp_path):
    out = tmp_path / "m.pdf"
    code, stdout, err = cli("report", "monthly", "--month", pd.MONTH, "--out", str(out), "--as-of", "2025-11-20")
    assert code == 0, err
    assert "月度报告" in stdout and "四、问题清单" in pd.text(out.read_bytes())
    term = tmp_path / "t.pdf"
    code, _, err = cli("report", "term", "--term", pd.TERM, "--out", str(term), "--cadre", data.leader)
    assert code == 0, err
    assert data.leader in pd.text(term.read_bytes())
    for args, message in [
        (["term", "--term", "2030-2031-1"], "未设置学期"),
        (["term", "--term", "2025-2026-9"], "格式不对"),
        (["term", "--term", pd.TERM, "--cadre", "无此人"], "未找到干部"),
        (["monthly", "--month", "2025-13"], "月份"),
        (["monthly", "--month", pd.MONTH, "--as-of", "昨天"], "不是有效日期"),
    ]:
        bad = tmp_path / "bad.pdf"
        code, _, err = cli("report", *args, "--out", str(bad))
        assert code == 2, args
        assert message in err, (args, err)
        assert not bad.exists()


def test_term_completion_counts_agree_with_the_compliance_check(data):
    from liaison_desk.rules.compliance import check

    results = [r for r in check("term", pd.TERM, as_of=AS_OF) if r.severity == "required"]
    t = term_summary(pd.TERM, AS_OF)
    total = t.school_total
    assert (total.met, total.short, total.open) == (
        sum(r.status == "met" for r in results), sum(r.status == "short" for r in results),
        sum(r.status == "open" for r in results))
    assert sum(u.met for u in t.by_unit) == total.met == sum(x.met for x in t.by_tier)
    assert total.short_cadres == len({r.cadre_id for r in results if r.status == "short"})
