"""First-run set-up (新建台账): the school's policy, the current term, optional demo data.

The policy is one of the presets, a blank one for a school whose rules are none of them
(本校（从空白开始）, its rules then added in 达标检查 → 编辑制度…), or a policy file another
office exported (导入政策文件…)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from ..calendar import Term, academic_year_of
from ..errors import BadInput
from ..ledger import settings
from ..ledger.policy_edit import blank_policy, read_policy_file
from ..policy import Policy, load_preset, preset_ids
from ..store.models import db
from .folders import user_file
from .ui_setup_dialog import Ui_SetupDialog


def default_term(today: date) -> tuple[str, date, date]:
    """The term a clerk setting up today most likely means."""
    year = academic_year_of(date(today.year, 9, 1) if today.month == 8 else today)  # August: the coming year
    y = int(year[:4])
    if today.month >= 8 or today.month == 1:
        return f"{year}-1", date(y, 9, 1), date(y + 1, 1, 18)
    return f"{year}-2", date(y + 1, 2, 23), date(y + 1, 7, 5)


BLANK = "本校（从空白开始）"
IMPORT = "导入政策文件…"


class SetupDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SetupDialog()
        self.ui.setupUi(self)
        self.policies: list[Policy] = [load_preset(pid) for pid in preset_ids()]
        for p in self.policies:
            self.ui.policyCombo.addItem(p.label, p.id)
        self.policies.append(blank_policy())
        self.ui.policyCombo.addItem(BLANK, "")
        self.ui.policyCombo.addItem(IMPORT, IMPORT)
        self.ui.policyCombo.activated.connect(self.policy_activated)
        self.ui.policyCombo.currentIndexChanged.connect(self.show_policy)
        self.show_policy()
        term_id, start, end = default_term(today or date.today())
        self.ui.termEdit.setText(term_id)
        self.ui.startEdit.setDate(QDate(start.year, start.month, start.day))
        self.ui.endEdit.setDate(QDate(end.year, end.month, end.day))
        self.ui.buttons.accepted.connect(self.accept)
        self.ui.buttons.rejected.connect(self.reject)

    def show_policy(self) -> None:
        i = self.ui.policyCombo.currentIndex()
        if self.ui.policyCombo.currentData() == "":
            self.ui.policyInfo.setText("没有任何规则：建好台账后，在“达标检查”→“编辑制度…”中逐条添加本校的规则"
                                       "（或从相近的预设开始修改）。")
        elif 0 <= i < len(self.policies):
            p = self.policies[i]
            self.ui.policyInfo.setText(f"{p.issuer}，{p.issued}；检查规则 {len(p.rules)} 条，"
                                       f"无法从记录检查的要求 {len(p.not_checkable)} 条")
        else:
            self.ui.policyInfo.setText("选择一个 .toml 或 .json 政策文件（另一台账“导出到文件”所得，或按 "
                                       "forms/policies/README.md 的格式书写）。")

    def policy_activated(self, index: int) -> None:
        if self.ui.policyCombo.itemData(index) != IMPORT:
            return
        path, _ = QFileDialog.getOpenFileName(self, "导入政策文件", user_file(), "联系制度 (*.toml *.json)")
        if not path or not self.import_from(Path(path)):
            self.ui.policyCombo.setCurrentIndex(0)

    def import_from(self, path: Path) -> bool:
        """Read and check a policy file; it becomes the chosen policy (saved only with 确定)."""
        try:
            policy = read_policy_file(path)
        except BadInput as e:
            self.ui.errorLabel.setText(f"无法导入：{e}")
            return False
        self.ui.errorLabel.clear()
        self.policies.insert(len(self.policies), policy)
        index = len(self.policies) - 1
        self.ui.policyCombo.insertItem(index, f"文件：{policy.label}（{path.name}）", f"file:{index}")
        self.ui.policyCombo.setCurrentIndex(index)
        return True

    def chosen_policy(self) -> Policy:
        i = self.ui.policyCombo.currentIndex()
        if not 0 <= i < len(self.policies):
            raise BadInput("请选择联系制度，或导入政策文件")
        return self.policies[i]

    def accept(self) -> None:
        """Check and write everything in one transaction; a mistake is shown, nothing is written."""
        start, end = self.ui.startEdit.date().toPython(), self.ui.endEdit.date().toPython()
        try:
            chosen = self.chosen_policy()
            term = Term(self.ui.termEdit.text().strip(), start, end)
            with db.atomic():
                policy = settings.init(chosen, self.ui.schoolEdit.text())
                settings.set_term(term)
                if self.ui.demoCheck.isChecked():
                    from ..ledger.demo import generate

                    generate(policy, cadres=60, months=12, end=date.today().strftime("%Y-%m"))
        except BadInput as e:
            self.ui.errorLabel.setText(str(e))
            return
        super().accept()
