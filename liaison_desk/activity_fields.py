"""A form's own activity fields (地点 …): their values as an activity keeps them.

A school's form may have columns the program has no field for (forms.py, `activity_fields`). An
activity keeps their values by key in one text column, as canonical JSON (keys sorted, no empty
values, NULL when there are none), so the change log, `verify` and the seal of a signed sheet see
one spelling of the same values. The label a clerk sees comes from the forms (forms.field_labels).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from .errors import BadInput

MAX_VALUE = 200  # a place or a short note; long text belongs in 工作简况


def encode(values: Mapping[str, str]) -> str | None:
    """The stored form: sorted keys, empty values left out; None when nothing is left."""
    kept = {k: v for k, v in sorted(values.items()) if v}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, separators=(",", ":")) if kept else None


def decode(text: str | None) -> dict[str, str]:
    """The stored text back as key → value; anything unreadable is kept under its own key so that
    nothing is silently dropped from the screen or the paper."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"_raw": str(text)}
    if not isinstance(value, dict):
        return {"_raw": str(text)}
    return {str(k): str(v) for k, v in value.items()}


def clean(key: str, value: object, label: str = "") -> str:
    """One field's value: trimmed text within MAX_VALUE, no control characters."""
    text = "" if value is None else str(value).strip()
    name = label or key
    if len(text) > MAX_VALUE:
        raise BadInput(f"{name}过长（{len(text)} 字，最多 {MAX_VALUE} 字）")
    if any(ord(c) < 32 or c in "\u2028\u2029" for c in text):
        raise BadInput(f"{name}含有换行或不可见的控制字符")
    return text


def resolve(name: str, labels: Mapping[str, str]) -> str:
    """A field named by its key (place) or its label (地点) → its key; unknown is bad input that
    lists the fields the forms declare."""
    name = name.strip()
    if name in labels:
        return name
    for key, label in labels.items():
        if label == name:
            return key
    known = "、".join(f"{label}（{key}）" for key, label in labels.items()) or "（记录表中没有声明另加的栏目）"
    raise BadInput(f"未知的活动栏目“{name}”，记录表声明的栏目：{known}")


def merge(stored: str | None, changes: Mapping[str, str], labels: Mapping[str, str]) -> str | None:
    """The stored values with some fields changed (an empty value removes one); keys must be
    declared by a form (labels), values checked."""
    values = decode(stored)
    for name, value in changes.items():
        key = resolve(name, labels)
        values[key] = clean(key, value, labels[key])
    return encode(values)
