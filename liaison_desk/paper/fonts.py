"""Register the bundled CJK fonts with reportlab (TrueType outlines, embedded as subsets)."""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .. import resources

SANS = "WQYMicroHei"
SONG = "ARPLSungtiLGB"


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """(sans, song) font names, registered once."""
    pdfmetrics.registerFont(TTFont(SANS, str(resources.font_path(resources.SANS_FONT)), subfontIndex=0))
    pdfmetrics.registerFont(TTFont(SONG, str(resources.font_path(resources.SONG_FONT))))
    return SANS, SONG
