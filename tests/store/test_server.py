"""The ledger on a real PostgreSQL server (issue 18): `--db postgresql://…`, `server init`, the
password from libpq's places and never in the address, another program's database refused.
Runs in both test passes: the session's server is started by the `pg` fixture (tests/conftest.py)."""

from __future__ import annotations

import os
import re

import pytest

from liaison_desk.cli.main import main
from liaison_desk.store import storage


def run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_server_init_prepares_an_empty_database_and_every_step_then_works(pg, capsys):
    url = pg.new_database(prepared=False)
    code, out, err = run(url, capsys, "server", "init")
    assert code == 0, err
    assert "服务器台账已就绪" in out and "127.0.0.1" in out
    assert run(url, capsys, "server", "init")[0] == 0  # a second time: nothing to do, nothing broken
    steps = [
        ("init", "--policy", "hnust-2025", "--school", "湖南科技大学"),
        ("term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18"),
        ("cadre", "add", "刘建国", "--tier", "leader", "--unit", "校领导班子", "--position", "党委书记"),
        ("target", "add", "计算2501班", "--kind", "班级", "--unit", "计算机科学与工程学院"),
        ("assign", "刘建国", "计算2501班", "--year", "2025-2026", "--role", "名誉班主任"),
        ("activity", "add", "刘建国", "--date", "2025-10-12", "--category", "进班级", "--target", "计算2501班",
         "--summary", "参加主题团日", "--people", "40", "--face-to-face"),
    ]
    for step in steps:
        code, out, err = run(url, capsys, *step)
        assert code == 0, (step, err)
    code, out, err = run(url, capsys, "verify")
    assert code == 0, err
    assert "校验通过" in out


def test_a_command_on_an_empty_server_database_says_to_run_server_init(pg, capsys):
    url = pg.new_database(prepared=False)
    code, _, err = run(url, capsys, "cadre", "add", "刘建国", "--tier", "leader")
    assert code == 2
    assert "还是空的" in err and "server init" in err


def test_a_password_in_the_address_is_refused_and_never_used(pg, capsys):
    url = pg.new_database().replace("liaison@", "liaison:secret@")
    code, _, err = run(url, capsys, "server", "init")
    assert code == 2
    assert "不要写密码" in err and "PGPASSWORD" in err


def test_without_a_password_the_clerk_is_told_where_libpq_looks(pg, capsys, monkeypatch, tmp_path):
    url = pg.new_database()
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    code, _, err = run(url, capsys, "check", "--term", "2025-2026-1")
    assert code == 2
    assert "要求密码" in err and ".pgpass" in err


def test_the_password_from_pgpass(pg, capsys, monkeypatch, tmp_path):
    import pg_server

    url = pg.new_database()
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg.server.port}:*:{pg_server.USER}:{pg_server.PASSWORD}\n", "utf-8")
    passfile.chmod(0o600)
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    code, out, err = run(url, capsys, "init", "--policy", "hnust-2025")
    assert code == 0, err
    assert os.environ.get("PGPASSWORD") is None


def test_another_programs_database_is_refused_untouched(pg, capsys):
    import psycopg

    url = pg.new_database(prepared=False)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id serial primary key, amount numeric)")
    code, _, err = run(url, capsys, "server", "init")
    assert code == 2
    assert "invoices" in err
    with psycopg.connect(url) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"invoices"}


def test_an_unknown_database_and_a_closed_port_are_said_in_chinese(pg, capsys):
    code, _, err = run(pg.server.url("no_such_db"), capsys, "server", "init")
    assert code == 2 and "没有这个数据库" in err
    code, _, err = run("postgresql://liaison@127.0.0.1:1/x", capsys, "server", "init")
    assert code == 2 and "连接被拒绝" in err


def test_server_init_needs_a_server_address(tmp_path, capsys):
    code, _, err = run(str(tmp_path / "x.sqlite3"), capsys, "server", "init")
    assert code == 2 and "服务器地址" in err


def test_the_models_are_bound_to_the_server(pg):
    url = pg.new_database()
    storage.open_database(url, create=False)
    try:
        assert storage.is_server() and storage.server_url() == url
        assert storage.schema_version(storage.db.obj) == storage.SCHEMA_VERSION
    finally:
        storage.close_database()


def _rows(url_or_path) -> dict[str, list[tuple]]:
    """Every logged table's rows, values as text, for comparing a ledger on two engines."""
    from liaison_desk.store.copy import _models

    storage.open_database(url_or_path, create=False)
    try:
        out = {}
        for model in _models():
            meta = model._meta
            names = ", ".join(f'"{f.column_name}"' for f in meta.sorted_fields)
            rows = storage.db.execute_sql(f'SELECT {names} FROM "{meta.table_name}" ORDER BY 1').fetchall()
            out[meta.table_name] = [tuple(_text(v) for v in r) for r in rows]
        return out
    finally:
        storage.close_database()


def _text(value):
    """A value as both engines can agree on it. The change log's `at` is text on SQLite, written
    with a 'T' or a space (the canonical form is issue 17's); a server keeps the timestamp."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", value):
        return value.replace("T", " ")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, memoryview):
        return bytes(value)
    if hasattr(value, "isoformat"):
        return str(value)
    return value


def test_copy_sqlite_to_server_and_back_keeps_every_row_and_the_chain(pg, capsys, tmp_path):
    src = tmp_path / "office.sqlite3"
    assert main(["--db", str(src), "demo", "--cadres", "8", "--months", "3", "--end", "2025-12"]) == 0
    url = pg.new_database(prepared=False)
    code, out, err = run(url, capsys, "server", "init")
    assert code == 0, err
    assert main(["copy", "--from", str(src), "--to", url]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "副本校验通过" in out
    back = tmp_path / "back.sqlite3"
    assert main(["copy", "--from", url, "--to", str(back)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    original, on_server, returned = _rows(src), _rows(url), _rows(back)
    assert sum(len(r) for r in original.values()) > 500
    assert on_server == original
    assert returned == original
    for ledger in (url, str(back)):
        code, out, err = run(ledger, capsys, "verify")
        assert code == 0, err
    # the server goes on numbering after the copied rows: a normal add works
    code, _, err = run(url, capsys, "cadre", "add", "新来的处长", "--tier", "middle_head")
    assert code == 0, err


def test_copy_refuses_a_destination_that_holds_a_ledger(pg, capsys, tmp_path):
    src = tmp_path / "office.sqlite3"
    assert main(["--db", str(src), "init", "--policy", "hnust-2025"]) == 0
    url = pg.new_database()
    assert main(["--db", url, "init", "--policy", "hnust-2025"]) == 0
    capsys.readouterr()
    assert main(["copy", "--from", str(src), "--to", url]) == 2
    assert "不是空的" in capsys.readouterr().err
    assert main(["copy", "--from", str(src), "--to", str(src)]) == 2
    assert main(["copy", "--from", url, "--to", str(src)]) == 2
    assert "已存在" in capsys.readouterr().err


def test_backup_of_a_server_ledger_points_to_copy(pg, capsys):
    url = pg.new_database()
    assert run(url, capsys, "init", "--policy", "hnust-2025")[0] == 0
    code, _, err = run(url, capsys, "backup")
    assert code == 2 and "copy --from" in err and "pg_dump" in err
