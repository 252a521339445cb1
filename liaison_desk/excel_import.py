"""Importing workbooks: read the whole file, report every problem, then write all rows in one
transaction or none.

    imp = prepare("activities", path)      # read + plan: what would be added, changed, refused
    imp.preview                            # counts, samples, problems (sheet, row, column, why)
    commit(imp)                            # plans again inside one transaction, then writes

`import_file` does both for the command line. The plan is made again inside the write
transaction, so what is written matches the data as they are at that moment, not as they were
when the preview was shown. Every written row gets a change-log entry (record_many), and the
import itself one more, naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import changelog
from .errors import BadInput
from .excel_kinds import CADRES, HIDDEN, IMPORT_KINDS, TARGETS, Kind, kind_id
from .excel_read import (
    MAX_PROBLEMS,
    Cancelled,
    Problem,
    Problems,
    Progress,
    SheetScan,
    Table,
    as_flag,
    as_text,
    read_rows,
)
from .models import db
from .names import name_problem, normalise_name
from .roster import parse_tier, split_tags
from .vocabulary import TIERS, vocabulary

__all__ = ["Cancelled", "ImportRefused", "Importer", "Preview", "Problem", "commit", "import_file", "prepare"]

SAMPLES = 200  # rows of each sort shown in the preview
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
#: Fields holding the name of a cadre, target or unit (names.py).
NAME_KEYS = frozenset({"cadre", "name", "target", "unit"})

LogEntry = tuple[str, str, object, dict[str, Any] | None, dict[str, Any] | None]


@dataclass
class Preview:
    """What an import will do (or did): counts, examples, and every problem found."""

    kind: str
    file: str
    tables: list[Table] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows naming a hidden student (exported without --include-private)
    new_units: list[str] = field(default_factory=list)
    new_targets: int = 0
    new_sheets: int = 0
    problems: Problems = field(default_factory=Problems)
    samples: dict[str, list[str]] = field(default_factory=lambda: {"新增": [], "修改": [], "跳过": []})
    written: bool = False
    log_entries: int = 0

    def sample(self, what: str, text: str) -> None:
        if len(self.samples[what]) < SAMPLES:
            self.samples[what].append(text)

    def lines(self) -> list[str]:
        """The preview in a few Chinese lines (the command line prints these)."""
        out = []
        for t in self.tables:
            span = f"第 {t.first_row}–{t.last_row} 行" if t.rows else "没有数据行"
            out.append(f"读取：工作表“{t.sheet}”（表头在第 {t.header_row} 行）{span}，共 {t.rows:,} 行")
            if t.ignored:
                out.append(f"  未使用的列：{'、'.join(t.ignored[:12])}{' 等' if len(t.ignored) > 12 else ''}")
        if self.skipped_sheets:
            out.append(f"未读取的工作表（没有表头）：{'、'.join(self.skipped_sheets)}")
        out.append(f"新增 {self.added:,} 条，修改 {self.changed:,} 条，不变 {self.unchanged:,} 条"
                   + (f"，跳过 {self.skipped:,} 条（姓名已隐去，无法导入）" if self.skipped else ""))
        extra = []
        if self.new_units:
            more = "等" if len(self.new_units) > 5 else ""
            extra.append(f"部门 {len(self.new_units)} 个（{'、'.join(self.new_units[:5])}{more}）")
        if self.new_targets:
            extra.append(f"联系对象 {self.new_targets:,} 个")
        if self.new_sheets:
            extra.append(f"工作记录表 {self.new_sheets:,} 张（草稿）")
        if extra:
            out.append("另将新建：" + "，".join(extra))
        if self.problems:
            out.append(f"发现 {self.problems.count:,} 处问题")
        return out


class ImportRefused(BadInput):
    """The file has problems: nothing was written. `preview.problems` lists them all."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        super().__init__(f"导入被拒绝：发现 {preview.problems.count:,} 处问题，未写入任何数据")


class Importer:
    """One kind's import: `take` checks each row as it is read; `plan` resolves the rows against
    the database (reading only); `write` carries the plan out (inside the caller's transaction)."""

    kind: Kind

    def __init__(self, path: Path, year: str | None = None) -> None:
        self.path = Path(path)
        self.year = year
        self.read_problems = Problems()
        self.scan = SheetScan()
        self.rows: list[Any] = []
        self.preview = Preview(self.kind.id, self.path.name)
        self.logged = 0
        self.dropped_cadres: list[tuple[Table, int, str]] = []  # names on rows refused while reading
        self._limits = {f.key: (f.label, f.limit) for f in self.kind.fields}

    # Reading -----------------------------------------------------------------------------------

    def read(self, progress: Progress | None = None) -> None:
        for table, row, values in read_rows(self.path, self.kind.fields, self.kind.layouts, self.read_problems,
                                            self.scan, progress):
            self.take(table, row, values)
        if not self.scan.tables and not self.read_problems:
            need = "、".join(f.label for f in self.kind.fields if f.key in self.kind.layouts[0])
            raise BadInput(f"“{self.path.name}”中没有找到{self.kind.label}的表头（需要列：{need}）；"
                           "请检查是否选错了导入类型，或表头是否在前 30 行内")

    def take(self, table: Table, row: int, values: list[Any]) -> None:
        raise NotImplementedError

    def problem(self, table: Table, row: int | None, key: str, value: object, reason: str) -> None:
        self.read_problems.add(table.sheet, row, table.labels.get(key, ""), value, reason)

    def text(self, table: Table, row: int, key: str, value: Any, required: bool = False) -> str | None:
        """A text cell within its field's limit; None (and a problem) when it cannot be taken."""
        text = value if value.__class__ is str and "\r" not in value else as_text(value)
        label, limit = self._limits[key]
        if key in NAME_KEYS:  # one spelling for a name, as the roster services store it
            problem = name_problem(text, label, limit, required)
            if problem:
                self.problem(table, row, key, text, problem)
                return None
            return normalise_name(text)
        if required and not text:
            self.problem(table, row, key, "", f"{label}不能为空")
            return None
        if len(text) > limit:
            self.problem(table, row, key, text, f"{label}过长（{len(text):,} 字，最多 {limit:,} 字）")
            return None
        if _CONTROL.search(text):
            self.problem(table, row, key, text, f"{label}含有不可见的控制字符")
            return None
        return text

    def flag(self, table: Table, row: int, key: str, value: Any) -> bool | None:
        flag, why = as_flag(value)
        if why:
            self.problem(table, row, key, value, why)
        return flag

    # Planning and writing ----------------------------------------------------------------------

    def fresh_preview(self) -> Preview:
        p = Preview(self.kind.id, self.path.name, self.scan.tables, self.scan.skipped,
                    rows=sum(t.rows for t in self.scan.tables))
        p.problems = Problems(list(self.read_problems.items), self.read_problems.count)
        return p

    def plan(self, progress: Progress | None = None) -> Preview:
        raise NotImplementedError

    def write(self, progress: Progress | None = None) -> list[LogEntry]:
        """Carry out the plan; returns the change-log entries not yet written (see flush_log)."""
        raise NotImplementedError

    def flush_log(self, log: list[LogEntry]) -> None:
        """Write these change-log entries now (in the import's transaction) and forget them, so
        100,000 entries never sit in memory at once."""
        changelog.record_many(log)
        self.logged += len(log)
        log.clear()

    def problem_at(self, p: Preview, where: tuple[Table, int], key: str, value: object, reason: str) -> None:
        table, row = where
        p.problems.add(table.sheet, row, table.labels.get(key, ""), value, reason)

    def check_dropped_cadres(self, p: Preview, known: set[str] | dict[str, Any]) -> None:
        """Rows refused while reading still get their unknown cadre reported: every problem at once."""
        for table, row, name in self.dropped_cadres:
            if name not in known:
                self.problem_at(p, (table, row), "cadre", name, "名册中没有这位干部（请先导入或添加干部，或核对姓名）")

    def finish(self, p: Preview) -> Preview:
        """Problems in file order (sheet, then row), whichever check found them."""
        order = {t.sheet: i for i, t in enumerate(self.scan.tables)}
        p.problems.items.sort(key=lambda x: (order.get(x.sheet, -1), x.row or 0))
        self.preview = p
        return p


# Shared database helpers ------------------------------------------------------------------------


def next_id(table: str) -> int:
    return int(db.execute_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]) + 1


def unit_ids() -> dict[str, int]:
    return {name: uid for uid, name in db.execute_sql("SELECT id, name FROM unit")}


def add_units(names: Sequence[str], log: list[LogEntry]) -> dict[str, int]:
    """Create the units not yet known; returns every unit's id by name."""
    if names:
        first = next_id("unit")
        rows = [(first + i, name, "") for i, name in enumerate(names)]
        db.connection().executemany("INSERT INTO unit (id, name, kind) VALUES (?, ?, ?)", rows)
        log.extend(("insert", "unit", r[0], None, {"id": r[0], "name": r[1], "kind": ""}) for r in rows)
    return unit_ids()


def now_text() -> str:
    return datetime.now().isoformat(sep=" ", timespec="microseconds")


def date_text(d: date | str | None) -> str | None:
    if d is None:
        return None
    return d if isinstance(d, str) else d.isoformat()


# Cadres -----------------------------------------------------------------------------------------


@dataclass
class CadreRow:
    where: tuple[Table, int]
    name: str
    tier: str | None
    unit: str | None
    position: str | None
    tags: str | None
    active: bool | None


class CadresImport(Importer):
    kind = CADRES

    def take(self, table: Table, row: int, v: list[Any]) -> None:
        name_v, tier_v, unit_v, position_v, tags_v, active_v = v
        name = self.text(table, row, "cadre", name_v, required=True)
        tier = None
        tier_text = as_text(tier_v)
        if not tier_text:
            self.problem(table, row, "tier", "", "层级不能为空（校领导 / 中层正职 / 中层副职）")
        else:
            try:
                tier = parse_tier(tier_text)
            except BadInput:
                self.problem(table, row, "tier", tier_text, f"未知的层级，可选：{'、'.join(TIERS.values())}")
        unit = self.text(table, row, "unit", unit_v)
        position = self.text(table, row, "position", position_v)
        tags_text = self.text(table, row, "tags", tags_v)
        active = self.flag(table, row, "active", active_v)
        if name is None or tier is None:
            return
        self.rows.append(CadreRow((table, row), name, tier, unit if "unit" in table.columns else None,
                                  position if "position" in table.columns else None,
                                  "、".join(split_tags(tags_text)) if tags_text is not None and "tags" in table.columns
                                  else None, active))

    def plan(self, progress: Progress | None = None) -> Preview:
        p = self.fresh_preview()
        existing = {r[1]: r for r in db.execute_sql(
            "SELECT c.id, c.name, c.tier, u.name, c.position, c.tags, c.active FROM cadre c "
            "LEFT JOIN unit u ON u.id = c.unit_id")}
        known_units = set(unit_ids())
        seen: dict[str, int] = {}
        self.adds: list[CadreRow] = []
        self.changes: list[tuple[CadreRow, tuple[Any, ...]]] = []
        new_units: dict[str, None] = {}
        for r in self.rows:
            table, row = r.where
            if r.name in seen:
                self.problem_at(p, r.where, "cadre", r.name, f"与第 {seen[r.name]} 行的干部重名")
                continue
            seen[r.name] = row
            if r.unit and r.unit not in known_units:
                new_units[r.unit] = None
            cur = existing.get(r.name)
            if cur is None:
                self.adds.append(r)
                p.added += 1
                post = f"，{r.position}" if r.position else ""
                p.sample("新增", f"第 {row} 行：{r.name}（{TIERS[r.tier or '']}{post}）")
                continue
            _id, _name, tier, unit, position, tags, active = cur
            diffs = []
            for label, new, old in (("层级", r.tier, tier), ("部门", r.unit, unit or ""),
                                    ("职务", r.position, position), ("角色标签", r.tags, tags),
                                    ("在任", r.active, bool(active))):
                if new is not None and new != old:
                    shown_old, shown_new = str(old or ""), str(new or "")
                    if label == "层级":
                        shown_old, shown_new = TIERS[str(old)], TIERS[str(new)]
                    elif label == "在任":
                        shown_old, shown_new = ("是" if old else "否"), ("是" if new else "否")
                    diffs.append(f"{label} {shown_old or '（空）'} → {shown_new or '（空）'}")
            if diffs:
                self.changes.append((r, cur))
                p.changed += 1
                p.sample("修改", f"第 {row} 行：{r.name} " + "；".join(diffs))
            else:
                p.unchanged += 1
        p.new_units = list(new_units)
        return self.finish(p)

    def write(self, progress: Progress | None = None) -> list[LogEntry]:
        log: list[LogEntry] = []
        units = add_units(self.preview.new_units, log)
        first = next_id("cadre")
        order = int(db.execute_sql("SELECT COALESCE(MAX(sort_order), -1) FROM cadre").fetchone()[0]) + 1
        rows = []
        for i, r in enumerate(self.adds):
            active = True if r.active is None else r.active
            rows.append((first + i, r.name, units.get(r.unit) if r.unit else None, r.position or "", r.tier,
                         r.tags or "", int(active), order + i))
        db.connection().executemany(
            "INSERT INTO cadre (id, name, unit_id, position, tier, tags, signature, active, sort_order) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)", rows)
        log.extend(("insert", "cadre", row[0], None, _cadre_dict(row)) for row in rows)
        updates = []
        for r, cur in self.changes:
            cid, name, tier, unit, position, tags, active = cur
            before = (cid, name, units.get(unit) if unit else None, position, tier, tags, int(bool(active)))
            unit_id = before[2] if r.unit is None else (units.get(r.unit) if r.unit else None)
            after = (cid, name, unit_id, position if r.position is None else r.position,
                     r.tier or tier, tags if r.tags is None else r.tags,
                     int(bool(active)) if r.active is None else int(r.active))
            updates.append((after[2], after[3], after[4], after[5], after[6], cid))
            log.append(("update", "cadre", cid, _cadre_dict(before), _cadre_dict(after)))
        db.connection().executemany(
            "UPDATE cadre SET unit_id = ?, position = ?, tier = ?, tags = ?, active = ? WHERE id = ?", updates)
        return log


def _cadre_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    keys = ("id", "name", "unit", "position", "tier", "tags", "active", "sort_order")
    d = dict(zip(keys, row, strict=False))
    d["active"] = bool(d["active"])
    return d


# Targets ----------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    where: tuple[Table, int]
    name: str
    kind: str
    unit: str | None
    note: str | None


class TargetsImport(Importer):
    kind = TARGETS

    def take(self, table: Table, row: int, v: list[Any]) -> None:
        name_v, kind_v, unit_v, note_v = v
        name = self.text(table, row, "name", name_v, required=True)
        kind = self.text(table, row, "kind", kind_v, required=True)
        if kind and kind not in vocabulary().target_kinds:
            self.problem(table, row, "kind", kind, f"未知的联系对象类别，可选：{'、'.join(vocabulary().target_kinds)}")
            kind = None
        unit = self.text(table, row, "unit", unit_v)
        note = self.text(table, row, "note", note_v)
        if name is None or kind is None:
            return
        self.rows.append(TargetRow((table, row), name, kind, unit if "unit" in table.columns else None,
                                   note if "note" in table.columns else None))

    def plan(self, progress: Progress | None = None) -> Preview:
        p = self.fresh_preview()
        existing = {(r[1], r[2]): r for r in db.execute_sql(
            "SELECT t.id, t.name, t.kind, u.name, t.note FROM target t LEFT JOIN unit u ON u.id = t.unit_id")}
        known_units = set(unit_ids())
        seen: dict[tuple[str, str], int] = {}
        self.adds: list[TargetRow] = []
        self.changes: list[tuple[TargetRow, tuple[Any, ...]]] = []
        new_units: dict[str, None] = {}
        for r in self.rows:
            table, row = r.where
            if r.name == HIDDEN:
                p.skipped += 1
                p.sample("跳过", f"第 {row} 行：{r.kind}姓名已隐去")
                continue
            key = (r.name, r.kind)
            if key in seen:
                self.problem_at(p, r.where, "name", r.name, f"与第 {seen[key]} 行重复（同名同类别）")
                continue
            seen[key] = row
            if r.unit and r.unit not in known_units:
                new_units[r.unit] = None
            cur = existing.get(key)
            if cur is None:
                self.adds.append(r)
                p.added += 1
                p.sample("新增", f"第 {row} 行：{r.name}（{r.kind}）")
                continue
            diffs = [f"{label} {old or '（空）'} → {new or '（空）'}"
                     for label, new, old in (("部门", r.unit, cur[3] or ""), ("备注", r.note, cur[4]))
                     if new is not None and new != old]
            if diffs:
                self.changes.append((r, cur))
                p.changed += 1
                p.sample("修改", f"第 {row} 行：{r.name}（{r.kind}）" + "；".join(diffs))
            else:
                p.unchanged += 1
        p.new_units = list(new_units)
        return self.finish(p)

    def write(self, progress: Progress | None = None) -> list[LogEntry]:
        log: list[LogEntry] = []
        units = add_units(self.preview.new_units, log)
        first = next_id("target")
        rows = [(first + i, r.name, r.kind, units.get(r.unit) if r.unit else None, r.note or "")
                for i, r in enumerate(self.adds)]
        db.connection().executemany("INSERT INTO target (id, name, kind, unit_id, note) VALUES (?, ?, ?, ?, ?)", rows)
        keys = ("id", "name", "kind", "unit", "note")
        log.extend(("insert", "target", row[0], None, dict(zip(keys, row, strict=True))) for row in rows)
        updates = []
        for r, cur in self.changes:
            tid, name, kind, unit, note = cur
            before = (tid, name, kind, units.get(unit) if unit else None, note)
            after = (tid, name, kind, before[3] if r.unit is None else (units.get(r.unit) if r.unit else None),
                     note if r.note is None else r.note)
            updates.append((after[3], after[4], tid))
            log.append(("update", "target", tid, dict(zip(keys, before, strict=True)),
                        dict(zip(keys, after, strict=True))))
        db.connection().executemany("UPDATE target SET unit_id = ?, note = ? WHERE id = ?", updates)
        return log


# Running an import ------------------------------------------------------------------------------


def importer_for(kind: str, path: Path, year: str | None = None) -> Importer:
    from .excel_import_ledger import ActivitiesImport, AssignmentsImport

    kind = kind_id(kind, IMPORT_KINDS)
    classes: dict[str, Callable[[Path, str | None], Importer]] = {
        "cadres": CadresImport, "targets": TargetsImport, "assignments": AssignmentsImport,
        "activities": ActivitiesImport}
    return classes[kind](path, year)


def prepare(kind: str, path: Path, year: str | None = None, progress: Progress | None = None) -> Importer:
    """Read the whole file and plan the import against the data as they are; writes nothing."""
    imp = importer_for(kind, path, year)
    imp.read(progress)
    imp.plan(progress)
    return imp


def commit(imp: Importer, progress: Progress | None = None) -> Preview:
    """Plan again and write, all in one transaction; refused (nothing written) on any problem."""
    with db.atomic("IMMEDIATE"):
        p = imp.plan(progress)
        if p.problems:
            raise ImportRefused(p)
        if not (p.added or p.changed):
            return p  # nothing to write: the ledger (and its log) stay exactly as they were
        imp.logged = 0
        log = imp.write(progress)
        summary = {"file": imp.path.name, "kind": imp.kind.id, "rows": p.rows, "added": p.added,
                   "changed": p.changed, "unchanged": p.unchanged, "skipped": p.skipped}
        log.append(("import", imp.kind.id, "", None, summary))
        imp.flush_log(log)
        p.log_entries = imp.logged
        p.written = True
    return p


def import_file(kind: str, path: Path, dry_run: bool = False, year: str | None = None,
                progress: Progress | None = None) -> Preview:
    """The command line's import: read, check, and (unless a dry run) write all or nothing.
    Problems raise ImportRefused, dry run or not."""
    imp = importer_for(kind, path, year)
    imp.read(progress)
    if dry_run:
        p = imp.plan(progress)
        if p.problems:
            raise ImportRefused(p)
        return p
    return commit(imp, progress)


def problem_lines(p: Preview) -> list[str]:
    lines = [str(x) for x in p.problems.items]
    if p.problems.count > len(p.problems.items):
        lines.append(f"……另有 {p.problems.count - len(p.problems.items):,} 处问题未列出（只列出前 {MAX_PROBLEMS} 处）")
    return lines
