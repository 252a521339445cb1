"""Screenshots of a new school's set-up, on a 1366×768 screen (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/policy_screenshots.py

docs/first-run-setup.png: the first-run dialog with 本校（从空白开始）chosen;
docs/first-run-setup-policies.png: with its policy list open (the presets, 本校（从空白开始）,
导入政策文件…); docs/compliance-policy-editor.png: the policy editor holding
the sixth school's policy (tests/data/sixth-school-policy.toml) at its monthly rule (and
-lower.png at its class-link rule); docs/compliance-uncounted.png: 达标检查's drill-down listing
the activities that did not count apart, each with why.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPixmap

from liaison_desk.calendar import Term
from liaison_desk.gui.app import make_app
from liaison_desk.gui.compliance_view import CompliancePage
from liaison_desk.gui.policy_editor import PolicyEditor
from liaison_desk.gui.setup_dialog import SetupDialog
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.policy_edit import read_policy_file
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.store import storage

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def settle(app) -> None:
    for _ in range(10):
        app.processEvents()


def main() -> None:
    app = make_app()
    folder = Path(tempfile.mkdtemp())
    storage.open_database(folder / "new.sqlite3")
    dialog = SetupDialog(today=date(2025, 8, 25))
    dialog.show()
    settle(app)
    dialog.ui.policyCombo.setCurrentIndex(dialog.ui.policyCombo.findText("本校（从空白开始）"))
    settle(app)
    dialog.grab().save(str(DOCS / "first-run-setup.png"))
    dialog.ui.policyCombo.showPopup()
    settle(app)
    QTimer.singleShot(300, app.quit)
    app.exec()
    # The dialog and its open list are two windows: draw both where they are on the screen.
    popup_window = dialog.ui.policyCombo.view().window()
    inner = dialog.geometry()
    popup = popup_window.geometry()
    area = inner.united(popup)
    picture = QPixmap(area.size())
    picture.fill(QColor("#f0f0f0"))
    painter = QPainter(picture)
    painter.drawPixmap(inner.topLeft() - area.topLeft(), dialog.grab())
    painter.drawPixmap(popup.topLeft() - area.topLeft(), popup_window.grab())
    painter.end()
    picture.save(str(DOCS / "first-run-setup-policies.png"))
    screen = QGuiApplication.primaryScreen()
    dialog.ui.policyCombo.hidePopup()
    settings.init(read_policy_file(ROOT / "tests" / "data" / "sixth-school-policy.toml"), "第六学院")
    editor = PolicyEditor(policy=settings.current_policy())
    editor.show()
    editor.rule_list.setCurrentRow([r.id for r in editor.policy.rules].index("听课-每月"))
    settle(app)
    QTimer.singleShot(300, app.quit)
    app.exec()
    print(f"editor {editor.frameGeometry().width()}×{editor.frameGeometry().height()} "
          f"on {screen.availableGeometry().width()}×{screen.availableGeometry().height()}", file=sys.stderr)
    editor.grab().save(str(DOCS / "compliance-policy-editor.png"))
    editor.rule_list.setCurrentRow(0)  # 联系1—2个班级, with its due date, at the form's end
    scroll = editor.form.parentWidget().parentWidget()
    settle(app)
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())  # type: ignore[attr-defined]
    settle(app)
    editor.grab().save(str(DOCS / "compliance-policy-editor-lower.png"))
    editor.dirty = False
    editor.hide()
    drill_down(app)
    storage.close_database()


def drill_down(app) -> None:
    """docs/compliance-uncounted.png: a term rule's drill-down, activities that did not count
    listed apart with why (one at a class the cadre does not link, one in the winter vacation)."""
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    settings.set_term(Term("2025-2026-2", date(2026, 2, 23), date(2026, 7, 5)))
    for name in ("计算2501班", "机械2501班"):
        add_target(name, "班级")
    add_cadre("王校长", "leader", "校领导班子", "副校长")
    assign("王校长", "计算2501班", "2025-2026", filed_on=date(2025, 9, 5))
    for day, target in ((date(2025, 10, 10), "计算2501班"), (date(2025, 11, 12), "机械2501班"),
                        (date(2025, 12, 2), "机械2501班"), (date(2026, 1, 25), "计算2501班")):
        add_activity(ActivityInput("王校长", day, "进班级", target=target, summary="参加班会"),
                     settings.current_policy())
    page = CompliancePage(today=date(2026, 2, 1))
    page.resize(1300, 700)
    page.scope_combo.setCurrentIndex(page.scope_combo.findData("year"))
    page.period_combo.setCurrentIndex(page.period_combo.findData("2025-2026"))
    page.show()
    while page.model.matrix is None:
        app.processEvents()
    column = [c.rule for c in page.model.matrix.columns].index("班级活动-每学期") + 1
    page.view.setCurrentIndex(page.model.index(0, column))
    settle(app)
    page.grab().save(str(DOCS / "compliance-uncounted.png"))


if __name__ == "__main__":
    main()
