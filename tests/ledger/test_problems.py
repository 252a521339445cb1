"""The problem list: its life cycle, overdue detection, the link back to the activity, reports."""

from datetime import date

import pytest

from liaison_desk.errors import BadInput
from liaison_desk.ledger import problems
from liaison_desk.ledger.activities import ActivityInput, add_activity, delete_activity, update_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store.models import Problem
from liaison_desk.store.verify import verify


@pytest.fixture
def cadre(ledger):
    add_cadre("林处长", "middle_head", "学生工作部", "部长")
    return ledger


def test_the_found_problem_of_an_activity_goes_on_the_list_once(cadre):
    a = add_activity(ActivityInput("林处长", date(2025, 10, 12), "进宿舍", problems="热水供应不稳定"), cadre)
    p = Problem.get()
    assert (p.description, p.status, p.raised_on, p.activity_id, p.cadre.name) == (
        "热水供应不稳定", "待分办", date(2025, 10, 12), a.id, "林处长")
    update_activity(a.id, {"problems": "热水供应不稳定，晚上十点后无热水"}, cadre)
    assert Problem.select().count() == 1 and Problem.get().description.endswith("无热水")
    row = problems.list_problems()[0]
    assert (row.activity_id, row.activity_month) == (a.id, "2025-10")  # the way back to the sheet


def test_life_cycle_with_every_step_dated_and_kept(cadre):
    p = problems.add_problem("自习室座位不足", date(2025, 10, 8), "学习", raised_by="护理2301班学生",
                             cadre="林处长")
    problems.transfer(p.id, "后勤保障处", date(2025, 10, 20), date(2025, 10, 9), "请核查自习室开放时间",
                      new_unit=True)
    problems.solve(p.id, date(2025, 10, 18), "新增两间通宵自习室")
    problems.answer(p.id, date(2025, 10, 19), "在班会上告知学生")
    steps = [(e.status, e.on) for e in problems.history(p.id)]
    assert steps == [("待分办", date(2025, 10, 8)), ("已转办", date(2025, 10, 9)), ("已办结", date(2025, 10, 18)),
                     ("已反馈", date(2025, 10, 19))]
    assert Problem.get_by_id(p.id).resolution == "新增两间通宵自习室"
    problems.reopen(p.id, date(2025, 11, 2), "学生反映通宵自习室晚上锁门")
    assert Problem.get_by_id(p.id).status == "待分办"
    with pytest.raises(BadInput, match="不能改为"):
        problems.answer(p.id, date(2025, 11, 3))
    with pytest.raises(BadInput):
        problems.solve(p.id, date(2025, 11, 3), " ")
    with pytest.raises(BadInput, match="早于"):
        problems.transfer(p.id, "后勤保障处", date(2025, 10, 1), date(2025, 11, 3), new_unit=True)
    assert verify().ok


def test_overdue_means_transferred_and_past_its_due_date(cadre):
    late = problems.add_problem("快递点排队时间长", date(2025, 10, 1), "生活")
    problems.transfer(late.id, "后勤保障处", date(2025, 10, 15), date(2025, 10, 2), new_unit=True)
    on_time = problems.add_problem("校园网晚间速度慢", date(2025, 10, 1), "生活")
    problems.transfer(on_time.id, "网络中心", date(2025, 11, 30), date(2025, 10, 2), new_unit=True)
    done = problems.add_problem("体育场馆开放时间短", date(2025, 10, 1), "生活")
    problems.transfer(done.id, "体育学院", date(2025, 10, 10), date(2025, 10, 2), new_unit=True)
    problems.explain(done.id, date(2025, 10, 9), "场馆维修期间暂停开放，已向学生说明")
    overdue = problems.list_problems(overdue=True, as_of=date(2025, 10, 20))
    assert [p.description for p in overdue] == ["快递点排队时间长"]
    assert problems.list_problems(overdue=True, as_of=date(2025, 10, 15)) == []
    assert [p.unit for p in problems.list_problems(unit="网络中心")] == ["网络中心"]


def test_deleting_the_activity_keeps_the_problem_and_verify_agrees(cadre):
    a = add_activity(ActivityInput("林处长", date(2025, 10, 12), "进宿舍", problems="宿舍漏水"), cadre)
    delete_activity(a.id)
    assert Problem.get().activity is None and Problem.get().description == "宿舍漏水"
    assert verify().ok


def test_the_reports_problem_section(cadre):
    a = problems.add_problem("食堂晚餐窗口开放少", date(2025, 10, 3), "后勤")
    problems.transfer(a.id, "后勤保障处", date(2025, 10, 10), date(2025, 10, 4), new_unit=True)
    b = problems.add_problem("考研自习室不足", date(2025, 10, 5), "学习")
    problems.transfer(b.id, "教务处", date(2025, 11, 30), date(2025, 10, 6), new_unit=True)
    problems.solve(b.id, date(2025, 10, 25), "开放图书馆四楼")
    c = problems.add_problem("宿舍楼门禁时间", date(2025, 10, 20), "安全")
    problems.report_up(c.id)
    problems.add_problem("上月的问题", date(2025, 9, 20), "其他")
    s = problems.summary(date(2025, 10, 1), date(2025, 10, 31), as_of=date(2025, 10, 31))
    assert (s.raised, s.closed, s.open) == (3, 1, 3)
    assert [p.description for p in s.overdue] == ["食堂晚餐窗口开放少"]
    assert [p.description for p in s.reported_up] == ["宿舍楼门禁时间"]
    assert ("后勤保障处", 1, 0, 1) in s.by_unit and ("教务处", 1, 1, 0) in s.by_unit


def test_problems_command_lists_filters_and_hides_names(cli):
    import json

    assert cli("init", "--policy", "moe-2019")[0] == 0
    code, out, _ = cli("problem", "add", "宿舍漏水", "--date", "2025-10-03", "--category", "后勤",
                       "--raised-by", "张同学")
    assert code == 0 and "#1" in out
    assert cli("problem", "transfer", "1", "--unit", "后勤保障处", "--due", "2025-10-10",
               "--date", "2025-10-04", "--new-unit")[0] == 0
    code, out, _ = cli("problems", "--overdue", "--as-of", "2025-10-20", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["description"] for r in rows] == ["宿舍漏水"] and rows[0]["overdue"]
    assert rows[0]["raised_by"] == "（已隐去）"
    code, out, _ = cli("problems", "--format", "json", "--include-private")
    assert json.loads(out)[0]["raised_by"] == "张同学"
    code, out, _ = cli("problems", "--status", "已转办")
    assert code == 0 and "宿舍漏水" in out and "后勤保障处" in out
    for bad in (("problems", "--status", "办完了"), ("problem", "answer", "1", "--date", "2025-10-05"),
                ("problem", "solve", "9", "--date", "2025-10-05", "--note", "x"),
                ("problem", "add", "x", "--date", "2025-13-01")):
        code, _, err = cli(*bad)
        assert code == 2 and err.strip(), bad


def test_imported_activities_put_what_students_raised_on_the_list(cli, tmp_path):
    from openpyxl import Workbook

    assert cli("init", "--policy", "moe-2019")[0] == 0
    assert cli("cadre", "add", "王芳", "--tier", "leader")[0] == 0
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "日期", "类别", "联系对象", "工作简况", "人数", "天数", "面对面", "发现问题"])
    sheet.append(["王芳", "2025-10-12", "进宿舍", "南苑3栋", "走访宿舍", 6, None, "是", "热水供应不稳定"])
    sheet.append(["王芳", "2025-10-13", "进食堂", "", "共进午餐", None, None, "是", ""])
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    assert cli("import", "activities", str(path))[0] == 0
    code, out, _ = cli("problems", "--format", "json")
    import json
    rows = json.loads(out)
    assert [(r["description"], r["status"]) for r in rows] == [("热水供应不稳定", "待分办")]
    assert rows[0]["activity_id"] is not None
    assert cli("import", "activities", str(path))[0] == 0  # again: nothing doubles
    assert len(json.loads(cli("problems", "--format", "json")[1])) == 1
    assert cli("verify")[0] == 0


def test_problem_list_exports_to_excel_without_names_unless_asked(cli, tmp_path):
    from openpyxl import load_workbook

    assert cli("init", "--policy", "moe-2019")[0] == 0
    assert cli("problem", "add", "=HYPERLINK(\"x\")宿舍漏水", "--date", "2025-10-03", "--raised-by", "张同学")[0] == 0
    out = tmp_path / "problems.xlsx"
    code, text, _ = cli("export", "problems", str(out))
    assert code == 0
    cells = [c for row in load_workbook(out).worksheets[0].iter_rows() for c in row if c.value]
    values = [c.value for c in cells]
    assert "张同学" not in values and "（已隐去）" in values
    formula_like = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)  # text, never a formula
    assert cli("export", "problems", str(out), "--include-private")[0] == 0
    values = [c for row in load_workbook(out).worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert "张同学" in values
