"""Foundation benchmarks (#2): demo generation and start-up to the main window."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .run import LARGE_ARGS, Benchmark, Run, cli, ensure_large, run_process


def bench_demo() -> Run:
    with tempfile.TemporaryDirectory() as d:
        return run_process(cli("--db", str(Path(d) / "demo.sqlite3"), "demo", *LARGE_ARGS))


def bench_startup() -> Run:
    with tempfile.TemporaryDirectory() as home:
        # Timed to the main window's first paint (the program then quits; the close-time backup
        # of the 220 MB ledger is not start-up).
        return run_process(cli("--db", str(ensure_large())),
                           env={"LIAISON_DESK_EXIT_AFTER_SHOW": "1", "LIAISON_DESK_HOME": home,
                                "XDG_CONFIG_HOME": home}, until="main-window-shown")


BENCHMARKS = [
    Benchmark("demo: 600 cadres × 120 months", 60.0, bench_demo, "#2"),
    Benchmark("start-up to main window (large set)", 1.0, bench_startup, "#2"),
]
