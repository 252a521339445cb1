"""Liaison Desk (联系工作台): the ledger of leading cadres' contact work for a university party office."""

import sys as _sys

__version__ = "0.1.0"

if "peewee" not in _sys.modules and "psycopg" not in _sys.modules:
    # peewee imports the PostgreSQL driver as it loads (0.3 s at every start, for every command and
    # window); only a server ledger needs it, and store/server.py loads it when one is opened.
    _sys.modules["psycopg"] = None  # type: ignore[assignment]
    try:
        import peewee  # noqa: F401
    finally:
        del _sys.modules["psycopg"]
