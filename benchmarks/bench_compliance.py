"""Compliance benchmarks (#4): the core `check` on the large data set (600 cadres × 120 months,
policy hnust-2025), timed in-process so process start-up is not counted.

The shared large file is only read: when it is still at an older schema, these run on a copy
brought to the current one (the v2 migration adds the filing table), made once beside it and
remade when the original changes.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

from liaison_desk.store.safety import read_only_uri

from .run import DATA, ROOT, Benchmark, Run, ensure_large, time_in_process

AS_OF = "date(2026, 10, 31)"


def migrated_copy() -> str:
    from liaison_desk.store.storage import SCHEMA_VERSION

    source = ensure_large()
    conn = sqlite3.connect(read_only_uri(source), uri=True)
    try:
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    finally:
        conn.close()
    if version == SCHEMA_VERSION:
        return str(source)
    copy = DATA / f"{source.stem}.schema{SCHEMA_VERSION}.sqlite3"
    stamp = copy.with_suffix(".source-mtime")
    mtime = str(source.stat().st_mtime_ns)
    if not copy.exists() or not stamp.exists() or stamp.read_text() != mtime:
        building = copy.with_suffix(".building")
        shutil.copyfile(source, building)
        subprocess.run([sys.executable, "-c", "import sys; from liaison_desk.store import storage; "
                        "storage.open_database(sys.argv[1]); storage.close_database()", str(building)],
                       cwd=ROOT, check=True)
        conn = sqlite3.connect(building)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        for extra in building.parent.glob(building.stem + ".before-v*"):
            extra.unlink()
        building.replace(copy)
        stamp.write_text(mtime)
    return str(copy)


def _check(scope: str, period: str) -> Run:
    setup = (
        "from datetime import date\n"
        "from liaison_desk.store import storage; from liaison_desk.ledger import settings\n"
        "from liaison_desk.rules.compliance import check\n"
        f"storage.open_database({migrated_copy()!r})\n"
        "policy = settings.current_policy()\n"
    )
    stmt = (f"results = check({scope!r}, {period!r}, as_of={AS_OF}, policy=policy)\n"
            "assert len(results) > 100, len(results)")
    return time_in_process(setup, stmt)


def bench_term() -> Run:
    return _check("term", "2025-2026-1")


def bench_month() -> Run:
    return _check("month", "2025-10")


def bench_year() -> Run:
    return _check("year", "2025-2026")


def bench_due_soon() -> Run:
    setup = (
        "from datetime import date\n"
        "from liaison_desk.store import storage\n"
        "from liaison_desk.rules.compliance import due_soon\n"
        f"storage.open_database({migrated_copy()!r})\n"
    )
    return time_in_process(setup, "items = due_soon(date(2025, 11, 12))\nassert items")


BENCHMARKS = [
    Benchmark("check: one term, all cadres and rules", 2.0, bench_term, "#4"),
    Benchmark("check: one month, all cadres and rules", 0.5, bench_month, "#4"),
    Benchmark("check: one academic year (extra)", 5.0, bench_year, "#4"),
    Benchmark("due soon on the home view (extra)", 1.0, bench_due_soon, "#4"),
]
