"""What one compliance check reads from the ledger: the active cadres, and the records of the
check's whole span loaded with a few queries and indexed in memory by cadre and category, so no
rule queries per cadre (see compliance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..calendar import parse_year_id
from ..errors import BadInput
from ..ledger import settings
from ..policy import Rule
from ..store.sql import run
from .periods import Plan


@dataclass(frozen=True)
class CadreRow:
    id: int
    name: str
    tier: str
    tags: frozenset[str]
    unit_id: int | None
    unit: str


# An activity row, sorted by date: (date ISO, id, target id, people, days, academic year start,
# category).
Row = tuple[str, int, int | None, int | None, float | None, int, str]
# An activity of a rule's categories that does not count: (date ISO, id, category, why).
LeftOut = tuple[str, int, str, str]


def iso_day(d: date) -> str:
    return d.isoformat()


def year_start(iso: str) -> int:
    return int(iso[:4]) - (1 if iso[5:7] < "09" else 0)


def year_id(start: int) -> str:
    return f"{start}-{start + 1}"


def cadre_rows(name: str | None = None) -> list[CadreRow]:
    """Active cadres in roster order; a named cadre (active or not) alone."""
    sql = ("SELECT c.id, c.name, c.tier, c.tags, c.unit_id, COALESCE(u.name, '') FROM cadre c "
           "LEFT JOIN unit u ON u.id = c.unit_id ")
    if name is not None:
        rows = list(run(sql + "WHERE c.name = ?", (name.strip(),)))
        if not rows:
            raise BadInput(f"未找到干部“{name}”")
    else:
        rows = list(run(sql + "WHERE c.active ORDER BY c.sort_order, c.id"))
    return [CadreRow(i, n, t, frozenset(x for x in (tags or "").split("、") if x), u, un)
            for i, n, t, tags, u, un in rows]


class Loaded:
    """The records one check needs, indexed in memory."""

    def __init__(self, cadres: list[CadreRow], start: date, end: date, as_of: date,
                 plan: Plan, needs: set[str]) -> None:
        self.as_of = as_of
        ids = [c.id for c in cadres]
        one = ids[0] if len(ids) == 1 else None
        last = min(end, as_of)
        self.by_cat: dict[int, dict[str, list[Row]]] = {}
        self.face: dict[int, dict[str, list[Row]]] = {}
        if "activities" in needs and start <= last:
            sql = ("SELECT cadre_id, category, face_to_face, date, id, target_id, people, days "
                   "FROM activity WHERE date >= ? AND date <= ?")
            params: list[Any] = [iso_day(start), iso_day(last)]
            if one is not None:
                sql += " AND cadre_id = ?"
                params.append(one)
            by_cat, face = self.by_cat, self.face
            for cid, cat, f2f, d, aid, tid, people, days in run(sql, params):
                d = str(d)[:10]
                row = (d, aid, tid, people, days, year_start(d), cat)
                by_cat.setdefault(cid, {}).setdefault(cat, []).append(row)
                if f2f:
                    face.setdefault(cid, {}).setdefault(cat, []).append(row)
        first_year = year_start(iso_day(start))
        last_year = year_start(iso_day(end))
        years = [year_id(y) for y in range(first_year, last_year + 1)]
        marks = ",".join("?" * len(years))
        # (cadre, year) → [(target id, kind, name, filed_on ISO or None)]
        self.assigned: dict[tuple[int, int], list[tuple[int, str, str, str | None]]] = {}
        for cid, tid, kind, tname, year, filed in run(
                "SELECT a.cadre_id, a.target_id, t.kind, t.name, a.year, a.filed_on FROM assignment a "
                f"JOIN target t ON t.id = a.target_id WHERE a.year IN ({marks}) "
                "ORDER BY t.kind, t.name", years):
            self.assigned.setdefault((cid, parse_year_id(year)), []).append(
                (tid, kind, tname, str(filed)[:10] if filed else None))
        self.targets: dict[str, list[tuple[int, str]]] = {}
        self.target_name: dict[int, str] = {}
        self.target_kind: dict[int, str] = {}
        for tid, kind, tname in run("SELECT id, kind, name FROM target ORDER BY name"):
            self.targets.setdefault(kind, []).append((tid, tname))
            self.target_name[tid] = tname
            self.target_kind[tid] = kind
        self.sheets: dict[tuple[int, str], str | None] = {}
        if "sheets" in needs:
            months = [p.key for p in plan.periods("month")]
            if months:
                marks = ",".join("?" * len(months))
                for cid, month, submitted in run(
                        f"SELECT cadre_id, month, submitted_on FROM sheet WHERE month IN ({marks})", months):
                    self.sheets[(cid, month)] = str(submitted)[:10] if submitted else None
        # (kind, period) → cadre id or ("unit", unit id) → earliest filing date
        self.filings: dict[tuple[str, str], dict[object, str]] = {}
        if "filings" in needs:
            for cid, uid, kind, period, filed in run(
                    "SELECT cadre_id, unit_id, kind, period, filed_on FROM filing WHERE filed_on <= ?",
                    (iso_day(as_of),)):
                who: object = cid if cid is not None else ("unit", uid)
                slot = self.filings.setdefault((kind, period), {})
                filed = str(filed)[:10]
                if who not in slot or filed < slot[who]:
                    slot[who] = filed
        self.terms = {t.id: t for t in settings.terms()}
        self._memo: dict[tuple[object, ...], tuple[list[Row], list[str]]] = {}
        self._left_out: dict[tuple[object, ...], tuple[list[LeftOut], list[str]]] = {}

    def assigned_to(self, cadre_id: int, year: int, kinds: tuple[str, ...]) -> list[tuple[int, str, str, str | None]]:
        """The cadre's assignments of these kinds for the academic year (an assignment holds for
        its whole year, whenever it was entered; its filing date matters to deadlines only)."""
        return [a for a in self.assigned.get((cadre_id, year), ()) if a[1] in kinds]

    def qualifying(self, cadre_id: int, rule: Rule) -> tuple[list[Row], list[str]]:
        """The cadre's activities that count toward the rule, by date (with their dates)."""
        kinds = rule.target_kinds if rule.scope == "assigned" else ()
        key = (cadre_id, frozenset(rule.categories), rule.face_to_face, rule.scope, kinds)
        found = self._memo.get(key)
        if found is not None:
            return found
        cats = set(rule.categories)
        mine = self.by_cat.get(cadre_id, {})
        rows = [r for c in cats for r in mine.get(c, ())]
        if rule.face_to_face:
            for c, flagged in self.face.get(cadre_id, {}).items():
                if c not in cats:
                    rows.extend(flagged)
        left_out: list[LeftOut] = []
        if rule.scope == "assigned":
            allowed: dict[int, set[int]] = {}
            kept = []
            for r in rows:
                why = self.not_at(r[2], kinds, assigned=True)
                if not why:
                    ids = allowed.get(r[5])
                    if ids is None:
                        ids = allowed[r[5]] = {a[0] for a in self.assigned_to(cadre_id, r[5], kinds)}
                    if r[2] not in ids:
                        why = f"对象不是本人本学年联系的{'、'.join(kinds)}"
                if why:
                    left_out.append((r[0], r[1], r[6], why))
                else:
                    kept.append(r)
            rows = kept
        rows.sort()
        left_out.sort()
        found = (rows, [r[0] for r in rows])
        self._memo[key] = found
        self._left_out[key] = (left_out, [r[0] for r in left_out])
        return found

    def not_at(self, target_id: int | None, kinds: tuple[str, ...], assigned: bool = False) -> str:
        """Why an activity's target is not one of these kinds ("" when it is)."""
        if target_id is None:
            return "未填联系对象" + ("（只计本人联系的对象）" if assigned else "")
        if kinds and self.target_kind.get(target_id) not in kinds:
            return f"对象不是{'、'.join(kinds)}"
        return ""

    def left_out(self, cadre_id: int, rule: Rule) -> tuple[list[LeftOut], list[str]]:
        """The cadre's activities of the rule's categories that its scope leaves out, with why."""
        self.qualifying(cadre_id, rule)
        kinds = rule.target_kinds if rule.scope == "assigned" else ()
        return self._left_out[(cadre_id, frozenset(rule.categories), rule.face_to_face, rule.scope, kinds)]
