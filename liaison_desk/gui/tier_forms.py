"""Which record form each tier fills (政策的 [forms]), chosen in the policy editor.

A small widget of its own so the policy editor only places it: one list per tier of the forms
this ledger can use (its own, then the shipped templates). A form the policy names that is
neither is shown as missing, and saving is then refused naming the tier (policy_edit).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from ..ledger import form_library
from ..vocabulary import TIERS


class TierForms(QWidget):
    """One list per tier: 校领导 [记录表]  中层正职 [记录表]  中层副职 [记录表]."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combos: dict[str, QComboBox] = {}
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        for tier, label in TIERS.items():
            combo = QComboBox()
            combo.setAccessibleName(f"{label}使用的记录表")
            # Long titles must not widen the editor past a 1366-pixel screen: the list shows them whole.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            line.addWidget(QLabel(label))
            line.addWidget(combo, 1)
            self.combos[tier] = combo
        self.reload()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name): a form imported meanwhile
        self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """The forms there are now (after an import, say), keeping each tier's choice."""
        chosen = self.forms()
        available = [(f.id, f.title) for f in form_library.form_list()]
        titles = [title for _id, title in available]
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.clear()
            for form_id, title in available:  # the id only where two forms share a title
                combo.addItem(title if titles.count(title) == 1 else f"{title}（{form_id}）", form_id)
                combo.setItemData(combo.count() - 1, f"{title}（{form_id}）", Qt.ItemDataRole.ToolTipRole)
            combo.blockSignals(False)
        if chosen:
            self.set_forms(chosen)

    def set_forms(self, forms: dict[str, str]) -> None:
        for tier, combo in self.combos.items():
            form_id = forms.get(tier, "")
            combo.blockSignals(True)
            if combo.findData(form_id) < 0:
                combo.addItem(f"“{form_id}”（本台账和程序中都没有，请另选）", form_id)
            combo.setCurrentIndex(combo.findData(form_id))
            combo.blockSignals(False)

    def forms(self) -> dict[str, str]:
        return {tier: str(combo.currentData()) for tier, combo in self.combos.items() if combo.currentData()}

    def choose(self, tier: str, form_id: str) -> None:
        """Pick a tier's form as a click would (for tests and other views)."""
        combo = self.combos[tier]
        combo.setCurrentIndex(combo.findData(form_id))
