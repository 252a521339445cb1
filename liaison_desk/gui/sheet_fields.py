"""The form's own values drawn above the grid (三特一体: 特长, 联系载体, 工作内容).

Each set of widgets belongs to one sheet: every edit, and the save when the clerk moves to another
sheet, goes to the sheet the widgets were built for — never to the sheet that happens to be open
when a widget loses focus. Building for a new sheet first saves what was typed, then replaces the
widgets whatever has the keyboard focus.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ..errors import BadInput
from ..forms import Section
from ..ledger.sheets import SheetContent, set_field
from ..policy import Policy


def clear_layout(layout: QGridLayout) -> None:
    """Remove and hide a layout's widgets at once (deleteLater alone leaves them painted a while).

    Signals are blocked first: a line edit that loses focus as it goes must not save anything."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            for child in [widget, *widget.findChildren(QWidget)]:
                child.blockSignals(True)
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


class FieldCommand(QUndoCommand):
    """One of the form's own values changed, on the sheet it was typed on."""

    def __init__(self, fields: SheetFields, content: SheetContent, key: str, old: Any, new: Any) -> None:
        super().__init__(f"修改{key}")
        self.fields, self.content, self.key, self.old, self.new = fields, content, key, old, new

    def _apply(self, value: Any) -> None:
        try:
            said = set_field(self.content.cadre_id, self.content.month, self.key, value, self.fields.policy)
            self.content.fields[self.key] = value
            if isinstance(said, str) and said:  # what the save did besides (e.g. 联系安排 added)
                self.fields.message.emit(said)
        except BadInput as e:
            self.fields.message.emit(e.message)
            self.setObsolete(True)
        self.fields.show_value(self.content, self.key)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class SheetFields(QFrame):
    """The non-grid sections of one sheet: choices, fields, free text, assigned targets."""

    message = Signal(str)

    def __init__(self, policy: Policy, undo: QUndoStack) -> None:
        super().__init__()
        self.policy, self.undo = policy, undo
        self.content: SheetContent | None = None
        self.widgets: dict[str, Any] = {}
        self.grid = QGridLayout(self)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(800)
        self._text_timer.timeout.connect(self.save)

    def build(self, content: SheetContent) -> None:
        """Save what was typed on the sheet shown so far, then show `content`'s own values."""
        self.save()
        clear_layout(self.grid)
        self.widgets = {}
        self.content = content
        row = 0
        for section in content.form.sections:
            if section.kind == "rows" or (section.kind == "activities" and not section.text_key):
                continue
            title = QLabel(section.title + (f"\n{section.note}" if section.note else ""))
            title.setStyleSheet("background: #efe9e1; font-weight: bold; padding: 4px;")
            title.setWordWrap(True)
            title.setMaximumWidth(220)
            self.grid.addWidget(title, row, 0)
            self.grid.addWidget(self._section_box(content, section), row, 1)
            row += 1
        self.setVisible(row > 0)

    def _section_box(self, c: SheetContent, section: Section) -> QWidget:
        box = QWidget()
        line = QHBoxLayout(box)
        line.setContentsMargins(4, 0, 4, 0)
        if section.kind == "choices":
            chosen = c.fields.get(section.key, []) or []
            for option in section.options:
                check = QCheckBox(option)
                check.setChecked(option in chosen)
                check.setEnabled(not c.signed)
                check.toggled.connect(lambda _on, key=section.key: self.save_choices(c, key))
                self.widgets[f"{section.key}:{option}"] = check
                line.addWidget(check)
            line.addStretch(1)
        elif section.kind == "fields":
            for f in section.fields:
                line.addWidget(QLabel(f.label))
                value = c.fields.get(f.key, "") or ""
                edit = QLineEdit("、".join(map(str, value)) if isinstance(value, list) else str(value))
                edit.setReadOnly(c.signed or bool(c.form.notice))  # a stand-in form only shows
                edit.setPlaceholderText(f"联系的{f.label}群体或组织")
                edit.editingFinished.connect(lambda key=f.key, e=edit: self.save_value(c, key, e.text()))
                self.widgets[f.key] = edit
                line.addWidget(edit, 1)
        elif section.kind == "assigned":
            for r in section.rows:
                names = "、".join(c.assigned_names(r.target_kinds)) or "（未安排）"
                label = QLabel(f"{r.label}：{names}")
                label.setWordWrap(True)
                label.setToolTip(names)
                line.addWidget(label, 1)
        elif section.kind in ("text", "activities"):
            key = section.key or section.text_key
            text = QPlainTextEdit(str(c.fields.get(key, "") or ""))
            text.setTabChangesFocus(True)
            text.setReadOnly(c.signed)
            text.setMaximumHeight(80)
            text.setPlaceholderText("本月发现的问题、协调帮助解决困难的情况（简要描述）；具体活动填在下表")
            text.textChanged.connect(self._text_timer.start)
            text.installEventFilter(self)  # saved when the clerk leaves it, too
            self.widgets[key] = text
            line.addWidget(text)
        return box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QPlainTextEdit):
            self.save()
        return False

    def unsaved(self) -> bool:
        """Text typed into the form's own fields and not saved yet (a reload would lose it)."""
        if self.content is None:
            return False
        for key, widget in self.widgets.items():
            if isinstance(widget, QPlainTextEdit | QLineEdit):
                value = self.content.fields.get(key, "") or ""
                saved = "、".join(map(str, value)) if isinstance(value, list) else str(value)
                typed = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
                if typed != saved:
                    return True
        return False

    def focus_chain(self) -> list[QWidget]:
        """The widgets Tab visits, in the paper's order."""
        return [w for w in self.widgets.values() if isinstance(w, QCheckBox | QLineEdit | QPlainTextEdit)]

    def focused_key(self) -> str | None:
        return next((k for k, w in self.widgets.items() if w.hasFocus()), None)

    # Saving ------------------------------------------------------------------------------------

    def save_value(self, content: SheetContent, key: str, value: Any) -> None:
        if content.signed:
            return
        old = content.fields.get(key, "" if not isinstance(value, list) else [])
        if old != value:
            self.undo.push(FieldCommand(self, content, key, old, value))

    def save_choices(self, content: SheetContent, key: str) -> None:
        if content is not self.content:
            return
        chosen = [name.split(":", 1)[1] for name, w in self.widgets.items()
                  if name.startswith(f"{key}:") and w.isChecked()]
        self.save_value(content, key, chosen)

    def save(self) -> None:
        """Typed text goes to its own sheet a moment after typing stops, and before any switch."""
        self._text_timer.stop()
        if self.content is None:
            return
        for key, widget in list(self.widgets.items()):
            if isinstance(widget, QPlainTextEdit):
                self.save_value(self.content, key, widget.toPlainText())
            elif isinstance(widget, QLineEdit):
                self.save_value(self.content, key, widget.text())

    def show_value(self, content: SheetContent, key: str) -> None:
        """After a save, undo or redo: show the value if that sheet is still the one shown."""
        if content is not self.content:
            return
        value = content.fields.get(key)
        for name, widget in self.widgets.items():
            widget.blockSignals(True)
            if name == key and isinstance(widget, QPlainTextEdit) and widget.toPlainText() != (value or ""):
                widget.setPlainText(str(value or ""))
            elif name == key and isinstance(widget, QLineEdit) and widget.text() != (value or ""):
                widget.setText(str(value or ""))
            elif name.startswith(f"{key}:") and isinstance(widget, QCheckBox):
                widget.setChecked(name.split(":", 1)[1] in (value or []))
            widget.blockSignals(False)
