"""Several clerks writing to one server ledger at once (issue 18): every acknowledged write is
there, the change-log chain does not fork, `verify` passes, and a sign racing an add either seals
the addition or refuses it. Real processes against the session's real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from liaison_desk.cli.main import main
from liaison_desk.store import storage
from liaison_desk.store.verify import verify

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from datetime import date
from liaison_desk.store import storage
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
url, cadre, tag, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
storage.open_database(url, create=False)
policy = settings.current_policy()
for i in range(n):
    a = add_activity(ActivityInput(cadre, date(2025, 10, 1 + i % 28), "进食堂", summary=f"{tag}-{i}"), policy)
    print(a.id, flush=True)  # acknowledged: the transaction committed
"""


def _prepare(url: str, cadres: tuple[str, ...]) -> None:
    assert main(["--db", url, "init", "--policy", "hnust-2025"]) == 0
    for name in cadres:
        assert main(["--db", url, "cadre", "add", name, "--tier", "middle_head", "--unit", "学生工作部"]) == 0


def _writers(url: str, jobs: list[tuple[str, str, int]]) -> list[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return [subprocess.Popen([sys.executable, "-c", WRITER, url, cadre, tag, str(n)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for cadre, tag, n in jobs]


def test_four_writers_at_once_lose_nothing_and_the_chain_does_not_fork(pg):
    url = pg.new_database()
    _prepare(url, ("王处长", "李处长", "赵处长"))
    # two writers on the same cadre's sheet for the same month (the sheet is made by whichever comes first)
    jobs = [("王处长", "a", 40), ("王处长", "b", 40), ("李处长", "c", 40), ("赵处长", "d", 40)]
    acknowledged: set[int] = set()
    for proc in _writers(url, jobs):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        acknowledged |= {int(line) for line in out.split()}
    assert len(acknowledged) == 160
    with psycopg.connect(url) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM activity")}
        sheets = conn.execute("SELECT count(*) FROM sheet WHERE month = '2025-10'").fetchone()[0]
    assert acknowledged <= stored
    assert sheets == 3  # one per cadre, however the writers raced to make it
    # verify recomputes each entry's hash from the entry before it: two entries appended after the
    # same one (a fork) fail it.
    storage.open_database(url, create=False)
    try:
        report = verify()
        assert report.ok, report.problems[:5]
    finally:
        storage.close_database()


def test_a_sign_racing_an_add_seals_the_addition_or_refuses_it(pg, capsys):
    url = pg.new_database()
    _prepare(url, ("王处长",))
    assert main(["--db", url, "activity", "add", "王处长", "--date", "2025-10-02", "--category", "进食堂"]) == 0
    [writer] = _writers(url, [("王处长", "racing", 200)])
    first = writer.stdout.readline()  # the writer is under way
    assert first.strip(), writer.stderr.read()
    signed = main(["--db", url, "sign", "--cadre", "王处长", "--month", "2025-10"])
    out, err = writer.communicate(timeout=300)
    added = 1 + len(out.split())
    capsys.readouterr()
    storage.open_database(url, create=False)
    try:
        from liaison_desk.paper.sheet_content import sheet_content
        from liaison_desk.paper.signing import seal_intact

        content = sheet_content("王处长", "2025-10")
        if signed == 0:
            assert content.signed and seal_intact(content)  # what the seal covers is what the month holds
            assert added < 200 and "签字封存" in err  # the writer was refused from the sign on
        assert verify().ok
    finally:
        storage.close_database()


EDITOR = r"""
import sys
from liaison_desk.store import storage
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import update_activity
url, activity, field, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
storage.open_database(url, create=False)
policy = settings.current_policy()
for i in range(n):
    update_activity(activity, {field: f"{field}-{i}" if field != "people" else i + 1}, policy)
"""


def test_two_clerks_editing_different_cells_of_one_activity_both_keep_their_value(pg):
    url = pg.new_database()
    _prepare(url, ("王处长",))
    assert main(["--db", url, "activity", "add", "王处长", "--date", "2025-10-02", "--category", "进食堂"]) == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    editors = [subprocess.Popen([sys.executable, "-c", EDITOR, url, "1", field, "60"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for field in ("summary", "people")]
    for proc in editors:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with psycopg.connect(url) as conn:
        summary, people = conn.execute("SELECT summary, people FROM activity WHERE id = 1").fetchone()
    assert (summary, people) == ("summary-59", 60)  # neither clerk's last value was overwritten
    storage.open_database(url, create=False)
    try:
        assert verify().ok
    finally:
        storage.close_database()


OPENER = r"""
import sys
from liaison_desk.store import storage
storage.open_database(sys.argv[1], create=False)
print(storage.schema_version(storage.db.obj))
"""


def test_two_clients_opening_an_old_server_ledger_at_once_migrate_it_once(pg):
    from liaison_desk.store import server
    from liaison_desk.store.models import CURRENT_MODELS, SchemaVersion, db

    url = pg.new_database(prepared=False)
    database = server.connect(url)
    db.initialize(database)
    with database.atomic():  # a ledger made by version 7, before a form's own fields (activity.extra)
        database.create_tables(CURRENT_MODELS)
        database.execute_sql("ALTER TABLE activity DROP COLUMN extra")
        SchemaVersion.create(version=7)
        database.execute_sql("INSERT INTO setting (key, value) VALUES ('school_name', '湖南科技大学')")
    database.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    openers = [subprocess.Popen([sys.executable, "-c", OPENER, url], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in openers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert out.strip() == str(storage.SCHEMA_VERSION)
    with psycopg.connect(url) as conn:
        versions = conn.execute("SELECT version FROM schema_version").fetchall()
        columns = {r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'activity'")}
    assert versions == [(storage.SCHEMA_VERSION,)]  # migrated once: one version row, not three
    assert "extra" in columns  # v8's column, added on PostgreSQL by playhouse's migrator


def test_a_server_ledger_older_than_the_compact_log_is_refused_untouched(pg):
    from liaison_desk.errors import BadInput
    from liaison_desk.store import server
    from liaison_desk.store.models import CURRENT_MODELS, SchemaVersion, db

    url = pg.new_database(prepared=False)
    database = server.connect(url)
    db.initialize(database)
    with database.atomic():
        database.create_tables(CURRENT_MODELS)
        SchemaVersion.create(version=5)
    database.close()
    with pytest.raises(BadInput, match="copy"):
        storage.open_database(url, create=False)
    storage.close_database()
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(5,)]


def test_a_write_the_server_aborted_as_a_deadlock_victim_is_tried_again(pg, monkeypatch):
    """The first attempt of an edit gets the server's deadlock error (40P01, raised by the server
    inside the edit's transaction, as when two clerks' writes wait on each other); the edit is
    rolled back whole and tried again, and the clerk sees it saved once."""
    from datetime import date

    from liaison_desk.ledger import settings
    from liaison_desk.ledger.activities import ActivityInput, add_activity, update_activity
    from liaison_desk.store import changelog

    url = pg.new_database()
    _prepare(url, ("王处长",))
    storage.open_database(url, create=False)
    try:
        policy = settings.current_policy()
        activity = add_activity(ActivityInput("王处长", date(2025, 10, 2), "进食堂"), policy)
        real_record, attempts = changelog.record, []

        def record_once_a_victim(*args, **kwargs):
            entry = real_record(*args, **kwargs)
            if not attempts:
                attempts.append(1)
                storage.db.execute_sql("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01', "
                                       "MESSAGE = 'deadlock detected'; END $$")
            return entry

        monkeypatch.setattr(changelog, "record", record_once_a_victim)
        updated = update_activity(activity.id, {"summary": "保存一次"}, policy)
        assert attempts == [1] and updated.summary == "保存一次"
        logged = [e.after for e in changelog.ChangeLog.select().where(changelog.ChangeLog.table == "activity")]
        assert sum("保存一次" in (a or "") for a in logged) == 1  # the aborted attempt left nothing
        assert verify().ok
    finally:
        storage.close_database()


CLERK = r"""
import json, sys
from datetime import date
from liaison_desk.errors import BadInput
from liaison_desk.store import storage
from liaison_desk.store.models import Activity
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity, update_activity
url, cadre, tag, field = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[6]
n, shared = int(sys.argv[4]), int(sys.argv[5])
storage.open_database(url, create=False)
policy = settings.current_policy()
for i in range(n):
    if field != "-" and i % 2:  # an edit of the shared activity, as a clerk's grid shows it
        shown = Activity.get_by_id(shared)
        value = f"{tag}-{i}" if field == "summary" else 1000 * (ord(tag) - 96) + i
        try:
            update_activity(shared, {field: value}, policy, seen=shown.updated_at)
        except BadInput as e:
            assert "已被" in e.message, e.message
            print(json.dumps({"refused": i}), flush=True)
            continue
        print(json.dumps({"edit": value, "field": field, "summary": shown.summary, "people": shown.people}), flush=True)
    else:
        a = add_activity(ActivityInput(cadre, date(2025, 10, 1 + i % 28), "进食堂", summary=f"{tag}-{i}"), policy)
        print(json.dumps({"add": a.id}), flush=True)  # acknowledged: the transaction committed
"""


def test_four_clerks_times_two_hundred_writes_lose_nothing_and_overwrite_nothing_unseen(pg):
    """The issue's size: 4 processes × 200 writes. Two add to the same cadre's sheet and edit the
    summary of one activity from their stale-checked grids; a third edits its 人数; the fourth adds
    to another cadre. Every acknowledged write is in the database; each acknowledged edit was made
    over exactly the values its clerk saw (the log's `before`), so none silently overwrote another
    clerk's change — the others were refused; verify passes, so the chain has no fork."""
    import json

    from liaison_desk.store import changelog

    url = pg.new_database()
    _prepare(url, ("王处长", "李处长", "赵处长"))
    assert main(["--db", url, "activity", "add", "王处长", "--date", "2025-10-02", "--category", "进食堂",
                 "--summary", "共同的"]) == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    jobs = [("王处长", "a", "summary"), ("王处长", "b", "summary"), ("赵处长", "c", "people"), ("李处长", "d", "-")]
    clerks = [subprocess.Popen([sys.executable, "-c", CLERK, url, cadre, tag, "200", "1", field], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for cadre, tag, field in jobs]
    said = []
    for proc in clerks:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        said.append([json.loads(line) for line in out.splitlines()])
    assert [len(lines) for lines in said] == [200] * 4  # every write answered: saved or refused
    added = {s["add"] for lines in said for s in lines if "add" in s}
    edits = [s for lines in said for s in lines if "edit" in s]
    refused = sum("refused" in s for lines in said for s in lines)
    assert len(added) == 100 + 100 + 100 + 200 and len(edits) + refused == 300 and edits
    with psycopg.connect(url) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM activity")}
        sheets = conn.execute("SELECT count(*) FROM sheet WHERE month = '2025-10'").fetchone()[0]
        summary, people = conn.execute("SELECT summary, people FROM activity WHERE id = 1").fetchone()
    assert added <= stored and len(stored) == 501 and sheets == 3
    storage.open_database(url, create=False)
    try:
        logged = [changelog.decoded(e) for e in changelog.ChangeLog.select().where(
            (changelog.ChangeLog.table == "activity") & (changelog.ChangeLog.row_id == "1")
            & (changelog.ChangeLog.action == "update")).order_by(changelog.ChangeLog.id)]
        assert len(logged) == len(edits)  # every acknowledged edit logged, none beside them
        for edit in edits:
            field, value = edit["field"], edit["edit"]
            [entry] = [e for e in logged if e.before and e.after and e.after[field] == value != e.before[field]]
            # saved over what its clerk's screen showed, not over a change the clerk never saw
            assert (entry.before["summary"], entry.before["people"]) == (edit["summary"], edit["people"])
        assert (summary, people) == (logged[-1].after["summary"], logged[-1].after["people"])
        report = verify()  # recomputes each entry from the one before: a fork fails it
        assert report.ok, report.problems[:5]
    finally:
        storage.close_database()
