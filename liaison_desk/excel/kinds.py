"""The kinds of workbook Liaison Desk reads and writes, and their columns: one definition that
the import, the export and the templates share, so what is exported imports back.

Natural keys (how a second import of the same file finds the rows it already wrote):
- cadres: 姓名 (names are unique in the ledger);
- targets: 名称 + 类别;
- assignments: 姓名 + 联系对象（名称 + 类别）+ 学年;
- activities: 姓名 + 日期 + 类别 + 联系对象（名册对象或自由载体）+ 工作简况. Two identical lines
  in one file are two activities (a file with a line twice adds it twice, once); a line whose key
  exists but whose 人数, 天数, 面对面, 发现问题 or a form's own fields (地点 …) differ is a change
  of that activity.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..activity_fields import MAX_VALUE
from ..errors import BadInput
from ..forms import get_form
from ..ledger.form_library import field_labels
from .read import Field


@dataclass
class Exported:
    """What an export wrote: the file, its data rows, and the names left out."""

    path: Path
    rows: int
    hidden: int  # names left out (students in difficulty)


@dataclass(frozen=True)
class Kind:
    id: str
    label: str  # what the clerk calls it
    sheet: str  # the export's sheet name
    title: str  # the export's title (after the school name)
    fields: tuple[Field, ...]
    layouts: tuple[frozenset[str], ...]  # sets of fields that make a header
    key_note: str  # the natural key, for the 说明 sheet

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


INDEX = Field("index", "序号", kind="int", width=6, note="可有可无，导入时不读")

CADRE = Field("cadre", "姓名", ("干部姓名", "领导干部", "干部", "姓 名"), required=True, width=10, limit=30,
              note="与系统中的干部姓名一致；同名时请加以区分，如“王伟（机电）”", example="刘建国")

CADRES = Kind(
    "cadres", "领导干部名册", "干部名册", "领导干部名册",
    (
        CADRE,
        Field("tier", "层级", ("干部层级", "级别", "干部类别"), required=True, kind="center", width=10,
              note="校领导、中层正职或中层副职", example="校领导"),
        Field("unit", "部门", ("单位", "所在部门", "所在单位", "部门（单位）", "工作部门"), width=18,
              note="所在部门或学院；新部门会自动建立", example="校领导班子"),
        Field("position", "职务", ("职位", "现任职务"), width=14, note="印在工作记录表上", example="党委书记"),
        Field("tags", "角色标签", ("标签", "角色"), width=28, limit=200,
              note="用顿号或逗号分隔，如“党委委员、分管学生工作”；检查规则按标签选人", example="党委书记、党委委员"),
        Field("active", "在任", ("是否在任",), kind="center", width=6, note="是 / 否；留空为“是”", example="是"),
    ),
    (frozenset({"cadre", "tier"}),),
    "按“姓名”识别：已有的干部按表中内容更新，没有的新增；同一文件导入两次不会重复。",
)

TARGETS = Kind(
    "targets", "联系对象", "联系对象", "联系对象名册",
    (
        Field("name", "名称", ("联系对象", "对象名称", "名字", "联系对象名称"), required=True, width=24,
              note="班级、宿舍、党支部、困难学生姓名等", example="计算2501班"),
        Field("kind", "类别", ("对象类别", "类型", "联系对象类别"), required=True, kind="center", width=10,
              note="见“选项”中的联系对象类别", example="班级"),
        Field("unit", "部门", ("所属部门", "所属学院", "单位", "学院"), width=20, note="所属部门或学院",
              example="计算机科学与工程学院"),
        Field("note", "备注", ("说明",), kind="wrap", width=30, limit=1000, note="", example=""),
    ),
    (frozenset({"name", "kind"}),),
    "按“名称 + 类别”识别：同一文件导入两次不会重复；部门和备注按表中内容更新。",
)

YEAR = Field("year", "学年", ("联系学年",), kind="center", width=11,
             note="如 2025-2026；没有这一列时，用标题中的学年或导入时指定的学年", example="2025-2026")
FILED = Field("filed_on", "备案日期", ("报备日期", "备案时间"), kind="date", width=12,
              note="联系安排报备的日期；留空为导入当天", example="2025-09-10")


@cache
def roster_columns() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The 对接一览表 columns that list assigned targets: (label, target kinds), from
    forms/sheets/roster.toml (seed 000 annexes 1 and 2)."""
    form = get_form("roster")
    return tuple((c.label, c.target_kinds) for c in form.columns if c.key == "assigned")


def _annex_fields() -> tuple[Field, ...]:
    return tuple(Field(f"annex:{label}", label, (f"联系{label}", f"对接{label}"), kind="wrap", width=18, limit=400,
                       note=f"{'、'.join(kinds)}名称，可填多个，用顿号分隔") for label, kinds in roster_columns())


@cache
def assignments_kind() -> Kind:
    annex = _annex_fields()
    return Kind(
        "assignments", "联系安排", "联系安排", "领导干部联系安排",
        (
            CADRE, YEAR,
            Field("kind", "类别", ("对象类别", "联系对象类别"), kind="center", width=10,
                  note="联系对象的类别", example="班级"),
            Field("target", "联系对象", ("对象名称", "名称", "联系对象名称"), width=24,
                  note="不在名册中的对象会按类别新增", example="计算2501班"),
            Field("role", "角色", ("联系角色", "担任"), kind="center", width=12, limit=30,
                  note="如 名誉班主任", example="名誉班主任"),
            FILED,
            Field("unit", "对象部门", ("对象所属部门",), width=18, note="新增联系对象时记入的部门"),
            *annex,
        ),
        (frozenset({"cadre", "kind", "target"}), *(frozenset({"cadre", f.key}) for f in annex)),
        "按“姓名 + 联系对象 + 学年”识别：同一文件导入两次不会重复；角色和备案日期按表中内容更新。"
        "也接受对接一览表（每位干部一行，列出对接学院、班级、宿舍、困难学生）。",
    )


ACTIVITIES = Kind(
    "activities", "联系活动台账", "台账", "领导干部联系活动台账",
    (
        CADRE,
        Field("date", "日期", ("时间", "活动日期", "联系时间", "日期时间"), required=True, kind="date", width=12,
              note="Excel 日期，或 2025-10-12、2025/10/12、2025.10.12、2025年10月12日", example="2025-10-12"),
        Field("category", "类别", ("活动类别", "联系类别", "联系方式", "类型"), required=True, kind="center", width=12,
              note="见“选项”中的活动类别", example="进宿舍"),
        Field("target", "联系对象", ("载体名称", "群体名称", "联系对象（载体）", "对象", "载体", "联系对象/载体"),
              width=20, limit=100, note="名册中的联系对象，或自由填写的载体名称", example="南苑3栋201"),
        Field("target_kind", "对象类别", ("联系对象类别",), kind="center", width=10,
              note="可不填；填写时按“名称 + 类别”在名册中查找，留空表示自由载体", example="宿舍"),
        Field("summary", "工作简况", ("工作内容", "具体联系情况", "简况", "活动内容", "内容", "联系情况"), kind="wrap",
              width=40, limit=4000, note="最多 4000 字", example="走访宿舍，了解学生生活和安全情况"),
        Field("people", "人数", ("人次", "参加人数", "人数（人次）"), kind="int", width=7, note="人次，整数",
              example="6"),
        Field("days", "天数", ("时长（天）", "驻点天数"), kind="number", width=7,
              note="驻点等按天计的活动，如 0.5"),
        Field("face", "面对面", ("是否面对面",), kind="center", width=8,
              note="是 / 否；留空按类别默认（如进宿舍为“是”）", example="是"),
        Field("problems", "发现问题", ("问题", "发现的问题", "存在问题", "反映问题"), kind="wrap", width=30, limit=4000,
              note="学生反映或发现的问题，最多 4000 字", example=""),
    ),
    (frozenset({"cadre", "date", "category"}),),
    "按“姓名 + 日期 + 类别 + 联系对象 + 工作简况”识别：同一文件导入两次不会重复；人数、天数、面对面、"
    "发现问题按表中内容更新。已签字封存月份的记录不能导入。",
)


EXTRA = "extra."  # a form's own field's column: extra.place, headed by its label (地点)


def activities_kind() -> Kind:
    """ACTIVITIES with a column for each field of a form's own (地点 …) that the forms declare,
    after the fixed ones: exported, imported back, and in the template."""
    own = tuple(Field(EXTRA + key, label, width=16, limit=MAX_VALUE,
                      note=f"记录表另加的栏目（{key}），最多 {MAX_VALUE} 字") for key, label in field_labels().items())
    return replace(ACTIVITIES, fields=ACTIVITIES.fields + own) if own else ACTIVITIES


IMPORT_KINDS = ("cadres", "targets", "assignments", "activities")
EXPORT_KINDS = ("cadres", "targets", "assignments", "roster", "activities", "compliance", "problems")
TEMPLATE_KINDS = ("cadres", "targets", "assignments", "roster", "activities")

ALIASES = {
    "干部": "cadres", "名册": "cadres", "干部名册": "cadres", "领导干部": "cadres",
    "联系对象": "targets", "对象": "targets",
    "联系安排": "assignments", "安排": "assignments",
    "一览表": "roster", "对接一览表": "roster",
    "台账": "activities", "活动": "activities", "联系活动": "activities",
    "达标": "compliance", "达标检查": "compliance",
    "问题清单": "problems", "问题": "problems",
}


def kind_id(text: str, allowed: tuple[str, ...]) -> str:
    """An English kind name or its Chinese alias; roster imports as assignments."""
    kind = ALIASES.get(text.strip(), text.strip())
    if kind == "roster" and "roster" not in allowed and "assignments" in allowed:
        kind = "assignments"
    if kind not in allowed:
        raise BadInput(f"未知的类型“{text}”，可选：{'、'.join(allowed)}")
    return kind

