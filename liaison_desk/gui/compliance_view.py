"""达标检查: cadres × rules for a chosen term, month or year, each cell coloured by status;
clicking a cell shows its periods and the activities that counted. The core computes
(rules.compliance, rules.matrix); Qt only shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..calendar import academic_year_of, month_id, months_between
from ..errors import BadInput
from ..excel.matrix import export_matrix_xlsx
from ..ledger import clerks, settings
from ..rules.compliance import STATUSES, Result, check, counted_activities, uncounted_activities
from ..rules.matrix import Cell, Matrix, build_matrix, check_title
from ..rules.periods import plan_for
from ..store.models import Unit
from ..vocabulary import TIERS
from .background import Job
from .folders import user_file
from .office_only import guarded, refused
from .tables import fill_table, read_only_table

COLOURS = {"met": "#d8efd3", "short": "#f6cfcb", "open": "#fff0c2", "exempt": "#ececec"}
ADVISORY_SHORT = "#fbe3c9"
UNCOUNTED = "#e4e4e4"  # activities of the rule's categories that did not count
SCOPES = [("term", "学期"), ("month", "月份"), ("year", "学年")]
Index = QModelIndex | QPersistentModelIndex


def cell_colour(cell: Cell) -> QColor:
    if cell.status == "short" and cell.severity == "advisory":
        return QColor(ADVISORY_SHORT)
    return QColor(COLOURS[cell.status])


def wrap(text: str, width: int = 6) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class MatrixModel(QAbstractTableModel):
    """Rows = cadres, column 0 = how many required rules are short, then one column per rule."""

    def __init__(self) -> None:
        super().__init__()
        self.matrix: Matrix | None = None

    def set_matrix(self, matrix: Matrix | None) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's name)
        return 0 if self.matrix is None or parent.isValid() else len(self.matrix.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if self.matrix is None or parent.isValid() else len(self.matrix.columns) + 1

    def cell_at(self, index: Index) -> Cell | None:
        if self.matrix is None or not index.isValid() or index.column() == 0:
            return None
        row = self.matrix.rows[index.row()]
        return self.matrix.cell(row.id, self.matrix.columns[index.column() - 1].rule)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.matrix is None or not index.isValid():
            return None
        row = self.matrix.rows[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                n = self.matrix.shortfalls(row.id)
                return str(n) if n else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            return None
        cell = self.cell_at(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            return cell_colour(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            column = self.matrix.columns[index.column() - 1]
            advisory = "（提示性）" if cell.severity == "advisory" else ""
            lines = [f"{row.name} · {column.title}{advisory}", f"{cell.label}：{cell.text}"]
            lines += [f"{r.period_label}{' ' + r.target if r.target else ''}：{STATUSES[r.status]} "
                      f"{r.actual:g}/{r.required:g}{r.unit}{'，' + r.detail if r.detail else ''}"
                      for r in cell.results[:12]]
            if len(cell.results) > 12:
                lines.append(f"……共 {len(cell.results)} 项，点击查看")
            return "\n".join(lines)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.matrix is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == 0:
                return "欠缺" if role == Qt.ItemDataRole.DisplayRole else None
            column = self.matrix.columns[section - 1]
            if role == Qt.ItemDataRole.DisplayRole:
                mark = "（提示）" if column.severity == "advisory" else ""
                return f"{wrap(column.title)}\n{column.period}{mark}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{column.rule}：{column.title}（{column.period}）"
            return None
        row = self.matrix.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}（{row.unit or '无部门'}，{TIERS.get(row.tier, row.tier)}）"
        return None


class CompliancePage(QWidget):
    """The compliance matrix page; checks run off the GUI thread when asked (or first shown)."""

    checked = Signal()  # a check's results are on screen

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or date.today()
        self.results: list[Result] = []
        self.notes: tuple[str, ...] = ()
        self.job: Job | None = None
        self._shown_once = False
        self.current_cell: Cell | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_check)
        self._build()
        self.load_choices()

    # Layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel("达标检查")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)

        bar = QHBoxLayout()
        self.scope_combo = QComboBox()
        for key, label in SCOPES:
            self.scope_combo.addItem(label, key)
        self.period_combo = QComboBox()
        self.period_combo.setMinimumContentsLength(12)
        self.as_of_edit = QDateEdit(_qdate(self.today))
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.check_button = QPushButton("检查")
        self.check_button.setDefault(True)
        for widget in (QLabel("范围"), self.scope_combo, self.period_combo, QLabel("截至"), self.as_of_edit,
                       self.check_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        self.unit_combo = QComboBox()
        self.tier_combo = QComboBox()
        self.tier_combo.addItem("全部层级", "")
        for key, label in TIERS.items():
            self.tier_combo.addItem(label, key)
        self.short_only = QCheckBox("只看有欠缺的干部")
        for widget in (QLabel("部门"), self.unit_combo, QLabel("层级"), self.tier_combo, self.short_only):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.export_button = QPushButton("导出 Excel…")
        self.policy_button = QPushButton("编辑制度…")
        self.filing_button = QPushButton("登记报送…")
        bar.addWidget(self.filing_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.policy_button)
        bar.addWidget(guarded("policy", self.policy_button))
        layout.addLayout(bar)

        status_bar = QHBoxLayout()
        self.status_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.hide()
        legend = QLabel("  ".join(
            f"<span style='background:{COLOURS[s]}'>&nbsp;{STATUSES[s]}&nbsp;</span>" for s in COLOURS)
            + f"  <span style='background:{ADVISORY_SHORT}'>&nbsp;欠缺（提示性）&nbsp;</span>")
        legend.setTextFormat(Qt.TextFormat.RichText)
        status_bar.addWidget(self.status_label, 1)
        status_bar.addWidget(self.progress)
        status_bar.addWidget(self.cancel_button)
        status_bar.addWidget(legend)
        layout.addLayout(status_bar)

        self.model = MatrixModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setDefaultSectionSize(86)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(24)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        self.detail_label = QLabel("点击矩阵中的格子，查看各期间结果、计入的活动和未计入的活动（及原因）。")
        self.detail_label.setWordWrap(True)
        detail_layout.addWidget(self.detail_label)
        tables = QSplitter(Qt.Orientation.Horizontal)
        self.results_table = read_only_table(["期间", "对象", "要求", "实际", "状态", "说明"])
        self.activities_table = read_only_table(["是否计入", "日期", "类别", "联系对象 / 载体", "人次", "天数",
                                                 "工作简况"])
        tables.addWidget(self.results_table)
        tables.addWidget(self.activities_table)
        tables.setSizes([420, 580])
        detail_layout.addWidget(tables)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(detail)
        split.setSizes([520, 220])
        layout.addWidget(split, 1)

        self.scope_combo.currentIndexChanged.connect(self.fill_periods)
        self.check_button.clicked.connect(self.run_check)
        self.cancel_button.clicked.connect(self.cancel)
        for combo in (self.unit_combo, self.tier_combo):
            combo.currentIndexChanged.connect(self.show_matrix)
        self.short_only.toggled.connect(self.show_matrix)
        self.view.clicked.connect(self.show_cell)
        self.view.selectionModel().currentChanged.connect(lambda current, _previous: self.show_cell(current))
        self.results_table.itemSelectionChanged.connect(self.show_result_activities)
        self.export_button.clicked.connect(self.choose_export)
        self.policy_button.clicked.connect(self.edit_policy)
        self.filing_button.clicked.connect(self.record_filing)

    def load_choices(self) -> None:
        """Periods from the terms set in the ledger; units from the roster."""
        self.terms = settings.terms()
        self.fill_periods()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem("全部部门", "")
        for name in clerks.visible_units([u.name for u in Unit.select(Unit.name).order_by(Unit.id)]):
            self.unit_combo.addItem(name, name)
        self.unit_combo.blockSignals(False)

    def fill_periods(self) -> None:
        scope = self.scope_combo.currentData()
        self.period_combo.clear()
        today = self.today
        if scope == "term":
            ids = [t.id for t in reversed(self.terms)]
            current = settings.term_of(today)
            default = current.id if current else next((t.id for t in reversed(self.terms) if t.start <= today),
                                                      ids[0] if ids else "")
        elif scope == "month":
            first = min([t.start for t in self.terms] + [date(today.year, 1, 1)])
            last = max([t.end for t in self.terms] + [today])
            ids = list(reversed(months_between(first, last)))
            default = month_id(today)
        else:
            ids = sorted({t.academic_year for t in self.terms} | {academic_year_of(today)}, reverse=True)
            default = academic_year_of(today)
        for i in ids:
            self.period_combo.addItem(i, i)
        index = self.period_combo.findData(default)
        self.period_combo.setCurrentIndex(max(0, index))

    # Checking -------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self._timer.start(0)

    def selection(self) -> tuple[str, str, date]:
        return self.scope_combo.currentData(), self.period_combo.currentData() or "", _pydate(self.as_of_edit.date())

    def run_check(self) -> None:
        scope, period_id, as_of = self.selection()
        if not period_id:
            self.status_label.setText("请先在“设置”中设置学期，再做达标检查。")
            return
        self.cancel()
        self.status_label.setText(f"正在检查 {period_id} …")
        self.progress.show()
        self.cancel_button.show()
        self.check_button.setEnabled(False)
        self.job = Job(lambda: (check(scope, period_id, as_of=as_of), settings.current_policy(),
                                check_title(scope, period_id, as_of), plan_for(scope, period_id).notes))
        self.job.succeeded.connect(self.checked_ok)
        self.job.failed.connect(self.check_failed)
        self.job.start()

    def refresh(self) -> None:
        """F5, or shown again after the ledger changed: the check run again, if one was run."""
        if self._shown_once:
            self.run_check()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.abandon()
            self.job = None
            self._idle()
            self.status_label.setText("已取消检查。")

    def _idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.check_button.setEnabled(True)

    def checked_ok(self, found: tuple[list[Result], Any, str, tuple[str, ...]]) -> None:
        if self.sender() is not self.job:  # a check given up on, arriving late
            return
        self.job = None
        self._idle()
        self.results, self.policy, self.title, self.notes = found
        self.show_matrix()
        self.checked.emit()

    def check_failed(self, message: str) -> None:
        if self.sender() is not self.job:
            return
        self.job = None
        self._idle()
        self.status_label.setText(f"无法检查：{message}")
        self.checked.emit()

    def matrix(self) -> Matrix | None:
        if not hasattr(self, "policy"):
            return None
        return build_matrix(self.results, self.policy, self.title, unit=self.unit_combo.currentData() or None,
                            tier=self.tier_combo.currentData() or None, only_short=self.short_only.isChecked())

    def show_matrix(self) -> None:
        matrix = self.matrix()
        self.model.set_matrix(matrix)
        if matrix is None:
            return
        self.view.horizontalHeader().setMinimumHeight(64)
        self.view.setColumnWidth(0, 44)
        short = sum(matrix.shortfalls(row.id) for row in matrix.rows)
        notes = "".join(f"（注意：{n}）" for n in self.notes)
        self.status_label.setText(f"{matrix.title}：干部 {len(matrix.rows)} 人，规则 {len(matrix.columns)} 条，"
                                  f"欠缺 {short} 项{notes}")
        self.clear_detail()

    # The cell under the pointer ---------------------------------------------------------------

    def clear_detail(self) -> None:
        self.current_cell = None
        self.results_table.setRowCount(0)
        self.activities_table.setRowCount(0)

    def show_cell(self, index: Index) -> None:
        cell = self.model.cell_at(index)
        if cell is None:
            return
        self.current_cell = cell
        first = cell.results[0]
        advisory = "（提示性要求）" if cell.severity == "advisory" else ""
        self.detail_label.setText(f"<b>{first.cadre}</b> · {first.title}{advisory}：{cell.label} {cell.text}")
        rows, colours = [], []
        for r in cell.results:
            need = f"{r.required:g}" + (f"–{r.maximum:g}" if r.maximum is not None else "") + r.unit
            rows.append([r.period_label, r.target or "", need, f"{r.actual:g}{r.unit}", STATUSES[r.status], r.detail])
            colours.append(QColor(COLOURS[r.status]))
        self.results_table.blockSignals(True)
        fill_table(self.results_table, rows, colours)
        self.results_table.blockSignals(False)
        self.show_activities(cell.results)

    def show_result_activities(self) -> None:
        if self.current_cell is None:
            return
        picked = sorted({i.row() for i in self.results_table.selectedIndexes()})
        results = [self.current_cell.results[i] for i in picked] or list(self.current_cell.results)
        self.show_activities(results)

    def show_activities(self, results: tuple[Result, ...] | list[Result]) -> None:
        """The activities that counted, then apart (greyed) those of the rule's categories that
        did not, each saying why."""
        counted: dict[int, Any] = {}
        left_out: dict[int, tuple[Any, str]] = {}
        for r in results:
            for a in counted_activities(r):
                counted[a.id] = a
            for a, why in uncounted_activities(r):
                left_out[a.id] = (a, why)
        rows: list[list[str]] = []
        colours: list[QColor | None] = []
        for a in sorted(counted.values(), key=lambda a: (a.date, a.id)):
            rows.append(["计入", *self._activity_cells(a)])
            colours.append(None)
        for a, why in sorted((v for k, v in left_out.items() if k not in counted),
                             key=lambda v: (v[0].date, v[0].id)):
            rows.append([f"未计入：{why}", *self._activity_cells(a)])
            colours.append(QColor(UNCOUNTED))
        fill_table(self.activities_table, rows, colours)

    @staticmethod
    def _activity_cells(a: Any) -> list[str]:
        return [a.date.isoformat(), a.category + ("（面对面）" if a.face_to_face else ""), a.target,
                "" if a.people is None else str(a.people), "" if a.days is None else f"{a.days:g}", a.summary]

    # Export and policy ----------------------------------------------------------------------------

    def choose_export(self) -> None:
        matrix = self.matrix()
        if matrix is None:
            return
        scope, period_id, _ = self.selection()
        path, _ = QFileDialog.getSaveFileName(self, "导出达标矩阵", user_file(f"达标检查-{period_id}.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        matrix = self.matrix()
        if matrix is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            export_matrix_xlsx(matrix, path)
        except BadInput as e:
            self.status_label.setText(f"导出失败：{e}")
            return None
        self.status_label.setText(f"已导出：{path}")
        return path

    def edit_policy(self) -> None:
        from .policy_editor import PolicyEditor

        if refused(self, "policy", "编辑制度"):
            return
        dialog = PolicyEditor(self)
        dialog.saved.connect(self.run_check)
        dialog.exec()

    def record_filing(self) -> None:
        """登记报送, for the deadline result picked in the drill-down (or from scratch)."""
        from .filing_dialog import FilingDialog

        picked = self.current_cell.results[0] if self.current_cell is not None else None
        rule = None
        if picked is not None:
            rule = next((r for r in settings.current_policy().rules if r.id == picked.rule), None)
        dialog = FilingDialog(self, today=self.today, cadre=picked.cadre if picked else "",
                              event=rule.event if rule else "", day=picked.period_start if picked else None)
        if dialog.exec():
            self.run_check()
