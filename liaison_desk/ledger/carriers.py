"""自主选择联系载体 → 联系安排: the carriers a middle-level cadre names on a 三特一体 sheet are that
academic year's assignments, so the clerk does not type them again in 名册.

When a carrier field (a form field with `target_kinds`) changes, the names added that are roster
targets of those kinds become assignments for the academic year of the sheet's month, with the role
CARRIER_ROLE and no filing date (the sheet is not the September filing: `arrangement_filed` still
needs a filing or an assignment entered in 名册). Names taken out again — by the clerk or by an
undo — remove the assignment only when this sync made it (that role, no filing date) and no other
carrier field of the cadre's sheets that year still names it; anything entered in 名册 is never
touched. Names not on the roster, or of another kind, or matching two targets, are reported, not
guessed. Runs inside the field's own transaction, logged like every roster write.
"""

from __future__ import annotations

import json
import re

from ..calendar import academic_year_bounds, academic_year_of, month_bounds
from ..forms import Field
from ..store import changelog
from ..store.models import Assignment, Cadre, Sheet, Target
from ..store.records import as_dict, tuples
from .form_library import form_for_sheet

CARRIER_ROLE = "自主选择联系载体"
_SEPARATORS = re.compile(r"[、，,；;/\n]+")


def names_in(text: object) -> list[str]:
    """The names typed in a carrier box, in order: separated by 、，,；;/ or new lines (and by
    spaces, unless the spaced text is itself one name — that is checked by the caller)."""
    if not isinstance(text, str):
        return []
    out: list[str] = []
    for chunk in _SEPARATORS.split(text):
        chunk = chunk.strip()
        if chunk and chunk not in out:
            out.append(chunk)
    return out


def _matches(names: list[str], kinds: tuple[str, ...]) -> tuple[dict[str, int], list[str], list[str]]:
    """(name → target id, names not on the roster as such a kind, names matching several)."""
    found: dict[str, int] = {}
    unknown: list[str] = []
    several: list[str] = []
    for name in names:
        ids = [i for (i,) in tuples(Target.select(Target.id).where((Target.name == name) & Target.kind.in_(kinds)))]
        if len(ids) == 1:
            found[name] = ids[0]
            continue
        if len(ids) > 1:
            several.append(name)
            continue
        parts = name.split()
        part_ids = {}
        for part in parts if len(parts) > 1 else []:
            hit = [i for (i,) in tuples(Target.select(Target.id).where((Target.name == part) & Target.kind.in_(kinds)))]
            if len(hit) == 1:
                part_ids[part] = hit[0]
        if part_ids and len(part_ids) == len(parts):
            found.update(part_ids)
        else:
            unknown.append(name)
    return found, unknown, several


def _named_elsewhere(cadre_id: int, year: str, sheet_id: int, skip_key: str) -> set[int]:
    """Targets still named by the cadre's other carrier fields of that academic year."""
    first, last = academic_year_bounds(year)
    named: set[int] = set()
    query = Sheet.select(Sheet.id, Sheet.form, Sheet.fields).where(
        (Sheet.cadre == cadre_id) & (Sheet.month >= f"{first:%Y-%m}") & (Sheet.month <= f"{last:%Y-%m}"))
    for sid, form_id, text in tuples(query):
        fields = json.loads(text or "{}")
        for section in form_for_sheet(form_id).sections:
            for f in section.fields:
                if f.target_kinds and not (sid == sheet_id and f.key == skip_key):
                    named |= set(_matches(names_in(fields.get(f.key)), f.target_kinds)[0].values())
    return named


def sync(cadre: Cadre, sheet: Sheet, field: Field, old: object, new: object) -> str:
    """Bring the year's assignments in line with a carrier field changed from `old` to `new`;
    returns what the clerk should be told ('' when nothing)."""
    year = academic_year_of(month_bounds(sheet.month)[0])
    before, _u, _s = _matches(names_in(old), field.target_kinds)
    after, unknown, several = _matches(names_in(new), field.target_kinds)
    added: list[str] = []
    for name, tid in after.items():
        if tid in before.values():
            continue
        exists = Assignment.get_or_none((Assignment.cadre == cadre.id) & (Assignment.target == tid)
                                        & (Assignment.year == year))
        if exists is None:
            a = Assignment.create(cadre=cadre.id, target=tid, year=year, role=CARRIER_ROLE, filed_on=None)
            changelog.record("insert", "assignment", a.id, None, as_dict(a))
            added.append(name)
    removed: list[str] = []
    gone = {tid: name for name, tid in before.items() if tid not in after.values()}
    if gone:
        kept = _named_elsewhere(cadre.id, year, sheet.id, field.key)
        for tid, name in gone.items():
            mine = Assignment.get_or_none((Assignment.cadre == cadre.id) & (Assignment.target == tid)
                                          & (Assignment.year == year) & (Assignment.role == CARRIER_ROLE)
                                          & Assignment.filed_on.is_null())
            if mine is not None and tid not in kept:
                values = as_dict(mine)
                mine.delete_instance()
                changelog.record("delete", "assignment", values["id"], values, None)
                removed.append(name)
    said = []
    if added:
        said.append(f"已列入 {year} 学年联系安排：{'、'.join(added)}")
    if removed:
        said.append(f"已从 {year} 学年联系安排中去掉：{'、'.join(removed)}")
    if unknown:
        said.append(f"不在名册中（或类别不符），未列入联系安排：{'、'.join(unknown)}（可在“名册”中添加）")
    if several:
        said.append(f"名册中有多个同名对象，未列入联系安排：{'、'.join(several)}（请在“名册”中安排）")
    return "；".join(said)
