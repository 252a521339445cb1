"""Is the ledger's schema the one the program made? A trigger added with another tool can drop or
change rows as they are written while the program reports success; an extra index or a changed
column can refuse writes. `verify` compares the file's tables, columns, indexes, triggers and
views with those the program's own migrations create on an empty database."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from peewee import SchemaManager, SqliteDatabase, sort_models  # type: ignore[attr-defined]

from .models import db

Schema = dict[tuple[str, str], str]  # (type, name) → what matters about it


def _describe(database: SqliteDatabase) -> Schema:
    out: Schema = {}
    rows = database.execute_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    for kind, name, table, sql in rows:
        if kind == "table":
            cols = database.execute_sql(f'PRAGMA table_info("{name}")').fetchall()
            out[(kind, name)] = ", ".join(f"{c[1]} {c[2]}{' NOT NULL' if c[3] else ''}" for c in cols)
        else:  # index, trigger, view: their SQL says it all
            out[(kind, name)] = re.sub(r"\s+", " ", sql or f"auto {table}").strip()
    return out


@cache
def expected() -> Schema:
    """The schema the program creates, built once on a scratch in-memory database from the
    models' own DDL (made through the scratch database's SQL context: nothing is rebound, so other
    threads' queries are untouched)."""
    from .models import CURRENT_MODELS, BaseModel

    models: list[type[BaseModel]] = sort_models(CURRENT_MODELS)
    scratch = SqliteDatabase(":memory:")
    try:
        for model in models:
            manager: Any = SchemaManager(model, scratch)  # SQLite's DDL, whichever engine the ledger is on
            for query in [manager._create_table(safe=False), *manager._create_indexes(safe=False)]:
                sql, params = scratch.get_sql_context().sql(query).query()
                scratch.execute_sql(sql, params)
        return _describe(scratch)
    finally:
        scratch.close()


def _describe_server(database: Any) -> Schema:
    """A server's tables (by their columns' names), indexes, triggers and views, by name."""
    out: Schema = {}
    rows = database.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY table_name, ordinal_position").fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    views = {name for (name,) in database.execute_sql(
        "SELECT viewname FROM pg_views WHERE schemaname = current_schema()").fetchall()}
    for table, names in columns.items():
        out[("view" if table in views else "table", table)] = ", ".join(names)
    for (name,) in database.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%%_pkey'"):
        out[("index", name)] = ""
    for (name,) in database.execute_sql(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = current_schema()"):
        out[("trigger", name)] = ""
    for name, body in database.execute_sql(  # the rights' functions (#19), by what they do
            "SELECT p.proname, md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'liaison%%'"):
        out[("function", name)] = body
    return out


def _rights_on_server() -> Schema:
    """What the clerks' rights add to a server ledger once installed (rights.py)."""
    from . import rights

    if not rights.installed():
        return {}
    out: Schema = {("function", name): body for name, body in rights.expected_functions().items()}
    out.update({("trigger", name): "" for name in rights.TRIGGERS})
    return out


def _as_on_server(schema: Schema) -> Schema:
    """The program's schema as `_describe_server` sees it: tables by column names, indexes by name."""
    out: Schema = {}
    for (kind, name), what in schema.items():
        out[(kind, name)] = ", ".join(c.split(" ")[0] for c in what.split(", ")) if kind == "table" else ""
    return out


KINDS = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图", "function": "函数"}


def problems() -> list[str]:
    """Differences between the open ledger's schema and the program's, in Chinese."""
    from .sql import on_server

    if on_server():
        want, have = {**_as_on_server(expected()), **_rights_on_server()}, _describe_server(db.obj)
    else:
        want, have = expected(), _describe(db.obj)
    out = []
    for key in sorted(set(have) - set(want)):
        kind, name = key
        extra = "：它可能在写入时悄悄丢弃或改动记录" if kind == "trigger" else ""
        out.append(f"数据库中多了{KINDS.get(kind, kind)}“{name}”（不是本程序建立的，在程序之外添加）{extra}")
    for key in sorted(set(want) - set(have)):
        out.append(f"数据库中缺少{KINDS.get(key[0], key[0])}“{key[1]}”（在程序之外删除）")
    for key in sorted(set(want) & set(have)):
        if want[key] != have[key] and not _same_index(key, want[key], have[key]):
            out.append(f"数据库的{KINDS.get(key[0], key[0])}“{key[1]}”与本程序建立的不同（在程序之外改动）")
    return out


def _same_index(key: tuple[str, str], want: str, have: str) -> bool:
    """Quoting and IF NOT EXISTS differ between migration paths; the definition must not."""
    if key[0] != "index":
        return False
    norm = [re.sub(r'IF NOT EXISTS |"', "", s) for s in (want, have)]
    return norm[0] == norm[1]
