"""Exporting the roster, the assignments, the 对接一览表, the ledger and compliance results to
.xlsx, and the blank import templates.

Exports are laid out like the templates (title, header, the same columns), so what is exported
imports back to the same data: export → import into an empty ledger → export gives the same
cells. Rows are ordered by their content (roster order, dates, names), not by database ids.

Privacy: names of students in difficulty (targets of kind 困难学生) are personal data and are
shown as “（已隐去）” unless `include_private` is set. Such an export is for handing on, not a
backup: importing it skips the hidden rows (the preview counts them as 跳过), so only an export
with include_private round-trips completely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..activity_fields import decode
from ..calendar import academic_year_bounds, academic_year_of, month_bounds, parse_month, parse_year_id
from ..errors import BadInput
from ..forms import get_form
from ..ledger import clerks, settings
from ..store.models import db
from ..store.sql import run
from ..vocabulary import HIDDEN, PRIVATE_KIND, TIERS, vocabulary
from .kinds import (
    CADRES,
    EXPORT_KINDS,
    EXTRA,
    INDEX,
    TARGETS,
    TEMPLATE_KINDS,
    Exported,
    Kind,
    activities_kind,
    assignments_kind,
    kind_id,
    roster_columns,
)
from .read import Field
from .xlsx import LAST_VALID_DAY, Book, Column, Sheet, Validation, excel_serial

TEMPLATE_ROWS = 2000  # rows of a template that carry the drop-downs
EXTRA_ROWS = 1000  # rows below an export's data that carry them too
LIST_SHEET = "选项"


@dataclass
class Scope:
    """Which part of the ledger to export: all, one term, one month or one academic year."""

    start: date | None = None
    end: date | None = None
    label: str = ""
    year: str | None = None  # the academic year, for assignments and the 一览表


def scope_of(term: str | None = None, month: str | None = None, year: str | None = None) -> Scope:
    given = [x for x in (term, month, year) if x]
    if len(given) > 1:
        raise BadInput("--term、--month、--year 只能选一个")
    if term:
        t = settings.get_term(term)
        return Scope(t.start, t.end, f"{t.id} 学期（{t.start} 至 {t.end}）", t.academic_year)
    if month:
        y, m = parse_month(month)
        first, last = month_bounds(f"{y:04d}-{m:02d}")
        return Scope(first, last, f"{y}年{m}月", academic_year_of(first))
    if year:
        parse_year_id(year)
        first, last = academic_year_bounds(year.strip())
        return Scope(first, last, f"{year.strip()} 学年", year.strip())
    return Scope(label="全部")


# Workbook pieces shared by exports and templates -------------------------------------------------


def _columns(fields: Sequence[Field], mark_required: bool = False) -> list[Column]:
    return [Column(f.label, f.width, f.kind, f.required and mark_required) for f in fields]


def _lists(book: Book, with_cadres: bool) -> dict[str, str]:
    lists: dict[str, Sequence[str]] = {
        "层级": list(TIERS.values()),
        "活动类别": list(vocabulary().categories),
        "联系对象类别": list(vocabulary().target_kinds),
    }
    if with_cadres:
        names = [n for (n,) in run("SELECT name FROM cadre WHERE active ORDER BY sort_order, name")]
        if names:
            lists["干部"] = names
    return book.add_lists(LIST_SHEET, lists)


def _validations(sheet: Sheet, fields: Sequence[Field], ranges: dict[str, str], kind: Kind) -> None:
    for i, f in enumerate(fields):
        v = None
        if f.key == "tier":
            v = Validation(i, "list", ranges["层级"], message="请从列表中选择：校领导、中层正职、中层副职")
        elif f.key == "category":
            v = Validation(i, "list", ranges["活动类别"], message="请从列表中选择活动类别")
        elif f.key in ("kind", "target_kind"):
            v = Validation(i, "list", ranges["联系对象类别"], message="请从列表中选择联系对象类别")
        elif f.key in ("face", "active"):
            v = Validation(i, "list", "是,否", message="请填“是”或“否”")
        elif f.kind == "date":
            v = Validation(i, "date", low=36526, high=excel_serial(LAST_VALID_DAY),
                           message="请填写 2000 年至 2100 年之间的日期，如 2025-10-12")
        elif f.key == "people":
            v = Validation(i, "whole", low=0, high=100000, message="人数应为 0 到 100000 之间的整数")
        elif f.key == "days":
            v = Validation(i, "decimal", low=0, high=31, message="天数应在 0 到 31 之间，如 0.5")
        elif f.key == "cadre" and kind.id != "cadres" and "干部" in ranges:
            v = Validation(i, "list", ranges["干部"], message="请填写名册中的干部姓名（可从列表中选择）")
        if v:
            sheet.validate(v)


def _title(kind_title: str) -> str:
    school = settings.school_name() if db.obj is not None and not db.is_closed() else ""
    return f"{school}{kind_title}"


def _notes(book: Book, rows: list[tuple[str, ...]], title: str) -> None:
    """A plain sheet of explanations (填写说明 / 导出说明)."""
    sheet = book.add_sheet(title)
    sheet.table([Column("项目", 16, "text"), Column("说明", 90, "wrap")], title=title)
    sheet.filter_row = 0
    for row in rows:
        sheet.append(list(row))


def _common_notes(kind: Kind) -> list[tuple[str, ...]]:
    return [
        ("表头", "表头可以在标题行下面；列的顺序可以调整；多余的列不读。"
                 "同一工作簿中表头相同的多个工作表（如每月一张）都会导入。"),
        ("重复导入", kind.key_note),
        ("日期", "可以是 Excel 日期，也可以写成 2025-10-12、2025/10/12、2025.10.12 或 2025年10月12日。"),
        ("公式", "导入的列中不能有公式（请先复制，再“选择性粘贴 → 数值”）；以 =、+、-、@ 开头的文字按文字保存。"),
        ("全部或全不", "导入前先检查整个文件；有任何问题都会逐条列出（工作表、行、列、原因），一条也不写入。"),
    ]


# Templates --------------------------------------------------------------------------------------


def template_fields(kind: str) -> tuple[Kind, list[Field]]:
    if kind == "roster":
        return assignments_kind(), _roster_fields(template=True)
    k = {"cadres": CADRES, "targets": TARGETS, "activities": activities_kind()}.get(kind) or assignments_kind()
    fields = [f for f in k.fields if not f.key.startswith("annex:") and f.key != "unit"] if k.id == "assignments" \
        else list(k.fields)
    return k, fields


def write_template(kind: str, path: Path, with_cadres: bool = True) -> Path:
    """A blank workbook to fill in: the header (required columns shaded), drop-downs, and a
    填写说明 sheet with every column explained."""
    kind = kind_id(kind, TEMPLATE_KINDS)
    k, fields = template_fields(kind)
    label = "对接一览表" if kind == "roster" else k.label
    book = Book(f"{label}导入模板")
    sheet = book.add_sheet("对接一览表" if kind == "roster" else k.sheet)
    subtitle = "橙色表头为必填列，其余可留空；填好后用“导入”读入（可先试运行查看将新增、修改的内容）"
    if kind == "roster":
        subtitle = "每位干部一行；一格可填多个名称，用顿号分隔；“职务”一列只作对照，导入时不读"
    sheet.table(_columns(fields, mark_required=True), title=_title(f"{label}（导入模板）"), subtitle=subtitle,
                mark_required=True)
    sheet.validation_rows = TEMPLATE_ROWS
    ranges = _lists(book, with_cadres)
    _validations(sheet, fields, ranges, k)
    notes = [(f.label, ("必填。" if f.required else "") + (f.note or "") + (f"例：{f.example}" if f.example else ""))
             for f in fields]
    _notes(book, notes + [("", "")] + _common_notes(k), "填写说明")
    return book.save(path)


# Exports ----------------------------------------------------------------------------------------


def export(kind: str, path: Path, term: str | None = None, month: str | None = None, year: str | None = None,
           include_private: bool = False) -> Exported:
    kind = kind_id(kind, EXPORT_KINDS)
    scope = scope_of(term, month, year)
    if kind == "compliance":
        from .compliance import export_compliance

        return export_compliance(path, scope, term, month, year, include_private)
    if kind == "problems":
        return _problems(path, scope, include_private)
    writers = {"cadres": _cadres, "targets": _targets, "assignments": _assignments, "roster": _roster,
               "activities": _activities}
    return writers[kind](path, scope, include_private)


def _book(kind: Kind, fields: list[Field], title: str, subtitle: str, rows: list[list[Any]],
          notes: list[tuple[str, ...]], sheet_name: str | None = None) -> Book:
    book = Book(title)
    sheet = book.add_sheet(sheet_name or kind.sheet)
    sheet.table(_columns(fields), title=title, subtitle=subtitle)
    sheet.validation_rows = EXTRA_ROWS
    for i, row in enumerate(rows, start=1):
        if fields[0].key == "index":
            row[0] = i
        sheet.append(row)
    ranges = _lists(book, kind.id != "cadres")
    _validations(sheet, fields, ranges, kind)
    _notes(book, notes, "导出说明")
    return book


def _export_notes(kind: Kind, scope: Scope, rows: int, hidden: int, include_private: bool,
                  command: str) -> list[tuple[str, ...]]:
    notes: list[tuple[str, ...]] = [
        ("内容", f"{kind.label}，{scope.label}，共 {rows:,} 行"),
        ("再次导入", f"可用“导入”读回本文件（命令行：liaison-desk import {command} 文件名.xlsx）。{kind.key_note}"),
    ]
    if include_private:
        notes.append(("个人信息", "本文件含困难学生姓名，属个人信息，请妥善保管，勿外传。"))
    else:
        notes.append(("个人信息", f"困难学生姓名已隐去（显示为“{HIDDEN}”，共 {hidden:,} 处）；"
                                  "这些行再次导入时会跳过。如需完整导出请选择“包含困难学生姓名”（--include-private）。"))
    return notes


def _subtitle(scope: Scope, rows: int, hidden: int, include_private: bool) -> str:
    clerk = clerks.current()  # a college secretary's export holds its units' rows, and says so
    text = f"范围：{scope.label}{'' if clerk.office else '，' + clerk.scope}　共 {rows:,} 行"
    if hidden and not include_private:
        text += "　困难学生姓名已隐去"
    return text


def _private(name: str, kind: str | None, include_private: bool) -> tuple[str, bool]:
    if kind == PRIVATE_KIND and not include_private:
        return HIDDEN, True
    return name, False


def _cadres(path: Path, scope: Scope, include_private: bool) -> Exported:
    fields = [INDEX, *CADRES.fields]
    rows = [[None, name, TIERS.get(tier, tier), unit or "", position, tags, "是" if active else "否"]
            for name, tier, unit, position, tags, active in run(
                "SELECT c.name, c.tier, u.name, c.position, c.tags, c.active FROM cadre c "
                "LEFT JOIN unit u ON u.id = c.unit_id ORDER BY c.sort_order, c.name")]
    all_scope = Scope(label="全部干部")
    title = _title(CADRES.title)
    book = _book(CADRES, fields, title, _subtitle(all_scope, len(rows), 0, True), rows,
                 _export_notes(CADRES, all_scope, len(rows), 0, True, "cadres")[:2])
    return Exported(book.save(path), len(rows), 0)


def _problems(path: Path, scope: Scope, include_private: bool) -> Exported:
    """The problem list (问题清单) for people to read; who raised a problem is personal data."""
    from ..ledger.problems import list_problems

    today = date.today()
    found = list_problems(start=scope.start, end=scope.end)
    hidden = 0
    rows = []
    for i, p in enumerate(reversed(found), start=1):
        by = p.raised_by
        if by and not include_private:
            by, hidden = HIDDEN, hidden + 1
        rows.append([i, p.raised_on, p.description, p.category, p.urgency, by, p.cadre, p.unit, p.status,
                     p.due_on, "是" if p.overdue(today) else "", p.resolution, "是" if p.reported_up else ""])
    columns = [Column("序号", 6, "int"), Column("反映日期", 12, "date"), Column("问题", 40, "wrap"),
               Column("类别", 8, "center"), Column("紧急程度", 9, "center"), Column("反映人", 10),
               Column("联系干部", 10), Column("承办部门", 16), Column("状态", 9, "center"),
               Column("办理期限", 12, "date"), Column("逾期", 6, "center"), Column("办理情况", 30, "wrap"),
               Column("上报党委", 9, "center")]
    title = _title("问题清单")
    book = Book(title)
    sheet = book.add_sheet("问题清单")
    sheet.table(columns, title=title, subtitle=_subtitle(scope, len(rows), hidden, include_private))
    for row in rows:
        sheet.append(row)
    notes: list[tuple[str, ...]] = [("内容", f"问题清单，{scope.label}，共 {len(rows):,} 条；逾期按导出当日计")]
    if include_private:
        notes.append(("个人信息", "本文件含反映人姓名，属个人信息，请妥善保管，勿外传。"))
    else:
        notes.append(("个人信息", f"反映人姓名已隐去（显示为“{HIDDEN}”，共 {hidden:,} 处）。"))
    _notes(book, notes, "导出说明")
    return Exported(book.save(path), len(rows), hidden)


def _kind_order() -> dict[str, int]:
    return {k: i for i, k in enumerate(vocabulary().target_kinds)}


def _targets(path: Path, scope: Scope, include_private: bool) -> Exported:
    fields = [INDEX, *TARGETS.fields]
    order = _kind_order()
    found = sorted(run("SELECT t.name, t.kind, u.name, t.note FROM target t "
                                  "LEFT JOIN unit u ON u.id = t.unit_id").fetchall(),
                   key=lambda r: (order.get(r[1], 99), r[1], r[2] or "", r[0]))
    rows, hidden = [], 0
    for name, kind, unit, note in found:
        shown, was_hidden = _private(name, kind, include_private)
        hidden += was_hidden
        rows.append([None, shown, kind, unit or "", note])
    all_scope = Scope(label="全部联系对象")
    book = _book(TARGETS, fields, _title(TARGETS.title), _subtitle(all_scope, len(rows), hidden, include_private),
                 rows, _export_notes(TARGETS, all_scope, len(rows), hidden, include_private, "targets"))
    return Exported(book.save(path), len(rows), hidden)


def _assignment_rows(year: str | None) -> list[tuple[Any, ...]]:
    where, params = ("WHERE a.year = ?", (year,)) if year else ("", ())
    order = _kind_order()
    found = run(
        "SELECT c.name, a.year, t.kind, t.name, a.role, a.filed_on, c.sort_order, c.position, c.id "
        "FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN target t ON t.id = a.target_id "
        f"{where}", params).fetchall()
    return sorted(found, key=lambda r: (r[1], r[6], r[0], order.get(r[2], 99), r[2], r[3]))


def _assignments(path: Path, scope: Scope, include_private: bool) -> Exported:
    k = assignments_kind()
    fields = [INDEX, *(k.field(key) for key in ("cadre", "year", "kind", "target", "role", "filed_on"))]
    rows, hidden = [], 0
    for name, year, kind, target, role, filed, *_ in _assignment_rows(scope.year):
        shown, was_hidden = _private(target, kind, include_private)
        hidden += was_hidden
        rows.append([None, name, year, kind, shown, role, date.fromisoformat(str(filed)) if filed else None])
    s = Scope(label=f"{scope.year} 学年" if scope.year else "全部学年")
    book = _book(k, fields, _title(k.title), _subtitle(s, len(rows), hidden, include_private), rows,
                 _export_notes(k, s, len(rows), hidden, include_private, "assignments"))
    return Exported(book.save(path), len(rows), hidden)


def _roster_fields(template: bool = False) -> list[Field]:
    """The 对接一览表's columns, as forms/sheets/roster.toml lays them out."""
    k = assignments_kind()
    fields = []
    for c in get_form("roster").columns:
        if c.key == "index":
            if not template:
                fields.append(INDEX)
        elif c.key == "cadre.name":
            fields.append(k.field("cadre"))
            if template:
                fields.append(k.field("year"))
        elif c.key == "assigned":
            fields.append(k.field(f"annex:{c.label}"))
        else:
            fields.append(Field(c.key, c.label, width=c.width * 6, note="导入时不读"))
    return fields


def _roster(path: Path, scope: Scope, include_private: bool) -> Exported:
    """The 对接一览表 of one academic year (default: the current one), one row per cadre."""
    year = scope.year or academic_year_of(date.today())
    k = assignments_kind()
    fields = _roster_fields()
    columns = roster_columns()
    cells: dict[int, dict[str, list[str]]] = {}
    hidden = 0
    for _name, _year, kind, target, _role, _filed, _order, _position, cid in _assignment_rows(year):
        for label, kinds in columns:
            if kind in kinds:
                shown, was_hidden = _private(target, kind, include_private)
                hidden += was_hidden
                cells.setdefault(cid, {}).setdefault(label, []).append(shown)
                break
    rows = []
    for cid, name, position, unit in run(
            "SELECT c.id, c.name, c.position, u.name FROM cadre c LEFT JOIN unit u ON u.id = c.unit_id "
            "WHERE c.active OR c.id IN (SELECT cadre_id FROM assignment WHERE year = ?) "
            "ORDER BY c.sort_order, c.name", (year,)):
        mine = cells.get(cid, {})
        row: list[Any] = []
        for f in fields:
            if f.key == "index":
                row.append(None)
            elif f.key == "cadre":
                row.append(name)
            elif f.key == "cadre.position":
                row.append(position)
            elif f.key == "cadre.unit":
                row.append(unit or "")
            else:
                row.append("、".join(mine.get(f.label, [])))
        rows.append(row)
    form = get_form("roster")
    title = _title(f"{form.title}（{year}学年）")
    s = Scope(label=f"{year} 学年")
    notes = _export_notes(k, s, len(rows), hidden, include_private, "assignments")
    notes.insert(1, ("格式", f"{form.source}；学年取自标题。角色、备案日期等请用“联系安排”导出。"))
    book = _book(k, fields, title, _subtitle(s, len(rows), hidden, include_private), rows, notes, "对接一览表")
    return Exported(book.save(path), len(rows), hidden)


def _activities(path: Path, scope: Scope, include_private: bool) -> Exported:
    kind = activities_kind()
    fields = [INDEX, *kind.fields]
    own = [f.key[len(EXTRA):] for f in kind.fields if f.key.startswith(EXTRA)]
    where, params = ("WHERE a.date BETWEEN ? AND ?", (scope.start.isoformat(), scope.end.isoformat())) \
        if scope.start and scope.end else ("", ())
    rows: list[list[Any]] = []
    hidden = 0
    fromiso = date.fromisoformat
    for name, day, category, tname, tkind, carrier, summary, people, days, face, problems, extra in run(
            "SELECT c.name, a.date, a.category, t.name, t.kind, a.carrier, a.summary, a.people, a.days, "
            "a.face_to_face, a.problems, a.extra FROM activity a JOIN cadre c ON c.id = a.cadre_id "
            f"LEFT JOIN target t ON t.id = a.target_id {where} "
            "ORDER BY a.date, c.sort_order, c.name, a.category, a.id", params):
        if tname is None:
            shown, shown_kind = carrier, ""
        else:
            shown, was_hidden = _private(tname, tkind, include_private)
            hidden += was_hidden
            shown_kind = tkind
        values = decode(extra) if extra else {}
        rows.append([None, name, fromiso(str(day)[:10]), category, shown, shown_kind, summary, people, days,
                     "是" if face else "否", problems, *(values.get(k, "") for k in own)])
    book = _book(kind, fields, _title(kind.title), _subtitle(scope, len(rows), hidden, include_private),
                 rows, _export_notes(kind, scope, len(rows), hidden, include_private, "activities"))
    return Exported(book.save(path), len(rows), hidden)


