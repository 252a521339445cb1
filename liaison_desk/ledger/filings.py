"""Filings (报送): term summaries, year arrangements and the filings the school's policy declares
(年度书面报告…), handed to the office, with their dates.

Deadline rules check them: a term summary is due relative to the term's end, an arrangement
relative to the first term's start, a declared filing as its policy says. A filing belongs to
one cadre, or to a unit (filed by the unit for all its cadres, as seed 001 has the units report).
"""

from __future__ import annotations

from datetime import date

from ..calendar import parse_term_id, parse_year_id
from ..errors import BadInput
from ..policy import BUILTIN_FILINGS, Policy
from ..store import changelog
from ..store.models import Filing, Unit, db
from ..store.records import as_dict, clean_text
from . import settings
from .roster import find_cadre

KINDS: dict[str, str] = BUILTIN_FILINGS  # the two every policy has; kinds() adds the policy's own


def kinds(policy: Policy | None = None) -> dict[str, str]:
    """Every filing kind of the ledger's policy: stored key → label."""
    return (policy or settings.current_policy()).filing_kinds()


def kind_label(kind: str) -> str:
    """A stored kind as the clerk reads it (a kind the policy no longer declares: as stored)."""
    return BUILTIN_FILINGS.get(kind, kind)


def parse_kind(text: str, policy: Policy | None = None) -> str:
    known = kinds(policy)
    text = text.strip()
    kind = {label: key for key, label in known.items()}.get(text, text)
    if kind not in known:
        choices = "、".join(v if k == v else f"{k}（{v}）" for k, v in known.items())
        raise BadInput(f"未知的报送类别“{text}”，可选：{choices}")
    return kind


def add_filing(kind: str, period: str, filed_on: date, cadre: str = "", unit: str = "",
               note: str = "") -> Filing:
    """Record one filing by a cadre or by a unit; checks everything before writing."""
    policy = settings.current_policy()
    kind = parse_kind(kind, policy)
    period = period.strip()
    if policy.filing_period(kind) == "term":
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
