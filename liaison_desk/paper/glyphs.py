"""Which bundled face prints each character, and which characters no bundled face has.

The Song face of the printed forms (AR PL SungtiL GB) covers GB2312 only (7,576 glyphs): 王堃's
堃, 李喆's 喆 and the en dash of "1–2个" are not in it. Every character it lacks is printed in the
next face of its chain that has it (WenQuanYi Micro Hei, ~34,600 glyphs, all of U+4E00–U+9FA5).
A character in no bundled face is never dropped silently: `missing_glyphs` names it, the sheet
editor marks the cell, `sheet`/`report` refuse to print it unless told to, and then a visible
〓 stands in its place.

The lookups are sets of characters per face, built once, so checking a line is one C-level
`issuperset`; a line splits into runs only when it has a character its face lacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

from .fonts import register_fonts

#: What prints in place of a character no bundled face has (when the user allowed it).
PLACEHOLDER = "〓"
#: Characters that print as nothing on purpose (layout, not glyphs).
_INVISIBLE = frozenset("\n\r\t\u200b\u200c\u200d\ufeff")


@lru_cache(maxsize=8)
def charset(font: str) -> frozenset[str]:
    """The characters a registered face has a glyph for."""
    register_fonts()
    return frozenset(map(chr, pdfmetrics.getFont(font).face.charToGlyph))


def chain(font: str) -> tuple[str, ...]:
    """The face itself, then the bundled faces to fall back to, in order."""
    sans, song = register_fonts()
    return (font, *[f for f in (sans, song) if f != font])


@lru_cache(maxsize=1)
def covered() -> frozenset[str]:
    """Every character some bundled face prints."""
    sans, song = register_fonts()
    return charset(sans) | charset(song) | _INVISIBLE


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` that no bundled face can print, each once, in order of appearance."""
    have = covered()
    if have.issuperset(text):
        return []
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in have and not ch.isspace():
            seen.setdefault(ch, None)
    return list(seen)


def describe(chars: list[str]) -> str:
    """'“𠮷”（U+20BB7）' for messages: the character and its code, since it may not show."""
    return "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in chars)


@lru_cache(maxsize=4096)
def face_for(ch: str, font: str) -> str:
    """The first face of `font`'s chain that has `ch` (the font itself when none has it)."""
    for f in chain(font):
        if ch in charset(f):
            return f
    return font


_collected: list[dict[str, str]] = []


@contextmanager
def collect_missing() -> Iterator[dict[str, str]]:
    """Within the block, every character drawn that no face has, with the text it was in."""
    found: dict[str, str] = {}
    _collected.append(found)
    try:
        yield found
    finally:
        _collected.remove(found)


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (face, chunk) runs: one run unless some character needs another face."""
    if charset(font).issuperset(text):
        return [(font, text)]
    out: list[tuple[str, str]] = []
    for ch in text:
        f = face_for(ch, font)
        if f == font and ch not in charset(font) and not ch.isspace():
            for found in _collected:
                found.setdefault(ch, text)
            ch = PLACEHOLDER  # in no face: a visible mark, never a blank
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + ch)
        else:
            out.append((f, ch))
    return out


@lru_cache(maxsize=8)
def widths(font: str) -> dict[int, int]:
    """The face's advance widths, with the fallback faces' widths for what it lacks: the width
    of each character as it will print."""
    register_fonts()
    merged: dict[int, int] = {}
    for f in reversed(chain(font)):
        merged.update(pdfmetrics.getFont(f).face.charWidths)
    return merged
