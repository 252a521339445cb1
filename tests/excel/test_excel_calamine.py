"""The fast reader (#17): plain sheets read by python-calamine give the same rows, problems and
change log as openpyxl's reading, on files with every kind of cell; what calamine cannot say
(formulas, error cells, odd number formats, escaped text) is still read by openpyxl."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from liaison_desk.cli.main import main
from liaison_desk.excel import calamine as excel_calamine
from liaison_desk.excel import import_ledger as excel_import_ledger
from liaison_desk.excel import read as excel_read
from liaison_desk.excel.importing import ImportRefused, import_file, problem_lines
from liaison_desk.store import storage

SERIAL = (date(2025, 10, 17) - date(1899, 12, 30)).days
HEADER = ["序号", "干部姓名", "时间", "活动类别", "载体名称", "工作内容", "人次", "天数", "是否面对面", "发现问题"]


def _ledger(path: Path) -> Path:
    for args in (["init", "--policy", "hnust-2025", "--school", "测试大学"],
                 ["cadre", "add", "刘建国", "--tier", "校领导", "--unit", "校领导班子", "--position", "党委书记"],
                 ["cadre", "add", "王芳", "--tier", "中层正职", "--unit", "学生工作部", "--position", "部长"],
                 ["target", "add", "南苑3栋201", "--kind", "宿舍"]):
        assert main(["--db", str(path), *args]) == 0
    return path


def _every_kind(path: Path, bad: bool = False) -> Path:
    """Dates as dates (two formats), as text in four spellings and as serials; whole and
    fractional numbers, numbers as text, booleans, empty cells, a title above the header, a
    gap of empty rows, a second sheet and a hidden one. `bad` adds values that are refused."""
    wb = Workbook()
    ws = wb.active
    ws.title = "十月"
    ws.append(["2025年10月 领导干部联系学生工作台账"])
    ws.append([])
    ws.append(HEADER)
    days: list[object] = [datetime(2025, 10, 12), date(2025, 10, 13), "2025-10-14", "2025/10/15", "2025年10月16日",
                          SERIAL, float(SERIAL + 1), "20251019", datetime(2025, 10, 20, 9, 30)]
    for i, d in enumerate(days):
        ws.append([i + 1, "刘建国", d, "进宿舍", "南苑3栋201", f"走访宿舍 {i}", [3, 4.0, "5", None][i % 4],
                   [None, 0.5, 1, "1.5"][i % 4], ["是", "否", True, None][i % 4],
                   ["", None, "  热水不稳定 ", ""][i % 4]])
    ws.cell(row=4, column=3).number_format = 'yyyy"年"m"月"d"日"'  # the date cells, in two more formats
    ws.cell(row=5, column=3).number_format = "mm-dd-yy"
    ws.append([])
    ws.append([])
    ws.append([99, "王芳", "2025-10-21", "进食堂", "", "食堂就餐", None, None, None, None])
    if bad:
        ws.append([100, "王芳", 12, "进食堂", "", "日期是小数字", 5.0, None, None, None])
        ws.append([101, "王芳", "2025-13-01", "进食堂", "", "日期不存在", 100000, None, None, None])
        ws.append([102, "王芳", "2025-10-22", "进食堂", "", "人次是小数", 2.5, 9.0, "也许", None])
        ws.append([103, "无名氏", "2025-10-23", "进食堂", "", "名册中没有", None, None, None, None])
    other = wb.create_sheet("十一月")
    other.append(HEADER)
    other.append([1, "王芳", date(2025, 11, 3), "进食堂", "学生食堂", "就餐", 12, None, "是", None])
    hidden = wb.create_sheet("旧表")
    hidden.append(HEADER)
    hidden.append([1, "王芳", date(2025, 11, 4), "进食堂", "", "隐藏的表不读", None, None, None, None])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def _openpyxl_only(monkeypatch) -> None:
    """The reading before #17: every sheet through openpyxl."""
    monkeypatch.setattr(excel_read, "book_is_plain", lambda _z: False)


def _spy(monkeypatch) -> list[str]:
    read: list[str] = []
    real = excel_calamine.CalamineBook.rows

    def rows(self, name, last_row):
        read.append(name)
        return real(self, name, last_row)
    monkeypatch.setattr(excel_calamine.CalamineBook, "rows", rows)
    return read


def _stored(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        activities = conn.execute("SELECT * FROM activity ORDER BY id").fetchall()
        sheets = conn.execute("SELECT * FROM sheet ORDER BY id").fetchall()
        log = conn.execute("SELECT action, table_name, row_id, before, after FROM change_log ORDER BY id").fetchall()
    finally:
        conn.close()
    return activities, sheets, log


def _import(db: Path, xlsx: Path, monkeypatch) -> tuple[list[str], tuple[list[tuple[object, ...]], ...]]:
    monkeypatch.setattr(excel_import_ledger, "now_text", lambda: "2026-01-05 08:00:00.000000")
    storage.open_database(db)
    try:
        p = import_file("activities", xlsx)
    finally:
        storage.close_database()
    return p.lines(), _stored(db)


def _at_now(stored: object) -> str:
    """The two imports' stored rows and log as text, the times they were written (the problems an
    import raises are stamped with the clock: the two runs may fall in different seconds) as one."""
    import re
    from datetime import date

    return re.sub(rf"{date.today():%Y-%m-%d} \d\d:\d\d:\d\d(\.\d+)?", "<now>", repr(stored))


def test_calamine_gives_the_rows_and_log_openpyxl_gives(tmp_path, monkeypatch):
    xlsx = _every_kind(tmp_path / "every.xlsx")
    old_db, new_db = _ledger(tmp_path / "old.sqlite3"), _ledger(tmp_path / "new.sqlite3")
    with monkeypatch.context() as m:
        _openpyxl_only(m)
        read = _spy(m)
        old = _import(old_db, xlsx, m)
        assert read == []
    with monkeypatch.context() as m:
        read = _spy(m)
        new = _import(new_db, xlsx, m)
        assert read == ["十月", "十一月"]  # the hidden sheet is not read
    assert _at_now(new) == _at_now(old)
    lines, (activities, _sheets, log) = new
    assert "新增 11 条，修改 0 条，不变 0 条" in lines
    assert sorted(a[2] for a in activities)[:9] == [f"2025-10-{d}" for d in range(12, 21)]
    assert [e[:2] for e in log].count(("insert", "activity")) == 11
    assert [e[:2] for e in log].count(("insert", "sheet")) == 3  # 刘建国 and 王芳 in October, 王芳 in November


def test_calamine_refuses_with_the_problems_openpyxl_finds(tmp_path, monkeypatch):
    xlsx = _every_kind(tmp_path / "bad.xlsx", bad=True)
    db = _ledger(tmp_path / "l.sqlite3")
    found = []
    for force_old in (True, False):
        with monkeypatch.context() as m:
            if force_old:
                _openpyxl_only(m)
            read = _spy(m)
            storage.open_database(db)
            try:
                with pytest.raises(ImportRefused) as refused:
                    import_file("activities", xlsx)
            finally:
                storage.close_database()
            assert bool(read) is not force_old
            found.append(problem_lines(refused.value.preview))
    assert found[0] == found[1]
    assert any("（12）" in line and "日期" in line for line in found[1])  # a number shown as Excel shows it
    assert any("（5）" not in line for line in found[1])
    assert any("无名氏" in line for line in found[1])
    assert _stored(db)[0] == []


def test_formulas_and_error_cells_are_still_refused_by_openpyxl(tmp_path, monkeypatch):
    xlsx = tmp_path / "formulas.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "刘建国", "2025-10-12", "进宿舍", "南苑3栋201", "=A1&\"走访\"", 3, None, None, None])
    ws.append([2, "刘建国", "2025-10-13", "进宿舍", "南苑3栋201", "走访", "#DIV/0!", None, None, None])
    ws["G3"].data_type = "e"
    wb.save(xlsx)
    db = _ledger(tmp_path / "l.sqlite3")
    read = _spy(monkeypatch)
    storage.open_database(db)
    try:
        with pytest.raises(ImportRefused) as refused:
            import_file("activities", xlsx)
    finally:
        storage.close_database()
    lines = problem_lines(refused.value.preview)
    assert read == []
    assert any("公式" in line for line in lines) and any("错误值" in line for line in lines)


@pytest.mark.parametrize("code, plain", [("yyyy-mm-dd", True), ("yyyy-mm-dd h:mm:ss", True),
                                         ('yyyy"年"m"月"d"日"', True), ("0.00", True), ("#,##0", True),
                                         ("h:mm", False), ("[h]:mm:ss", False),
                                         ("[$-F800]dddd, mmmm dd, yyyy", False), ("0.00;[Red]-0.00", False)])
def test_only_number_formats_both_readers_judge_alike_go_to_calamine(tmp_path, code, plain):
    import zipfile

    wb = Workbook()
    ws = wb.active
    ws.append(["a"])
    ws["A1"].number_format = code
    path = tmp_path / "f.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert excel_calamine.book_is_plain(z) is plain


@pytest.mark.parametrize("value, unsure", [("a_x000D_b", True), ("a b", False), (-3, True), (1e20, True),
                                           (12345678, True), (2.5, False), (datetime(2025, 10, 12), False)])
def test_cells_calamine_would_read_differently_go_to_openpyxl(tmp_path, value, unsure):
    import zipfile

    wb = Workbook()
    wb.active.append(["x", value])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert excel_calamine.scan_sheet(z, "xl/worksheets/sheet1.xml").unsure is unsure


def test_selftest_writes_with_the_program_writer_and_reads_through_the_import(monkeypatch):
    from liaison_desk.cli import selftest

    read = _spy(monkeypatch)
    lines: list[str] = []
    assert selftest.run(out=lines.append), lines
    assert read == ["台账"]  # the workbook xlsx.Book wrote, read back by the import's fast path
    assert any("经导入流程读回" in line for line in lines)


def test_a_table_that_starts_lower_and_further_right_keeps_its_rows_and_columns(tmp_path, monkeypatch):
    xlsx = tmp_path / "offset.xlsx"
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate([HEADER, [1, "刘建国", "2025-10-12", "进宿舍", "南苑3栋201", "走访", 7, None, "是", None]],
                            start=4):
        for c, v in enumerate(row, start=3):
            ws.cell(row=r, column=c, value=v)
    ws.cell(row=9, column=3).number_format = "0.00"  # a styled empty cell below the data
    wb.save(xlsx)
    results = []
    for force_old in (True, False):
        with monkeypatch.context() as m:
            if force_old:
                _openpyxl_only(m)
            read = _spy(m)
            results.append(_import(_ledger(tmp_path / f"{force_old}.sqlite3"), xlsx, m))
            assert bool(read) is not force_old
    assert results[0] == results[1]
    assert any("表头在第 4 行" in line for line in results[1][0])
    assert results[1][1][0][0][7] == 7  # people, from column I


def test_a_value_repeated_on_many_rows_is_judged_the_same_at_each(tmp_path, monkeypatch):
    """Names, 是/否 and targets are judged once per spelling (#17): a refused one is still
    reported at every row it stands on, and a good one taken the same on every row."""
    xlsx = tmp_path / "repeated.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append([*HEADER[:4], "联系对象", "对象类别", *HEADER[5:]])
    for i in range(3):
        ws.append([i + 1, "无名氏", f"2025-10-1{i}", "进宿舍", "", "", "走访", None, None, "也许", None])
        ws.append([i + 4, "刘" * 61, f"2025-10-1{i}", "进宿舍", "", "", "走访", None, None, None, None])
        ws.append([i + 7, "刘建国", f"2025-10-1{i}", "进宿舍", "北苑9栋", "宿舍", "走访", None, None, "是", None])
        ws.append([i + 10, " 王芳 ", f"2025-10-2{i}", "进宿舍", "南苑3栋201", "宿舍", "走访", None, None, "否", None])
    wb.save(xlsx)
    db = _ledger(tmp_path / "l.sqlite3")
    storage.open_database(db)
    try:
        with pytest.raises(ImportRefused) as refused:
            import_file("activities", xlsx)
    finally:
        storage.close_database()
    problems = refused.value.preview.problems.items
    rows = {why: sorted(p.row for p in problems if why in p.reason) for why in ("名册中没有这位干部", "过长",
                                                                             "应填", "名册中没有宿舍")}
    assert rows == {"名册中没有这位干部": [2, 6, 10], "过长": [3, 7, 11], "应填": [2, 6, 10],
                    "名册中没有宿舍": [4, 8, 12]}
    for line in range(5, 14, 4):  # " 王芳 " taken as 王芳 on each of its rows: no problem there
        assert not [p for p in problems if p.row == line]


def test_the_byte_scan_finds_each_tag_wherever_it_stands():
    """The scan looks for one byte of a tag before the tag: every tag is still found, alone in a
    chunk or beside a plain sheet's cells."""
    from liaison_desk.excel.calamine import _refused, _unsure

    plain = b'<row r="8"><c r="A8" s="5"><v>6</v></c><c r="E8" s="7" t="s"><v>35</v></c></row>' * 50
    assert not _refused(plain) and not _unsure(plain, False)
    for tag in (b"<f>SUM(A1)</f>", b'<c r="B2" t="e"><v>#N/A</v></c>', b"<x:f>1</x:f>", b"<f/>"):
        assert _refused(plain + tag + plain)
    for tag in (b'<c r="B2" t="d"><v>2025-10-12</v></c>', b"<v>-3</v>", b"<rPh sb=\"0\">", b"a\rb",
                b"<v>1234567</v>", b"<v>1E5</v>", b"<v>2e-3</v>", b"<x:v>-1</x:v>", b"_x000D_"):
        assert _unsure(plain + tag + plain, False), tag


def test_a_control_character_is_refused_and_a_tab_or_line_break_is_kept(tmp_path):
    """Text is checked for control characters only when it is not all printable: the same verdicts."""
    db = _ledger(tmp_path / "l.sqlite3")
    storage.open_database(db)
    try:
        imp = excel_import_ledger.ActivitiesImport(tmp_path / "unread.xlsx")
        table = excel_read.Table("台账", 1, {"summary": 5}, {"summary": "工作内容"}, [], [])
        assert imp.text(table, 2, "summary", "走访\x07宿舍") is None
        for kept in ("走访\t宿舍\n二楼", "走访\u200b宿舍", "走访宿舍", "\u2028"):
            assert imp.text(table, 3, "summary", kept) == kept
    finally:
        storage.close_database()
    assert imp.read_problems.count == 1 and "不可见的控制字符" in imp.read_problems.items[0].reason


def test_the_cycle_collector_is_on_again_after_an_import_written_or_refused(tmp_path):
    import gc

    db = _ledger(tmp_path / "l.sqlite3")
    storage.open_database(db)
    try:
        with pytest.raises(ImportRefused):
            import_file("activities", _every_kind(tmp_path / "bad.xlsx", bad=True))
        assert gc.isenabled()
        assert import_file("activities", _every_kind(tmp_path / "good.xlsx")).written and gc.isenabled()
    finally:
        storage.close_database()
