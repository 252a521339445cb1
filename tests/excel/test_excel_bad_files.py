"""Bad files (#6): each is refused with exit 2 and a message a clerk understands, and the ledger
(change log included) is exactly as it was."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from ledger_files import dump
from openpyxl import Workbook

from liaison_desk.excel.read import MAX_ROWS

HEADER = ["姓名", "日期", "类别", "联系对象", "工作简况", "人数", "天数", "面对面", "发现问题"]
GOOD_ROW = ["刘建国", "2025-10-12", "进宿舍", "南苑3栋201", "走访宿舍", 6, None, "是", ""]




@pytest.fixture
def ledger_file(cli, db_path):
    assert cli("init", "--policy", "hnust-2025", "--school", "测试大学")[0] == 0
    assert cli("cadre", "add", "刘建国", "--tier", "校领导", "--unit", "校领导班子")[0] == 0
    assert cli("target", "add", "南苑3栋201", "--kind", "宿舍")[0] == 0
    return db_path


def refused(cli, db_path: Path, path: Path, kind: str = "activities") -> str:
    """Import `path`; assert exit 2 and an unchanged ledger; return stderr."""
    before = dump(db_path)
    code, out, err = cli("import", kind, str(path))
    assert code == 2, (out, err)
    assert err.strip().splitlines()[-1].startswith("错误：")
    assert dump(db_path) == before
    return err


def workbook(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_good_file_is_accepted(cli, ledger_file, tmp_path):
    """The baseline the bad files below differ from."""
    code, out, _ = cli("import", "activities", str(workbook(tmp_path / "good.xlsx", [GOOD_ROW])))
    assert code == 0 and "新增 1 条" in out


@pytest.mark.parametrize("content, words", [
    ("姓名,日期\n刘建国,2025-10-12\n".encode(), "不是 Excel 工作簿"),
    (b"<html><body><table><tr><td>x</td></tr></table></body></html>", "网页或文本文件"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "不是 Excel 工作簿"),
    (b"", "空文件"),
], ids=["csv", "html-saved-as-xls", "png", "empty"])
def test_not_an_xlsx(cli, ledger_file, tmp_path, content, words):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(content)
    assert words in refused(cli, ledger_file, path)


def test_a_word_document_is_not_a_workbook(cli, ledger_file, tmp_path):
    path = tmp_path / "notice.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "不是 Excel 工作簿" in refused(cli, ledger_file, path)


def test_a_password_protected_workbook(cli, ledger_file, tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    plain = io.BytesIO(workbook(tmp_path / "plain.xlsx", [GOOD_ROW]).read_bytes())
    path = tmp_path / "locked.xlsx"
    with path.open("wb") as out:
        msoffcrypto.OfficeFile(plain).encrypt("123456", out)
    assert "密码" in refused(cli, ledger_file, path)


def test_an_old_xls_workbook(cli, ledger_file, tmp_path):
    """An OLE file without an encrypted package: the old binary format."""
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    assert "旧版 Excel" in refused(cli, ledger_file, path)


def test_a_truncated_workbook(cli, ledger_file, tmp_path):
    good = workbook(tmp_path / "good.xlsx", [GOOD_ROW] * 50).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "已损坏" in refused(cli, ledger_file, path)


def test_a_workbook_with_a_broken_part(cli, ledger_file, tmp_path):
    good = workbook(tmp_path / "good.xlsx", [GOOD_ROW])
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML ends mid-element
            dst.writestr(item, data)
    assert "损坏" in refused(cli, ledger_file, path)


def test_a_zip_bomb(cli, ledger_file, tmp_path):
    """A part that inflates a thousandfold: refused from the sizes the zip declares, unread."""
    good = workbook(tmp_path / "good.xlsx", [GOOD_ROW])
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
        dst.writestr("xl/media/padding.bin", bytes(64 * 2**20))
    assert path.stat().st_size < 2**20
    assert "压缩炸弹" in refused(cli, ledger_file, path)


def _with_sheet_xml(src: Path, dst: Path, sheet_xml: str) -> Path:
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for item in a.infolist():
            data = a.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            b.writestr(item.filename, data)
    return dst


SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>日期</t></is></c>'
         '<c r="C1" t="inlineStr"><is><t>类别</t></is></c></row>{rows}</sheetData></worksheet>')


def test_a_sheet_claiming_a_million_rows(cli, ledger_file, tmp_path):
    good = workbook(tmp_path / "good.xlsx", [GOOD_ROW])
    path = _with_sheet_xml(good, tmp_path / "million.xlsx", SHEET.format(dim='<dimension ref="A1:I1000000"/>', rows=""))
    err = refused(cli, ledger_file, path)
    assert "1,000,000 行" in err and f"{MAX_ROWS:,}" in err


def test_a_sheet_whose_last_row_is_a_million_rows_down(cli, ledger_file, tmp_path):
    """No dimension to go by: the rows themselves are counted, and reading stops at the limit."""
    good = workbook(tmp_path / "good.xlsx", [GOOD_ROW])
    far = '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>刘建国</t></is></c></row>'
    path = _with_sheet_xml(good, tmp_path / "far.xlsx", SHEET.format(dim="", rows=far))
    assert f"{MAX_ROWS:,} 行的上限" in refused(cli, ledger_file, path)


def test_missing_columns(cli, ledger_file, tmp_path):
    path = workbook(tmp_path / "f.xlsx", [["刘建国", "2025-10-12", "走访宿舍"]], header=["姓名", "日期", "工作简况"])
    err = refused(cli, ledger_file, path)
    assert "表头缺少列：类别" in err and "工作表“台账”第 1 行" in err


def test_no_header_at_all(cli, ledger_file, tmp_path):
    path = workbook(tmp_path / "f.xlsx", [["随便", "什么"]], header=["甲", "乙"])
    assert "没有找到联系活动台账的表头" in refused(cli, ledger_file, path)


def test_the_wrong_kind_of_file(cli, ledger_file, tmp_path):
    """A ledger offered as a cadre roster: it has 姓名 but not 层级."""
    path = workbook(tmp_path / "f.xlsx", [GOOD_ROW])
    assert "层级" in refused(cli, ledger_file, path, kind="cadres")


def test_unknown_cadres_and_categories_are_all_listed(cli, ledger_file, tmp_path):
    rows = [GOOD_ROW,
            ["张三", "2025-10-12", "进宿舍", "", "x", None, None, "", ""],
            ["刘建国", "2025-10-12", "进澡堂", "", "x", None, None, "", ""],
            ["李四", "2025-10-13", "进网吧", "", "x", None, None, "", ""]]
    err = refused(cli, ledger_file, workbook(tmp_path / "f.xlsx", rows))
    assert "发现 4 处问题" in err
    assert err.index("第 3 行") < err.index("第 4 行") < err.index("第 5 行")  # in file order
    assert "工作表“台账”第 3 行“姓名”列（张三）：名册中没有这位干部" in err
    assert "第 4 行“类别”列（进澡堂）：未知的活动类别" in err
    assert "第 5 行“类别”列（进网吧）" in err and "第 5 行“姓名”列（李四）" in err  # both, though one row
    assert "第 2 行" not in err


def test_an_unknown_target_kind_or_tier(cli, ledger_file, tmp_path):
    path = workbook(tmp_path / "c.xlsx", [["王五", "处级干部", "", "", ""]],
                    header=["姓名", "层级", "部门", "职务", "角色标签"])
    assert "未知的层级" in refused(cli, ledger_file, path, kind="cadres")
    path = workbook(tmp_path / "t.xlsx", [["某某", "外星人"]], header=["名称", "类别"])
    assert "未知的联系对象类别" in refused(cli, ledger_file, path, kind="targets")


@pytest.mark.parametrize("value, words", [
    ("2025-02-30", "日期不存在"), ("2025年13月1日", "日期不存在"), ("昨天", "不是有效日期"),
    ("1899-12-31", "超出范围"), (None, "日期不能为空"),
])
def test_impossible_dates(cli, ledger_file, tmp_path, value, words):
    row = list(GOOD_ROW)
    row[1] = value
    err = refused(cli, ledger_file, workbook(tmp_path / "f.xlsx", [row]))
    assert "第 2 行“日期”列" in err and words in err


def test_text_of_a_hundred_thousand_characters(cli, ledger_file, tmp_path):
    row = list(GOOD_ROW)
    row[4] = "长" * 100_000
    err = refused(cli, ledger_file, workbook(tmp_path / "f.xlsx", [row]))
    assert "“工作简况”列" in err and ("过长" in err or "上限" in err)
    assert "长" * 100 not in err  # the value is shown shortened


def test_a_name_too_long_for_the_roster(cli, ledger_file, tmp_path):
    row = list(GOOD_ROW)
    row[0] = "刘" * 31
    assert "姓名过长（31 字，最多 30 字）" in refused(cli, ledger_file, workbook(tmp_path / "f.xlsx", [row]))


def test_formulas_in_imported_columns_are_refused(cli, ledger_file, tmp_path):
    row = list(GOOD_ROW)
    row[0] = '=HYPERLINK("http://example.com","刘建国")'
    row[5] = "=2+4"
    err = refused(cli, ledger_file, workbook(tmp_path / "f.xlsx", [row]))
    assert "“姓名”列" in err and "“人数”列" in err and "单元格是公式" in err and "选择性粘贴" in err


def test_a_formula_in_an_extra_column_is_ignored(cli, ledger_file, tmp_path):
    path = workbook(tmp_path / "f.xlsx", [["=ROW()-1", *GOOD_ROW]], header=["序号", *HEADER])
    code, out, _ = cli("import", "activities", str(path))
    assert code == 0 and "新增 1 条" in out


def test_numbers_out_of_range(cli, ledger_file, tmp_path):
    row = list(GOOD_ROW)
    row[5], row[6], row[7] = -3, "半天", "也许"
    err = refused(cli, ledger_file, workbook(tmp_path / "f.xlsx", [row]))
    assert "“人数”列（-3）：应在 0 到 100000 之间" in err
    assert "“天数”列（半天）：应为数字" in err and "“面对面”列（也许）" in err


def test_a_file_that_does_not_exist(cli, ledger_file, tmp_path):
    assert "文件不存在" in refused(cli, ledger_file, tmp_path / "nowhere.xlsx")


def test_a_bad_export_path_changes_nothing(cli, ledger_file, tmp_path):
    before = dump(ledger_file)
    code, _, err = cli("export", "activities", str(tmp_path / "no-such-folder" / "x.xlsx"))
    assert code == 2 and "文件夹不存在" in err
    code, _, err = cli("export", "activities", str(tmp_path / "x.csv"))
    assert code == 2 and ".xlsx" in err
    assert dump(ledger_file) == before


def test_a_workbook_too_large_once_unpacked(cli, ledger_file, tmp_path, monkeypatch):
    """The total the zip declares is capped too (here lowered to 1 MB, with 2 MB that do not compress)."""
    import os

    from liaison_desk.excel import read as excel_read

    monkeypatch.setattr(excel_read, "MAX_UNCOMPRESSED", 2**20)
    good = workbook(tmp_path / "good.xlsx", [GOOD_ROW])
    path = tmp_path / "large.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
        dst.writestr("xl/media/photo.bin", os.urandom(2 * 2**20))
    assert "超过 1 MB 的上限" in refused(cli, ledger_file, path)
