"""The line editor every grid uses: a frameless QLineEdit with type-ahead suggestions, whose text
goes to the model's setData as typed (the model parses it and marks what it refuses).

Type-ahead: while suggestions are shown, Tab and Enter take the highlighted one (the first, if
none is highlighted; what was typed, if it is itself one of them) and go on as they would in the
cell. Esc closes the suggestions and keeps exactly what was typed — a name not on the list is a
deliberate choice, not what a Tab gives by accident.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCompleter, QLineEdit, QStyledItemDelegate, QWidget

ACCEPT_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class AcceptSuggestion(QObject):
    """On the suggestion list: Tab/Enter put the chosen suggestion in the editor, then act."""

    def __init__(self, editor: QLineEdit, completer: QCompleter) -> None:
        super().__init__(editor)
        self.editor, self.completer = editor, completer

    def choice(self) -> str | None:
        model = self.completer.completionModel()
        words = [str(model.index(r, 0).data()) for r in range(model.rowCount())]
        typed = self.editor.text().strip()
        if not words or typed in words:
            return None
        current = self.completer.popup().currentIndex()
        return str(current.data()) if current.isValid() else words[0]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or \
                event.key() not in ACCEPT_KEYS:
            return False
        word = self.choice()
        if word is not None:
            self.editor.setText(word)
        self.completer.popup().hide()
        QApplication.sendEvent(self.editor, QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))
        return True


class LineEditDelegate(QStyledItemDelegate):
    def suggestions(self, index: QModelIndex) -> list[str]:
        """Words offered while typing in this cell, most likely first."""
        return []

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setFrame(False)
        words = self.suggestions(index)
        if words:
            completer = QCompleter(words, editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
            editor.setCompleter(completer)
            completer.popup().installEventFilter(AcceptSuggestion(editor, completer))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        # Typing starts the edit: keep the typed text rather than the cell's old value.
        if isinstance(editor, QLineEdit) and not editor.text():
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
