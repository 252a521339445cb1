"""记录录入: type a cadre's paper sheet for a month into a grid laid out like the paper form.

Keyboard first: Tab and Enter move through the cells in reading order, typing starts editing,
Ctrl+Z/Ctrl+Y undo and redo, Ctrl+C/Ctrl+V copy and paste ranges as tab-separated text (Excel,
WPS), Ctrl+Delete removes an activity, Ctrl+PgUp/PgDn change cadre and Ctrl+Shift+PgUp/PgDn the
month, Ctrl+G goes into the grid. Every edit is saved at once; the grid itself is in sheet_view.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import BadInput
from ..ledger import clerks, settings
from ..ledger.sheets import SheetContent, load_sheet
from .import_sheets_dialog import open_sheets_import, word_paths
from .sheet_fields import SheetFields, clear_layout
from .sheet_model import SheetModel, cadre_names
from .sheet_receipt import ReceivedMark
from .sheet_view import SheetView


def month_just_ended(today: date) -> tuple[int, int]:
    """Sheets are typed after their month: the month to open first."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class SheetEditor(QWidget):
    """The 记录录入 page."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = settings.current_policy()
        self.undo = QUndoStack(self)
        self.content: SheetContent | None = None
        self.cadres = cadre_names()
        self._loading = False
        self.setAcceptDrops(True)  # cadres' Word forms dropped here are imported (import_sheets_dialog)

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
        self.received = ReceivedMark(self.policy, self.undo, self.say)
        bar.addWidget(self.received)
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
                      "Ctrl+R 纸质表已收到 · "
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
        self._showing_reason = False
        self.view.selectionModel().currentChanged.connect(lambda cur, _prev: self.show_reason(cur))
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
            ("Ctrl+G", self.focus_grid), ("Ctrl+R", self.received.toggle), ("F5", self.refresh)]
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

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if word_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Word forms dropped on the page: the import preview, then the sheet shown afresh."""
        paths = word_paths(event.mimeData())
        if not paths:
            return
        event.acceptProposedAction()
        self.save_text_fields()
        open_sheets_import(self, paths, on_imported=lambda _preview: self.open_current())

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
        self.view.commit_open_cell()  # both to the sheet they were typed on, before anything changes
        self.save_text_fields()
        cid = self.cadre_box.currentData()
        if cid is None:
            self.title.setText("名册中还没有干部：请先在“名册”中添加")
            return
        self.content = load_sheet(int(cid), self.month(), self.policy)
        self.undo.clear()
        self.model.load(self.content)
        self.show_header()
        self.show_fields(focus_key)
        self.received.show_for(self.content)
        s = QSettings()
        s.setValue("sheet/cadre", self.content.cadre)
        s.setValue("sheet/month", self.content.month)
        s.setValue("sheet/opened_in", date.today().strftime("%Y-%m"))
        self.view.setCurrentIndex(self.view.step(self.model.index(0, 0)))
        self.say("")

    def refresh(self) -> None:
        """F5: the sheet as the ledger holds it now (another clerk's saves on a server ledger),
        the cursor on the same cell."""
        at = self.view.currentIndex()
        self.open_current()
        if at.isValid() and at.row() < self.model.rowCount() and at.column() < self.model.columnCount():
            self.view.setCurrentIndex(self.model.index(at.row(), at.column()))
        self.say("已刷新：显示台账中现在的内容")

    def edit_in_progress(self) -> bool:
        """Typed and not saved: a line the grid could not save yet, a blank line begun, the form's
        own fields. The main window does not reload the page under them."""
        return (self.model.unsaved() > 0 or self.fields_box.unsaved()
                or any(g.kind == "blank" and any(g.pending.values()) for g in self.model.lines))

    # The paper's header and the form's own fields ------------------------------------------------

    def show_header(self) -> None:
        c = self.content
        assert c is not None
        self.title.setText(c.form.title)
        notes = [c.form.notice] if c.form.notice else []  # the sheet's form is gone: a stand-in
        if c.signed:
            notes.append(f"本表已于 {c.signed_at or ''} 签字封存，只读。如需修改，须先办理修订"
                         f"（liaison-desk sheet revise），修订会作废原签字并记录在案。"
                         + ("" if clerks.may("revise") else "修订由党委办公室办理。"))
        self.banner.setText("\n".join(notes))
        self.banner.setVisible(bool(notes))
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

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.catch_up()

    def catch_up(self) -> None:
        """The page is built once: cadres added in 名册 and the form a tier uses (编辑制度…) since
        then are taken up when it is shown again, on the same cadre and month."""
        policy, cadres = settings.current_policy(), cadre_names()
        if policy == self.policy and cadres == self.cadres:
            return
        self.policy = self.received.policy = self.fields_box.policy = self.model.policy = policy
        if cadres != self.cadres:
            shown = self.cadre_box.currentText()
            self.cadres = cadres
            self._loading = True
            self.cadre_box.clear()
            for cid, name in cadres:
                self.cadre_box.addItem(name, cid)
            self.cadre_box.setCurrentIndex(max(self.cadre_box.findText(shown), 0))
            self._loading = False
        self.open_current()

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        """Leaving the page or closing the window saves text typed a moment ago."""
        if self.content is not None:
            self.save_text_fields()
        super().hideEvent(event)

    def say(self, text: str) -> None:
        self.status.setText(text)
        self._showing_reason = False

    def show_reason(self, index: Any) -> None:
        """A marked cell's reason while the cursor is on it; a message (a refused save) stays when
        the cursor moves on after Enter, until the next message or marked cell."""
        reason = self.model.reason(index)
        if reason or self._showing_reason:
            self.status.setText(reason)
            self._showing_reason = bool(reason)

    def focus_grid(self) -> None:
        """Ctrl+G: into the grid, at the current cell (the first one the paper asks for if none)."""
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.view.step(self.model.index(0, 0)))
        self.view.setFocus()

