"""#20: the blank record form as a Word document — the form definition's sections, rows and
columns, the header filled in — from `sheet --format docx`, one file or one per cadre."""

from __future__ import annotations

import docx
import pytest

from benchmarks.entry_replay import LEADER, MIDDLE, MONTH, make_roster
from liaison_desk.excel.word_form import recognise
from liaison_desk.excel.word_read import read_docx
from liaison_desk.store import storage


@pytest.fixture
def roster_file(ledger, db_path):
    make_roster()
    storage.close_database()
    return db_path


def texts(path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs] + [c.text for r in document.tables[0].rows for c in r.cells]


def test_a_leaders_blank_form_is_the_annex_with_the_header_filled_in(cli, roster_file, tmp_path):
    out = tmp_path / "王建国.docx"
    code, said, err = cli("sheet", "--cadre", LEADER, "--month", MONTH, "--format", "docx", "--out", str(out))
    assert code == 0, err
    assert "Word 空白记录表" in said
    words = texts(out)
    assert "领导班子成员“五联七进”工作记录表" in words and "填表时间：2025年10月" in words
    assert {"姓名", LEADER, "职务", "党委书记", "五个联系", "七个走进", "群体名称", "载体名称", "时间",
            "工作简况"} <= set(words)
    assert {"党总支", "院系班子", "党支部", "教研室", "青年教师", "进课堂", "进班级", "进宿舍", "进食堂", "进社团",
            "进讲座", "进网络"} <= set(words)
    form, _table = recognise(read_docx(out))
    assert form.id == "wulian-qijin"


def test_a_middle_cadres_form_has_the_boxes_to_tick_and_the_carriers(cli, roster_file, tmp_path):
    out = tmp_path / "李晓梅.docx"
    assert cli("sheet", "--cadre", MIDDLE, "--month", MONTH, "--format", "docx", "--out", str(out))[0] == 0
    words = texts(out)
    assert {"部门", "学生工作部", "职务", "部长", "教师", "学生"} <= set(words)
    assert any("☐工作职能" in w and "☐个人专长" in w for w in words)
    assert recognise(read_docx(out))[0].id == "santeyiti"


def test_all_and_unit_write_one_file_per_cadre(cli, roster_file, tmp_path):
    code, said, err = cli("sheet", "--all", "--month", MONTH, "--format", "docx", "--out", str(tmp_path / "all") + "/")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [f"{MONTH}-{MIDDLE}.docx", f"{MONTH}-{LEADER}.docx"]
    code, said, err = cli("sheet", "--unit", "学生工作部", "--month", MONTH, "--format", "docx",
                          "--out", str(tmp_path / "unit") + "/")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "unit").iterdir()] == [f"{MONTH}-{MIDDLE}.docx"]
