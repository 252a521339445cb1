"""#20: bad Word documents on `import sheets` — each refused with a clear Chinese line, exit 2,
and the ledger exactly as it was (dumped before and after)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from benchmarks.docx_forms import fill_own
from benchmarks.entry_replay import LEADER, MONTH, make_roster
from liaison_desk.paper.sheet_content import sheet_content
from liaison_desk.paper.sheet_docx import sheet_docx
from liaison_desk.store import storage
from tests.ledger_files import dump

ONE = {"党总支": [("护理学院党总支", "10月9日", "参加党总支理论学习中心组学习")]}


@pytest.fixture
def ledger_file(ledger, db_path, tmp_path) -> Path:
    """A ledger with the two cadres, and the leader's own blank form beside it (then closed, so
    the command line opens it as a clerk would)."""
    make_roster()
    (tmp_path / "blank.docx").write_bytes(sheet_docx(sheet_content(LEADER, MONTH, blank=True)))
    storage.close_database()
    return db_path


def refused(cli, db_path: Path, *paths: Path) -> str:
    before = dump(db_path)
    code, out, err = cli("import", "sheets", *map(str, paths))
    assert code == 2, (out, err)
    assert dump(db_path) == before
    assert err.strip() and "Traceback" not in err
    return err


def test_a_good_form_imports_on_the_command_line(cli, ledger_file, tmp_path):
    path = fill_own(tmp_path / "blank.docx", tmp_path / "good.docx", ONE)
    code, out, err = cli("import", "sheets", str(path), "--dry-run")
    assert code == 0 and "新增 王建国 10-09 联系党总支 护理学院党总支" in out and "试运行" in out
    code, out, err = cli("import", "sheets", str(path))
    assert code == 0, err
    assert "已导入" in out


def test_an_old_binary_doc(cli, ledger_file, tmp_path):
    path = tmp_path / "记录表.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    assert "旧版 Word 文档（.doc）" in refused(cli, ledger_file, path)


def test_a_password_protected_docx(cli, ledger_file, tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    plain = io.BytesIO(fill_own(tmp_path / "blank.docx", tmp_path / "plain.docx", ONE).read_bytes())
    path = tmp_path / "locked.docx"
    with path.open("wb") as out:
        msoffcrypto.OfficeFile(plain).encrypt("123456", out)
    assert "设有打开密码" in refused(cli, ledger_file, path)


def test_a_damaged_docx(cli, ledger_file, tmp_path):
    good = fill_own(tmp_path / "blank.docx", tmp_path / "good.docx", ONE).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(good[: len(good) // 2])
    assert "已损坏" in refused(cli, ledger_file, path)


def test_a_docx_with_a_broken_document_part(cli, ledger_file, tmp_path):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(tmp_path / "blank.docx") as src, zipfile.ZipFile(path, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            z.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    assert "已损坏" in refused(cli, ledger_file, path)


def test_a_form_of_another_school(cli, ledger_file, tmp_path):
    """The 吉交院 form (党员领导干部联系党支部、联系师生工作记录表) in a ledger of the 闽卫院 policy."""
    document = docx.Document()
    document.add_paragraph("党员领导干部联系党支部、联系师生工作记录表")
    table = document.add_table(rows=5, cols=4)
    for row, texts in zip(table.rows, [("党员领导干部姓名", LEADER, "职务", "党委书记"),
                                       ("联系对象", "党支部", "护理学生第一党支部", ""),
                                       ("联系对象", "个人", "陈青", ""),
                                       ("联系工作开展情况", "时间", "类别", "具体联系情况"),
                                       ("", "10月9日", "联系党支部", "参加组织生活")], strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    path = tmp_path / "jljt.docx"
    document.save(str(path))
    assert "其他学校的记录表" in refused(cli, ledger_file, path)


def test_a_document_without_a_table(cli, ledger_file, tmp_path):
    document = docx.Document()
    document.add_paragraph("十月份工作总结：本月走访宿舍三次。")
    path = tmp_path / "总结.docx"
    document.save(str(path))
    assert "没有表格" in refused(cli, ledger_file, path)


def test_a_document_whose_table_is_no_record_form(cli, ledger_file, tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("日期", "地点", "参会人员"), strict=True):
        cell.text = text
    path = tmp_path / "会议.docx"
    document.save(str(path))
    assert "没有认得出的工作记录表" in refused(cli, ledger_file, path)


def test_a_50_mb_document_is_refused_before_it_is_read(cli, ledger_file, tmp_path):
    path = tmp_path / "huge.docx"
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(50 * 2**20 + 1)
    assert "太大" in refused(cli, ledger_file, path)


def test_a_zip_bomb(cli, ledger_file, tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(tmp_path / "blank.docx") as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item.filename, src.read(item.filename))
        z.writestr("word/media/padding.xml", b"\0" * (30 * 2**20))
    assert path.stat().st_size < 2**20
    assert "压缩炸弹" in refused(cli, ledger_file, path)


def test_a_cadre_not_in_the_roster(cli, ledger_file, tmp_path):
    path = fill_own(tmp_path / "blank.docx", tmp_path / "zhang.docx", ONE)
    document = docx.Document(str(path))
    cell = document.tables[0].rows[0].cells[1]
    cell.paragraphs[0].runs[0].text = "张三丰"
    document.save(str(path))
    assert "名册中没有这位干部" in refused(cli, ledger_file, path)


def test_one_bad_file_in_a_folder_refuses_them_all(cli, ledger_file, tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    fill_own(tmp_path / "blank.docx", folder / "good.docx", ONE)
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    err = refused(cli, ledger_file, folder)
    assert "old.doc" in err and "旧版 Word" in err
