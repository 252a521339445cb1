"""`clerk add|list|remove|units` (the office's clerks on a server ledger) and `log` (the change
log's latest entries, each with its clerk and login)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .main import Parser, add_db_option

    p = sub.add_parser("clerk", help="经办人账号（服务器台账）：党委办公室与各学院秘书")
    clerk_sub = p.add_subparsers(dest="clerk_command", parser_class=Parser, required=True)
    ca = clerk_sub.add_parser("add", help="添加经办人：一个数据库登录")
    ca.add_argument("login", metavar="登录名", help="数据库登录名，如 wang_jsj")
    who = ca.add_mutually_exclusive_group(required=True)
    who.add_argument("--units", metavar="部门,…", help="学院秘书：只能看到、录入这些部门的干部")
    who.add_argument("--office", action="store_true", help="党委办公室：全部部门，签字、修订、制度、名册")
    ca.add_argument("--name", default="", help="姓名（变更日志里的经办人；默认同登录名）")
    ca.add_argument("--password-stdin", action="store_true",
                    help="从标准输入读一行作为新账号的密码（默认：输入两次，不显示）")
    ca.add_argument("--no-password", action="store_true", help="先不设密码（之后由本人在 psql 用 \\password 设置）")
    add_db_option(ca)
    cl = clerk_sub.add_parser("list", help="列出经办人")
    add_db_option(cl)
    cr = clerk_sub.add_parser("remove", help="删除经办人的登录（其录入的记录保留）")
    cr.add_argument("login", metavar="登录名")
    add_db_option(cr)
    cu = clerk_sub.add_parser("units", help="重新分配学院秘书的部门")
    cu.add_argument("login", metavar="登录名")
    cu.add_argument("units", nargs="+", metavar="部门", help="部门名，可写多个，或用逗号分隔")
    add_db_option(cu)
    p = sub.add_parser("log", help="变更日志：最近的记录，含经办人与登录名")
    p.add_argument("--last", type=int, default=20, metavar="N", help="显示最近 N 条（默认 20）")
    add_db_option(p)
    return {"clerk": cmd_clerk, "log": cmd_log}


def _split(items: list[str] | str) -> list[str]:
    text = ",".join(items) if isinstance(items, list) else items
    return [u.strip() for u in text.replace("，", ",").replace("、", ",").split(",") if u.strip()]


def _password(args: argparse.Namespace) -> str | None:
    from ..errors import BadInput

    if args.no_password:
        return None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("新账号的密码：")
        if getpass.getpass("再输入一次：") != password:
            raise BadInput("两次输入的密码不一致，没有添加经办人")
    if len(password) < 8:
        raise BadInput("密码至少 8 个字符，没有添加经办人")
    return password


def cmd_clerk(args: argparse.Namespace) -> None:
    from ..ledger import clerks
    from .main import open_ledger

    open_ledger(args)
    command = args.clerk_command
    if command == "list":
        for c in clerks.listed():
            role = "党委办公室" if c.office else f"学院秘书：{c.scope}"
            print(f"{c.login}\t{c.name}\t{role}")
        return
    if command == "add":
        clerks.require("clerks")  # before the password is asked
        units = [] if args.office else _split(args.units)
        clerk = clerks.add(args.login, args.office, units, name=args.name, password=_password(args))
        print(f"已添加经办人 {clerk.login}：{clerk.label}")
    elif command == "units":
        clerk = clerks.set_units(args.login, _split(args.units))
        print(f"{clerk.login} 的部门：{clerk.scope}")
    elif command == "remove":
        clerks.remove(args.login)
        print(f"已删除经办人 {args.login.strip()} 的登录；其录入的记录保留")


def cmd_log(args: argparse.Namespace) -> None:
    from ..store import changelog
    from ..store.models import ChangeLog
    from .main import open_ledger

    open_ledger(args)
    entries = ChangeLog.select().order_by(ChangeLog.id.desc()).limit(max(1, args.last))
    for entry in reversed(list(entries)):
        e = changelog.decoded(entry)
        login = f"（登录 {e.login}）" if e.login else ""
        print(f"{e.id}\t{e.at:%Y-%m-%d %H:%M:%S}\t{e.actor}{login}\t{e.action}\t{e.table}#{e.row_id}")
