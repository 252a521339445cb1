"""The compliance matrix (rules.matrix) as a workbook, written by the project's own xlsx writer:
text never runs as a formula, printed landscape with the header on every page, dates as dates."""

from __future__ import annotations

from pathlib import Path

from ..errors import BadInput
from ..ledger.clerks import scope_line
from ..rules.compliance import STATUSES
from ..rules.matrix import Cell, Matrix, tier_label
from .xlsx import Book, Look
from .xlsx import Column as XColumn

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
    sheet.table(columns, title=matrix.title or "达标检查", subtitle="　".join(filter(None, (scope_line(), LEGEND))))
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
