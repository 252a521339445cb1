"""The form import dialog with its preview, as docs/form-import-preview.png (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_form_import.py

Makes a scratch ledger and a school's one-table form file in a temporary folder; nothing else.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from form_files import write_form  # noqa: E402

from liaison_desk.gui.app import make_app  # noqa: E402
from liaison_desk.gui.form_dialog import FormDialog  # noqa: E402
from liaison_desk.ledger import settings  # noqa: E402
from liaison_desk.store import storage  # noqa: E402


def main() -> None:
    app = make_app()
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        storage.open_database(folder / "ledger.sqlite3")
        settings.init("fjwsxy-2021", "示例职业技术学院")
        dialog = FormDialog()
        dialog.resize(1366, 740)
        dialog.move(0, 0)
        dialog.show()
        dialog.set_file(write_form(folder))
        for _ in range(20):
            app.processEvents()
        dialog.grab().save(str(ROOT / "docs" / "form-import-preview.png"))
        storage.close_database()


if __name__ == "__main__":
    main()
