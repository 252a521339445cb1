"""报表: the paper the office hands out — record sheets (one cadre, or a whole month), signing,
the monthly report and the term summary — each opened in the print preview, printed or saved.

The core draws every PDF (paper: sheet, report, signing); this page only asks what to make and
shows it. A month of sheets is built off the GUI thread with a progress dialog that can stop it.
The signature image and the office certificate are set here too; the certificate's password is
asked for at signing and never stored.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import BadInput
from ..ledger import clerks, settings
from .folders import user_file
from .month_sheets import MonthSheetsPanel
from .office_only import guarded, refused
from .print_preview import BuildJob, PdfPreview, ask_printer, load_document, print_pages
from .signing_box import SigningBox


def month_pdf(month: str, total: Callable[[int], None], step: Callable[[int], None],
              cancelled: Callable[[], bool]) -> bytes:
    """Every sheet of the month in one PDF (signed ones as their archived copies); runs in a
    worker thread."""
    from ..paper.batch import write_sheets
    from ..paper.sheet_content import month_sheets, stored_copies

    contents = month_sheets(month, blanks=True)  # blank forms for whoever has nothing entered yet
    if not contents:
        raise BadInput("名册中没有在任干部，没有可输出的记录表")
    total(len(contents))
    stored = stored_copies([c.sheet_id for c in contents if c.signed])
    buf = io.BytesIO()
    write_sheets(contents, buf, settings.school_name(), stored, step, cancelled)
    return buf.getvalue()


class ReportsPage(QWidget):
    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or date.today()
        self.preview: PdfPreview | None = None
        self.job: BuildJob | None = None
        self.progress: QProgressDialog | None = None
        self.last_status = ""
        self._build()
        self.load_choices()

    # Layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel("报表")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)

        sheets = QGroupBox("工作记录表")
        grid = QGridLayout(sheets)
        self.month_edit = QDateEdit()
        self.month_edit.setDisplayFormat("yyyy年M月")
        self.month_edit.setCalendarPopup(True)
        self.month_edit.setDate(QDate(self.today.year, self.today.month, 1))
        self.cadre_combo = QComboBox()
        self.cadre_combo.setEditable(True)
        self.cadre_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.cadre_combo.setMinimumWidth(180)
        self.sheet_status = QLabel()
        self.sheet_status.setWordWrap(True)
        self.preview_sheet_button = QPushButton("预览记录表")
        self.sign_button = QPushButton("签字封存…")
        self.month_preview_button = QPushButton("预览本月全部")
        self.month_print_button = QPushButton("批量打印本月…")
        self.month_save_button = QPushButton("导出本月全部…")
        grid.addWidget(QLabel("月份"), 0, 0)
        grid.addWidget(self.month_edit, 0, 1)
        grid.addWidget(QLabel("干部"), 0, 2)
        grid.addWidget(self.cadre_combo, 0, 3)
        grid.addWidget(self.preview_sheet_button, 0, 4)
        grid.addWidget(self.sign_button, 0, 5)
        grid.addWidget(self.sheet_status, 1, 0, 1, 5)
        self.sign_note = guarded("sign", self.sign_button)
        grid.addWidget(self.sign_note, 1, 5)
        row = QHBoxLayout()
        row.addWidget(QLabel("本月全部干部："))
        for b in (self.month_preview_button, self.month_print_button, self.month_save_button):
            row.addWidget(b)
        row.addStretch(1)
        grid.addLayout(row, 2, 0, 1, 6)
        grid.setColumnStretch(6, 1)
        layout.addWidget(sheets)

        reports = QGroupBox("月度报告与学期总结")
        rgrid = QGridLayout(reports)
        self.monthly_button = QPushButton("预览月度报告（所选月份）")
        self.term_combo = QComboBox()
        self.term_combo.setMinimumWidth(220)
        self.term_cadre_check = QCheckBox("只看所选干部")
        self.term_button = QPushButton("预览学期总结")
        rgrid.addWidget(self.monthly_button, 0, 0, 1, 2)
        rgrid.addWidget(QLabel("学期"), 1, 0)
        rgrid.addWidget(self.term_combo, 1, 1)
        rgrid.addWidget(self.term_cadre_check, 1, 2)
        rgrid.addWidget(self.term_button, 1, 3)
        rgrid.setColumnStretch(4, 1)
        layout.addWidget(reports)

        self.signing = SigningBox(self.cadre, self.say, self.fail)
        layout.addWidget(self.signing)

        self.receipts = MonthSheetsPanel(self.today)
        layout.addWidget(self.receipts, 1)
        self.receipts.changed.connect(self.refresh_sheet)

        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.preview_sheet_button.clicked.connect(self.preview_sheet)
        self.sign_button.clicked.connect(self.sign_sheet)
        self.month_preview_button.clicked.connect(self.preview_month)
        self.month_print_button.clicked.connect(self.print_month)
        self.month_save_button.clicked.connect(self.save_month)
        self.monthly_button.clicked.connect(self.preview_monthly_report)
        self.term_button.clicked.connect(self.preview_term_summary)
        self.cadre_combo.currentIndexChanged.connect(self.refresh_sheet)
        self.month_edit.dateChanged.connect(self.refresh_sheet)
        self.month_edit.dateChanged.connect(lambda _d: self.receipts.show_month(self.month()))

    def load_choices(self) -> None:
        """Cadres in roster order, the terms, the certificate: read again when the page shows."""
        current = self.cadre_combo.currentText()
        self.cadre_combo.blockSignals(True)
        self.cadre_combo.clear()
        names = [name for _id, name in clerks.visible_cadres()]
        self.cadre_combo.addItems(names)
        if current in names:
            self.cadre_combo.setCurrentText(current)
        self.cadre_combo.blockSignals(False)
        from ..rules.periods import term_label

        self.term_combo.clear()
        chosen = 0
        for i, term in enumerate(settings.terms()):
            self.term_combo.addItem(f"{term_label(term.id)}（{term.id}）", term.id)
            if term.start <= self.today:
                chosen = i
        self.term_combo.setCurrentIndex(chosen)
        self.signing.refresh_certificate()
        self.refresh_sheet()
        self.receipts.show_month(self.month())

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.load_choices()

    # Choices -----------------------------------------------------------------------------------

    def month(self) -> str:
        d = self.month_edit.date()
        return f"{d.year():04d}-{d.month():02d}"

    def cadre(self) -> str:
        return self.cadre_combo.currentText().strip()

    def say(self, text: str) -> None:
        self.last_status = text
        self.status.setText(text)

    def fail(self, message: str) -> None:
        self.say(message)
        QMessageBox.warning(self, "报表", message)

    def refresh_sheet(self) -> None:
        from ..paper.sheet_content import sheet_content

        name = self.cadre()
        self.signing.refresh_signature(name)
        if not name:
            self.sheet_status.setText("")
            return
        try:
            c = sheet_content(name, self.month())
        except BadInput as e:
            self.sheet_status.setText(str(e))
            self.sign_button.setEnabled(False)
            return
        self.sign_button.setEnabled(clerks.may("sign") and not c.signed)
        if c.signed:
            when = f"{c.signed_at:%Y-%m-%d %H:%M}" if c.signed_at else ""
            text = f"已签字封存（{when}），活动 {c.activity_count} 条；预览与输出为存档原件。"
            if not c.intact:
                text += "　注意：封存后记录已有改动，与存档原件不一致！"
        else:
            text = f"草稿：活动 {c.activity_count} 条，尚未签字（打印后可手签）。"
        text += f"纸质表已于 {c.submitted_on} 收到。" if c.submitted_on else "纸质表尚未登记收到。"
        self.sheet_status.setText(text)

    # Documents ---------------------------------------------------------------------------------

    def show_pdf(self, pdf: bytes, title: str, file_name: str) -> PdfPreview:
        self.preview = PdfPreview(pdf, title, file_name, self)
        self.preview.show()
        return self.preview

    def _busy(self, work: Callable[[], Any]) -> Any:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QGuiApplication.restoreOverrideCursor()

    def preview_sheet(self) -> None:
        from ..paper.sheet import sheet_pdf
        from ..paper.sheet_content import sheet_content, stored_copies

        try:
            content = sheet_content(self.cadre(), self.month(), blank=True)
            pdf = stored_copies([content.sheet_id]).get(content.sheet_id) if content.signed else None
            if pdf is None:
                pdf = self._busy(lambda: sheet_pdf(content, settings.school_name())[0])
        except BadInput as e:
            self.fail(str(e))
            return
        self.show_pdf(pdf, f"{content.cadre} {content.month_label}工作记录表",
                      f"{content.month}-{content.cadre}.pdf")

    def sign_sheet(self) -> None:
        from ..paper.signing import certificate_path, load_certificate, sign_sheet

        name, month = self.cadre(), self.month()
        if not name or refused(self, "sign", "签字封存"):
            return
        answer = QMessageBox.question(
            self, "签字封存", f"确定将 {name} {month} 的工作记录表签字封存吗？\n封存后本月记录不能再直接修改。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        certificate = None
        path = certificate_path()
        if path is not None:
            password, ok = QInputDialog.getText(self, "数字证书", f"请输入证书密码（{path.name}）：",
                                                QLineEdit.EchoMode.Password)
            if not ok:
                return
            try:
                certificate = self._busy(lambda: load_certificate(path, password))
            except BadInput as e:
                self.fail(str(e))
                return
        try:
            signed = self._busy(lambda: sign_sheet(name, month, certificate))
        except BadInput as e:
            self.fail(str(e))
            return
        how = "，已加数字签名" if signed.digital else ""
        self.say(f"已签字封存：{name} {signed.content.month_label}{how}。{''.join(signed.warnings)}")
        self.refresh_sheet()
        self.show_pdf(signed.pdf, f"{name} {signed.content.month_label}工作记录表（已签字）",
                      f"{signed.content.month}-{name}.pdf")

    def preview_monthly_report(self) -> None:
        from ..paper.report import monthly_report_pdf

        try:
            pdf, _pages = self._busy(lambda: monthly_report_pdf(self.month(), self.today))
        except BadInput as e:
            self.fail(str(e))
            return
        self.show_pdf(pdf, f"{self.month()} 月度报告", f"月度报告-{self.month()}.pdf")

    def preview_term_summary(self) -> None:
        from ..paper.report import term_summary_pdf

        term = self.term_combo.currentData()
        if not term:
            self.fail("尚未设置学期（请在设置中添加学期）")
            return
        cadre = self.cadre() if self.term_cadre_check.isChecked() else None
        try:
            pdf, _pages = self._busy(lambda: term_summary_pdf(term, self.today, cadre=cadre))
        except BadInput as e:
            self.fail(str(e))
            return
        who = f"-{cadre}" if cadre else ""
        self.show_pdf(pdf, f"{term} 学期总结{('（' + cadre + '）') if cadre else ''}", f"学期总结-{term}{who}.pdf")

    # A whole month, off the GUI thread --------------------------------------------------------

    def build_month(self, then: Callable[[bytes], None], what: str = "生成") -> None:
        """Build the month's sheets in a worker thread with a cancellable progress dialog."""
        if self.job is not None and self.job.isRunning():
            return
        month = self.month()
        progress = QProgressDialog(f"正在{what}{month}的工作记录表…", "取消", 0, 0, self)
        progress.setWindowTitle("工作记录表")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress
        job = BuildJob(lambda total, step, cancelled: month_pdf(month, total, step, cancelled), self)
        self.job = job

        def stepped(done: int) -> None:
            progress.setValue(done)
            progress.setLabelText(f"正在生成工作记录表：{done}/{progress.maximum()} 份…")

        def built(data: object) -> None:
            self.job = None
            if progress.wasCanceled():
                progress.close()
                self.say("已取消。")
                return
            then(bytes(data))  # type: ignore[call-overload]
            progress.close()

        def failed(message: str) -> None:
            self.job = None
            progress.close()
            self.fail(message)

        def cancelled() -> None:
            self.job = None
            progress.close()
            self.say(f"已取消：{month}的工作记录表没有生成。")

        job.total.connect(lambda n: progress.setRange(0, n))
        job.progressed.connect(stepped)
        job.built.connect(built)
        job.failed.connect(failed)
        job.cancelled.connect(cancelled)
        progress.canceled.connect(job.cancel)
        progress.show()
        job.start()

    def preview_month(self) -> None:
        month = self.month()
        self.build_month(lambda pdf: self.show_pdf(pdf, f"{month} 全部工作记录表", f"工作记录表-{month}.pdf"))

    def save_month(self) -> None:
        month = self.month()
        path, _ = QFileDialog.getSaveFileName(self, "导出本月全部记录表", user_file(f"工作记录表-{month}.pdf"),
                                              "PDF 文件 (*.pdf)")
        if not path:
            return

        def write(pdf: bytes) -> None:
            try:
                Path(path).write_bytes(pdf)
            except OSError as e:
                self.fail(f"无法写入 {path}：{e.strerror or e}")
                return
            self.say(f"已导出：{path}")

        self.build_month(write, "导出")

    def print_month(self) -> None:
        month = self.month()
        printer = ask_printer(self, f"{month} 工作记录表")
        if printer is None:
            return

        def send(pdf: bytes) -> None:
            document, _buffer = load_document(pdf)
            progress = self.progress
            if progress is not None:
                progress.setLabelText("正在打印…")
            done = print_pages(document, printer, self, progress,
                               pages=list(range(document.pageCount())))
            self.say(f"已打印 {month} 的工作记录表，共 {document.pageCount()} 页。" if done else "打印已取消。")

        self.build_month(send, "打印")

    # Signature image and certificate ----------------------------------------------------------
