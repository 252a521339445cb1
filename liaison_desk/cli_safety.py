"""Commands for data safety: backup, restore, verify."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .cli import add_db_option

    p = sub.add_parser("backup", help="备份台账（SQLite 在线备份，可在程序运行时进行）")
    p.add_argument("--out", type=Path, default=None, help="备份文件；省略时存入备份文件夹并轮换")
    add_db_option(p)
    p = sub.add_parser("restore", help="从备份恢复（先备份当前台账）")
    p.add_argument("file", type=Path)
    add_db_option(p)
    p = sub.add_parser("verify", help="检查数据库与变更日志：是否完好、是否在程序之外被改动")
    p.add_argument("--quick", action="store_true", help="只做快速检查（quick_check）")
    p.add_argument("--anchor", action="append", default=[], metavar="CODE",
                   help="核对纸面上的台账校验码（如 12345-3F9A-C21B-07D4），可多次给出")
    add_db_option(p)
    return {"backup": cmd_backup, "restore": cmd_restore, "verify": cmd_verify}


def cmd_backup(args: argparse.Namespace) -> None:
    from .backup import make_backup
    from .cli import open_ledger

    open_ledger(args)
    out = args.out
    if out is not None and out.exists():
        from .errors import BadInput

        raise BadInput(f"{out} 已存在，不覆盖；请换一个文件名")
    path = make_backup("manual", out=out)
    print(f"已备份到 {path}（{path.stat().st_size / 1024 / 1024:.1f} MB）")


def cmd_restore(args: argparse.Namespace) -> None:
    from .backup import restore
    from .cli import open_ledger

    open_ledger(args)
    safety = restore(args.file)
    print(f"已从 {args.file} 恢复；恢复前的台账已备份到 {safety}")


def cmd_verify(args: argparse.Namespace) -> None:
    from . import settings, storage
    from .anchor import parse_code
    from .errors import BadInput
    from .verify import verify

    for code in args.anchor:
        parse_code(code)  # a mistyped code is bad input before anything is read
    storage.open_database(args.db, create=False)  # the stored policy may be what was tampered with
    if not settings.is_initialised():
        raise BadInput("数据库尚未初始化（请先运行 init --policy …）")
    report = verify(full=not args.quick, anchors=tuple(args.anchor))
    if not report.ok:
        for line in report.problems[:20]:
            print(line, file=sys.stderr)
        more = len(report.problems) - 20
        raise BadInput(f"校验未通过：{report.problems[0]}" + (f"（另有 {more} 处）" if more > 0 else ""))
    print(f"校验通过：数据库完好，{report.checked_rows:,} 条记录与 {report.log_entries:,} 条变更日志相符")
    for code in args.anchor:
        print(f"台账校验码 {code.strip()} 在今天的日志链中：打印之后台账未被改写或截断")
