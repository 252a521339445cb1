"""Register the bundled CJK fonts with Qt, so no system Chinese font is needed."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from .. import resources


def register_fonts(app: QApplication) -> str:
    """Add the bundled fonts and make the sans face the application's font; returns its family."""
    family = "WenQuanYi Micro Hei"
    for name in (resources.SANS_FONT, resources.SONG_FONT):
        font_id = QFontDatabase.addApplicationFont(str(resources.font_path(name)))
        if font_id >= 0 and name == resources.SANS_FONT:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(family, 10)
    app.setFont(font)
    return family
