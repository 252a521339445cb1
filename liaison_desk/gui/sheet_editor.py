"""记录录入: type a cadre's paper sheet for a month into a grid laid out like the paper form.

Keyboard first: Tab and Enter move through the cells in reading order, typing starts editing,
Ctrl+Z/Ctrl+Y undo and redo, Ctrl+C/Ctrl+V copy and paste ranges as tab-separated text (Excel,
WPS), Ctrl+Delete removes an activity, Ctrl+PgUp/PgDn change cadre and Ctrl+Shift+PgUp/PgDn the
month. Every edit is saved at once.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import settings
from ..errors import BadInput
from ..sheets import SheetContent, load_sheet, target_names
from ..vocabulary import vocabulary
from .delegates import LineEditDelegate
from .sheet_fields import SheetFields, clear_layout
from .sheet_model import DATE, ITEM, SUMMARY, TARGET, GridLine, LinesCommand, SheetModel, cadre_names, line_state

CHINESE = re.compile(r"[\u4e00-\u9fff]")
DATE_WORDS = str.maketrans("", "", "年月日号")  # Chinese that belongs in a time cell (10月12日)


def month_just_ended(today: date) -> tuple[int, int]:
    """Sheets are typed after their month: the month to open first."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class SheetDelegate(LineEditDelegate):
    """Line editors; the target cell suggests the cadre's assigned targets of the row's kind first."""

    def __init__(self, model: SheetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.same_row = False  # the last Enter was Shift+Enter: stay in the paper row

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = super().createEditor(parent, option, index)
        editor.setProperty("column", index.column())
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
        column = editor.property("column")
        if not text or not isinstance(view, SheetView):
            return False
        if column != DATE or not CHINESE.search(text.translate(DATE_WORDS)):
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
        if index.column() == ITEM:
            fixed = content.form.row_categories if content else frozenset()
            return [c for c in vocabulary().categories if c not in fixed]
        if index.column() != TARGET or content is None:
            return []
        category = g.category or (g.line.category if g.line else g.pending.get("category", ""))
        kinds = vocabulary().categories[category].target_kinds if category in vocabulary().categories else ()
        mine = content.assigned_names(kinds)
        return mine + [n for n in target_names(kinds) if n not in mine]



class SheetView(QTableView):
    """The grid: reading-order navigation over editable cells, Excel-like keys."""

    def __init__(self, model: SheetModel) -> None:
        super().__init__()
        self.sheet = model
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
        header = self.horizontalHeader()
        for col, width in enumerate((70, 90, 170, 90, 0, 50, 50, 150)):
            if width:
                self.setColumnWidth(col, width)
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.setAccessibleName("工作记录表")
        self.verticalHeader().setMinimumSectionSize(26)
        self.verticalHeader().setMaximumSectionSize(96)  # long text wraps to three lines at most
        model.shapeChanged.connect(self.apply_spans)
        model.modelReset.connect(self.apply_spans)
        model.dataChanged.connect(lambda top, bottom, _roles=None: self.fit_rows(top.row(), bottom.row()))

    def apply_spans(self) -> None:
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
                    if self.editable(r, c) and not (c == DATE and not value.strip() and g.kind == "activity"):
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
                    if self.editable(r, c) and c not in (DATE, ITEM) and self.sheet.lines[r].kind == "activity":
                        self.sheet.setData(self.sheet.index(r, c), "")
        finally:
            self.sheet.undo.endMacro()


class SheetEditor(QWidget):
    """The 记录录入 page."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = settings.current_policy()
        self.undo = QUndoStack(self)
        self.content: SheetContent | None = None
        self.cadres = cadre_names()
        self._loading = False

        self.cadre_box = QComboBox()
        self.cadre_box.setEditable(True)
        self.cadre_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.cadre_box.setMinimumWidth(160)
        for cid, name in self.cadres:
            self.cadre_box.addItem(name, cid)
        completer = self.cadre_box.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.cadre_box.setAccessibleName("干部")
        self.month_edit = QDateEdit()
        self.month_edit.setDisplayFormat("yyyy年MM月")
        self.month_edit.setCalendarPopup(False)
        self.month_edit.setAccessibleName("月份")
        prev_cadre, next_cadre = QPushButton("上一位"), QPushButton("下一位")
        prev_month, next_month = QPushButton("上月"), QPushButton("下月")
        undo_button, redo_button = QPushButton("撤销"), QPushButton("重做")
        for button in (prev_cadre, next_cadre, prev_month, next_month, undo_button, redo_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # each has its key; Tab goes to the sheet
        bar = QHBoxLayout()
        bar.addWidget(QLabel("干部(&C)"))
        bar.itemAt(0).widget().setBuddy(self.cadre_box)
        for w in (self.cadre_box, prev_cadre, next_cadre, QLabel("月份"), self.month_edit, prev_month, next_month):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(undo_button)
        bar.addWidget(redo_button)

        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold; padding: 6px;")
        self.banner = QLabel()
        self.banner.setStyleSheet("background: #fde8e6; color: #8c1c13; padding: 6px; border: 1px solid #e3a39c;")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.header = QGridLayout()
        self.header_box = QFrame()
        self.header_box.setLayout(self.header)
        self.fields_box = SheetFields(self.policy, self.undo)

        self.model = SheetModel(self.policy, self.undo)
        self.view = SheetView(self.model)
        self.status = QLabel()
        self.status.setStyleSheet("color: #8c1c13;")
        hint = QLabel("Tab 下一格 · Enter 表上下一栏 · Shift+Enter 本栏再填一条 · 直接输入即编辑 · "
                      "输入时 Tab/Enter 取建议、Esc 保留所打的字 · Ctrl+G 到表格 · "
                      "Ctrl+Z 撤销 · Ctrl+Y 重做 · Ctrl+C/Ctrl+V 复制粘贴 · "
                      "Ctrl+Delete 删除本条 · Ctrl+PgUp/PgDn 上/下一位干部 · Ctrl+Shift+PgUp/PgDn 上/下月 · "
                      "日期可写 12、10.12、10月12日")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.header_box)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(hint)

        self.model.message.connect(self.say)
        self.fields_box.message.connect(self.say)
        self.view.selectionModel().currentChanged.connect(
            lambda cur, _prev: self.status.setText(self.model.reason(cur)))
        self.cadre_box.activated.connect(lambda _i: self.open_current())
        self.month_edit.dateChanged.connect(lambda _d: self.open_current())
        prev_cadre.clicked.connect(lambda: self.move_cadre(-1))
        next_cadre.clicked.connect(lambda: self.move_cadre(1))
        prev_month.clicked.connect(lambda: self.move_month(-1))
        next_month.clicked.connect(lambda: self.move_month(1))
        undo_button.clicked.connect(self.undo.undo)
        redo_button.clicked.connect(self.undo.redo)
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        keys_and_slots: list[tuple[Any, Any]] = [
            (QKeySequence.StandardKey.Undo, self.undo.undo), (QKeySequence.StandardKey.Redo, self.undo.redo),
            ("Ctrl+PgDown", lambda: self.move_cadre(1)), ("Ctrl+PgUp", lambda: self.move_cadre(-1)),
            ("Ctrl+Shift+PgDown", lambda: self.move_month(1)), ("Ctrl+Shift+PgUp", lambda: self.move_month(-1)),
            ("Ctrl+G", self.focus_grid)]
        if QKeySequence("Ctrl+Y") not in redo_keys:  # two shortcuts for one key would cancel out
            keys_and_slots.append(("Ctrl+Y", self.undo.redo))
        for keys, slot in keys_and_slots:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.restore_last()

    # Choosing the sheet -------------------------------------------------------------------------

    def restore_last(self) -> None:
        s = QSettings()
        last_cadre = s.value("sheet/cadre", "")
        last_month = s.value("sheet/month", "")
        index = self.cadre_box.findText(str(last_cadre)) if last_cadre else 0
        self._loading = True
        self.cadre_box.setCurrentIndex(max(index, 0))
        today = date.today()
        y, m = month_just_ended(today)
        if last_month and s.value("sheet/opened_in", "") == f"{today.year:04d}-{today.month:02d}":
            with contextlib.suppress(ValueError):  # the month worked on earlier this month
                y, m = (int(p) for p in str(last_month).split("-"))
        self.month_edit.setDate(QDate(y, m, 1))
        self._loading = False
        self.open_current()

    def open_sheet(self, cadre: str, month: str) -> None:
        """Open a cadre's sheet for a month (used by other views and tests)."""
        index = self.cadre_box.findText(cadre)
        if index < 0:
            raise BadInput(f"未找到干部“{cadre}”")
        y, m = (int(p) for p in month.split("-"))
        self._loading = True
        self.cadre_box.setCurrentIndex(index)
        self.month_edit.setDate(QDate(y, m, 1))
        self._loading = False
        self.open_current()

    def month(self) -> str:
        d = self.month_edit.date()
        return f"{d.year():04d}-{d.month():02d}"

    def move_cadre(self, step: int) -> None:
        if self.cadre_box.count():
            self.cadre_box.setCurrentIndex((self.cadre_box.currentIndex() + step) % self.cadre_box.count())
            self.open_current()

    def move_month(self, step: int) -> None:
        self.month_edit.setDate(self.month_edit.date().addMonths(step))

    def open_current(self) -> None:
        if self._loading:
            return
        focus_key = self.fields_box.focused_key()
        self.save_text_fields()  # to the sheet it was typed on, before anything else changes
        cid = self.cadre_box.currentData()
        if cid is None:
            self.title.setText("名册中还没有干部：请先在“名册”中添加")
            return
        self.content = load_sheet(int(cid), self.month(), self.policy)
        self.undo.clear()
        self.model.load(self.content)
        self.show_header()
        self.show_fields(focus_key)
        s = QSettings()
        s.setValue("sheet/cadre", self.content.cadre)
        s.setValue("sheet/month", self.content.month)
        s.setValue("sheet/opened_in", date.today().strftime("%Y-%m"))
        self.view.setCurrentIndex(self.view.step(self.model.index(0, 0)))
        self.say("")

    # The paper's header and the form's own fields ------------------------------------------------

    def show_header(self) -> None:
        c = self.content
        assert c is not None
        self.title.setText(c.form.title)
        if c.signed:
            self.banner.setText(f"本表已于 {c.signed_at or ''} 签字封存，只读。如需修改，须先办理修订"
                                f"（liaison-desk sheet revise），修订会作废原签字并记录在案。")
        self.banner.setVisible(c.signed)
        clear_layout(self.header)
        for col in range(self.header.columnCount()):
            self.header.setColumnStretch(col, 0)
        values = {"month": f"{c.month[:4]}年{int(c.month[5:])}月", "cadre.name": c.cadre,
                  "cadre.position": c.position, "cadre.unit": c.unit}
        for i, f in enumerate(c.form.header):
            label = QLabel(f"{f.label}：")
            label.setStyleSheet("color: #555;")
            value = QLabel(values.get(f.key, "") or "—")
            value.setStyleSheet("font-weight: bold; padding-right: 24px;")
            self.header.addWidget(label, 0, 2 * i)
            self.header.addWidget(value, 0, 2 * i + 1)
        self.header.setColumnStretch(2 * len(c.form.header), 1)

    @property
    def field_widgets(self) -> dict[str, Any]:
        """The form's own value widgets of the sheet shown, by field key (choices as key:option)."""
        return self.fields_box.widgets

    def show_fields(self, focus_key: str | None = None) -> None:
        """The form's non-grid sections for the sheet shown; the focus stays on the same field."""
        assert self.content is not None
        self.fields_box.build(self.content)
        chain = [self.cadre_box, self.month_edit, *self.fields_box.focus_chain(), self.view]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if focus_key is not None:
            widget = self.field_widgets.get(focus_key)
            (widget or self.view).setFocus()
        elif chain[2:-1] and (self.focusWidget() is None or self.isAncestorOf(self.focusWidget())):
            chain[2].setFocus()  # a sheet with its own fields starts at the first, as the paper does

    def save_text_fields(self) -> None:
        """Save what is typed in the form's own fields to the sheet they belong to."""
        self.fields_box.save()

    def say(self, text: str) -> None:
        self.status.setText(text)

    def focus_grid(self) -> None:
        """Ctrl+G: into the grid, at the current cell (the first one the paper asks for if none)."""
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.view.step(self.model.index(0, 0)))
        self.view.setFocus()

