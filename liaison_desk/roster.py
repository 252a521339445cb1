"""The roster (名册): units, cadres, targets and each academic year's assignments."""

from __future__ import annotations

from datetime import date

from . import changelog
from .calendar import parse_year_id
from .errors import BadInput
from .models import Assignment, Cadre, Target, Unit, db
from .records import as_dict, clean_text
from .vocabulary import TIER_BY_LABEL, TIERS, vocabulary


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
    name = clean_text(name, "部门", 60)
    if not name:
        return None
    unit = Unit.get_or_none(Unit.name == name)
    if unit is None:
        with db.atomic():
            unit = Unit.create(name=name)
            changelog.record("insert", "unit", unit.id, None, as_dict(unit))
    return unit


def add_cadre(name: str, tier: str, unit: str = "", position: str = "", tags: str = "") -> Cadre:
    name = clean_text(name, "姓名", 30, required=True)
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
    cadre = Cadre.get_or_none(Cadre.name == name.strip())
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
    name = clean_text(name, "联系对象名称", 60, required=True)
    kind = parse_kind(kind)
    if Target.get_or_none((Target.name == name) & (Target.kind == kind)):
        raise BadInput(f"联系对象“{name}”（{kind}）已存在")
    with db.atomic():
        target = Target.create(name=name, kind=kind, unit=get_or_add_unit(unit))
        changelog.record("insert", "target", target.id, None, as_dict(target))
    return target


def find_target(name: str, kind: str | None = None) -> Target:
    query = Target.select().where(Target.name == name.strip())
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
           filed_on: date | None = None) -> Assignment:
    parse_year_id(year)
    cadre = find_cadre(cadre_name)
    target = find_target(target_name)
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
