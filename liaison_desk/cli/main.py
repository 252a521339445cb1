"""The command line (liaison-desk): the same core calls as the GUI, for batch work and tests.

Exit status 0 on success, 2 on bad input (one line on stderr, nothing changed), 1 on an
unexpected error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from .. import __version__
from ..errors import BadInput
from ..ledger import settings
from ..store import storage

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


ARGPARSE_WORDS = [
    ("the following arguments are required", "缺少必填参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("choose from", "可选"),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
]


class Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments as one Chinese line and exit 2."""

    def error(self, message: str) -> NoReturn:
        for english, chinese in ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: 参数错误：{message}\n")


def ledger_target(text: str) -> Path | str:
    """--db: a file, or a server's address (postgresql://USER@HOST[:PORT]/DBNAME), kept as text."""
    from ..store.server import is_url

    return text.strip() if is_url(text) else Path(text)


def add_db_option(p: argparse.ArgumentParser, default: object = argparse.SUPPRESS) -> None:
    p.add_argument("--db", type=ledger_target, default=default, metavar="PATH|URL",
                   help="数据库文件（默认：用户数据文件夹中的 liaison-desk.sqlite3），"
                        "或服务器台账 postgresql://用户@主机[:端口]/数据库（密码取自 PGPASSWORD 或 .pgpass）")


def _number(kind: type, what: str) -> Callable[[str], object]:
    def parse(text: str) -> object:
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}“{text}”不是有效的数") from None
    return parse


def build_parser() -> Parser:
    parser = Parser(prog="liaison-desk", description="联系工作台：领导干部深入基层联系师生工作台账")
    add_db_option(parser, default=None)
    parser.add_argument("--selftest", action="store_true", help="检查安装是否完好")
    parser.add_argument("--version", action="version", version=f"liaison-desk {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    p = sub.add_parser("init", help="新建台账并选择政策预设")
    p.add_argument("--policy", required=True, help="政策预设编号，如 hnust-2025")
    p.add_argument("--school", default="", help="学校名称")
    add_db_option(p)

    p = sub.add_parser("term", help="学期")
    term_sub = p.add_subparsers(dest="term_command", parser_class=Parser, required=True)
    ts = term_sub.add_parser("set", help="设置学期日期与假期")
    ts.add_argument("id", help="学期编号，如 2025-2026-1")
    ts.add_argument("--start", required=True)
    ts.add_argument("--end", required=True)
    ts.add_argument("--holiday", action="append", default=[], metavar="START:END")
    add_db_option(ts)
    tl = term_sub.add_parser("list", help="列出学期")
    add_db_option(tl)

    p = sub.add_parser("cadre", help="领导干部")
    cadre_sub = p.add_subparsers(dest="cadre_command", parser_class=Parser, required=True)
    ca = cadre_sub.add_parser("add", help="添加干部")
    ca.add_argument("name")
    ca.add_argument("--tier", required=True,
                    help="leader / middle_head / middle_deputy（或 校领导 / 中层正职 / 中层副职）")
    ca.add_argument("--unit", default="")
    ca.add_argument("--position", default="")
    ca.add_argument("--tags", default="", help="角色标签，用逗号或顿号分隔")
    add_db_option(ca)

    p = sub.add_parser("target", help="联系对象")
    target_sub = p.add_subparsers(dest="target_command", parser_class=Parser, required=True)
    ta = target_sub.add_parser("add", help="添加联系对象")
    ta.add_argument("name")
    ta.add_argument("--kind", required=True)
    ta.add_argument("--unit", default="")
    add_db_option(ta)

    p = sub.add_parser("assign", help="安排干部联系对象（按学年）")
    p.add_argument("cadre")
    p.add_argument("target")
    p.add_argument("--year", required=True, help="学年，如 2025-2026")
    p.add_argument("--role", default="", help="如 名誉班主任")
    add_db_option(p)

    p = sub.add_parser("activity", help="联系活动")
    act_sub = p.add_subparsers(dest="activity_command", parser_class=Parser, required=True)
    aa = act_sub.add_parser("add", help="登记一次联系活动")
    aa.add_argument("cadre")
    aa.add_argument("--date", required=True)
    aa.add_argument("--category", required=True)
    aa.add_argument("--target", default="", help="名册中的联系对象")
    aa.add_argument("--carrier", default="", help="名册外的载体名称（自由填写）")
    aa.add_argument("--summary", default="")
    aa.add_argument("--people", type=_number(int, "人数"))
    aa.add_argument("--days", type=_number(float, "天数"))
    aa.add_argument("--face-to-face", action="store_true", default=None)
    aa.add_argument("--problems", default="", help="发现问题")
    aa.add_argument("--field", action="append", default=[], metavar="栏目=内容",
                    help="记录表另加的栏目，如 --field 地点=教学楼A101（可重复；栏目写名称或 key）")
    add_db_option(aa)

    p = sub.add_parser("demo", help="生成演示数据")
    p.add_argument("--cadres", type=_number(int, "干部人数"), default=60)
    p.add_argument("--months", type=_number(int, "月数"), default=12)
    p.add_argument("--seed", type=_number(int, "随机种子"), default=1)
    p.add_argument("--end", default=None, metavar="YYYY-MM", help="最后一个月（默认本月）")
    p.add_argument("--policy", default="hnust-2025", help="数据库未初始化时使用的政策预设")
    add_db_option(p)
    for name in COMMAND_MODULES:
        COMMANDS.update(importlib.import_module(f"liaison_desk.cli.{name}").register(sub))
    return parser


# Commands ---------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> None:
    from ..policy import load_preset

    load_preset(args.policy)  # an unknown policy must not leave an empty file behind
    storage.open_database(args.db)
    policy = settings.init(args.policy, args.school)
    print(f"已初始化：{policy.label}，规则 {len(policy.rules)} 条")


def cmd_term(args: argparse.Namespace) -> None:
    from ..calendar import Term, parse_date, parse_holiday

    open_ledger(args)
    if args.term_command == "list":
        for t in settings.terms():
            teaching = sum(w.teaching for w in t.weeks())
            print(f"{t.id}  {t.start} — {t.end}  教学周 {teaching}  假期 {len(t.holidays)} 段")
        return
    term = Term(args.id, parse_date(args.start, "开始日期"), parse_date(args.end, "结束日期"),
                tuple(parse_holiday(h) for h in args.holiday))
    settings.set_term(term)
    weeks = term.weeks()
    print(f"学期 {term.id}：{term.start} — {term.end}，{len(weeks)} 周，其中教学周 {sum(w.teaching for w in weeks)}")


def cmd_cadre(args: argparse.Namespace) -> None:
    from ..ledger.roster import add_cadre

    open_ledger(args)
    cadre = add_cadre(args.name, args.tier, args.unit, args.position, args.tags)
    print(f"已添加干部：{cadre.name}")


def cmd_target(args: argparse.Namespace) -> None:
    from ..ledger.roster import add_target

    open_ledger(args)
    target = add_target(args.name, args.kind, args.unit)
    print(f"已添加联系对象：{target.name}（{target.kind}）")


def cmd_assign(args: argparse.Namespace) -> None:
    from ..ledger.roster import assign

    open_ledger(args)
    a = assign(args.cadre, args.target, args.year, args.role)
    print(f"已安排：{a.cadre.name} → {a.target.name}（{a.year} 学年）")


def _fields(given: list[str]) -> dict[str, str]:
    """--field NAME=VALUE arguments as a dict (the service checks the names)."""
    out: dict[str, str] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"--field 应写成 栏目=内容（收到“{item}”）")
        if name.strip() in out:
            raise BadInput(f"--field 的栏目“{name.strip()}”写了两次")
        out[name.strip()] = value
    return out


def cmd_activity(args: argparse.Namespace) -> None:
    from ..calendar import parse_date
    from ..ledger.activities import ActivityInput, add_activity

    open_ledger(args)
    policy = settings.current_policy()
    activity = add_activity(ActivityInput(
        cadre=args.cadre, date=parse_date(args.date), category=args.category, target=args.target,
        carrier=args.carrier, summary=args.summary, people=args.people, days=args.days,
        face_to_face=args.face_to_face, problems=args.problems, extra=_fields(args.field)), policy)
    print(f"已登记：{args.cadre} {activity.date} {activity.category}")


def cmd_demo(args: argparse.Namespace) -> None:
    import time

    from ..calendar import parse_month
    from ..ledger.demo import generate
    from ..policy import load_preset

    if args.end is not None:
        parse_month(args.end)  # checked before any file is created
    storage.open_database(args.db)
    if not settings.is_initialised():
        load_preset(args.policy)
        settings.init(args.policy)
    started = time.perf_counter()
    result = generate(settings.current_policy(), cadres=args.cadres, months=args.months,
                      seed=args.seed, end=args.end,
                      progress=lambda msg: print(f"… {msg}", file=sys.stderr))
    print(f"演示数据：干部 {result.cadres} 人，{result.months} 个月，活动 {result.activities} 条"
          f"（{time.perf_counter() - started:.1f} 秒）")


def open_ledger(args: argparse.Namespace) -> None:
    storage.open_database(args.db, create=False)
    settings.current_policy()  # refuses an uninitialised file
    # opened to write: a file ledger behind its newest backup is reported
    if args.command not in READ_ONLY_COMMANDS and not storage.is_server():
        from ..store.anchor import warn_on_open

        warning = warn_on_open(Path(args.db) if args.db else None)
        if warning:
            print(f"注意：{warning}", file=sys.stderr)


#: Areas that bring their own commands: each module has `register(sub)`, which adds its
#: subparsers (each with add_db_option) and returns {command name: handler}. Keep heavy imports
#: (openpyxl, reportlab…) inside the handlers, so start-up stays quick.
COMMAND_MODULES: list[str] = [
    "check",
    "safety",
    "problems",
    "paper",
    "excel",
    "forms",
    "server",
    "clerks",
]

COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "init": cmd_init, "term": cmd_term, "cadre": cmd_cadre, "target": cmd_target,
    "assign": cmd_assign, "activity": cmd_activity, "demo": cmd_demo,
}


#: Commands that only read the ledger, and so need not wait for the writer's lock.
#: A backup is a read transaction: it works while the GUI (the writer) has the ledger open.
READ_ONLY_COMMANDS = {"check", "export", "report", "sheet", "verify", "template", "problems", "backup", "log"}


def writer_lock(args: argparse.Namespace) -> Any:
    """One writer at a time: a command that writes waits for the lock (the GUI holds it while
    open) and refuses, saying who holds it, after LIAISON_DESK_LOCK_WAIT seconds (default 10)."""
    revising = args.command == "sheet" and getattr(args, "action", None) in ("revise", "received")
    listing = (getattr(args, "term_command", "") == "list" or getattr(args, "filing_command", "") == "list"
               or getattr(args, "policy_command", "") in ("show", "export")
               or getattr(args, "form_command", "") in ("list", "export"))
    if (args.command in READ_ONLY_COMMANDS and not revising) or listing:
        return None
    from ..store.server import is_url

    if is_url(args.db):  # a server serialises its writers itself: no lock file
        return None
    from ..store.safety import LedgerLock

    lock = LedgerLock(Path(args.db) if args.db else storage.default_db_path())
    lock.require(wait_s=float(os.environ.get("LIAISON_DESK_LOCK_WAIT", "10")))
    return lock


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # bad arguments (2) or --help/--version (0)
        return e.code if isinstance(e.code, int) else EXIT_BAD_INPUT
    try:
        if args.selftest:
            from importlib.util import find_spec

            from .selftest import run
            # the GUI adds its check (QtPdf renders the test page back) when Qt is installed
            gui = importlib.import_module("liaison_desk.gui.selftest_qt").checks() if find_spec("PySide6") else None
            return EXIT_OK if run(gui) else EXIT_ERROR
        if args.command is None:
            from ..gui.app import run_gui
            return run_gui(args.db, argv)
        if args.command == "copy":  # two ledgers, neither of them --db: it opens and checks both itself
            COMMANDS["copy"](args)
            return EXIT_OK
        from .safety import guarded

        guarded(args, COMMANDS[args.command], writer_lock)
        return EXIT_OK
    except BadInput as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped to `head`, which has read enough: stop quietly
        _silence_stdout()
        return EXIT_OK
    except Exception as e:
        from ..failures import explain

        reason = explain(e)  # a read-only folder, a full disk…: one sentence, not a traceback
        if reason:
            print(f"错误：{reason}", file=sys.stderr)
            return EXIT_BAD_INPUT
        traceback.print_exc()
        print("意外错误：请将以上信息发给维护人员", file=sys.stderr)
        return EXIT_ERROR
    finally:
        storage.close_database()


def _silence_stdout() -> None:
    """After a broken pipe, Python would complain again while flushing stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def entry() -> NoReturn:
    sys.exit(main())
