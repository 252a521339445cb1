"""Draw the program icon: a red seal with 联 in the bundled font, as PNG files and one Windows ICO.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

Writes resources/icons/liaison-desk.png (256 px), liaison-desk-<N>.png for the smaller sizes
and liaison-desk.ico (every size, PNG-compressed entries, which Windows reads since Vista).
The outputs are committed; run this again only to change the design.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QPainterPath, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from liaison_desk import resources  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256)
SEAL_RED = QColor("#c0272d")
PAPER = QColor("#fffaf0")
CHARACTER = "联"


def glyph_path(family: str) -> QPainterPath:
    font = QFont(family, 100)
    font.setBold(True)  # synthesised: the strokes must survive 16 px
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, CHARACTER)
    return path


def draw(size: int, glyph: QPainterPath) -> QImage:
    """One size. Small sizes drop the inner frame, which would only blur at 16–32 px."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = max(0.5, size * 0.03)
    outer = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(SEAL_RED)
    p.drawRoundedRect(outer, size * 0.12, size * 0.12)
    inset = size * 0.09
    if size >= 48:
        p.setPen(QPen(PAPER, size * 0.025))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(outer.adjusted(inset, inset, -inset, -inset), size * 0.06, size * 0.06)
        inset += size * 0.07
    box = outer.adjusted(inset, inset, -inset, -inset)
    bounds = glyph.boundingRect()
    scale = min(box.width() / bounds.width(), box.height() / bounds.height())
    p.translate(box.center())
    p.scale(scale, scale)
    p.translate(-bounds.center())
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(PAPER)
    p.drawPath(glyph)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per size + the PNG data (256 is written as 0)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = size % 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> None:
    app = QApplication.instance() or QApplication([])
    font_id = QFontDatabase.addApplicationFont(str(resources.font_path(resources.SANS_FONT)))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    glyph = glyph_path(family)
    out = resources.icons_dir()
    out.mkdir(parents=True, exist_ok=True)
    pngs = {size: png_bytes(draw(size, glyph)) for size in SIZES}
    (out / "liaison-desk.png").write_bytes(pngs[256])
    for size in SIZES[:-1]:
        (out / f"liaison-desk-{size}.png").write_bytes(pngs[size])
    (out / "liaison-desk.ico").write_bytes(ico_bytes(pngs))
    print(f"{out}: liaison-desk.png, liaison-desk.ico ({', '.join(map(str, SIZES))} px)")
    del app


if __name__ == "__main__":
    main()
