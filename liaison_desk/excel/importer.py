"""The machinery every Excel import shares: the preview of what an import will do, the refusal
that carries every problem found, the `Importer` base class (read → plan → write) and the few
database helpers the importers use. The importers themselves are in `import_roster`
(cadres, targets) and `import_ledger` (assignments, activities); `importing` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..names import name_problem, normalise_name
from ..store import changelog
from ..store.sql import insert_rows, run
from .cells import as_flag, as_text
from .kinds import Kind
from .read import Problems, Progress, SheetScan, Table, read_rows

SAMPLES = 200  # rows of each sort shown in the preview
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
#: Fields holding the name of a cadre, target or unit (names.py).
NAME_KEYS = frozenset({"cadre", "name", "target", "unit"})
NAME_MEMO = 50_000  # name spellings remembered per import (a few MB at most)

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
        self._names: dict[tuple[Any, ...], tuple[str | None, str, str]] = {}  # see `text`
        self._flags: dict[str, tuple[bool | None, str]] = {}  # see `flag`

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
        """A text cell within its field's limit; None (and a problem) when it cannot be taken.

        A name is judged once per spelling (the same 600 cadres fill 100,000 lines), then the
        verdict is reused: the same result and the same problem at each row it stands on."""
        if key not in NAME_KEYS:
            return self._text(table, row, key, value, required)
        memo = (key, required, value.__class__, value)
        verdict = self._names.get(memo)
        if verdict is None:
            verdict = self._judge_name(key, value, required)
            if len(self._names) < NAME_MEMO:
                self._names[memo] = verdict
        name, shown, why = verdict
        if why:
            self.problem(table, row, key, shown, why)
        return name

    def _judge_name(self, key: str, value: Any, required: bool) -> tuple[str | None, str, str]:
        """(the name, or None; the text shown with the problem; the problem, or "")."""
        text = value if value.__class__ is str and "\r" not in value else as_text(value)
        label, limit = self._limits[key]
        problem = name_problem(text, label, limit, required)
        if problem:
            return None, text, problem
        return normalise_name(text), "", ""

    def _text(self, table: Table, row: int, key: str, value: Any, required: bool) -> str | None:
        if value is None and not required:  # an empty cell
            return ""
        text = value if value.__class__ is str and "\r" not in value else as_text(value)
        label, limit = self._limits[key]
        if required and not text:
            self.problem(table, row, key, "", f"{label}不能为空")
            return None
        if len(text) > limit:
            self.problem(table, row, key, text, f"{label}过长（{len(text):,} 字，最多 {limit:,} 字）")
            return None
        if not text.isprintable() and _CONTROL.search(text):  # (printable text has no control characters)
            self.problem(table, row, key, text, f"{label}含有不可见的控制字符")
            return None
        return text

    def flag(self, table: Table, row: int, key: str, value: Any) -> bool | None:
        verdict = self._flags.get(value) if value.__class__ is str else None  # 是/否, judged once each
        if verdict is None:
            verdict = as_flag(value)
            if value.__class__ is str and len(self._flags) < NAME_MEMO:
                self._flags[value] = verdict
        flag, why = verdict
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

    def flush_log(self, log: list[LogEntry], inserted: changelog.Inserted | None = None) -> None:
        """Write these change-log entries (then the rows `inserted`) now, in the import's
        transaction, and forget them, so 100,000 entries never sit in memory at once."""
        changelog.record_many(log, inserted)
        self.logged += len(log) + (len(inserted.rows) if inserted else 0)
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


def unit_ids() -> dict[str, int]:
    return {name: uid for uid, name in run("SELECT id, name FROM unit")}


def add_units(names: Sequence[str], log: list[LogEntry]) -> dict[str, int]:
    """Create the units not yet known; returns every unit's id by name."""
    if names:
        ids = insert_rows("unit", ("name", "kind"), [(name, "") for name in names])
        rows = [(uid, name, "") for uid, name in zip(ids, names, strict=True)]
        log.extend(("insert", "unit", r[0], None, {"id": r[0], "name": r[1], "kind": ""}) for r in rows)
    return unit_ids()


def now_text() -> str:
    return datetime.now().isoformat(sep=" ", timespec="microseconds")


def date_text(d: date | str | None) -> str | None:
    if d is None:
        return None
    return d if isinstance(d, str) else d.isoformat()
