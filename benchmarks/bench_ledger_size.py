"""The ledger's size (#17): the large ledger's file, its change log beside the tables it records
(SQLite's dbstat: pages each table and index takes), and the change log's bulk writing speed.

    .venv/bin/python -m benchmarks.run --only "change log" --repeat 3
    .venv/bin/python -m benchmarks.bench_ledger_size [FILE]     # the size report alone
    .venv/bin/python -m benchmarks.bench_ledger_size --migrate V5FILE   # time v5 → v6 on a copy

The size report goes to stderr with each timed run. Goals: change log ≤ 1.5× the tables it
records, the whole ledger ≤ 400 MB.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from .run import Benchmark, Run, ensure_large, time_in_process

#: The tables whose every write the change log records (store/verify.py's logged_models, plus
#: setting and term).
RECORDED = ["unit", "cadre", "target", "assignment", "activity", "sheet", "problem", "anchor", "filing",
            "sheet_revision", "problem_event", "setting", "term"]
LOG = ["change_log", "change_log_layout", "change_log_pack"]


def size_report(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        pages = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    finally:
        conn.close()
    mib = 2 ** 20
    log = sum(pages.get(t, 0) for t in LOG)
    recorded = sum(pages.get(t, 0) for t in RECORDED)
    return (f"  {path.name}: file {path.stat().st_size / 1e6:.0f} MB; change log {log / mib:.1f} MiB "
            f"(entries {pages.get('change_log', 0) / mib:.1f}, "
            f"packed values {pages.get('change_log_pack', 0) / mib:.1f}); "
            f"activity table {pages.get('activity', 0) / mib:.1f} MiB; all recorded tables {recorded / mib:.1f} MiB; "
            f"log / recorded tables {log / recorded:.2f}")


RECORD_MANY = """
import tempfile
from pathlib import Path
from liaison_desk.store import changelog, storage
storage.open_database(Path(tempfile.mkdtemp()) / "log.sqlite3")
row = {"cadre": 1, "carrier": "", "category": "联系党总支", "created_at": "2026-12-06 01:40:45.123456",
       "date": "2017-01-30", "days": None, "face_to_face": False, "id": 0, "people": 40, "problems": "",
       "summary": "参加建筑与艺术设计学院党总支中心组学习，督促落实全面从严治党责任", "target": 380,
       "updated_at": "2026-12-06 01:40:45.123456"}
entries = [("insert", "activity", i, None, {**row, "id": i, "cadre": i % 600}) for i in range(1, 100_001)]
tx = storage.db.atomic()
tx.__enter__()
"""


def bench_size() -> Run:
    started = time.perf_counter()
    print(size_report(ensure_large()), file=sys.stderr)
    return Run(time.perf_counter() - started, 0.0)


def bench_record_many() -> Run:
    return time_in_process(RECORD_MANY, "changelog.record_many(entries)")


def time_migration(v5: Path) -> None:
    """Copy a v5 ledger and open the copy (migrating it), timing the copy storage.migrate makes
    first, the re-encoding and the VACUUM that gives the space back."""
    from liaison_desk.store import storage

    with tempfile.TemporaryDirectory(dir=v5.parent) as folder:
        path = Path(folder) / v5.name
        shutil.copy(v5, path)
        marks: dict[str, float] = {}

        def timed(name: str, fn):  # type: ignore[no-untyped-def]
            def wrap(*a, **k):  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                out = fn(*a, **k)
                marks[name] = time.perf_counter() - t
                return out
            return wrap

        storage.backup_copy = timed("copy made first", storage.backup_copy)  # type: ignore[method-assign]
        storage._give_back_space = timed("VACUUM", storage._give_back_space)  # type: ignore[attr-defined]
        started = time.perf_counter()
        storage.open_database(path)
        total = time.perf_counter() - started
        storage.close_database()
        marks["re-encoding (one transaction)"] = total - sum(marks.values())
        print("  " + "; ".join(f"{k} {v:.1f} s" for k, v in marks.items()) + f"; in all {total:.1f} s")
        print(size_report(v5))
        print(size_report(path))


BENCHMARKS = [
    Benchmark("ledger size: change log beside its tables", 60.0, bench_size, "#17"),
    Benchmark("change log: record_many of 100,000 entries", 5.0, bench_record_many, "#17"),
]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--migrate"]:
        time_migration(Path(sys.argv[2]))
    else:
        print(size_report(Path(sys.argv[1]) if sys.argv[1:] else ensure_large()))
