"""Clerks and their rights on a server ledger (#19), held by the database itself.

Every clerk is a PostgreSQL login, a member of one of the ledger's two group roles: `<db>_office`
(the party office: every row, every action) or `<db>_college` (a college secretary: the rows of
its units, none of the office's actions). Row-level security filters each ledger table by the
units in `clerk_unit`; GRANTs keep the policy, terms, forms, units and settings the office's; a
restrictive policy keeps signing and revision the office's; the change log takes inserts only, each stamped
with the login that wrote it. So a secretary with psql sees and changes no more than the program
lets them. The database's owner (who ran `server init`) stays outside all this: the DBA.

A SQLite file has no logins: whoever opens it is the office.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
from dataclasses import dataclass

from .models import db
from .sql import on_server


@dataclass(frozen=True)
class Clerk:
    login: str  # the database login (session_user); the operating-system user on a file
    name: str  # the clerk's name as the office entered it (the login when none was)
    office: bool  # the party office (everything) or a college secretary (its units)
    units: tuple[str, ...] = ()  # a college secretary's units, by name; () for the office

    @property
    def scope(self) -> str:
        """What this clerk's lists and reports cover, in words: 全校, or the units' names."""
        return "全校" if self.office else "、".join(self.units) or "（未分配部门）"

    @property
    def label(self) -> str:
        """For the title bar and the status line: 王秘书（计算机学院）."""
        return f"{self.name}（{'党委办公室' if self.office else self.scope}）"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows service accounts
        return "unknown"


def session_clerk() -> Clerk:
    """Who the open ledger's connection is: looked up once per connection."""
    database = db.obj
    if not on_server(database):
        return Clerk(login=_os_user(), name=_os_user(), office=True)
    known = getattr(database, "liaison_clerk", None)
    if known is not None and known[0] is database.connection():
        return known[1]  # type: ignore[no-any-return]
    clerk = _look_up()
    database.liaison_clerk = (database.connection(), clerk)  # type: ignore[union-attr]
    return clerk


def _look_up() -> Clerk:
    login = db.execute_sql("SELECT session_user").fetchone()[0]
    kind = None
    if installed():
        kind = db.execute_sql("SELECT liaison_clerk_kind()").fetchone()[0]
    name, units = login, ()
    if db.table_exists("clerk"):
        row = db.execute_sql("SELECT name FROM clerk WHERE login = %s", (login,)).fetchone()
        name = row[0] if row else login
        units = tuple(u for (u,) in db.execute_sql(
            "SELECT u.name FROM clerk_unit c JOIN unit u ON u.id = c.unit_id WHERE c.login = %s ORDER BY u.name",
            (login,)))
    return Clerk(login=login, name=name, office=kind != "college", units=units if kind == "college" else ())


def forget() -> None:
    """After the clerks changed: look the session's clerk up again."""
    if db.obj is not None:
        db.obj.liaison_clerk = None  # type: ignore[union-attr]


# The database's side ----------------------------------------------------------------------------

def group_roles() -> tuple[str, str]:
    """The ledger's two group roles, named after its database (roles belong to the whole server,
    which may hold several ledgers). liaison_clerk_kind() names them the same way, at run time, so
    a database made from another as its template has its own."""
    name = db.execute_sql("SELECT current_database()").fetchone()[0]
    return f"{name}_office"[:63], f"{name}_college"[:63]


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def can_create_roles() -> bool:
    return bool(db.execute_sql(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()[0])


def install_if_allowed() -> bool:
    """Install the rights when this login may create the group roles (the DBA at `server init`
    or at the v9 migration); else `clerk add` does it later. True when installed."""
    if not can_create_roles():
        return False
    install()
    return True


#: Tables a college secretary writes (rows of its units, by the policies below).
COLLEGE_WRITES = ("cadre", "target", "assignment", "activity", "sheet", "problem", "problem_event", "filing")
#: Tables every clerk may only add to: the change log, its layouts and packs, printed codes.
APPEND_ONLY = ("change_log", "change_log_layout", "change_log_pack", "anchor")
_MINE = "unit_id = ANY (liaison_my_units())"
_OF_MY_CADRES = "cadre_id IN (SELECT id FROM cadre)"
#: The tables whose rows a secretary sees only in part, and whose log entries follow them.
FILTERED = ("cadre", "target", "assignment", "activity", "sheet", "problem", "problem_event", "filing",
            "sheet_revision")


def _exists(table: str, key: str) -> str:
    """A row of `table` with id `key`, as this login sees it: one index probe a row checked (an
    `IN (subquery)` over a large table is not hashed past work_mem and then runs per row)."""
    return f"EXISTS (SELECT 1 FROM {table} x WHERE x.id = {key})"


def _log_entry_visible() -> str:
    rows = " ".join(f"WHEN '{t}' THEN {_exists(t, 'row_id::integer')}" for t in FILTERED)
    return ("login = session_user OR CASE WHEN table_name IN ('clerk', 'clerk_unit') THEN false "
            f"WHEN table_name IN ({', '.join(repr(t) for t in FILTERED)}) THEN "
            f"CASE WHEN row_id ~ '^[0-9]+$' THEN CASE table_name {rows} END ELSE false END ELSE true END")


#: Which rows a college secretary sees (and, where it writes, may write), table by table. The
#: subqueries are themselves filtered, so "my cadres" is what cadre's own policy lets through.
COLLEGE_ROWS: dict[str, tuple[str, str | None]] = {
    "cadre": (_MINE, _MINE),
    "target": (f"unit_id IS NULL OR {_MINE} OR EXISTS (SELECT 1 FROM assignment s WHERE s.target_id = target.id) "
               "OR EXISTS (SELECT 1 FROM activity a WHERE a.target_id = target.id)",
               f"unit_id IS NULL OR {_MINE}"),
    "assignment": (_OF_MY_CADRES, _OF_MY_CADRES),
    "activity": (_OF_MY_CADRES, _OF_MY_CADRES),
    "sheet": (_OF_MY_CADRES, _OF_MY_CADRES),
    "problem": (f"{_OF_MY_CADRES} OR {_MINE}", f"{_OF_MY_CADRES} OR {_MINE}"),
    "problem_event": (_exists("problem", "problem_event.problem_id"), _exists("problem", "problem_event.problem_id")),
    "filing": (f"{_OF_MY_CADRES} OR (cadre_id IS NULL AND {_MINE})",
               f"{_OF_MY_CADRES} OR (cadre_id IS NULL AND {_MINE})"),
    "sheet_revision": (_exists("sheet", "sheet_revision.sheet_id"), None),
    "clerk": ("login = session_user", None),
    "clerk_unit": ("login = session_user", None),
    # An entry is seen with its row: the rows a secretary cannot see, it cannot read the history
    # of; and its own entries (an insert returns the row it wrote, so it must be able to see it).
    "change_log": (_log_entry_visible(), "true"),
    # A block of packed values holds many rows' values at once: a secretary reads those of its
    # own bulk writes (an import), not a block that mixes in other units' rows.
    "change_log_pack": ("liaison_own_pack(first_entry, last_entry)", "true"),
}

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION liaison_clerk_kind() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN pg_catalog.current_setting('is_superuser') = 'on' THEN NULL
    WHEN pg_catalog.to_regrole(pg_catalog.quote_ident(pg_catalog.left(pg_catalog.current_database() || '_office', 63)))
           IS NOT NULL
         AND pg_catalog.pg_has_role(session_user, pg_catalog.left(pg_catalog.current_database() || '_office', 63),
                                    'MEMBER') THEN 'office'
    WHEN pg_catalog.to_regrole(pg_catalog.quote_ident(pg_catalog.left(pg_catalog.current_database() || '_college', 63)))
           IS NOT NULL
         AND pg_catalog.pg_has_role(session_user, pg_catalog.left(pg_catalog.current_database() || '_college', 63),
                                    'MEMBER') THEN 'college' END $$;

CREATE OR REPLACE FUNCTION liaison_my_units() RETURNS integer[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {schema}, pg_catalog AS $$
  SELECT coalesce(array_agg(unit_id), '{{}}') FROM clerk_unit WHERE login = session_user $$;

CREATE OR REPLACE FUNCTION liaison_own_pack(first_entry integer, last_entry integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_catalog AS $$
  SELECT NOT EXISTS (SELECT 1 FROM change_log l WHERE l.id BETWEEN first_entry AND last_entry
                     AND l.login IS DISTINCT FROM session_user) $$;

CREATE OR REPLACE FUNCTION liaison_log_head() RETURNS TABLE (id integer, hash bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_catalog AS $$
  SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1 $$;

CREATE OR REPLACE FUNCTION liaison_log_links() RETURNS TABLE (id integer, hash bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_catalog AS $$
  SELECT id, hash FROM change_log ORDER BY id $$;

DROP TRIGGER IF EXISTS liaison_log_login ON change_log;
DROP TRIGGER IF EXISTS liaison_sheet_guard ON sheet;
DROP TRIGGER IF EXISTS liaison_signed_month_guard ON activity;
DROP FUNCTION IF EXISTS liaison_log_login();
DROP FUNCTION IF EXISTS liaison_sheet_guard();
DROP FUNCTION IF EXISTS liaison_signed_month_guard();
"""


def installed() -> bool:
    """Are the rights' functions in this database (verify expects them then)?"""
    return db.execute_sql("SELECT to_regproc('liaison_clerk_kind')").fetchone()[0] is not None


def ready() -> bool:
    """Installed, and this database's group roles there (a database copied from another as its
    template has the functions but not yet roles of its own)."""
    return installed() and all(role_exists(role) for role in group_roles())


def expected_functions() -> dict[str, str]:
    """The rights' functions as install() makes them: name → MD5 of the body the server keeps
    (verify compares: a function changed with psql could let a secretary see everything)."""
    import re

    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    sql = _FUNCTIONS.format(schema=quoted(schema))
    return {name: hashlib.md5(body.replace("%%", "%").encode("utf-8")).hexdigest()
            for name, body in re.findall(r"CREATE OR REPLACE FUNCTION (\w+)\([^)]*\).*?AS \$\$(.*?)\$\$;", sql, re.S)}


#: The rights' triggers: none. Each trigger ran for every row written, whoever wrote it (a 100,000-
#: row import took twice as long); the limits below are policies, which only a clerk's rows pay for.
TRIGGERS: tuple[str, ...] = ()

_SIGNED_MONTH = ("EXISTS (SELECT 1 FROM sheet s WHERE s.cadre_id = activity.cadre_id "
                 "AND s.month = to_char(activity.date, 'YYYY-MM') AND s.status <> 'draft')")
_UNSIGNED = "status = 'draft' AND signed_at IS NULL AND signed_pdf IS NULL"
#: Limits ANDed with the rows a role may see (restrictive policies): (name, table, command, roles,
#: USING, WITH CHECK). Signing and revising are the office's; a signed month's activities stay
#: as signed until the office revises it; every log entry names the login that wrote it.
LIMITS: tuple[tuple[str, str, str, str, str | None, str | None], ...] = (
    ("college_draft_new", "sheet", "INSERT", "college", None, _UNSIGNED),
    ("college_draft_edit", "sheet", "UPDATE", "college", "status = 'draft'", _UNSIGNED),
    ("college_draft_delete", "sheet", "DELETE", "college", "status = 'draft'", None),
    ("college_month_new", "activity", "INSERT", "college", None, f"NOT {_SIGNED_MONTH}"),
    ("college_month_edit", "activity", "UPDATE", "college", f"NOT {_SIGNED_MONTH}", f"NOT {_SIGNED_MONTH}"),
    ("college_month_delete", "activity", "DELETE", "college", f"NOT {_SIGNED_MONTH}", None),
    ("own_login", "change_log", "INSERT", "both", None, "login = session_user"),
)


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def install() -> None:
    """Create (or bring up to date) the group roles, functions, grants and policies.
    Run by a login that may create roles, inside the caller's transaction; safe to run again."""
    office, college = group_roles()
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    for role in (office, college):
        if not role_exists(role):
            db.execute_sql(f"CREATE ROLE {quoted(role)} NOLOGIN")
    db.execute_sql(_FUNCTIONS.format(schema=quoted(schema)))
    o, c, s = quoted(office), quoted(college), quoted(schema)
    tables = [t for (t,) in db.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
    grants = [f"GRANT USAGE ON SCHEMA {s} TO {o}, {c}",
              f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {o}, {c}",
              f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {o}, {c}"]
    for table in tables:
        t = quoted(table)
        if table in APPEND_ONLY:
            grants.append(f"GRANT INSERT ON {t} TO {o}, {c}")
        else:
            grants.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {o}")
            if table in COLLEGE_WRITES:
                grants.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {c}")
    for sql in grants:
        db.execute_sql(sql)
    for table, (using, check) in COLLEGE_ROWS.items():
        t = quoted(table)
        db.execute_sql(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        db.execute_sql(f"DROP POLICY IF EXISTS office_rows ON {t}")
        db.execute_sql(f"CREATE POLICY office_rows ON {t} TO {o} USING (true) WITH CHECK (true)")
        db.execute_sql(f"DROP POLICY IF EXISTS college_rows ON {t}")
        checked = f" WITH CHECK ({check})" if check else ""
        db.execute_sql(f"CREATE POLICY college_rows ON {t} TO {c} USING ({using}){checked}")
    for name, table, command, roles, limit_using, limit_check in LIMITS:
        t, to = quoted(table), {"college": c, "both": f"{o}, {c}"}[roles]
        db.execute_sql(f"DROP POLICY IF EXISTS {name} ON {t}")
        clauses = (f" USING ({limit_using})" if limit_using else "") + (
            f" WITH CHECK ({limit_check})" if limit_check else "")
        db.execute_sql(f"CREATE POLICY {name} ON {t} AS RESTRICTIVE FOR {command} TO {to}{clauses}")


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The password as PostgreSQL stores it (SCRAM-SHA-256), made here, so the password itself
    never travels in a statement a server log could keep."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = base64.b64encode
    return (f"SCRAM-SHA-256${iterations}:{b64(salt).decode()}"
            f"${b64(stored_key).decode()}:{b64(server_key).decode()}")


def role_exists(login: str) -> bool:
    return db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is not None


def create_login(login: str, password: str | None, office: bool) -> None:
    """The clerk's PostgreSQL login, in its group (the office's may add clerks themselves)."""
    group = group_roles()[0 if office else 1]
    password_sql = f" PASSWORD {_text(scram_verifier(password))}" if password else ""
    db.execute_sql(f"CREATE ROLE {quoted(login)} LOGIN{' CREATEROLE' if office else ''}{password_sql}")
    # One group only: a policy for the college group binds every member of it, and the office's
    # clerks must not be one. (Their CREATEROLE lets them grant the groups on PostgreSQL 15.)
    db.execute_sql(f"GRANT {quoted(group)} TO {quoted(login)}")


def drop_login(login: str) -> None:
    """Take the clerk's login out of this ledger's groups, and drop it when no other ledger's
    group holds it (roles belong to the whole server)."""
    for group in group_roles():
        if role_exists(group):
            db.execute_sql(f"REVOKE {quoted(group)} FROM {quoted(login)}")
    others = db.execute_sql(
        "SELECT count(*) FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
        (login,)).fetchone()[0]
    if not others:
        db.execute_sql(f"DROP ROLE {quoted(login)}")


def log_links() -> list[tuple[int, bytes]]:
    """Every change-log entry's number and hash, for a secretary's verify: hashes tell nothing of
    the rows, and let the entries it can see be checked against their neighbours it cannot."""
    return [(int(i), bytes(h)) for i, h in db.execute_sql("SELECT id, hash FROM liaison_log_links()")]

