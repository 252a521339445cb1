"""导入 Excel: choose a kind and a file, see what will be added, changed, skipped and refused
before anything is written, then import — all or nothing.

Reading, checking and writing run off the GUI thread with a progress dialog that can cancel
(a cancelled write is rolled back). Open it with `open_import_dialog(parent)`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import BadInput
from ..excel.cells import as_year
from ..excel.importing import Cancelled, Importer, ImportRefused, Preview, commit, prepare
from ..ledger import clerks
from ..store.models import db
from .folders import user_file
from .office_only import refused

_RUNNING: set[QThread] = set()  # jobs still running, kept alive even if their dialog has gone

KINDS = [
    ("activities", "联系活动台账"),
    ("cadres", "领导干部名册"),
    ("targets", "联系对象"),
    ("assignments", "联系安排（也可为对接一览表）"),
]

#: The kinds that change the roster: the party office's (#19); a college secretary imports activities.
ROSTER_KINDS = ("cadres", "targets", "assignments")


class ImportJob(QThread):
    """One core call (prepare or commit) in a worker thread, reporting progress; cancellable.

    The call gets a progress callback; `cancel()` makes the next progress report raise
    Cancelled, which the core turns into "nothing written"."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    refused = Signal(object)  # a Preview with problems
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Callable[[Callable[[int, int, str], None]], Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.work = work
        self.cancel_requested = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)

    def cancel(self) -> None:
        self.cancel_requested = True

    def _progress(self, done: int, total: int, what: str) -> None:
        if self.cancel_requested:
            raise Cancelled()
        self.progressed.emit(done, total, what)

    def run(self) -> None:  # the worker thread
        try:
            result = self.work(self._progress)
        except Cancelled:
            self.cancelled.emit()
        except ImportRefused as e:
            self.refused.emit(e.preview)
        except BadInput as e:
            self.failed.emit(str(e))
        except Exception:
            traceback.print_exc()
            self.failed.emit("导入时发生意外错误，数据没有改动；详情已写入日志")
        else:
            self.succeeded.emit(result)
        finally:
            if db.obj is not None and not db.is_closed():
                db.close()  # this thread's own connection


class ImportDialog(QDialog):
    """Pick a file, preview, import."""

    imported = Signal(object)  # the Preview of a finished import, for pages to refresh

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从 Excel 导入")
        self.resize(900, 600)
        self.importer: Importer | None = None
        self.job: ImportJob | None = None
        self.progress: QProgressDialog | None = None
        self.state = "idle"  # idle / checking / checked / importing / imported / cancelled / failed

        self.kindCombo = QComboBox()
        for key, label in KINDS:
            self.kindCombo.addItem(label, key)
            if key in ROSTER_KINDS and not clerks.may("roster_import"):  # greyed, the reason on hover
                item = self.kindCombo.model().item(self.kindCombo.count() - 1)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip(clerks.refusal("roster_import"))
        self.fileEdit = QLineEdit()
        self.fileEdit.setPlaceholderText("选择 .xlsx 文件")
        self.browseButton = QPushButton("选择文件…")
        self.templateButton = QPushButton("下载模板…")
        self.yearEdit = QLineEdit()
        self.yearEdit.setPlaceholderText("文件中没有“学年”列、标题中也没有时填写，如 2025-2026")
        self.checkButton = QPushButton("检查文件")
        file_row = QHBoxLayout()
        file_row.addWidget(self.fileEdit, 1)
        file_row.addWidget(self.browseButton)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kindCombo, 1)
        kind_row.addWidget(self.templateButton)
        form = QFormLayout()
        form.addRow("导入内容", kind_row)
        form.addRow("文件", file_row)
        form.addRow("学年", self.yearEdit)

        self.summaryLabel = QLabel("选择文件后按“检查文件”：先核对整个文件，列出将新增、修改的内容和所有问题，"
                                   "确认后才写入。")
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextFormat(Qt.TextFormat.RichText)
        self.problemTable = QTableWidget(0, 5)
        self.problemTable.setHorizontalHeaderLabels(["工作表", "行", "列", "内容", "原因"])
        self.problemTable.verticalHeader().hide()
        self.problemTable.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.problemTable.horizontalHeader()
        for i, w in enumerate((90, 50, 80, 160)):
            self.problemTable.setColumnWidth(i, w)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.addedList = QListWidget()
        self.changedList = QListWidget()
        self.skippedList = QListWidget()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.addedList, "将新增")
        self.tabs.addTab(self.changedList, "将修改")
        self.tabs.addTab(self.problemTable, "问题")
        self.tabs.addTab(self.skippedList, "跳过")

        self.importButton = QPushButton("导入")
        self.importButton.setEnabled(False)
        self.importButton.setDefault(True)
        self.closeButton = QPushButton("关闭")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.checkButton)
        buttons.addWidget(self.importButton)
        buttons.addWidget(self.closeButton)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summaryLabel)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        self.browseButton.clicked.connect(self.browse)
        self.templateButton.clicked.connect(self.save_template)
        self.checkButton.clicked.connect(self.check)
        self.importButton.clicked.connect(self.do_import)
        self.closeButton.clicked.connect(self.reject)
        self.kindCombo.currentIndexChanged.connect(self._invalidate)
        self.fileEdit.textChanged.connect(self._invalidate)
        self.yearEdit.textChanged.connect(self._invalidate)

    # Choosing ----------------------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kindCombo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kindCombo.setCurrentIndex(self.kindCombo.findData(kind))

    def set_file(self, path: Path | str) -> None:
        self.fileEdit.setText(str(path))

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择 Excel 文件", user_file(),
                                              "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)")
        if name:
            self.set_file(name)

    def save_template(self) -> None:
        from ..excel.export import write_template

        label = self.kindCombo.currentText().split("（")[0]
        name, _ = QFileDialog.getSaveFileName(self, "保存导入模板", user_file(f"{label}导入模板.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        try:
            path = write_template(self.kind(), Path(name))
        except BadInput as e:
            QMessageBox.warning(self, "无法保存模板", str(e))
            return
        self.summaryLabel.setText(f"模板已保存：{path}")

    def _invalidate(self) -> None:
        if self.state in ("checking", "importing"):
            return
        self.importer = None
        self.importButton.setEnabled(False)
        self.state = "idle"

    # Checking and importing --------------------------------------------------------------------

    def refused(self) -> bool:
        """A roster import by a college secretary: said, and nothing read or written."""
        return self.kind() in ROSTER_KINDS and refused(self, "roster_import", "导入名册")

    def check(self) -> None:
        if self.refused():
            return
        path = Path(self.fileEdit.text().strip())
        if not self.fileEdit.text().strip():
            self._show_failure("请先选择要导入的 Excel 文件")
            return
        year = None
        if self.yearEdit.text().strip():
            year, why = as_year(self.yearEdit.text())
            if why:
                self._show_failure(f"学年：{why}")
                return
        kind = self.kind()
        self._clear()
        self.state = "checking"
        self.summaryLabel.setText("正在检查……")
        self._start(lambda progress: prepare(kind, path, year, progress), "正在读取并检查文件……",
                    self._checked)

    def do_import(self) -> None:
        importer = self.importer
        if self.refused() or importer is None or self.state != "checked" or self.job is not None:
            return
        self.state = "importing"
        self.importButton.setEnabled(False)
        self._start(lambda progress: commit(importer, progress), "正在写入（一个事务，全部或全不）……",
                    self._imported)

    def _start(self, work: Callable[[Callable[[int, int, str], None]], Any], label: str,
               done: Callable[[Any], None]) -> None:
        self.checkButton.setEnabled(False)
        self.progress = QProgressDialog(label, "取消", 0, 0, self)
        self.progress.setWindowTitle("导入")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        job = ImportJob(work, self)
        self.job = job
        self.progress.canceled.connect(job.cancel)
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
        """What the progress dialog's 取消 does."""
        if self.job is not None:
            self.job.cancel()

    def _progressed(self, done: int, total: int, what: str) -> None:
        if self.progress is None:
            return
        if total:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total))
            self.progress.setLabelText(f"{what}：{done:,} / {total:,} 行")
        else:
            self.progress.setMaximum(0)
            self.progress.setLabelText(f"{what}……")

    def _finished(self, job: ImportJob) -> None:
        if job is not self.job:
            return
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.checkButton.setEnabled(True)
        self.importButton.setEnabled(self.state == "checked")  # only once the worker is done
        self.job = None

    def _checked(self, importer: Importer) -> None:
        self.importer = importer
        p = importer.preview
        self._show_preview(p)
        ready = not p.problems and (p.added or p.changed)
        self.state = "checked" if ready else "idle"
        if not p.problems and not (p.added or p.changed):
            self.summaryLabel.setText(self.summaryLabel.text() + "<p>数据已与文件一致，没有需要导入的内容。</p>")

    def _imported(self, p: Preview) -> None:
        self.state = "imported"
        self._show_preview(p)
        self.summaryLabel.setText(f"<p><b>已导入</b>：新增 {p.added:,} 条，修改 {p.changed:,} 条"
                                  f"（一个事务写入，变更日志 {p.log_entries:,} 条）。</p>")
        self.importButton.setEnabled(False)
        self.imported.emit(p)

    def _refused(self, p: Preview) -> None:
        self.state = "idle"
        self._show_preview(p)
        self.importButton.setEnabled(False)

    def _failed(self, message: str) -> None:
        self.state = "failed"
        self._show_failure(message)

    def _cancelled(self) -> None:
        self.state = "cancelled"
        self.importButton.setEnabled(False)
        self.importer = None
        self.summaryLabel.setText("已取消，没有写入任何数据。")

    # Showing -----------------------------------------------------------------------------------

    def _clear(self) -> None:
        self.problemTable.setRowCount(0)
        for w in (self.addedList, self.changedList, self.skippedList):
            w.clear()
        self.importButton.setEnabled(False)

    def _show_failure(self, message: str) -> None:
        self._clear()
        self.summaryLabel.setText(f"<p style='color:#b00020'><b>无法导入</b>：{_html(message)}</p>"
                                  "<p>数据没有任何改动。</p>")

    def _show_preview(self, p: Preview) -> None:
        self._clear()
        lines = [_html(line) for line in p.lines() if not line.startswith("发现")]
        if p.problems:
            lines.insert(0, f"<b style='color:#b00020'>发现 {p.problems.count:,} 处问题，改正后才能导入"
                            "（一条也不会写入）。</b>")
        elif not p.written and (p.added or p.changed):
            lines.insert(0, "<b>检查通过。</b>按“导入”写入以下内容：")
        self.summaryLabel.setText("<br>".join(lines))
        self.addedList.addItems(p.samples["新增"])
        self.changedList.addItems(p.samples["修改"])
        self.skippedList.addItems(p.samples["跳过"])
        self.problemTable.setRowCount(len(p.problems.items))
        for r, problem in enumerate(p.problems.items):
            for c, value in enumerate((problem.sheet, str(problem.row or ""), problem.column, problem.value,
                                       problem.reason)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.problemTable.setItem(r, c, item)
        self.tabs.setTabText(0, f"将新增 {p.added:,}")
        self.tabs.setTabText(1, f"将修改 {p.changed:,}")
        self.tabs.setTabText(2, f"问题 {p.problems.count:,}")
        self.tabs.setTabText(3, f"跳过 {p.skipped:,}")
        if p.problems:
            self.tabs.setCurrentIndex(2)
        elif p.added or not p.changed:
            self.tabs.setCurrentIndex(0)
        else:
            self.tabs.setCurrentIndex(1)

    def reject(self) -> None:
        if self.job is not None:  # closing while working cancels (a write rolls back)
            self.job.cancel()
            self.job.wait()
        super().reject()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_import_dialog(parent: QWidget | None = None) -> ImportDialog:
    """Show the import dialog (window-modal) and return it; `imported` fires after an import."""
    dialog = ImportDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
