"""`server init`: prepare an empty database on a PostgreSQL server to hold the ledger."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .main import Parser, add_db_option

    p = sub.add_parser("server", help="服务器台账（PostgreSQL）")
    server_sub = p.add_subparsers(dest="server_command", parser_class=Parser, required=True)
    si = server_sub.add_parser("init", help="在服务器上的空数据库中建立台账的表（之后用 init 选择政策）")
    add_db_option(si)
    return {"server": cmd_server}


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
