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

from ..policy import PERIODS, Policy
from ..vocabulary import TIERS
from .compliance import STATUSES, CadreRow, Result, cadre_rows

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
