"""The roster (名册): units, cadres, targets and each academic year's assignments."""

from __future__ import annotations

from datetime import date

from ..calendar import parse_year_id
from ..errors import BadInput
from ..names import clean_name, normalise_name
from ..store import changelog
from ..store.models import Assignment, Cadre, Target, Unit, db
from ..store.records import as_dict, clean_text, refuse_unknown, tuples
from ..vocabulary import TIER_BY_LABEL, TIERS, vocabulary


def split_tags(text: str) -> list[str]:
    """Tags as clerks write them: separated by 、 , ， ; or spaces."""
    for sep in ",，;；/ ":
        text = text.replace(sep, "、")
    return [t for t in (p.strip() for p in text.split("、")) if t]


def parse_tier(text: str) -> str:
    text = text.strip()
    if text in TIERS:
        return text
    if text in TIER_BY_LABEL:
        return TIER_BY_LABEL[text]
    choices = "、".join(f"{k}（{v}）" for k, v in TIERS.items())
    raise BadInput(f"未知的层级“{text}”，可选：{choices}")


def get_or_add_unit(name: str) -> Unit | None:
    name = clean_name(name, "部门", 60)
    if not name:
        return None
    unit = Unit.get_or_none(Unit.name == name)
    if unit is None:
        from .clerks import require

        require("units")
        with db.atomic():
            unit = Unit.create(name=name)
            changelog.record("insert", "unit", unit.id, None, as_dict(unit))
    return unit


def find_unit(name: str) -> Unit:
    """A unit already on the roster; an unknown name (a typo) is refused, naming close ones."""
    import difflib

    wanted = normalise_name(name)
    unit = Unit.get_or_none(Unit.name == wanted) or Unit.get_or_none(Unit.name == name.strip())
    if unit is None:
        names = [n for (n,) in tuples(Unit.select(Unit.name))]
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
        hint = f"；相近的有：{'、'.join(close)}" if close else ""
        raise BadInput(f"名册中没有部门“{wanted}”{hint}（确为新部门时请注明新建）")
    return unit


def add_cadre(name: str, tier: str, unit: str = "", position: str = "", tags: str = "") -> Cadre:
    name = clean_name(name, "姓名", 30, required=True)
    tier = parse_tier(tier)
    position = clean_text(position, "职务", 60)
    tag_list = split_tags(clean_text(tags, "角色标签", 200))
    if Cadre.get_or_none(Cadre.name == name):
        raise BadInput(f"干部“{name}”已存在（同名时请加以区分，如“{name}（机电）”）")
    with db.atomic():
        cadre = Cadre.create(name=name, tier=tier, unit=get_or_add_unit(unit), position=position,
                             tags="、".join(tag_list),
                             sort_order=Cadre.select().count())
        changelog.record("insert", "cadre", cadre.id, None, as_dict(cadre))
    return cadre


def find_cadre(name: str) -> Cadre:
    cadre = Cadre.get_or_none(Cadre.name == normalise_name(name)) or Cadre.get_or_none(Cadre.name == name.strip())
    if cadre is None:
        raise BadInput(f"未找到干部“{name}”")
    return cadre


def parse_kind(kind: str) -> str:
    kind = kind.strip()
    kinds = vocabulary().target_kinds
    if kind not in kinds:
        raise BadInput(f"未知的联系对象类别“{kind}”，可选：{'、'.join(kinds)}")
    return kind


def add_target(name: str, kind: str, unit: str = "") -> Target:
    name = clean_name(name, "联系对象名称", 60, required=True)
    kind = parse_kind(kind)
    if Target.get_or_none((Target.name == name) & (Target.kind == kind)):
        raise BadInput(f"联系对象“{name}”（{kind}）已存在")
    with db.atomic():
        target = Target.create(name=name, kind=kind, unit=get_or_add_unit(unit))
        changelog.record("insert", "target", target.id, None, as_dict(target))
    return target


def find_target(name: str, kind: str | None = None) -> Target:
    query = Target.select().where(Target.name.in_({normalise_name(name), name.strip()}))
    if kind:
        query = query.where(Target.kind == kind)
    found = list(query.limit(2))
    if not found:
        raise BadInput(f"未找到联系对象“{name}”")
    if len(found) > 1:
        kinds = "、".join(t.kind for t in query)
        raise BadInput(f"联系对象“{name}”有多个（{kinds}），请注明类别")
    return found[0]


def assign(cadre_name: str, target_name: str, year: str, role: str = "",
           filed_on: date | None = None, kind: str | None = None) -> Assignment:
    year = year.strip()
    parse_year_id(year)
    cadre = find_cadre(cadre_name)
    target = find_target(target_name, kind)
    role = clean_text(role, "角色", 30)
    exists = Assignment.get_or_none((Assignment.cadre == cadre) & (Assignment.target == target)
                                    & (Assignment.year == year))
    if exists:
        raise BadInput(f"{cadre.name} 在 {year} 学年已联系“{target.name}”")
    with db.atomic():
        a = Assignment.create(cadre=cadre, target=target, year=year, role=role,
                              filed_on=filed_on or date.today())
        changelog.record("insert", "assignment", a.id, None, as_dict(a))
    return a


def assignment_years(today: date | None = None) -> list[str]:
    """The academic years the 联系安排 page offers, newest first: the current one, the three
    before it and the next, and every year that has an assignment or a term. Any other year may
    still be typed."""
    from ..calendar import academic_year_of
    from ..store.models import TermRecord

    start = parse_year_id(academic_year_of(today or date.today()))
    years = {f"{y}-{y + 1}" for y in range(start - 3, start + 2)}
    years |= {y for (y,) in tuples(Assignment.select(Assignment.year).distinct())}
    years |= {t[:9] for (t,) in tuples(TermRecord.select(TermRecord.id))}
    return sorted(years, reverse=True)


CADRE_FIELDS = ("name", "tier", "unit", "position", "tags", "active")


def update_cadre(cadre_id: int, changes: dict[str, object]) -> Cadre:
    """Change a cadre's roster entry (one cell of the roster grid); checked, logged."""
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise BadInput("未找到该干部")
    refuse_unknown(changes, CADRE_FIELDS)
    before = as_dict(cadre)
    if "name" in changes:
        name = clean_name(str(changes["name"]), "姓名", 30, required=True)
        clash = Cadre.get_or_none((Cadre.name == name) & (Cadre.id != cadre_id))
        if clash:
            raise BadInput(f"干部“{name}”已存在")
        cadre.name = name
    if "tier" in changes:
        cadre.tier = parse_tier(str(changes["tier"]))
    if "position" in changes:
        cadre.position = clean_text(str(changes["position"]), "职务", 60)
    if "tags" in changes:
        cadre.tags = "、".join(split_tags(clean_text(str(changes["tags"]), "角色标签", 200)))
    if "active" in changes:
        cadre.active = bool(changes["active"])
    with db.atomic():
        if "unit" in changes:
            cadre.unit = get_or_add_unit(str(changes["unit"]))
        cadre.save()
        changelog.record("update", "cadre", cadre.id, before, as_dict(cadre))
    return cadre


MAX_SIGNATURE = 2 * 1024 * 1024


def set_signature(cadre_id: int, image: bytes | None) -> None:
    """Store a cadre's scanned signature (PNG or JPEG, at most 2 MB), or remove it with None."""
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise BadInput("未找到该干部")
    if image is not None:
        if len(image) > MAX_SIGNATURE:
            raise BadInput("签名图片过大（最多 2 MB）")
        if not (image.startswith(b"\x89PNG\r\n\x1a\n") or image.startswith(b"\xff\xd8\xff")):
            raise BadInput("签名图片应为 PNG 或 JPEG 格式")
    before = as_dict(cadre)
    with db.atomic():
        cadre.signature = image
        cadre.save()
        changelog.record("update", "cadre", cadre.id, before, as_dict(cadre))


def update_target(target_id: int, changes: dict[str, object]) -> Target:
    target = Target.get_or_none(Target.id == target_id)
    if target is None:
        raise BadInput("未找到该联系对象")
    before = as_dict(target)
    if "name" in changes:
        target.name = clean_name(str(changes["name"]), "联系对象名称", 60, required=True)
    if "kind" in changes:
        target.kind = parse_kind(str(changes["kind"]))
    clash = Target.get_or_none((Target.name == target.name) & (Target.kind == target.kind) & (Target.id != target_id))
    if clash:
        raise BadInput(f"联系对象“{target.name}”（{target.kind}）已存在")
    with db.atomic():
        if "unit" in changes:
            target.unit = get_or_add_unit(str(changes["unit"]))
        target.save()
        changelog.record("update", "target", target.id, before, as_dict(target))
    return target


def remove_assignment(assignment_id: int) -> None:
    a = Assignment.get_or_none(Assignment.id == assignment_id)
    if a is None:
        raise BadInput("该联系安排已不存在")
    with db.atomic():
        values = as_dict(a)
        a.delete_instance()
        changelog.record("delete", "assignment", assignment_id, values, None)


def roster_list(year: str, kinds_by_column: list[tuple[str, ...]]) -> list[tuple[Cadre, list[list[str]]]]:
    """The 对接一览表 of seed 000's annexes: each active cadre with the names of their assigned
    targets for the year, one list per column (the columns' target kinds)."""
    parse_year_id(year)
    names: dict[tuple[int, str], list[str]] = {}
    for cid, kind, name in tuples(Assignment.select(Assignment.cadre, Target.kind, Target.name).join(Target)
                                  .where(Assignment.year == year).order_by(Assignment.id)):
        names.setdefault((cid, kind), []).append(name)
    result = []
    for cadre in Cadre.select().where(Cadre.active == True).order_by(Cadre.sort_order, Cadre.id):  # noqa: E712
        result.append((cadre, [[n for k in kinds for n in names.get((cadre.id, k), [])] for kinds in kinds_by_column]))
    return result
