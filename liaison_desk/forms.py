"""Record forms (工作记录表) and the roster list as data: forms/sheets/*.toml.

The editable grid and the printed PDF are both drawn from these definitions, so a new school's
form needs a new file, not new code. The files shipped here are templates; a school's own forms
are the clerk's data, imported into the ledger (ledger/form_library.py looks there first).
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from . import resources
from .errors import BadInput
from .tomlfile import Reader, read_toml, syntax_message
from .vocabulary import Vocabulary, vocabulary

HEADER_KEYS = ("month", "cadre.name", "cadre.position", "cadre.unit")
ACTIVITY_COLUMNS = ("target", "date", "summary", "category", "people", "days", "problems")
SECTION_KINDS = ("rows", "activities", "choices", "fields", "text", "assigned")
ROSTER_KEYS = ("index", "cadre.name", "cadre.position", "cadre.unit", "assigned")
#: Names an activity field of a form's own may not take: the activity's fixed values and the
#: words the ledger's Excel sheet already uses for its columns.
RESERVED_KEYS = frozenset({*ACTIVITY_COLUMNS, "id", "cadre", "unit", "carrier", "face_to_face", "extra",
                           "created_at", "updated_at"})
RESERVED_LABELS = frozenset({  # the ledger page's headers and the Excel import's names for its columns
    "序号", "日期", "干部", "部门", "类别", "联系对象/载体", "人数", "人数（人次）", "人次", "具体联系情况",
    "内容", "参加人数", "反映问题", "发现的问题", "发现问题", "天数", "姓 名", "姓名", "存在问题", "对象",
    "对象类别", "工作内容", "工作简况", "干部姓名", "日期时间", "时长（天）", "时间", "是否面对面", "活动内容",
    "活动日期", "活动类别", "简况", "类型", "群体名称", "联系对象", "联系对象类别", "联系对象（载体）",
    "联系情况", "联系方式", "联系时间", "联系类别", "载体", "载体名称", "问题", "面对面", "领导干部", "驻点天数"})
FIELD_KEY = re.compile(r"[^\W\d_]\w{0,39}")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 1
    target_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A fixed row of a section: a category (rows) or target kinds (assigned)."""

    label: str
    category: str = ""
    target_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    target_kinds: tuple[str, ...] = ()  # names typed here become 联系安排 of these kinds (carriers.py)


@dataclass(frozen=True)
class Section:
    title: str
    kind: str
    note: str = ""
    key: str = ""
    text_key: str = ""
    optional: bool = False
    columns: tuple[Column, ...] = ()
    rows: tuple[Row, ...] = ()
    options: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    source: str
    header: tuple[Field, ...]
    sections: tuple[Section, ...] = ()
    columns: tuple[Column, ...] = ()  # the roster list only
    activity_fields: tuple[Field, ...] = ()  # the form's own activity values (地点 …), by key
    notice: str = ""  # said on screen when this stands in for a form that is gone (missing_form)

    @property
    def row_categories(self) -> frozenset[str]:
        """Categories that have a fixed row; the rest go to an activities section."""
        return frozenset(r.category for s in self.sections for r in s.rows if r.category)

    def carrier_field(self, key: str) -> Field | None:
        """The field with this key when its names are the cadre's 联系安排 (it has target kinds)."""
        return next((f for s in self.sections for f in s.fields if f.key == key and f.target_kinds), None)

    @property
    def field_keys(self) -> tuple[str, ...]:
        """Keys of the sheet's own values (not activities): choices, fields, free text."""
        keys: list[str] = []
        for s in self.sections:
            if s.key:
                keys.append(s.key)
            if s.text_key:
                keys.append(s.text_key)
            keys.extend(f.key for f in s.fields)
        return tuple(keys)


def _activity_fields(r: Reader) -> tuple[Field, ...]:
    """The form's own activity fields (`[[activity_fields]]`: key and label), checked so that a
    key or a label can never be taken for one of the activity's fixed values."""
    out: list[Field] = []
    for f in r.tables("activity_fields"):
        f.expect(("key", "label"))
        key, label = f.text("key", limit=40), f.text("label", limit=20)
        if not FIELD_KEY.fullmatch(key):
            raise f.fail("key", f"“{key}”不能作为栏目名（用字母、汉字、数字或 _，以字母或汉字开头）")
        if key in RESERVED_KEYS:
            raise f.fail("key", f"“{key}”是活动本身的栏目，不用声明，直接写在表格的 columns 中")
        if label.strip() in RESERVED_LABELS:
            raise f.fail("label", f"“{label}”与台账已有的栏目同名，请换一个名称")
        if any(o.key == key for o in out):
            raise f.fail("key", f"“{key}”声明了两次")
        if any(o.label == label for o in out):
            raise f.fail("label", f"“{label}”已是栏目“{next(o.key for o in out if o.label == label)}”的名称")
        f.done()
        out.append(Field(key=key, label=label.strip()))
    return tuple(out)
def _keys(cls: type) -> list[str]:
    """A table's keys are its data class's fields (so a misspelt key is named as unknown)."""
    return [f.name for f in fields(cls)]


def _columns(r: Reader, key: str, allowed: tuple[str, ...], vocab: Vocabulary) -> tuple[Column, ...]:
    cols: list[Column] = []
    kinds = frozenset(vocab.target_kinds)
    for c in r.tables(key, required=True):
        c.expect(_keys(Column))
        column_key = c.text("key")
        if column_key not in allowed:
            hint = "；表中另加的栏目（如地点）须先在 activity_fields 中声明 key 和 label" if key == "columns" \
                and "date" in allowed else ""
            raise c.fail("key", f"未知的栏目“{column_key}”，可选：{'、'.join(allowed)}{hint}")
        if any(col.key == column_key for col in cols) and column_key != "assigned":
            raise c.fail("key", f"栏目“{column_key}”在同一表格中出现了两次")
        cols.append(Column(
            key=column_key,
            label=c.text("label"),
            width=int(c.number("width", required=False, default=1) or 1),
            target_kinds=tuple(c.texts("target_kinds", allowed=kinds)),
        ))
        c.done()
    return tuple(cols)


def _section(r: Reader, vocab: Vocabulary, extra: tuple[str, ...] = ()) -> Section:
    r.expect(_keys(Section))
    kind = r.choice("kind", SECTION_KINDS)
    kinds = frozenset(vocab.target_kinds)
    rows = []
    for row in r.tables("rows", required=kind in ("rows", "assigned")):
        row.expect(_keys(Row))
        rows.append(Row(
            label=row.text("label"),
            category=row.choice("category", tuple(vocab.categories), required=kind == "rows"),
            target_kinds=tuple(row.texts("target_kinds", required=kind == "assigned", allowed=kinds)),
        ))
        row.done()
    fields = []
    for f in r.tables("fields", required=kind == "fields"):
        f.expect(_keys(Field))
        fields.append(Field(key=f.text("key"), label=f.text("label"),
                            target_kinds=tuple(f.texts("target_kinds", allowed=kinds))))
        f.done()
    section = Section(
        title=r.text("title"),
        kind=kind,
        note=r.text("note", required=False),
        key=r.text("key", required=kind in ("choices", "text")),
        text_key=r.text("text_key", required=False),
        optional=r.flag("optional"),
        columns=_columns(r, "columns", ACTIVITY_COLUMNS + extra, vocab) if kind in ("rows", "activities") else (),
        rows=tuple(rows),
        options=tuple(r.texts("options", required=kind == "choices")),
        fields=tuple(fields),
    )
    r.done()
    return section


FORM_ID = re.compile(r"[\w-]{1,40}")


def form_from_data(data: dict, source: str, vocab: Vocabulary | None = None) -> Form:
    """Validate one form's data; a flaw raises BadInput naming `source` and the key."""
    vocab = vocab or vocabulary()
    r = Reader(data, source).expect([k for k in _keys(Form) if k != "notice"])
    form_id = r.text("id")
    if not FORM_ID.fullmatch(form_id):
        raise r.fail("id", f"“{form_id}”不能用作编号（最多40个字，只用汉字、字母、数字、- 和 _）")
    header = []
    for h in r.tables("header", required="columns" not in r.data):
        h.expect(["key", "label"])
        header.append(Field(key=h.choice("key", HEADER_KEYS), label=h.text("label")))
        h.done()
    own = _activity_fields(r)
    form = Form(
        id=form_id,
        title=r.text("title"),
        source=r.text("source"),
        header=tuple(header),
        sections=tuple(_section(s, vocab, tuple(f.key for f in own)) for s in r.tables("sections")),
        columns=_columns(r, "columns", ROSTER_KEYS, vocab) if "columns" in r.data else (),
        activity_fields=own,
    )
    used = {c.key for s in form.sections for c in s.columns}
    for i, f in enumerate(own):
        if f.key not in used:
            raise r.fail(f"activity_fields[{i}].key",
                         f"栏目“{f.key}”（{f.label}）已声明，但没有用在任何表格的 columns 中")
    r.done()
    if not form.columns and not form.sections:
        raise r.fail("sections", "记录表至少要有一栏（[[sections]]）")
    if form.columns and form_id != "roster":
        raise r.fail("columns", "只有对接一览表（id = \"roster\"）使用 columns；记录表请用 [[sections]]")
    return form


def load_form_text(text: str, source: str, vocab: Vocabulary | None = None) -> Form:
    """A form from the text of its file (an import, or the copy kept in the ledger)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BadInput(syntax_message(str(e), text), source) from None
    return form_from_data(data, source, vocab)


def load_form_file(path: Path, vocab: Vocabulary | None = None) -> Form:
    """A shipped form: its file is named after its id."""
    form = form_from_data(read_toml(path), path.name, vocab)
    if form.id != path.stem:
        raise BadInput(f"“{form.id}”与文件名不符", f"{path.name}: id")
    return form


def missing_form(form_id: str, field_keys: tuple[str, ...] = ()) -> Form:
    """A plain stand-in for a form that is neither in the ledger nor shipped, so a sheet made with
    it still opens and prints (every activity in one table, the sheet's own values by their keys)
    with a note that says what happened, instead of failing."""
    notice = (f"本表的记录表格式“{form_id}”在本台账和本程序中都已找不到，现按通用格式显示和打印；"
              f"导入该格式（文件 → 导入记录表格式…）后即恢复原样。")
    sections = [Section(title="联系活动", kind="activities", columns=(
        Column("category", "类别", 2), Column("target", "联系对象", 3), Column("date", "时间", 2),
        Column("summary", "工作简况", 6)))]
    if field_keys:
        sections.append(Section(title="表中其他栏目", kind="fields",
                                fields=tuple(Field(k, k) for k in field_keys)))
    return Form(id=form_id, title="工作记录表（通用格式）", source=f"原记录表格式“{form_id}”已找不到，按通用格式打印",
                header=(Field("month", "填表时间"), Field("cadre.name", "姓名"), Field("cadre.position", "职务"),
                        Field("cadre.unit", "部门")),
                sections=tuple(sections), notice=notice)


def forms_dir() -> Path:
    return resources.forms_dir() / "sheets"


@lru_cache(maxsize=1)
def all_forms() -> dict[str, Form]:
    """Every shipped form (template) that is valid, loaded and checked once. With a ledger open,
    ask ledger.form_library, which adds the ledger's own forms.

    One broken file is logged and left out, so it cannot stop printing or --selftest for forms
    that are fine; a policy naming it is refused as naming an unknown form."""
    forms = {}
    for p in sorted(forms_dir().glob("*.toml")):
        try:
            forms[p.stem] = load_form_file(p)
        except BadInput as e:
            logging.getLogger(__name__).warning("记录表文件无效，已跳过：%s：%s", p.name, e)
    return forms


def field_labels(forms: Iterable[Form]) -> dict[str, str]:
    """Key → label of every activity field of a form's own (地点 …), over the forms given; the
    first form that declares a key gives its label."""
    labels: dict[str, str] = {}
    for form in forms:
        for f in form.activity_fields:
            labels.setdefault(f.key, f.label)
    return labels


def get_form(form_id: str) -> Form:
    """A shipped form (template) by id."""
    forms = all_forms()
    if form_id not in forms:
        raise BadInput(f"未知的记录表“{form_id}”，可选：{'、'.join(forms)}")
    return forms[form_id]

