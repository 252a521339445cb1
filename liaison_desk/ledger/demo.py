"""A realistic, deterministic demo ledger: Chinese names, units, targets, plausible activities.

Same arguments and seed, same data. Some cadres are diligent, some fall short of their rules, so
the compliance views have something to show. Bulk rows go in through executemany inside one
transaction (the change log gets one entry per table), so 600 cadres × 120 months — about a
million activities — take well under a minute.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..calendar import Term, month_bounds, months_between, parse_month
from ..errors import BadInput
from ..policy import Policy
from ..store import changelog
from ..store.models import Activity, Assignment, Cadre, Problem, ProblemEvent, Sheet, Target, TermRecord, Unit, db
from ..store.sql import as_date, insert_rows, run
from . import settings

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宏海燕波宁健斌林峰晨雪丹"
    "琳颖欣博文浩然宇轩梓涵子墨思远嘉怡雨泽俊杰晓东春梅德胜永红立新光明振华卫东"
)
#: College, its students' class prefix (机械2301班), one of its teaching-research sections.
COLLEGE_INFO = [
    ("机电工程学院", "机械", "机械设计"), ("信息与电气工程学院", "电气", "电气工程"),
    ("计算机科学与工程学院", "计科", "软件工程"), ("土木工程学院", "土木", "结构工程"),
    ("化学化工学院", "化工", "化学工程"), ("材料科学与工程学院", "材料", "材料物理"),
    ("资源环境与安全工程学院", "安全", "安全工程"), ("数学与计算科学学院", "数学", "高等数学"),
    ("物理与电子科学学院", "物理", "大学物理"), ("生命科学与健康学院", "生物", "生物技术"),
    ("商学院", "会计", "会计学"), ("法学与公共管理学院", "行管", "行政管理"),
    ("马克思主义学院", "思政", "思想政治理论课"), ("人文学院", "汉语", "汉语言文学"),
    ("外国语学院", "英语", "大学英语"), ("教育学院", "教育", "教育学"), ("艺术学院", "音乐", "音乐学"),
    ("体育学院", "体育", "公共体育"), ("建筑与艺术设计学院", "建筑", "建筑设计"),
    ("地球科学与空间信息工程学院", "测绘", "测绘工程"),
]
COLLEGES = [c for c, _cls, _sec in COLLEGE_INFO]
OFFICES = [
    ("党政办公室", "党委工作部门"), ("组织部", "党委工作部门"), ("宣传部", "党委工作部门"),
    ("学生工作部", "学生工作部门"), ("研究生院", "学生工作部门"), ("校团委", "学生工作部门"),
    ("基建后勤处", "学生工作部门"), ("本科生院", "本科生院"), ("人事处", "职能部门"),
    ("财务处", "职能部门"), ("科学技术处", "职能部门"), ("保卫处", "职能部门"), ("图书馆", "直属单位"),
]
COURSES = ["思想道德与法治", "中国近现代史纲要", "马克思主义基本原理", "毛泽东思想和中国特色社会主义理论体系概论",
           "习近平新时代中国特色社会主义思想概论", "形势与政策"]
LEADER_POSTS = [
    ("党委书记", ["党委书记", "党委委员", "中共党员"]), ("校长", ["校长", "党委委员", "中共党员"]),
    ("党委副书记", ["党委副书记", "党委委员", "分管学生工作", "中共党员"]),
    ("党委副书记", ["党委副书记", "党委委员", "中共党员"]),
    ("副校长", ["副校长", "党委委员", "分管教学工作", "中共党员"]),
    ("副校长", ["副校长", "党委委员", "分管基建后勤", "中共党员"]),
    ("副校长", ["副校长", "党委委员", "分管研究生工作", "中共党员"]),
    ("副校长", ["副校长", "分管保卫工作", "中共党员"]),
    ("纪委书记", ["党委委员", "中共党员"]), ("副校长", ["副校长", "中共党员"]),
]
#: What a cadre wrote about an activity at a roster target ({t}: the target's name).
SUMMARY = {
    "联系党总支": ["参加{t}中心组学习，督促落实全面从严治党责任", "到{t}检查“三会一课”落实情况"],
    "联系院系班子": ["出席{t}党政联席会议，研究学科建设与学生工作", "在{t}驻点办公，听取班子工作汇报"],
    "联系党支部": ["参加{t}组织生活会，带头开展批评与自我批评", "指导{t}开展发展党员工作"],
    "联系教研室": ["参加{t}集体备课，交流课程思政做法", "到{t}听取教学改革情况汇报"],
    "联系青年教师": ["与青年教师{t}谈心，了解职业发展规划", "关心青年教师{t}入党申请进展"],
    "进课堂": ["听《{t}》课，课后与任课教师交流教学方法", "随堂听《{t}》课，了解学生到课率和课堂互动"],
    "进班级": ["参加{t}主题团日活动，与同学交流学习计划", "到{t}了解班风学风建设情况"],
    "进宿舍": ["走访{t}宿舍，了解学生生活和安全情况", "到{t}宿舍与学生座谈，关心毕业生就业准备"],
    "进社团": ["参加{t}活动，鼓励学生发挥特长", "指导{t}骨干培训"],
    "谈心谈话": ["与{t}谈心谈话，了解思想和学习情况", "与{t}谈心，了解家庭经济困难和学业情况"],
    "听取汇报": ["听取{t}关于组织生活和发展党员的工作汇报"],
    "主题班会": ["参加{t}主题班会"],
    "党课": ["为{t}党员讲授专题党课"],
}
#: The same, for an activity without a roster target: whole sentences, no name left out.
GENERAL = {
    "联系党总支": ["参加学院党总支理论学习中心组学习"],
    "联系院系班子": ["参加学院党政联席会议，研究学生工作"],
    "联系党支部": ["参加学生党支部主题党日活动", "为学生党员讲授专题党课"],
    "联系教研室": ["参加教研室集体备课，交流课程思政做法"],
    "联系青年教师": ["与青年教师座谈，了解职业发展困惑"],
    "进课堂": ["随堂听课，了解学生到课率和课堂互动", "听思想政治理论课，课后与任课教师交流"],
    "进班级": ["到班级了解班风学风建设情况", "参加班级主题团日活动，与同学交流学习计划"],
    "进宿舍": ["走访学生宿舍，了解学生生活和安全情况", "到学生宿舍检查安全隐患，与同学聊生活"],
    "进食堂": ["在食堂与学生共进午餐，听取对伙食的意见", "与学生共进晚餐，了解饭菜价格和质量"],
    "进社团": ["参加学生社团活动，鼓励学生发挥特长", "指导学生社团骨干培训"],
    "进讲座": ["为学生讲授形势与政策课", "作思想政治理论专题报告"],
    "进网络": ["浏览校长信箱并回复学生留言", "在班级微信群解答学生关于奖助学金的疑问"],
    "谈心谈话": ["与学生谈心，疏导考研压力", "与毕业班学生谈心，了解就业准备情况"],
    "听取汇报": ["听取学生工作部关于学生资助工作的汇报"],
    "座谈会": ["召开学生代表座谈会，听取意见建议"],
    "主题班会": ["参加毕业班主题班会，讲诚信与就业"],
    "党课": ["为学生党员讲授专题党课"],
    "调查研究": ["到学生公寓开展住宿条件专题调研"],
    "专题会议": ["召开学生工作专题会议，研究学生心理健康工作"],
    "驻点办公": ["到学院驻点办公半天，协调解决实验室建设问题"],
}
PROBLEMS = ["宿舍热水供应不稳定", "自习室座位不足", "食堂晚餐窗口开放少", "校园网晚间速度慢",
            "实验课程安排与考试冲突", "体育场馆开放时间短", "快递点排队时间长"]

# Monthly activity plans per tier: (category, expected count a month).
PLAN = {
    "leader": [("联系党总支", 1.1), ("联系院系班子", 1.1), ("联系党支部", 1.1), ("联系教研室", 1.0),
               ("联系青年教师", 1.0), ("进课堂", 1.4), ("进班级", 0.8), ("进宿舍", 1.3), ("进食堂", 1.3),
               ("进社团", 0.6), ("进讲座", 0.6), ("进网络", 1.0), ("谈心谈话", 2.0), ("听取汇报", 0.5),
               ("座谈会", 0.4), ("党课", 0.2), ("驻点办公", 1.0), ("调查研究", 0.2)],
    "middle": [("进课堂", 1.9), ("进班级", 1.0), ("进宿舍", 2.1), ("进食堂", 1.7), ("进社团", 0.6),
               ("进讲座", 0.4), ("进网络", 1.3), ("谈心谈话", 4.8), ("主题班会", 0.4), ("听取汇报", 0.6),
               ("联系党支部", 1.1), ("专题会议", 0.7), ("座谈会", 0.3)],
}


@dataclass
class DemoResult:
    cadres: int
    activities: int
    months: int


def _unique_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _term_dates(year: int) -> list[Term]:
    """Plausible terms: early September to mid January, late February to early July."""
    def monday_near(d: date) -> date:
        return d + timedelta(days=(7 - d.weekday()) % 7)
    t1_start = monday_near(date(year, 9, 1))
    t2_start = monday_near(date(year + 1, 2, 24))
    t1 = Term(f"{year}-{year + 1}-1", t1_start, t1_start + timedelta(weeks=19, days=-1),
              ((date(year, 10, 1), date(year, 10, 7)),))
    t2 = Term(f"{year}-{year + 1}-2", t2_start, t2_start + timedelta(weeks=19, days=-1),
              ((date(year + 1, 5, 1), date(year + 1, 5, 5)),))
    return [t1, t2]


def generate(policy: Policy, cadres: int = 60, months: int = 12, seed: int = 1,
             end: str | None = None, progress: Callable[[str], None] | None = None) -> DemoResult:
    """Fill an initialised, empty ledger with demo data ending in month `end` (default: this month)."""
    if not 1 <= cadres <= 5000:
        raise BadInput("干部人数应在 1 到 5000 之间")
    if not 1 <= months <= 240:
        raise BadInput("月数应在 1 到 240 之间")
    if Cadre.select().exists() or Activity.select().exists():
        raise BadInput("数据库中已有干部或活动记录；演示数据只能写入空的台账")
    end = end or date.today().strftime("%Y-%m")
    ey, em = parse_month(end)
    total = ey * 12 + em - 1 - (months - 1)
    first_month = f"{total // 12:04d}-{total % 12 + 1:02d}"
    month_list = months_between(month_bounds(first_month)[0], month_bounds(end)[0])
    rng = random.Random(seed)
    say = progress or (lambda _msg: None)
    now = datetime.now().isoformat(sep=" ", timespec="seconds")
    with db.atomic():
        say("学期与名册")
        first_year = int(first_month[:4]) - (1 if int(first_month[5:]) < 9 else 0)
        last_year = ey - (1 if em < 9 else 0)
        years = list(range(first_year, last_year + 1))
        for y in years:
            for term in _term_dates(y):
                if not TermRecord.get_or_none(TermRecord.id == term.id):
                    settings.set_term(term)
        unit_rows = [("校领导班子", "校领导")] + [(c, "教学院") for c in COLLEGES] + OFFICES
        # Each table's rows by the ids the database returned: exactly these are logged (on a
        # server another clerk's rows may be inserted meanwhile; they are not this write's).
        inserted: dict[str, list[int]] = {}
        inserted["unit"] = insert_rows("unit", ("name", "kind"), unit_rows)
        unit_id = {name: uid for uid, (name, _kind) in zip(inserted["unit"], unit_rows, strict=True)}

        names = _unique_names(rng, cadres)
        cadre_rows = []
        for i, name in enumerate(names):
            cadre_rows.append((name, *_cadre_profile(i, cadres, rng), i))
        inserted["cadre"] = insert_rows(
            "cadre", ("name", "unit_id", "position", "tier", "tags", "active", "sort_order"),
            [(n, unit_id[u], p, t, "、".join(tags), True, o) for n, u, p, t, tags, o in cadre_rows])
        cadre_info = [(cid, t, unit_id[u]) for cid, (_n, u, _p, t, _tags, _o)
                      in zip(inserted["cadre"], cadre_rows, strict=True)]

        say("联系对象")
        targets = _targets(rng, unit_id, names)
        inserted["target"] = insert_rows("target", ("name", "kind", "unit_id", "note"),
                                         [(*t, "") for t in targets])
        by_kind: dict[str, list[int]] = {}
        for tid, (_name, kind, _unit) in zip(inserted["target"], targets, strict=True):
            by_kind.setdefault(kind, []).append(tid)
        target_name = {tid: t[0] for tid, t in zip(inserted["target"], targets, strict=True)}

        say("联系安排")
        assigned = _assignments(rng, cadre_info, by_kind, years)
        inserted["assignment"] = insert_rows("assignment", ("cadre_id", "target_id", "year", "role", "filed_on"),
                                             assigned)
        mine: dict[tuple[int, str], dict[str, list[int]]] = {}
        kind_of = {tid: k for k, ids in by_kind.items() for tid in ids}
        for cid, tid, year, _role, _filed in assigned:
            mine.setdefault((cid, year), {}).setdefault(kind_of[tid], []).append(tid)

        say("联系活动")
        activity_ids: list[int] = []
        for batch in _activity_batches(rng, cadre_info, month_list, mine, by_kind, target_name, now):
            activity_ids += insert_rows("activity", (
                "cadre_id", "date", "category", "target_id", "carrier", "summary", "people", "days",
                "face_to_face", "problems", "created_at", "updated_at"), batch)
        inserted["activity"] = activity_ids
        count = len(activity_ids)

        say("工作记录表")
        last_month_end = month_bounds(end)[1]
        sheets: list[tuple[int, str, str, str | None]] = []
        for cid, tier, _u in cadre_info:
            form = policy.forms[tier]
            for m in month_list:
                submitted = month_bounds(m)[1] + timedelta(days=rng.randint(1, 12))
                if rng.random() < 0.04 or submitted > last_month_end:
                    sheets.append((cid, m, form, None))
                else:
                    sheets.append((cid, m, form, submitted.isoformat()))
        inserted["sheet"] = insert_rows(
            "sheet", ("cadre_id", "month", "form", "status", "fields", "submitted_on", "content_hash", "revision"),
            [(cid, m, form, "draft", "{}", submitted, "", 0) for cid, m, form, submitted in sheets])
        say("问题清单")
        inserted["problem"], inserted["problem_event"] = _problems(
            rng, last_month_end, [u for u, _k in OFFICES], inserted["activity"])

        say("变更日志")
        for table, model in (("unit", Unit), ("cadre", Cadre), ("target", Target), ("assignment", Assignment),
                             ("activity", Activity), ("sheet", Sheet), ("problem", Problem),
                             ("problem_event", ProblemEvent)):
            changelog.log_inserted(model, table, inserted[table])
    return DemoResult(cadres=cadres, activities=count, months=len(month_list))


def _problems(rng: random.Random, today: date, offices: list[str],
              activity_ids: list[int]) -> tuple[list[int], list[int]]:
    """Every 发现问题 of the demo's activities on the list, with a plausible life: old ones mostly
    closed and answered, recent ones waiting or with a unit, a few past their due date. Returns
    the ids of the problems and their events."""
    unit_id = {name: uid for uid, name in run("SELECT id, name FROM unit")}
    ours = set(activity_ids)
    rows = [r for r in run("SELECT id, cadre_id, date, problems FROM activity WHERE problems != '' "
                           "AND id BETWEEN ? AND ? ORDER BY id", (min(ours, default=0), max(ours, default=0)))
            if r[0] in ours]
    now = datetime.now().isoformat(sep=" ", timespec="seconds")
    categories = {"热水": "后勤", "食堂": "后勤", "自习": "学习", "网": "生活", "实验": "学习", "体育": "生活",
                  "快递": "生活"}
    problems: list[tuple[Any, ...]] = []
    steps_of: list[list[tuple[str, date, int | None, date | None, str]]] = []
    for aid, cid, when, text in rows:
        raised = as_date(when)
        age = (today - raised).days
        category = next((c for k, c in categories.items() if k in text), "其他")
        unit = unit_id[rng.choice(offices)]
        steps: list[tuple[str, date, int | None, date | None, str]] = [("待分办", raised, None, None, "登记")]
        roll = rng.random()
        if age > 3 and roll < 0.9:
            sent = raised + timedelta(days=rng.randint(1, 3))
            due = sent + timedelta(days=rng.choice((7, 14, 30)))
            steps.append(("已转办", sent, unit, due, "请研究办理"))
            if age > 20 and roll < 0.8:
                done = min(sent + timedelta(days=rng.randint(2, 25)), today)
                outcome = "已办结" if rng.random() < 0.8 else "已解释"
                note = "已协调解决" if outcome == "已办结" else "条件暂不具备，已说明"
                steps.append((outcome, done, None, None, note))
                if rng.random() < 0.85:
                    steps.append(("已反馈", min(done + timedelta(days=rng.randint(1, 5)), today), None, None,
                                  "已向学生反馈"))
        status, _on, _u, _d, note = steps[-1]
        transferred = next((s for s in steps if s[0] == "已转办"), None)
        resolution = next((s[4] for s in steps if s[0] in ("已办结", "已解释")), "")
        problems.append((aid, cid, text, "", when, category, transferred[2] if transferred else None, "一般", status,
                         transferred[3].isoformat() if transferred and transferred[3] else None, resolution, now,
                         status == "已解释" and rng.random() < 0.3))
        steps_of.append(steps)
    ids = insert_rows("problem", ("activity_id", "cadre_id", "description", "raised_by", "raised_on", "category",
                                  "unit_id", "urgency", "status", "due_on", "resolution", "updated_at", "reported_up"),
                      problems)
    events = [(pid, on.isoformat(), st, u, d.isoformat() if d else None, n, "demo", now)
              for pid, steps in zip(ids, steps_of, strict=True) for st, on, u, d, n in steps]
    return ids, insert_rows("problem_event", ("problem_id", "on", "status", "unit_id", "due_on", "note", "actor", "at"),
                            events)


def _cadre_profile(i: int, n: int, rng: random.Random) -> tuple[str, str, str, list[str]]:
    """(unit, position, tier, tags) for the i-th of n cadres: a few leaders, then the middle."""
    leaders = max(1, min(len(LEADER_POSTS), n // 40 + 2))
    if i < leaders:
        post, tags = LEADER_POSTS[i]
        return "校领导班子", post, "leader", list(tags)
    j = i - leaders
    # About five cadres a unit, so even a small demo has heads and deputies.
    all_units = COLLEGES + [o for o, _k in OFFICES]
    units = all_units[:max(2, min(len(all_units), (n - leaders) // 5))]
    unit = units[j % len(units)]
    slot = j // len(units)
    college = unit in COLLEGES
    kind = "教学院" if college else dict(OFFICES)[unit]
    tags = ["中共党员"] if rng.random() < 0.9 else []
    if college:
        tags.append("教学院")
    elif kind in ("党委工作部门", "学生工作部门", "本科生院"):
        tags.append(kind)
    if slot == 0:
        position, tier = ("党委书记" if college else "部长" if "部" in unit else "处长"), "middle_head"
        tags.append("主要负责人")
    elif slot == 1 and college:
        position, tier = "院长", "middle_head"
        tags.append("主要负责人")
    elif slot == 2 and college:
        position, tier = "党委副书记", "middle_deputy"
        tags.append("分管学生工作")
    else:
        position = "副院长" if college else ("副部长" if "部" in unit else "副处长")
        tier = "middle_deputy"
    return unit, position, tier, tags


def _targets(rng: random.Random, unit_id: dict[str, int], names: list[str]) -> list[tuple[str, str, int | None]]:
    rows: list[tuple[str, str, int | None]] = []
    for c, cls, section in COLLEGE_INFO:
        u = unit_id[c]
        rows += [(c, "教学院", u), (f"{c}党总支", "党总支", u), (f"{c}领导班子", "院系班子", u)]
        rows += [(f"{c}学生第{k}党支部", "党支部", u) for k in "一二三"]
        rows += [(f"{c}教工党支部", "党支部", u), (f"{c}{section}教研室", "教研室", u)]
        rows += [(f"{cls}{g}0{k}班", "班级", u) for g in (23, 24, 25) for k in range(1, 5)]
        rows += [(f"{c}青年志愿者协会", "社团", u)]
    for b in range(1, 21):
        rows += [(f"南苑{b}栋{f}0{r}", "宿舍", None) for f in (2, 4) for r in (1, 3)]
    for course in COURSES:
        rows.append((course, "思政课", unit_id["马克思主义学院"]))
    used = set(names)
    people = [p for p in _unique_names(rng, 1200) if p not in used]
    for k, person in enumerate(people[:400]):
        rows.append((person, "青年教师", unit_id[COLLEGES[k % len(COLLEGES)]]))
    for k, person in enumerate(people[400:800]):
        rows.append((person, "困难学生", unit_id[COLLEGES[k % len(COLLEGES)]]))
    for k, person in enumerate(people[800:1100]):
        rows.append((person, "个人", unit_id[COLLEGES[k % len(COLLEGES)]]))
    return rows


def _assignments(rng: random.Random, cadre_info: list[tuple[int, str, int]],
                 by_kind: dict[str, list[int]], years: list[int]) -> list[tuple[int, int, str, str, str]]:
    rows = []
    wanted = {"leader": [("教学院", 1), ("党总支", 1), ("院系班子", 1), ("党支部", 1), ("教研室", 1),
                         ("青年教师", 1), ("班级", 1), ("宿舍", 1), ("社团", 1), ("困难学生", 1), ("个人", 2)],
              "middle": [("班级", 1), ("宿舍", 1), ("困难学生", 1), ("党支部", 1), ("个人", 2)]}
    roles = {"班级": "名誉班主任", "党支部": "联系党支部"}
    for y in years:
        filed = date(y, 9, rng.randint(5, 20)).isoformat()
        for cid, tier, _u in cadre_info:
            plan = wanted["leader" if tier == "leader" else "middle"]
            if rng.random() < 0.05:  # a few forget to link a class
                plan = [p for p in plan if p[0] != "班级"]
            for kind, n in plan:
                for tid in rng.sample(by_kind[kind], n):
                    rows.append((cid, tid, f"{y}-{y + 1}", roles.get(kind, ""), filed))
    return rows


def _activity_batches(rng: random.Random, cadre_info: list[tuple[int, str, int]], months: list[str],
                      mine: dict[tuple[int, str], dict[str, list[int]]], by_kind: dict[str, list[int]],
                      target_name: dict[int, str], now: str) -> Iterator[list[tuple[object, ...]]]:
    from ..vocabulary import vocabulary
    face = {name: c.face_to_face for name, c in vocabulary().categories.items()}
    cat_kinds = {name: c.target_kinds for name, c in vocabulary().categories.items()}
    diligence = {cid: rng.choice((0.35, 0.6, 0.85, 1.0, 1.0, 1.1, 1.2, 1.3)) for cid, _t, _u in cadre_info}
    rand = rng.random
    for month in months:
        first, last = month_bounds(month)
        span = (last - first).days + 1
        season = 0.3 if month[5:] in ("02", "08") else 0.6 if month[5:] == "07" else 1.0
        batch: list[tuple[object, ...]] = []
        for cid, tier, _u in cadre_info:
            year = f"{first.year - (first.month < 9)}-{first.year - (first.month < 9) + 1}"
            links = mine.get((cid, year), {})
            scale = diligence[cid] * season
            for category, mean in PLAN["leader" if tier == "leader" else "middle"]:
                expected = mean * scale
                n = int(expected) + (1 if rand() < expected - int(expected) else 0)
                for _ in range(n):
                    day = first + timedelta(days=int(rand() * span))
                    tid = None
                    for kind in cat_kinds[category]:
                        pool = links.get(kind) or (by_kind.get(kind) if kind == "思政课" else None)
                        if pool:
                            tid = pool[int(rand() * len(pool))]
                            break
                    if tid and category in SUMMARY:
                        options = SUMMARY[category]
                        text = options[int(rand() * len(options))].format(t=target_name[tid])
                    else:
                        options = GENERAL.get(category) or [f"开展{category}活动"]
                        text = options[int(rand() * len(options))]
                    people = (1 + int(rand() * 3)) if category == "谈心谈话" else (
                        int(10 + rand() * 40) if category in ("进讲座", "座谈会", "党课") else None)
                    days = 0.5 if category == "驻点办公" else None
                    problem = PROBLEMS[int(rand() * len(PROBLEMS))] if rand() < 0.03 else ""
                    batch.append((cid, day.isoformat(), category, tid, "", text, people, days,
                                  bool(face[category]), problem, now, now))
        yield batch


def demo_summary() -> dict[str, int]:
    return {name: model.select().count() for name, model in
            (("干部", Cadre), ("联系对象", Target), ("联系安排", Assignment), ("活动", Activity),
             ("记录表", Sheet), ("部门", Unit))}

