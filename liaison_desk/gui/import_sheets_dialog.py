"""导入记录表: the cadres' filled-in Word forms (.docx) — files, or a whole folder of a month's —
read and checked off the GUI thread with a progress bar, shown line by line (what each became,
what is already in the ledger, what could not be read and why), then written in one transaction
when the clerk confirms (Enter: 导入 is the default button). Nothing is written before that, and
nothing at all while any problem is listed.

Open with `open_sheets_import(parent, paths)`; File → 导入记录表… and dropping .docx files on
the sheet editor both do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..excel.import_sheets import ADDED, SheetsImport, SheetsPreview, commit_sheets, prepare_sheets, problem_text
from .import_dialog import _RUNNING, ImportJob

GREY = QColor("#777777")
MARK = QColor("#fff4c2")  # a target completed, corrected or kept as a carrier: look again
FOLDER_KEY = "import/sheets_folder"
WORD_FILTER = "Word 记录表 (*.docx *.doc);;所有文件 (*)"


def _table(headers: list[str], widths: tuple[int, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    for i, w in enumerate(widths):
        table.setColumnWidth(i, w)
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], colour: Callable[[int], QColor | None] = lambda _r: None,
          ink: Callable[[int], QColor | None] = lambda _r: None) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if colour(r) is not None:
                item.setBackground(QBrush(colour(r)))
            if ink(r) is not None:
                item.setForeground(QBrush(ink(r)))
            table.setItem(r, c, item)


class SheetsImportDialog(QDialog):
    imported = Signal(object)  # the SheetsPreview of a finished import, for pages to refresh

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入 Word 记录表")
        self.resize(1100, 640)
        self.importer: SheetsImport | None = None
        self.job: ImportJob | None = None
        self.paths: list[Path] = []
        self.state = "idle"  # idle / checking / checked / importing / imported / failed / cancelled
        self.on_imported: Callable[[SheetsPreview], None] | None = None  # the opener's refresh

        self.filesLabel = QLabel("选择干部填好的记录表（.docx），可多选，或选一个文件夹（如本月收齐的全部记录表）。")
        self.filesLabel.setWordWrap(True)
        self.filesButton = QPushButton("选择文件…")
        self.folderButton = QPushButton("选择文件夹…")
        top = QHBoxLayout()
        top.addWidget(self.filesLabel, 1)
        top.addWidget(self.filesButton)
        top.addWidget(self.folderButton)
        self.progressBar = QProgressBar()
        self.progressBar.setFormat("%v / %m 份")
        self.progressBar.hide()
        self.summaryLabel = QLabel("")
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextFormat(Qt.TextFormat.RichText)

        self.lineTable = _table(["文档", "行", "干部", "类别", "日期", "联系对象 / 载体", "工作简况", "结果", "说明"],
                                (150, 40, 70, 100, 80, 170, 220, 50))
        self.fieldTable = _table(["文档", "干部", "月份", "栏目", "填写内容"], (170, 80, 80, 160))
        self.problemTable = _table(["文档", "表格行", "栏目", "内容", "原因"], (170, 60, 90, 150))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.lineTable, "活动")
        self.tabs.addTab(self.fieldTable, "栏目")
        self.tabs.addTab(self.problemTable, "问题")

        self.cancelButton = QPushButton("取消读取")
        self.cancelButton.hide()
        self.importButton = QPushButton("导入")
        self.importButton.setEnabled(False)
        self.importButton.setDefault(True)
        self.importButton.setAutoDefault(True)
        self.closeButton = QPushButton("关闭")
        self.closeButton.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progressBar, 1)
        buttons.addWidget(self.cancelButton)
        buttons.addStretch(0)
        buttons.addWidget(self.importButton)
        buttons.addWidget(self.closeButton)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summaryLabel)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        self.filesButton.clicked.connect(self.browse_files)
        self.folderButton.clicked.connect(self.browse_folder)
        self.importButton.clicked.connect(self.do_import)
        self.cancelButton.clicked.connect(self.cancel)
        self.closeButton.clicked.connect(self.reject)

    # Choosing ----------------------------------------------------------------------------------

    def _start_folder(self) -> str:
        return str(QSettings().value(FOLDER_KEY, "") or "")

    def browse_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择记录表", self._start_folder(), WORD_FILTER)
        if names:
            self.set_paths([Path(n) for n in names])

    def browse_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "选择存放记录表的文件夹", self._start_folder())
        if name:
            self.set_paths([Path(name)])

    def set_paths(self, paths: list[Path]) -> None:
        """Choose the documents and check them at once (nothing is written until 导入)."""
        if self.job is not None or not paths:
            return
        self.paths = paths
        first = paths[0]
        QSettings().setValue(FOLDER_KEY, str(first if first.is_dir() else first.parent))
        shown = "、".join(p.name for p in paths[:3]) + (f" 等 {len(paths)} 项" if len(paths) > 3 else "")
        self.filesLabel.setText(f"记录表：{shown}")
        self.check()

    # Checking and importing --------------------------------------------------------------------

    def check(self) -> None:
        paths = list(self.paths)
        self._clear()
        self.state = "checking"
        self.summaryLabel.setText("正在读取并核对记录表……")
        self._start(lambda progress: prepare_sheets(paths, progress), self._checked)

    def do_import(self) -> None:
        importer = self.importer
        if importer is None or self.state != "checked" or self.job is not None:
            return
        self.state = "importing"
        self.importButton.setEnabled(False)
        self.summaryLabel.setText("正在写入（一个事务，全部或全不）……")
        self._start(lambda progress: commit_sheets(importer, progress), self._imported)

    def _start(self, work: Callable[[Callable[[int, int, str], None]], Any], done: Callable[[Any], None]) -> None:
        for w in (self.filesButton, self.folderButton):
            w.setEnabled(False)
        self.progressBar.setRange(0, 0)
        self.progressBar.show()
        self.cancelButton.show()
        job = ImportJob(work, self)
        self.job = job
        job.progressed.connect(self._progressed)
        job.succeeded.connect(done)
        job.refused.connect(self._refused)
        job.failed.connect(self._failed)
        job.cancelled.connect(self._cancelled)
        job.finished.connect(lambda: self._finished(job))
        _RUNNING.add(job)
        job.finished.connect(lambda: _RUNNING.discard(job))
        job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progressed(self, done: int, total: int, what: str) -> None:
        if total:
            self.progressBar.setRange(0, total)
            self.progressBar.setValue(min(done, total))
            self.progressBar.setFormat(f"{what} %v / %m" + (" 份" if what != "写入" else " 条"))

    def _finished(self, job: ImportJob) -> None:
        if job is not self.job:
            return
        self.progressBar.hide()
        self.cancelButton.hide()
        for w in (self.filesButton, self.folderButton):
            w.setEnabled(True)
        self.job = None
        self.importButton.setEnabled(self.state == "checked")
        if self.state == "checked":
            self.importButton.setFocus()

    def _checked(self, importer: SheetsImport) -> None:
        self.importer = importer
        p = importer.preview
        self._show(p)
        if not p.problems and (p.added or p.changed):
            self.state = "checked"
        else:
            self.state = "idle"

    def _imported(self, p: SheetsPreview) -> None:
        self.state = "imported"
        self._show(p)
        notes = "".join(f"<br>注意：{_html(n)}" for n in p.notes)
        self.summaryLabel.setText(f"<p><b>已导入</b>：新增活动 {p.added:,} 条，填写栏目 {p.changed:,} 项"
                                  f"（一个事务写入，变更日志 {p.log_entries:,} 条）。{notes}</p>")
        self.imported.emit(p)
        if self.on_imported is not None:
            self.on_imported(p)

    def _refused(self, p: SheetsPreview) -> None:
        self.state = "idle"
        self._show(p)

    def _failed(self, message: str) -> None:
        self.state = "failed"
        self._clear()
        self.summaryLabel.setText(f"<p style='color:#b00020'><b>无法导入</b>：{_html(message)}</p>"
                                  "<p>数据没有任何改动。</p>")

    def _cancelled(self) -> None:
        self.state = "cancelled"
        self.importer = None
        self.summaryLabel.setText("已取消，没有写入任何数据。")

    # Showing -----------------------------------------------------------------------------------

    def _clear(self) -> None:
        for t in (self.lineTable, self.fieldTable, self.problemTable):
            t.setRowCount(0)
        self.importButton.setEnabled(False)

    def _show(self, p: SheetsPreview) -> None:
        self._clear()
        lines = [_html(line) for line in p.lines() if not line.startswith("发现")]
        if p.problems:
            lines.insert(0, f"<b style='color:#b00020'>发现 {p.problems.count:,} 处问题，改正（或不选该文档）后才能导入"
                            "——一条也不会写入。</b>")
        elif not p.written and (p.added or p.changed):
            lines.insert(0, "<b>检查通过。</b>按“导入”（回车）把以下内容写入台账：")
        elif not p.written:
            lines.insert(0, "<b>台账已与这些记录表一致</b>，没有需要导入的内容。")
        self.summaryLabel.setText("<br>".join(lines))
        items = p.items
        _fill(self.lineTable,
              [(x.file, str(x.row), x.cadre, x.category, f"{x.date:%Y-%m-%d}", x.target or "（无）", x.summary,
                x.status, x.note) for x in items],
              colour=lambda r: MARK if items[r].note and items[r].status == ADDED else None,
              ink=lambda r: GREY if items[r].status != ADDED else None)
        _fill(self.fieldTable, [(f.file, f.cadre, f.month, f.label, _value(f.after)) for f in p.fields])
        _fill(self.problemTable, [(x.sheet, str(x.row or ""), x.column, x.value, x.reason)
                                  for x in p.problems.items])
        for x, row in zip(p.problems.items, range(self.problemTable.rowCount()), strict=False):
            self.problemTable.item(row, 4).setToolTip(problem_text(x))
        self.tabs.setTabText(0, f"活动 {len(items):,}（新增 {p.added:,}）")
        self.tabs.setTabText(1, f"栏目 {p.changed:,}")
        self.tabs.setTabText(2, f"问题 {p.problems.count:,}")
        self.tabs.setCurrentIndex(2 if p.problems else 0)

    def reject(self) -> None:
        if self.job is not None:  # closing while working cancels (a write rolls back)
            self.job.cancel()
            self.job.wait()
        super().reject()


def _value(value: object) -> str:
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def word_paths(mime: QMimeData) -> list[Path]:
    """The Word documents (and folders) among dropped files; [] when there are none."""
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.is_dir() or p.suffix.lower() in (".docx", ".doc")]


def open_sheets_import(parent: QWidget | None = None, paths: list[Path] | None = None,
                       on_imported: Callable[[SheetsPreview], None] | None = None) -> SheetsImportDialog:
    """Show the dialog (window-modal); with paths, check them at once, else offer the file chooser.

    One dialog per window, kept and reused rather than deleted on close: with WA_DeleteOnClose
    the test of closing it from the main window crashed in Qt's clean-up (not found why); reuse
    costs nothing. `on_imported` runs after a finished import (the opener refreshes its view)."""
    dialog = parent.findChild(SheetsImportDialog) if parent is not None else None
    if dialog is None or dialog.job is not None:
        dialog = SheetsImportDialog(parent)
    dialog.on_imported = on_imported
    dialog.open()
    if paths:
        dialog.set_paths(paths)
    else:
        dialog.browse_files()
    return dialog
