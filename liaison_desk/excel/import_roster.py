"""Importing the roster's people and places: cadres (名册) and targets (联系对象)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import BadInput
from ..ledger.roster import parse_tier, split_tags
from ..store.sql import insert_rows, run, run_many
from ..vocabulary import HIDDEN, TIERS, vocabulary
from .cells import as_text
from .importer import Importer, LogEntry, Preview, add_units, unit_ids
from .kinds import CADRES, TARGETS
from .read import Progress, Table

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
        existing = {r[1]: r for r in run(
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
        order = int(run("SELECT COALESCE(MAX(sort_order), -1) FROM cadre").fetchone()[0]) + 1
        values = []
        for i, r in enumerate(self.adds):
            active = True if r.active is None else r.active
            values.append((r.name, units.get(r.unit) if r.unit else None, r.position or "", r.tier,
                           r.tags or "", bool(active), order + i))
        ids = insert_rows("cadre", ("name", "unit_id", "position", "tier", "tags", "active", "sort_order"), values)
        rows = [(cid, *v) for cid, v in zip(ids, values, strict=True)]
        log.extend(("insert", "cadre", row[0], None, _cadre_dict(row)) for row in rows)
        updates = []
        for r, cur in self.changes:
            cid, name, tier, unit, position, tags, active = cur
            before = (cid, name, units.get(unit) if unit else None, position, tier, tags, bool(active))
            unit_id = before[2] if r.unit is None else (units.get(r.unit) if r.unit else None)
            after = (cid, name, unit_id, position if r.position is None else r.position,
                     r.tier or tier, tags if r.tags is None else r.tags,
                     bool(active) if r.active is None else bool(r.active))
            updates.append((after[2], after[3], after[4], after[5], after[6], cid))
            log.append(("update", "cadre", cid, _cadre_dict(before), _cadre_dict(after)))
        run_many(
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
        existing = {(r[1], r[2]): r for r in run(
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
        values = [(r.name, r.kind, units.get(r.unit) if r.unit else None, r.note or "") for r in self.adds]
        ids = insert_rows("target", ("name", "kind", "unit_id", "note"), values)
        rows = [(tid, *v) for tid, v in zip(ids, values, strict=True)]
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
        run_many("UPDATE target SET unit_id = ?, note = ? WHERE id = ?", updates)
        return log
