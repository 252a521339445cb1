"""Read the data files in forms/ and turn any flaw into a BadInput that names the file and key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import BadInput


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise BadInput("文件不存在", str(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise BadInput(f"文件格式错误（{e}）", str(path)) from None


class Reader:
    """Checks one table of a data file; every error names the file and the dotted key."""

    def __init__(self, data: dict[str, Any], source: str, path: str = "") -> None:
        if not isinstance(data, dict):
            raise BadInput("应为表（键值对）", f"{source}: {path or '(根)'}")
        self.data = data
        self.source = source
        self.path = path
        self.used: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.source}: {self.path + '.' if self.path else ''}{key}"

    def fail(self, key: str, message: str) -> BadInput:
        return BadInput(message, self.where(key))

    def _get(self, key: str, required: bool, default: Any) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "缺少必填项")
            return default
        return self.data[key]

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self._get(key, required, default)
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, "应为非空文字")
        return value

    def number(self, key: str, required: bool = True, default: float | None = None) -> float | None:
        value = self._get(key, required, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.fail(key, "应为不小于0的数")
        return value

    def integer(self, key: str, default: int = 0) -> int:
        value = self._get(key, False, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "应为整数")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False, default)
        if not isinstance(value, bool):
            raise self.fail(key, "应为 true 或 false")
        return value

    def texts(self, key: str, required: bool = False, allowed: frozenset[str] | None = None) -> list[str]:
        value = self._get(key, required, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "应为文字列表")
        if allowed is not None:
            for v in value:
                if v not in allowed:
                    raise self.fail(key, f"未知的值“{v}”")
        return list(value)

    def choice(self, key: str, allowed: tuple[str, ...], required: bool = True, default: str = "") -> str:
        value = self.text(key, required, default)
        if value not in allowed and (required or value):
            raise self.fail(key, f"未知的值“{value}”，可选：{'、'.join(allowed)}")
        return value

    def table(self, key: str, required: bool = False) -> Reader:
        value = self._get(key, required, {})
        sub = f"{self.path}.{key}" if self.path else key
        return Reader(value, self.source, sub)

    def tables(self, key: str, required: bool = False) -> list[Reader]:
        value = self._get(key, required, [])
        if not isinstance(value, list):
            raise self.fail(key, "应为表的列表")
        base = f"{self.path}.{key}" if self.path else key
        return [Reader(item, self.source, f"{base}[{i}]") for i, item in enumerate(value)]

    def done(self) -> None:
        """Refuse keys nobody reads: a misspelt key must not be silently ignored."""
        for key in self.data:
            if key not in self.used:
                raise self.fail(key, "未知的键")
