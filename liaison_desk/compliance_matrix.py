"""The compliance matrix: cadres × rules for one check, each cell summing up a rule's periods.

The GUI view and the Excel export both draw from this, so a cell reads the same everywhere:
one period shows actual/required ("3/4次"); several periods show how many were met ("12/17周");
per-target rules show how many targets were met ("1/2个对象"). A cell's status is the worst of
its results: short, then open, then met; exempt only when every period was exempt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .compliance import STATUSES, CadreRow, Result, cadre_rows
from .errors import BadInput
from .policy import PERIODS, Policy
from .vocabulary import TIERS
from .xlsx import Book, Look
from .xlsx import Column as XColumn

PERIOD_WORDS = {"week": "周", "month": "月", "term": "学期", "half_year": "半年", "year": "学年"}
ORDER = ("short", "open", "met", "exempt")


@dataclass(frozen=True)
class Cell:
    status: str
    text: str
    severity: str
    results: tuple[Result, ...]

    @property
    def label(self) -> str:
        return STATUSES[self.status]


@dataclass(frozen=True)
class Column:
    rule: str
    title: str
    period: str  # 每月, 每学期…
    severity: str


@dataclass
class Matrix:
    title: str
    rows: list[CadreRow]
    columns: list[Column]
    cells: dict[tuple[int, str], Cell]

    def cell(self, cadre_id: int, rule: str) -> Cell | None:
        return self.cells.get((cadre_id, rule))

    def shortfalls(self, cadre_id: int) -> int:
        """Required rules this cadre is short of."""
        return sum(1 for c in self.columns if (cell := self.cell(cadre_id, c.rule))
                   and cell.status == "short" and cell.severity == "required")


def _n(x: float) -> str:
    return f"{x:g}"


def summarise(results: Sequence[Result]) -> Cell:
    """One cell from the results of one cadre and one rule."""
    status = next(s for s in ORDER if any(r.status == s for r in results)) if results else "exempt"
    if all(r.status == "exempt" for r in results):
        status = "exempt"
    first = results[0]
    if first.due is not None and len(results) == 1:
        text = {"met": "按时", "open": "待报"}.get(first.status, "逾期" if "逾期" in first.detail else "未报")
    elif len(results) == 1 and first.target is None:
        need = _n(first.required) + (f"–{_n(first.maximum)}" if first.maximum is not None else "")
        text = f"{_n(first.actual)}/{need}{first.unit}"
    else:
        counted = [r for r in results if r.status != "exempt"]
        met = sum(r.status == "met" for r in counted)
        periods = {r.period_start for r in results}
        if any(r.target is not None for r in results):
            word = "个对象" if len(periods) == 1 else "项"
        elif first.due is not None:
            word = "次按时"
        else:
            word = PERIOD_WORDS.get(first.period, "期")
        text = f"{met}/{len(counted)}{word}" if counted else "不适用"
    return Cell(status, text, first.severity, tuple(results))


def build_matrix(results: Sequence[Result], policy: Policy, title: str = "", unit: str | None = None,
                 tier: str | None = None, only_short: bool = False) -> Matrix:
    """The matrix for a check's results, optionally for one unit and/or one tier."""
    known = {c.id: c for c in cadre_rows()}
    grouped: dict[tuple[int, str], list[Result]] = {}
    order: list[int] = []
    for r in results:
        key = (r.cadre_id, r.rule)
        if key not in grouped:
            grouped[key] = []
            if r.cadre_id not in order:
                order.append(r.cadre_id)
        grouped[key].append(r)
    rows = []
    for cid in order:
        row = known.get(cid)
        if row is None:  # a cadre checked by name who is no longer active
            first = next(r for r in results if r.cadre_id == cid)
            row = CadreRow(cid, first.cadre, "", frozenset(), None, "")
        if unit and row.unit != unit:
            continue
        if tier and row.tier != tier:
            continue
        rows.append(row)
    cells = {key: summarise(rs) for key, rs in grouped.items()}
    if only_short:
        short = {cid for (cid, _rule), cell in cells.items() if cell.status == "short"}
        rows = [row for row in rows if row.id in short]
    shown = {row.id for row in rows}
    used = {rule for (cid, rule) in cells if cid in shown}
    columns = [Column(r.id, r.title, "每" + PERIODS[r.period], r.severity) for r in policy.rules if r.id in used]
    return Matrix(title, rows, columns, cells)


def check_title(scope: str, period_id: str, as_of: date) -> str:
    what = {"term": "学期", "month": "月份", "year": "学年"}[scope]
    return f"达标检查（{what} {period_id}，截至 {as_of.isoformat()}）"


def tier_label(tier: str) -> str:
    return TIERS.get(tier, tier)


# Excel --------------------------------------------------------------------------------------------

FILLS = {"met": "D8EFD3", "short": "F6CFCB", "open": "FFF0C2", "exempt": "ECECEC"}
ADVISORY_SHORT = "FBE3C9"
LEGEND = "每格：状态 实际/要求（或达标期数/期数）；“欠缺项”数必须规则中欠缺的项；提示性规则欠缺时为浅橙色"
DETAIL_COLUMNS = [
    XColumn("干部", 10), XColumn("规则编号", 14), XColumn("规则", 26, "wrap"), XColumn("期间", 16, "center"),
    XColumn("开始", 11, "date"), XColumn("结束", 11, "date"), XColumn("对象", 14), XColumn("要求", 6, "number"),
    XColumn("实际", 6, "number"), XColumn("单位", 6, "center"), XColumn("状态", 8, "center"),
    XColumn("性质", 6, "center"), XColumn("截止", 11, "date"), XColumn("说明", 30, "wrap"),
]


def _number(x: float | None) -> float | int | None:
    return None if x is None else int(x) if float(x).is_integer() else x


def _look(cell: Cell) -> Look:
    colour = ADVISORY_SHORT if cell.status == "short" and cell.severity == "advisory" else FILLS[cell.status]
    return Look(border=True, halign="center", fill=colour)


def export_matrix_xlsx(matrix: Matrix, path: Path) -> Path:
    """The matrix as a workbook (the project's writer: text never runs as a formula, printed
    landscape with the header on every page): one row per cadre, one column per rule, cells
    coloured by status; a second sheet lists every result with its period, dates as dates."""
    if path.suffix.lower() != ".xlsx":
        raise BadInput(f"导出文件应为 .xlsx（收到“{path.name}”）")
    book = Book(matrix.title or "达标检查")
    sheet = book.add_sheet("达标矩阵")
    columns = [XColumn("干部", 16), XColumn("部门", 16), XColumn("层级", 8, "center"), XColumn("欠缺项", 8, "int"),
               *(XColumn(f"{c.title}（{c.period}）", 12, "center") for c in matrix.columns)]
    sheet.table(columns, title=matrix.title or "达标检查", subtitle=LEGEND)
    for row in matrix.rows:
        values: list[object] = [row.name, row.unit, tier_label(row.tier), matrix.shortfalls(row.id)]
        marks = {}
        for j, col in enumerate(matrix.columns, start=4):
            cell = matrix.cell(row.id, col.rule)
            values.append(None if cell is None else f"{cell.label} {cell.text}")
            if cell is not None:
                marks[j] = _look(cell)
        sheet.append(values, marks)
    detail = book.add_sheet("明细")
    detail.table(DETAIL_COLUMNS)
    shown = {row.id for row in matrix.rows}
    for (cid, _rule), cell in matrix.cells.items():
        if cid not in shown:
            continue
        for res in cell.results:
            detail.append([res.cadre, res.rule, res.title, res.period_label, res.period_start, res.period_end,
                           res.target or "", _number(res.required), _number(res.actual), res.unit,
                           STATUSES[res.status], "提示" if res.severity == "advisory" else "必须", res.due,
                           res.detail])
    return book.save(path)
