"""编辑联系制度: the clerk changes the database's own policy without touching files or code.

Start from a preset or from nothing; change a rule's numbers, period, categories and who it
applies to; add and remove rules; import a policy file from another office or export this one.
Each change is checked by the same validator as the preset files (policy_edit), errors are shown
next to the form, and nothing reaches the ledger until 保存到台账 (which is logged).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..errors import BadInput
from ..ledger import settings
from ..ledger.policy_edit import (
    blank_policy,
    export_policy,
    new_rule_id,
    read_policy_file,
    save_policy,
    with_fields,
    with_rule,
    without_rule,
)
from ..ledger.roster import split_tags
from ..policy import DEADLINE_EVENTS, PERIODS, FilingKind, Policy, Rule, load_preset, preset_ids
from ..vocabulary import TIERS, vocabulary
from .folders import user_file
from .office_only import refused
from .policy_widgets import (
    DUE_CHOICES,
    NEW_CLAUSE,
    AmountSpin,
    FilingKindsDialog,
    TextBox,
    _checked,
    _checklist,
    _combo,
    _set_checked,
    _set_combo,
    fill_events,
    on_screen,
)
from .tier_forms import TierForms

MEASURE_LABELS = {
    "count": "活动次数", "people": "人次之和", "days": "天数之和", "distinct_targets": "不同对象个数",
    "per_target": "每个对象分别计次", "assigned": "联系安排个数", "deadline": "按期报送",
}
SCOPE_LABELS = {"any": "任何对象", "assigned": "仅本人联系的对象"}
SEVERITY_LABELS = {"required": "必须", "advisory": "提示性（原则上、倡导、鼓励）"}


class RuleForm(QWidget):
    """Every field of one rule, read back as the data a policy file would hold."""

    def __init__(self) -> None:
        super().__init__()
        vocab = vocabulary()
        form = QFormLayout(self)
        self.id_edit = QLineEdit()
        self.title_edit = QLineEdit()
        self.clause_edit = TextBox(NEW_CLAUSE)
        self.clause_edit.setMaximumHeight(70)
        self.measure_combo = _combo(MEASURE_LABELS)
        self.period_combo = _combo(PERIODS)
        numbers = QHBoxLayout()
        self.min_spin = AmountSpin()
        self.max_check = QCheckBox("上限")
        self.max_spin = AmountSpin()
        self.max_check.toggled.connect(self.max_spin.setEnabled)
        self.max_spin.setEnabled(False)
        for w in (QLabel("至少"), self.min_spin, self.max_check, self.max_spin):
            numbers.addWidget(w)
        numbers.addStretch(1)
        self.severity_combo = _combo(SEVERITY_LABELS)
        tiers = QHBoxLayout()
        self.tier_checks = {key: QCheckBox(label) for key, label in TIERS.items()}
        for box in self.tier_checks.values():
            tiers.addWidget(box)
        tiers.addWidget(QLabel("（都不选 = 全部层级）"))
        tiers.addStretch(1)
        self.tags_any_edit = QLineEdit()
        self.tags_all_edit = QLineEdit()
        self.tags_none_edit = QLineEdit()
        for edit in (self.tags_any_edit, self.tags_all_edit, self.tags_none_edit):
            edit.setPlaceholderText("角色标签，用顿号分隔，如 教学院、分管学生工作")
        self.categories_list = _checklist(list(vocab.categories))
        self.face_check = QCheckBox("标记为“面对面”的任何活动也计入")
        self.scope_combo = _combo(SCOPE_LABELS)
        self.kinds_list = _checklist(vocab.target_kinds)
        self.event_combo = _combo({"": "（不是截止规则）", **DEADLINE_EVENTS})
        self.term_months_check = QCheckBox("仅学期月（当月过半不在学期内的寒暑假月份不考核）")
        due_row = QHBoxLayout()
        self.due_combo = QComboBox()
        for key, label in DUE_CHOICES.items():
            self.due_combo.addItem(label, key)
        self.due_date_edit = QLineEdit()
        self.due_date_edit.setPlaceholderText("月-日，如 09-15")
        self.due_date_edit.setMaximumWidth(120)
        self.due_combo.currentIndexChanged.connect(
            lambda _i: self.due_date_edit.setEnabled(self.due_combo.currentData() == "date"))
        self.due_date_edit.setEnabled(False)
        due_row.addWidget(self.due_combo)
        due_row.addWidget(self.due_date_edit)
        due_row.addStretch(1)
        self.offset_spin = QSpinBox()
        self.offset_spin.setRange(-366, 366)
        self.offset_spin.setSuffix(" 天")
        self.note_edit = TextBox()
        self.note_edit.setMaximumHeight(60)
        form.addRow("编号", self.id_edit)
        form.addRow("标题", self.title_edit)
        form.addRow("依据条款", self.clause_edit)
        form.addRow("计量方式", self.measure_combo)
        form.addRow("期间", self.period_combo)
        form.addRow("", self.term_months_check)
        form.addRow("数量", numbers)
        form.addRow("性质", self.severity_combo)
        form.addRow("适用层级", tiers)
        form.addRow("带任一标签", self.tags_any_edit)
        form.addRow("须带全部标签", self.tags_all_edit)
        form.addRow("不带这些标签", self.tags_none_edit)
        form.addRow("计入的活动类别", self.categories_list)
        form.addRow("", self.face_check)
        form.addRow("活动地点", self.scope_combo)
        form.addRow("联系对象类别", self.kinds_list)
        form.addRow("截止事项", self.event_combo)
        form.addRow("联系安排截止", due_row)
        form.addRow("截止日偏移", self.offset_spin)
        form.addRow("解读说明", self.note_edit)

    def show_rule(self, rule: Rule) -> None:
        self.id_edit.setText(rule.id)
        self.title_edit.setText(rule.title)
        self.clause_edit.setPlainText(rule.clause)
        _set_combo(self.measure_combo, rule.measure)
        _set_combo(self.period_combo, rule.period)
        self.min_spin.setValue(rule.min)
        self.max_check.setChecked(rule.max is not None)
        self.max_spin.setValue(rule.max or 0)
        _set_combo(self.severity_combo, rule.severity)
        for key, box in self.tier_checks.items():
            box.setChecked(key in rule.who.tiers)
        self.tags_any_edit.setText("、".join(rule.who.tags_any))
        self.tags_all_edit.setText("、".join(rule.who.tags_all))
        self.tags_none_edit.setText("、".join(rule.who.tags_none))
        _set_checked(self.categories_list, rule.categories)
        self.face_check.setChecked(rule.face_to_face)
        _set_combo(self.scope_combo, rule.scope)
        _set_checked(self.kinds_list, rule.target_kinds)
        _set_combo(self.event_combo, rule.event)
        self.term_months_check.setChecked(rule.term_months_only)
        _set_combo(self.due_combo, rule.due if rule.due in ("", "start", "end") else "date")
        self.due_date_edit.setText(rule.due if rule.due not in ("", "start", "end") else "")
        self.offset_spin.setValue(rule.offset_days)
        self.note_edit.setPlainText(rule.note)

    def data(self) -> dict[str, Any]:
        """The rule as file data (validated later, with the whole policy)."""
        who = {"tiers": [k for k, box in self.tier_checks.items() if box.isChecked()],
               "tags_any": split_tags(self.tags_any_edit.text()),
               "tags_all": split_tags(self.tags_all_edit.text()),
               "tags_none": split_tags(self.tags_none_edit.text())}
        data: dict[str, Any] = {
            "id": self.id_edit.text().strip(), "title": self.title_edit.text().strip(),
            "clause": self.clause_edit.toPlainText().strip(),
            "who": {k: v for k, v in who.items() if v},
            "measure": self.measure_combo.currentData(), "period": self.period_combo.currentData(),
            "min": self.min_spin.value(), "severity": self.severity_combo.currentData(),
            "categories": _checked(self.categories_list), "face_to_face": self.face_check.isChecked(),
            "scope": self.scope_combo.currentData(), "target_kinds": _checked(self.kinds_list),
            "event": self.event_combo.currentData(), "offset_days": self.offset_spin.value(),
            "note": self.note_edit.toPlainText().strip(),
            "term_months_only": self.term_months_check.isChecked(),
            "due": self.due_date_edit.text().strip() if self.due_combo.currentData() == "date"
            else self.due_combo.currentData(),
        }
        if self.max_check.isChecked():
            data["max"] = self.max_spin.value()
        return data


class PolicyEditor(QDialog):
    """The settings view for the policy in force (a dialog reachable from 达标检查)."""

    saved = Signal()

    def __init__(self, parent: QWidget | None = None, policy: Policy | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("编辑联系制度")
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(1100, screen.width() - 40), min(680, screen.height() - 60))  # fits 1366×768
        self.policy = policy or settings.current_policy()
        self.dirty = False
        layout = QVBoxLayout(self)

        top = QGridLayout()
        self.name_edit = QLineEdit()
        self.document_edit = QLineEdit()
        self.start_combo = QComboBox()
        for pid in preset_ids():
            self.start_combo.addItem(f"预设：{load_preset(pid).name}", pid)
        self.start_combo.addItem("空白（从零开始）", "")
        self.start_button = QPushButton("以此重新开始")
        top.addWidget(QLabel("制度名称"), 0, 0)
        top.addWidget(self.name_edit, 0, 1)
        top.addWidget(QLabel("文号"), 0, 2)
        top.addWidget(self.document_edit, 0, 3)
        top.addWidget(QLabel("从预设或空白开始"), 1, 0)
        top.addWidget(self.start_combo, 1, 1, 1, 2)
        top.addWidget(self.start_button, 1, 3)
        self.tier_forms = TierForms()  # which record form each tier fills
        top.addWidget(QLabel("记录表格式"), 2, 0)
        top.addWidget(self.tier_forms, 2, 1, 1, 3)
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.rule_list = QListWidget()
        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增规则")
        self.remove_button = QPushButton("删除规则")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left_layout.addWidget(self.rule_list)
        left_layout.addLayout(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.form = RuleForm()
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        right_layout.addWidget(scroll, 1)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.apply_button = QPushButton("应用修改")
        row = QHBoxLayout()
        row.addWidget(self.error_label, 1)
        row.addWidget(self.apply_button)
        right_layout.addLayout(row)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([330, 770])
        layout.addWidget(split, 1)

        bottom = QHBoxLayout()
        self.filings_button = QPushButton("报送类别…")
        self.import_button = QPushButton("从文件导入…")
        self.export_button = QPushButton("导出到文件…")
        self.status_label = QLabel()
        self.save_button = QPushButton("保存到台账")
        self.close_button = QPushButton("关闭")
        for w in (self.filings_button, self.import_button, self.export_button):
            bottom.addWidget(w)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self.rule_list.currentRowChanged.connect(self.rule_chosen)
        self.apply_button.clicked.connect(self.apply)
        self.add_button.clicked.connect(self.add_rule)
        self.remove_button.clicked.connect(self.remove_rule)
        self.start_button.clicked.connect(self.start_over)
        self.import_button.clicked.connect(self.choose_import)
        self.export_button.clicked.connect(self.choose_export)
        self.filings_button.clicked.connect(self.edit_filings)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.tier_forms.changed.connect(self.forms_chosen)
        self.current = -1
        self.drafting = False  # a new rule in the form, added to the policy once it is valid
        self._shown: dict[str, Any] = {}
        self.show_policy()

    # The working copy -------------------------------------------------------------------------

    def show_policy(self, select: int = 0) -> None:
        self.name_edit.setText(self.policy.name)
        self.document_edit.setText(self.policy.document)
        self.tier_forms.set_forms(self.policy.forms)
        self.rule_list.blockSignals(True)
        self.rule_list.clear()
        for rule in self.policy.rules:
            mark = "（提示）" if rule.severity == "advisory" else ""
            self.rule_list.addItem(f"{rule.title}{mark}  ·  {rule.id}")
        self.rule_list.blockSignals(False)
        self.current = -1
        self.drafting = False
        fill_events(self.form.event_combo, self.policy)
        if self.policy.rules:
            self.rule_list.setCurrentRow(min(select, len(self.policy.rules) - 1))
        self.form.setEnabled(bool(self.policy.rules))
        self.status_label.setText(f"共 {len(self.policy.rules)} 条规则" + ("（有未保存的修改）" if self.dirty else ""))

    def rule_chosen(self, row: int) -> None:
        if row == self.current:
            return
        if self.current >= 0 and self.form_changed() and not self.apply(reselect=False):
            self.rule_list.blockSignals(True)
            self.rule_list.setCurrentRow(self.current)
            self.rule_list.blockSignals(False)
            return
        self.current = row
        self.error_label.clear()
        if 0 <= row < len(self.policy.rules):
            self.form.show_rule(self.policy.rules[row])
            self._shown = self.form.data()

    def form_changed(self) -> bool:
        """True when the form holds edits not yet applied to the working copy."""
        if self.drafting:
            return True
        return 0 <= self.current < len(self.policy.rules) and self.form.data() != self._shown

    def _header_fields(self) -> Policy:
        name, document = self.name_edit.text().strip(), self.document_edit.text().strip()
        if (name, document) != (self.policy.name, self.policy.document):
            return with_fields(self.policy, name=name, document=document)
        return self.policy

    def forms_chosen(self) -> None:
        forms = self.tier_forms.forms()
        if forms != self.policy.forms:
            self.policy = with_fields(self.policy, forms=forms)
            self.dirty = True
            self.status_label.setText(f"共 {len(self.policy.rules)} 条规则（有未保存的修改）")

    def apply(self, reselect: bool = True) -> bool:
        """Put the form's rule into the working copy; False (and the reason shown) if invalid."""
        try:
            policy = self._header_fields()
            data = self.form.data()
            if not data["id"]:  # the clerk need not invent an id
                data["id"] = new_rule_id(policy, "规则")
                self.form.id_edit.setText(data["id"])
            if self.drafting:
                policy = with_rule(policy, data)
                self.drafting = False
            elif 0 <= self.current < len(policy.rules):
                policy = with_rule(policy, data, self.current)
        except BadInput as e:
            self.error_label.setText(on_screen(e, rules=[r.title for r in self.policy.rules] + ["新规则"]))
            return False
        self.error_label.clear()
        if policy != self.policy:
            self.policy = policy
            self.dirty = True
            if reselect:
                self.show_policy(self.current)
            else:
                item = self.rule_list.item(self.current)
                rule = self.policy.rules[self.current]
                item.setText(f"{rule.title}{'（提示）' if rule.severity == 'advisory' else ''}  ·  {rule.id}")
                self.status_label.setText(f"共 {len(self.policy.rules)} 条规则（有未保存的修改）")
        self._shown = self.form.data()
        return True

    def add_rule(self) -> None:
        """A new rule in the form, nothing ticked: it joins the policy when 应用修改 finds it valid."""
        if not self.apply():
            return
        self.rule_list.blockSignals(True)
        self.rule_list.addItem("新规则（未应用）")
        self.rule_list.setCurrentRow(self.rule_list.count() - 1)
        self.rule_list.blockSignals(False)
        self.current = len(self.policy.rules)
        self.drafting = True
        self.form.setEnabled(True)
        self.form.show_rule(Rule(id=new_rule_id(self.policy, "规则"), title="新规则", measure="count",
                                 clause=NEW_CLAUSE, period="month", min=1))
        self.dirty = True
        self.form.title_edit.setFocus()
        self.form.title_edit.selectAll()

    def remove_rule(self) -> None:
        if self.drafting:
            self.drafting = False
            self.error_label.clear()
            self.show_policy(self.current)
            return
        if not 0 <= self.current < len(self.policy.rules):
            return
        self.policy = without_rule(self.policy, self.policy.rules[self.current].id)
        self.dirty = True
        self.show_policy(self.current)

    def edit_filings(self) -> None:
        if not self.apply():
            return
        dialog = FilingKindsDialog(self.policy.filings, self)
        if dialog.exec():
            self.set_filings(tuple(dialog.filings))

    def set_filings(self, filings: tuple[FilingKind, ...]) -> bool:
        """The policy with these filing kinds (validated: a rule may still name a removed one)."""
        try:
            self.policy = with_fields(self.policy, filings=filings)
        except BadInput as e:
            self.error_label.setText(on_screen(e, rules=[r.title for r in self.policy.rules]))
            return False
        self.dirty = True
        self.show_policy(max(0, self.current))
        return True

    def start_over(self) -> None:
        pid = self.start_combo.currentData()
        self.policy = load_preset(pid) if pid else blank_policy()
        self.dirty = True
        self.error_label.clear()
        self.show_policy()

    # Files and saving ------------------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入联系制度", user_file(), "联系制度 (*.toml *.json)")
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> bool:
        try:
            self.policy = read_policy_file(path)
        except BadInput as e:
            self.error_label.setText(f"无法导入：{e}")
            return False
        self.dirty = True
        self.error_label.clear()
        self.show_policy()
        self.status_label.setText(f"已读入 {path.name}，共 {len(self.policy.rules)} 条规则（尚未保存）")
        return True

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出联系制度", user_file(f"{self.policy.id}.toml"),
                                              "TOML 文件 (*.toml);;JSON 文件 (*.json)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        if not self.apply():
            return False
        try:
            export_policy(self.policy, path)
        except BadInput as e:
            self.error_label.setText(f"无法导出：{e}")
            return False
        self.status_label.setText(f"已导出：{path}")
        return True

    def save(self) -> bool:
        if refused(self, "policy", "编辑制度") or not self.apply():
            return False
        try:
            self.policy = save_policy(self.policy)
        except BadInput as e:
            self.error_label.setText(on_screen(e, rules=[r.title for r in self.policy.rules]))
            return False
        self.dirty = False
        self.status_label.setText(f"已保存到台账（共 {len(self.policy.rules)} 条规则，已记入修改日志）")
        self.saved.emit()
        return True

    def reject(self) -> None:
        if self.dirty or self.form_changed():
            answer = QMessageBox.question(self, "编辑联系制度", "有未保存到台账的修改，确定放弃吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

