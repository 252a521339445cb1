"""The two paper sheets of #12, typed by keys into the real window, as docs/ screenshots:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/sheet_screenshots.py

Makes a fresh ledger in a temporary folder, types the sheets of benchmarks/entry_replay.py into
the 记录录入 page of the main window (full screen, 1366×768) and saves
docs/sheet-editor-paper-wulian-qijin.png and docs/sheet-editor-paper-santeyiti.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LIAISON_DESK_HOME", tempfile.mkdtemp(prefix="liaison-shots-"))

from benchmarks.entry_replay import (  # noqa: E402
    MONTH,
    SANTE,
    WULIAN,
    make_roster,
    replay,
    sante_script,
    wulian_script,
)
from liaison_desk.gui.app import make_app  # noqa: E402
from liaison_desk.gui.main_window import MainWindow  # noqa: E402
from liaison_desk.ledger import settings  # noqa: E402
from liaison_desk.store import storage  # noqa: E402

DOCS = ROOT / "docs"


def main() -> None:
    app = make_app()
    storage.open_database(Path(os.environ["LIAISON_DESK_HOME"]) / "ledger.sqlite3")
    settings.init("fjwsxy-2021", "测试学院")
    make_roster()
    window = MainWindow()
    window.setGeometry(0, 0, 1366, 768)
    window.showMaximized()
    window.show_area("记录录入")
    page = window.page("记录录入")

    def settle() -> None:
        while page.view.state() == page.view.State.EditingState:  # type: ignore[attr-defined]
            app.processEvents()

    def shot(name: str) -> None:
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(DOCS / f"{name}.png"))

    page.open_sheet(WULIAN.cadre, MONTH)  # type: ignore[attr-defined]
    page.view.setFocus()  # type: ignore[attr-defined]
    replay(page, wulian_script(WULIAN), settle)
    page.open_sheet(WULIAN.cadre, MONTH)  # reopened, as the clerk sees it the next time
    shot("sheet-editor-paper-wulian-qijin")
    page.open_sheet(SANTE.cadre, MONTH)  # type: ignore[attr-defined]
    replay(page, sante_script(SANTE), settle)
    shot("sheet-editor-paper-santeyiti")
    storage.close_database()


if __name__ == "__main__":
    main()
