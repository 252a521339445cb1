"""First-run set-up (新建台账): the school's policy, the current term, optional demo data."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QWidget

from ..calendar import Term, academic_year_of
from ..errors import BadInput
from ..ledger import settings
from ..policy import load_preset, preset_ids
from ..store.models import db
from .ui_setup_dialog import Ui_SetupDialog


def default_term(today: date) -> tuple[str, date, date]:
    """The term a clerk setting up today most likely means."""
    year = academic_year_of(today)
    y = int(year[:4])
    if today.month >= 8 or today.month == 1:
        return f"{year}-1", date(y, 9, 1), date(y + 1, 1, 18)
    return f"{year}-2", date(y + 1, 2, 23), date(y + 1, 7, 5)


class SetupDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SetupDialog()
        self.ui.setupUi(self)
        self.policies = [load_preset(pid) for pid in preset_ids()]
        for p in self.policies:
            self.ui.policyCombo.addItem(p.label, p.id)
        self.ui.policyCombo.currentIndexChanged.connect(self.show_policy)
        self.show_policy()
        term_id, start, end = default_term(today or date.today())
        self.ui.termEdit.setText(term_id)
        self.ui.startEdit.setDate(QDate(start.year, start.month, start.day))
        self.ui.endEdit.setDate(QDate(end.year, end.month, end.day))
        self.ui.buttons.accepted.connect(self.accept)
        self.ui.buttons.rejected.connect(self.reject)

    def show_policy(self) -> None:
        i = self.ui.policyCombo.currentIndex()
        if 0 <= i < len(self.policies):
            p = self.policies[i]
            self.ui.policyInfo.setText(f"{p.issuer}，{p.issued}；检查规则 {len(p.rules)} 条，"
                                       f"无法从记录检查的要求 {len(p.not_checkable)} 条")

    def accept(self) -> None:
        """Check and write everything in one transaction; a mistake is shown, nothing is written."""
        policy_id = self.ui.policyCombo.currentData()
        start, end = self.ui.startEdit.date().toPython(), self.ui.endEdit.date().toPython()
        try:
            term = Term(self.ui.termEdit.text().strip(), start, end)
            with db.atomic():
                policy = settings.init(policy_id, self.ui.schoolEdit.text())
                settings.set_term(term)
                if self.ui.demoCheck.isChecked():
                    from ..ledger.demo import generate

                    generate(policy, cadres=60, months=12, end=date.today().strftime("%Y-%m"))
        except BadInput as e:
            self.ui.errorLabel.setText(str(e))
            return
        super().accept()
