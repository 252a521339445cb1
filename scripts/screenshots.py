"""Take the screenshots in docs/ from a real window (run under Xvfb for the xcb platform):

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py DB

DB is a demo ledger (e.g. `liaison-desk --db demo.sqlite3 demo --cadres 120 --months 15`).
Set QT_SCALE_FACTOR=1.5 to check 150 % scaling.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.store import storage
from liaison_desk.store.models import Cadre

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    app = make_app()
    storage.open_database(sys.argv[1])
    suffix = os.environ.get("SHOT_SUFFIX", "")
    window = MainWindow()
    window.resize(1360, 860)
    window.show()

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(DOCS / f"{name}{suffix}.png"))

    shot("main-window")
    editor = window.page("记录录入")
    window.show_area("记录录入")
    leader = Cadre.select().where(Cadre.tier == "leader").first()
    middle = Cadre.select().where(Cadre.tier != "leader").first()
    month = os.environ.get("SHOT_MONTH", "2026-10")
    editor.open_sheet(leader.name, month)  # type: ignore[attr-defined]
    shot("sheet-editor-wulian-qijin")
    editor.open_sheet(middle.name, month)  # type: ignore[attr-defined]
    shot("sheet-editor-santeyiti")
    window.show_area("台账")
    shot("ledger")
    window.show_area("名册")
    shot("roster")
    roster = window.page("名册")
    roster.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
    shot("roster-list")
    window.show_area("设置")
    shot("settings")
    problems = window.page("问题清单")
    window.show_area("问题清单")
    problems.view.selectRow(0)  # type: ignore[attr-defined]
    shot("problems")


if __name__ == "__main__":
    main()
