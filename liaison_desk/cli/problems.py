"""Commands for the problem list: `problems` to list, `problem …` to record and follow one."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

HIDDEN = "（已隐去）"


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .main import Parser, add_db_option

    p = sub.add_parser("problems", help="问题清单")
    p.add_argument("--status", default="", help="待分办 / 已转办 / 已办结 / 已解释 / 已反馈")
    p.add_argument("--unit", default="", help="承办部门")
    p.add_argument("--cadre", default="", help="反映问题的活动所属干部")
    p.add_argument("--overdue", action="store_true", help="只列逾期未办结的")
    p.add_argument("--as-of", default="", metavar="YYYY-MM-DD", help="判断逾期的日期（默认今天）")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--include-private", action="store_true", help="列出反映人姓名（个人信息）")
    add_db_option(p)

    p = sub.add_parser("problem", help="登记、转办、办结、解释、反馈、重新打开一个问题")
    psub = p.add_subparsers(dest="problem_command", required=True, parser_class=Parser)
    a = psub.add_parser("add", help="登记问题")
    a.add_argument("description")
    a.add_argument("--date", required=True)
    a.add_argument("--category", default="其他")
    a.add_argument("--unit", default="")
    a.add_argument("--urgency", default="一般")
    a.add_argument("--raised-by", default="")
    a.add_argument("--cadre", default="")
    add_db_option(a)
    t = psub.add_parser("transfer", help="转办")
    t.add_argument("id", type=int)
    t.add_argument("--unit", required=True)
    t.add_argument("--new-unit", action="store_true", help="承办部门不在名册中时新建（否则拒绝，以免错字成了新部门）")
    t.add_argument("--due", required=True)
    t.add_argument("--date", required=True)
    t.add_argument("--note", default="")
    add_db_option(t)
    steps = (("solve", "办结（写明办理结果）", True), ("explain", "解释（写明原因及向学生的说明）", True),
             ("answer", "已向学生反馈", False), ("reopen", "重新打开（写明原因）", True))
    for name, help_text, required in steps:
        q = psub.add_parser(name, help=help_text)
        q.add_argument("id", type=int)
        q.add_argument("--date", required=True)
        q.add_argument("--note", required=required, default="")
        add_db_option(q)
    u = psub.add_parser("report-up", help="上报学校党委（列入学期总结）")
    u.add_argument("id", type=int)
    u.add_argument("--undo", action="store_true")
    add_db_option(u)
    return {"problems": cmd_list, "problem": cmd_problem}


def cmd_list(args: argparse.Namespace) -> None:
    from datetime import date

    from ..calendar import parse_date
    from ..errors import BadInput
    from ..ledger.problems import STATUSES, list_problems
    from .main import open_ledger

    open_ledger(args)
    if args.status and args.status not in STATUSES:
        raise BadInput(f"未知的状态“{args.status}”，可选：{'、'.join(STATUSES)}")
    as_of = parse_date(args.as_of, "判断日期") if args.as_of else date.today()
    rows = list_problems(args.status, args.unit, args.cadre, args.overdue, as_of)
    if args.format == "json":
        print(json.dumps([{
            "id": r.id, "description": r.description, "raised_on": r.raised_on.isoformat(),
            "raised_by": r.raised_by if args.include_private or not r.raised_by else HIDDEN,
            "category": r.category, "urgency": r.urgency, "status": r.status, "cadre": r.cadre or None,
            "unit": r.unit or None, "due_on": r.due_on.isoformat() if r.due_on else None,
            "overdue": r.overdue(as_of), "resolution": r.resolution, "activity_id": r.activity_id,
            "reported_up": r.reported_up} for r in rows], ensure_ascii=False, indent=1))
        return
    if not rows:
        print("（没有符合条件的问题）")
        return
    for r in rows:
        late = "【逾期】" if r.overdue(as_of) else ""
        due = f" 期限 {r.due_on}" if r.due_on else ""
        print(f"#{r.id:<5} {r.raised_on} {r.status}{late} {r.category} {r.unit or '（未分办）'}{due}  {r.description}")
    print(f"共 {len(rows)} 条")


def cmd_problem(args: argparse.Namespace) -> None:
    from ..calendar import parse_date
    from ..ledger import problems
    from .main import open_ledger

    open_ledger(args)
    on = parse_date(args.date) if getattr(args, "date", None) else None
    command = args.problem_command
    if command == "add":
        assert on is not None
        p = problems.add_problem(args.description, on, args.category, args.unit, args.urgency, args.raised_by,
                                 args.cadre)
        print(f"已登记问题 #{p.id}")
        return
    if command == "transfer":
        assert on is not None
        p = problems.transfer(args.id, args.unit, parse_date(args.due, "办理期限"), on, args.note,
                              new_unit=args.new_unit)
    elif command == "solve":
        assert on is not None
        p = problems.solve(args.id, on, args.note)
    elif command == "explain":
        assert on is not None
        p = problems.explain(args.id, on, args.note)
    elif command == "answer":
        assert on is not None
        p = problems.answer(args.id, on, args.note)
    elif command == "reopen":
        assert on is not None
        p = problems.reopen(args.id, on, args.note)
    else:
        p = problems.report_up(args.id, not args.undo)
        print(f"问题 #{p.id}：{'已上报学校党委' if p.reported_up else '已取消上报'}")
        return
    print(f"问题 #{p.id}：{p.status}")
