"""The sheet editor's 纸质表已收到 mark: shows whether the cadre's paper sheet for the month has
reached the office, and records it (today) or takes it back with one key (Ctrl+R), undoable.

Self-contained so the editor only places it, binds the key and tells it which sheet is open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QPushButton

from ..errors import BadInput
from ..ledger.receipts import set_received
from ..ledger.sheets import SheetContent
from ..policy import Policy

KEY = "Ctrl+R"


class ReceivedCommand(QUndoCommand):
    """The receipt of one cadre's month set from `old` to `new` (kept by cadre and month, not by
    what the editor shows when undone)."""

    def __init__(self, mark: ReceivedMark, cadre_id: int, month: str, old: date | None, new: date | None) -> None:
        super().__init__("登记纸质表已收到" if new else "撤销纸质表收到登记")
        self.mark, self.cadre_id, self.month, self.old, self.new = mark, cadre_id, month, old, new

    def _apply(self, value: date | None) -> None:
        try:
            set_received(self.cadre_id, self.month, value, self.mark.policy)
        except BadInput as e:
            self.mark.say(e.message)
            self.setObsolete(True)
            return
        self.mark.stored(self.cadre_id, self.month, value)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class ReceivedMark(QPushButton):
    """A flat button beside the month: 已收到 2026-12-03 / 未收到; pressing it (or Ctrl+R) toggles."""

    def __init__(self, policy: Policy, undo: QUndoStack, say: Callable[[str], None]) -> None:
        super().__init__()
        self.policy, self.undo, self.say = policy, undo, say
        self.content: SheetContent | None = None
        self.setFlat(True)
        self.setAccessibleName("纸质表收到情况")
        self.setToolTip(f"纸质工作记录表是否已交到办公室；{KEY} 登记今天收到，再按一次撤销（Ctrl+Z 也可撤销）")
        self.clicked.connect(self.toggle)
        self.show_for(None)

    def show_for(self, content: SheetContent | None) -> None:
        self.content = content
        on = content.submitted_on if content is not None else None
        self.setEnabled(content is not None)
        if on is not None:
            self.setText(f"✔ 纸质表已收到 {on.isoformat()}")
            self.setStyleSheet("QPushButton { color: #1d6b2f; font-weight: bold; padding: 2px 8px; }")
        else:
            self.setText(f"纸质表未收到（{KEY} 登记）")
            self.setStyleSheet("QPushButton { color: #8a6d00; padding: 2px 8px; }")

    def toggle(self) -> None:
        c = self.content
        if c is None:
            return
        old = c.submitted_on
        self.undo.push(ReceivedCommand(self, c.cadre_id, c.month, old, None if old else date.today()))

    def stored(self, cadre_id: int, month: str, value: date | None) -> None:
        c = self.content
        if c is None or (c.cadre_id, c.month) != (cadre_id, month):
            return
        c.submitted_on = value
        self.show_for(c)
        label = f"{int(month[:4])}年{int(month[5:])}月"
        self.say(f"已登记 {c.cadre} {label}的纸质表收到（{value}）；Ctrl+Z 撤销" if value
                 else f"已撤销 {c.cadre} {label}的纸质表收到登记")
