"""Where the file dialogs start: the clerk's Documents folder, not the working folder.

The Windows shortcuts start the program in its own folder (C:\\Program Files\\…, often read-only
and emptied of _internal on every upgrade), so a dialog given a bare file name offered to save
the school's form file, an Excel export or a PDF there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def user_file(name: str = "") -> str:
    """The path a save dialog proposes for `name` (an open dialog: the folder itself)."""
    return str(documents() / name) if name else str(documents())
