"""Packaging benchmark (#8): the frozen program's start-up to its main window on the large set.

Uses the build in dist/liaison-desk/ when there is one (`pyinstaller build.spec` puts it there);
otherwise builds it first (about a minute). The figure is the time until the window has been shown
and painted (the program prints "main-window-shown" then, see gui/app.py _automation), not until the
process has ended: closing runs the session's close-time work (a backup of the ledger), which is
not start-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .run import ROOT, Benchmark, Run, ensure_large

DIST = ROOT / "dist" / "liaison-desk"


def frozen_executable() -> Path:
    exe = DIST / ("liaison-desk.exe" if sys.platform == "win32" else "liaison-desk")
    if not exe.exists():
        print(f"no build in {DIST}: running PyInstaller …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        "build.spec"], cwd=ROOT, check=True)
    return exe


def time_to_main_window(exe: Path, ledger: Path) -> Run:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIAISON_DESK_EXIT_AFTER_SHOW": "1",
               "LIAISON_DESK_HOME": home, "XDG_CONFIG_HOME": home}
        started = time.perf_counter()
        proc = subprocess.Popen([str(exe), "--db", str(ledger)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        shown = None
        for line in proc.stdout:
            if "main-window-shown" in line:
                shown = time.perf_counter() - started
                break
        _, status, usage = os.wait4(proc.pid, 0)
        if shown is None or os.waitstatus_to_exitcode(status) != 0:
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"{exe} did not show its window: {err[-2000:]}")
        return Run(shown, usage.ru_maxrss / 1024)


def bench_frozen_startup() -> Run:
    return time_to_main_window(frozen_executable(), ensure_large())


BENCHMARKS = [
    Benchmark("frozen start-up to main window (large set)", 1.5, bench_frozen_startup, "#8"),
]
