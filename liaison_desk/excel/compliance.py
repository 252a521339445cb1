"""Exporting compliance results (达标检查) for inspectors: one row per cadre × rule × period
(× target), coloured by status, and a summary sheet per cadre. Output only — nothing imports it.

The results come from compliance.check, for a term, a month or an academic year; names of
students in difficulty (per-target rules) are hidden unless include_private is set.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..ledger import settings
from ..ledger.clerks import scope_line
from ..store.sql import run
from ..vocabulary import HIDDEN, PRIVATE_KIND
from .kinds import Exported
from .xlsx import Book, Column, Look

STATUS_LOOKS = {
    "short": Look(border=True, halign="center", fill="F8CBAD", bold=True),
    "met": Look(border=True, halign="center", fill="E2EFDA"),
    "open": Look(border=True, halign="center", fill="FFF2CC"),
    "exempt": Look(border=True, halign="center", color="808080"),
}

COLUMNS = [
    Column("序号", 6, "int"), Column("姓名", 10), Column("要求", 30, "wrap"), Column("类别", 24, "wrap"),
    Column("期间", 16, "center"), Column("开始", 11, "date"), Column("结束", 11, "date"),
    Column("联系对象", 14), Column("应达", 6, "number"), Column("实际", 6, "number"), Column("单位", 6, "center"),
    Column("状态", 8, "center"), Column("性质", 6, "center"), Column("说明", 26, "wrap"), Column("规则编号", 12),
]
STATUS_COLUMN = 11


def _number(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def export_compliance(path: Path, scope: Any, term: str | None, month: str | None, year: str | None,
                      include_private: bool) -> Any:
    from ..rules.compliance import SEVERITY_LABELS, STATUSES, check

    if term:
        results, what = check("term", term), scope.label
    elif month:
        results, what = check("month", month), scope.label
    elif year:
        results, what = check("year", year), scope.label
    else:
        raise BadInput("导出达标检查需要指定期间：--term 学期、--month 月份或 --year 学年")
    private = {tid for (tid,) in run("SELECT id FROM target WHERE kind = ?", (PRIVATE_KIND,))}
    title = f"{settings.school_name()}领导干部联系工作达标检查（{what}）"
    book = Book(title)
    sheet = book.add_sheet("达标检查")
    counts = Counter(r.status for r in results)
    subtitle = "　".join(f"{STATUSES[s]} {counts.get(s, 0):,}" for s in STATUSES)
    subtitle = "　".join(filter(None, (scope_line(), f"共 {len(results):,} 项：{subtitle}")))
    sheet.table(COLUMNS, title=title, subtitle=subtitle)
    hidden = 0
    per_cadre: dict[str, Counter[str]] = {}
    for i, r in enumerate(results, start=1):
        target = r.target or ""
        if r.target_id in private and not include_private:
            target, hidden = HIDDEN, hidden + 1
        sheet.append([i, r.cadre, r.title, "、".join(r.categories), r.period_label, r.period_start, r.period_end,
                      target, _number(r.required), _number(r.actual), r.unit, STATUSES[r.status],
                      SEVERITY_LABELS.get(r.severity, r.severity), r.detail, r.rule],
                     {STATUS_COLUMN: STATUS_LOOKS[r.status]})
        per_cadre.setdefault(r.cadre, Counter())[r.status] += 1
    summary = book.add_sheet("汇总")
    summary.table([Column("序号", 6, "int"), Column("姓名", 12),
                   *(Column(label, 9, "int") for label in STATUSES.values())],
                  title=f"{title} · 按干部汇总")
    for i, (cadre, c) in enumerate(per_cadre.items(), start=1):
        short = c.get("short", 0)
        summary.append([i, cadre, *(c.get(s, 0) for s in STATUSES)],
                       {3: STATUS_LOOKS["short"]} if short else None)
    return Exported(book.save(path), len(results), hidden)
