"""登记报送: the clerk records a filing handed in — a term summary, a year's arrangement, or a
filing the school's policy declares (年度书面报告…) — by a cadre or by a unit for all its cadres.
The same service as `filing add` checks it; a mistake is shown and nothing is written."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..calendar import academic_year_of
from ..errors import BadInput
from ..ledger import clerks, settings
from ..ledger.filings import add_filing

#: A deadline rule's event → the filing kind it checks.
EVENT_KIND = {"arrangement_filed": "arrangement", "term_summary": "term_summary"}


class FilingDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None, cadre: str = "",
                 event: str = "", day: date | None = None) -> None:
        """`event` and `day` (from a deadline result in 达标检查) choose the kind and its period."""
        super().__init__(parent)
        self.setWindowTitle("登记报送")
        self.policy = settings.current_policy()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        for key, label in self.policy.filing_kinds().items():
            self.kind_combo.addItem(label, key)
        self.period_edit = QLineEdit()
        self.cadre_combo = QComboBox()
        self.cadre_combo.addItem("（由部门报送）", "")
        for _id, name in clerks.visible_cadres(active=False):
            self.cadre_combo.addItem(name, name)
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("（由干部本人报送）", "")
        for name in clerks.visible_units():
            self.unit_combo.addItem(name, name)
        today = today or date.today()
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.note_edit = QLineEdit()
        form.addRow("报送类别(&K)", self.kind_combo)
        form.addRow("学期或学年(&P)", self.period_edit)
        form.addRow("报送的干部(&C)", self.cadre_combo)
        form.addRow("或部门(&U)", self.unit_combo)
        form.addRow("报送日期(&D)", self.date_edit)
        form.addRow("备注", self.note_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.suggest_period(day or today))
        kind = EVENT_KIND.get(event, event)
        if kind:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.cadre_combo.setCurrentIndex(max(0, self.cadre_combo.findData(cadre)))
        self.suggest_period(day or today)

    def suggest_period(self, day: date) -> None:
        """The term or academic year holding `day`, as the chosen kind is filed."""
        yearly = self.policy.filing_period(self.kind_combo.currentData()) == "year"
        term = settings.term_of(day)
        self.period_edit.setPlaceholderText("学年，如 2025-2026" if yearly else "学期，如 2025-2026-1")
        self.period_edit.setText(academic_year_of(day) if yearly else (term.id if term else ""))

    def accept(self) -> None:
        try:
            add_filing(self.kind_combo.currentData(), self.period_edit.text(), self.date_edit.date().toPython(),
                       cadre=self.cadre_combo.currentData(), unit=self.unit_combo.currentData(),
                       note=self.note_edit.text())
        except BadInput as e:
            self.error_label.setText(str(e))
            return
        super().accept()
