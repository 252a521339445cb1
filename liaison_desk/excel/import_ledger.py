"""Importing assignments (联系安排, also as the seed-000 对接一览表) and the activity ledger (台账).

Both resolve names against the roster in a few queries and write with executemany, so 100,000
ledger lines import in seconds. Cadres must already be in the roster (an unknown name is a
problem, not a new cadre); an assignment's unknown target is added to the roster under the
column's kind; an activity's target is a roster target when its name is one (or, when the file
has an 对象类别 column, exactly that name and kind), otherwise a free carrier name (载体名称).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import activity_fields
from ..errors import BadInput
from ..ledger import problems as problem_list
from ..ledger import settings
from ..ledger.activities import MAX_DAYS, MAX_PEOPLE
from ..store import changelog
from ..store.models import Activity
from ..store.sql import insert_new, insert_rows, run, run_many
from ..vocabulary import HIDDEN, vocabulary
from .cells import as_date, as_number, as_year, year_in
from .importer import NAME_MEMO, SAMPLES, Importer, LogEntry, Preview, add_units, date_text, now_text, unit_ids
from .kinds import EXTRA, activities_kind, assignments_kind, roster_columns
from .read import Progress, Table

TARGET_NAME_LIMIT = 60
_LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


def _chunks(items: list[Any], size: int = 900) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _targets_named(names: set[str]) -> dict[str, list[tuple[int, str]]]:
    """Roster targets by name: [(id, kind)], lowest id first."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(sorted(names)):
        marks = ",".join("?" * len(chunk))
        for tid, name, kind in run(
                f"SELECT id, name, kind FROM target WHERE name IN ({marks}) ORDER BY id", chunk):
            found[name].append((tid, kind))
    return found


def _cadre_problem(imp: Importer, p: Preview, where: tuple[Table, int], name: str) -> None:
    imp.problem_at(p, where, "cadre", name, "名册中没有这位干部（请先导入或添加干部，或核对姓名）")


# Assignments ------------------------------------------------------------------------------------


@dataclass
class AssignRow:
    where: tuple[Table, int]
    cadre: str
    year: str
    kinds: tuple[str, ...]  # the target's kind, or the kinds an 一览表 column allows
    target: str
    role: str | None  # None: the file does not say (keep, or empty when new)
    filed_on: date | None
    unit: str | None


class AssignmentsImport(Importer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.kind = assignments_kind()
        super().__init__(*args, **kwargs)
        self.table_years: dict[int, str | None] = {}

    def _year_for(self, table: Table) -> str | None:
        """The year for rows without a 学年 cell: --year, else a year in the title rows."""
        key = id(table)
        if key not in self.table_years:
            year = self.year or year_in(table.above)
            self.table_years[key] = year
            if year is None:
                self.problem(table, table.header_row, "", "",
                             "没有“学年”列，标题中也没有学年：请加上“学年”列（如 2025-2026），或导入时指定学年")
        return self.table_years[key]

    def take(self, table: Table, row: int, v: list[Any]) -> None:
        values = dict(zip((f.key for f in self.kind.fields), v, strict=True))
        cadre = self.text(table, row, "cadre", values["cadre"], required=True)
        year: str | None = None
        if values["year"] is not None:
            year, why = as_year(values["year"])
            if why:
                self.problem(table, row, "year", values["year"], why)
                if cadre:
                    self.dropped_cadres.append((table, row, cadre))
                return
        else:
            year = self._year_for(table)
        if cadre is None or year is None:
            if cadre:
                self.dropped_cadres.append((table, row, cadre))
            return
        if "kind" in table.columns and "target" in table.columns:
            self._take_list_row(table, row, values, cadre, year)
        for label, kinds in roster_columns():
            cell = values.get(f"annex:{label}")
            if cell is None:
                continue
            text = self.text(table, row, f"annex:{label}", cell)
            for name in _LIST_SEPARATORS.split(text or ""):
                name = name.strip()
                if not name:
                    continue
                if len(name) > TARGET_NAME_LIMIT:
                    self.problem(table, row, f"annex:{label}", name, f"名称过长（最多 {TARGET_NAME_LIMIT} 字）")
                    continue
                self.rows.append(AssignRow((table, row), cadre, year, kinds, name, None, None, None))

    def _take_list_row(self, table: Table, row: int, values: dict[str, Any], cadre: str, year: str) -> None:
        kind = self.text(table, row, "kind", values["kind"], required=True)
        if kind and kind not in vocabulary().target_kinds:
            self.problem(table, row, "kind", kind, f"未知的联系对象类别，可选：{'、'.join(vocabulary().target_kinds)}")
            kind = None
        target = self.text(table, row, "target", values["target"], required=True)
        if target and len(target) > TARGET_NAME_LIMIT:
            self.problem(table, row, "target", target, f"联系对象名称过长（最多 {TARGET_NAME_LIMIT} 字）")
            target = None
        role = self.text(table, row, "role", values["role"])
        unit = self.text(table, row, "unit", values["unit"])
        filed: date | None = None
        if values["filed_on"] is not None:
            filed, why = as_date(values["filed_on"])
            if why:
                self.problem(table, row, "filed_on", values["filed_on"], why)
                self.dropped_cadres.append((table, row, cadre))
                return
        if kind is None or target is None or role is None:
            self.dropped_cadres.append((table, row, cadre))
            return
        self.rows.append(AssignRow((table, row), cadre, year, (kind,), target,
                                   role if "role" in table.columns else None, filed, unit or None))

    def plan(self, progress: Progress | None = None) -> Preview:
        p = self.fresh_preview()
        cadres = {name: cid for cid, name in run("SELECT id, name FROM cadre")}
        targets = _targets_named({r.target for r in self.rows})
        years = sorted({r.year for r in self.rows})
        existing: dict[tuple[int, int, str], tuple[int, str, str | None]] = {}
        for chunk in _chunks(years):
            marks = ",".join("?" * len(chunk))
            for aid, a_cadre, a_target, year, role, filed in run(
                    f"SELECT id, cadre_id, target_id, year, role, filed_on FROM assignment WHERE year IN ({marks})",
                    chunk):
                existing[(a_cadre, a_target, year)] = (aid, role, date_text(filed))
        self.new_targets: dict[tuple[str, str], str | None] = {}
        self.adds: list[tuple[int, int | tuple[str, str], str, str, date | None]] = []
        self.changes: list[tuple[tuple[int, str, str | None], str | None, date | None]] = []
        seen: dict[tuple[int, object, str], int] = {}
        known_units = set(unit_ids())
        new_units: dict[str, None] = {}
        for r in self.rows:
            table, row = r.where
            if r.target == HIDDEN:
                p.skipped += 1
                p.sample("跳过", f"第 {row} 行：{r.cadre} 的{'/'.join(r.kinds)}姓名已隐去")
                continue
            cid = cadres.get(r.cadre)
            if cid is None:
                _cadre_problem(self, p, r.where, r.cadre)
                continue
            tid: int | tuple[str, str]
            matches = sorted((t for t in targets.get(r.target, ()) if t[1] in r.kinds),
                             key=lambda t: (r.kinds.index(t[1]), t[0]))
            if matches:
                tid = matches[0][0]
            else:
                tid = (r.target, _guess_kind(r.target, r.kinds))
                if tid not in self.new_targets:
                    self.new_targets[tid] = r.unit
                    if r.unit and r.unit not in known_units:
                        new_units[r.unit] = None
            key = (cid, tid, r.year)
            if key in seen:
                self.problem_at(p, r.where, "target", r.target,
                                f"与第 {seen[key]} 行重复（同一干部、同一学年、同一对象）")
                continue
            seen[key] = row
            cur = existing.get(key) if isinstance(tid, int) else None  # type: ignore[arg-type]
            if cur is None:
                self.adds.append((cid, tid, r.year, r.role or "", r.filed_on))
                p.added += 1
                p.sample("新增", f"第 {row} 行：{r.cadre} → {r.target}（{r.kinds[0]}，{r.year} 学年）")
                continue
            _aid, role, filed = cur
            diffs = []
            if r.role is not None and r.role != role:
                diffs.append(f"角色 {role or '（空）'} → {r.role or '（空）'}")
            if r.filed_on is not None and r.filed_on.isoformat() != filed:
                diffs.append(f"备案日期 {filed or '（空）'} → {r.filed_on}")
            if diffs:
                self.changes.append((cur, r.role, r.filed_on))
                p.changed += 1
                p.sample("修改", f"第 {row} 行：{r.cadre} → {r.target}（{r.year} 学年）" + "；".join(diffs))
            else:
                p.unchanged += 1
        p.new_targets = len(self.new_targets)
        p.new_units = list(new_units)
        self.check_dropped_cadres(p, cadres)
        return self.finish(p)

    def write(self, progress: Progress | None = None) -> list[LogEntry]:
        log: list[LogEntry] = []
        units = add_units(self.preview.new_units, log)
        new = list(self.new_targets.items())
        ids = insert_rows("target", ("name", "kind", "unit_id", "note"),
                          [(name, kind, units.get(unit) if unit else None, "") for (name, kind), unit in new])
        target_ids = {key: tid for (key, _unit), tid in zip(new, ids, strict=True)}
        rows = [(tid, name, kind, units.get(unit) if unit else None, "")
                for ((name, kind), unit), tid in zip(new, ids, strict=True)]
        keys = ("id", "name", "kind", "unit", "note")
        log.extend(("insert", "target", row[0], None, dict(zip(keys, row, strict=True))) for row in rows)
        today = date.today()
        values = []
        for cid, tid, year, role, filed in self.adds:
            target_id = tid if isinstance(tid, int) else target_ids[tid]
            values.append((cid, target_id, year, role, (filed or today).isoformat()))
        ids = insert_rows("assignment", ("cadre_id", "target_id", "year", "role", "filed_on"), values)
        inserts = [(aid, *v) for aid, v in zip(ids, values, strict=True)]
        akeys = ("id", "cadre", "target", "year", "role", "filed_on")
        log.extend(("insert", "assignment", row[0], None, dict(zip(akeys, row, strict=True))) for row in inserts)
        updates = []
        for (aid, role, old_filed), new_role, new_filed in self.changes:
            after_role = role if new_role is None else new_role
            after_filed = old_filed if new_filed is None else new_filed.isoformat()
            updates.append((after_role, after_filed, aid))
            log.append(("update", "assignment", aid, {"id": aid, "role": role, "filed_on": old_filed},
                        {"id": aid, "role": after_role, "filed_on": after_filed}))
        run_many("UPDATE assignment SET role = ?, filed_on = ? WHERE id = ?", updates)
        return log


# Activities -------------------------------------------------------------------------------------

# One checked ledger line: (table, row, cadre, date, category, target text, target kind or None
# when the file has no 对象类别 column, summary, people, days, face-to-face or None, problems,
# a form's own fields whose columns the file has: key → value, "" to clear).
Line = tuple[Table, int, str, date, str, str, str | None, str, int | None, float | None, bool | None, str,
             dict[str, str]]


class ActivitiesImport(Importer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.kind = activities_kind()  # with the columns of the forms' own fields (地点 …)
        super().__init__(*args, **kwargs)
        self._categories = vocabulary().categories
        self._target_kinds = vocabulary().target_kinds
        self._dates: dict[tuple[type, Any], tuple[date | None, str]] = {}  # see `_date`
        self._own: dict[int, list[tuple[int, Any]]] = {}  # see `_own_fields`

    def _own_fields(self, table: Table) -> list[tuple[int, Any]]:
        """(position in the row, field) of the own fields whose column this table has (a file
        without the column leaves the stored value as it is): found once per table."""
        found = self._own.get(id(table))
        if found is None:
            found = self._own[id(table)] = [(i, f) for i, f in enumerate(self.kind.fields[10:], 10)
                                            if f.key in table.columns]
        return found

    def _date(self, value: Any) -> tuple[date | None, str]:
        """as_date, judged once per value (a year's ledger has a few hundred days)."""
        memo = (value.__class__, value)
        verdict = self._dates.get(memo)
        if verdict is None:
            verdict = as_date(value)
            if len(self._dates) < NAME_MEMO:
                self._dates[memo] = verdict
        return verdict

    def take(self, table: Table, row: int, v: list[Any]) -> None:
        cadre_v, date_v, category_v, target_v, kind_v, summary_v, people_v, days_v, face_v, problems_v = v[:10]
        ok = True
        own: dict[str, str] = {}
        for i, f in self._own_fields(table):
            text = self.text(table, row, f.key, v[i])
            try:
                own[f.key[len(EXTRA):]] = activity_fields.clean(f.key, text, f.label) if text is not None else ""
            except BadInput as e:
                self.problem(table, row, f.key, text, e.message)
                text = None
            ok = ok and text is not None
        cadre = self.text(table, row, "cadre", cadre_v, required=True)
        when = None
        if date_v is None:
            self.problem(table, row, "date", "", "日期不能为空")
        else:
            when, why = self._date(date_v)
            if why:
                self.problem(table, row, "date", date_v, why)
        category = self.text(table, row, "category", category_v, required=True)
        if category and category not in self._categories:
            self.problem(table, row, "category", category,
                         f"未知的活动类别，可选：{'、'.join(self._categories)}")
            category = None
        target = self.text(table, row, "target", target_v)
        target_kind: str | None = None
        if "target_kind" in table.columns:
            target_kind = self.text(table, row, "target_kind", kind_v) or ""
            if target_kind and target_kind not in self._target_kinds:
                self.problem(table, row, "target_kind", target_kind,
                             f"未知的联系对象类别，可选：{'、'.join(self._target_kinds)}")
                ok = False
            elif target_kind and not target:
                self.problem(table, row, "target", "", "填写了对象类别，但联系对象为空")
                ok = False
        summary = self.text(table, row, "summary", summary_v)
        problems = self.text(table, row, "problems", problems_v)
        people = self._number(table, row, "people", people_v, True, MAX_PEOPLE)
        days = self._number(table, row, "days", days_v, False, MAX_DAYS)
        face = self.flag(table, row, "face", face_v)
        if (not ok or cadre is None or when is None or category is None or target is None or summary is None
                or problems is None or people is False or days is False or (face is None and face_v is not None)):
            if cadre:
                self.dropped_cadres.append((table, row, cadre))
            return
        self.rows.append((table, row, cadre, when, category, target, target_kind, summary,
                          people, days, face, problems, own))

    def _number(self, table: Table, row: int, key: str, value: Any, whole: bool, high: float) -> Any:
        """The number, None when blank, False when refused (a problem is recorded)."""
        if value is None:
            return None
        n, why = as_number(value, whole)
        if why:
            self.problem(table, row, key, value, why)
            return False
        assert n is not None
        if not 0 <= n <= high:
            self.problem(table, row, key, value, f"应在 0 到 {high:g} 之间")
            return False
        return n

    def plan(self, progress: Progress | None = None) -> Preview:
        p = self.fresh_preview()
        policy = settings.current_policy()
        categories = vocabulary().categories
        cadres = {name: (cid, tier) for cid, name, tier in run("SELECT id, name, tier FROM cadre")}
        targets = _targets_named({line[5] for line in self.rows if line[5]})
        dates = [line[3] for line in self.rows]
        self.adds: list[tuple[Any, ...]] = []
        self.changes: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
        self.new_sheets: list[tuple[int, str, str]] = []
        self.check_dropped_cadres(p, cadres)
        if not dates:
            return self.finish(p)
        first, last = min(dates).isoformat(), max(dates).isoformat()
        existing: dict[tuple[Any, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for row in run(
                "SELECT id, cadre_id, date, category, target_id, carrier, summary, people, days, face_to_face, "
                "problems, created_at, extra FROM activity WHERE date BETWEEN ? AND ? ORDER BY id", (first, last)):
            existing[(row[1], str(row[2]), row[3], row[4], row[5], row[6])].append(row)
        months = (first[:7], last[:7])
        signed = set(run("SELECT cadre_id, month FROM sheet WHERE status = 'signed' "
                                    "AND month BETWEEN ? AND ?", months).fetchall())
        sheets = set(run("SELECT cadre_id, month FROM sheet WHERE month BETWEEN ? AND ?", months).fetchall())
        if progress:
            progress(0, 0, "核对")
        resolved: dict[tuple[str, str | None, str], tuple[Any, str]] = {}  # the same target, looked up once
        days: dict[date, str] = {}
        for line in self.rows:
            table, row, cadre, when, category, text, kind, summary, people, days_v, face, problems, own = line
            if text == HIDDEN:
                p.skipped += 1
                p.sample("跳过", f"第 {row} 行：{cadre} {when} {category} 的联系对象姓名已隐去")
                continue
            found = cadres.get(cadre)
            if found is None:
                _cadre_problem(self, p, (table, row), cadre)
                continue
            cid, tier = found
            how = (text, kind, category)
            target = resolved.get(how)
            if target is None:
                target = self._resolve(p, (table, row), text, kind, category, targets)
                if target[0] is not False:  # a refusal is reported at every row it stands on
                    resolved[how] = target
            tid, carrier = target
            if tid is False:
                continue
            day = days.get(when)
            if day is None:
                day = days[when] = when.isoformat()
            month = day[:7]
            matches = existing.get((cid, day, category, tid, carrier, summary))
            if matches:
                cur = matches.pop(0)
                new_face = bool(cur[9]) if face is None else face
                new_extra = (None if not own and cur[12] is None  # what encode(decode(None)) gives
                             else activity_fields.encode({**activity_fields.decode(cur[12]), **own}))
                if (cur[7], cur[8], bool(cur[9]), cur[10], cur[12]) == (people, days_v, new_face, problems, new_extra):
                    p.unchanged += 1
                    continue
                if (cid, month) in signed:
                    self._signed(p, (table, row), cadre, month)
                    continue
                self.changes.append((cur, (people, days_v, new_face, problems, new_extra)))
                p.changed += 1
                p.sample("修改", f"第 {row} 行：{cadre} {day} {category}"
                                 "（人数、天数、面对面、发现问题或另加栏目有变化）")
                continue
            if (cid, month) in signed:
                self._signed(p, (table, row), cadre, month)
                continue
            face_value = categories[category].face_to_face if face is None else face
            if (cid, month) not in sheets:
                sheets.add((cid, month))
                self.new_sheets.append((cid, month, policy.forms[tier]))
            self.adds.append((cid, day, category, tid, carrier, summary, people, days_v, face_value, problems,
                              activity_fields.encode(own) if own else None))
            p.added += 1
            if len(p.samples["新增"]) < SAMPLES:
                p.sample("新增", f"第 {row} 行：{cadre} {day} {category} {text}")
        p.new_sheets = len(self.new_sheets)
        return self.finish(p)

    def _resolve(self, p: Preview, where: tuple[Table, int], text: str, kind: str | None, category: str,
                 targets: dict[str, list[tuple[int, str]]]) -> tuple[Any, str]:
        """(target id or None, carrier name); (False, "") with a problem when it cannot be."""
        if not text:
            return None, ""
        found = targets.get(text, [])
        if kind is None:  # no 对象类别 column: a roster name when there is one (as the sheet editor)
            if not found:
                return None, text
            kinds = vocabulary().categories[category].target_kinds
            return min(found, key=lambda t: (t[1] not in kinds, t[0]))[0], ""
        if kind == "":
            return None, text
        for tid, k in found:
            if k == kind:
                return tid, ""
        self.problem_at(p, where, "target", text, f"名册中没有{kind}“{text}”：请先导入联系对象，"
                                                  "或清空“对象类别”按自由载体登记")
        return False, ""

    def _signed(self, p: Preview, where: tuple[Table, int], cadre: str, month: str) -> None:
        self.problem_at(p, where, "date", month,
                        f"{cadre} {month} 的工作记录表已签字封存，不能再导入该月的记录（需先办理修订）")

    def write(self, progress: Progress | None = None) -> list[LogEntry]:
        report = progress or (lambda _d, _t, _w: None)
        log: list[LogEntry] = []
        # A sheet another clerk made meanwhile (their first line of the month) is theirs: kept.
        new = insert_new("sheet", ("cadre_id", "month", "form", "status", "fields", "content_hash", "revision"),
                         [(cid, month, form, "draft", "{}", "", 0) for cid, month, form in self.new_sheets],
                         unique=("cadre_id", "month"))
        sheet_rows = [(sid, *s) for sid, s in zip(new, self.new_sheets, strict=True) if sid is not None]
        log.extend(("insert", "sheet", sid, None,
                    {"id": sid, "cadre": cid, "month": month, "form": form, "status": "draft", "fields": "{}",
                     "submitted_on": None, "signed_at": None, "content_hash": "", "signed_pdf": None,
                     "revision": 0}) for sid, cid, month, form in sheet_rows)
        now = now_text()
        total = len(self.adds)
        keys = ("id", "cadre", "date", "category", "target", "carrier", "summary", "people", "days",
                "face_to_face", "problems", "created_at", "updated_at", "extra")
        added: list[int] = []
        for start in range(0, total, 20_000):
            values = [(*a[:-1], now, now, a[-1]) for a in self.adds[start:start + 20_000]]
            ids = insert_rows("activity", ("cadre_id", "date", "category", "target_id", *keys[5:]), values)
            added.extend(ids)
            batch = [(aid, *v) for aid, v in zip(ids, values, strict=True)]
            self.flush_log(log, changelog.Inserted("activity", keys, batch))
            report(start + len(batch), total, "写入")
        updates = []
        for cur, (people, days, face, problems, extra) in self.changes:
            updates.append((people, days, face, problems, extra, now, cur[0]))
            before = dict(zip(keys[:12], (*cur[:9], bool(cur[9]), cur[10], str(cur[11])), strict=True))
            before["extra"] = cur[12]
            after = {**before, "people": people, "days": days, "face_to_face": face, "problems": problems,
                     "extra": extra, "updated_at": now}
            log.append(("update", "activity", cur[0], before, after))
        run_many("UPDATE activity SET people = ?, days = ?, face_to_face = ?, problems = ?, extra = ?, "
                 "updated_at = ? WHERE id = ?", updates)
        # What students raised goes on the problem list, as when the clerk types it into a sheet.
        self.flush_log(log)
        problem_list.bulk_from_activities(added)
        for cur, (_people, _days, _face, problems, _extra) in self.changes:
            if problems != cur[10]:
                problem_list.from_activity(Activity.get_by_id(cur[0]))
        return log


#: How a name shows its kind, for a column of the 对接一览表 that lists more than one (班级 holds
#: 社团 too): a new target gets the kind its name says, not always the column's first.
_KIND_ENDINGS = {"班级": ("班",), "社团": ("协会", "社", "团", "俱乐部", "队")}


def _guess_kind(name: str, kinds: tuple[str, ...]) -> str:
    for kind in kinds:
        if name.endswith(_KIND_ENDINGS.get(kind, ())):
            return kind
    return kinds[0]
