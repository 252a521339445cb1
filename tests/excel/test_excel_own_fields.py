"""A form's own fields (地点) through Excel (issue 16): exported in a column headed by the label,
imported back into an empty ledger the same, changed in Excel and imported as a change, refused
with sheet, row and column when bad; a file without the column leaves the places as they are."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sixth_school import use_for_every_tier

from liaison_desk.excel.export import export, write_template
from liaison_desk.excel.importer import ImportRefused
from liaison_desk.excel.importing import import_file
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.store import storage
from liaison_desk.store.models import Activity, ChangeLog
from liaison_desk.store.verify import verify

ACTS = [(date(2025, 10, 12), "进班级", "计算2501班", "主题班会", "教学楼A101"),
        (date(2025, 10, 20), "进宿舍", "南苑3栋", "走访宿舍", "南苑3栋201"),
        (date(2025, 10, 21), "进食堂", "", "与学生共进午餐", "")]


def roster() -> None:
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_target("计算2501班", "班级")
    add_target("南苑3栋", "宿舍")


@pytest.fixture
def school(ledger, monkeypatch):
    policy = use_for_every_tier(monkeypatch, ledger)
    roster()
    for day, category, target, summary, place in ACTS:
        add_activity(ActivityInput("周校长", day, category, target=target, summary=summary,
                                   extra={"地点": place} if place else {}), policy)
    return policy


def table(path, sheet="台账"):
    """The header and the data rows of the exported table."""
    rows = [r for r in load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if "姓名" in r)
    return list(rows[start]), [list(r) for r in rows[start + 1:] if any(v not in (None, "") for v in r)]


def stored():
    return [(a.date, a.category, a.summary, a.extra) for a in Activity.select().order_by(Activity.date)]


def rewrite(path, out, summary, column, value):
    wb = load_workbook(path)
    ws = wb["台账"]
    head = next(r for r in ws.iter_rows() if any(c.value == "姓名" for c in r))
    col = {c.value: c.column for c in head}
    for row in ws.iter_rows(min_row=head[0].row + 1):
        if summary in [c.value for c in row]:
            if value is None:
                ws.delete_cols(col[column])
            else:
                ws.cell(row[0].row, col[column], value)
            break
    wb.save(out)


def test_export_heads_the_place_column_with_its_label_and_imports_back_the_same(school, monkeypatch, tmp_path):
    first = tmp_path / "ledger.xlsx"
    export("activities", first, month="2025-10")
    header, rows = table(first)
    assert header[-1] == "地点" and header[-2] == "发现问题"
    assert [r[-1] or "" for r in rows] == [a[4] for a in ACTS]
    before = stored()
    storage.close_database()
    storage.open_database(tmp_path / "empty.sqlite3")  # another PC: the same roster, no activities
    use_for_every_tier(monkeypatch, settings.init("fjwsxy-2021", "第六学院"))
    roster()
    preview = import_file("activities", first)
    assert preview.added == 3
    assert stored() == before
    assert verify().problems == []
    again = tmp_path / "again.xlsx"
    export("activities", again, month="2025-10")
    assert table(again) == table(first)  # round trip: the same table
    assert import_file("activities", again).added == 0  # a second import adds nothing


def test_a_place_changed_in_excel_is_a_logged_change(school, tmp_path):
    export("activities", tmp_path / "ledger.xlsx", month="2025-10")
    rewrite(tmp_path / "ledger.xlsx", tmp_path / "changed.xlsx", "主题班会", "地点", "图书馆报告厅")
    preview = import_file("activities", tmp_path / "changed.xlsx")
    assert (preview.added, preview.changed) == (0, 1)
    assert Activity.get(Activity.summary == "主题班会").extra == '{"place":"图书馆报告厅"}'
    entry = ChangeLog.select().where(ChangeLog.table == "activity", ChangeLog.action == "update").get()
    assert "教学楼A101" in entry.before and "图书馆报告厅" in entry.after
    assert verify().problems == []


def test_a_file_without_the_place_column_leaves_the_places(school, tmp_path):
    export("activities", tmp_path / "ledger.xlsx", month="2025-10")
    rewrite(tmp_path / "ledger.xlsx", tmp_path / "older.xlsx", "主题班会", "地点", None)
    assert "地点" not in table(tmp_path / "older.xlsx")[0]
    before = stored()
    preview = import_file("activities", tmp_path / "older.xlsx")
    assert (preview.added, preview.changed, preview.unchanged) == (0, 0, 3)
    assert stored() == before


def test_a_bad_place_is_refused_with_sheet_row_and_column_and_nothing_changes(school, tmp_path):
    export("activities", tmp_path / "ledger.xlsx", month="2025-10")
    rewrite(tmp_path / "ledger.xlsx", tmp_path / "bad.xlsx", "主题班会", "地点", "楼" * 201)
    before = stored()
    with pytest.raises(ImportRefused) as e:
        import_file("activities", tmp_path / "bad.xlsx")
    (problem,) = e.value.preview.problems.items
    assert (problem.sheet, problem.column) == ("台账", "地点") and problem.row and "过长" in problem.reason
    assert stored() == before


def test_the_template_has_the_place_column(school, tmp_path):
    write_template("activities", tmp_path / "template.xlsx")
    assert "地点" in table(tmp_path / "template.xlsx")[0]
