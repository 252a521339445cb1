"""问题清单: what students raised, filtered by status, unit, cadre and overdue; each problem's
steps (转办, 办结, 解释, 反馈, 重新打开) entered in place, its history shown, its source sheet opened."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..errors import BadInput
from ..ledger import clerks, listing, problems
from .office_only import refused
from .rows_model import Col, RowsModel, table_view
from .sheet_model import cadre_names

OVERDUE_BG = QColor("#f8d7d5")


class ProblemsModel(RowsModel):
    """Rows from problems.list_problems; overdue ones marked red."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and self.rows[index.row()]["overdue"]:
            return QBrush(OVERDUE_BG)
        return super().data(index, role)


def _date(edit: QDateEdit) -> date:
    return edit.date().toPython()  # type: ignore[no-any-return]


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


class ProblemsPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.status_box = QComboBox()
        self.status_box.addItem("全部状态", "")
        for s in problems.STATUSES:
            self.status_box.addItem(s, s)
        self.unit_box = QComboBox()
        self.unit_box.addItem("全部部门", "")
        for name in clerks.visible_units():
            self.unit_box.addItem(name, name)
        self.cadre_box = QComboBox()
        self.cadre_box.addItem("全部干部", "")
        for _cid, name in cadre_names():
            self.cadre_box.addItem(name, name)
        self.overdue = QCheckBox("只看逾期")
        bar = QHBoxLayout()
        for w in (self.status_box, self.unit_box, self.cadre_box, self.overdue):
            bar.addWidget(w)
        bar.addStretch(1)
        self.count = QLabel()
        bar.addWidget(self.count)

        self.model = ProblemsModel(
            [Col("id", "编号", width=50), Col("raised_on", "日期", width=90), Col("status", "状态", width=64),
             Col("category", "类别", True, 50), Col("unit", "承办部门", width=110), Col("due_on", "期限", width=90),
             Col("cadre", "干部", width=70), Col("description", "问题", True)],
            self.rows, self.edit)
        self.view = table_view(self.model)

        detail = QGroupBox("办理")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.history = QListWidget()
        self.step_date = _date_edit()
        self.to_unit = QComboBox()
        self.to_unit.setEditable(True)
        self.to_unit.addItems(listing.units())
        self.to_unit.setCurrentText("")
        self.due = _date_edit()
        self.due.setDate(QDate.currentDate().addDays(14))
        self.note = QLineEdit()
        self.note.setPlaceholderText("办理结果 / 解释 / 反馈情况 / 重新打开的原因")
        buttons = QHBoxLayout()
        self.actions: dict[str, QPushButton] = {}
        for key, label in (("transfer", "转办"), ("solve", "办结"), ("explain", "解释"), ("answer", "已反馈"),
                           ("reopen", "重新打开"), ("report_up", "上报党委"), ("source", "打开来源记录")):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=key: self.act(k))
            self.actions[key] = button
            buttons.addWidget(button)
        form = QFormLayout()
        form.addRow("日期", self.step_date)
        line = QHBoxLayout()
        line.addWidget(self.to_unit, 1)
        line.addWidget(QLabel("期限"))
        line.addWidget(self.due)
        form.addRow("承办部门", line)
        form.addRow("说明", self.note)
        box = QVBoxLayout(detail)
        box.addWidget(self.title)
        box.addWidget(self.history, 1)
        box.addLayout(form)
        box.addLayout(buttons)

        add_box = QGroupBox("登记问题")
        self.new_text = QLineEdit()
        self.new_text.setPlaceholderText("学生反映的问题")
        self.new_date = _date_edit()
        self.new_category = QComboBox()
        self.new_category.addItems(list(problems.CATEGORIES))
        self.new_urgency = QComboBox()
        self.new_urgency.addItems(list(problems.URGENCIES))
        self.new_by = QLineEdit()
        self.new_by.setPlaceholderText("反映人（可不填）")
        add = QPushButton("登记")
        add.clicked.connect(self.add)
        line = QHBoxLayout(add_box)
        for w in (self.new_text, self.new_date, self.new_category, self.new_urgency, self.new_by, add):
            line.addWidget(w, 3 if w is self.new_text else 0)

        self.message = QLabel()
        self.message.setStyleSheet("color: #8c1c13;")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(add_box)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        for box_widget in (self.status_box, self.unit_box, self.cadre_box):
            box_widget.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _on: self.refresh())
        self.view.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self.show_detail())
        self.model.message.connect(self.message.setText)
        self.refresh()

    def rows(self) -> list[dict[str, Any]]:
        if not hasattr(self, "overdue"):
            return []
        today = date.today()
        found = problems.list_problems(self.status_box.currentData() or "", self.unit_box.currentData() or "",
                                       self.cadre_box.currentData() or "", self.overdue.isChecked(), today)
        return [{"id": r.id, "raised_on": r.raised_on.isoformat(), "status": r.status, "category": r.category,
                 "unit": r.unit, "due_on": r.due_on.isoformat() if r.due_on else "", "cadre": r.cadre,
                 "description": r.description, "overdue": r.overdue(today), "row": r} for r in found]

    def edit(self, row: dict[str, Any], key: str, value: str) -> None:
        problems.update_problem(row["id"], {key: value})

    def refresh(self) -> None:
        self.model.reload()
        overdue = sum(1 for r in self.model.rows if r["overdue"])
        self.count.setText(f"共 {len(self.model.rows)} 条，逾期 {overdue} 条")
        self.show_detail()

    def current(self) -> problems.ProblemRow | None:
        row = self.model.row_at(self.view.currentIndex())
        return row["row"] if row else None

    def show_detail(self) -> None:
        p = self.current()
        self.history.clear()
        for button in self.actions.values():
            button.setEnabled(p is not None)
        if p is None:
            self.title.setText("（在上表中选中一个问题）")
            return
        self.title.setText(f"#{p.id} {p.description}（{p.status}{'，已上报党委' if p.reported_up else ''}）")
        for e in problems.history(p.id):
            extra = f" → {e.unit.name}" if e.unit else ""
            due = f"，期限 {e.due_on}" if e.due_on else ""
            self.history.addItem(f"{e.on}  {e.status}{extra}{due}  {e.note}")
        allowed = problems.NEXT[p.status]
        self.actions["transfer"].setEnabled(problems.TRANSFERRED in allowed)
        self.actions["solve"].setEnabled(problems.SOLVED in allowed)
        self.actions["explain"].setEnabled(problems.EXPLAINED in allowed)
        self.actions["answer"].setEnabled(problems.ANSWERED in allowed)
        self.actions["reopen"].setEnabled(p.status != problems.NEW)
        self.actions["source"].setEnabled(p.activity_id is not None)
        self.actions["report_up"].setText("取消上报" if p.reported_up else "上报党委")

    def act(self, key: str) -> None:
        p = self.current()
        if p is None:
            return
        on, note = _date(self.step_date), self.note.text()
        try:
            if key == "transfer":
                unit = self.to_unit.currentText()
                new = bool(unit.strip()) and unit.strip() not in listing.units()
                if new and refused(self, "units", "转办"):  # a new unit is the office's to add
                    return
                new = new and QMessageBox.question(
                    self, "转办", f"名册中没有部门“{unit.strip()}”。是否作为新部门添加？\n（若是错字，请选“否”后改正）"
                ) == QMessageBox.StandardButton.Yes
                problems.transfer(p.id, unit, _date(self.due), on, note, new_unit=new)
            elif key == "solve":
                problems.solve(p.id, on, note)
            elif key == "explain":
                problems.explain(p.id, on, note)
            elif key == "answer":
                problems.answer(p.id, on, note)
            elif key == "reopen":
                problems.reopen(p.id, on, note)
            elif key == "report_up":
                problems.report_up(p.id, not p.reported_up)
            else:
                self.open_source(p)
                return
        except BadInput as e:
            self.message.setText(e.message)
            return
        self.message.setText(f"问题 #{p.id} 已更新")
        self.note.clear()
        selected = self.view.currentIndex().row()
        self.refresh()
        self.view.selectRow(min(selected, self.model.rowCount() - 1))

    def add(self) -> None:
        try:
            p = problems.add_problem(self.new_text.text(), _date(self.new_date), self.new_category.currentText(),
                                     urgency=self.new_urgency.currentText(), raised_by=self.new_by.text())
        except BadInput as e:
            self.message.setText(e.message)
            return
        self.new_text.clear()
        self.new_by.clear()
        self.message.setText(f"已登记问题 #{p.id}")
        self.refresh()

    def open_source(self, p: problems.ProblemRow) -> None:
        """Go to the record-entry page on the sheet the problem came from."""
        window = self.window()
        if hasattr(window, "page") and p.cadre and p.activity_month:
            editor = window.page("记录录入")
            window.show_area("记录录入")
            editor.open_sheet(p.cadre, p.activity_month)
