"""A ledger on a PostgreSQL server: `--db postgresql://USER@HOST[:PORT]/DBNAME`.

The password is never in the address and never stored by the program: libpq finds it where it
always looks (the PGPASSWORD environment variable, the user's .pgpass / pgpass.conf). The driver
is psycopg 3; peewee's models are bound to the server exactly as to a file.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from peewee import DatabaseError, OperationalError, PostgresqlDatabase

from ..errors import BadInput

SCHEMES = ("postgresql://", "postgres://")
READ_ONLY_REFUSAL = "台账现在以只读方式连接服务器，不能修改"


def is_url(target: object) -> bool:
    """Does `--db` name a server (rather than a file)?"""
    return isinstance(target, str) and target.strip().lower().startswith(SCHEMES)


def describe(url: str) -> str:
    """The address as a clerk reads it: user@host:port/database (no password: there is none)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{unquote(parts.username)}@" if parts.username else ""
    return f"{user}{host}{port}/{unquote(parts.path.lstrip('/'))}"


def check_url(url: str) -> str:
    """The address, checked: a database name, no password in it."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise BadInput(f"服务器地址格式不对：{url}（应为 postgresql://用户@主机[:端口]/数据库）") from None
    if parts.password is not None:
        raise BadInput("服务器地址中不要写密码（会留在命令历史与设置里）：请用环境变量 PGPASSWORD "
                       "或 .pgpass 文件提供密码")
    if not parts.path.strip("/"):
        raise BadInput(f"服务器地址缺少数据库名：{describe(url)}（应为 postgresql://用户@主机[:端口]/数据库）")
    return url


class ServerDatabase(PostgresqlDatabase):
    """The ledger on a server. Opened read-only, every transaction is read-only on the server
    itself, and an attempted write is bad input with the reason, not a crash."""

    refusal = READ_ONLY_REFUSAL

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        except DatabaseError as e:
            if "read-only transaction" in str(e):
                raise BadInput(self.refusal) from None
            raise


def load_driver() -> None:
    """psycopg, loaded only now (see liaison_desk/__init__.py) and handed to peewee as if it had
    found it when it loaded."""
    import peewee
    import psycopg

    if peewee.psycopg is None:  # type: ignore[attr-defined]
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb

        peewee.psycopg = psycopg  # type: ignore[attr-defined]
        peewee.TransactionStatus = TransactionStatus  # type: ignore[attr-defined]
        peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb  # type: ignore[attr-defined]
        adapter = peewee.Psycopg3Adapter  # type: ignore[attr-defined]
        adapter.txn_idle = TransactionStatus.IDLE
        adapter.txn_inerror = TransactionStatus.INERROR
        adapter.txn_unknown = TransactionStatus.UNKNOWN


def connect(url: str, read_only: bool = False) -> ServerDatabase:
    """Connect to the server; a failure is one Chinese sentence naming the server."""
    url = check_url(url)
    load_driver()
    options: dict[str, Any] = {"prefer_psycopg3": True, "connect_timeout": 10,
                               "application_name": "liaison-desk"}
    if read_only:
        options["options"] = "-c default_transaction_read_only=on"
    database = ServerDatabase(url, **options)
    try:
        database.connect(reuse_if_open=True)
    except (OperationalError, DatabaseError) as e:
        raise BadInput(f"无法连接服务器台账 {describe(url)}：{reason(e)}") from None
    return database


def reason(error: BaseException) -> str:
    """Why a connection failed, in Chinese where libpq's words are known."""
    text = str(error).strip()
    low = text.lower()
    if "no password supplied" in low:
        return "服务器要求密码：请设置环境变量 PGPASSWORD，或写入 .pgpass 文件"
    if "password authentication failed" in low:
        return "用户名或密码不对（密码取自 PGPASSWORD 或 .pgpass）"
    if "does not exist" in low and "database" in low:
        return "服务器上没有这个数据库：请数据库管理员先建立（createdb），再运行 server init"
    if "connection refused" in low or "could not connect" in low or "timeout" in low:
        return "连接被拒绝或超时：服务器未运行、地址或端口不对，或防火墙阻挡"
    return text.splitlines()[0] if text else type(error).__name__


def foreign_tables(database: PostgresqlDatabase) -> list[str]:
    """Tables in the database that are not a ledger's (another program's data)."""
    from .models import ALL_MODELS, Anchor, BaseModel, Filing, ProblemEvent, SheetRevision

    models: list[type[BaseModel]] = [*ALL_MODELS, Filing, SheetRevision, ProblemEvent, Anchor]
    ours = {m._meta.table_name for m in models}  # type: ignore[attr-defined]
    return sorted(set(database.get_tables()) - ours)
