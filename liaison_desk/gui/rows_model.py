"""A small table model for the roster and settings grids: columns described once as data, rows
computed by the core, edits handed to a core service; a refused edit is a message, not a dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableView

from ..errors import BadInput


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    editable: bool = False
    width: int = 0


class RowsModel(QAbstractTableModel):
    message = Signal(str)

    def __init__(self, columns: list[Col], load: Callable[[], list[dict[str, Any]]],
                 edit: Callable[[dict[str, Any], str, str], None] | None = None) -> None:
        super().__init__()
        self.columns = columns
        self._load = load
        self._edit = edit
        self.rows: list[dict[str, Any]] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self._load()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._edit and self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()].get(self.columns[index.column()].key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "" if value is None else str(value)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self._edit is None:
            return False
        row = self.rows[index.row()]
        key = self.columns[index.column()].key
        if str(value) == str(row.get(key, "")):
            return True
        try:
            self._edit(row, key, str(value))
        except BadInput as e:
            self.message.emit(e.message)
            return False
        self.message.emit("已保存")
        self.reload()
        return True

    def row_at(self, index: QModelIndex) -> dict[str, Any] | None:
        return self.rows[index.row()] if index.isValid() else None


def table_view(model: RowsModel) -> QTableView:
    """A grid of whole rows over the model, its columns as wide as their specs say, the last one
    taking the rest of the width."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    for i, col in enumerate(model.columns):
        if col.width:
            view.setColumnWidth(i, col.width)
    view.horizontalHeader().setSectionResizeMode(len(model.columns) - 1, QHeaderView.ResizeMode.Stretch)
    return view
