"""Helpers every write service shares: a model row as a plain dict for the change log, limits."""

from __future__ import annotations

import hashlib
from typing import Any

from peewee import Model

from ..errors import BadInput


def tuples(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as plain tuples (no model objects: there may be a million rows)."""
    return list(query.tuples())


def dicts(query: Any) -> list[dict[str, Any]]:
    return list(query.dicts())


def normalise(values: dict[str, Any]) -> dict[str, Any]:
    """A row's values as the change log keeps them: blobs as their size and a digest."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, bytes | memoryview):
            data = bytes(value)
            value = f"<{len(data)} 字节 {hashlib.sha256(data).hexdigest()[:16]}>"
        out[key] = value
    return out


def as_dict(row: Model) -> dict[str, Any]:
    """Column values of a row, as stored (foreign keys as ids), for the change log."""
    return normalise({f.name: row.__data__.get(f.name) for f in row._meta.sorted_fields})


def refuse_unknown(changes: dict[str, Any], allowed: tuple[str, ...], what: str = "不能修改的字段") -> None:
    """An edit may only name the fields its service lets the clerk change."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise BadInput(f"{what}：{'、'.join(sorted(unknown))}")


def clean_text(value: str | None, what: str, limit: int, required: bool = False) -> str:
    """Trimmed text within a length limit; control characters other than newlines refused."""
    text = (value or "").strip()
    if required and not text:
        raise BadInput(f"{what}不能为空")
    if len(text) > limit:
        raise BadInput(f"{what}过长（{len(text)} 字，最多 {limit} 字）")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise BadInput(f"{what}含有不可见的控制字符")
    return text
