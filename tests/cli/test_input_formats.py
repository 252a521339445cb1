"""Smaller input checks (issue 14, defect 11 in part, and defect 5's edge years): a mistyped unit
is not a new unit; dates are YYYY-MM-DD only; years outside 1900–9998 are refused, not crashes."""

from __future__ import annotations

import pytest

from liaison_desk.store import storage
from liaison_desk.store.models import Problem, Unit


@pytest.fixture
def office(cli):
    assert cli("init", "--policy", "hnust-2025")[0] == 0
    assert cli("cadre", "add", "林处长", "--tier", "middle_head", "--unit", "后勤保障处")[0] == 0
    assert cli("cadre", "add", "陈书记", "--tier", "leader", "--unit", "校领导班子")[0] == 0
    assert cli("problem", "add", "热水供应不稳定", "--date", "2025-10-12")[0] == 0
    return cli


def test_a_mistyped_unit_is_refused_with_the_close_ones(office, db_path):
    code, _out, err = office("problem", "transfer", "1", "--unit", "后勤保障外", "--due", "2025-10-20",
                             "--date", "2025-10-13")
    assert code == 2 and "名册中没有部门“后勤保障外”" in err and "相近的有：后勤保障处" in err
    storage.open_database(db_path)
    try:
        assert sorted(u.name for u in Unit.select()) == ["后勤保障处", "校领导班子"]
        assert Problem.get_by_id(1).status == "待分办"
    finally:
        storage.close_database()


def test_a_new_unit_is_added_only_when_asked(office, db_path):
    assert office("problem", "transfer", "1", "--unit", "网络信息中心", "--due", "2025-10-20",
                  "--date", "2025-10-13", "--new-unit")[0] == 0
    assert office("problem", "transfer", "1", "--unit", "后勤保障处", "--due", "2025-10-20",
                  "--date", "2025-10-13")[0] != 1


@pytest.mark.parametrize("typed", ["2025-W41-1", "20251012", "2025-10-12T08:00", "2025-1-2", "12/10/2025"])
def test_only_iso_dates_are_taken(office, typed):
    code, _out, err = office("activity", "add", "陈书记", "--date", typed, "--category", "进课堂")
    assert code == 2 and "应为 YYYY-MM-DD" in err


def test_a_correct_date_is_taken(office):
    assert office("activity", "add", "陈书记", "--date", "2025-10-12", "--category", "进课堂")[0] == 0


EDGE = [
    ("check", "--month", "9999-12"), ("check", "--month", "0000-01"), ("check", "--year", "0000-0001"),
    ("check", "--year", "9998-9999"), ("check", "--month", "1899-12"), ("check", "--term", "0000-0001-1"),
    ("sheet", "--month", "9999-12", "--all", "--out", "x.pdf"),
    ("report", "monthly", "--month", "0000-01", "--out", "x.pdf"),
    ("export", "activities", "x.xlsx", "--month", "9999-12"),
    ("sign", "--cadre", "陈书记", "--month", "9999-12"),
    ("activity", "add", "陈书记", "--date", "0001-01-01", "--category", "进课堂"),
    ("activity", "add", "陈书记", "--date", "9999-12-31", "--category", "进课堂"),
]


@pytest.mark.parametrize("args", EDGE, ids=" ".join)
def test_edge_years_are_bad_input_not_a_crash(office, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, err = office(*args)
    assert code == 2 and "超出范围" in err, err


@pytest.mark.parametrize("end", ["9999-12", "0000-01"])
def test_demo_refuses_an_edge_year(cli, tmp_path, end):
    code, _out, err = cli("demo", "--end", end, "--db", str(tmp_path / "new.sqlite3"))
    assert code == 2 and "超出范围" in err, err
