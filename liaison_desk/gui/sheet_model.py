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

from .. import activity_fields
from ..calendar import parse_clerk_date
from ..errors import BadInput
from ..forms import Section
from ..ledger.activities import (
    ActivityInput,
    target_warning,
)
from ..ledger.clerks import visible_cadres
from ..ledger.sheets import Line, SheetContent, load_line
from ..paper.glyphs import describe, missing_glyphs
from ..policy import Policy
from ..vocabulary import vocabulary
from .sheet_commands import AddCommand, DeleteCommand, EditCommand

# The grid's columns follow each section's columns on the form, in the form's order (layout):
# column 0 holds the section's title; a rows section's next column its fixed rows' labels; an
# activities section without a 类别 column gets one first (the rules count by category); the
# values the rules need that the form does not print (人数, 天数, 发现问题) come last.
SECTION, ITEM = 0, 1
# Where a section laid out like 五联七进 (the shipped default) holds each value; other forms:
# SheetModel.column(row, field).
TARGET, DATE, SUMMARY, PEOPLE, DAYS, PROBLEMS = range(2, 8)
ROW = "_row"  # the field of a rows section's label column (a form's own key never starts with _)
BUILT_IN = ("category", "target", "date", "summary", "people", "days", "problems")
MEASURES = (("people", "人数"), ("days", "天数"), ("problems", "发现问题"))
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


@dataclass(frozen=True)
class GridColumn:
    """What one grid column of a section holds: an activity's value (or a form's own field, by
    its key), and the label its header line shows."""

    field: str
    label: str


def layout(section: Section) -> tuple[GridColumn, ...]:
    """The section's grid columns after the title column, in the form's order."""
    keys = [c.key for c in section.columns]
    cols: list[GridColumn] = []
    if section.kind == "rows":
        cols.append(GridColumn(ROW, ""))
    elif "category" not in keys:
        cols.append(GridColumn("category", "类别"))
    cols += [GridColumn(c.key, c.label) for c in section.columns]
    cols += [GridColumn(key, label) for key, label in MEASURES if key not in keys]
    return tuple(cols)


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
        self.layouts: dict[int, tuple[GridColumn, ...]] = {}  # section index → its grid columns

    # Loading -----------------------------------------------------------------------------------

    def load(self, content: SheetContent) -> None:
        self.beginResetModel()
        self.content = content
        self.lines = []
        self.layouts = {}
        for i, section in enumerate(content.form.sections):
            if section.kind not in ("rows", "activities"):
                continue
            self.layouts[i] = layout(section)
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

    def field(self, g: GridLine, col: int) -> str | None:
        """The value a cell of this line holds (None: the title column or past the section's columns)."""
        cols = self.layouts.get(g.section, ())
        return cols[col - 1].field if 1 <= col <= len(cols) else None

    def field_at(self, row: int, col: int) -> str | None:
        return self.field(self.lines[row], col) if 0 <= row < len(self.lines) else None

    def column(self, row: int | GridLine, field_name: str) -> int:
        """The grid column of a value on this line's section, or -1 when the section has none."""
        g = self.lines[row] if isinstance(row, int) else row
        cols = self.layouts.get(g.section, ())
        return next((i + 1 for i, c in enumerate(cols) if c.field == field_name), -1)

    def first_layout(self) -> tuple[GridColumn, ...]:
        """The first grid section's columns (the view sizes the columns by them)."""
        return next(iter(self.layouts.values()), ())

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
        return 0 if parent.isValid() else 1 + max((len(c) for c in self.layouts.values()), default=7)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            cols = self.first_layout()
            return "栏目" if section == 0 else cols[section - 1].label if section <= len(cols) else ""
        return None

    def last_column(self) -> int:
        return self.columnCount() - 1

    @property
    def read_only(self) -> bool:
        return self.content is None or self.content.signed

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        g = self.lines[index.row()]
        name = self.field(g, index.column())
        if self.read_only or g.kind == "header" or name is None or name == ROW:
            return base
        if name == "category" and g.fixed:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def text(self, g: GridLine, col: int) -> str:
        """What a cell shows (and copies): the saved value, or the typed text of a marked cell."""
        if col in g.marks:
            return g.marks[col][0]
        if col == SECTION:
            return g.section_title
        name = self.field(g, col)
        if name is None:
            return ""
        if g.kind == "header":
            return self.layouts[g.section][col - 1].label
        if name == ROW:
            return g.label
        if name == "category":
            return g.category if g.fixed else (g.line.category if g.line else g.pending.get("category", ""))
        if g.kind == "blank":
            value = g.pending.get(name, "")
            return str(value) if value is not None else ""
        ln = g.line
        assert ln is not None
        if name == "target":
            return ln.target
        if name == "date":
            return f"{ln.date.month}月{ln.date.day}日"
        if name == "summary":
            return ln.summary
        if name == "people":
            return "" if ln.people is None else str(ln.people)
        if name == "days":
            return "" if ln.days is None else f"{ln.days:g}"
        if name == "problems":
            return ln.problems
        return ln.value(name)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        g = self.lines[index.row()]
        col = index.column()
        name = self.field(g, col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.EditRole and name == "date" and g.line and col not in g.marks:
                return g.line.date.isoformat()
            return self.text(g, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            if col in g.marks:
                return QBrush(ERROR_BG if g.marks[col][2] == ERROR else WARNING_BG)
            if g.kind == "header" or col == SECTION or name == ROW or (name == "category" and g.fixed):
                return QBrush(HEADER_BG)
        if role == Qt.ItemDataRole.FontRole and (g.kind == "header" or col == SECTION or name in (ROW, "category")):
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
        if role == Qt.ItemDataRole.ToolTipRole and g.kind != "header" and name not in (None, "date", "people", "days"):
            return self.text(g, col) or None  # the whole name or text, however narrow the cell
        if role == Qt.ItemDataRole.TextAlignmentRole and (
                g.kind == "header" or col == SECTION or name in (ROW, "category", "date")):
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
        name = self.field(g, col)
        assert name is not None
        text = "" if value is None else str(value).strip()
        if g.kind == "activity" and text == self.text(g, col) and col not in g.marks:
            return True  # nothing changed
        try:
            parsed = self._parse(g, name, text)
        except BadInput as e:
            self._mark(g, index, text, e.message, ERROR)
            return True
        g.marks.pop(col, None)
        if g.kind == "activity":
            assert g.line is not None
            if name in BUILT_IN:
                command = EditCommand(self, g.line.activity_id, name, self._old_value(g.line, name), parsed)
            else:  # a form's own field: only this key changes
                command = EditCommand(self, g.line.activity_id, "extra", {name: g.line.value(name)}, {name: parsed})
            self.undo.push(command)
        else:
            g.pending[name] = parsed if name != "date" else text
            if name == "date":
                g.pending["_date"] = parsed
            self._commit_blank(g, index)
        if name in ("target", "category"):
            self._warn_target(g)
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(self.last_column()))
        return True

    def _parse(self, g: GridLine, name: str, text: str) -> Any:
        assert self.content is not None
        if name == "date":
            if not text and g.kind == "blank":
                raise BadInput("请填写时间")
            return parse_clerk_date(text, self.content.month)
        if name in ("people", "days"):
            if not text:
                return None
            try:
                number = int(text) if name == "people" else float(text)
            except ValueError:
                raise BadInput(f"“{text}”不是有效的{'人数' if name == 'people' else '天数'}") from None
            if number < 0 or (name == "days" and number > 31) or (name == "people" and number > 100000):
                raise BadInput("数值超出范围")
            return number
        if name == "category":
            if text not in vocabulary().categories:
                raise BadInput(f"未知的活动类别“{text}”")
            return text
        if name not in BUILT_IN:
            label = next((c.label for c in self.layouts.get(g.section, ()) if c.field == name), name)
            return activity_fields.clean(name, text, label)
        limit = 100 if name == "target" else 4000
        if len(text) > limit:
            raise BadInput(f"内容过长（{len(text)} 字，最多 {limit} 字）")
        return text

    @staticmethod
    def _old_value(ln: Line, name: str) -> Any:
        return {"category": ln.category, "target": ln.target, "date": ln.date, "summary": ln.summary,
                "people": ln.people, "days": ln.days, "problems": ln.problems}[name]

    def _mark(self, g: GridLine, index: QModelIndex | QPersistentModelIndex, text: str, reason: str,
              level: str) -> None:
        g.marks[index.column()] = (text, reason, level)
        self.dataChanged.emit(index, index)
        self.message.emit(reason)

    def _warn_target(self, g: GridLine) -> None:
        """The yellow mark on a target not on the roster or of another kind than the row's."""
        category = g.category or (g.line.category if g.line else g.pending.get("category", ""))
        name = g.line.target if g.line else g.pending.get("target", "")
        col = self.column(g, "target")
        if col < 0 or (col in g.marks and g.marks[col][2] == ERROR):
            return
        warning = target_warning(name, category) if category and name else ""
        if warning:
            g.marks[col] = (name, warning, WARNING)
        else:
            g.marks.pop(col, None)

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
        date_col, category_col = self.column(g, "date"), self.column(g, "category")
        if "_date" not in g.pending:
            if any(v for k, v in g.pending.items() if k != "category") and date_col > 0:
                date_index = index.siblingAtColumn(date_col)
                g.marks.setdefault(date_col, ("", "请填写时间（填写后本行即保存）", ERROR))
                self.dataChanged.emit(date_index, date_index)
            return
        if not category:
            if category_col > 0:
                g.marks[category_col] = ("", "请填写类别（填写后本行即保存）", ERROR)
                category_index = index.siblingAtColumn(category_col)
                self.dataChanged.emit(category_index, category_index)
            return
        g.marks.pop(date_col, None)
        g.marks.pop(category_col, None)
        assert self.content is not None
        values = ActivityInput(
            cadre=self.content.cadre, date=g.pending["_date"], category=category,
            target=g.pending.get("target", ""), summary=g.pending.get("summary", ""),
            people=g.pending.get("people"), days=g.pending.get("days"),
            problems=g.pending.get("problems", ""),
            extra={k: v for k, v in g.pending.items() if k not in BUILT_IN and not k.startswith("_") and v})
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
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.last_column()))
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
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.last_column()))
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
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.last_column()))
            return True
        if g.kind != "activity" or g.line is None:
            return False
        self.undo.push(DeleteCommand(self, g.line.activity_id))
        return True

    def fail(self, error: BadInput) -> None:
        self.message.emit(error.message)


def cadre_names() -> list[tuple[int, str]]:
    """The cadres the clerk's lists offer (a college secretary: its units' only)."""
    return visible_cadres()
