"""本月记录表: the month's list of sheets on the 报表 page — each active cadre, whether the sheet is
typed or signed, and whether its paper copy has reached the office; the selected ones (or a whole
unit, by selecting its rows) are recorded as received on a date, or taken back."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..errors import BadInput
from ..ledger import clerks, settings
from ..ledger.receipts import MonthSheet, clear_received, mark_received, month_list
from ..store.models import Cadre
from .rows_model import Col, RowsModel, table_view

STATUS = {"": "未录入", "draft": "草稿", "signed": "已签字"}


def _row(s: MonthSheet) -> dict[str, Any]:
    return {"cadre_id": s.cadre_id, "cadre": s.cadre, "unit": s.unit, "sheet": STATUS.get(s.status, s.status),
            "activities": s.activities, "received": f"已收到 {s.received}" if s.received else "未收到"}


class MonthSheetsPanel(QGroupBox):
    changed = Signal()  # receipts were recorded or taken back

    def __init__(self, today: date | None = None) -> None:
        super().__init__("本月记录表收到情况")
        self.today = today or date.today()
        self.month = ""
        self.lines: list[MonthSheet] = []
        self.unit_box = QComboBox()
        self.unit_box.setAccessibleName("部门")
        self.unit_box.setToolTip("只列出一个部门的干部（再按 Ctrl+A 全选，可整个部门登记收到）")
        self.model = RowsModel([Col("cadre", "干部", False, 100), Col("unit", "部门", False, 170),
                                Col("sheet", "记录表", False, 70), Col("activities", "活动", False, 50),
                                Col("received", "纸质表")], self.rows)
        self.view = table_view(self.model)
        self.view.setAccessibleName("本月记录表")
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.summary = QLabel()
        self.date_edit = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("收到日期")
        self.mark_button = QPushButton("登记所选已收到")
        self.clear_button = QPushButton("撤销所选收到登记")
        self.mark_button.setToolTip("选中的干部（可按部门连选）的纸质表记为在所填日期收到；已登记的日期不变")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("部门"))
        bar.addWidget(self.unit_box)
        bar.addWidget(self.summary, 1)
        bar.addWidget(QLabel("收到日期"))
        for w in (self.date_edit, self.mark_button, self.clear_button):
            bar.addWidget(w)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.unit_box.currentIndexChanged.connect(lambda _i: self.show_month(self.month))
        self.mark_button.clicked.connect(self.mark_selected)
        self.clear_button.clicked.connect(self.clear_selected)

    def rows(self) -> list[dict[str, Any]]:
        every = month_list(self.month) if self.month else []
        units = clerks.visible_units(sorted({s.unit for s in every if s.unit}))
        self.fill_units(units)
        unit = self.unit_box.currentData()
        if unit:
            self.lines = [s for s in every if s.unit == unit]
        else:  # 全部: everyone for the office, a college secretary's own units' cadres
            self.lines = every if clerks.current().office else [s for s in every if s.unit in units]
        return [_row(s) for s in self.lines]

    def fill_units(self, units: list[str]) -> None:
        chosen = self.unit_box.currentData()
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        self.unit_box.addItem("全部", "")
        for u in units:
            self.unit_box.addItem(u, u)
        self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(chosen)) if chosen else 0)
        self.unit_box.blockSignals(False)

    def show_month(self, month: str) -> None:
        self.month = month
        self.message.setText("")
        self.model.reload()
        got = sum(1 for s in self.lines if s.received)
        label = f"{int(month[:4])}年{int(month[5:])}月"
        missing = len(self.lines) - got
        self.summary.setText(f"{label}：共 {len(self.lines)} 人，纸质表已收到 {got} 份，未收到 {missing} 份")

    def selected(self) -> list[Cadre]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        ids = [self.lines[r].cadre_id for r in rows]
        found = {c.id: c for c in Cadre.select().where(Cadre.id.in_(ids))} if ids else {}
        return [found[i] for i in ids if i in found]

    def mark_selected(self) -> None:
        cadres = self.selected()
        if not cadres:
            self.message.setText("请先在表中选中干部（可先选部门，再按 Ctrl+A 全选）")
            return
        d = self.date_edit.date()
        try:
            done = mark_received(cadres, self.month, date(d.year(), d.month(), d.day()), settings.current_policy())
        except BadInput as e:
            self.message.setText(e.message)
            return
        changed = [r for r in done if r.changed]
        kept = len(done) - len(changed)
        self.show_month(self.month)
        self.message.setText(f"已登记收到 {len(changed)} 份" + (f"；{kept} 份此前已登记，日期未改动" if kept else ""))
        self.changed.emit()

    def clear_selected(self) -> None:
        cadres = self.selected()
        if not cadres:
            self.message.setText("请先在表中选中干部")
            return
        try:
            done = clear_received(cadres, self.month, settings.current_policy())
        except BadInput as e:
            self.message.setText(e.message)
            return
        self.show_month(self.month)
        self.message.setText(f"已撤销 {sum(1 for r in done if r.changed)} 份的收到登记")
        self.changed.emit()
