"""报表 page: previews through QtPdf, printing through a (PDF-file) printer, signing with a prompted
certificate password, batch printing a month off the GUI thread with a cancellable progress."""

from __future__ import annotations

import time
from datetime import date

import paper_data as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPushButton

from liaison_desk.gui import reports_view
from liaison_desk.gui.app import make_app
from liaison_desk.gui.reports_view import ReportsPage
from liaison_desk.paper.signing import check_pdf_signature, set_certificate_path
from liaison_desk.store.models import Cadre, Sheet


@pytest.fixture
def page(qapp, qtbot, ledger):
    make_app()
    data = pd.build(ledger)
    widget = ReportsPage(today=date(2025, 10, 30))
    qtbot.addWidget(widget)
    widget.show()
    widget.data = data
    widget.cadre_combo.setCurrentText(data.leader)
    return widget


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(100)
    return printer


def sheet_of(name: str) -> Sheet:
    return Sheet.get((Sheet.cadre == Cadre.get(Cadre.name == name)) & (Sheet.month == pd.MONTH))


def test_page_lists_cadres_terms_and_the_sheet_status(page):
    names = [page.cadre_combo.itemText(i) for i in range(page.cadre_combo.count())]
    assert names == [page.data.leader, page.data.middle]
    assert page.term_combo.currentData() == pd.TERM
    assert page.month() == pd.MONTH
    assert "草稿" in page.sheet_status.text() and "活动 4 条" in page.sheet_status.text()


def test_preview_shows_the_sheet_and_prints_it(page, qtbot, tmp_path, monkeypatch):
    qtbot.mouseClick(page.preview_sheet_button, Qt.MouseButton.LeftButton)
    preview = page.preview
    assert preview is not None and preview.isVisible()
    assert preview.document.status() == QPdfDocument.Status.Ready
    assert preview.document.pageCount() == 1
    assert page.data.leader in preview.document.getAllText(0).text()
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr("liaison_desk.gui.print_preview.ask_printer", lambda *a, **k: pdf_printer(out))
    assert preview.print_document()
    assert out.exists() and pd.page_count(out.read_bytes()) == 1


def test_reports_open_in_the_preview(page):
    page.preview_monthly_report()
    assert page.preview.document.pageCount() >= 1
    assert "月报" in page.preview.document.getAllText(0).text()
    page.term_cadre_check.setChecked(True)
    page.preview_term_summary()
    assert page.data.leader in page.preview.document.getAllText(0).text()


def test_signing_asks_for_the_certificate_password_and_seals_with_a_digital_signature(page, tmp_path, monkeypatch):
    certs = pd.make_certificates(tmp_path)
    set_certificate_path(certs.p12)
    page.load_choices()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (asked.append(a[2]) or certs.password, True))
    page.sign_button.click()
    assert asked and "证书密码" in asked[0]
    row = sheet_of(page.data.leader)
    assert row.status == "signed"
    assert check_pdf_signature(bytes(row.signed_pdf), [certs.ca_der]).ok
    assert "已签字封存" in page.sheet_status.text() and not page.sign_button.isEnabled()
    assert page.preview.document.pageCount() >= 1


def test_a_wrong_password_is_said_and_nothing_is_signed(page, tmp_path, monkeypatch):
    certs = pd.make_certificates(tmp_path)
    set_certificate_path(certs.p12)
    warnings = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("错的", True))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    page.sign_button.click()
    assert warnings and "证书密码错误" in warnings[0]
    assert sheet_of(page.data.leader).status == "draft"


def test_signature_image_is_set_from_a_file(page, tmp_path, monkeypatch):
    image = tmp_path / "sig.png"
    image.write_bytes(pd.signature_png())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(image), ""))
    page.signing.signature_choose_button.click()
    assert Cadre.get(Cadre.name == page.data.leader).signature is not None
    assert not page.signing.signature_image.pixmap().isNull()
    page.signing.signature_clear_button.click()
    assert Cadre.get(Cadre.name == page.data.leader).signature is None


def test_batch_printing_a_month_builds_off_the_gui_thread_and_prints_every_page(page, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "month.pdf"
    monkeypatch.setattr(reports_view, "ask_printer", lambda *a, **k: pdf_printer(out))
    page.month_print_button.click()
    qtbot.waitUntil(lambda: "已打印" in page.last_status, timeout=20000)
    assert pd.page_count(out.read_bytes()) == 2  # two sheets of one page each
    assert page.job is None


def test_batch_printing_can_be_cancelled_while_building(page, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "month.pdf"
    monkeypatch.setattr(reports_view, "ask_printer", lambda *a, **k: pdf_printer(out))
    real = reports_view.month_pdf

    def slow(month, total, step, cancelled):
        def wait_for_cancel(done):  # after the first sheet, hold the worker until the clerk cancels
            step(done)
            deadline = time.monotonic() + 10
            while not cancelled() and time.monotonic() < deadline:
                time.sleep(0.01)
        return real(month, total, wait_for_cancel, cancelled)

    monkeypatch.setattr(reports_view, "month_pdf", slow)
    page.month_print_button.click()
    qtbot.waitUntil(lambda: page.progress is not None and page.progress.value() >= 1, timeout=10000)
    page.progress.findChild(QPushButton).click()  # the dialog's 取消 button
    qtbot.waitUntil(lambda: "已取消" in page.last_status, timeout=10000)
    assert page.job is None
    assert not out.exists()
