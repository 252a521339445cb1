"""The sheet grid: a Qt table model over a cadre's month sheet, laid out by its form definition.

The core computes, Qt shows: lines come from `sheets.load_sheet`; every edit goes through the core
services as an undoable command and is saved at once. Bad input is a value: a cell that cannot be
saved keeps the typed text with a red mark and the reason, and the database stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from ..calendar import parse_clerk_date
from ..errors import BadInput
from ..forms import Section
from ..ledger.activities import (
    ActivityInput,
    target_warning,
)
from ..ledger.sheets import Line, SheetContent, load_line
from ..paper.glyphs import describe, missing_glyphs
from ..policy import Policy
from ..store.models import Cadre
from ..vocabulary import vocabulary
from .sheet_commands import AddCommand, DeleteCommand, EditCommand

# The grid's columns: what each holds; sections give the paper's labels for the first ones.
SECTION, ITEM, TARGET, DATE, SUMMARY, PEOPLE, DAYS, PROBLEMS = range(8)
FIELD_OF = {ITEM: "category", TARGET: "target", DATE: "date", SUMMARY: "summary", PEOPLE: "people",
            DAYS: "days", PROBLEMS: "problems"}
EXTRA_LABELS = {PEOPLE: "人数", DAYS: "天数", PROBLEMS: "发现问题"}
ERROR, WARNING = "error", "warning"

HEADER_BG = QColor("#efe9e1")
ERROR_BG = QColor("#f8d7d5")
WARNING_BG = QColor("#fff1c7")


@dataclass(eq=False)
class GridLine:
    """One line of the grid: a section's header, an activity, or the blank line for a new one."""

    kind: str  # "header" | "activity" | "blank"
    section: int
    section_title: str = ""
    label: str = ""  # the fixed row's label (rows sections)
    category: str = ""  # fixed for rows sections; typed for activities sections
    fixed: bool = False  # category fixed by the row
    line: Line | None = None
    pending: dict[str, Any] = field(default_factory=dict)  # blank line: typed values not yet saved
    marks: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # col → (text, reason, level)


def _column_labels(section: Section) -> dict[int, str]:
    labels = {SECTION: section.title, ITEM: "类别" if section.kind == "activities" else ""}
    for col in section.columns:
        key = {"target": TARGET, "date": DATE, "summary": SUMMARY, "category": ITEM}.get(col.key)
        if key is not None:
            labels[key] = col.label
    labels.update(EXTRA_LABELS)
    return labels


class SheetModel(QAbstractTableModel):
    """Lines of one sheet. Structure changes emit `shapeChanged` so the view can redo its spans."""

    shapeChanged = Signal()
    message = Signal(str)  # a reason or a confirmation for the status line

    def __init__(self, policy: Policy, undo: QUndoStack) -> None:
        super().__init__()
        self.policy = policy
        self.undo = undo
        self.content: SheetContent | None = None
        self.lines: list[GridLine] = []
        self.headers: dict[int, dict[int, str]] = {}

    # Loading -----------------------------------------------------------------------------------

    def load(self, content: SheetContent) -> None:
        self.beginResetModel()
        self.content = content
        self.lines = []
        self.headers = {}
        for i, section in enumerate(content.form.sections):
            if section.kind not in ("rows", "activities"):
                continue
            self.headers[i] = _column_labels(section)
            self.lines.append(GridLine("header", i, section.title))
            if section.kind == "rows":
                for row in section.rows:
                    for ln in sorted(content.lines_of(row.category), key=lambda x: x.activity_id):
                        self.lines.append(GridLine("activity", i, section.title, row.label, row.category, True, ln))
                    self.lines.append(GridLine("blank", i, section.title, row.label, row.category, True))
            else:
                for ln in sorted(content.other_lines(), key=lambda x: x.activity_id):
                    self.lines.append(GridLine("activity", i, section.title, "", ln.category, False, ln))
                self.lines.append(GridLine("blank", i, section.title))
        for g in self.lines:
            if g.line is not None:
                self._warn_target(g)
        self.endResetModel()
        self.shapeChanged.emit()

    def spans(self) -> list[tuple[int, int, int, int]]:
        """(row, column, rows, columns) spans: section titles and fixed-row labels run down."""
        result = []
        start = 0
        while start < len(self.lines):
            end = start
            while end + 1 < len(self.lines) and self.lines[end + 1].section == self.lines[start].section:
                end += 1
            if end > start:
                result.append((start, SECTION, end - start + 1, 1))
            r = start + 1
            while r <= end:
                g = self.lines[r]
                e = r
                if g.fixed:
                    while e + 1 <= end and self.lines[e + 1].fixed and self.lines[e + 1].label == g.label:
                        e += 1
                    if e > r:
                        result.append((r, ITEM, e - r + 1, 1))
                r = e + 1
            start = end + 1
        return result

    # Qt model interface -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return ["栏目", "项目", "名称", "时间", "工作简况", "人数", "天数", "发现问题"][section]
        return None

    @property
    def read_only(self) -> bool:
        return self.content is None or self.content.signed

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        g = self.lines[index.row()]
        if self.read_only or g.kind == "header" or index.column() == SECTION:
            return base
        if index.column() == ITEM and g.fixed:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def text(self, g: GridLine, col: int) -> str:
        """What a cell shows (and copies): the saved value, or the typed text of a marked cell."""
        if col in g.marks:
            return g.marks[col][0]
        if g.kind == "header":
            return self.headers[g.section].get(col, "")
        if col == SECTION:
            return g.section_title
        if col == ITEM:
            return g.label if g.fixed else (g.line.category if g.line else g.pending.get("category", ""))
        if g.kind == "blank":
            value = g.pending.get(FIELD_OF[col], "")
            return str(value) if value is not None else ""
        ln = g.line
        assert ln is not None
        if col == TARGET:
            return ln.target
        if col == DATE:
            return f"{ln.date.month}月{ln.date.day}日"
        if col == SUMMARY:
            return ln.summary
        if col == PEOPLE:
            return "" if ln.people is None else str(ln.people)
        if col == DAYS:
            return "" if ln.days is None else f"{ln.days:g}"
        if col == PROBLEMS:
            return ln.problems
        return ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        g = self.lines[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.EditRole and col == DATE and g.line and col not in g.marks:
                return g.line.date.isoformat()
            return self.text(g, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            if col in g.marks:
                return QBrush(ERROR_BG if g.marks[col][2] == ERROR else WARNING_BG)
            if g.kind == "header" or col == SECTION or (col == ITEM and g.fixed):
                return QBrush(HEADER_BG)
        if role == Qt.ItemDataRole.FontRole and (g.kind == "header" or col in (SECTION, ITEM)):
            font = QFont()
            font.setBold(g.kind == "header" or col == SECTION)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col in g.marks:
            return g.marks[col][1]
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            missing = missing_glyphs(self.text(g, col))  # would print as 〓: say so at entry
            if missing:
                return (QBrush(WARNING_BG) if role == Qt.ItemDataRole.BackgroundRole
                        else f"字库中没有 {describe(missing)}，打印时无法显示，请改用常用字")
        if role == Qt.ItemDataRole.ToolTipRole and g.kind != "header" and col in (ITEM, TARGET, SUMMARY, PROBLEMS):
            return self.text(g, col) or None  # the whole name or text, however narrow the cell
        if role == Qt.ItemDataRole.TextAlignmentRole and (g.kind == "header" or col in (SECTION, ITEM, DATE)):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def reason(self, index: QModelIndex) -> str:
        if not index.isValid():
            return ""
        mark = self.lines[index.row()].marks.get(index.column())
        return mark[1] if mark else ""

    # Editing ---------------------------------------------------------------------------------

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        g = self.lines[index.row()]
        col = index.column()
        text = "" if value is None else str(value).strip()
        if g.kind == "activity" and text == self.text(g, col) and col not in g.marks:
            return True  # nothing changed
        try:
            parsed = self._parse(g, col, text)
        except BadInput as e:
            self._mark(g, index, text, e.message, ERROR)
            return True
        g.marks.pop(col, None)
        if g.kind == "activity":
            assert g.line is not None
            old = self._old_value(g.line, col)
            self.undo.push(EditCommand(self, g.line.activity_id, FIELD_OF[col], old, parsed))
        else:
            g.pending[FIELD_OF[col]] = parsed if col != DATE else text
            if col == DATE:
                g.pending["_date"] = parsed
            self._commit_blank(g, index)
        if col in (TARGET, ITEM):
            self._warn_target(g)
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(7))
        return True

    def _parse(self, g: GridLine, col: int, text: str) -> Any:
        assert self.content is not None
        if col == DATE:
            if not text and g.kind == "blank":
                raise BadInput("请填写时间")
            return parse_clerk_date(text, self.content.month)
        if col in (PEOPLE, DAYS):
            if not text:
                return None
            try:
                number = int(text) if col == PEOPLE else float(text)
            except ValueError:
                raise BadInput(f"“{text}”不是有效的{'人数' if col == PEOPLE else '天数'}") from None
            if number < 0 or (col == DAYS and number > 31) or (col == PEOPLE and number > 100000):
                raise BadInput("数值超出范围")
            return number
        if col == ITEM:
            if text not in vocabulary().categories:
                raise BadInput(f"未知的活动类别“{text}”")
            return text
        limit = 100 if col == TARGET else 4000
        if len(text) > limit:
            raise BadInput(f"内容过长（{len(text)} 字，最多 {limit} 字）")
        return text

    @staticmethod
    def _old_value(ln: Line, col: int) -> Any:
        return {ITEM: ln.category, TARGET: ln.target, DATE: ln.date, SUMMARY: ln.summary,
                PEOPLE: ln.people, DAYS: ln.days, PROBLEMS: ln.problems}[col]

    def _mark(self, g: GridLine, index: QModelIndex | QPersistentModelIndex, text: str, reason: str,
              level: str) -> None:
        g.marks[index.column()] = (text, reason, level)
        self.dataChanged.emit(index, index)
        self.message.emit(reason)

    def _warn_target(self, g: GridLine) -> None:
        """The yellow mark on a target not on the roster or of another kind than the row's."""
        category = g.category or (g.line.category if g.line else g.pending.get("category", ""))
        name = g.line.target if g.line else g.pending.get("target", "")
        if TARGET in g.marks and g.marks[TARGET][2] == ERROR:
            return
        warning = target_warning(name, category) if category and name else ""
        if warning:
            g.marks[TARGET] = (name, warning, WARNING)
        else:
            g.marks.pop(TARGET, None)

    def unsaved(self) -> int:
        """How many lines hold typed text that is not saved (red marks)."""
        return sum(1 for g in self.lines if any(m[2] == ERROR for m in g.marks.values()))

    def saved_message(self, text: str = "已保存") -> str:
        """A confirmation that never hides a line still unsaved."""
        left = self.unsaved()
        return f"{text}；{left} 行未保存（红色标出），改正后即保存" if left else text

    def _commit_blank(self, g: GridLine, index: QModelIndex | QPersistentModelIndex) -> None:
        """A blank line becomes an activity once it has a date (and, off the fixed rows, a category)."""
        category = g.category or g.pending.get("category", "")
        if "_date" not in g.pending:
            if any(v for k, v in g.pending.items() if k != "category"):
                date_index = index.siblingAtColumn(DATE)
                g.marks.setdefault(DATE, ("", "请填写时间（填写后本行即保存）", ERROR))
                self.dataChanged.emit(date_index, date_index)
            return
        if not category:
            g.marks[ITEM] = ("", "请填写类别（填写后本行即保存）", ERROR)
            return
        g.marks.pop(DATE, None)
        g.marks.pop(ITEM, None)
        assert self.content is not None
        values = ActivityInput(
            cadre=self.content.cadre, date=g.pending["_date"], category=category,
            target=g.pending.get("target", ""), summary=g.pending.get("summary", ""),
            people=g.pending.get("people"), days=g.pending.get("days"),
            problems=g.pending.get("problems", ""))
        self.undo.push(AddCommand(self, values, g))

    # Keeping the grid in step with the database ------------------------------------------------

    def row_of_activity(self, activity_id: int) -> int:
        for r, g in enumerate(self.lines):
            if g.line is not None and g.line.activity_id == activity_id:
                return r
        return -1

    def shown_updated_at(self, activity_id: int) -> Any:
        """When the activity on screen was last saved (None when it is not on this sheet)."""
        row = self.row_of_activity(activity_id)
        line = self.lines[row].line if row >= 0 else None
        return line.updated_at if line is not None else None

    def sync(self, activity_id: int, blank: GridLine | None = None) -> None:
        """Show the activity as the database has it now: refresh, insert or remove its line."""
        line = load_line(activity_id)
        row = self.row_of_activity(activity_id)
        if line is not None and self.content is not None and line.date.strftime("%Y-%m") != self.content.month:
            line = None  # moved to another month: no longer on this sheet
        if row >= 0 and line is not None:
            g = self.lines[row]
            g.line = line
            g.marks = {c: m for c, m in g.marks.items() if m[2] == WARNING}
            self._warn_target(g)
            self.dataChanged.emit(self.index(row, 0), self.index(row, 7))
        elif row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.lines[row]
            self.endRemoveRows()
            self.shapeChanged.emit()
        elif line is not None:
            self._insert(line, blank)

    def _insert(self, line: Line, blank: GridLine | None) -> None:
        if blank is not None and blank in self.lines:
            # The blank line the clerk typed into becomes the activity; a new blank goes below it.
            row = self.lines.index(blank)
            blank.kind, blank.line, blank.pending = "activity", line, {}
            blank.category = blank.category if blank.fixed else line.category
            self._warn_target(blank)
            self.dataChanged.emit(self.index(row, 0), self.index(row, 7))
            new_blank = GridLine("blank", blank.section, blank.section_title, blank.label,
                                 blank.category if blank.fixed else "", blank.fixed)
            self.beginInsertRows(QModelIndex(), row + 1, row + 1)
            self.lines.insert(row + 1, new_blank)
            self.endInsertRows()
        else:
            # Undo/redo: before the blank line of its row (or of the free section).
            row = next((r for r, g in enumerate(self.lines) if g.kind == "blank" and
                        (g.category == line.category if g.fixed else not self._has_fixed_row(line.category))),
                       len(self.lines))
            g = self.lines[row] if row < len(self.lines) else None
            self.beginInsertRows(QModelIndex(), row, row)
            inserted = GridLine("activity", g.section if g else 0, g.section_title if g else "",
                                g.label if g else "", line.category, bool(g and g.fixed), line)
            self._warn_target(inserted)
            self.lines.insert(row, inserted)
            self.endInsertRows()
        self.shapeChanged.emit()

    def _has_fixed_row(self, category: str) -> bool:
        return self.content is not None and category in self.content.form.row_categories

    def delete_row(self, row: int) -> bool:
        if self.read_only or not 0 <= row < len(self.lines):
            return False
        g = self.lines[row]
        if g.kind == "blank":
            g.pending.clear()
            g.marks.clear()
            self.dataChanged.emit(self.index(row, 0), self.index(row, 7))
            return True
        if g.kind != "activity" or g.line is None:
            return False
        self.undo.push(DeleteCommand(self, g.line.activity_id))
        return True

    def fail(self, error: BadInput) -> None:
        self.message.emit(error.message)


def cadre_names() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in Cadre.select(Cadre.id, Cadre.name).where(Cadre.active == True)  # noqa: E712
            .order_by(Cadre.sort_order, Cadre.id)]
