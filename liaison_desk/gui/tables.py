"""Read-only result tables (the compliance page's details, the home view's due-soon list): rows
of text computed by the core, shown as they are, optionally coloured by row."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)  # rows are read with the arrows; Tab goes on to the next control
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], colours: list[QColor | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for i, values in enumerate(rows):
        for j, text in enumerate(values):
            item = QTableWidgetItem(text)
            if colours and colours[i] is not None:
                item.setBackground(colours[i])
            table.setItem(i, j, item)
    table.resizeColumnsToContents()
