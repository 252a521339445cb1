"""Look-alike names (issue 14, defect 9): one spelling for one name on every write path."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from liaison_desk.store import storage
from liaison_desk.store.models import Cadre, Target, Unit

LOOK_ALIKES = [
    "林书记\u200b",  # zero-width space
    "\u200f林书记",  # right-to-left mark
    "\u202a林书记\u202c",  # left-to-right embedding … pop
    "林\ufeff书记",  # BOM in the middle
    "林书记\u00ad",  # soft hyphen
]


@pytest.fixture
def roster(cli):
    assert cli("init", "--policy", "hnust-2025")[0] == 0
    assert cli("cadre", "add", "林书记", "--tier", "leader", "--unit", "机电学院")[0] == 0
    assert cli("cadre", "add", "木子", "--tier", "middle_head")[0] == 0
    return cli


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_an_invisible_character_does_not_make_a_second_cadre(roster, name):
    code, _out, err = roster("cadre", "add", name, "--tier", "leader")
    assert code == 2 and "“林书记”已存在" in err


def test_a_kangxi_radical_is_the_same_character(roster):
    code, _out, err = roster("cadre", "add", "⽊子", "--tier", "leader")  # U+2F4A KANGXI RADICAL TREE
    assert code == 2 and "“木子”已存在" in err


@pytest.mark.parametrize("name", ["林\n书记", "林\t书记", "林\u2028书记", "林\x7f书记", "林\x85书记", "林\x9b书记"])
def test_control_characters_in_a_name_are_refused(roster, name, db_path):
    code, _out, err = roster("cadre", "add", name, "--tier", "leader")
    assert code == 2 and "控制字符" in err
    storage.open_database(db_path)
    try:
        assert Cadre.select().count() == 2
    finally:
        storage.close_database()


def test_a_look_alike_unit_or_target_is_the_same_one(roster, db_path):
    assert roster("cadre", "add", "王部长", "--tier", "middle_head", "--unit", "机电\u200d学院")[0] == 0
    assert roster("target", "add", "南苑3栋", "--kind", "宿舍")[0] == 0
    code, _out, err = roster("target", "add", "南苑３栋\u200b", "--kind", "宿舍")  # full-width digit
    assert code == 2 and "已存在" in err
    storage.open_database(db_path)
    try:
        assert [u.name for u in Unit.select()] == ["机电学院"] and Target.select().count() == 1
    finally:
        storage.close_database()


def test_a_look_alike_name_finds_the_cadre(roster):
    code, out, err = roster("activity", "add", "林书记\u200b", "--date", "2025-10-12", "--category", "进课堂")
    assert code == 0, err


def test_excel_import_folds_look_alikes_onto_the_roster(roster, tmp_path: Path, db_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "层级", "部门", "职务"])
    ws.append(["林书记\u200b", "校领导", "机电学院", "党委书记"])  # the existing cadre: a change, not a new one
    ws.append(["⽊子", "中层正职", "", ""])
    wb.save(tmp_path / "cadres.xlsx")
    code, out, err = roster("import", "cadres", str(tmp_path / "cadres.xlsx"))
    assert code == 0, err
    storage.open_database(db_path)
    try:
        assert sorted(c.name for c in Cadre.select()) == ["木子", "林书记"]
        assert Cadre.get(Cadre.name == "林书记").position == "党委书记"
    finally:
        storage.close_database()


def test_excel_import_refuses_a_name_with_a_line_break(roster, tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "层级"])
    ws.append(["张\u2028三", "校领导"])
    wb.save(tmp_path / "cadres.xlsx")
    code, _out, err = roster("import", "cadres", str(tmp_path / "cadres.xlsx"))
    assert code == 2 and "控制字符" in err


def test_parentheses_are_one_spelling_and_stay_full_width(roster):
    assert roster("cadre", "add", "张书记（机电）", "--tier", "leader")[0] == 0
    code, _out, err = roster("cadre", "add", "张书记(机电)", "--tier", "leader")
    assert code == 2 and "“张书记（机电）”已存在" in err
