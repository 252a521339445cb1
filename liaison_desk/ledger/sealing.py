"""Sealed sheets (封存): a signed sheet refuses edits until it is revised. A revision (修订) is
explicit, gives its reason, is logged, voids the old signature and keeps the voided copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..errors import BadInput
from ..store import changelog
from ..store.models import Cadre, Sheet, SheetRevision, db
from ..store.records import as_dict, clean_text
from ..store.sql import on_server, retrying
from . import settings
from .roster import find_cadre


@dataclass(frozen=True)
class RevisionInfo:
    cadre: str
    month: str
    revision: int
    reason: str
    actor: str
    at: datetime
    voided_signed_at: datetime | None


@retrying
def revise_sheet(cadre_name: str, month: str, reason: str) -> SheetRevision:
    """Reopen a signed month for changes: status back to draft, the signature voided and archived."""
    from .clerks import require

    require("revise")
    cadre = find_cadre(cadre_name)
    reason = clean_text(reason, "修订原因", 500, required=True)
    now = datetime.now()
    with db.atomic():
        # Read inside the transaction (on a server: locked), so two clerks revising at once make
        # one revision, and the other is told the sheet is no longer signed.
        query = Sheet.select().where((Sheet.cadre == cadre) & (Sheet.month == month))
        sheet = (query.for_update() if on_server() else query).first()
        if sheet is None:
            raise BadInput(f"{cadre.name} {month} 没有工作记录表")
        if sheet.status != "signed":
            raise BadInput(f"{cadre.name} {month} 的记录表尚未签字，直接修改即可，无需修订")
        before = as_dict(sheet)
        revision = SheetRevision.create(
            sheet=sheet, revision=sheet.revision + 1, reason=reason,
            actor=settings.clerk_name() or changelog.actor(), at=now,
            voided_signed_at=sheet.signed_at, voided_hash=sheet.content_hash, voided_pdf=sheet.signed_pdf)
        changelog.record("insert", "sheet_revision", revision.id, None, as_dict(revision))
        sheet.status = "draft"
        sheet.revision += 1
        sheet.signed_at = None
        sheet.content_hash = ""
        sheet.signed_pdf = None
        sheet.save()
        changelog.record("update", "sheet", sheet.id, before, as_dict(sheet))
    return revision


def revisions_between(start: date, end: date) -> list[RevisionInfo]:
    """Revisions of the sheets of months from `start` to `end` (for the term summary)."""
    first, last = f"{start:%Y-%m}", f"{end:%Y-%m}"
    query = (SheetRevision.select(SheetRevision, Sheet.month, Cadre.name).join(Sheet).join(Cadre)
             .where((Sheet.month >= first) & (Sheet.month <= last))
             .order_by(Sheet.month, Cadre.sort_order, SheetRevision.id))
    return [RevisionInfo(r.sheet.cadre.name, r.sheet.month, r.revision, r.reason, r.actor, r.at, r.voided_signed_at)
            for r in query]
