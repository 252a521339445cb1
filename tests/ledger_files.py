"""Helpers for tests that look at a ledger file from outside the program."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(path: Path | str) -> list[str]:
    """Everything in the file, as SQL text: equal dumps mean nothing changed (change log included).
    A server ledger (a postgresql:// URL): every table's rows, in order, as text."""
    if isinstance(path, str) and path.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(path) as server:
            tables = [t for (t,) in server.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
            return [f"{t}: {row!r}" for t in tables for row in server.execute(f'SELECT * FROM "{t}" ORDER BY 1')]
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def flip_page(path: Path, table: str = "change_log") -> int:
    """Damage the file as a failing disk would: invert every byte of one 4 KiB page (the last
    leaf page of `table`). Returns the page number."""
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (page,) = conn.execute("SELECT max(pageno) FROM dbstat WHERE name = ? AND pagetype = 'leaf'",
                               (table,)).fetchone()
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    for i in range((page - 1) * page_size, page * page_size):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return int(page)


def folder_hashes(folder: Path) -> dict[str, str]:
    """Every file under a folder and a digest of its bytes: equal means nothing was touched."""
    import hashlib

    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class _ServerTool:
    """Another tool's connection to a server ledger (psql, a script), with SQLite's `?` marks."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url)

    def execute(self, sql: str, params: tuple = ()):  # noqa: ANN201 - a psycopg cursor
        if not params:  # as written: several statements at once, as psql takes them
            return self.conn.execute(sql)
        return self.conn.execute(sql.replace("?", "%s"), params)

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.conn.commit()
        self.conn.close()


def outside(path: Path | str):  # noqa: ANN201 - sqlite3.Connection or _ServerTool
    """A connection from outside the program (the sqlite3 shell; psql for a server ledger)."""
    if isinstance(path, str) and path.startswith("postgresql://"):
        return _ServerTool(path)
    return sqlite3.connect(path)
