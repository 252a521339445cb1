"""`verify`: is the ledger intact, and has anything been changed outside the program?

The checks: SQLite's integrity check; the schema against the program's (schema_check); printed
台账校验码 against the chain (anchor); the change log's hash chain (an edited or deleted log
entry breaks it); and every record against the change log's latest word on it — a row changed,
added or deleted with another tool (the sqlite3 shell, a spreadsheet plug-in) no longer matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from peewee import fn

from . import changelog, logpack
from .models import (
    Activity,
    Assignment,
    BaseModel,
    Cadre,
    ChangeLog,
    Problem,
    Setting,
    Sheet,
    Target,
    TermRecord,
    Unit,
    db,
)
from .records import tuples

#: Records whose every write is logged, by the table name the log uses.
LOGGED: dict[str, type[BaseModel]] = {
    "unit": Unit, "cadre": Cadre, "target": Target, "assignment": Assignment, "activity": Activity,
    "sheet": Sheet, "problem": Problem,
}
LABELS = {"unit": "部门", "cadre": "干部", "target": "联系对象", "assignment": "联系安排", "activity": "活动",
          "sheet": "记录表", "problem": "问题", "setting": "设置", "term": "学期", "filing": "报送",
          "sheet_revision": "修订", "problem_event": "问题办理记录",
          "anchor": "台账校验码", "form": "记录表格式"}


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    checked_rows: int = 0
    log_entries: int = 0
    unchecked_rows: int = 0  # a college secretary: rows whose latest entry it cannot read
    scope: str = ""  # a college secretary's verify covers only what it sees: says so

    @property
    def ok(self) -> bool:
        return not self.problems


def logged_models() -> dict[str, type[BaseModel]]:
    """LOGGED plus tables added by later schema versions that also log every write."""
    models = dict(LOGGED)
    from .models import Anchor, Filing, FormRecord, ProblemEvent, SheetRevision

    models["anchor"] = Anchor
    models["form"] = FormRecord
    models["filing"] = Filing
    models["sheet_revision"] = SheetRevision
    models["problem_event"] = ProblemEvent
    return models


def _current(model: type[BaseModel]) -> Iterator[tuple[str, dict[str, Any]]]:
    for row_id, state in changelog.row_states(model):
        yield str(row_id), state


def _special_current(table: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if table == "setting":
        for key, value in tuples(Setting.select(Setting.key, Setting.value).order_by(Setting.key)):
            yield key, {"value": value}
    else:
        for r in TermRecord.select().order_by(TermRecord.id):
            yield r.id, {"start": changelog.canonical(r.start), "end": changelog.canonical(r.end),
                         "holidays": r.holidays}


Logged = tuple[int, int | None, str | None]  # entry id, its layout, its `after` as stored


#: A latest entry whose values this login cannot read (a college secretary: packed with other units').
UNREADABLE = "unreadable"


def _logged_state(table: str) -> dict[str, Logged]:
    """Row id → the latest entry for each row of a table (values decoded one row at a time, by
    _compare: a million rows' dicts at once would take gigabytes)."""
    latest = (ChangeLog.select(ChangeLog.row_id, ChangeLog.id, ChangeLog.layout, ChangeLog.after, ChangeLog.action)
              .where(ChangeLog.id.in_(ChangeLog.select(fn.MAX(ChangeLog.id))
                                      .where((ChangeLog.table == table) & (ChangeLog.action != "bulk"))
                                      .group_by(ChangeLog.row_id)))
              .order_by(ChangeLog.id))
    packs = logpack.Packs()  # in entry order: each block decompressed once
    out: dict[str, Logged] = {}
    partial = _partial()
    cursor = db.execute_sql(*latest.sql())  # raw rows: no per-value conversion on a million rows
    for row_id, entry, layout, after, action in _rows(cursor):
        if after is None and action != "delete":
            found = packs.get(entry) if packs else None
            after = found[1] if found is not None else UNREADABLE if partial else None
        out[row_id] = (entry, layout, after)
    return out


def _rows(cursor: Any) -> Iterator[tuple[Any, ...]]:
    while rows := cursor.fetchmany(20_000):
        yield from rows


def _matches(logged: dict[str, Any], current: dict[str, Any]) -> bool:
    """The row holds what the log says. Columns added by a later schema version are checked from
    the first write that logs them (entries made before they existed do not name them)."""
    return all(key in current and current[key] == value for key, value in logged.items())


def _partial() -> bool:
    """Does this login see only part of the ledger (a college secretary on a server)?"""
    from .rights import session_clerk
    from .sql import on_server

    return on_server() and not session_clerk().office


def _compare(table: str, current: Iterator[tuple[str, dict[str, Any]]], report: Report,
             layouts: dict[int, tuple[str, tuple[str, ...]]]) -> None:
    logged = _logged_state(table)
    label = LABELS.get(table, table)
    for row_id, state in current:
        report.checked_rows += 1
        entry = logged.pop(row_id, None)
        if entry is None:
            report.problems.append(f"{label} #{row_id} 没有变更日志记录（在程序之外添加）")
            continue
        entry_id, layout, after = entry
        if after == UNREADABLE:
            report.checked_rows -= 1
            report.unchecked_rows += 1
            continue
        values = changelog.values(layouts[layout][1] if layout in layouts else None, after)
        if values is None:
            report.problems.append(f"{label} #{row_id} 依日志第 {entry_id} 条已删除，却仍在（在程序之外恢复）")
        elif not _matches(values, state):
            report.problems.append(f"{label} #{row_id} 与变更日志第 {entry_id} 条不符（在程序之外被改动）")
    if _partial():  # rows it logged may since have gone to another unit: the office's verify says
        return
    for row_id, (entry_id, _layout, after) in logged.items():
        if after is not None:
            report.problems.append(f"{label} #{row_id} 依日志第 {entry_id} 条应存在，却已不见（在程序之外删除）")


def _verify_visible(links: list[tuple[int, bytes]]) -> tuple[int | None, int, int]:
    """A college secretary's chain check: each entry it can see must hash, from the stored hash of
    the entry before it (`links`: every entry's number and hash, which say nothing of the rows),
    to its own stored hash. Returns (the first entry that fails or None, entries checked, entries
    not checkable here: their values are packed with other units' entries)."""
    before_of: dict[int, bytes] = {}
    prev = changelog.GENESIS
    for entry_id, h in links:
        before_of[entry_id] = prev
        prev = h
    names = {i: c for i, (c, _n) in changelog.layouts().items()}
    packs = logpack.Packs()
    covered = [(r[0], r[1]) for r in packs.ranges]
    checked = unchecked = 0
    for entry in changelog.stored_entries():
        entry_id, at, who, action, table, row_id, layout, before, after, stored, legacy, by = entry
        columns = names.get(layout) if layout is not None else None
        h = changelog.digest(before_of.get(entry_id, changelog.GENESIS), at, who, action, table, row_id, columns,
                             before, after, None if legacy is None else bytes(legacy), by)
        if bytes(stored) == h and entry_id in before_of:
            checked += 1
        elif before is None and after is None and not any(a <= entry_id <= b for a, b in covered):
            unchecked += 1  # its values are in a block this login cannot read
        else:
            return int(entry_id), checked, unchecked
    return None, checked, unchecked


def verify(full: bool = True, anchors: tuple[str, ...] = ()) -> Report:
    """Integrity, the schema, the chain, every record against the log, and each printed
    台账校验码 (`anchors`, from paper) and each one kept in the ledger."""
    from . import anchor, schema_check
    from .sql import on_server

    report = Report()
    # A server keeps its own pages (the DBA's checksums and pg_amcheck): from here the checks are the same.
    result = [("ok",)] if on_server() else db.execute_sql(
        "PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        report.problems.append("数据库文件损坏：" + "；".join(r[0] for r in result[:5]))
        return report
    report.problems.extend(schema_check.problems())
    for code in anchors:
        report.problems.extend(anchor.check_code(code, whole_chain=False))  # the chain: below
    report.log_entries = ChangeLog.select().count()
    if _partial():
        from .rights import log_links, session_clerk

        bad, checked, unchecked = _verify_visible(log_links())
        report.scope = (f"只核验了 {session_clerk().scope} 可见的内容：变更日志 {checked:,} 条"
                        + (f"（另有 {unchecked:,} 条与其他部门的记录打包保存，由党委办公室核验）" if unchecked else "")
                        + "；整本台账的核验由党委办公室进行")
    else:
        report.problems.extend(anchor.kept_anchors_problems())
        bad = changelog.verify_chain()
    if bad is not None:
        report.problems.append(f"变更日志第 {bad} 条的校验值不符（日志在程序之外被改动或删除）")
    layouts = changelog.layouts()
    for table, model in logged_models().items():
        _compare(table, _current(model), report, layouts)
    for table in ("setting", "term"):
        _compare(table, _special_current(table), report, layouts)
    return report
