"""Helpers every write service shares: a model row as a plain dict for the change log, limits."""

from __future__ import annotations

from typing import Any

from peewee import Model

from .errors import BadInput


def as_dict(row: Model) -> dict[str, Any]:
    """Column values of a row, as stored (foreign keys as ids, blobs as their size)."""
    values: dict[str, Any] = {}
    for f in row._meta.sorted_fields:
        value = row.__data__.get(f.name)
        if isinstance(value, bytes | memoryview):
            value = f"<{len(value)} 字节>"
        values[f.name] = value
    return values


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
