"""Benchmarks on the large demo data set (600 cadres × 120 months, about a million activities).

    .venv/bin/python -m benchmarks.run [--repeat N] [--only NAME[|NAME…]] [--issue N]

`--issue 18` runs the engine comparison: each figure on SQLite and on a PostgreSQL server the run
starts itself (bench_server.py), with the ratios.

Not part of the test run. Builds the data set once into benchmarks/.data/, then times each
benchmark as a separate process (wall time, median of N runs; peak memory of the process) and
prints a table with the issue's budget beside each figure. Later issues add rows to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
LARGE = DATA / "large-600x120.sqlite3"
LARGE_ARGS = ["--cadres", "600", "--months", "120", "--seed", "1", "--end", "2026-10", "--policy", "hnust-2025"]


@dataclass
class Run:
    seconds: float
    peak_mb: float
    note: str = ""  # printed under the table (a size, say)


def run_process(args: list[str], env: dict[str, str] | None = None, until: str | None = None) -> Run:
    """Run one command; wall time (to the line `until` on stdout, if given, else to its exit) and
    the child's peak resident memory."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=full_env, stdout=subprocess.PIPE if until else subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    seconds = None
    if until and proc.stdout is not None:
        for line in proc.stdout:
            if until in line.decode(errors="replace"):
                seconds = time.perf_counter() - started
                break
    _, status, usage = os.wait4(proc.pid, 0)
    if seconds is None:
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def time_in_process(setup: str, stmt: str, env: dict[str, str] | None = None) -> Run:
    """Time `stmt` alone (after `setup`) in a fresh process on the large data set.

    `setup` and `stmt` are Python source; `setup` may use LARGE (the path of the large ledger)
    and usually opens it with `storage.open_database(LARGE)`. Peak memory is the whole process's.
    """
    code = (
        "import json, resource, sys, time\n"
        f"LARGE = {str(ensure_large())!r}\n"
        f"{setup}\n"
        "_t = time.perf_counter()\n"
        f"{stmt}\n"
        "_s = time.perf_counter() - _t\n"
        "print(json.dumps([_s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))\n"
    )
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    out = subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True,
                         cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark failed: {out.stderr[-2000:]}")
    seconds, peak = json.loads(out.stdout.strip().splitlines()[-1])
    return Run(seconds, peak)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "liaison_desk", *args]


def ensure_large() -> Path:
    if not LARGE.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = LARGE.with_suffix(".building")
        for p in DATA.glob(tmp.name + "*"):
            p.unlink()
        print(f"building the large data set into {LARGE} …", file=sys.stderr)
        run_process(cli("--db", str(tmp), "demo", *LARGE_ARGS))
        subprocess.run([sys.executable, "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                        "c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()", str(tmp)], check=True)
        tmp.rename(LARGE)
        for p in DATA.glob(tmp.name + "-*"):
            p.unlink()
    return LARGE


@dataclass
class Benchmark:
    name: str
    budget_s: float
    fn: Callable[[], Run]
    issue: str


#: Modules under benchmarks/ that each define BENCHMARKS: list[Benchmark].
MODULES = ["bench_core", "bench_entry", "bench_compliance", "bench_paper", "bench_excel", "bench_packaging",
           "bench_backup", "bench_docx", "bench_ledger_size", "bench_server"]


def all_benchmarks() -> list[Benchmark]:
    found: list[Benchmark] = []
    for name in MODULES:
        found.extend(importlib.import_module(f"benchmarks.{name}").BENCHMARKS)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="run benchmarks whose name contains this (several: a|b)")
    parser.add_argument("--issue", default="", help="run the benchmarks of this issue (e.g. 17)")
    args = parser.parse_args()
    ensure_large()
    print(ledger_sizes(LARGE))
    rows = []
    notes: list[str] = []
    for b in all_benchmarks():
        chosen = not args.only or any(part in b.name for part in args.only.split("|"))
        if not chosen or (args.issue and b.issue != f"#{args.issue.lstrip('#')}"):
            continue
        repeat = max(1, args.repeat if b.budget_s <= 10 else min(args.repeat, 3))
        runs = [b.fn() for _ in range(repeat)]
        median = statistics.median(r.seconds for r in runs)
        peak = max(r.peak_mb for r in runs)
        rows.append((b.name, median, min(r.seconds for r in runs), repeat, b.budget_s, peak, b.issue))
        notes.extend(f"{b.name}: {r.note}" for r in runs[-1:] if r.note)
        print(f"  {b.name}: {', '.join(f'{r.seconds:.2f}' for r in runs)} s", file=sys.stderr)
    print(f"{'benchmark':<42} {'median s':>9} {'best s':>8} {'runs':>5} {'budget s':>9} {'peak MB':>8}  ok")
    for name, median, best, n, budget, peak, issue in rows:
        ok = "yes" if median <= budget else "NO"
        print(f"{name:<42} {median:9.3f} {best:8.3f} {n:5d} {budget:9.1f} {peak:8.0f}  {ok} ({issue})")
    medians = {r[0]: r[1] for r in rows}
    from .bench_server import RATIOS as ENGINE_RATIOS

    for name, floor in RATIOS + ENGINE_RATIOS:
        if name in medians and floor in medians:
            print(f"{name} / {floor}: {medians[name] / medians[floor]:.2f}x")
    for note in notes:
        print(note)
    return 0 if all(r[1] <= r[4] for r in rows) else 1


#: (benchmark, the floor it is judged against) printed as a ratio (#17 aims at an import ≤ 3× a
#: bare calamine read of the same file).
RATIOS = [("excel: import 100,000 ledger rows", "excel: bare calamine read (the floor)"),
          ("excel: re-import them (all unchanged)", "excel: bare calamine read (the floor)")]


def ledger_sizes(path: Path) -> str:
    """The large ledger's size, and the change log's beside the activity table's (indexes included)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sizes = dict(conn.execute("SELECT CASE WHEN name LIKE 'activity%' THEN 'activity' "
                                  "WHEN name LIKE 'change_log%' THEN 'change_log' ELSE 'other' END, sum(pgsize) "
                                  "FROM dbstat GROUP BY 1").fetchall())
    except sqlite3.OperationalError:  # an SQLite built without dbstat
        sizes = {}
    finally:
        conn.close()
    mb = 1e6
    return (f"large ledger {path.stat().st_size / mb:.0f} MB: change log {sizes.get('change_log', 0) / mb:.0f} MB, "
            f"activity table {sizes.get('activity', 0) / mb:.0f} MB (with indexes)")


if __name__ == "__main__":
    sys.exit(main())
