"""The append-only change log: who changed what, when, before and after, chained by hashes.

An entry is compact (schema version 6; versions 1–5 wrote changelog_v5's form, five times the size):
- the values (`before`, `after`) are a JSON array in the order of a *layout*, the sorted column
  names, stored once in change_log_layout and named by number (`layout`). Values that do not
  follow the entry's layout (rare: a before and after with different names) keep their names;
- every value has one canonical form, whatever the database engine hands back (`canonical`):
  SQLite gives dates as text and booleans as 0/1, PostgreSQL date objects, booleans and Decimals.
  The same write logs the same bytes on both, and `row_states` reads rows in the same form;
- the time is an integer, microseconds since 1970-01-01 (local time, as before);
- the hash is 32 bytes, SHA-256 over the previous entry's hash and this entry as stored, the
  layout's names included (an edited layout breaks the chain like an edited entry). The previous
  hash is not stored a second time: it is the previous entry's;
- entries re-encoded from a v5 log keep the first 6 bytes of their v5 hash (`legacy`, hashed
  with the entry), so a 台账校验码 printed before the re-encoding still finds its entry (anchor.py);
- bulk writes keep the values of each whole block of 4,096 entries compressed (logpack.py).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from . import logpack
from .models import ChangeLog, LogLayout, db
from .sql import on_server, serialise

GENESIS = bytes(32)
EPOCH = datetime(1970, 1, 1)
Values = dict[str, Any]
Entry = tuple[str, str, object, Values | None, Values | None]


def _not_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} 不能写入变更日志")


def _encoder(default: Callable[[Any], Any] | None = None) -> Callable[[Any], str]:
    """Compact JSON, non-ASCII as it is: the C encoder built once and called directly (what
    JSONEncoder.encode rebuilds on every call, half of its cost on a short list); the same text."""
    fallback = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=default).encode
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return fallback
    try:
        encode = make(None, default or _not_json, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    except TypeError:  # another Python's signature
        return fallback
    return lambda value: "".join(encode(value, 0))


_PACK = _encoder()
_OBJECT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
# Values: what JSON cannot say (dates, Decimals, blobs) in their canonical form.
_VALUES = _encoder(default=lambda v: canonical(v))


def actor() -> str:
    """Who writes: on a server the clerk's name (rights.py), on a file the operating-system user."""
    if on_server():
        from .rights import session_clerk

        return session_clerk().name
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows service accounts
        return "unknown"


def login() -> str | None:
    """The server login that writes (session_user), hashed with the entry; None on a file."""
    if not on_server():
        return None
    from .rights import session_clerk

    return session_clerk().login


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def moment(at: int) -> datetime:
    return EPOCH + timedelta(microseconds=at)


# Canonical values ------------------------------------------------------------------------------

_PLAIN = frozenset({str, int, type(None)})


def canonical(value: Any, kind: str = "") -> Any:
    """A value as the change log keeps it, the same whatever handed it over. `kind` is the
    column's ("bool", "float", "datetime", "" for the rest): SQLite's 0/1 is a boolean and its
    1 in a REAL column 1.0 only by the column. Dates are ISO text, date-times the text SQLite
    stores (`2025-10-12 08:00:00`, microseconds only when not zero), Decimals numbers, blobs
    their size and a digest."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    cls = value.__class__
    if cls is str:
        return _datetime_text(value) if kind == "datetime" else value
    if cls is bool:
        return value
    if cls is int or cls is float or isinstance(value, Decimal):
        if kind == "float":
            return float(value)
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return value
    if isinstance(value, datetime):
        return str(value.replace(tzinfo=None))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return f"<{len(data)} 字节 {hashlib.sha256(data).hexdigest()[:16]}>"
    if isinstance(value, list | dict):
        return value
    return str(value)


def _datetime_text(text: str) -> str:
    """A date-time given as text in the form SQLite stores a datetime ('T' or a zero fraction
    made into it); text that is no date-time stays as it is."""
    size = len(text)
    if (size == 19 or (size == 26 and text[19:] != ".000000")) and text[10:11] == " ":
        return text
    try:
        return str(datetime.fromisoformat(text).replace(tzinfo=None))
    except ValueError:
        return text


def _datetime_value(value: Any) -> Any:
    return _datetime_text(value) if value.__class__ is str else canonical(value, "datetime")


def _float_value(value: Any) -> Any:
    return value if value.__class__ is float else canonical(value, "float")


#: canonical() for one kind of column, fast (a bulk write calls them a million times).
_CONVERT: dict[str, Callable[[Any], Any]] = {"bool": bool, "float": _float_value, "datetime": _datetime_value}


@cache
def _kinds(table: str) -> dict[str, str]:
    """The canonical kind of each column of a logged table that needs one."""
    from peewee import BlobField, BooleanField, DateTimeField, FloatField

    from . import models

    found = {m._meta.table_name: m for m in vars(models).values()
             if isinstance(m, type) and issubclass(m, models.BaseModel) and m is not models.BaseModel}
    model = found.get(table)
    if model is None:
        return {}
    kinds = {}
    for f in model._meta.sorted_fields:
        for cls, kind in ((BooleanField, "bool"), (FloatField, "float"), (DateTimeField, "datetime"),
                          (BlobField, "blob")):
            if isinstance(f, cls):
                kinds[f.name] = kind
    return kinds


@dataclass(frozen=True)
class Layout:
    """How one shape of values (a table's set of names) is stored: names sorted, and the
    positions whose column decides the canonical form (booleans, floats, date-times)."""

    names: tuple[str, ...]
    special: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, its canonical form)
    columns: str  # the names as stored in change_log_layout (and hashed with each entry)

    def array(self, values: Values) -> str:
        """The values as this layout's JSON array, canonical (other types by the encoder's
        default: dates, Decimals, blobs)."""
        out = [values[n] for n in self.names]
        for i, convert in self.special:
            v = out[i]
            if v is not None:
                out[i] = convert(v)
        return _VALUES(out)


@cache
def _layout(table: str, order: tuple[str, ...]) -> Layout:
    """By the names in the order given (a dict's keys), so a row's layout is sorted once."""
    names = tuple(sorted(order))
    kinds = _kinds(table)
    special = tuple((i, _CONVERT[kinds[n]]) for i, n in enumerate(names) if kinds.get(n, "") in _CONVERT)
    return Layout(names, special, _PACK(list(names)))


def _object(table: str, values: Values) -> str:
    kinds = _kinds(table)
    return _OBJECT({k: canonical(v, kinds.get(k, "")) for k, v in values.items()})


class _Layouts:
    """Layout numbers for one write (looked up in the ledger, added when new): not cached across
    writes, so a layout added by a write that was rolled back is never referred to."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def id(self, columns: str) -> int:
        found = self.ids.get(columns)
        if found is None:
            row = LogLayout.select(LogLayout.id).where(LogLayout.columns == columns).first()
            found = row.id if row else LogLayout.create(columns=columns).id
            self.ids[columns] = found
        return found


def _encode(table: str, before: Values | None, after: Values | None,
            layouts: _Layouts) -> tuple[int | None, str | None, str | None, str | None]:
    """(layout id, its names, before, after) as stored."""
    shape = after if after is not None else before
    if shape is None:
        return None, None, None, None
    layout = _layout(table, tuple(shape))
    b = a = None
    if before is not None:
        b = layout.array(before) if before.keys() == shape.keys() else _object(table, before)
    if after is not None:
        a = layout.array(after)
    return layouts.id(layout.columns), layout.columns, b, a


def _head(at: int, who: str, action: str, table: str, columns: str | None, legacy: bytes | None,
          login: str | None = None) -> str:
    """The fields a batch shares; the login (v9) only where there is one, so the entries made
    before it, and every entry on a file, hash as they always did."""
    head = [at, who, action, table, columns, legacy.hex() if legacy is not None else None]
    return _PACK(head if login is None else [*head, login])


def _framed(text: str | None) -> str:
    return "-1:" if text is None else f"{len(text)}:{text}"


def digest(prev: bytes, at: int, who: str, action: str, table: str, row_id: str, columns: str | None,
           before: str | None, after: str | None, legacy: bytes | None, login: str | None = None) -> bytes:
    """SHA-256 of the previous entry's hash and this entry as stored: the fields a batch shares as
    a JSON array, then the row, before and after, each after its length (unambiguous, and the
    values' text is hashed as it is, not escaped again)."""
    payload = _head(at, who, action, table, columns, legacy, login) + _framed(row_id) + _framed(before) + _framed(after)
    return hashlib.sha256(prev + payload.encode("utf-8")).digest()


def head() -> tuple[int, bytes] | None:
    """The last entry's number and hash. A college secretary sees only some entries: it is handed
    the head by a function that runs with the owner's rights (rights.py), so its entries chain on
    the true last one and its printed 台账校验码 is the ledger's."""
    sql = "SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1"
    if on_server():
        from .rights import session_clerk

        if not session_clerk().office:
            sql = "SELECT id, hash FROM liaison_log_head()"
    row = db.execute_sql(sql).fetchone()
    return (int(row[0]), bytes(row[1])) if row else None


def last_id() -> int:
    """The newest entry's id, 0 for none: every write logs, so a page that loaded at this id and
    finds a higher one has something new to show (another clerk's save, another program's)."""
    row = db.execute_sql("SELECT MAX(id) FROM change_log").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _last_hash() -> bytes:
    found = head()
    return found[1] if found else GENESIS


def record(action: str, table: str, row_id: object = "", before: Values | None = None,
           after: Values | None = None) -> ChangeLog:
    """Append one entry; call inside the transaction of the write it describes."""
    serialise("change-log")  # one writer appends at a time, or two entries follow one hash: a fork
    at, who, by = micros(datetime.now()), actor(), login()
    layout, columns, b, a = _encode(table, before, after, _Layouts())
    h = digest(_last_hash(), at, who, action, table, str(row_id), columns, b, a, None, by)
    return ChangeLog.create(at=at, actor=who, action=action, table=table, row_id=str(row_id), layout=layout,
                            before=b, after=a, hash=h, login=by)


@dataclass(frozen=True)
class Inserted:
    """Rows just inserted into `table` (a bulk write), each a tuple of its values in the order of
    `names`, which hold "id": logged as record_many would log ("insert", table, id, None,
    dict(zip(names, row))), without a dict per row (the values are canonicalised a column at a time)."""

    table: str
    names: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _arrays(inserted: Inserted) -> tuple[Layout, list[str]]:
    """The rows' values as their layout's JSON arrays: what Layout.array gives for each row's dict."""
    names = inserted.names
    if len(set(names)) != len(names):
        raise ValueError(f"{inserted.table}: a column named twice")
    layout = _layout(inserted.table, names)
    columns = list(zip(*inserted.rows, strict=True))
    place = {n: i for i, n in enumerate(names)}
    ordered: list[Any] = [columns[place[n]] for n in layout.names]
    for i, convert in layout.special:
        ordered[i] = [v if v is None else convert(v) for v in ordered[i]]
    return layout, list(map(_VALUES, zip(*ordered, strict=True)))


def record_many(entries: list[Entry], inserted: Inserted | None = None) -> None:
    """Append many entries at once (imports): (action, table, row_id, before, after) each, then
    the rows `inserted` (if any), chained in memory and written with one executemany; call inside
    the import's transaction. One time for the batch (one transaction), one hash per entry over
    its stored form."""
    if not entries and not (inserted and inserted.rows):
        return
    serialise("change-log")
    prev = _last_hash()
    at, who, by = micros(datetime.now()), actor(), login()
    layouts = _Layouts()
    sha256 = hashlib.sha256
    heads: dict[tuple[str, str, str | None], str] = {}
    rows = []
    for action, table, row_id, before, after in entries:
        rid = str(row_id)
        layout, columns, b, a = _encode(table, before, after, layouts)
        head = heads.get((action, table, columns))
        if head is None:
            head = heads[(action, table, columns)] = _head(at, who, action, table, columns, None, by)
        payload = (f"{head}{len(rid)}:{rid}{'-1:' if b is None else f'{len(b)}:{b}'}"
                   f"{'-1:' if a is None else f'{len(a)}:{a}'}")
        prev = sha256(prev + payload.encode("utf-8")).digest()
        rows.append((at, who, action, table, rid, layout, b, a, prev, None, by))
    if inserted and inserted.rows:
        shape, arrays = _arrays(inserted)
        table, columns = inserted.table, shape.columns
        number = layouts.id(columns)
        head = _head(at, who, "insert", table, columns, None, by)
        key = inserted.names.index("id")
        for row, a in zip(inserted.rows, arrays, strict=True):
            rid = str(row[key])
            prev = sha256(prev + f"{head}{len(rid)}:{rid}-1:{len(a)}:{a}".encode()).digest()
            rows.append((at, who, "insert", table, rid, number, None, a, prev, None, by))
    logpack.store(rows)


def row_states(model: Any, after_id: int = 0, batch: int = 50_000,
               upto: int | None = None) -> Iterator[tuple[Any, Values]]:
    """(id, values) of each row of `model` with id > after_id (and ≤ upto, if given), in the
    canonical form the change log records. Reads raw rows (peewee's per-value conversion is most
    of the cost on a million rows) and converts only what the engine hands back in another form."""
    fields = sorted(model._meta.sorted_fields, key=lambda f: f.name)
    names = [f.name for f in fields]
    table = model._meta.table_name
    kinds = _kinds(table)
    convert = [(i, kinds.get(n, "")) for i, n in enumerate(names)]
    pk = model._meta.primary_key
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    bound = f' AND "{pk.column_name}" <= {int(upto)}' if upto is not None else ""
    sql = (f'SELECT {columns} FROM "{table}" WHERE "{pk.column_name}" > {db.obj.param}{bound} '
           f'ORDER BY "{pk.column_name}" LIMIT {db.obj.param}')
    key = names.index(pk.name)
    # A text key (the form table's) starts below every text: a server compares no text with 0.
    last: Any = after_id if after_id or pk.field_type in ("AUTO", "BIGAUTO", "INT", "BIGINT") else ""
    while True:
        rows = db.obj.execute_sql(sql, (last, batch)).fetchall()
        if not rows:
            return
        for raw in rows:
            values = list(raw)
            for i, kind in convert:
                v = values[i]
                if v is not None and (kind or v.__class__ not in _PLAIN):
                    values[i] = canonical(v, kind)
            yield raw[key], dict(zip(names, values, strict=True))
        last = rows[-1][key]


def log_inserted(model: Any, table: str, ids: Iterable[int], batch: int = 12 * logpack.BLOCK) -> int:
    """Log the rows of `model` this write inserted — `ids`, as the database returned them from the
    insert (store/sql.py insert_rows) — read back from the database so the entries hold exactly
    what verify will find (bulk writes: demo data, imports). Only these ids: on a server another
    clerk's rows, committed meanwhile, lie between or above them and are that clerk's to log."""
    wanted = set(ids)
    if not wanted:
        return 0
    count = 0
    entries: list[Entry] = []
    for row_id, state in row_states(model, min(wanted) - 1, batch, upto=max(wanted)):
        if row_id not in wanted:
            continue
        entries.append(("insert", table, row_id, None, state))
        if len(entries) >= batch:
            record_many(entries)
            count += len(entries)
            entries = []
    record_many(entries)
    count += len(entries)
    if count != len(wanted):
        raise RuntimeError(f"{table}: {len(wanted)} rows inserted, {count} found to log")
    return count


# Reading the log -------------------------------------------------------------------------------

def layouts() -> dict[int, tuple[str, tuple[str, ...]]]:
    """Every layout of the open ledger: id → (names as stored, names)."""
    return {i: (c, tuple(json.loads(c))) for i, c in db.execute_sql("SELECT id, columns FROM change_log_layout")}


def values(names: tuple[str, ...] | None, stored: str | None) -> Values | None:
    """Stored values as a dict: an array follows the entry's layout, an object names its own."""
    if stored is None:
        return None
    if names is not None and stored[:1] == "[":
        return dict(zip(names, json.loads(stored), strict=True))
    data = json.loads(stored)
    return data if isinstance(data, dict) else {"": data}


@dataclass(frozen=True)
class Decoded:
    """One entry as a reader wants it."""

    id: int
    at: datetime
    actor: str
    action: str
    table: str
    row_id: str
    before: Values | None
    after: Values | None
    login: str | None = None  # the server login that wrote it (v9); None on a file


def decoded(entry: ChangeLog) -> Decoded:
    names = layouts()[entry.layout][1] if entry.layout is not None else None
    before, after = entry.before, entry.after
    if before is None and after is None:
        before, after = logpack.Packs().get(entry.id) or (None, None)
    return Decoded(entry.id, moment(entry.at), entry.actor, entry.action, entry.table, entry.row_id,
                   values(names, before), values(names, after), entry.login)


_ALL = ("SELECT id, at, actor, action, table_name, row_id, layout, before, after, hash, legacy, login "
        "FROM change_log ORDER BY id")


def stored_entries(batch: int = 20_000) -> Iterator[tuple[Any, ...]]:
    """Every entry as stored, its values from its pack when packed:
    (id, at, actor, action, table, row_id, layout, before, after, hash, legacy, login)."""
    packs = logpack.Packs()
    cursor = db.execute_sql(_ALL)
    while True:
        rows = cursor.fetchmany(batch)
        if not rows:
            return
        for row in rows:
            if packs and row[7] is None and row[8] is None:
                found = packs.get(row[0])
                if found is not None:
                    row = (*row[:7], *found, *row[9:])
            yield row


def verify_chain() -> int | None:
    """The id of the first entry whose hash does not follow from its content, or None (an
    entry deleted is found at the one after it, whose hash no longer follows)."""
    prev = GENESIS
    names = {i: c for i, (c, _n) in layouts().items()}
    sha256 = hashlib.sha256
    key: tuple[Any, ...] = ()
    head = ""
    for entry_id, at, who, action, table, row_id, layout, before, after, stored, legacy, by in stored_entries():
        columns = names.get(layout) if layout is not None else None
        if layout is not None and columns is None:
            return int(entry_id)
        if key != (at, who, action, table, columns, legacy, by):  # a batch shares its head
            key = (at, who, action, table, columns, legacy, by)
            head = _head(at, who, action, table, columns, None if legacy is None else bytes(legacy), by)
        h = sha256(prev + (head + _framed(row_id) + _framed(before) + _framed(after)).encode("utf-8")).digest()
        if bytes(stored) != h:
            return int(entry_id)
        prev = h
    return None


def legacy_hash(upto: int) -> tuple[str | None, int | None]:
    """The v5 hash of entry `upto`, recomputed from the re-encoded entries 1..upto (a printed
    台账校验码 from before v6 is checked against it), and the first entry whose kept v5 prefix
    disagrees with it. (None, n) when entry n is not a re-encoded one."""
    from . import changelog_v5 as v5

    names = layouts()
    prev = v5.GENESIS
    for entry_id, at, who, action, table, row_id, layout, before, after, _h, legacy, _login in stored_entries():
        if entry_id > upto:
            break
        if legacy is None:
            return None, int(entry_id)
        cols = names[layout][1] if layout in names else None
        prev = v5.digest(prev, moment(at).isoformat(timespec="microseconds"), who, action, table, row_id,
                         v5.text(cols, before), v5.text(cols, after))
        if bytes.fromhex(prev[:12]) != bytes(legacy):
            return prev, int(entry_id)
    return prev, None
