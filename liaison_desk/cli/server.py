"""`server init`: prepare an empty database on a PostgreSQL server to hold the ledger."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .main import Parser, add_db_option, ledger_target

    p = sub.add_parser("server", help="服务器台账（PostgreSQL）")
    server_sub = p.add_subparsers(dest="server_command", parser_class=Parser, required=True)
    si = server_sub.add_parser("init", help="在服务器上的空数据库中建立台账的表（之后用 init 选择政策）")
    add_db_option(si)
    p = sub.add_parser("copy", help="复制整个台账（SQLite 文件与 PostgreSQL 服务器之间，任一方向），含变更日志")
    p.add_argument("--from", dest="source", required=True, type=ledger_target, metavar="PATH|URL", help="源台账")
    p.add_argument("--to", dest="target", required=True, type=ledger_target, metavar="PATH|URL",
                   help="目标：新文件，或服务器上的空数据库")
    return {"server": cmd_server, "copy": cmd_copy}


def cmd_copy(args: argparse.Namespace) -> None:
    import sys
    import time

    from ..store.copy import copy_ledger
    from ..store.server import describe, is_url

    started = time.perf_counter()
    copied = copy_ledger(args.source, args.target, progress=lambda msg: print(f"… {msg}", file=sys.stderr))
    where = describe(args.target) if is_url(args.target) else str(args.target)
    print(f"已复制到 {where}：{sum(copied.rows.values()):,} 条记录（其中变更日志 {copied.log_entries:,} 条），"
          f"副本校验通过（{time.perf_counter() - started:.1f} 秒）")


def cmd_server(args: argparse.Namespace) -> None:
    from ..errors import BadInput
    from ..store import server, storage

    if not server.is_url(args.db):
        raise BadInput("server init 需要服务器地址：--db postgresql://用户@主机[:端口]/数据库")
    url = server.check_url(args.db)
    database = storage.open_server(url, create=True)
    tables = len(database.get_tables())
    print(f"服务器台账已就绪：{server.describe(url)}，{tables} 张表，版本 {storage.SCHEMA_VERSION}")
    print(f"下一步：liaison-desk --db {url} init --policy <政策预设>，或用 copy 把现有台账复制上来")
