"""The window as a college secretary sees it (issue 19), from a demo ledger under Xvfb:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_college_clerk.py

writes docs/college-clerk.png: the 报表 page at 1366×768 with the login in the status bar, the
cadre list of the secretary's college only, signing and the signing box greyed out with the word
why. The clerk is set for this run only (a file has no logins; on a server it is the login's).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.ledger import demo, settings
from liaison_desk.ledger.clerks import Clerk
from liaison_desk.store import rights, storage

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    app = make_app()
    with tempfile.TemporaryDirectory() as tmp:
        storage.open_database(Path(tmp) / "ledger.sqlite3")
        policy = settings.init("fjwsxy-2021", "示范大学")
        demo.generate(policy, cadres=60, months=3, end="2025-11")
        college = demo.COLLEGES[0]
        rights.session_clerk = lambda: Clerk("wang", "王秘书", False, (college,))  # type: ignore[assignment]
        window = MainWindow()
        window.resize(1366, 768)
        window.show()
        window.show_area("报表")
        page = window.page("报表")
        page.month_edit.setDate(page.month_edit.date().fromString("2025-10-01", "yyyy-MM-dd"))  # type: ignore[attr-defined]
        for _ in range(20):
            app.processEvents()
        shot = DOCS / "college-clerk.png"
        window.grab().save(str(shot))
        Image.open(shot).quantize(128).save(shot, optimize=True)
        print(shot, shot.stat().st_size)
        storage.close_database()


if __name__ == "__main__":
    main()
