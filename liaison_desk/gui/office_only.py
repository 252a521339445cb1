"""What only the party office may do, greyed out for a college secretary with a word why (#19).

A refused control stays in its place, disabled (a disabled action's shortcut does not run
either), its tooltip and status tip saying why; a short note beside it says so at a glance. A
dialog that writes asks again before it writes, since it can be reached other ways.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ..ledger import clerks


def short_word(action: str) -> str:
    """The visible note: 仅党委办公室可签字封存记录表."""
    return f"仅党委办公室可{clerks.OFFICE_ONLY.get(action, action)}"


def guard(action: str, *controls: QWidget | QAction) -> bool:
    """Disable `controls` when the clerk may not do `action`, the refusal as their tooltip and
    status tip; True when the clerk may."""
    if clerks.may(action):
        return True
    why = clerks.refusal(action)
    for control in controls:
        control.setEnabled(False)
        control.setToolTip(why)
        control.setStatusTip(why)
    return False


def note(action: str) -> QLabel:
    """The short word shown beside a refused control (hidden when the clerk may)."""
    label = QLabel(short_word(action))
    label.setObjectName("officeOnly")
    label.setStyleSheet("color: #8c1c13;")
    label.setWordWrap(True)  # beside a row of fields: it wraps rather than widen the page past the screen
    label.setMaximumWidth(260)
    label.setToolTip(clerks.refusal(action))
    label.setVisible(not clerks.may(action))
    return label


def guarded(action: str, *controls: QWidget | QAction) -> QLabel:
    """guard() and note() at once: the note to lay out beside the controls."""
    guard(action, *controls)
    return note(action)


def refused(parent: QWidget | None, action: str, title: str) -> bool:
    """A dialog's check before it writes: True, with a message saying why, when the clerk may not."""
    if clerks.may(action):
        return False
    QMessageBox.warning(parent, title, clerks.refusal(action))
    return True
