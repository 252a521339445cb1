"""What a cadre's monthly record sheet (工作记录表) holds, laid out by its form definition.

Plain data gathered from the month's activities and the sheet's own fields (特长, 工作内容…): the
PDF draws it, the GUI's sheet editor can show it, and the seal hashes the same records. A whole
month is gathered with a handful of queries, however many cadres there are.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from peewee import JOIN

from ..activity_fields import decode
from ..calendar import academic_year_of, month_bounds, parse_month
from ..errors import BadInput
from ..forms import Form, Section, field_labels
from ..ledger.form_library import form_for_sheet, forms_in_use
from ..ledger.roster import find_cadre
from ..store.models import Activity, Assignment, Cadre, Sheet, Target, Unit
from ..store.records import tuples
from ..vocabulary import HIDDEN, PRIVATE_KIND


@dataclass(frozen=True)
class Line:
    """One activity as a sheet prints it."""

    activity_id: int
    date: date
    category: str
    target: str  # the roster target's name, or the free carrier name
    summary: str
    people: int | None = None
    days: float | None = None
    problems: str = ""
    private: bool = False  # the target is a student in difficulty (personal data)
    extra: tuple[tuple[str, str, str], ...] = ()  # a form's own fields: (key, label, value)

    def text(self, key: str, shown: frozenset[str] = frozenset()) -> str:
        """The cell text for a column key. Values the form has no column for (people, days,
        problems, another form's own fields such as 地点) are added to the summary, so nothing
        recorded is left off the paper."""
        if key == "date":
            return f"{self.date.month}月{self.date.day}日"
        if key == "target":
            return self.target
        if key == "category":
            return self.category
        if key == "people":
            return "" if self.people is None else str(self.people)
        if key == "days":
            return "" if self.days is None else f"{self.days:g}"
        if key == "problems":
            return self.problems
        own = next((value for k, _label, value in self.extra if k == key), None)
        if own is not None or key != "summary":
            return own or ""
        text = self.summary
        others = "；".join(f"{label}：{value}" for k, label, value in self.extra if k not in shown)
        if others:
            text = f"{text}（{others}）" if text else others
        extra = []
        if self.people is not None and "people" not in shown:
            extra.append(f"{self.people}人次")
        if self.days is not None and "days" not in shown:
            extra.append(f"{self.days:g}天")
        if extra:
            text += f"（{'，'.join(extra)}）"
        if self.problems and "problems" not in shown:
            text += f"\n发现问题：{self.problems}"
        return text


@dataclass(frozen=True)
class RowContent:
    """A fixed row: its activities (rows sections) or the cadre's targets (assigned sections)."""

    label: str
    lines: tuple[Line, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    option: str
    chosen: bool
    text: str = ""


@dataclass(frozen=True)
class SectionContent:
    section: Section
    rows: tuple[RowContent, ...] = ()
    lines: tuple[Line, ...] = ()
    text: str = ""
    choices: tuple[Choice, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # fields: (label, value)

    @property
    def empty(self) -> bool:
        return not (any(r.lines or r.names for r in self.rows) or self.lines or self.text
                    or any(c.chosen for c in self.choices) or any(v for _, v in self.values))


@dataclass(frozen=True)
class SheetContent:
    sheet_id: int
    cadre_id: int
    cadre: str
    position: str
    unit: str
    month: str
    form: Form
    status: str
    revision: int
    signed_at: datetime | None
    submitted_on: date | None
    sealed_hash: str  # kept when the sheet was signed
    current_hash: str  # of what the ledger holds now
    header: tuple[tuple[str, str], ...]  # (label, value) of the header fields other than the month
    sections: tuple[SectionContent, ...]
    signature: bytes | None = None
    activity_count: int = 0
    fields: dict[str, Any] = field(default_factory=dict)
    anchor: str = ""  # 台账校验码 printed on a signed sheet (anchor.footer), set when it is signed

    @property
    def signed(self) -> bool:
        return self.status == "signed"

    @property
    def intact(self) -> bool:
        """False when a signed sheet's records no longer match the seal."""
        return not self.signed or self.sealed_hash == self.current_hash

    @property
    def month_label(self) -> str:
        y, m = parse_month(self.month)
        return f"{y}年{m}月"

    @property
    def month_field_label(self) -> str:
        """The form's label for the month (填表时间), or '' when the form does not print one."""
        return next((f.label for f in self.form.header if f.key == "month"), "")


# Gathering -----------------------------------------------------------------------------------------

ActivityRecord = tuple[Any, ...]


def _activity_records(first: date, last: date, cadre_ids: Sequence[int] | None) -> list[ActivityRecord]:
    query = (Activity
             .select(Activity.cadre, Activity.id, Activity.date, Activity.category, Activity.target,
                     Target.name, Activity.carrier, Activity.summary, Activity.people, Activity.days,
                     Activity.face_to_face, Activity.problems, Target.kind, Activity.extra)
             .join(Target, JOIN.LEFT_OUTER, on=(Activity.target == Target.id))
             .where(Activity.date.between(first, last)))
    if cadre_ids is not None:
        query = query.where(Activity.cadre.in_(list(cadre_ids)))
    return tuples(query.order_by(Activity.date, Activity.id))


#: Seals made from version 5 on hash what the sheet prints and say so; older seals (bare hex) were
#: made by records_hash and are still checked by it (they cover the records, not the names).
PRINTED = "v2:"


def printed_hash(month: str, form_id: str, header: Sequence[str], records: Iterable[ActivityRecord],
                 assigned: Sequence[tuple[str, str]], fields_json: str) -> str:
    """The seal: SHA-256 of what the sheet prints — the cadre's name, position and unit, each
    activity as printed (the target's name, not its id), the assigned targets' names and the
    form's own fields. Renaming a target or changing a position after signing breaks it."""
    # A form's own fields (r[13]) join a row only when it has some, so seals made before they
    # existed still match.
    rows = sorted([_iso(r[2]), r[3], r[5] or r[6] or "", r[7] or "", r[8], r[9], bool(r[10]), r[11] or "",
                   *([r[13]] if len(r) > 13 and r[13] else [])] for r in records)
    payload = json.dumps({"month": month, "form": form_id, "header": list(header), "activities": rows,
                          "assigned": sorted(list(a) for a in assigned), "fields": _fields(fields_json)},
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return PRINTED + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def seal_of(sealed: str, cadre_id: int, month: str, form_id: str, header: Sequence[str],
            records: Sequence[ActivityRecord], assigned: Sequence[tuple[str, str]], fields_json: str) -> str:
    """The hash of what the ledger holds now, by the algorithm the sheet's seal was made with."""
    if sealed and not sealed.startswith(PRINTED):
        return records_hash(cadre_id, month, records, fields_json)
    return printed_hash(month, form_id, header, records, assigned, fields_json)


def records_hash(cadre_id: int, month: str, records: Iterable[ActivityRecord], fields_json: str) -> str:
    """The seal before version 5: SHA-256 of the activities as stored (ids) and the fields."""
    rows = sorted(
        [r[1], _iso(r[2]), r[3], r[4], r[6], r[7], r[8], r[9], bool(r[10]), r[11]] for r in records)
    payload = json.dumps({"cadre": cadre_id, "month": month, "activities": rows,
                          "fields": _fields(fields_json)},
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _iso(d: Any) -> str:
    return d.isoformat() if isinstance(d, date) else str(d)


def _fields(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"_raw": text}
    return value if isinstance(value, dict) else {"_raw": value}


def _line(r: ActivityRecord, labels: dict[str, str] | None = None) -> Line:
    d = r[2] if isinstance(r[2], date) else date.fromisoformat(str(r[2]))
    own = tuple((k, (labels or {}).get(k, k), v) for k, v in decode(r[13]).items()) if r[13] else ()
    return Line(activity_id=r[1], date=d, category=r[3], target=r[5] or r[6] or "", summary=r[7] or "",
                people=r[8], days=r[9], problems=r[11] or "", private=r[12] == PRIVATE_KIND, extra=own)


def _assigned(year: str, cadre_ids: Sequence[int] | None, kinds: set[str]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not kinds:
        return out
    query = (Assignment.select(Assignment.cadre, Target.kind, Target.name)
             .join(Target).where((Assignment.year == year) & (Target.kind.in_(sorted(kinds)))))
    if cadre_ids is not None:
        query = query.where(Assignment.cadre.in_(list(cadre_ids)))
    for cadre_id, kind, name in tuples(query.order_by(Assignment.id)):
        out[cadre_id].append((kind, name))
    return out


def _section(section: Section, form: Form, lines: list[Line], fields: dict[str, Any],
             targets: list[tuple[str, str]], first_activities: bool) -> SectionContent:
    if section.kind == "rows":
        return SectionContent(section, rows=tuple(
            RowContent(r.label, tuple(ln for ln in lines if ln.category == r.category)) for r in section.rows))
    if section.kind == "assigned":
        return SectionContent(section, rows=tuple(
            RowContent(r.label, names=tuple(n for k, n in targets if k in r.target_kinds)) for r in section.rows))
    if section.kind == "activities":
        text = _text(fields.get(section.text_key)) if section.text_key else ""
        taken = form.row_categories
        mine = tuple(ln for ln in lines if ln.category not in taken) if first_activities else ()
        return SectionContent(section, lines=mine, text=text)
    if section.kind == "choices":
        value = fields.get(section.key)
        chosen: dict[str, str] = {}
        extra = ""
        if isinstance(value, dict):
            chosen = {str(k): _text(v) for k, v in value.items() if v not in (None, False)}
        elif isinstance(value, list):
            chosen = {str(v): "" for v in value}
        elif value:
            extra = _text(value)
        choices = tuple(Choice(o, o in chosen, chosen.get(o, "")) for o in section.options)
        others = [f"{k}：{v}" if v else k for k, v in chosen.items() if k not in section.options]
        return SectionContent(section, choices=choices, text="\n".join(filter(None, [*others, extra])))
    if section.kind == "fields":
        return SectionContent(section, values=tuple((f.label, _text(fields.get(f.key))) for f in section.fields))
    return SectionContent(section, text=_text(fields.get(section.key)))  # text


def _text(value: Any) -> str:
    if value is None or value is True or value is False:
        return ""
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v)}" for k, v in value.items())
    return str(value).strip()


def month_sheets(month: str, cadre_ids: Sequence[int] | None = None, blanks: bool = False) -> list[SheetContent]:
    """Every sheet of the month (or of the given cadres), in roster order, with its content.
    blanks: also a blank form for each (active, or named) cadre who has no sheet that month yet,
    in the form the policy gives the cadre's tier, so next month's paper can be handed out."""
    first, last = month_bounds(month)
    month = f"{first.year:04d}-{first.month:02d}"
    query = (Sheet
             .select(Sheet.id, Sheet.cadre, Sheet.form, Sheet.status, Sheet.revision, Sheet.signed_at,
                     Sheet.submitted_on, Sheet.content_hash, Sheet.fields, Cadre.name, Cadre.position,
                     Cadre.signature, Unit.name, Cadre.sort_order)
             .join(Cadre).join(Unit, JOIN.LEFT_OUTER)
             .where(Sheet.month == month))
    if cadre_ids is not None:
        query = query.where(Sheet.cadre.in_(list(cadre_ids)))
    rows = [(*r[:13], (r[13], r[1])) for r in tuples(query)]
    if blanks:
        rows += _blank_rows(month, cadre_ids, {r[1] for r in rows})
    rows.sort(key=lambda r: r[13])
    rows = [r[:13] for r in rows]
    if not rows:
        return []
    ids = None if cadre_ids is None else [r[1] for r in rows]
    by_cadre: dict[int, list[ActivityRecord]] = defaultdict(list)
    for rec in _activity_records(first, last, ids):
        by_cadre[rec[0]].append(rec)
    known = forms_in_use()
    forms = {fid: known[fid] for fid in {r[2] for r in rows} if fid in known}
    kinds = {k for f in forms.values() for s in f.sections if s.kind == "assigned" for r in s.rows
             for k in r.target_kinds}
    assigned = _assigned(academic_year_of(first), ids, kinds)
    labels = field_labels(known.values())  # the forms already read: not the ledger's again
    out = []
    for (sheet_id, cadre_id, form_id, status, revision, signed_at, submitted_on, sealed, fields_json,
         name, position, signature, unit) in rows:
        form = forms.get(form_id) or form_for_sheet(form_id, fields_json)  # gone: a stand-in that says so
        records = by_cadre.get(cadre_id, [])
        lines = [_line(r, labels) for r in records]
        fields = _fields(fields_json)
        first_activities = next((s for s in form.sections if s.kind == "activities"), None)
        values = {"cadre.name": name, "cadre.position": position or "", "cadre.unit": unit or ""}
        out.append(SheetContent(
            sheet_id=sheet_id, cadre_id=cadre_id, cadre=name, position=position or "", unit=unit or "",
            month=month, form=form, status=status, revision=revision or 0,
            signed_at=_datetime(signed_at), submitted_on=submitted_on, sealed_hash=sealed or "",
            current_hash=seal_of(sealed or "", cadre_id, month, form_id, (name, position or "", unit or ""),
                                 records, assigned.get(cadre_id, []), fields_json),
            header=tuple((f.label, values[f.key]) for f in form.header if f.key != "month"),
            sections=tuple(_section(s, form, lines, fields, assigned.get(cadre_id, []), s is first_activities)
                           for s in form.sections),
            signature=bytes(signature) if signature else None,
            activity_count=len(records),
            fields=fields,
        ))
    return out


def _blank_rows(month: str, cadre_ids: Sequence[int] | None, have: set[int]) -> list[tuple[Any, ...]]:
    """Rows like month_sheets' query for cadres without a sheet: a blank draft (id -cadre id, as
    no sheet exists yet) in their tier's form. Without named cadres, only active ones."""
    from ..ledger.settings import current_policy

    forms = current_policy().forms
    query = (Cadre.select(Cadre.id, Cadre.tier, Cadre.name, Cadre.position, Cadre.signature, Unit.name,
                          Cadre.sort_order)
             .join(Unit, JOIN.LEFT_OUTER))
    query = query.where(Cadre.id.in_(list(cadre_ids))) if cadre_ids is not None else query.where(Cadre.active)
    out: list[tuple[Any, ...]] = []
    for cadre_id, tier, name, position, signature, unit, order in tuples(query):
        if cadre_id in have or tier not in forms:
            continue
        out.append((-cadre_id, cadre_id, forms[tier], "draft", 0, None, None, "", "{}", name, position, signature,
                    unit, (order, cadre_id)))
    return out


def _datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def sheet_content(cadre_name: str, month: str, blank: bool = False) -> SheetContent:
    """One cadre's sheet for a month; unknown cadre is bad input, and so is a month without a
    sheet unless `blank` (then a blank form to fill in by hand)."""
    parse_month(month)
    cadre = find_cadre(cadre_name)
    found = month_sheets(month, [cadre.id], blanks=blank)
    if not found:
        first, _ = month_bounds(month)
        raise BadInput(f"{cadre.name} 在 {first.year}年{first.month}月 没有工作记录表")
    return found[0]


def content_hash(cadre_id: int, month: str) -> str:
    """The hash of what the ledger holds now for a cadre's month (as kept in Sheet.content_hash)."""
    first, last = month_bounds(month)
    month = f"{first.year:04d}-{first.month:02d}"
    found = month_sheets(month, [cadre_id])
    return found[0].current_hash if found else ""


def hide_private(content: SheetContent) -> SheetContent:
    """The sheet for paper: names of students in difficulty shown as “（已隐去）”, the rule the
    exports follow (unless include_private)."""
    if not any(ln.private for sc in content.sections for ln in _all_lines(sc)):
        return content

    def hide(lines: tuple[Line, ...]) -> tuple[Line, ...]:
        return tuple(dataclasses.replace(ln, target=HIDDEN) if ln.private else ln for ln in lines)

    sections = tuple(dataclasses.replace(sc, lines=hide(sc.lines),
                                         rows=tuple(dataclasses.replace(r, lines=hide(r.lines)) for r in sc.rows))
                     for sc in content.sections)
    return dataclasses.replace(content, sections=sections)


def _all_lines(sc: SectionContent) -> Iterator[Line]:
    yield from sc.lines
    for r in sc.rows:
        yield from r.lines


def texts(content: SheetContent) -> Iterator[str]:
    """Every piece of text the sheet prints (for the glyph check before printing)."""
    yield from (content.cadre, content.position, content.unit, content.form.title, content.form.source)
    for label, value in content.header:
        yield label
        yield value
    for sc in content.sections:
        yield sc.section.title
        yield sc.text
        for r in sc.rows:
            yield r.label
            yield from r.names
        for ln in _all_lines(sc):
            yield from (ln.target, ln.category, ln.summary, ln.problems)
            for _key, label, value in ln.extra:
                yield label
                yield value
        for c in sc.choices:
            yield from (c.option, c.text)
        for label, value in sc.values:
            yield label
            yield value


def unprintable(content: SheetContent) -> list[str]:
    """Characters of the sheet that no bundled font has."""
    from .glyphs import missing_glyphs

    return missing_glyphs("".join(texts(content)))


def stored_copies(sheet_ids: Iterable[int]) -> dict[int, bytes]:
    """The archived PDFs of signed sheets, by sheet id (only those that have one)."""
    ids = list(sheet_ids)
    if not ids:
        return {}
    query = Sheet.select(Sheet.id, Sheet.signed_pdf).where(Sheet.id.in_(ids) & Sheet.signed_pdf.is_null(False))
    return {sid: bytes(pdf) for sid, pdf in tuples(query) if pdf}
