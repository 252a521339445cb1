"""The command line: each command's effect, and bad input giving exit 2 with nothing changed."""

import subprocess
import sys

import pytest
from ledger_files import dump

from liaison_desk.ledger import settings
from liaison_desk.store import storage
from liaison_desk.store.models import Activity, Assignment, Cadre, Target


@pytest.fixture
def filled(cli):
    assert cli("init", "--policy", "hnust-2025", "--school", "湖南科技大学")[0] == 0
    assert cli("term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18",
               "--holiday", "2025-10-01:2025-10-08")[0] == 0
    assert cli("cadre", "add", "刘建国", "--tier", "校领导", "--unit", "校领导班子",
               "--position", "党委书记", "--tags", "党委书记,党委委员")[0] == 0
    assert cli("target", "add", "计算2501班", "--kind", "班级", "--unit", "计算机科学与工程学院")[0] == 0
    assert cli("assign", "刘建国", "计算2501班", "--year", "2025-2026", "--role", "名誉班主任")[0] == 0
    return cli


def test_commands_write_what_they_say(filled, db_path):
    code, out, _ = filled("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进班级",
                          "--target", "计算2501班", "--summary", "参加主题团日", "--people", "40")
    assert code == 0 and "已登记" in out
    storage.open_database(db_path)
    try:
        assert settings.school_name() == "湖南科技大学"
        assert settings.current_policy().id == "hnust-2025"
        cadre = Cadre.get(Cadre.name == "刘建国")
        assert cadre.tier == "leader" and cadre.tag_set == {"党委书记", "党委委员"}
        assert cadre.unit.name == "校领导班子"
        assert Assignment.get().role == "名誉班主任"
        a = Activity.get()
        assert (str(a.date), a.category, a.target.name, a.people, a.face_to_face) == (
            "2025-10-12", "进班级", "计算2501班", 40, True)
        assert settings.get_term("2025-2026-1").holidays[0][1].isoformat() == "2025-10-08"
    finally:
        storage.close_database()


BAD = [
    ("activity", "add", "无此人", "--date", "2025-10-12", "--category", "进宿舍"),
    ("activity", "add", "刘建国", "--date", "2025-02-30", "--category", "进宿舍"),
    ("activity", "add", "刘建国", "--date", "10月12日", "--category", "进宿舍"),
    ("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进澡堂"),
    ("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进宿舍", "--target", "无此宿舍"),
    ("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进宿舍", "--people", "-3"),
    ("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进宿舍", "--people", "很多"),
    ("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进宿舍", "--days", "40"),
    ("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进宿舍", "--summary", "长" * 5000),
    ("cadre", "add", "刘建国", "--tier", "leader"),
    ("cadre", "add", "赵六", "--tier", "处长"),
    ("cadre", "add", "", "--tier", "leader"),
    ("target", "add", "某宿舍", "--kind", "澡堂"),
    ("target", "add", "计算2501班", "--kind", "班级"),
    ("assign", "刘建国", "计算2501班", "--year", "2025-2026"),
    ("assign", "刘建国", "计算2501班", "--year", "2025-2027"),
    ("assign", "刘建国", "无此班", "--year", "2025-2026"),
    ("term", "set", "2025-2026-3", "--start", "2025-09-01", "--end", "2026-01-18"),
    ("term", "set", "2025-2026-2", "--start", "2026-01-01", "--end", "2026-07-05"),
    ("term", "set", "2025-2026-2", "--start", "2026-02-23", "--end", "2026-07-05", "--holiday", "五一"),
    ("init", "--policy", "moe-2019"),
    ("init", "--policy", "no-such-policy"),
    ("demo", "--cadres", "10"),
    ("activity", "add", "刘建国"),
    ("no-such-command",),
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a)[:40] for a in BAD])
def test_bad_input_exits_2_with_one_line_and_changes_nothing(filled, db_path, args):
    before = dump(db_path)
    code, out, err = filled(*args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.strip(), err
    assert dump(db_path) == before


@pytest.mark.sqlite_only("a missing file; a server database that is empty: tests/store/test_server.py")
def test_commands_on_a_missing_database_create_nothing(cli, db_path):
    code, _, err = cli("cadre", "add", "王芳", "--tier", "leader")
    assert code == 2 and "不存在" in err
    assert not db_path.exists()
    code, _, err = cli("init", "--policy", "no-such-policy")
    assert code == 2 and not db_path.exists()


def test_an_uninitialised_database_is_refused(cli, db_path):
    storage.open_database(db_path)
    storage.close_database()
    code, _, err = cli("cadre", "add", "王芳", "--tier", "leader")
    assert code == 2 and "init" in err


def test_unexpected_error_exits_1(cli, monkeypatch):
    from liaison_desk.cli import main as cli_module

    def boom(_args):
        raise RuntimeError("模拟故障")
    monkeypatch.setitem(cli_module.COMMANDS, "init", boom)
    code, _, err = cli("init", "--policy", "moe-2019")
    assert code == 1 and "模拟故障" in err


def test_selftest_passes():
    result = subprocess.run([sys.executable, "-m", "liaison_desk", "--selftest"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "自检通过" in result.stdout


def test_the_console_entry_point_runs_and_reports_bad_input(tmp_path):
    db = tmp_path / "x.sqlite3"
    ok = subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db), "init", "--policy",
                         "jljtxy-2018"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db), "cadre", "add", "x",
                          "--tier", "nobody"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "未知的层级" in bad.stderr


def test_the_core_never_loads_qt(tmp_path):
    code = ("import sys, liaison_desk.cli.main, liaison_desk.ledger.demo, liaison_desk.cli.selftest;"
            "from liaison_desk.cli import selftest; selftest.run(out=lambda s: None);"
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    _ = Target  # the models are importable without Qt too
