"""The two screenshots of #20 in docs/, from the program itself (run under Xvfb, 1366x768):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/docx_screenshots.py

docs/import-docx-preview.png: 导入 Word 记录表 on the two sheets of the keystroke benchmark filled
in Word (names written short, one not on the roster), before anything is written.
docs/sheet-docx-blank.png: the blank 五联七进 form as .docx, rendered by LibreOffice (soffice must
be installed; it is used for this picture only).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.docx_forms import replay_sheets_as_docx  # noqa: E402
from benchmarks.entry_replay import LEADER, MONTH, make_roster  # noqa: E402
from liaison_desk.gui.app import make_app  # noqa: E402
from liaison_desk.ledger import settings  # noqa: E402
from liaison_desk.paper.sheet_content import sheet_content  # noqa: E402
from liaison_desk.paper.sheet_docx import sheet_docx  # noqa: E402
from liaison_desk.store import storage  # noqa: E402

DOCS = ROOT / "docs"


def small(path: Path) -> None:
    """A palette PNG: a screenshot's few colours in a third of the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    app = make_app()
    work = Path(tempfile.mkdtemp(prefix="docx-shots-"))
    storage.open_database(work / "ledger.sqlite3")
    settings.init("fjwsxy-2021", "福建卫生职业技术学院")
    make_roster()
    forms = work / "2025年10月记录表"
    forms.mkdir()
    replay_sheets_as_docx(forms, short_names=True)
    blank = work / "五联七进-空白.docx"
    blank.write_bytes(sheet_docx(sheet_content(LEADER, MONTH, blank=True)))

    from liaison_desk.gui.import_sheets_dialog import SheetsImportDialog

    dialog = SheetsImportDialog()
    dialog.resize(1300, 700)
    dialog.show()
    dialog.set_paths([forms])
    while dialog.job is not None or dialog.state == "checking":
        app.processEvents()
    dialog.lineTable.resizeRowsToContents()
    for _ in range(5):
        app.processEvents()
    shot = DOCS / "import-docx-preview.png"
    dialog.grab().save(str(shot))
    small(shot)

    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: docs/sheet-docx-blank.png not made", file=sys.stderr)
        return
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(blank)], check=True,
                   capture_output=True)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(blank.with_suffix(".pdf")),
                    str(DOCS / "sheet-docx-blank")], check=True)
    small(DOCS / "sheet-docx-blank.png")
    storage.close_database()


if __name__ == "__main__":
    main()
