"""名册: units, cadres (tier, tags, position, signature image), targets, each academic year's
assignments, and the 对接一览表 of seed 000's annexes as a view."""

from __future__ import annotations

from datetime import date
from typing import Any

from peewee import JOIN
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..calendar import academic_year_of, parse_year_id
from ..errors import BadInput
from ..forms import get_form
from ..ledger import clerks, roster
from ..store.models import Assignment, Cadre, Target, Unit
from ..vocabulary import TIERS, vocabulary
from .folders import user_file
from .office_only import guarded
from .rows_model import Col, RowsModel, table_view


def _cadre_rows() -> list[dict[str, Any]]:
    query = (Cadre.select(Cadre, Unit.name.alias("unit_name"))
             .join(Unit, join_type=JOIN.LEFT_OUTER, on=(Cadre.unit == Unit.id))
             .order_by(Cadre.sort_order, Cadre.id))
    rows = []
    for c in query.dicts():
        rows.append({"id": c["id"], "name": c["name"], "tier": TIERS.get(c["tier"], c["tier"]),
                     "unit": c["unit_name"] or "", "position": c["position"], "tags": c["tags"],
                     "signature": "已上传" if c["signature"] else "", "active": "在册" if c["active"] else "已离任"})
    return rows


def unit_box(line: QLineEdit) -> QLineEdit:
    """A unit typed with the clerk's units offered (a college secretary: its own only, the first
    filled in; a unit not theirs is refused when saved)."""
    units = clerks.visible_units()
    completer = QCompleter(units, line)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    line.setCompleter(completer)
    line.setPlaceholderText("部门" if clerks.current().office else f"部门（{'、'.join(units)}）")
    if not clerks.current().office and units:
        line.setText(units[0])
    return line


def _edit_cadre(row: dict[str, Any], key: str, value: str) -> None:
    if key == "unit":
        clerks.require_unit(value)
    if key == "active":
        value_obj: object = value.strip() in ("在册", "是", "1", "true")
    else:
        value_obj = value
    roster.update_cadre(row["id"], {key: value_obj})


def _edit_target(row: dict[str, Any], key: str, value: str) -> None:
    if key == "unit":
        clerks.require_unit(value)
    roster.update_target(row["id"], {key: value})


def _target_rows() -> list[dict[str, Any]]:
    query = (Target.select(Target.id, Target.name, Target.kind, Unit.name.alias("unit_name"))
             .join(Unit, join_type=JOIN.LEFT_OUTER, on=(Target.unit == Unit.id)).order_by(Target.kind, Target.name))
    return [{"id": t["id"], "name": t["name"], "kind": t["kind"], "unit": t["unit_name"] or ""} for t in query.dicts()]


class CadresTab(QWidget):
    def __init__(self, status: QLabel) -> None:
        super().__init__()
        self.model = RowsModel([Col("name", "姓名", True, 90), Col("tier", "层级", True, 80),
                                Col("unit", "部门", True, 170), Col("position", "职务", True, 150),
                                Col("signature", "签名", False, 60), Col("active", "状态", True, 60),
                                Col("tags", "角色标签", True)], _cadre_rows, _edit_cadre)
        self.view = table_view(self.model)
        self.name, self.unit, self.position, self.tags = QLineEdit(), unit_box(QLineEdit()), QLineEdit(), QLineEdit()
        self.name.setPlaceholderText("姓名")
        self.position.setPlaceholderText("职务")
        self.tags.setPlaceholderText("角色标签，如 党委委员、分管学生工作")
        self.tier = QComboBox()
        for key, label in TIERS.items():
            self.tier.addItem(label, key)
        add = QPushButton("添加干部")
        signature = QPushButton("设置签名图片…")
        bar = QHBoxLayout()
        for w in (self.name, self.tier, self.unit, self.position, self.tags, add, signature,
                  guarded("sign", signature)):
            bar.addWidget(w, 2 if w is self.tags else 0)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.status = status
        self.model.message.connect(status.setText)
        add.clicked.connect(self.add)
        signature.clicked.connect(self.choose_signature)

    def add(self) -> None:
        try:
            clerks.require_unit(self.unit.text())
            roster.add_cadre(self.name.text(), self.tier.currentData(), self.unit.text(), self.position.text(),
                             self.tags.text())
        except BadInput as e:
            self.status.setText(e.message)
            return
        self.status.setText(f"已添加干部：{self.name.text().strip()}")
        for w in (self.name, self.position, self.tags):
            w.clear()
        self.model.reload()

    def choose_signature(self, path: str | None = None) -> None:
        row = self.model.row_at(self.view.currentIndex())
        if row is None:
            self.status.setText("请先在表中选中一位干部")
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "选择签名图片", user_file(), "图片 (*.png *.jpg *.jpeg)")
        if not path:
            return
        image = QImage(path)
        if image.isNull():
            self.status.setText("无法读取该图片")
            return
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        try:
            roster.set_signature(row["id"], bytes(data.data()))
        except BadInput as e:
            self.status.setText(e.message)
            return
        self.status.setText(f"已保存 {row['name']} 的签名图片")
        self.model.reload()


class TargetsTab(QWidget):
    def __init__(self, status: QLabel) -> None:
        super().__init__()
        self.model = RowsModel([Col("name", "名称", True, 220), Col("kind", "类别", True, 90),
                                Col("unit", "部门", True)], _target_rows,
                               _edit_target)
        self.view = table_view(self.model)
        self.name, self.unit = QLineEdit(), unit_box(QLineEdit())
        self.name.setPlaceholderText("名称")
        self.kind = QComboBox()
        self.kind.addItems(list(vocabulary().target_kinds))
        add = QPushButton("添加联系对象")
        bar = QHBoxLayout()
        for w in (self.name, self.kind, self.unit, add):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.status = status
        self.model.message.connect(status.setText)
        add.clicked.connect(self.add)

    def add(self) -> None:
        try:
            clerks.require_unit(self.unit.text())
            roster.add_target(self.name.text(), self.kind.currentText(), self.unit.text())
        except BadInput as e:
            self.status.setText(e.message)
            return
        self.status.setText(f"已添加联系对象：{self.name.text().strip()}")
        self.name.clear()
        self.model.reload()


def year_box() -> QComboBox:
    """The academic year: the years the roster offers, or any other typed as 2024-2025."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setMinimumContentsLength(9)
    box.setToolTip("学年，可选或直接输入，如 2024-2025")
    box.addItems(roster.assignment_years())
    box.setCurrentText(academic_year_of(date.today()))
    return box


def typed_year(box: QComboBox) -> str:
    """The year in the box, checked (BadInput with the reason when it is not a year)."""
    year = box.currentText().strip()
    parse_year_id(year)
    return year


def _target_label(name: str, kind: str) -> str:
    return f"{name}（{kind}）"


class AssignmentsTab(QWidget):
    def __init__(self, status: QLabel) -> None:
        super().__init__()
        self.status = status
        self.year = year_box()
        self.model = RowsModel([Col("cadre", "干部", False, 100), Col("target", "联系对象", False, 240),
                                Col("kind", "类别", False, 90), Col("role", "角色")], self.rows)
        self.view = table_view(self.model)
        self.cadre = QComboBox()
        self.cadre.setEditable(True)
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.setMinimumContentsLength(14)
        self.cadre.setMinimumContentsLength(6)
        for box, hint in ((self.cadre, "干部"), (self.target, "联系对象（可输入查找）")):
            box.completer().setFilterMode(Qt.MatchFlag.MatchContains)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            box.lineEdit().setPlaceholderText(hint)
        self.reload_choices()
        self.role = QLineEdit()
        self.role.setPlaceholderText("角色，如 名誉班主任")
        add, remove = QPushButton("添加安排"), QPushButton("删除选中安排")
        bar = QHBoxLayout()
        for w in (QLabel("学年"), self.year, self.cadre, self.target, self.role, add, remove):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.year.currentTextChanged.connect(lambda _t: self.model.reload())
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)

    def reload_choices(self) -> None:
        """The cadre and target lists as the roster holds them now (after an add, an import…),
        keeping what is typed in the boxes."""
        for box, items in (
                (self.cadre, [(name, name) for _id, name in clerks.visible_cadres(active=False)]),
                (self.target, [(_target_label(t.name, t.kind), (t.name, t.kind))
                               for t in Target.select(Target.name, Target.kind).order_by(Target.kind, Target.name)])):
            text = box.currentText()
            box.blockSignals(True)
            box.clear()
            for label, data in items:
                box.addItem(label, data)
            box.setCurrentText(text)
            box.blockSignals(False)

    def chosen_target(self) -> tuple[str, str | None]:
        """(name, kind) of the target box: a listed item "名称（类别）", or a name typed alone."""
        text = self.target.currentText().strip()
        i = self.target.findText(text)
        if i >= 0:
            name, kind = self.target.itemData(i)
            return name, kind
        return text, None

    def rows(self) -> list[dict[str, Any]]:
        year = self.year.currentText().strip() if hasattr(self, "year") else ""
        query = (Assignment.select(Assignment.id, Cadre.name, Target.name, Target.kind, Assignment.role)
                 .join(Cadre).switch(Assignment).join(Target).where(Assignment.year == year)
                 .order_by(Cadre.sort_order, Cadre.id, Target.kind))
        return [{"id": i, "cadre": c, "target": t, "kind": k, "role": r} for i, c, t, k, r in query.tuples()]

    def add(self) -> None:
        name, kind = self.chosen_target()
        try:
            year = typed_year(self.year)
            a = roster.assign(self.cadre.currentText(), name, year, self.role.text(), kind=kind)
        except BadInput as e:
            self.status.setText(e.message)
            return
        self.status.setText(f"已添加联系安排：{a.cadre.name} → {a.target.name}（{year} 学年）")
        if self.year.findText(year) < 0:
            self.year.addItem(year)
        self.model.reload()

    def remove(self) -> None:
        row = self.model.row_at(self.view.currentIndex())
        if row is None:
            self.status.setText("请先选中一条安排")
            return
        roster.remove_assignment(row["id"])
        self.status.setText(f"已删除：{row['cadre']} → {row['target']}")
        self.model.reload()


class RosterListTab(QWidget):
    """The 对接一览表, laid out by forms/sheets/roster.toml."""

    def __init__(self) -> None:
        super().__init__()
        self.form = get_form("roster")
        self.year = year_box()
        columns = [Col(f"c{i}", c.label, False, c.width * 40) for i, c in enumerate(self.form.columns)]
        self.model = RowsModel(columns, self.rows)
        self.view = table_view(self.model)
        title = QLabel(self.form.title)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 14pt; font-weight: bold; padding: 6px;")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("学年"))
        bar.addWidget(self.year)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(title)
        layout.addWidget(self.view)
        self.year.currentTextChanged.connect(lambda _t: self.model.reload())

    def rows(self) -> list[dict[str, Any]]:
        year = self.year.currentText().strip() if hasattr(self, "year") else ""
        try:
            parse_year_id(year)
        except BadInput:
            return []
        kinds = [c.target_kinds for c in self.form.columns if c.key == "assigned"]
        result = []
        for n, (cadre, assigned) in enumerate(roster.roster_list(year, kinds), start=1):
            values = {"index": str(n), "cadre.name": cadre.name, "cadre.position": cadre.position,
                      "cadre.unit": cadre.unit.name if cadre.unit else ""}
            row: dict[str, Any] = {}
            k = 0
            for i, col in enumerate(self.form.columns):
                if col.key == "assigned":
                    row[f"c{i}"] = "、".join(assigned[k])
                    k += 1
                else:
                    row[f"c{i}"] = values.get(col.key, "")
            result.append(row)
        return result


class RosterPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.status = QLabel()
        self.status.setStyleSheet("color: #8c1c13;")
        self.tabs = QTabWidget()
        self.cadres = CadresTab(self.status)
        self.targets = TargetsTab(self.status)
        self.assignments = AssignmentsTab(self.status)
        self.roster_list = RosterListTab()
        self.tabs.addTab(self.cadres, "领导干部")
        self.tabs.addTab(self.targets, "联系对象")
        self.tabs.addTab(self.assignments, "联系安排")
        self.tabs.addTab(self.roster_list, "对接一览表")
        self.tabs.currentChanged.connect(self.refresh)
        self.cadres.model.modelReset.connect(self.assignments.reload_choices)
        self.targets.model.modelReset.connect(self.assignments.reload_choices)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)

    def refresh(self, _index: int = 0) -> None:
        """What the current tab shows, read again: the roster may have changed elsewhere (the
        sheet editor, an import, the command line)."""
        widget = self.tabs.currentWidget()
        if widget is self.assignments:
            self.assignments.reload_choices()
        model = getattr(widget, "model", None)
        if isinstance(model, RowsModel):
            model.reload()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()
