"""Backups of the large ledger (#17): a backup as the program takes it (online copy, check, the
previous backup compressed, checked and read back), the close-time one (copy and check only),
and what rotation's backups take on disk.

    .venv/bin/python -m benchmarks.run --only backup --repeat 3

Each timed run also reports (under the table) the compressed size of the previous backup and the
space rotation would use: the newest plain + the rest compressed, for all of rotation's slots and
for as many as the space budget keeps.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from .run import ROOT, Benchmark, Run, ensure_large

SETUP = """
import os, sys
from datetime import datetime, timedelta
from pathlib import Path
from liaison_desk.store import backup, storage
storage.open_database(LARGE)
folder = backup.backup_folder()
previous = folder / f"liaison-desk-{datetime.now() - timedelta(days=1):%Y%m%d-%H%M%S}-daily.sqlite3"
backup.copy_file(Path(LARGE), previous)  # yesterday's backup, plain: this backup compresses it
"""

REPORT = """
packed = [b.path for b in backup.list_backups(folder) if b.packed]
plain = Path(LARGE).stat().st_size
slots = backup.KEEP_NEWEST + backup.KEEP_DAILY_DAYS + backup.KEEP_WEEKLY_WEEKS + backup.KEEP_MONTHLY_MONTHS
if packed:
    size = packed[0].stat().st_size
    fits = (backup.SPACE_BUDGET - plain) // size
    _note = (f"ledger {plain / 1e6:.0f} MB, compressed {size / 1e6:.1f} MB ({plain / size:.2f}x); "
             f"all {slots} slots: {(plain + (slots - 1) * size) / 1e9:.2f} GB; "
             f"within the {backup.SPACE_BUDGET / 1e9:.0f} GB budget: 1 plain + {fits} compressed = "
             f"{(plain + fits * size) / 1e9:.2f} GB")
"""


def _run(stmt: str, report: bool) -> Run:
    """Like run.time_in_process, with the size report after the timed part, passed to stderr."""
    code = ("import json, resource, time\n"
            f"LARGE = {str(ensure_large())!r}\n{SETUP}\n_t = time.perf_counter()\n{stmt}\n"
            "_s = time.perf_counter() - _t\n"
            "_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n_note = ''\n"
            f"{REPORT if report else ''}\n"
            "print(json.dumps([_s, _peak, _note]))\n")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIAISON_DESK_HOME": home, "XDG_CONFIG_HOME": home}
        out = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError("backup benchmark failed")
    seconds, peak, note = json.loads(out.stdout.strip().splitlines()[-1])
    return Run(seconds, peak, note)


def bench_backup() -> Run:
    return _run("backup.make_backup('daily')", report=True)


def bench_close_backup() -> Run:
    return _run("backup.make_backup('close', pack=False)", report=False)


BENCHMARKS = [
    Benchmark("backup of the large set (copy, check, pack previous)", 30.0, bench_backup, "#17"),
    Benchmark("close-time backup of the large set (copy, check)", 30.0, bench_close_backup, "#17"),
]
