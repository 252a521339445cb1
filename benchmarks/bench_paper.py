"""Paper benchmarks (#5) on the large data set (600 cadres × 120 months, policy hnust-2025).

Each runs the real command as a fresh process (start-up, font loading, database, drawing, writing
the file all counted): every sheet of one month into one PDF (budget 6 s, i.e. ≤10 ms a sheet),
and the whole-school term summary (budget 10 s). The in-process row times only gathering and
drawing the month, for the per-sheet figure.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .bench_compliance import migrated_copy
from .run import Benchmark, Run, cli, run_process, time_in_process

MONTH = "2025-10"
TERM = "2025-2026-1"


def bench_month_sheets() -> Run:
    with tempfile.TemporaryDirectory() as d:
        return run_process(cli("--db", migrated_copy(), "sheet", "--month", MONTH, "--all",
                               "--out", str(Path(d) / "month.pdf")))


def bench_month_sheets_in_process() -> Run:
    setup = (
        "import io\n"
        "from liaison_desk.store import storage\n"
        "from liaison_desk.paper.batch import write_sheets\n"
        "from liaison_desk.paper.sheet_content import month_sheets\n"
        f"storage.open_database({migrated_copy()!r})\n"
    )
    stmt = (f"contents = month_sheets({MONTH!r})\n"
            "buf = io.BytesIO()\n"
            "pages = write_sheets(contents, buf)\n"
            "assert len(contents) == 600 and pages >= 600, (len(contents), pages)")
    return time_in_process(setup, stmt)


def bench_term_summary() -> Run:
    with tempfile.TemporaryDirectory() as d:
        return run_process(cli("--db", migrated_copy(), "report", "term", "--term", TERM, "--as-of", "2026-10-31",
                               "--out", str(Path(d) / "term.pdf")))


def bench_monthly_report() -> Run:
    with tempfile.TemporaryDirectory() as d:
        return run_process(cli("--db", migrated_copy(), "report", "monthly", "--month", MONTH,
                               "--as-of", "2026-10-31", "--out", str(Path(d) / "monthly.pdf")))


BENCHMARKS = [
    Benchmark("paper: 600 sheets of a month, one PDF (CLI)", 6.0, bench_month_sheets, "#5"),
    Benchmark("paper: 600 sheets gathered+drawn in-process", 6.0, bench_month_sheets_in_process, "#5"),
    Benchmark("paper: term summary, 600 cadres (CLI)", 10.0, bench_term_summary, "#5"),
    Benchmark("paper: monthly report (CLI)", 10.0, bench_monthly_report, "#5"),
]
