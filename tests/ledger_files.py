"""Helpers for tests that look at a ledger file from outside the program."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(path: Path) -> list[str]:
    """Everything in the file, as SQL text: equal dumps mean nothing changed (change log included)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
