"""Filings (报送): term summaries and year arrangements handed to the office, with their dates.

Deadline rules check them: a term summary is due relative to the term's end, an arrangement
relative to the first term's start. A filing belongs to one cadre, or to a unit (filed by the
unit for all its cadres, as seed 001 has the units report).
"""

from __future__ import annotations

from datetime import date

from ..calendar import parse_term_id, parse_year_id
from ..errors import BadInput
from ..store import changelog
from ..store.models import Filing, Unit, db
from ..store.records import as_dict, clean_text
from .roster import find_cadre

KINDS: dict[str, str] = {"term_summary": "学期工作总结", "arrangement": "学年联系安排"}
KIND_BY_LABEL = {label: key for key, label in KINDS.items()}


def parse_kind(text: str) -> str:
    text = text.strip()
    kind = KIND_BY_LABEL.get(text, text)
    if kind not in KINDS:
        choices = "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        raise BadInput(f"未知的报送类别“{text}”，可选：{choices}")
    return kind


def add_filing(kind: str, period: str, filed_on: date, cadre: str = "", unit: str = "",
               note: str = "") -> Filing:
    """Record one filing by a cadre or by a unit; checks everything before writing."""
    kind = parse_kind(kind)
    period = period.strip()
    if kind == "term_summary":
        parse_term_id(period)
    else:
        parse_year_id(period)
    if bool(cadre.strip()) == bool(unit.strip()):
        raise BadInput("请指定报送的干部或部门（二者选一）")
    if not date(2000, 1, 1) <= filed_on <= date(2100, 12, 31):
        raise BadInput(f"报送日期 {filed_on} 超出范围")
    note = clean_text(note, "备注", 500)
    who = find_cadre(cadre) if cadre.strip() else None
    unit_row = None
    if unit.strip():
        unit_row = Unit.get_or_none(Unit.name == unit.strip())
        if unit_row is None:
            raise BadInput(f"未找到部门“{unit}”")
    with db.atomic():
        filing = Filing.create(cadre=who, unit=unit_row, kind=kind, period=period, filed_on=filed_on,
                               note=note)
        changelog.record("insert", "filing", filing.id, None, as_dict(filing))
    return filing


def filings(period: str | None = None) -> list[Filing]:
    query = Filing.select().order_by(Filing.period, Filing.kind, Filing.filed_on, Filing.id)
    if period:
        query = query.where(Filing.period == period.strip())
    return list(query)
