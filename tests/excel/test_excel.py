"""Excel import and export (#6): round trips through every kind and template, previews, changes,
re-imports that add nothing, signed months, privacy, and the layouts clerks really have."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from ledger_files import dump
from openpyxl import Workbook, load_workbook

from liaison_desk.cli.main import main
from liaison_desk.excel.importing import import_file, prepare
from liaison_desk.ledger import demo, settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.store import changelog, storage
from liaison_desk.store.models import Activity, Assignment, Cadre, ChangeLog, Sheet, Target
from liaison_desk.store.verify import verify
from liaison_desk.vocabulary import HIDDEN

SCHOOL = "测试大学"
KINDS = ("cadres", "targets", "assignments", "activities")


@pytest.fixture
def run(capsys):
    """`liaison-desk --db DB ARGS…` in-process → (exit code, stdout, stderr)."""
    def go(db: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return go


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every value of every sheet, as a clerk would see them."""
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()




TRICKY_SUMMARY = "=SUM(A1:A9) 不是公式\n第二行：-3 ℃，@全体同学，+1"


def make_source(path: Path) -> None:
    """A ledger with demo data plus values that tempt a spreadsheet: leading = + - @, newlines,
    a carrier that is not a roster target, a student in difficulty."""
    storage.open_database(path)
    try:
        policy = settings.init("hnust-2025", SCHOOL)
        demo.generate(policy, cadres=24, months=2, seed=3, end="2025-10")
        add_cadre("=李四", "中层副职", "-测试处", "+副处长", "@标签, 分管学生工作")
        add_target("=1+1班", "班级", "计算机科学与工程学院")
        add_target("张困难", "困难学生", "计算机科学与工程学院")
        assign("=李四", "=1+1班", "2025-2026", "名誉班主任")
        assign("=李四", "张困难", "2025-2026", "")
        add_activity(ActivityInput("=李四", date(2025, 10, 12), "进班级", target="=1+1班", summary=TRICKY_SUMMARY,
                                   people=30, problems="-晚自习教室不够"), policy)
        add_activity(ActivityInput("=李四", date(2025, 10, 13), "进网络", carrier="@班级微信群",
                                   summary="解答奖学金疑问", face_to_face=False), policy)
        add_activity(ActivityInput("=李四", date(2025, 10, 14), "谈心谈话", target="张困难", summary="了解生活困难",
                                   people=1, days=0.5), policy)
    finally:
        storage.close_database()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    make_source(path)
    return path


def empty_ledger(run, path: Path) -> Path:
    assert run(path, "init", "--policy", "hnust-2025", "--school", SCHOOL)[0] == 0
    return path


def test_every_kind_round_trips_through_an_empty_ledger(run, source, tmp_path):
    copy = empty_ledger(run, tmp_path / "copy.sqlite3")
    for kind in (*KINDS, "roster"):
        extra = ("--year", "2025-2026") if kind == "roster" else ()
        assert run(source, "export", kind, str(tmp_path / f"a-{kind}.xlsx"), "--include-private", *extra)[0] == 0
    for kind in KINDS:
        code, out, err = run(copy, "import", kind, str(tmp_path / f"a-{kind}.xlsx"))
        assert code == 0, err
        assert "已导入" in out
    for kind in (*KINDS, "roster"):
        extra = ("--year", "2025-2026") if kind == "roster" else ()
        assert run(copy, "export", kind, str(tmp_path / f"b-{kind}.xlsx"), "--include-private", *extra)[0] == 0
        assert cells(tmp_path / f"a-{kind}.xlsx") == cells(tmp_path / f"b-{kind}.xlsx"), kind
    storage.open_database(copy)
    try:
        a = Activity.get(Activity.summary == TRICKY_SUMMARY)
        assert (a.cadre.name, a.target.name, a.people, a.problems) == ("=李四", "=1+1班", 30, "-晚自习教室不够")
        carrier = Activity.get(Activity.carrier == "@班级微信群")
        assert carrier.target is None and carrier.face_to_face is False
        assert Cadre.get(Cadre.name == "=李四").tag_set == {"@标签", "分管学生工作"}
        assert changelog.verify_chain() is None
        assert verify().problems == []  # every imported row is exactly what its log entry says
    finally:
        storage.close_database()


def test_the_roster_list_round_trips_on_its_own(run, source, tmp_path):
    """对接一览表 → an empty ledger holding only the cadres → the same 一览表."""
    copy = empty_ledger(run, tmp_path / "copy.sqlite3")
    run(source, "export", "cadres", str(tmp_path / "cadres.xlsx"))
    run(source, "export", "roster", str(tmp_path / "roster.xlsx"), "--year", "2025-2026", "--include-private")
    assert run(copy, "import", "cadres", str(tmp_path / "cadres.xlsx"))[0] == 0
    code, out, err = run(copy, "import", "roster", str(tmp_path / "roster.xlsx"))
    assert code == 0, err
    assert "联系对象" in out  # the targets were added from the list
    run(copy, "export", "roster", str(tmp_path / "again.xlsx"), "--year", "2025-2026", "--include-private")
    assert cells(tmp_path / "roster.xlsx") == cells(tmp_path / "again.xlsx")


def test_importing_the_same_file_twice_adds_nothing(run, source, tmp_path):
    copy = empty_ledger(run, tmp_path / "copy.sqlite3")
    for kind in KINDS:
        run(source, "export", kind, str(tmp_path / f"{kind}.xlsx"), "--include-private")
        assert run(copy, "import", kind, str(tmp_path / f"{kind}.xlsx"))[0] == 0
    before = dump(copy)
    for kind in KINDS:
        code, out, _ = run(copy, "import", kind, str(tmp_path / f"{kind}.xlsx"))
        assert code == 0
        assert "新增 0 条，修改 0 条" in out and "没有需要写入的内容" in out
    assert dump(copy) == before


def _rewrite(path: Path, out: Path, sheet: str, header: str, match: object, column: str, value: object) -> None:
    """Change one cell of a table (found by a value in a column), as a clerk would in Excel."""
    wb = load_workbook(path)
    ws = wb[sheet]
    head = next(r for r in ws.iter_rows() if any(c.value == header for c in r))
    col = {c.value: c.column for c in head}
    for row in ws.iter_rows(min_row=head[0].row + 1):
        if match in [c.value for c in row]:
            ws.cell(row[0].row, col[column], value)
            break
    wb.save(out)


def test_changes_are_previewed_then_written_with_their_log(run, source, tmp_path):
    run(source, "export", "cadres", str(tmp_path / "cadres.xlsx"))
    _rewrite(tmp_path / "cadres.xlsx", tmp_path / "changed.xlsx", "干部名册", "姓名", "=李四", "职务", "处长")
    code, out, _ = run(source, "import", "cadres", str(tmp_path / "changed.xlsx"), "--dry-run")
    assert code == 0 and "修改 1 条" in out and "试运行" in out
    before = dump(source)
    assert run(source, "import", "cadres", str(tmp_path / "changed.xlsx"))[0] == 0
    assert dump(source) != before
    storage.open_database(source)
    try:
        assert verify().problems == []
        assert Cadre.get(Cadre.name == "=李四").position == "处长"
        entry = ChangeLog.select().where(ChangeLog.table == "cadre", ChangeLog.action == "update").get()
        assert "+副处长" in entry.before and "处长" in entry.after
        assert ChangeLog.select().where(ChangeLog.action == "import").count() == 1
    finally:
        storage.close_database()


def test_changed_activity_numbers_update_the_activity(run, source, tmp_path):
    run(source, "export", "activities", str(tmp_path / "ledger.xlsx"), "--month", "2025-10", "--include-private")
    _rewrite(tmp_path / "ledger.xlsx", tmp_path / "changed.xlsx", "台账", "姓名", TRICKY_SUMMARY, "人数", 45)
    storage.open_database(source)
    try:
        count = Activity.select().count()
        p = import_file("activities", tmp_path / "changed.xlsx")
        assert (p.added, p.changed) == (0, 1)
        assert Activity.select().count() == count
        assert Activity.get(Activity.summary == TRICKY_SUMMARY).people == 45
        assert verify().problems == []
    finally:
        storage.close_database()


def test_dry_run_writes_nothing(run, source, tmp_path):
    copy = empty_ledger(run, tmp_path / "copy.sqlite3")
    run(source, "export", "cadres", str(tmp_path / "cadres.xlsx"))
    before = dump(copy)
    code, out, _ = run(copy, "import", "cadres", str(tmp_path / "cadres.xlsx"), "--dry-run")
    assert code == 0
    assert "新增 25 条" in out and "试运行：没有写入任何数据" in out
    assert dump(copy) == before


def _ledger_with_cadres(run, path: Path) -> Path:
    empty_ledger(run, path)
    assert run(path, "cadre", "add", "刘建国", "--tier", "校领导", "--unit", "校领导班子",
               "--position", "党委书记")[0] == 0
    assert run(path, "cadre", "add", "王芳", "--tier", "中层正职", "--unit", "学生工作部", "--position", "部长")[0] == 0
    assert run(path, "target", "add", "南苑3栋201", "--kind", "宿舍")[0] == 0
    return path


def test_header_below_a_title_in_any_order_with_extra_columns_and_every_date_form(run, tmp_path):
    db = _ledger_with_cadres(run, tmp_path / "l.sqlite3")
    wb = Workbook()
    ws = wb.active
    ws.title = "十月"
    ws.append(["2025年10月 领导干部联系学生工作台账"])
    ws.append(["填表单位：党委组织部"])
    ws.append(["备注", "工作内容", "活动类别", "时间", "载体名称", "干部姓名", "人次"])
    days = ["2025-10-12", "2025/10/13", "2025.10.14", "2025年10月15日", datetime(2025, 10, 16),
            (date(2025, 10, 17) - date(1899, 12, 30)).days, "20251018"]  # an Excel day number without its format
    for i, d in enumerate(days):
        ws.append(["随便写点", f"走访宿舍 {i}", "进宿舍", d, "南苑3栋201", "刘建国", 3])
    ws.append([])
    ws.append(["", "食堂就餐", "进食堂", "2025-10-20", "", "王芳", None])
    wb.save(tmp_path / "clerk.xlsx")
    code, out, err = run(db, "import", "activities", str(tmp_path / "clerk.xlsx"))
    assert code == 0, err
    assert "新增 8 条" in out and "未使用的列：备注" in out and "表头在第 3 行" in out
    storage.open_database(db)
    try:
        got = sorted(str(a.date) for a in Activity.select().where(Activity.category == "进宿舍"))
        assert got == [f"2025-10-{d}" for d in (12, 13, 14, 15, 16, 17, 18)]
        a = Activity.get(Activity.summary == "走访宿舍 0")
        assert a.target.name == "南苑3栋201" and a.people == 3 and a.face_to_face is True
        meal = Activity.get(Activity.category == "进食堂")
        assert meal.target is None and meal.carrier == "" and meal.cadre.name == "王芳"
        # each cadre's October sheet was made as a draft
        assert {(s.cadre.name, s.month, s.status) for s in Sheet.select()} == {
            ("刘建国", "2025-10", "draft"), ("王芳", "2025-10", "draft")}
    finally:
        storage.close_database()


def test_every_sheet_with_the_header_is_read_and_others_are_left(run, tmp_path):
    db = _ledger_with_cadres(run, tmp_path / "l.sqlite3")
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表由各学院填写后报组织部"])
    for month in ("10", "11"):
        ws = wb.create_sheet(f"{month}月")
        ws.append(["姓名", "日期", "类别", "工作简况"])
        ws.append(["刘建国", f"2025-{month}-03", "进食堂", "与学生共进午餐"])
    wb.save(tmp_path / "months.xlsx")
    code, out, _ = run(db, "import", "activities", str(tmp_path / "months.xlsx"))
    assert code == 0
    assert "工作表“10月”" in out and "工作表“11月”" in out and "未读取的工作表（没有表头）：说明" in out
    assert "新增 2 条" in out


def test_signed_months_are_refused(run, tmp_path):
    db = _ledger_with_cadres(run, tmp_path / "l.sqlite3")
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "日期", "类别", "工作简况"])
    ws.append(["刘建国", "2025-09-03", "进食堂", "九月"])
    ws.append(["刘建国", "2025-10-03", "进食堂", "十月"])
    wb.save(tmp_path / "f.xlsx")
    storage.open_database(db)
    try:
        Sheet.create(cadre=Cadre.get(Cadre.name == "刘建国"), month="2025-09", form="wulian-qijin", status="signed")
    finally:
        storage.close_database()
    before = dump(db)
    code, _, err = run(db, "import", "activities", str(tmp_path / "f.xlsx"))
    assert code == 2
    assert "第 2 行" in err and "2025-09 的工作记录表已签字封存" in err
    assert "第 3 行" not in err  # October is fine; only the signed month is a problem
    assert dump(db) == before


def test_unknown_targets_of_an_assignment_are_added_to_the_roster(run, tmp_path):
    db = _ledger_with_cadres(run, tmp_path / "l.sqlite3")
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "职务", "对接学院", "班级", "宿舍", "困难学生"])
    ws.insert_rows(1)
    ws["A1"] = "2025—2026学年校党委班子成员对接学院、班级、宿舍、困难学生一览表"
    ws.append([1, "刘建国", "党委书记", "机电工程学院", "机电2501班、机电2502班", "南苑3栋201", "赵同学"])
    ws.append([2, "王芳", "部长", "", "青年志愿者协会", "", ""])
    wb.save(tmp_path / "annex.xlsx")
    code, out, err = run(db, "import", "assignments", str(tmp_path / "annex.xlsx"))
    assert code == 0, err
    assert "新增 6 条" in out and "联系对象 5 个" in out
    storage.open_database(db)
    try:
        got = {(a.cadre.name, a.target.name, a.target.kind, a.year) for a in Assignment.select()}
        assert got == {("刘建国", "机电工程学院", "教学院", "2025-2026"), ("刘建国", "机电2501班", "班级", "2025-2026"),
                       ("刘建国", "机电2502班", "班级", "2025-2026"), ("刘建国", "南苑3栋201", "宿舍", "2025-2026"),
                       ("刘建国", "赵同学", "困难学生", "2025-2026"), ("王芳", "青年志愿者协会", "社团", "2025-2026")}
        # 班级 also lists 社团: a new target takes the kind its name says (协会), not the column's first.
        assert Target.select().where(Target.name == "南苑3栋201").count() == 1  # the existing dorm was used
    finally:
        storage.close_database()


def test_a_roster_list_without_a_year_needs_one(run, tmp_path):
    db = _ledger_with_cadres(run, tmp_path / "l.sqlite3")
    wb = Workbook()
    wb.active.append(["姓名", "班级"])
    wb.active.append(["刘建国", "机电2501班"])
    wb.save(tmp_path / "annex.xlsx")
    code, _, err = run(db, "import", "assignments", str(tmp_path / "annex.xlsx"))
    assert code == 2 and "没有“学年”列" in err
    code, out, _ = run(db, "import", "assignments", str(tmp_path / "annex.xlsx"), "--year", "2025-2026")
    assert code == 0 and "新增 1 条" in out


def test_students_in_difficulty_are_hidden_unless_asked_for(run, source, tmp_path):
    for kind in ("targets", "assignments", "activities"):
        code, out, _ = run(source, "export", kind, str(tmp_path / f"{kind}.xlsx"))
        assert code == 0 and "困难学生姓名隐去" in out
        text = str(cells(tmp_path / f"{kind}.xlsx"))
        assert "张困难" not in text and HIDDEN in text
        run(source, "export", kind, str(tmp_path / f"{kind}-full.xlsx"), "--include-private")
        assert "张困难" in str(cells(tmp_path / f"{kind}-full.xlsx"))
    run(source, "export", "roster", str(tmp_path / "roster.xlsx"), "--year", "2025-2026")
    assert "张困难" not in str(cells(tmp_path / "roster.xlsx"))
    # the hidden rows are skipped on import, the rest come in
    copy = empty_ledger(run, tmp_path / "copy.sqlite3")
    run(source, "export", "cadres", str(tmp_path / "cadres.xlsx"))
    run(copy, "import", "cadres", str(tmp_path / "cadres.xlsx"))
    code, out, _ = run(copy, "import", "targets", str(tmp_path / "targets.xlsx"))
    assert code == 0 and "跳过 401 条（姓名已隐去" in out  # 400 demo students + 张困难
    code, out, _ = run(copy, "import", "activities", str(tmp_path / "activities.xlsx"))
    assert code == 0 and "跳过" in out
    storage.open_database(copy)
    try:
        assert not Target.select().where(Target.kind == "困难学生").exists()
        assert not Target.select().where(Target.name == HIDDEN).exists()
    finally:
        storage.close_database()


def test_export_scope_by_month_and_term(run, source, tmp_path):
    run(source, "term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18")
    run(source, "export", "activities", str(tmp_path / "oct.xlsx"), "--month", "2025-10")
    run(source, "export", "activities", str(tmp_path / "term.xlsx"), "--term", "2025-2026-1")
    oct_dates = {r[2] for r in cells(tmp_path / "oct.xlsx")["台账"][3:]}
    term_dates = {r[2] for r in cells(tmp_path / "term.xlsx")["台账"][3:]}
    assert oct_dates and all(d.month == 10 for d in oct_dates)
    assert term_dates >= oct_dates and any(d.month == 9 for d in term_dates)
    assert not any(d.month == 8 for d in term_dates)
    assert run(source, "export", "activities", str(tmp_path / "x.xlsx"), "--month", "2025-13")[0] == 2


def test_compliance_export(run, source, tmp_path):
    run(source, "term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18")
    code, out, err = run(source, "export", "compliance", str(tmp_path / "c.xlsx"), "--term", "2025-2026-1")
    assert code == 0, err
    sheets = cells(tmp_path / "c.xlsx")
    rows = sheets["达标检查"][3:]
    assert rows and {r[11] for r in rows} <= {"达标", "欠缺", "进行中", "不适用"}
    assert "=李四" in {r[1] for r in rows}
    assert len(sheets["汇总"]) > 3
    assert run(source, "export", "compliance", str(tmp_path / "c.xlsx"))[0] == 2  # needs a period


def test_preview_counts_and_samples_before_writing(run, source, tmp_path):
    copy = empty_ledger(run, tmp_path / "copy.sqlite3")
    run(source, "export", "cadres", str(tmp_path / "cadres.xlsx"))
    storage.open_database(copy)
    try:
        imp = prepare("cadres", tmp_path / "cadres.xlsx")
        p = imp.preview
        assert (p.added, p.changed, p.unchanged, p.problems.count) == (25, 0, 0, 0)
        assert any("=李四" in s for s in p.samples["新增"])
        assert "-测试处" in p.new_units
        assert Cadre.select().count() == 0  # prepare writes nothing
    finally:
        storage.close_database()


def test_every_written_row_has_a_change_log_entry(run, source, tmp_path):
    copy = empty_ledger(run, tmp_path / "copy.sqlite3")
    for kind in ("cadres", "activities"):
        run(source, "export", kind, str(tmp_path / f"{kind}.xlsx"), "--include-private")
    run(copy, "import", "cadres", str(tmp_path / "cadres.xlsx"))
    run(copy, "import", "activities", str(tmp_path / "activities.xlsx"))
    storage.open_database(copy)
    try:
        logged = {int(e.row_id) for e in ChangeLog.select().where(ChangeLog.table == "activity",
                                                                    ChangeLog.action == "insert")}
        assert logged == {a.id for a in Activity.select()}
        sheets = {int(e.row_id) for e in ChangeLog.select().where(ChangeLog.table == "sheet")}
        assert sheets == {s.id for s in Sheet.select()}
        assert changelog.verify_chain() is None
    finally:
        storage.close_database()


TEMPLATE_ROWS = {
    "cadres": [{"姓名": "刘建国", "层级": "校领导", "部门": "校领导班子", "职务": "党委书记",
                "角色标签": "党委书记，党委委员", "在任": "是"},
               {"姓名": "王芳", "层级": "中层正职", "部门": "学生工作部", "职务": "部长", "角色标签": "学生工作部门"}],
    "targets": [{"名称": "计算2501班", "类别": "班级", "部门": "计算机科学与工程学院"},
                {"名称": "南苑3栋201", "类别": "宿舍", "备注": "男生宿舍"}],
    "assignments": [{"姓名": "刘建国", "学年": "2025-2026", "类别": "班级", "联系对象": "计算2501班",
                     "角色": "名誉班主任", "备案日期": date(2025, 9, 10)},
                    {"姓名": "王芳", "学年": "2025-2026", "类别": "宿舍", "联系对象": "南苑3栋201"}],
    "roster": [{"姓名": "刘建国", "学年": "2025-2026", "对接学院": "机电工程学院", "班级": "机电2501班、机电2502班",
                "宿舍": "南苑3栋201", "困难学生": "赵同学"},
               {"姓名": "王芳", "学年": "2025-2026", "班级": "青年志愿者协会"}],
    "activities": [{"姓名": "刘建国", "日期": "2025-10-12", "类别": "进宿舍", "联系对象": "南苑3栋201",
                    "工作简况": "走访宿舍", "人数": 6, "面对面": "是"},
                   {"姓名": "王芳", "日期": date(2025, 10, 13), "类别": "驻点办公", "工作简况": "-在学院驻点",
                    "天数": 0.5, "发现问题": "实验室通风差"}],
}
TEMPLATE_SHEETS = {"cadres": "干部名册", "targets": "联系对象", "assignments": "联系安排", "roster": "对接一览表",
                   "activities": "台账"}


def _fill(template: Path, out: Path, sheet: str, rows: list[dict[str, object]]) -> Path:
    """Type rows under the template's header, as a clerk would in Excel."""
    wb = load_workbook(template)
    ws = wb[sheet]
    col = {c.value: c.column for c in ws[3]}
    for r, row in enumerate(rows, start=4):
        for label, value in row.items():
            ws.cell(r, col[label], value)
    wb.save(out)
    return out


def _prerequisites(run, path: Path, kind: str) -> Path:
    empty_ledger(run, path)
    if kind in ("assignments", "roster", "activities"):
        for name, tier in (("刘建国", "校领导"), ("王芳", "中层正职")):
            assert run(path, "cadre", "add", name, "--tier", tier)[0] == 0
    return path


@pytest.mark.parametrize("kind", list(TEMPLATE_ROWS))
def test_each_template_filled_in_imports_and_round_trips(run, tmp_path, kind):
    first = _prerequisites(run, tmp_path / "first.sqlite3", kind)
    assert run(first, "template", kind, str(tmp_path / "template.xlsx"))[0] == 0
    filled = _fill(tmp_path / "template.xlsx", tmp_path / "filled.xlsx", TEMPLATE_SHEETS[kind], TEMPLATE_ROWS[kind])
    code, out, err = run(first, "import", kind, str(filled))
    assert code == 0, err
    added = sum(len(str(v).split("、")) for row in TEMPLATE_ROWS[kind] for k, v in row.items()
                if k in ("对接学院", "班级", "宿舍", "困难学生")) if kind == "roster" else len(TEMPLATE_ROWS[kind])
    assert f"新增 {added} 条" in out
    storage.open_database(first)
    try:
        assert verify().problems == []
    finally:
        storage.close_database()
    extra = ("--year", "2025-2026", "--include-private") if kind == "roster" else ("--include-private",)
    assert run(first, "export", kind, str(tmp_path / "one.xlsx"), *extra)[0] == 0
    second = _prerequisites(run, tmp_path / "second.sqlite3", kind)
    assert run(second, "import", kind, str(tmp_path / "one.xlsx"))[0] == 0
    assert run(second, "export", kind, str(tmp_path / "two.xlsx"), *extra)[0] == 0
    one, two = cells(tmp_path / "one.xlsx"), cells(tmp_path / "two.xlsx")
    assert one == two
    data = one[TEMPLATE_SHEETS[kind]][3:]
    assert len(data) == (added if kind not in ("roster",) else 2)
    if kind == "activities":
        assert data[1][2] == datetime(2025, 10, 13) and data[1][6] == "-在学院驻点" and data[1][8] == 0.5


def test_a_cancelled_import_is_rolled_back_after_partial_writes(run, tmp_path):
    """Cancelling after the first batch of rows (and their log entries) went in leaves nothing."""
    from liaison_desk.excel.importing import Cancelled, commit
    from liaison_desk.excel.xlsx import Book, Column

    db = _ledger_with_cadres(run, tmp_path / "l.sqlite3")
    book = Book("台账")
    sheet = book.add_sheet("台账")
    sheet.table([Column(h) for h in ("姓名", "日期", "类别", "工作简况")])
    for i in range(25_000):
        sheet.append(["王芳", date(2025, 9, 1 + i % 30), "进食堂", f"午餐 {i}"])
    book.save(tmp_path / "big.xlsx")
    before = dump(db)
    storage.open_database(db)
    try:
        imp = prepare("activities", tmp_path / "big.xlsx")
        seen = []

        def progress(done: int, total: int, what: str) -> None:
            seen.append((what, done))
            if what == "写入" and done > 20_000:
                raise Cancelled()

        with pytest.raises(Cancelled):
            commit(imp, progress)
        assert ("写入", 20_000) in seen  # the first batch had been written
    finally:
        storage.close_database()
    assert dump(db) == before
