"""Killing the program (SIGKILL) at random moments: the file stays sound, the change log and the
records agree, an import is wholly in or wholly out, and committed edits survive."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liaison_desk.store import storage
from liaison_desk.store.safety import quick_check
from liaison_desk.store.verify import verify

pytestmark = pytest.mark.sqlite_only("SIGKILL against SQLite's WAL file")

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("LIAISON_DESK_KILL_POINTS", "12"))


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def check_sound(path: Path) -> None:
    assert quick_check(path) == "ok"
    storage.open_database(path)
    try:
        report = verify(full=False)
        assert report.ok, report.problems[:3]
    finally:
        storage.close_database()


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_kill_during_a_large_import_leaves_it_all_or_nothing(tmp_path):
    rng = random.Random(20261127)
    full = None
    outcomes = {"none": 0, "all": 0}
    for i in range(KILLS):
        db = tmp_path / f"import-{i}.sqlite3"
        subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db), "init", "--policy", "hnust-2025"],
                       check=True, env=env(), capture_output=True)
        proc = subprocess.Popen([sys.executable, "-m", "liaison_desk", "--db", str(db), "demo", "--cadres", "120",
                                 "--months", "24", "--end", "2025-12"], env=env(),
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check_sound(db)
        n = count(db, "activity")
        if n == 0:
            assert count(db, "cadre") == 0 and count(db, "sheet") == 0
            outcomes["none"] += 1
        else:
            full = full or n
            assert n == full  # the whole import, never part of it
            outcomes["all"] += 1
    assert outcomes["none"] > 0  # the kill points did reach inside the import


EDITOR = r"""
import random, sys
from datetime import date
from liaison_desk.store import storage; from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity, update_activity, delete_activity

storage.open_database(sys.argv[1])
policy = settings.current_policy()
rng = random.Random(int(sys.argv[2]))
ids = []
n = 0
while True:
    r = rng.random()
    if r < 0.6 or not ids:
        when = date(2025, 10, rng.randint(1, 28))
        a = add_activity(ActivityInput("王芳", when, "进宿舍", summary=f"第{n}次"), policy)
        ids.append(a.id)
    elif r < 0.9:
        update_activity(rng.choice(ids), {"summary": f"改{n}", "people": rng.randint(1, 9)}, policy)
    else:
        delete_activity(ids.pop(rng.randrange(len(ids))))
    n += 1
    print(n, len(ids), flush=True)  # printed only after the edit's transaction committed
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_kill_while_editing_keeps_every_committed_edit(tmp_path):
    rng = random.Random(7)
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    for i in range(KILLS):
        db = tmp_path / f"edit-{i}.sqlite3"
        subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db), "init", "--policy", "moe-2019"],
                       check=True, env=env(), capture_output=True)
        subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db), "cadre", "add", "王芳", "--tier",
                        "leader"], check=True, env=env(), capture_output=True)
        proc = subprocess.Popen([sys.executable, str(script), str(db), str(i)], env=env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.6, 1.6))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        # The last line whole (a kill can cut the line being printed short).
        printed = [line.split() for line in out.splitlines() if len(line.split()) == 2]
        assert printed, err
        last_alive = int(printed[-1][1])
        check_sound(db)
        # Every edit acknowledged before the kill is in the file (one more may have committed
        # between its commit and its print).
        assert count(db, "activity") in (last_alive, last_alive + 1, last_alive - 1)
