"""台账校验码 (issue 14, defect 3): the chain's head printed on paper catches what the chain alone
cannot — a recomputed chain, a truncation, a lost session, a trigger added with another tool."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ledger_files import outside

from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.store import changelog, storage
from tests.paper_data import text

CODE = re.compile(r"台账校验码(\d+-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})")


def printed_code(pdf: bytes) -> str:
    """The code as a person reads it off the paper (every page carries the same one)."""
    found = set(CODE.findall(text(pdf)))
    assert len(found) == 1, found
    return found.pop()


@pytest.fixture
def reported(ledger, db_path):
    """Two activities, then October's monthly report printed: returns the code on the paper."""
    from liaison_desk.paper.report import monthly_report_pdf

    add_cadre("陈书记", "leader", "校领导班子", "党委书记")
    add_activity(ActivityInput("陈书记", date(2025, 10, 12), "进宿舍", summary="走访宿舍"), ledger)
    add_activity(ActivityInput("陈书记", date(2025, 10, 13), "进课堂", summary="听课"), ledger)
    code = printed_code(monthly_report_pdf("2025-10")[0])
    storage.close_database()
    return code


def run(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LIAISON_DESK_LOCK_WAIT": "1"})


def recompute_chain(conn: Any) -> None:
    """What a 40-line forging script does: recompute every hash, and the kept anchors with them."""
    prev = changelog.GENESIS
    new_hash: dict[int, str] = {}
    layouts = {i: c for i, c in conn.execute("SELECT id, columns FROM change_log_layout")}
    rows = conn.execute("SELECT id, at, actor, action, table_name, row_id, layout, before, after, legacy, login "
                        "FROM change_log ORDER BY id").fetchall()
    for entry_id, at, who, action, table, row_id, layout, before, after, legacy, login in rows:
        columns = layouts.get(layout)
        if table == "anchor" and after:
            names = json.loads(columns)
            values = dict(zip(names, json.loads(after), strict=True))
            values["hash"] = new_hash[values["entries"]]
            after = json.dumps([values[n] for n in names], ensure_ascii=False, separators=(",", ":"))
            conn.execute("UPDATE anchor SET hash = ? WHERE id = ?", (values["hash"], values["id"]))
        digest = changelog.digest(prev, at, who, action, table, row_id, columns, before, after, legacy, login)
        conn.execute("UPDATE change_log SET after = ?, hash = ? WHERE id = ?", (after, digest, entry_id))
        new_hash[entry_id] = digest.hex()
        prev = digest
    conn.commit()


def test_reports_and_signed_sheets_print_the_head_and_keep_it(ledger, db_path):
    from liaison_desk.paper.signing import sign_sheet
    from liaison_desk.store import anchor
    from liaison_desk.store.models import Anchor

    add_cadre("陈书记", "leader", "校领导班子", "党委书记")
    add_activity(ActivityInput("陈书记", date(2025, 10, 12), "进宿舍", summary="走访宿舍"), ledger)
    before = anchor.head()
    signed = sign_sheet("陈书记", "2025-10")
    assert printed_code(signed.pdf) == before.code
    kept = Anchor.select().order_by(Anchor.id.desc()).first()
    assert (kept.entries, kept.hash) == (before.entries, before.hash) and "陈书记" in kept.what


def test_a_recomputed_chain_passes_verify_but_not_the_printed_code(reported, db_path):
    conn = outside(db_path)
    conn.execute("UPDATE activity SET summary = '伪造的走访' WHERE id = 1")
    entry, after = conn.execute("SELECT id, after FROM change_log WHERE table_name = 'activity' "
                                "AND row_id = '1'").fetchone()
    conn.execute("UPDATE change_log SET after = ? WHERE id = ?",
                 (after.replace("走访宿舍", "伪造的走访"), entry))
    recompute_chain(conn)
    conn.close()
    assert run(db_path, "verify").returncode == 0  # the file alone cannot tell
    result = run(db_path, "verify", "--anchor", reported)
    assert result.returncode == 2
    assert f"台账校验码 {reported} 与今天台账第" in result.stderr and "改写" in result.stderr


def test_a_truncated_chain_is_caught_by_the_printed_code(reported, db_path):
    entries = int(reported.split("-")[0])
    conn = outside(db_path)  # delete the newest activity and everything logged from it on
    conn.execute("DELETE FROM anchor")
    conn.execute("DELETE FROM activity WHERE id = 2")
    conn.execute("DELETE FROM change_log WHERE id >= ?", (entries,))
    conn.commit()
    conn.close()
    assert run(db_path, "verify").returncode == 0
    result = run(db_path, "verify", "--anchor", reported)
    assert result.returncode == 2 and f"今天的台账只有 {entries - 1:,} 条" in result.stderr


LOST_SESSION = """
import os, signal, sys
from datetime import date
from liaison_desk.store import storage; from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.paper.report import monthly_report_pdf
storage.open_database(sys.argv[1], create=False)
policy = settings.current_policy()
add_activity(ActivityInput("陈书记", date(2025, 10, 20), "进食堂", summary="午餐"), policy)
pdf, _ = monthly_report_pdf("2025-10")
open(sys.argv[2], "wb").write(pdf)
os.kill(os.getpid(), signal.SIGKILL)  # a crash before the WAL is copied back into the file
"""


@pytest.mark.sqlite_only("the -wal file")
def test_a_session_lost_with_its_wal_file_is_caught_by_a_code_printed_in_it(reported, db_path, tmp_path):
    pdf = tmp_path / "report.pdf"
    crashed = subprocess.run([sys.executable, "-c", LOST_SESSION, str(db_path), str(pdf)], timeout=120)
    assert crashed.returncode == -signal.SIGKILL
    code = printed_code(pdf.read_bytes())
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0
    wal.unlink()  # "a stray file", deleted after the crash: the whole session is gone
    db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
    assert run(db_path, "verify").returncode == 0
    assert run(db_path, "verify", "--anchor", reported).returncode == 0  # printed before: still there
    result = run(db_path, "verify", "--anchor", code)
    assert result.returncode == 2 and "丢失" in result.stderr


#: The same tampering on a server ledger, in PostgreSQL's words.
ON_SERVER = {
    "CREATE TRIGGER tidy AFTER INSERT ON activity BEGIN DELETE FROM activity WHERE id = NEW.id; END":
        "CREATE FUNCTION tidy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM activity "
        "WHERE id = NEW.id; RETURN NULL; END $$; "
        "CREATE TRIGGER tidy AFTER INSERT ON activity FOR EACH ROW EXECUTE FUNCTION tidy()",
    "CREATE TRIGGER keep_old BEFORE UPDATE ON cadre BEGIN SELECT RAISE(IGNORE); END":
        "CREATE FUNCTION keep_old() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$; "
        "CREATE TRIGGER keep_old BEFORE UPDATE ON cadre FOR EACH ROW EXECUTE FUNCTION keep_old()",
}


def dialect(db_path: Path | str, sql: str) -> str:
    return ON_SERVER.get(sql, sql) if isinstance(db_path, str) else sql


def test_an_added_trigger_that_drops_activities_is_reported(reported, db_path):
    conn = outside(db_path)
    conn.execute(dialect(db_path, "CREATE TRIGGER tidy AFTER INSERT ON activity BEGIN DELETE FROM activity "
                                  "WHERE id = NEW.id; END"))
    conn.commit()
    conn.close()
    added = run(db_path, "activity", "add", "陈书记", "--date", "2025-10-21", "--category", "进课堂")
    assert added.returncode == 0  # the program cannot see the trigger at work…
    result = run(db_path, "verify", "--anchor", reported)
    assert result.returncode == 2 and "多了触发器“tidy”" in result.stderr  # …verify can


def test_a_mistyped_code_is_bad_input(reported, db_path):
    result = run(db_path, "verify", "--anchor", "12-XYZ")
    assert result.returncode == 2 and "不是台账校验码" in result.stderr


@pytest.mark.sqlite_only("backups of the file")
def test_a_ledger_behind_its_newest_backup_is_reported_when_opened(reported, db_path):
    assert run(db_path, "backup").returncode == 0
    conn = outside(db_path)  # cut the newest entries off (the anchor's, the last activity's)
    conn.execute("DELETE FROM anchor")
    conn.execute("DELETE FROM activity WHERE id = 2")
    conn.execute("DELETE FROM change_log WHERE id >= (SELECT MAX(id) - 1 FROM change_log)")
    conn.commit()
    conn.close()
    result = run(db_path, "cadre", "add", "林处长", "--tier", "middle_head")
    assert result.returncode == 0
    assert "注意：" in result.stderr and "比最新备份" in result.stderr


@pytest.mark.sqlite_only("backups of the file")
def test_a_ledger_continuing_its_backup_opens_without_a_warning(reported, db_path):
    assert run(db_path, "backup").returncode == 0
    result = run(db_path, "cadre", "add", "林处长", "--tier", "middle_head")
    assert result.returncode == 0 and result.stderr == ""


@pytest.mark.parametrize("sql, finding", [
    ("CREATE TRIGGER keep_old BEFORE UPDATE ON cadre BEGIN SELECT RAISE(IGNORE); END", "多了触发器“keep_old”"),
    ("CREATE VIEW everyone AS SELECT * FROM cadre", "多了视图“everyone”"),
    ("CREATE UNIQUE INDEX one_a_day ON activity (cadre_id, date)", "多了索引“one_a_day”"),
    ("DROP INDEX activity_date", "缺少索引“activity_date”"),
    ("ALTER TABLE activity ADD COLUMN hidden TEXT", "表“activity”与本程序建立的不同"),
])
def test_verify_compares_the_schema_with_the_programs(reported, db_path, sql, finding):
    assert run(db_path, "verify").returncode == 0
    conn = outside(db_path)
    conn.execute(dialect(db_path, sql))
    conn.commit()
    conn.close()
    result = run(db_path, "verify")
    assert result.returncode == 2 and finding in result.stderr
