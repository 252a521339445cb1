"""The sheet editor's undo steps: each carries out one edit through the core service (add, change,
delete an activity) and puts the grid back on undo; a paste's step also restores the unsaved lines
on screen, so undo takes back the screen together with the data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from ..errors import BadInput
from ..ledger.activities import ActivityInput, add_activity, delete_activity, restore_activity, update_activity

if TYPE_CHECKING:
    from .sheet_model import GridLine, SheetModel

    LineState = dict[GridLine, tuple[dict[str, Any], dict[int, tuple[str, str, str]]]]




def line_state(lines: list[GridLine]) -> LineState:
    """What blank lines hold that is not saved: typed values and marks."""
    return {g: (dict(g.pending), dict(g.marks)) for g in lines if g.kind == "blank"}


class LinesCommand(QUndoCommand):
    """The unsaved state of blank lines before and after a paste, so undo takes back the screen
    together with the data (pushed last in the paste's macro, so it is undone first)."""

    def __init__(self, model: SheetModel, before: LineState, after: LineState) -> None:
        super().__init__("粘贴")
        self.model, self.before, self.after = model, before, after
        self.done = False

    def _apply(self, state: LineState) -> None:
        for g, (pending, marks) in state.items():
            if g in self.model.lines and g.kind == "blank":
                g.pending, g.marks = dict(pending), dict(marks)
                row = self.model.lines.index(g)
                self.model.dataChanged.emit(self.model.index(row, 0), self.model.index(row, self.model.last_column()))

    def redo(self) -> None:
        if self.done:
            self._apply(self.after)
        self.done = True

    def undo(self) -> None:
        self._apply(self.before)


class EditCommand(QUndoCommand):
    """One cell of a saved activity changed."""

    def __init__(self, model: SheetModel, activity_id: int, field_name: str, old: Any, new: Any) -> None:
        super().__init__(f"修改{field_name}")
        self.model, self.activity_id, self.field_name, self.old, self.new = model, activity_id, field_name, old, new

    def _apply(self, value: Any) -> None:
        shown = getattr(self.model, "shown_updated_at", None)  # the sheet grid and the ledger page
        try:  # refused when another clerk saved this activity since the grid showed it
            update_activity(self.activity_id, {self.field_name: value}, self.model.policy,
                            seen=shown(self.activity_id) if shown else None)
        except BadInput as e:
            self.model.fail(e)
            self.setObsolete(True)
        self.model.sync(self.activity_id)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class AddCommand(QUndoCommand):
    """A new activity typed into a blank line."""

    def __init__(self, model: SheetModel, values: ActivityInput, blank: GridLine | None) -> None:
        super().__init__("新增活动")
        self.model, self.values, self.blank = model, values, blank
        self.saved: dict[str, Any] | None = None
        self.activity_id: int | None = None

    def redo(self) -> None:
        try:
            if self.saved is None:
                activity = add_activity(self.values, self.model.policy, lenient_target=True)
            else:
                activity = restore_activity(self.saved, self.model.policy)
        except BadInput as e:
            self.model.fail(e)
            self.setObsolete(True)
            return
        self.activity_id = activity.id
        self.model.sync(activity.id, self.blank)
        self.blank = None
        self.model.message.emit(self.model.saved_message())

    def undo(self) -> None:
        if self.activity_id is None:
            return
        try:
            self.saved = delete_activity(self.activity_id)
        except BadInput as e:
            self.model.fail(e)
        self.model.sync(self.activity_id)


class DeleteCommand(QUndoCommand):
    def __init__(self, model: SheetModel, activity_id: int) -> None:
        super().__init__("删除活动")
        self.model, self.activity_id = model, activity_id
        self.saved: dict[str, Any] | None = None

    def redo(self) -> None:
        try:
            self.saved = delete_activity(self.activity_id)
        except BadInput as e:
            self.model.fail(e)
            self.setObsolete(True)
        self.model.sync(self.activity_id)

    def undo(self) -> None:
        if self.saved is None:
            return
        try:
            restore_activity(self.saved, self.model.policy)
        except BadInput as e:
            self.model.fail(e)
        self.model.sync(self.activity_id)
