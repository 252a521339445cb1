"""Clerks and colleges on a real PostgreSQL server (#19): a college secretary's login, through
psql (psycopg here, as psql would send it), reads and changes only its units' rows and cannot
touch the change log; the office's login can; every command only the office may run is refused
with exit 2 and nothing changed; the change log of a mixed session names each entry's login; a
secretary's verify checks what it can see, without false alarms.

Runs in both test passes on the session's server (the `pg` fixture). Logins belong to the whole
server, so each test's clerks are named after its database."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import psycopg
import pytest
from ledger_files import dump

from liaison_desk.cli.main import main

COLLEGE_PW, OFFICE_PW = "college-secret-1", "office-secret-1"


class Shared:
    """A server ledger with demo data, one college secretary (unit A) and one office clerk."""

    def __init__(self, pg, capsys, monkeypatch, cadres: int = 12, months: int = 2) -> None:
        import pg_server

        self.capsys, self.monkeypatch, self.owner_pw = capsys, monkeypatch, pg_server.PASSWORD
        self.url = pg.new_database()
        name = self.url.rsplit("/", 1)[1]
        self.college, self.office = f"wang_{name}", f"li_{name}"
        assert self.run("demo", "--cadres", str(cadres), "--months", str(months), "--end", "2025-11")[0] == 0
        with self.owner() as c:
            units = c.execute("SELECT u.id, u.name FROM cadre JOIN unit u ON u.id = cadre.unit_id "
                              "GROUP BY u.id, u.name ORDER BY count(*) DESC, u.name").fetchall()
        (self.unit_a_id, self.unit_a), (self.unit_b_id, self.unit_b) = units[0], units[1]
        code, _, err = self.run("clerk", "add", self.college, "--units", self.unit_a, "--name", "王秘书",
                                "--password-stdin", stdin=COLLEGE_PW + "\n")
        assert code == 0, err
        code, _, err = self.run("clerk", "add", self.office, "--office", "--name", "李主任",
                                "--password-stdin", stdin=OFFICE_PW + "\n")
        assert code == 0, err

    def url_of(self, login: str | None) -> str:
        return self.url if login is None else self.url.replace("liaison@", f"{login}@")

    def run(self, *args: str, login: str | None = None, stdin: str = "") -> tuple[int, str, str]:
        """The CLI in-process as `login` (None: the database's owner), its password from PGPASSWORD."""
        password = {self.college: COLLEGE_PW, self.office: OFFICE_PW}.get(login or "", self.owner_pw)
        self.monkeypatch.setenv("PGPASSWORD", password)
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = main(["--db", self.url_of(login), *args])
        finally:
            self.monkeypatch.setenv("PGPASSWORD", self.owner_pw)
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def owner(self) -> psycopg.Connection:
        return psycopg.connect(self.url, password=self.owner_pw)

    def psql(self, login: str) -> psycopg.Connection:
        """A clerk with psql: the database, not the program, decides what it sees."""
        password = COLLEGE_PW if login == self.college else OFFICE_PW
        return psycopg.connect(self.url_of(login), password=password)

    def cadre_of(self, unit_id: int) -> tuple[int, str]:
        with self.owner() as c:
            return c.execute("SELECT id, name FROM cadre WHERE unit_id = %s ORDER BY id LIMIT 1", (unit_id,)).fetchone()


@pytest.fixture
def shared(pg, capsys, monkeypatch) -> Shared:
    return Shared(pg, capsys, monkeypatch)


def counts(conn: psycopg.Connection, unit_id: int) -> dict[str, int]:
    """Rows of one unit's cadres, table by table, as this connection sees them."""
    mine = "cadre_id IN (SELECT id FROM cadre WHERE unit_id = %s)"
    return {
        "cadre": conn.execute("SELECT count(*) FROM cadre WHERE unit_id = %s", (unit_id,)).fetchone()[0],
        "activity": conn.execute(f"SELECT count(*) FROM activity WHERE {mine}", (unit_id,)).fetchone()[0],
        "sheet": conn.execute(f"SELECT count(*) FROM sheet WHERE {mine}", (unit_id,)).fetchone()[0],
        "assignment": conn.execute(f"SELECT count(*) FROM assignment WHERE {mine}", (unit_id,)).fetchone()[0],
        "problem": conn.execute(f"SELECT count(*) FROM problem WHERE {mine}", (unit_id,)).fetchone()[0],
    }


def test_a_college_login_through_psql_sees_and_changes_only_its_units_rows(shared):
    with shared.owner() as owner:
        all_a, all_b = counts(owner, shared.unit_a_id), counts(owner, shared.unit_b_id)
        log_b = owner.execute("SELECT count(*) FROM change_log WHERE table_name = 'activity' AND row_id IN "
                              "(SELECT a.id::text FROM activity a JOIN cadre c ON c.id = a.cadre_id "
                              "WHERE c.unit_id = %s)", (shared.unit_b_id,)).fetchone()[0]
    assert all_a["activity"] > 0 and all_b["activity"] > 0 and all_b["sheet"] > 0 and log_b > 0
    b_cadre, _ = shared.cadre_of(shared.unit_b_id)
    a_cadre, _ = shared.cadre_of(shared.unit_a_id)
    with shared.psql(shared.college) as college:
        assert counts(college, shared.unit_a_id) == all_a  # its own unit: everything
        assert counts(college, shared.unit_b_id) == dict.fromkeys(all_b, 0)  # another unit: nothing
        assert college.execute("SELECT count(*) FROM change_log WHERE table_name = 'activity' AND row_id IN "
                               "(SELECT a.id::text FROM activity a WHERE a.cadre_id = %s)",
                               (b_cadre,)).fetchone()[0] == 0
        # Changing another unit's rows: they are not there to change, and cannot be added.
        assert college.execute("UPDATE activity SET summary = '改' WHERE cadre_id = %s", (b_cadre,)).rowcount == 0
        assert college.execute("DELETE FROM sheet WHERE cadre_id = %s", (b_cadre,)).rowcount == 0
        college.commit()
        for sql, params in [
            ("INSERT INTO activity (cadre_id, date, category, carrier, summary, face_to_face, problems, created_at, "
             "updated_at) VALUES (%s, '2025-11-03', '进班级', '', '冒名', false, '', now(), now())", (b_cadre,)),
            ("UPDATE cadre SET unit_id = %s WHERE id = %s", (shared.unit_b_id, a_cadre)),  # moving a cadre away
            ("UPDATE change_log SET actor = '别人' WHERE id = 1", ()),
            ("DELETE FROM change_log WHERE id = (SELECT max(id) FROM change_log)", ()),
            ("UPDATE setting SET value = '{}' WHERE key = 'policy'", ()),
            ("INSERT INTO term (id, start, \"end\", holidays) "
             "VALUES ('2099-2100-1', '2099-09-01', '2100-01-15', '[]')", ()),
            ("UPDATE sheet SET status = 'signed', signed_at = now() WHERE cadre_id = %s", (a_cadre,)),
            ("INSERT INTO change_log (at, actor, action, table_name, row_id, hash, login) "
             "VALUES (1, '王秘书', 'insert', 'activity', '1', '\\x00', 'someone_else')", ()),
        ]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                college.execute(sql, params)
            college.rollback()
    with shared.owner() as owner:  # nothing the college tried reached the ledger
        assert counts(owner, shared.unit_a_id) == all_a and counts(owner, shared.unit_b_id) == all_b
        assert owner.execute("SELECT count(*) FROM activity WHERE summary IN ('改', '冒名')").fetchone()[0] == 0
        assert owner.execute("SELECT count(*) FROM sheet WHERE status = 'signed'").fetchone()[0] == 0
    with shared.psql(shared.office) as office:  # the office's login: everything, and may change it
        assert counts(office, shared.unit_b_id) == all_b and counts(office, shared.unit_a_id) == all_a
        assert office.execute("UPDATE activity SET summary = summary WHERE cadre_id = %s", (b_cadre,)).rowcount > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the log: for nobody to rewrite
            office.execute("UPDATE change_log SET actor = '别人' WHERE id = 1")
        office.rollback()


def test_every_office_only_command_is_refused_for_a_college_clerk_and_nothing_changes(shared, tmp_path: Path):
    _, a_name = shared.cadre_of(shared.unit_a_id)
    assert shared.run("sign", "--cadre", a_name, "--month", "2025-10")[0] == 0  # the office signed it
    roster = tmp_path / "名册.xlsx"
    assert shared.run("template", "cadres", str(roster))[0] == 0
    policy = tmp_path / "制度.toml"
    assert shared.run("policy", "export", str(policy))[0] == 0
    before = dump(shared.url)
    refused = [
        ("sign", "--cadre", a_name, "--month", "2025-11"),
        ("sheet", "revise", "--cadre", a_name, "--month", "2025-10", "--reason", "补录"),
        ("policy", "import", str(policy)),
        ("term", "set", "2099-2100-1", "--start", "2099-09-01", "--end", "2100-01-15"),
        ("import", "cadres", str(roster)),
        ("clerk", "add", "someone", "--office", "--no-password"),
    ]
    for command in refused:
        code, out, err = shared.run(*command, login=shared.college)
        assert code == 2, (command, out, err)
        assert "只有党委办公室可以" in err and "王秘书" in err, (command, err)
        assert "Traceback" not in err
    # A copy of the ledger as a secretary sees it would be one with holes: refused, no file left.
    shared.monkeypatch.setenv("PGPASSWORD", COLLEGE_PW)
    code = main(["copy", "--from", shared.url_of(shared.college), "--to", str(tmp_path / "副本.sqlite3")])
    shared.monkeypatch.setenv("PGPASSWORD", shared.owner_pw)
    assert code == 2 and "只有党委办公室可以复制" in shared.capsys.readouterr().err
    assert not (tmp_path / "副本.sqlite3").exists()
    assert dump(shared.url) == before  # not one row, not one log entry
    # In psql the signed month is as closed: its activities cannot be changed, added to or removed.
    a_id, _ = shared.cadre_of(shared.unit_a_id)
    with shared.psql(shared.college) as college:
        assert college.execute("UPDATE activity SET summary = '改' WHERE cadre_id = %s AND date >= '2025-10-01' "
                               "AND date < '2025-11-01'", (a_id,)).rowcount == 0
        assert college.execute("DELETE FROM activity WHERE cadre_id = %s AND date >= '2025-10-01' "
                               "AND date < '2025-11-01'", (a_id,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            college.execute("INSERT INTO activity (cadre_id, date, category, carrier, summary, face_to_face, "
                            "problems, created_at, updated_at) VALUES (%s, '2025-10-30', '进班级', '', '补一条', "
                            "false, '', now(), now())", (a_id,))
    assert dump(shared.url) == before
    # The same commands are the office clerk's to run, signing and adding a secretary among them.
    code, _, err = shared.run("sign", "--cadre", a_name, "--month", "2025-11", login=shared.office)
    assert code == 0, err
    assert shared.run("term", "set", "2099-2100-1", "--start", "2099-09-01", "--end", "2100-01-15",
                      login=shared.office)[0] == 0
    zhao = f"zhao_{shared.url.rsplit('/', 1)[1]}"
    code, out, err = shared.run("clerk", "add", zhao, "--units", shared.unit_b, "--name", "赵秘书",
                                "--password-stdin", login=shared.office, stdin="zhao-secret-1\n")
    assert code == 0, err
    with psycopg.connect(shared.url_of(zhao), password="zhao-secret-1") as zhao_psql:
        assert counts(zhao_psql, shared.unit_b_id) == counts(shared.owner(), shared.unit_b_id)
        assert counts(zhao_psql, shared.unit_a_id)["activity"] == 0
    code, out, err = shared.run("clerk", "remove", zhao, login=shared.office)
    assert code == 0, err
    with pytest.raises(psycopg.OperationalError):  # the login is gone
        psycopg.connect(shared.url_of(zhao), password="zhao-secret-1")


def test_a_college_clerks_check_covers_its_units_and_says_so(shared):
    with shared.owner() as owner:
        a_names = {n for (n,) in owner.execute("SELECT name FROM cadre WHERE unit_id = %s", (shared.unit_a_id,))}
        every = {n for (n,) in owner.execute("SELECT name FROM cadre")}
    code, out, err = shared.run("check", "--term", "2025-2026-1", "--format", "json", login=shared.college)
    assert code == 0, err
    assert f"范围：{shared.unit_a}" in err
    import json

    seen = {r["cadre"] for r in json.loads(out)}
    assert seen and seen <= a_names
    code, out, err = shared.run("check", "--term", "2025-2026-1", "--format", "json", login=shared.office)
    seen = {r["cadre"] for r in json.loads(out)}
    assert seen <= every and seen - a_names and "范围" not in err


def test_the_change_log_of_a_mixed_session_names_each_entrys_login(shared):
    _, a_name = shared.cadre_of(shared.unit_a_id)
    _, b_name = shared.cadre_of(shared.unit_b_id)
    for login, who, summary in [(shared.college, a_name, "学院录入"), (shared.office, b_name, "党办录入"),
                                (None, a_name, "管理员录入")]:
        code, _, err = shared.run("activity", "add", who, "--date", "2025-11-20", "--category", "进班级",
                                  "--summary", summary, login=login)
        assert code == 0, err
    code, out, _ = shared.run("log", "--last", "6", login=shared.office)
    assert code == 0
    lines = [line for line in out.splitlines() if "activity#" in line]
    assert [line.split("\t")[2] for line in lines[-3:]] == [
        f"王秘书（登录 {shared.college}）", f"李主任（登录 {shared.office}）", "liaison（登录 liaison）"]
    with shared.owner() as owner:
        logins = [r[0] for r in owner.execute(
            "SELECT login FROM change_log WHERE table_name = 'activity' ORDER BY id DESC LIMIT 3")]
    assert logins == ["liaison", shared.office, shared.college]
    # Three logins wrote one after another: one chain, no fork; verify in full is the office's.
    code, out, err = shared.run("verify", login=shared.office)
    assert code == 0, err
    assert "只核验了" not in out


def test_a_college_clerks_verify_checks_what_it_sees_without_false_alarms(pg, capsys, monkeypatch):
    # Enough data that the demo's log is packed in blocks of 4,096 entries mixing every unit's rows.
    shared = Shared(pg, capsys, monkeypatch, cadres=30, months=12)
    with shared.owner() as owner:
        assert owner.execute("SELECT count(*) FROM change_log_pack").fetchone()[0] > 0
    a_id, a_name = shared.cadre_of(shared.unit_a_id)
    with shared.owner() as owner:
        (stays,) = owner.execute("SELECT name FROM cadre WHERE unit_id = %s AND id <> %s ORDER BY id LIMIT 1",
                                 (shared.unit_a_id, a_id)).fetchone()
    assert shared.run("activity", "add", stays, "--date", "2025-11-21", "--category", "进班级",
                      "--summary", "学院录入", login=shared.college)[0] == 0
    # The office moves one of unit A's cadres to unit B: its rows, and their history, go with it.
    from liaison_desk.ledger import roster
    from liaison_desk.store import storage

    shared.monkeypatch.setenv("PGPASSWORD", shared.owner_pw)
    storage.open_database(shared.url)
    try:
        roster.update_cadre(a_id, {"unit": shared.unit_b})
    finally:
        storage.close_database()
    code, out, err = shared.run("verify", login=shared.college)
    assert code == 0, err
    assert "只核验了" in out and shared.unit_a in out
    assert shared.run("verify")[0] == 0  # and the office's full verify agrees
    assert "打包保存" in out  # the packed entries it cannot read are said, not counted as passed
    # A row of unit A changed outside the program (with the owner's psql): the secretary's verify
    # sees it (a row whose history is packed with other units' is the office's verify's to check).
    with shared.owner() as owner:
        row = owner.execute("SELECT id FROM activity WHERE summary = '学院录入'").fetchone()[0]
        owner.execute("UPDATE activity SET summary = '被改' WHERE id = %s", (row,))
    code, _, err = shared.run("verify", login=shared.college)
    assert code == 2
    assert f"活动 #{row}" in err and "在程序之外被改动" in err
