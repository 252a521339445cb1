"""Importing the record forms cadres filled in Word (.docx): one file, many, or a folder of them,
into the cadre-month sheets they name — read and checked whole first, then written in one
transaction or not at all, as the Excel import is (importing.py).

    imp = prepare_sheets([folder])      # read every form, plan against the ledger: writes nothing
    imp.preview.items                   # each line: what it became, or that it is already there
    imp.preview.problems                # what could not be read and why (file, table row, cell)
    commit_sheets(imp)                  # plans again in the transaction, writes through the services

Lines are written by the same core services the sheet editor uses (add_activity, set_field), so
sheets, the problem list, 联系安排 from the carrier boxes and the change log come out exactly as
if the clerk had typed the form in. An import only adds: a line already in the ledger is shown
as unchanged, and a box left empty in the document clears nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from peewee import JOIN

from ..calendar import academic_year_of, month_bounds
from ..errors import BadInput
from ..forms import Form
from ..ledger import settings
from ..ledger.activities import ActivityInput, add_activity
from ..ledger.sheets import set_field
from ..ledger.target_match import TargetMatcher
from ..names import normalise_name
from ..store import changelog, storage
from ..store.models import Activity, Assignment, Cadre, ChangeLog, Sheet, Target
from ..store.records import tuples
from ..store.sql import retrying, write_transaction
from ..vocabulary import vocabulary
from .importer import ImportRefused
from .read import Cancelled, Problem, Problems, Progress
from .word_form import FilledForm, extract, recognise, title_line
from .word_lines import ReadLine, split_entry
from .word_read import read_docx

__all__ = ["Cancelled", "SheetsImport", "SheetsPreview", "commit_sheets", "docx_files", "prepare_sheets",
           "problem_text"]

MAX_FILES = 2_000
MAX_CARRIER, MAX_SUMMARY = 100, 4000  # what add_activity takes (载体名称, 工作简况)
ADDED, SAME = "新增", "不变"


@dataclass(frozen=True)
class PlannedLine:
    """One activity read from a form, and what it became."""

    file: str
    row: int
    cadre: str
    category: str
    date: date
    target: str  # the roster name, or the carrier name as written
    on_roster: bool
    summary: str
    status: str  # 新增 / 不变
    note: str = ""  # a target completed, corrected or kept as a carrier; a repeated line


@dataclass(frozen=True)
class PlannedField:
    file: str
    cadre: str
    month: str
    key: str
    label: str
    before: object
    after: object


@dataclass
class SheetsPreview:
    """What an import of Word forms will do (or did), and every problem found."""

    files: list[str] = field(default_factory=list)
    sheets: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, cadre, month, form title
    items: list[PlannedLine] = field(default_factory=list)
    fields: list[PlannedField] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    written: bool = False
    log_entries: int = 0
    notes: list[str] = field(default_factory=list)  # what the carrier boxes did to 联系安排

    kind = "sheets"

    @property
    def added(self) -> int:
        return sum(1 for x in self.items if x.status == ADDED)

    @property
    def unchanged(self) -> int:
        return sum(1 for x in self.items if x.status == SAME)

    @property
    def changed(self) -> int:
        return len(self.fields)

    def lines(self) -> list[str]:
        out = [f"读取：{len(self.files)} 份文档，{len(self.sheets)} 张记录表"]
        out.append(f"新增活动 {self.added:,} 条，已在台账中（不变）{self.unchanged:,} 条，"
                   f"填写栏目（特长、联系载体、工作内容）{self.changed:,} 项")
        if self.problems:
            out.append(f"发现 {self.problems.count:,} 处问题")
        return out

    def item_lines(self) -> list[str]:
        return [f"{x.file} 第 {x.row} 行：{x.status} {x.cadre} {x.date:%m-%d} {x.category} "
                f"{x.target or '（无对象）'}：{x.summary}" + (f"　〔{x.note}〕" if x.note else "")
                for x in self.items]


class SheetsRefused(ImportRefused):
    """Problems were found: nothing written. With one problem, the message is that problem."""

    def __init__(self, preview: SheetsPreview) -> None:
        super().__init__(preview)  # type: ignore[arg-type]
        if preview.problems.count == 1:
            self.args = (problem_text(preview.problems.items[0]),)


def problem_text(x: Problem) -> str:
    """Where in which document, what was there, and why: “a.docx”表格第 3 行“时间”栏（10月40日）：没有这一天."""
    where = f"“{x.sheet}”"
    if x.row:
        where += f"表格第 {x.row} 行"
    if x.column:
        where += f"“{x.column}”栏"
    shown = f"（{x.value}）" if x.value else ""
    return f"{where}{shown}：{x.reason}"


def docx_files(paths: list[Path]) -> list[Path]:
    """The documents to read: files as given, folders' Word files (not Word's ~$ lock files)."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".docx", ".doc")
                          and not p.name.startswith("~$"))
        elif path.exists():
            out.append(path)
        else:
            raise BadInput(f"文件不存在：{path}")
    if not out:
        raise BadInput("没有找到 Word 记录表（.docx）：" + "、".join(str(p) for p in paths))
    if len(out) > MAX_FILES:
        raise BadInput(f"一次最多导入 {MAX_FILES} 份文档（收到 {len(out):,} 份），请分批导入")
    return out


class SheetsImport:
    def __init__(self, paths: list[Path]) -> None:
        self.paths = docx_files(paths)
        self.forms: list[FilledForm] = []
        self.read_problems = Problems()
        self.preview = SheetsPreview([p.name for p in self.paths])
        self._plan: list[tuple[int, str, list[PlannedLine], list[PlannedField]]] = []
        self.policy = settings.current_policy()

    def read(self, progress: Progress | None = None) -> None:
        report = progress or (lambda _d, _t, _w: None)
        for i, path in enumerate(self.paths):
            report(i, len(self.paths), "读取")
            try:
                doc = read_docx(path)
            except BadInput as e:
                self.read_problems.add(path.name, None, "", "", str(e))
                continue
            found = recognise(doc)
            if found is None:
                self.read_problems.add(path.name, None, "", title_line(doc), _no_form(doc.tables != []))
                continue
            self.forms.append(extract(doc, *found))
        report(len(self.paths), len(self.paths), "读取")

    # Planning ----------------------------------------------------------------------------------

    def plan(self, progress: Progress | None = None) -> SheetsPreview:
        p = SheetsPreview([x.name for x in self.paths])
        p.problems = Problems(list(self.read_problems.items), self.read_problems.count)
        self._plan = []
        used = set(self.policy.forms.values())
        matcher = TargetMatcher()
        seen: dict[tuple[int, str], str] = {}
        categories = frozenset(vocabulary().categories)
        for i, filled in enumerate(self.forms):
            if progress:
                progress(i, len(self.forms), "核对")
            self._plan_form(p, filled, used, matcher, seen, categories)
        order = {name: i for i, name in enumerate(p.files)}
        p.problems.items.sort(key=lambda x: (order.get(x.sheet, -1), x.row or 0))
        self.preview = p
        return p

    def _plan_form(self, p: SheetsPreview, filled: FilledForm, used: set[str], matcher: TargetMatcher,
                   seen: dict[tuple[int, str], str], categories: frozenset[str]) -> None:
        file, form = filled.file, filled.form
        problem = p.problems.add
        if form.id not in used:
            problem(file, None, "", form.title,
                    f"这是其他学校的记录表（{form.source}），本校使用的政策不用这份表，不能导入")
            return
        if filled.month is None:
            problem(file, None, "填表时间", filled.month_text, "填表时间没有写明年月（应如 2025年10月）")
            return
        name = normalise_name(filled.header.get("cadre.name", ""))
        if not name:
            problem(file, None, "姓名", "", "没有填写姓名，不知道是谁的记录表")
            return
        cadre = Cadre.get_or_none(Cadre.name == name)
        if cadre is None:
            problem(file, None, "姓名", name, "名册中没有这位干部（请先在名册中添加，或核对姓名）")
            return
        month = filled.month
        if (cadre.id, month) in seen:
            problem(file, None, "姓名", name, f"与“{seen[(cadre.id, month)]}”是同一人同一月的记录表，请只导入一份")
            return
        seen[(cadre.id, month)] = file
        sheet = Sheet.get_or_none((Sheet.cadre == cadre) & (Sheet.month == month))
        expected = sheet.form if sheet is not None else self.policy.forms.get(cadre.tier, "")
        if expected != form.id:
            problem(file, None, "", form.title, f"{name} 的记录表应为“{_title(expected)}”，这份是“{form.title}”")
            return
        if sheet is not None and sheet.status == "signed":
            problem(file, None, "填表时间", month,
                    f"{name} {month} 的工作记录表已签字封存，不能再导入（需先办理修订）")
            return
        p.sheets.append((file, name, month, form.title))
        note = _header_note(filled, cadre)
        year, mon = int(month[:4]), int(month[5:])
        labels = _labels(form)
        read: list[ReadLine] = []
        for entry in filled.entries:
            lines, unread = split_entry(entry, year, mon, labels, categories)
            for u in unread:
                problem(file, u.row, u.column, u.value, u.reason)
            read += lines
        if filled.unread_ticks:
            problem(file, None, "特长", filled.unread_ticks, "看不出勾选了哪一项（请在选项前打 √ 或 ☑）")
        assigned = _assigned(cadre.id, academic_year_of(month_bounds(month)[0]))
        have = _existing(cadre.id, month)
        planned: list[PlannedLine] = []
        for ln in read:
            m = matcher.match(ln.target, ln.category, assigned)
            if not m.on_roster and len(m.name) > MAX_CARRIER:
                problem(file, ln.row, labels.get("target", "联系对象"), m.name,
                        f"载体名称过长（最多 {MAX_CARRIER} 字）")
                continue
            if len(ln.summary) > MAX_SUMMARY:
                problem(file, ln.row, labels.get("summary", "工作简况"), ln.summary,
                        f"工作简况过长（{len(ln.summary):,} 字，最多 {MAX_SUMMARY:,} 字）")
                continue
            key = (ln.date, ln.category, m.name, ln.summary)
            status = SAME if key in have else ADDED
            extra = m.note
            if status == ADDED:
                have.add(key)
            elif any(x.status == ADDED and (x.date, x.category, x.target, x.summary) == key for x in planned):
                extra = "与上一行重复，只登记一次"
            planned.append(PlannedLine(file, ln.row, name, ln.category, ln.date, m.name, m.on_roster, ln.summary,
                                       status, "；".join(filter(None, [extra, note if not planned else ""]))))
        fields = self._fields(file, name, month, form, filled, sheet)
        p.items += planned
        p.fields += fields
        self._plan.append((cadre.id, month, planned, fields))

    def _fields(self, file: str, name: str, month: str, form: Form, filled: FilledForm,
                sheet: Sheet | None) -> list[PlannedField]:
        current = json.loads(sheet.fields or "{}") if sheet is not None else {}
        labels = {s.key: s.title for s in form.sections if s.key}
        labels.update({s.text_key: s.title for s in form.sections if s.text_key})
        labels.update({f.key: f"{s.title}：{f.label}" for s in form.sections for f in s.fields})
        out = []
        for key, value in filled.fields.items():
            if key not in form.field_keys or not value or value == current.get(key):
                continue  # a box left empty clears nothing
            out.append(PlannedField(file, name, month, key, labels.get(key, key), current.get(key), value))
        return out

    # Writing -----------------------------------------------------------------------------------

    def write(self, progress: Progress | None = None) -> int:
        """Write the plan through the core services (inside the caller's transaction)."""
        report = progress or (lambda _d, _t, _w: None)
        total = sum(1 for _c, _m, lines, _f in self._plan for x in lines if x.status == ADDED)
        done = 0
        for cadre_id, month, lines, fields in self._plan:
            name = lines[0].cadre if lines else fields[0].cadre if fields else ""
            for x in lines:
                if x.status != ADDED:
                    continue
                add_activity(ActivityInput(cadre=name, date=x.date, category=x.category, target=x.target,
                                           summary=x.summary), self.policy, lenient_target=True)
                done += 1
                if done % 50 == 0:
                    report(done, total, "写入")
            for f in fields:
                said = set_field(cadre_id, month, f.key, f.after, self.policy)
                if said:
                    self.preview.notes.append(f"{f.cadre} {month}：{said}")
        report(total, total, "写入")
        return done


def _no_form(has_tables: bool) -> str:
    from ..forms import get_form

    used = sorted({get_form(f).title for f in settings.current_policy().forms.values()})
    if not has_tables:
        return f"文档中没有表格，不是工作记录表（本校使用：{'、'.join(used)}）"
    return f"文档中没有认得出的工作记录表表格（表头应有“姓名”“时间”等栏目；本校使用：{'、'.join(used)}）"


def _title(form_id: str) -> str:
    from ..forms import all_forms

    form = all_forms().get(form_id)
    return form.title if form else form_id


def _labels(form: Form) -> dict[str, str]:
    labels: dict[str, str] = {"category": "类别"}
    for s in form.sections:
        for c in s.columns:
            labels.setdefault(c.key, c.label)
    return labels


def _header_note(filled: FilledForm, cadre: Cadre) -> str:
    """职务 / 部门 written on the form that differ from the roster: said, not refused (the roster wins)."""
    unit = cadre.unit.name if cadre.unit is not None else ""
    said = []
    for key, label, have in (("cadre.position", "职务", cadre.position or ""), ("cadre.unit", "部门", unit)):
        written = filled.header.get(key, "").strip()
        if written and have and written != have:
            said.append(f"表上{label}为“{written}”，名册为“{have}”")
    return "；".join(said)


def _assigned(cadre_id: int, year: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    query = (Assignment.select(Target.kind, Target.name).join(Target)
             .where((Assignment.cadre == cadre_id) & (Assignment.year == year)).order_by(Assignment.id))
    for kind, name in tuples(query):
        out[kind].append(name)
    return out


def _existing(cadre_id: int, month: str) -> set[tuple[date, str, str, str]]:
    first, last = month_bounds(month)
    query = (Activity.select(Activity.date, Activity.category, Target.name, Activity.carrier, Activity.summary)
             .join(Target, JOIN.LEFT_OUTER, on=(Activity.target == Target.id)))
    query = query.where((Activity.cadre == cadre_id) & (Activity.date >= first) & (Activity.date <= last))
    out = set()
    for d, category, target, carrier, summary in tuples(query):
        when = d if isinstance(d, date) else date.fromisoformat(str(d))
        out.add((when, category, target or carrier or "", summary or ""))
    return out


# Running ----------------------------------------------------------------------------------------


def prepare_sheets(paths: list[Path], progress: Progress | None = None) -> SheetsImport:
    """Read every document and plan against the ledger as it is; writes nothing."""
    imp = SheetsImport(paths)
    imp.read(progress)
    imp.plan(progress)
    return imp


@retrying
def commit_sheets(imp: SheetsImport, progress: Progress | None = None) -> SheetsPreview:
    """Plan again and write, in one transaction; refused (nothing written) on any problem. A
    collision on a server runs the whole of it again from the plan (retrying)."""
    storage.settle_check()  # the session's integrity check, if it ran while the documents were read
    with write_transaction():
        p = imp.plan()
        if p.problems:
            raise SheetsRefused(p)
        if not (p.added or p.changed):
            return p
        start = _log_head()
        written = imp.write(progress)
        changelog.record("import", "sheets", "", None,
                         {"files": len(p.files), "sheets": len(p.sheets), "added": written,
                          "unchanged": p.unchanged, "fields": p.changed})
        p.written = True
        p.log_entries = _log_head() - start
    return p


def _log_head() -> int:
    last = ChangeLog.select(ChangeLog.id).order_by(ChangeLog.id.desc()).first()
    return last.id if last else 0
