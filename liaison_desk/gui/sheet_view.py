"""The sheet grid's view and cell editors: reading-order navigation, Excel-like keys, paste.

Tab and Enter move through the cells in reading order (Enter: the next row of the paper, Shift+Enter:
another line in this row), typing starts editing, Ctrl+Z/Ctrl+Y undo and redo, Ctrl+C/Ctrl+V copy
and paste ranges as tab-separated text (Excel, WPS), Ctrl+Delete removes an activity.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QTableView,
    QWidget,
)

from ..ledger.sheets import target_names
from ..ledger.target_match import suggested
from ..vocabulary import vocabulary
from .delegates import LineEditDelegate
from .sheet_commands import LinesCommand, line_state
from .sheet_model import ROW, GridLine, SheetModel

CHINESE = re.compile(r"[\u4e00-\u9fff]")
DATE_WORDS = str.maketrans("", "", "年月日号")  # Chinese that belongs in a time cell (10月12日)
#: Column widths by what the column holds (0: takes the room left); a form's own fields: OWN_WIDTH.
WIDTHS = {ROW: 90, "category": 90, "target": 170, "date": 90, "summary": 0, "people": 50, "days": 50,
          "problems": 150}
OWN_WIDTH = 130
SUMMARY_MIN = 200  # the column that takes the room left never gets less: the grid scrolls instead


class SheetDelegate(LineEditDelegate):
    """Line editors; the target cell suggests the cadre's assigned targets of the row's kind first."""

    def __init__(self, model: SheetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.same_row = False  # the last Enter was Shift+Enter: stay in the paper row

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = super().createEditor(parent, option, index)
        editor.setProperty("field", self.model.field_at(index.row(), index.column()))
        return editor

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.same_row = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if isinstance(editor, QLineEdit) and self.moves_on(editor, event):
            return True
        return super().eventFilter(editor, event)

    def moves_on(self, editor: QLineEdit, event: QEvent) -> bool:
        """Chinese typed in a time cell is the 工作简况 after it on paper: the time is committed and
        the text goes on in the next cell, saving the Tab. (Only there: a Tab typed out of habit
        still goes one cell on, never two.)"""
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            text = event.text()
        elif isinstance(event, QInputMethodEvent):
            text = event.commitString()
        else:
            return False
        view = self.parent()
        if not text or not isinstance(view, SheetView):
            return False
        if editor.property("field") != "date" or not CHINESE.search(text.translate(DATE_WORDS)):
            return False
        completer = editor.completer()
        if completer is not None:
            completer.popup().hide()
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        view.setCurrentIndex(view.step(view.currentIndex()))
        # Typing into the next cell starts its edit with the text, as any typed key does.
        QApplication.sendEvent(view, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                               Qt.KeyboardModifier.NoModifier, text))
        return True

    def suggestions(self, index: QModelIndex) -> list[str]:
        content = self.model.content
        g = self.model.lines[index.row()]
        name = self.model.field(g, index.column())
        if name == "category":
            fixed = content.form.row_categories if content else frozenset()
            return [c for c in vocabulary().categories if c not in fixed]
        if name != "target" or content is None:
            return []
        category = g.category or (g.line.category if g.line else g.pending.get("category", ""))
        kinds = vocabulary().categories[category].target_kinds if category in vocabulary().categories else ()
        return suggested(content.assigned_names(kinds), target_names(kinds))



class SheetView(QTableView):
    """The grid: reading-order navigation over editable cells, Excel-like keys."""

    def __init__(self, model: SheetModel) -> None:
        super().__init__()
        self.sheet = model
        self.stretch = 0  # the column that takes the room left (set by size_columns)
        self.setModel(model)
        self.delegate = SheetDelegate(model, self)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setTabKeyNavigation(True)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(30)
        self.horizontalHeader().hide()
        self.size_columns()
        self.setAccessibleName("工作记录表")
        self.verticalHeader().setMinimumSectionSize(26)
        self.verticalHeader().setMaximumSectionSize(96)  # long text wraps to three lines at most
        model.shapeChanged.connect(self.apply_spans)
        model.modelReset.connect(self.apply_spans)
        model.dataChanged.connect(lambda top, bottom, _roles=None: self.fit_rows(top.row(), bottom.row()))

    def size_columns(self) -> None:
        """Widths by what the first section's columns hold, in the form's order; the 工作简况
        column (or else the last) takes the room left."""
        header = self.horizontalHeader()
        fields = [c.field for c in self.sheet.first_layout()]
        if not fields:
            fields = [ROW, "target", "date", "summary", "people", "days", "problems"]
        stretch = 1 + (fields.index("summary") if "summary" in fields else len(fields) - 1)
        self.setColumnWidth(0, 70)
        for col in range(1, self.sheet.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == stretch
                                        else QHeaderView.ResizeMode.Interactive)
            if col != stretch:
                name = fields[col - 1] if col - 1 < len(fields) else ""
                self.setColumnWidth(col, WIDTHS.get(name, OWN_WIDTH))
        self.stretch = stretch
        self.keep_summary_readable()

    def keep_summary_readable(self) -> None:
        """In a narrow pane (the form import preview, a small window) the 工作简况 column was
        squeezed to a few pixels, one character a line; below SUMMARY_MIN it keeps that width.
        Checked each time a sheet is shown (not on every resize: a Python resize hook on the
        view crashes PySide when the view is destroyed)."""
        header = self.horizontalHeader()
        col = self.stretch
        if not 0 < col < header.count():
            return
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != col and not header.isSectionHidden(c))
        roomy = self.viewport().width() - others >= SUMMARY_MIN
        mode = QHeaderView.ResizeMode.Stretch if roomy else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(col) != mode:
            header.setSectionResizeMode(col, mode)
            if not roomy:
                self.setColumnWidth(col, SUMMARY_MIN)
            self.fit_rows(0, self.sheet.rowCount() - 1)

    def apply_spans(self) -> None:
        self.size_columns()
        self.clearSpans()
        for row, col, rows, cols in self.sheet.spans():
            self.setSpan(row, col, rows, cols)
        self.fit_rows(0, self.sheet.rowCount() - 1)

    def fit_rows(self, top: int, bottom: int) -> None:
        """Rows grow so long names and text wrap instead of being cut off."""
        for row in range(max(top, 0), min(bottom, self.sheet.rowCount() - 1) + 1):
            self.resizeRowToContents(row)

    def editable(self, row: int, col: int) -> bool:
        return bool(self.sheet.flags(self.sheet.index(row, col)) & Qt.ItemFlag.ItemIsEditable)

    def step(self, index: QModelIndex, forward: bool = True) -> QModelIndex:
        """The next (or previous) editable cell in reading order."""
        rows, cols = self.sheet.rowCount(), self.sheet.columnCount()
        pos = index.row() * cols + index.column() if index.isValid() else -1
        total = rows * cols
        for _ in range(total):
            pos = pos + 1 if forward else pos - 1
            if not 0 <= pos < total:
                return index
            r, c = divmod(pos, cols)
            if self.editable(r, c):
                return self.sheet.index(r, c)
        return index

    def first_cell(self, row: int) -> QModelIndex:
        for c in range(self.sheet.columnCount()):
            if self.editable(row, c):
                return self.sheet.index(row, c)
        return self.currentIndex()

    def blank_of_row(self, row: int) -> int:
        """The blank line (for a new activity) of the paper row that `row` belongs to."""
        lines = self.sheet.lines
        here = lines[row]
        for r in range(row, len(lines)):
            g = lines[r]
            if g.section != here.section:
                break
            if g.kind == "blank" and (g.label == here.label or not here.fixed):
                return r
        return row

    def enter_moves_to(self, same_row: bool = False) -> QModelIndex:
        """Enter: the new line of the next row of the paper (one Enter per paper row). Shift+Enter:
        the new line of this row, for its next activity. Off the fixed rows both go to the new line."""
        index = self.currentIndex()
        if not index.isValid():
            return self.step(index)
        lines = self.sheet.lines
        here = lines[index.row()]
        if same_row or not here.fixed:
            return self.first_cell(self.blank_of_row(index.row()))
        for r in range(index.row() + 1, len(lines)):
            g = lines[r]
            if g.kind != "header" and not (g.section == here.section and g.fixed and g.label == here.label):
                return self.first_cell(self.blank_of_row(r))
        return self.first_cell(self.blank_of_row(index.row()))

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:  # noqa: N802
        if action == QAbstractItemView.CursorAction.MoveNext:
            return self.step(self.currentIndex(), True)
        if action == QAbstractItemView.CursorAction.MovePrevious:
            return self.step(self.currentIndex(), False)
        return super().moveCursor(action, modifiers)

    def commit_open_cell(self) -> None:
        """What is typed in a cell still open is saved, as Tab would, before the sheet changes
        (Ctrl+PgDn to the next cadre, another month): it was thrown away with the editor."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: commit, then next row
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.setCurrentIndex(self.enter_moves_to(self.delegate.same_row))
            self.setFocus()
            return
        super().closeEditor(editor, hint)
        if self.state() != QAbstractItemView.State.EditingState:
            self.setFocus()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.setCurrentIndex(self.enter_moves_to(bool(mods & Qt.KeyboardModifier.ShiftModifier)))
            return
        if event.matches(QKeySequence.StandardKey.Undo):
            self.sheet.undo.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo) or (
                key == Qt.Key.Key_Y and mods == Qt.KeyboardModifier.ControlModifier):
            self.sheet.undo.redo()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        if key == Qt.Key.Key_Delete and mods & Qt.KeyboardModifier.ControlModifier:
            self.sheet.delete_row(self.currentIndex().row())
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != QAbstractItemView.State.EditingState:
            self.clear_selection()
            return
        super().keyPressEvent(event)

    def selected_block(self) -> tuple[int, int, int, int]:
        indexes = self.selectedIndexes() or [self.currentIndex()]
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def copy_selection(self) -> None:
        top, left, bottom, right = self.selected_block()
        lines = []
        for r in range(top, bottom + 1):
            g = self.sheet.lines[r]
            lines.append("\t".join(self.sheet.text(g, c).replace("\t", " ").replace("\n", " ")
                                   for c in range(left, right + 1)))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def paste(self, text: str) -> None:
        """Tab-separated rows from a spreadsheet, from the current cell on; one undo step.

        Each pasted line goes on the grid line it lands on, as the grid stood before the paste, so
        a block copied from an Excel sheet laid out like the paper puts every line on its own row
        of the form. A block that does not fit the form there is refused whole, saying why."""
        rows = [r.split("\t") for r in text.replace("\r\n", "\n").rstrip("\n").split("\n")]
        start = self.currentIndex()
        if not start.isValid() or self.sheet.read_only:
            return
        targets = self.sheet.lines[start.row():start.row() + len(rows)]
        problem = self.paste_problem(start, rows, targets)
        if problem:
            self.sheet.message.emit(f"未粘贴：{problem}")
            return
        before = line_state(targets)
        self.sheet.undo.beginMacro("粘贴")
        try:
            for g, values in zip(targets, rows, strict=False):
                if g.kind == "header" or not any(v.strip() for v in values) or g not in self.sheet.lines:
                    continue
                for offset, value in enumerate(values):
                    c = start.column() + offset
                    r = self.sheet.lines.index(g)
                    if self.editable(r, c) and not (self.sheet.field(g, c) == "date" and not value.strip()
                                                    and g.kind == "activity"):
                        self.sheet.setData(self.sheet.index(r, c), value)
            self.sheet.undo.push(LinesCommand(self.sheet, before, line_state(targets)))
        finally:
            self.sheet.undo.endMacro()
        pasted = sum(1 for g, v in zip(targets, rows, strict=False) if g.kind != "header" and any(x.strip() for x in v))
        self.sheet.message.emit(self.sheet.saved_message(f"已粘贴 {pasted} 行"))

    def paste_problem(self, start: QModelIndex, rows: list[list[str]], targets: list[GridLine]) -> str:
        """Why the block cannot go where it would land, or "" if every line fits."""
        for i, values in enumerate(rows):
            if not any(v.strip() for v in values):
                continue
            if i >= len(targets):
                return f"粘贴内容有 {len(rows)} 行，表上从此处往下只有 {len(targets)} 行"
            g, r = targets[i], start.row() + i
            for offset, value in enumerate(values):
                c, value = start.column() + offset, value.strip()
                if not value:
                    continue
                if c >= self.sheet.columnCount():
                    return f"第 {i + 1} 行的“{value}”超出了表格的列"
                shown = self.sheet.text(g, c)
                if g.kind == "header" and value != shown:
                    return f"第 {i + 1} 行（“{value}”）会落在“{g.section_title}”的标题行上，请从对应的行开始粘贴"
                if not self.editable(r, c) and value != shown:
                    return f"第 {i + 1} 行的“{value}”会落在表上的“{shown}”栏，与表的栏目不符"
        return ""

    def clear_selection(self) -> None:
        top, left, bottom, right = self.selected_block()
        self.sheet.undo.beginMacro("清除")
        try:
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    if self.editable(r, c) and self.sheet.field_at(r, c) not in ("date", "category") \
                            and self.sheet.lines[r].kind == "activity":
                        self.sheet.setData(self.sheet.index(r, c), "")
        finally:
            self.sheet.undo.endMacro()
