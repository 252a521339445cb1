"""`check`, `filing` and `policy` on the command line; the v2 schema (filings) on an old file."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from liaison_desk.ledger import settings
from liaison_desk.ledger.filings import add_filing
from liaison_desk.store import models, storage
from liaison_desk.store.models import ChangeLog, Filing, SchemaVersion

JSON_FIELDS = {"cadre", "rule", "categories", "period_start", "period_end", "target", "required",
               "actual", "unit", "status"}


@pytest.fixture
def weifa(cli):
    """A weifa-2019-19 ledger with one cadre who visited a dorm in October 2025."""
    assert cli("init", "--policy", "weifa-2019-19")[0] == 0
    assert cli("term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18",
               "--holiday", "2025-09-29:2025-10-07")[0] == 0
    assert cli("cadre", "add", "赵处长", "--tier", "中层正职", "--unit", "学生工作部")[0] == 0
    assert cli("activity", "add", "赵处长", "--date", "2025-10-09", "--category", "进宿舍")[0] == 0
    return cli


def change_count(db_path) -> int:
    if isinstance(db_path, str):  # a server ledger (LIAISON_TEST_DB=postgresql)
        import psycopg

        with psycopg.connect(db_path) as server:
            return server.execute("SELECT count(*) FROM change_log").fetchone()[0]
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    finally:
        conn.close()


def test_check_json_has_the_fields_the_issue_lists(weifa):
    code, out, err = weifa("check", "--month", "2025-10", "--as-of", "2025-11-05", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(set(row) >= JSON_FIELDS for row in rows)
    dorm = next(r for r in rows if r["rule"] == "dorm-visit-monthly")
    assert dorm == {**dorm, "cadre": "赵处长", "categories": ["进宿舍"], "period_start": "2025-10-01",
                    "period_end": "2025-10-31", "target": None, "required": 1, "actual": 1,
                    "unit": "次", "status": "met"}
    canteen = next(r for r in rows if r["rule"] == "canteen-meal-monthly")
    assert (canteen["actual"], canteen["status"]) == (0, "short")


def test_check_table_is_chinese_and_aligned(weifa):
    code, out, _ = weifa("check", "--month", "2025-10", "--as-of", "2025-10-20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["干部", "规则", "期间", "对象"]
    dorm = next(line for line in lines if "每月进宿舍1次" in line)
    assert "赵处长" in dorm and "2025年10月" in dorm and "达标" in dorm
    canteen = next(line for line in lines if "每月食堂就餐1次" in line)
    assert "进行中" in canteen  # October is not over on the 20th
    assert lines[-1].startswith("合计：")


def test_check_for_one_cadre_and_a_term(weifa):
    weifa("cadre", "add", "钱处长", "--tier", "中层正职", "--unit", "财务处")
    code, out, _ = weifa("check", "--term", "2025-2026-1", "--cadre", "钱处长", "--format", "json",
                         "--as-of", "2026-02-01")
    assert code == 0
    rows = json.loads(out)
    assert {r["cadre"] for r in rows} == {"钱处长"}
    assert {r["period_start"] for r in rows if r["rule"] == "dorm-visit-monthly"} == {
        "2025-09-01", "2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01"}


@pytest.mark.parametrize("args", [
    ["check"],  # no period
    ["check", "--term", "2025-2026-1", "--month", "2025-10"],  # two periods
    ["check", "--term", "2025-2026"],  # a year is not a term
    ["check", "--month", "2025-13"],
    ["check", "--year", "2025-2027"],
    ["check", "--term", "2031-2032-1"],  # no such term set
    ["check", "--month", "2025-10", "--as-of", "2025-10-32"],
    ["check", "--month", "2025-10", "--cadre", "无名氏"],
    ["check", "--month", "2025-10", "--format", "xml"],
    ["check", "--month", "2025-10", "--extra"],
])
def test_check_bad_arguments_exit_2_with_one_chinese_line_and_change_nothing(weifa, db_path, args):
    before = change_count(db_path)
    code, out, err = weifa(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and any("\u4e00" <= ch <= "\u9fff" for ch in err)
    assert change_count(db_path) == before


@pytest.mark.sqlite_only("a missing file; a server database that is empty: tests/store/test_server.py")
def test_check_on_a_missing_file_creates_nothing(cli, db_path):
    code, _, err = cli("check", "--month", "2025-10")
    assert code == 2 and "不存在" in err
    assert not db_path.exists()


def test_filing_add_then_the_term_summary_is_met(cli):
    cli("init", "--policy", "jljtxy-2018")
    cli("term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18")
    cli("cadre", "add", "孙处长", "--tier", "middle_head", "--unit", "人事处", "--tags", "中共党员")
    code, out, _ = cli("filing", "add", "孙处长", "--kind", "term_summary", "--period", "2025-2026-1",
                       "--date", "2026-01-15")
    assert code == 0 and "学期工作总结" in out
    code, out, _ = cli("check", "--term", "2025-2026-1", "--as-of", "2026-01-30", "--format", "json")
    summary = next(r for r in json.loads(out) if r["rule"] == "term-summary")
    assert (summary["status"], summary["due"]) == ("met", "2026-01-18")
    code, out, _ = cli("filing", "list")
    assert "孙处长" in out and "2026-01-15" in out


@pytest.mark.parametrize("args", [
    ["filing", "add", "孙处长", "--kind", "summary", "--period", "2025-2026-1", "--date", "2026-01-15"],
    ["filing", "add", "孙处长", "--kind", "term_summary", "--period", "2025-2026", "--date", "2026-01-15"],
    ["filing", "add", "孙处长", "--kind", "arrangement", "--period", "2025-2026-1", "--date", "2025-09-10"],
    ["filing", "add", "孙处长", "--kind", "term_summary", "--period", "2025-2026-1", "--date", "明天"],
    ["filing", "add", "--kind", "term_summary", "--period", "2025-2026-1", "--date", "2026-01-15"],
    ["filing", "add", "孙处长", "--unit", "人事处", "--kind", "term_summary", "--period", "2025-2026-1",
     "--date", "2026-01-15"],
    ["filing", "add", "--unit", "不存在处", "--kind", "term_summary", "--period", "2025-2026-1",
     "--date", "2026-01-15"],
])
def test_bad_filings_exit_2_and_write_nothing(cli, db_path, args):
    cli("init", "--policy", "jljtxy-2018")
    cli("cadre", "add", "孙处长", "--tier", "middle_head", "--unit", "人事处", "--tags", "中共党员")
    before = change_count(db_path)
    code, _, err = cli(*args)
    assert code == 2 and err.strip()
    assert change_count(db_path) == before


def test_policy_export_edit_import_round_trip(cli, tmp_path):
    cli("init", "--policy", "weifa-2019-19")
    exported = tmp_path / "weifa.toml"
    code, out, _ = cli("policy", "export", str(exported))
    assert code == 0 and exported.exists()
    text = exported.read_text(encoding="utf-8")
    assert 'id = "dorm-visit-monthly"' in text
    # Another school: two dorm visits a month instead of one.
    block = text.index('id = "dorm-visit-monthly"')
    edited = text[:block] + text[block:].replace("min = 1", "min = 2", 1)
    changed = tmp_path / "other-school.toml"
    changed.write_text(edited, encoding="utf-8")
    code, out, _ = cli("policy", "import", str(changed))
    assert code == 0 and "已导入" in out
    as_json = tmp_path / "other-school.json"
    assert cli("policy", "export", str(as_json))[0] == 0
    dorm = next(r for r in json.loads(as_json.read_text(encoding="utf-8"))["rules"]
                if r["id"] == "dorm-visit-monthly")
    assert dorm["min"] == 2
    code, out, _ = cli("policy", "show")
    assert "dorm-visit-monthly" in out


def test_importing_a_broken_policy_exits_2_and_keeps_the_old_one(cli, tmp_path, db_path):
    cli("init", "--policy", "weifa-2019-19")
    bad = tmp_path / "bad.toml"
    cli("policy", "export", str(bad))
    bad.write_text(bad.read_text(encoding="utf-8").replace('"进宿舍"', '"进澡堂"'), encoding="utf-8")
    before = change_count(db_path)
    code, _, err = cli("policy", "import", str(bad))
    assert code == 2 and "进澡堂" in err
    assert change_count(db_path) == before
    code, _, err = cli("policy", "import", str(tmp_path / "policy.yaml"))
    assert code == 2 and ".toml" in err


def test_a_version_1_ledger_upgrades_to_filings_and_keeps_its_data(tmp_path):
    """A ledger written by the v1 program (tests/data): its log in the v1 form, no filing table."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "ledger-v1.sqlite3", path)
    conn = sqlite3.connect(path)
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'filing'").fetchall()
    cadre = conn.execute("SELECT name FROM cadre ORDER BY id").fetchone()[0]
    conn.close()

    storage.open_database(path)
    try:
        assert SchemaVersion.get().version == storage.SCHEMA_VERSION >= 2
        assert settings.school_name() == "湖南科技大学" and models.Cadre.get_by_id(1).name == cadre
        assert list(tmp_path.glob("old.before-v*.sqlite3")), "a backup is made before migrating"
        add_filing("term_summary", "2025-2026-1", date(2026, 1, 5), cadre=cadre)
        assert Filing.select().count() == 1
        assert ChangeLog.select().where(ChangeLog.table == "filing").count() == 1
    finally:
        storage.close_database()


def test_a_year_with_a_term_not_set_says_what_is_left_unchecked(weifa):
    code, out, err = weifa("check", "--year", "2025-2026", "--as-of", "2026-09-01", "--format", "json")
    assert code == 0 and json.loads(out)
    assert "未设置学期 2025-2026-2" in err
