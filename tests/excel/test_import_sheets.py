"""#20: the cadre's filled-in Word form goes straight into the ledger — the program's own form
filled the way a person fills it, a form typed up from the seed's annex 1, the 三特一体 fields,
and a second import of the same file changing nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from benchmarks.docx_forms import annex1, fill_own
from benchmarks.entry_replay import LEADER, MIDDLE, MONTH, make_roster
from liaison_desk.excel.import_sheets import commit_sheets, prepare_sheets
from liaison_desk.paper.sheet_content import sheet_content
from liaison_desk.paper.sheet_docx import sheet_docx
from liaison_desk.store.models import Activity, Assignment, Cadre, ChangeLog, Sheet


@pytest.fixture
def roster(ledger):
    make_roster()
    return ledger


def blank(folder: Path, cadre: str, month: str = MONTH) -> Path:
    path = folder / f"{cadre}-blank.docx"
    path.write_bytes(sheet_docx(sheet_content(cadre, month, blank=True)))
    return path


def stored(cadre: str) -> list[tuple[str, date, str, str, str]]:
    """(category, date, roster target, carrier, summary) of the cadre's activities."""
    return sorted((a.category, a.date, a.target.name if a.target else "", a.carrier, a.summary)
                  for a in Activity.select().join(Cadre).where(Cadre.name == cadre))


def import_all(*paths: Path):
    imp = prepare_sheets(list(paths))
    assert not imp.preview.problems, [str(p) for p in imp.preview.problems.items]
    return imp, commit_sheets(imp)


#: A month as a cadre writes it in Word: several activities in one cell (Enter, and Shift+Enter on
#: the 党支部 row), dates in four styles, a target one character off, one typed short, a carrier.
FILLED = {
    "党总支": [("护理学院党总支", "10月9日", "参加党总支理论学习中心组学习")],
    "党支部": [("护理学生第一党支部", "10.12", "参加支部组织生活会并讲话"),
              ("护理教工党支部", "2025-10-26", "指导教工支部换届")],
    "教研室": [("基础护理教研室", "15日", "参加集体备课")],  # 基础护理学教研室, one character left out
    "进课堂": [("毛泽东", "14日", "随堂听课"), ("护理2301班", "10月28日", "听护理学基础课")],
    "进宿舍": [("北苑3栋", "28", "回访热水问题")],
}
EXPECTED = sorted([
    ("联系党总支", date(2025, 10, 9), "护理学院党总支", "", "参加党总支理论学习中心组学习"),
    ("联系党支部", date(2025, 10, 12), "护理学生第一党支部", "", "参加支部组织生活会并讲话"),
    ("联系党支部", date(2025, 10, 26), "护理教工党支部", "", "指导教工支部换届"),
    ("联系教研室", date(2025, 10, 15), "基础护理学教研室", "", "参加集体备课"),
    ("进课堂", date(2025, 10, 14), "毛泽东思想和中国特色社会主义理论体系概论", "", "随堂听课"),
    ("进课堂", date(2025, 10, 28), "护理2301班", "", "听护理学基础课"),
    ("进宿舍", date(2025, 10, 28), "", "北苑3栋", "回访热水问题"),
])


def test_own_form_filled_in_word_imports_exactly_the_lines_written(roster, tmp_path):
    path = fill_own(blank(tmp_path, LEADER), tmp_path / "王建国-10月.docx", FILLED, breaks_in=["党支部"])
    imp = prepare_sheets([path])
    p = imp.preview
    assert not p.problems
    assert p.added == 7 and p.unchanged == 0
    assert stored(LEADER) == []  # the preview wrote nothing
    notes = {x.target: x.note for x in p.items}
    assert "只差一字" in notes["基础护理学教研室"]
    assert "补全" in notes["毛泽东思想和中国特色社会主义理论体系概论"]
    assert "名册中没有“北苑3栋”" in notes["北苑3栋"]
    assert {x.row for x in p.items if x.category == "联系党支部"} == {5}  # table row of 党支部, as in Word
    done = commit_sheets(imp)
    assert done.written and done.log_entries >= 8
    assert stored(LEADER) == EXPECTED
    assert ChangeLog.select().where(ChangeLog.action == "import").count() == 1


def test_the_same_form_again_is_all_unchanged_and_writes_nothing(roster, tmp_path):
    path = fill_own(blank(tmp_path, LEADER), tmp_path / "a.docx", FILLED)
    import_all(path)
    log = ChangeLog.select().count()
    imp, done = import_all(path)
    assert imp.preview.added == 0 and imp.preview.unchanged == 7
    assert not done.written and ChangeLog.select().count() == log
    assert stored(LEADER) == EXPECTED


def test_a_form_typed_up_from_the_seed_annex_imports_too(roster, tmp_path):
    path = annex1(tmp_path / "office.docx", LEADER, "党委书记", "2025 年 10 月", {
        "院系班子": [("护理学院领导班子", "10月10日", "出席党政联席会议")],
        "进食堂": [("第一食堂", "21日", "与学生同餐")],
        "进网络": [("护理学院学生群", "10.30", "在线答复奖学金提问")],
    })
    import_all(path)
    assert stored(LEADER) == sorted([
        ("联系院系班子", date(2025, 10, 10), "护理学院领导班子", "", "出席党政联席会议"),
        ("进食堂", date(2025, 10, 21), "", "第一食堂", "与学生同餐"),
        ("进网络", date(2025, 10, 30), "", "护理学院学生群", "在线答复奖学金提问"),
    ])


def test_santeyiti_ticks_carriers_and_work_text(roster, tmp_path):
    path = fill_own(blank(tmp_path, MIDDLE), tmp_path / "李晓梅.docx", ticks=["工作职能", "个人专长"],
                    fields={"教师": "护理教工党支部", "学生": "护理2302班"},
                    work="本月发现部分宿舍热水供应不稳定，已协调后勤处维修。",
                    activities=[("10月10日", "进课堂", "护理2302班", "随堂听课"),
                                ("16日", "谈心谈话", "赵小六", "与学生谈心")])
    import_all(path)
    sheet = Sheet.get(Sheet.month == MONTH)  # the only sheet
    content = sheet_content(MIDDLE, MONTH)
    assert content.fields["specialties"] == ["工作职能", "个人专长"]
    assert content.fields["carrier_teachers"] == "护理教工党支部"
    assert content.fields["work"] == "本月发现部分宿舍热水供应不稳定，已协调后勤处维修。"
    assert sheet.cadre.name == MIDDLE
    assert stored(MIDDLE) == sorted([("进课堂", date(2025, 10, 10), "护理2302班", "", "随堂听课"),
                                     ("谈心谈话", date(2025, 10, 16), "赵小六", "", "与学生谈心")])
    # the carrier boxes are this year's 联系安排, as when typed into the editor
    assert Assignment.select().where(Assignment.role == "自主选择联系载体").count() >= 1


def test_unreadable_lines_are_listed_with_file_row_and_cell_and_nothing_is_written(roster, tmp_path):
    path = fill_own(blank(tmp_path, LEADER), tmp_path / "bad.docx", {
        "党总支": [("护理学院党总支", "10月40日", "日期写错")],
        "进班级": [("护理2301班", "11月3日", "不是本月")],
        "进食堂": [("第一食堂", "", "没写日期")],
    })
    imp = prepare_sheets([path])
    problems = [(x.sheet, x.row, x.column, x.reason) for x in imp.preview.problems.items]
    assert ("bad.docx", 3, "时间", "没有这一天") in problems
    assert any(r == 10 and "不在填表时间" in why for _f, r, _c, why in problems)
    assert any(r == 12 and "没有填写时间" in why for _f, r, _c, why in problems)
    with pytest.raises(Exception, match="未写入任何数据"):
        commit_sheets(imp)
    assert stored(LEADER) == []


def test_a_signed_month_is_refused(roster, tmp_path):
    path = fill_own(blank(tmp_path, LEADER), tmp_path / "a.docx", FILLED)
    import_all(path)
    Sheet.update(status="signed").execute()
    more = fill_own(blank(tmp_path, LEADER), tmp_path / "b.docx", {"进网络": [("学生群", "30日", "答复")]})
    imp = prepare_sheets([more])
    assert any("已签字封存" in x.reason for x in imp.preview.problems.items)
