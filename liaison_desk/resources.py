"""Find bundled files one way, from the source tree and from a PyInstaller bundle alike."""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    """The folder that holds forms/, resources/ and ui/."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    return root() / "forms"


def fonts_dir() -> Path:
    return root() / "resources" / "fonts"


def translations_dir() -> Path:
    return root() / "resources" / "translations"


def icons_dir() -> Path:
    return root() / "resources" / "icons"


#: The sans face for the screen and the Song face for printed sheets (both TrueType outlines).
SANS_FONT = "wqy-microhei.ttc"
SONG_FONT = "gbsn00lp.ttf"


def font_path(name: str) -> Path:
    return fonts_dir() / name
