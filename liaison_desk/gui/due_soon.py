"""近期待完成 on the home view: what each cadre still needs in the week, month, term and year
running now, computed by the core (compliance.due_soon) off the GUI thread."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..rules.compliance import Result, due_soon
from .background import Job
from .tables import fill_table, read_only_table


class DueSoonPanel(QWidget):
    """近期待完成: what each cadre still needs in the week, month, term and year running now.

    Computed off the GUI thread a moment after the home view is first shown, so start-up does
    not wait for it.
    """

    loaded = Signal()
    DELAY_MS = 400

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today
        self.items: list[Result] = []
        self.job: Job | None = None
        self._started = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.heading = QLabel("<b>近期待完成</b>（本周、本月、本学期仍未达到的要求）")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.required_only = QCheckBox("只看必须项")
        self.required_only.setChecked(True)
        self.required_only.toggled.connect(self.show_items)
        top.addWidget(self.heading, 1)
        top.addWidget(self.required_only)
        layout.addLayout(top)
        self.table = read_only_table(["干部", "要求", "期间", "还差", "截止"])
        self.table.setMinimumHeight(220)
        layout.addWidget(self.table)
        self._timer = QTimer(self)  # a child: gone with the panel, so it never fires late
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._started:
            self._started = True
            self._timer.start(self.DELAY_MS)

    def refresh(self) -> None:
        if self.job is not None:
            return
        self.heading.setText("<b>近期待完成</b>（正在计算…）")
        today = self.today or date.today()
        self.job = Job(lambda: due_soon(today))
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.start()

    def _done(self, items: list[Result]) -> None:
        self.job = None
        self.items = items
        self.show_items()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.job = None
        self.heading.setText(f"<b>近期待完成</b>：{message}")
        self.loaded.emit()

    def show_items(self) -> None:
        items = [r for r in self.items if r.severity == "required" or not self.required_only.isChecked()]
        self.heading.setText(f"<b>近期待完成</b>（本周、本月、本学期仍未达到的要求，共 {len(items)} 项）")
        rows = []
        for r in items:
            still = "待报送" if r.unit == "项" else f"{r.needed:g}{r.unit}"  # an assignment has a due date too
            what = r.title + (f"（{r.target}）" if r.target else "") + ("（提示）" if r.severity == "advisory" else "")
            rows.append([r.cadre, what, r.period_label, still, (r.due or r.period_end).isoformat()])
        fill_table(self.table, rows)
