"""The GUI's part of `--selftest`: the Chinese test page drawn by the core is loaded and rendered
back with QtPdf, as the print preview will. Kept here so the core's self-test never loads Qt;
cli.py adds these checks only when PySide6 is installed."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from ..cli import selftest

#: Text the core draws on the test page; it must come back out of the rendered PDF.
EXPECTED_TEXT = ("五联七进", "联系工作台")


def _application() -> None:
    """A QApplication for rendering; offscreen when a Linux terminal has no display, so the
    check reports instead of aborting."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        return
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    QApplication(["liaison-desk"])  # lives for the rest of the process (Qt keeps the instance)


def check_pdf_render() -> str:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QImage
    from PySide6.QtPdf import QPdfDocument

    _application()
    buffer = QBuffer()
    buffer.setData(QByteArray(selftest.draw_test_pdf()))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() != 1:
        raise AssertionError(f"QtPdf 无法打开测试页（{document.error().name}）")
    text = document.getAllText(0).text()
    missing = [t for t in EXPECTED_TEXT if t not in text]
    if missing:
        raise AssertionError(f"QtPdf 读回的文字缺少“{'、'.join(missing)}”")
    size = document.pagePointSize(0)
    image = document.render(0, QSize(round(size.width()), round(size.height())))
    alpha = bytes(image.convertToFormat(QImage.Format.Format_Alpha8).constBits())
    ink = sum(1 for a in alpha if a > 128)  # the page background is transparent: ink is opaque
    if ink < 200:
        raise AssertionError("QtPdf 渲染的页面是空白的")
    document.close()
    return f"QtPdf：中文页面渲染并读回（{image.width()}×{image.height()}，着墨像素 {ink}）"


def checks() -> list[tuple[str, Callable[[], str]]]:
    return [("QtPdf", check_pdf_render)]
