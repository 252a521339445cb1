"""台账: every activity in one grid, filtered and sorted by the core, loaded a page at a time,
edited in place with the same checks and undo as the sheet editor."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import activity_fields
from ..calendar import parse_clerk_date
from ..errors import BadInput
from ..ledger import clerks, listing, settings
from ..vocabulary import vocabulary
from .delegates import LineEditDelegate
from .sheet_commands import EditCommand
from .sheet_model import ERROR_BG, cadre_names

KEYS = [key for key, _ in listing.COLUMNS]  # the fixed columns; a form's own fields follow (LedgerModel.keys)
EDITABLE = {"date", "category", "target", "summary", "people", "days", "face_to_face", "problems"}


class LedgerModel(QAbstractTableModel):
    """Rows come from listing.page(); more are fetched as the view scrolls."""

    message = Signal(str)

    def __init__(self, undo: QUndoStack) -> None:
        super().__init__()
        self.policy = settings.current_policy()
        self.undo = undo
        self.filter = listing.LedgerFilter()
        self.sort_key, self.descending = "date", True
        self.rows: list[listing.LedgerRow] = []
        self.total = 0
        self.marks: dict[tuple[int, int], tuple[str, str]] = {}  # (activity id, column) → (text, reason)
        self.columns = listing.columns()  # with a column for each form's own field (地点 …)
        self.keys = [key for key, _ in self.columns]

    def reload(self, f: listing.LedgerFilter | None = None) -> None:
        self.beginResetModel()
        if f is not None:
            self.filter = f
        self.total = listing.count(self.filter)
        self.rows = listing.page(self.filter, self.sort_key, self.descending, 0)
        self.marks.clear()
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        more = listing.page(self.filter, self.sort_key, self.descending, len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = self.keys[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.keys[index.column()] == "face_to_face":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self.keys[index.column()] in EDITABLE or self.keys[index.column()].startswith(listing.EXTRA):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        key = self.keys[index.column()]
        mark = self.marks.get((r.activity_id, index.column()))
        if role == Qt.ItemDataRole.DisplayRole:
            if mark:
                return mark[0]
            value = r.value(key)
            if key == "face_to_face":
                return None
            if key == "date":
                return r.date.isoformat()
            if key == "days" and value is not None:
                return f"{value:g}"
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.EditRole:
            return r.date.isoformat() if key == "date" else ("" if r.value(key) is None else str(r.value(key)))
        if role == Qt.ItemDataRole.CheckStateRole and key == "face_to_face":
            return Qt.CheckState.Checked if r.face_to_face else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and mark:
            return QBrush(ERROR_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            return mark[1] if mark else (r.summary if key == "summary" else None)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        r = self.rows[index.row()]
        key = self.keys[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and key == "face_to_face":
            new: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and (key in EDITABLE or key.startswith(listing.EXTRA)):
            text = "" if value is None else str(value).strip()
            try:
                new = self._parse(r, key, text)
            except BadInput as e:
                self.marks[(r.activity_id, index.column())] = (text, e.message)
                self.dataChanged.emit(index, index)
                self.message.emit(e.message)
                return True
        else:
            return False
        self.marks.pop((r.activity_id, index.column()), None)
        old = r.value(key)
        if new != old and key.startswith(listing.EXTRA):  # a form's own field: only this key changes
            own = key[len(listing.EXTRA):]
            self.undo.push(EditCommand(self, r.activity_id, "extra", {own: old}, {own: new}))  # type: ignore[arg-type]
        elif new != old:
            self.undo.push(EditCommand(self, r.activity_id, key, old, new))  # type: ignore[arg-type]
        return True

    @staticmethod
    def _parse(r: listing.LedgerRow, key: str, text: str) -> Any:
        if key == "date":
            return parse_clerk_date(text, r.date.strftime("%Y-%m")) if len(text) <= 6 and "年" not in text \
                else parse_clerk_date(text)
        if key == "category":
            if text not in vocabulary().categories:
                raise BadInput(f"未知的活动类别“{text}”")
            return text
        if key in ("people", "days"):
            if not text:
                return None
            try:
                number = int(text) if key == "people" else float(text)
            except ValueError:
                raise BadInput(f"“{text}”不是有效的数") from None
            return number
        if key.startswith(listing.EXTRA):
            return activity_fields.clean(key, text, dict(listing.columns()).get(key, key))
        return text

    # The interface EditCommand uses (shared with the sheet grid) --------------------------------

    def shown_updated_at(self, activity_id: int) -> Any:
        """When the activity on screen was last saved: a save over a later change is refused."""
        return next((r.updated_at for r in self.rows if r.activity_id == activity_id), None)

    def sync(self, activity_id: int, _blank: object = None) -> None:
        fresh = listing.row(activity_id)
        for i, r in enumerate(self.rows):
            if r.activity_id == activity_id:
                if fresh is None:
                    self.beginRemoveRows(QModelIndex(), i, i)
                    del self.rows[i]
                    self.total -= 1
                    self.endRemoveRows()
                else:
                    self.rows[i] = fresh
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.keys) - 1))
                return

    def fail(self, error: BadInput) -> None:
        self.message.emit(error.message)


class LedgerDelegate(LineEditDelegate):
    def suggestions(self, index: QModelIndex) -> list[str]:
        keys = getattr(index.model(), "keys", [])
        return list(vocabulary().categories) if keys[index.column()] == "category" else []


class LedgerPage(QWidget):
    """The 台账 page: filters on top, the grid, a count and the reason of a refused edit below."""

    def __init__(self) -> None:
        super().__init__()
        self.undo = QUndoStack(self)
        self.model = LedgerModel(self.undo)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(LedgerDelegate(self.view))
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        for col, width in enumerate((96, 80, 150, 90, 170, 0, 50, 50, 56, 150)):
            if width:
                self.view.setColumnWidth(col, width)
        for col in range(len(KEYS), len(self.model.keys)):  # a form's own fields (地点 …)
            self.view.setColumnWidth(col, 120)
        header.setSectionResizeMode(self.model.keys.index("summary"), QHeaderView.ResizeMode.Stretch)

        self.cadre = QComboBox()
        self.cadre.setEditable(True)
        self.cadre.addItem("", "")
        for _cid, name in cadre_names():
            self.cadre.addItem(name, name)
        self.cadre.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.unit = QComboBox()
        self.unit.addItem("全部部门", "")
        for name in clerks.visible_units():
            self.unit.addItem(name, name)
        self.category = QComboBox()
        self.category.addItem("全部类别", "")
        for name in vocabulary().categories:
            self.category.addItem(name, name)
        self.use_dates = QCheckBox("日期")
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
        today = date.today()
        self.start.setDate(QDate(today.year, 1, 1))
        self.end.setDate(QDate(today.year, today.month, today.day))
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：工作简况、对象、问题、干部")
        self.search.setClearButtonEnabled(True)
        bar = QHBoxLayout()
        for label, widget in (("干部", self.cadre), ("", self.unit), ("", self.category), ("", self.use_dates),
                              ("", self.start), ("至", self.end), ("", self.search)):
            if label:
                bar.addWidget(QLabel(label))
            bar.addWidget(widget, 1 if widget is self.search else 0)
        self.count = QLabel()
        self.status = QLabel()
        self.status.setStyleSheet("color: #8c1c13;")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.count)
        foot.addStretch(1)
        foot.addWidget(self.status)
        layout.addLayout(foot)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.apply)
        for signal in (self.cadre.currentTextChanged, self.unit.currentIndexChanged, self.category.currentIndexChanged,
                       self.start.dateChanged, self.end.dateChanged, self.search.textChanged):
            signal.connect(lambda *_: self.timer.start())
        self.use_dates.toggled.connect(self.toggle_dates)
        self.model.message.connect(self.status.setText)
        self.model.modelReset.connect(self.show_count)
        for keys, slot in ((QKeySequence.StandardKey.Undo, self.undo.undo),
                           (QKeySequence.StandardKey.Redo, self.undo.redo)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.model.reload()

    def toggle_dates(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.timer.start()

    def current_filter(self) -> listing.LedgerFilter:
        dates = self.use_dates.isChecked()
        return listing.LedgerFilter(
            cadre=self.cadre.currentText().strip(), unit=self.unit.currentData() or "",
            category=self.category.currentData() or "",
            start=self.start.date().toPython() if dates else None,
            end=self.end.date().toPython() if dates else None, text=self.search.text().strip())

    def apply(self) -> None:
        self.model.reload(self.current_filter())

    def refresh(self) -> None:
        """The rows as the ledger holds them now (F5; shown again after another clerk's save),
        on the same row and scrolled as they were."""
        at, scrolled = self.view.currentIndex(), self.view.verticalScrollBar().value()
        self.apply()
        while at.isValid() and at.row() >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if at.isValid() and at.row() < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(at.row(), at.column()))
        self.view.verticalScrollBar().setValue(scrolled)

    def show_count(self) -> None:
        self.count.setText(f"共 {self.model.total:,} 条")

