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


def _text_cell(ws, row: int, col: int, text: str):  # type: ignore[no-untyped-def]
    """A cell that always holds text: never a formula, whatever the text begins with."""
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"
    if text[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True
    return cell


def export_matrix_xlsx(matrix: Matrix, path: Path) -> Path:
    """The matrix as a workbook: one row per cadre, one column per rule, cells coloured by
    status; a second sheet lists every result with its period and detail."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise BadInput(f"导出文件应为 .xlsx（收到“{path.name}”）")
    wb = Workbook()
    ws = wb.active
    ws.title = "达标矩阵"
    _text_cell(ws, 1, 1, matrix.title or "达标检查").font = Font(bold=True, size=14)
    header = ["干部", "部门", "层级", "欠缺项"] + [f"{c.title}（{c.period}）" for c in matrix.columns]
    for j, text in enumerate(header, start=1):
        cell = _text_cell(ws, 3, j, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, row in enumerate(matrix.rows, start=4):
        _text_cell(ws, i, 1, row.name)
        _text_cell(ws, i, 2, row.unit)
        _text_cell(ws, i, 3, tier_label(row.tier))
        ws.cell(row=i, column=4, value=matrix.shortfalls(row.id))
        for j, col in enumerate(matrix.columns, start=5):
            cell_data = matrix.cell(row.id, col.rule)
            if cell_data is None:
                continue
            cell = _text_cell(ws, i, j, f"{cell_data.label} {cell_data.text}")
            colour = ADVISORY_SHORT if (cell_data.status == "short" and cell_data.severity == "advisory") \
                else FILLS[cell_data.status]
            cell.fill = PatternFill("solid", fgColor=colour)
            cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "E4"
    ws.row_dimensions[3].height = 48
    for j in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 12 if j > 4 else (8 if j in (3, 4) else 16)
    detail = wb.create_sheet("明细")
    names = ["干部", "规则编号", "规则", "期间", "开始", "结束", "对象", "要求", "实际", "单位", "状态",
             "性质", "截止", "说明"]
    for j, text in enumerate(names, start=1):
        _text_cell(detail, 1, j, text).font = Font(bold=True)
    shown = {row.id for row in matrix.rows}
    r = 2
    for (cid, _rule), cell_data in matrix.cells.items():
        if cid not in shown:
            continue
        for res in cell_data.results:
            values = [res.cadre, res.rule, res.title, res.period_label, res.period_start.isoformat(),
                      res.period_end.isoformat(), res.target or ""]
            for j, text in enumerate(values, start=1):
                _text_cell(detail, r, j, text)
            detail.cell(row=r, column=8, value=res.required)
            detail.cell(row=r, column=9, value=res.actual)
            for j, text in enumerate([res.unit, STATUSES[res.status],
                                      "提示" if res.severity == "advisory" else "必须",
                                      res.due.isoformat() if res.due else "", res.detail], start=10):
                _text_cell(detail, r, j, text)
            r += 1
    detail.freeze_panes = "A2"
    try:
        wb.save(path)
    except OSError as e:
        raise BadInput(f"无法写入文件 {path}：{e.strerror or e}") from None
    return path
