"""Small pieces of the policy editor (编辑联系制度) kept apart from its layout: amounts shown as
the clerk writes them, errors named by the label on screen, the 报送类别 a school declares."""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..errors import BadInput
from ..policy import DEADLINE_EVENTS, FILING_PERIODS, PERIODS, FilingKind, Policy, due_anchor_ok

#: A key of the policy data → the label the editor shows for it.
LABELS: dict[str, str] = {
    "id": "编号", "title": "标题", "clause": "依据条款", "measure": "计量方式", "period": "期间",
    "min": "数量（至少）", "max": "数量（上限）", "severity": "性质", "who": "适用层级", "tiers": "适用层级",
    "tags_any": "带任一标签", "tags_all": "须带全部标签", "tags_none": "不带这些标签",
    "categories": "计入的活动类别", "face_to_face": "面对面", "scope": "活动地点",
    "target_kinds": "联系对象类别", "event": "截止事项", "offset_days": "截止日偏移", "note": "解读说明",
    "term_months_only": "仅学期月", "due": "联系安排截止",
    "name": "制度名称", "document": "文号", "filings": "报送类别",
}
FILING_LABELS = {"name": "名称", "period": "期间", "due": "截止", "offset_days": "偏移", "note": "备注"}
WHERE = re.compile(r"rules\[(\d+)\]\.(?:who\.)?(\w+)|filings\[(\d+)\]\.(\w+)|^(\w+)$")
#: The clause a new rule starts with: the rule must quote one, and the clerk types over this.
NEW_CLAUSE = "（本校规定，请填写依据条款）"


class TextBox(QPlainTextEdit):
    """A few lines of text in a form that Tab leaves, as in every other field (a clerk at the
    keyboard is not stuck in it), and whose stand-in text is selected on entry, so that typing
    replaces it instead of being put in front of it."""

    def __init__(self, stand_in: str = "") -> None:
        super().__init__()
        self.stand_in = stand_in
        self.setTabChangesFocus(True)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        if self.stand_in and self.toPlainText() == self.stand_in:
            self.selectAll()


DUE_CHOICES = {"": "期间结束时判定（不设截止日）", "start": "期间开始起算（学年：第一学期开学日）",
               "end": "期间结束起算（学年：第二学期结束日）", "date": "指定月日"}


def _combo(choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for key, label in choices.items():
        combo.addItem(f"{label}（{key}）" if key else label, key)
    return combo


def _set_combo(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


def _checklist(names: list[str] | tuple[str, ...]) -> QListWidget:
    """Tick boxes laid out in rows, so every choice is in sight without scrolling the list."""
    box = QListWidget()
    box.setFlow(QListView.Flow.LeftToRight)
    box.setWrapping(True)
    box.setResizeMode(QListView.ResizeMode.Adjust)
    widest = max((box.fontMetrics().horizontalAdvance(n) for n in names), default=60)
    box.setGridSize(QSize(widest + 40, box.fontMetrics().height() + 10))  # room for the tick box
    rows = -(-len(names) // 4)  # four to a row on the narrowest form
    box.setMinimumHeight(rows * box.gridSize().height() + 2 * box.frameWidth() + 6)
    for name in names:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)
    return box


def _checked(box: QListWidget) -> list[str]:
    return [box.item(i).text() for i in range(box.count())
            if box.item(i).checkState() == Qt.CheckState.Checked]


def _set_checked(box: QListWidget, names: tuple[str, ...] | list[str]) -> None:
    for i in range(box.count()):
        item = box.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)


def fill_events(combo: QComboBox, policy: Policy) -> None:
    """A rule's deadline events: the built-in ones and the filing kinds this policy declares."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for key, label in {"": "（不是截止规则）", **DEADLINE_EVENTS}.items():
        combo.addItem(f"{label}（{key}）" if key else label, key)
    for f in policy.filings:
        combo.addItem(f"本校报送：{f.name}", f.name)
    _set_combo(combo, chosen)
    combo.blockSignals(False)


class AmountSpin(QDoubleSpinBox):
    """An amount shown as typed: 1, 0.5 — never 1.00."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, 100000)
        self.setDecimals(2)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        return f"{value:.2f}".rstrip("0").rstrip(".")


def on_screen(error: BadInput, policy: Policy | None = None, rules: list[str] | None = None) -> str:
    """The error as the clerk sees the form: “计入的活动类别”：… for rules[5].categories, with the
    rule's title when it is not the one on screen."""
    where = (error.where or "").split(": ", 1)[-1]
    found = WHERE.search(where)
    if not found:
        return str(error)
    index, key, filing, filing_key, top = found.groups()
    label = LABELS.get(key or filing_key or top or "", key or filing_key or top)
    if filing is not None:
        return f"报送类别第 {int(filing) + 1} 项的“{FILING_LABELS.get(filing_key, filing_key)}”：{error.message}"
    if index is not None and rules is not None and int(index) < len(rules):
        return f"规则“{rules[int(index)]}”的“{label}”：{error.message}"
    return f"“{label}”：{error.message}"


class FilingKindsDialog(QDialog):
    """The filings a school asks for beyond 学期工作总结 and 学年联系安排 (年度书面报告…)."""

    def __init__(self, filings: tuple[FilingKind, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("本校的报送类别")
        self.filings = list(filings)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("学期工作总结、学年联系安排为程序自带；本校另有的报送（如年度书面报告）在此添加，"
                                "再在规则中选为“截止事项”。"))
        self.list = QListWidget()
        layout.addWidget(self.list)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如 年度书面报告")
        self.period_combo = QComboBox()
        for key in FILING_PERIODS:
            self.period_combo.addItem(f"每{PERIODS[key]}一份", key)
        self.due_combo = QComboBox()
        for key, label in (("end", "期间结束（学年：第二学期结束日）"), ("start", "期间开始（学年：第一学期开学日）"),
                           ("date", "指定月日")):
            self.due_combo.addItem(label, key)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("月-日，如 06-30")
        self.offset_spin = QSpinBox()
        self.offset_spin.setRange(-366, 366)
        self.offset_spin.setSuffix(" 天")
        form.addRow("名称", self.name_edit)
        form.addRow("期间", self.period_combo)
        form.addRow("截止", self.due_combo)
        form.addRow("月日", self.date_edit)
        form.addRow("偏移（负数 = 之前）", self.offset_spin)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.add_button = buttons.addButton("添加", QDialogButtonBox.ButtonRole.ActionRole)
        self.remove_button = buttons.addButton("删除所选", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(buttons)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.show_list()

    def show_list(self) -> None:
        self.list.clear()
        for f in self.filings:
            self.list.addItem(QListWidgetItem(f"{f.name}：每{PERIODS[f.period]}，截止 {f.due_text}"))

    def add(self) -> None:
        due = self.due_combo.currentData()
        if due == "date":
            due = self.date_edit.text().strip()
        name = self.name_edit.text().strip()
        if not name or any(f.name == name for f in self.filings):
            self.error_label.setText("请填写名称（不能与已有的重复）")
            return
        if not due_anchor_ok(due):
            self.error_label.setText(f"月日“{due}”不对：应如 06-30")
            return
        self.filings.append(FilingKind(name, self.period_combo.currentData(), due, self.offset_spin.value()))
        self.error_label.clear()
        self.name_edit.clear()
        self.show_list()

    def accept(self) -> None:
        """确定 keeps a kind filled in but not yet added (the clerk need not press 添加 first)."""
        if self.name_edit.text().strip():
            self.add()
            if self.error_label.text():
                return
        super().accept()

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.filings):
            del self.filings[row]
            self.show_list()
