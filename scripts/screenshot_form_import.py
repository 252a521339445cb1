"""The form import dialog with its preview, as docs/form-import-preview.png (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_form_import.py

Makes a scratch ledger in a temporary folder and previews the sixth school's one-table form
(tests/data/sixth-school-form.toml, with its own 地点 column); nothing else.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / "tests" / "data" / "sixth-school-form.toml"

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
        dialog.set_file(Path(shutil.copy(FORM, folder / "本校记录表.toml")))
        for _ in range(20):
            app.processEvents()
        dialog.grab().save(str(ROOT / "docs" / "form-import-preview.png"))
        storage.close_database()


if __name__ == "__main__":
    main()
