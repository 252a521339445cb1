"""Print preview (打印预览) and printing for every PDF the program makes.

The preview shows the very PDF that would be saved (rendered by QtPdf), so what the clerk sees is
what the archive and the printer get. Printing goes through Qt's print dialog; pages are rendered
at the printer's resolution (at most 300 dpi) one at a time, with a progress dialog that can stop
the job. Building a large PDF (a month of sheets) runs off the GUI thread in `BuildJob`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, QSize, Qt, QThread, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import BadInput
from ..store.models import db
from .folders import user_file

MAX_PRINT_DPI = 300


def load_document(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes in memory (keep the buffer alive as long as the document)."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document, buffer


def page_numbers(printer: QPrinter, count: int) -> list[int]:
    """The pages the print dialog asked for (0-based), all by default."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        return list(range(count))
    return list(range(max(0, first - 1), min(count, last)))


def print_pages(document: QPdfDocument, printer: QPrinter, parent: QWidget | None = None,
                progress: QProgressDialog | None = None, pages: Sequence[int] | None = None) -> bool:
    """Render the document's pages onto the printer; False when cancelled or the printer failed."""
    pages = list(pages) if pages is not None else page_numbers(printer, document.pageCount())
    if not pages:
        return False
    own = progress is None
    if progress is None:
        progress = QProgressDialog("正在打印…", "取消", 0, len(pages), parent)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
    progress.setRange(0, len(pages))
    painter = QPainter()
    if not painter.begin(printer):
        if own:
            progress.close()
        QMessageBox.warning(parent, "打印", "无法开始打印：打印机不可用或输出文件无法写入。")
        return False
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    done = True
    try:
        for k, index in enumerate(pages):
            if progress.wasCanceled():
                printer.abort()
                done = False
                break
            progress.setLabelText(f"正在打印第 {k + 1} 页，共 {len(pages)} 页…")
            if k:
                printer.newPage()
            size_pt = document.pagePointSize(index)
            image = document.render(index, QSize(int(size_pt.width() / 72 * dpi), int(size_pt.height() / 72 * dpi)))
            area = QRectF(painter.window())
            scale = min(area.width() / max(1, image.width()), area.height() / max(1, image.height()))
            w, h = image.width() * scale, image.height() * scale
            target = QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
            painter.drawImage(target, image)
            progress.setValue(k + 1)
            QCoreApplication.processEvents()
    finally:
        painter.end()
        if own:
            progress.close()
    return done


def ask_printer(parent: QWidget | None, title: str, pages: int = 0) -> QPrinter | None:
    """Qt's print dialog; the chosen printer, or None when the clerk cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印：{title}")
    if pages:
        dialog.setMinMax(1, pages)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


class PdfPreview(QDialog):
    """Shows a PDF page after page; prints it or saves it."""

    def __init__(self, pdf: bytes, title: str, file_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.title = title
        self.file_name = file_name or f"{title}.pdf"
        self.setWindowTitle(f"打印预览：{title}")
        self.resize(900, 1000)
        self.document, self._buffer = load_document(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel(f"共 {self.document.pageCount()} 页")
        self.print_button = QPushButton("打印…")
        self.save_button = QPushButton("另存为 PDF…")
        self.width_button = QPushButton("适合宽度")
        self.page_button = QPushButton("整页")
        self.close_button = QPushButton("关闭")
        bar = QHBoxLayout()
        for w in (self.print_button, self.save_button, self.width_button, self.page_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.pages_label)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.width_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.page_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)

    def print_document(self) -> bool:
        printer = ask_printer(self, self.title, self.document.pageCount())
        if printer is None:
            return False
        return print_pages(self.document, printer, self)

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", user_file(self.file_name), "PDF 文件 (*.pdf)")
        if not path:
            return
        try:
            with open(path, "wb") as f:
                f.write(self.pdf)
        except OSError as e:
            QMessageBox.warning(self, "另存为", f"无法写入 {path}：{e.strerror or e}")


class BuildJob(QThread):
    """Builds a PDF off the GUI thread; reports progress and can be cancelled.

    `build(progress, cancelled)` must not touch widgets; it reads through this thread's own
    database connection, closed when it ends. It raises paper.sheet.Cancelled when asked to stop.
    """

    total = Signal(int)
    progressed = Signal(int)
    built = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, build: Callable[[Callable[[int], None], Callable[[int], None], Callable[[], bool]], bytes],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.build = build
        self._stop = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)

    def cancel(self) -> None:
        self._stop = True

    def run(self) -> None:  # in the worker thread
        from ..paper.sheet import Cancelled

        try:
            data = self.build(self.total.emit, self.progressed.emit, lambda: self._stop)
        except Cancelled:
            self.cancelled.emit()
        except BadInput as e:
            self.failed.emit(str(e))
        except Exception:
            traceback.print_exc()
            self.failed.emit("生成 PDF 时发生意外错误，详情已写入日志")
        else:
            if self._stop:
                self.cancelled.emit()
            else:
                self.built.emit(data)
        finally:
            if db.obj is not None and not db.is_closed():
                db.close()
