"""The workbooks we write (#6): text that never runs, dates as dates, frozen header, widths,
drop-downs, print set-up — checked by reading them back with openpyxl (and LibreOffice, when
it is installed)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from liaison_desk.excel.export import export, write_template
from liaison_desk.excel.xlsx import Book, Column, column_letter, excel_serial, needs_quote
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.store import storage
from liaison_desk.vocabulary import vocabulary

DANGEROUS = ["=1+1", "+86 138", "-减号开头", "@提及", '=HYPERLINK("http://x","点我")', "=cmd|' /C calc'!A0"]


def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path):
    book = Book("t")
    sheet = book.add_sheet("表")
    sheet.table([Column("文字", 20), Column("长文字", 30, "wrap")])
    for text in DANGEROUS:
        sheet.append([text, text])
    sheet.append(["普通", "_x0041_ 原样保留 & <b>"])
    path = book.save(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # not one formula anywhere
    ws = load_workbook(path)["表"]
    for r, text in enumerate(DANGEROUS, start=2):
        for c in (1, 2):
            cell = ws.cell(r, c)
            assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert ws.cell(len(DANGEROUS) + 2, 2).value == "_x0041_ 原样保留 & <b>"
    assert ws.cell(len(DANGEROUS) + 2, 1).quotePrefix is False  # only risky text is marked
    assert all(needs_quote(t) for t in DANGEROUS) and not needs_quote("普通")


def test_dates_numbers_and_blanks(tmp_path):
    book = Book("t")
    sheet = book.add_sheet("表")
    sheet.table([Column("日期", 12, "date"), Column("人数", 6, "int"), Column("天数", 6, "number")])
    sheet.append([date(2025, 10, 12), 30, 0.5])
    sheet.append([None, None, None])
    ws = load_workbook(book.save(tmp_path / "t.xlsx"))["表"]
    assert ws["A2"].is_date and ws["A2"].value.date() == date(2025, 10, 12)
    assert ws["A2"].number_format == "yyyy-mm-dd"
    assert (ws["B2"].value, ws["C2"].value) == (30, 0.5)
    assert (ws["A3"].value, ws["B3"].value) == (None, None)
    assert excel_serial(date(2025, 10, 12)) == 45942 and column_letter(27) == "AB"


@pytest.fixture
def filled(ledger):
    add_cadre("刘建国", "校领导", "校领导班子", "党委书记", "党委书记")
    add_target("南苑3栋201", "宿舍")
    add_activity(ActivityInput("刘建国", date(2025, 10, 12), "进宿舍", target="南苑3栋201", summary="=走访宿舍",
                               people=6), ledger)
    return ledger


def test_an_export_is_laid_out_for_people(filled, tmp_path):
    path = export("activities", tmp_path / "ledger.xlsx").path
    wb = load_workbook(path)
    assert wb.sheetnames == ["台账", "导出说明", "选项"] and wb["选项"].sheet_state == "hidden"
    ws = wb["台账"]
    assert ws["A1"].value == "测试学院领导干部联系活动台账" and ws["A1"].font.b
    assert [c.value for c in ws[3]][:4] == ["序号", "姓名", "日期", "类别"]
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:K4"
    assert ws.print_title_rows == "$1:$3" and ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["G"].width == 40 and ws["G4"].alignment.wrap_text
    assert ws["C4"].is_date and ws["G4"].value == "=走访宿舍" and ws["G4"].data_type == "s"
    assert "A1:K1" in {str(r) for r in ws.merged_cells.ranges}
    lists = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["D"].type == "list" and lists["D"].formula1.startswith("'选项'!$B$2")
    assert lists["J"].formula1 == '"是,否"' and lists["C"].type == "date"
    categories = [r[1].value for r in wb["选项"].iter_rows(min_row=2) if r[1].value]
    assert categories == list(vocabulary().categories)


def test_a_template_marks_required_columns_and_offers_lists(filled, tmp_path):
    path = write_template("activities", tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb["台账"]
    header = {c.value: c for c in ws[3]}
    assert header["姓名"].fill.fgColor.rgb != header["工作简况"].fill.fgColor.rgb
    assert ws.max_row == 3  # no example rows to delete
    names = [r[3].value for r in wb["选项"].iter_rows(min_row=2) if r[3].value]
    assert names == ["刘建国"]  # the 姓名 drop-down offers the roster
    cadre_list = next(dv for dv in ws.data_validations.dataValidation if "$D$2" in dv.formula1)
    assert str(cadre_list.sqref) == "A4:A2003"
    notes = [r[0].value for r in wb["填写说明"].iter_rows(min_row=3)]
    assert "日期" in notes and "重复导入" in notes


def test_a_template_needs_no_ledger(tmp_path, cli):
    storage.close_database()
    code, out, _ = cli("template", "cadres", str(tmp_path / "c.xlsx"))
    assert code == 0 and "已生成模板" in out
    ws = load_workbook(tmp_path / "c.xlsx")["干部名册"]
    assert [c.value for c in ws[3]] == ["姓名", "层级", "部门", "职务", "角色标签", "在任"]


def test_a_failed_save_leaves_the_old_file(filled, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "ledger.xlsx"
    path.write_bytes(b"old")

    def boom(self, target):
        Path(target).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Book, "_write", boom)
    with pytest.raises(OSError):
        export("activities", path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["ledger.xlsx"]  # no temporary left behind


def _libreoffice_calc() -> str | None:
    """LibreOffice with its spreadsheet part (Debian splits Writer and Calc into packages)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    program = Path(office).resolve().parent
    return office if any(program.glob("libsclo.*")) else None


@pytest.mark.skipif(_libreoffice_calc() is None, reason="LibreOffice Calc not installed")
def test_libreoffice_opens_an_export(filled, tmp_path):
    settings.put(settings.SCHOOL, "测试学院")
    path = export("activities", tmp_path / "ledger.xlsx").path
    office = _libreoffice_calc()
    utf8_csv = "csv:Text - txt - csv (StarCalc):44,34,76"
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", utf8_csv,
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / "ledger.csv").read_text(encoding="utf-8", errors="replace")
    assert "2025-10-12" in text and "=走访宿舍" in text and "南苑3栋201" in text
