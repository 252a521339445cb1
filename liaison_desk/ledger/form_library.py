"""The record forms in use: the school's own, kept in the ledger, before the shipped templates.

A school's form is the clerk's data, not a program file: its file's text is stored in the ledger
(table `form`), so it travels with the ledger (backups, another PC) and survives an upgrade that
replaces the program folder. The forms shipped in forms/sheets stay available as templates to
start from. Every part of the program that draws a sheet asks here (`get_form`), never the
shipped folder alone; a sheet whose form has gone from both gets a plain stand-in
(forms.missing_form) that says so, and still opens and prints.

Importing replaces a form of the same id without asking (a clerk who imports a corrected form
means it). Signed sheets are not touched: they print from the copy archived when they were
signed, and their seal covers the records, not the layout. Drafts show the new layout at once; a
value typed into a field the new form no longer has stays in the ledger (and comes back if the
field does) and `import_form` says how many sheets hold one. The replaced text is kept in the
change log.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from peewee import OperationalError

from .. import forms
from ..errors import BadInput
from ..forms import Form, load_form_text, missing_form
from ..store import changelog
from ..store.models import FormRecord, Sheet, db
from ..store.records import as_dict, tuples
from ..tomlfile import read_text
from ..vocabulary import TIERS

LEDGER, SHIPPED, REPLACES = "台账", "程序自带模板", "台账（取代同名模板）"


@lru_cache(maxsize=64)
def _parsed(text: str, form_id: str) -> Form | None:
    """A stored form, parsed once per text. One that no longer passes (a later program changed
    the vocabulary) is logged and left out, like a broken shipped file: its sheets get the
    stand-in, nothing else is affected."""
    try:
        return load_form_text(text, f"台账中的记录表格式“{form_id}”")
    except BadInput as e:
        logging.getLogger(__name__).warning("台账中的记录表格式无效，已跳过：%s", e)
        return None


def _stored() -> list[tuple[str, str]]:
    """(id, text) of the ledger's forms; none when no ledger is open (templates only)."""
    if db.obj is None:
        return []
    try:
        return tuples(FormRecord.select(FormRecord.id, FormRecord.text).order_by(FormRecord.id))
    except OperationalError as e:  # a ledger not yet at version 7 (opened read-only)
        if "no such table" in str(e):
            return []
        raise


def ledger_forms() -> dict[str, Form]:
    out = {}
    for form_id, text in _stored():
        form = _parsed(text, form_id)
        if form is not None:
            out[form_id] = form
    return out


def forms_in_use() -> dict[str, Form]:
    """Every form this ledger can use, by id: its own first, then the shipped templates."""
    return {**forms.all_forms(), **ledger_forms()}


def field_labels() -> dict[str, str]:
    """Key → label of the forms' own activity fields (地点 …), over every form this ledger uses."""
    return forms.field_labels(forms_in_use().values())


def record_form_ids() -> list[str]:
    """Forms a policy may give a tier (not the roster list)."""
    return [fid for fid, form in forms_in_use().items() if form.sections]


def get_form(form_id: str) -> Form:
    known = forms_in_use()
    if form_id not in known:
        raise BadInput(f"未知的记录表格式“{form_id}”，可选：{'、'.join(known)}")
    return known[form_id]


def form_for_sheet(form_id: str, fields_json: str | None = None) -> Form:
    """The form a sheet was made with, or a stand-in saying it is gone (with the sheet's own
    values under their keys, so nothing recorded is left off the screen or the paper)."""
    form = forms_in_use().get(form_id)
    if form is not None:
        return form
    try:
        fields = json.loads(fields_json or "{}")
    except ValueError:
        fields = {}
    if not isinstance(fields, dict):
        fields = {}
    return missing_form(form_id, tuple(sorted(k for k, v in fields.items() if v not in (None, "", [], {}))))


# Import and export ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    form: Form
    replaced: str  # "" new; "台账" a form of this ledger; "模板" a shipped template of that id
    sheets: int = 0  # sheets made with this form
    signed: int = 0  # of which signed (they keep their archived copy)
    hidden: int = 0  # sheets holding a value in a field the new form no longer has

    def lines(self) -> list[str]:
        f = self.form
        if not self.replaced:
            out = [f"已导入记录表格式“{f.id}”（{f.title}）"]
        elif self.replaced == "模板":
            out = [f"已导入记录表格式“{f.id}”（{f.title}），本台账今后用它代替程序自带的同名模板"]
        else:
            out = [f"已替换记录表格式“{f.id}”（{f.title}），原来的内容保留在变更日志中"]
        if self.sheets:
            out.append(f"使用它的记录表 {self.sheets} 张：未签字的即按新格式显示和打印"
                       + (f"；已签字封存的 {self.signed} 张仍按签字时存档的原件打印，不受影响" if self.signed else ""))
        if self.hidden:
            out.append(f"注意：{self.hidden} 张记录表在新格式没有的栏目中填有内容；这些内容仍保存在台账中，"
                       "但不再显示和打印（把该栏目加回格式即可恢复）")
        return out


def read_form_file(path: Path) -> tuple[Form, str]:
    """A form file, fully validated (nothing is saved): the form and the file's text."""
    text = read_text(path)
    return _record_form(load_form_text(text, path.name), path.name), text


def import_form(path: Path) -> Imported:
    """Add or replace a form of this ledger from a file; a file that is not valid is refused whole
    (BadInput naming the file, the key and the reason) and the ledger is left as it was."""
    form, text = read_form_file(path)
    return store_form(form, text)


def _record_form(form: Form, source: str) -> Form:
    if not form.sections:  # the roster list: its columns are read by the Excel import and export
        raise BadInput("这是对接一览表的格式（随程序提供），不是工作记录表，不能导入", f"{source}: columns")
    return form


def store_form(form: Form, text: str) -> Imported:
    """Keep a validated form's text in the ledger, logged (one transaction)."""
    from .clerks import require

    require("forms")
    _record_form(form, form.id)
    now = datetime.now().replace(microsecond=0)
    with db.atomic():
        row = FormRecord.get_or_none(FormRecord.id == form.id)
        before = as_dict(row) if row else None
        if row is None:
            row = FormRecord.create(id=form.id, title=form.title, text=text, imported_at=now, updated_at=now)
            replaced = "模板" if form.id in forms.all_forms() else ""
        else:
            if row.text == text and row.title == form.title:
                return Imported(form, "台账")
            row.title, row.text, row.updated_at = form.title, text, now
            row.save()
            replaced = "台账"
        changelog.record("update" if before else "insert", "form", form.id, before, as_dict(row))
        sheets, signed, hidden = _usage(form)
    return Imported(form, replaced, sheets, signed, hidden)


def _usage(form: Form) -> tuple[int, int, int]:
    keys = set(form.field_keys)
    sheets = signed = hidden = 0
    for status, fields in tuples(Sheet.select(Sheet.status, Sheet.fields).where(Sheet.form == form.id)):
        sheets += 1
        signed += status == "signed"
        try:
            values = json.loads(fields or "{}")
        except ValueError:
            continue
        if isinstance(values, dict) and any(v not in (None, "", [], {}) for k, v in values.items() if k not in keys):
            hidden += 1
    return sheets, signed, hidden


def form_text(form_id: str) -> str:
    """The file text of a form in use: the ledger's copy, or the shipped template's file."""
    stored = dict(_stored())
    if form_id in stored:
        return stored[form_id]
    if form_id in forms.all_forms():
        return read_text(forms.forms_dir() / f"{form_id}.toml")
    get_form(form_id)  # names the forms there are
    raise BadInput(f"未知的记录表格式“{form_id}”")


def export_form(form_id: str, path: Path) -> Path:
    """Write a form's file (to edit it, or to start a new school's form from a template)."""
    text = form_text(form_id)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise BadInput(f"无法写入文件 {path}：{e.strerror or e}") from None
    return path


# Listing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormInfo:
    id: str
    title: str
    origin: str  # LEDGER, SHIPPED or REPLACES
    tiers: tuple[str, ...]  # the tiers whose policy uses it (labels: 校领导…)


def form_list() -> list[FormInfo]:
    """Every form in use with where it comes from and which tiers' policy uses it."""
    from . import settings

    shipped, own = forms.all_forms(), ledger_forms()
    uses: dict[str, list[str]] = {}
    if settings.is_initialised():
        for tier, form_id in settings.current_policy().forms.items():
            uses.setdefault(form_id, []).append(TIERS.get(tier, tier))
    out = []
    for form_id, form in {**shipped, **own}.items():
        if not form.sections:  # the roster list
            continue
        origin = (REPLACES if form_id in shipped else LEDGER) if form_id in own else SHIPPED
        out.append(FormInfo(form_id, form.title, origin, tuple(uses.get(form_id, ()))))
    return out
