"""Read the data files in forms/ and turn any flaw into a BadInput that names the file and key."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import BadInput

MAX_FILE = 2 * 1024 * 1024  # a policy is a few kB; 50 MB of notes would bloat every import


def decode(data: bytes, where: str) -> str:
    """Text as Windows Notepad may save it: UTF-8 (with or without BOM), UTF-16 (with BOM, or
    without one when every other byte is zero), or GBK/GB18030; anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif len(data) >= 2 and data[1::2].count(0) > len(data) // 4:
        encodings = ["utf-16-le"]
    elif len(data) >= 2 and data[0::2].count(0) > len(data) // 4:
        encodings = ["utf-16-be"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadInput("文件编码无法识别（请另存为 UTF-8 编码的文本文件）", where)


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise BadInput(f"文件过大（{size / 1024 / 1024:.1f} MB，最多 {MAX_FILE // 1024 // 1024} MB）", str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput("文件不存在", str(path)) from None
    except IsADirectoryError:
        raise BadInput("这是一个文件夹，不是文件", str(path)) from None
    except OSError as e:
        raise BadInput(f"无法读取文件（{e.strerror or e}）", str(path)) from None
    return decode(data, str(path))


def read_toml(path: Path) -> dict[str, Any]:
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BadInput(f"文件格式错误（{e}）", str(path)) from None


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MULTILINE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


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

    def text(self, key: str, required: bool = True, default: str = "", limit: int = 200,
             multiline: bool = False) -> str:
        """A text of at most `limit` characters, without control characters (line breaks and
        tabs only where `multiline`): a title prints on every report."""
        value = self._get(key, required, default)
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, "应为非空文字")
        if len(value) > limit:
            raise self.fail(key, f"过长（{len(value):,} 字，最多 {limit:,} 字）")
        if (MULTILINE_CONTROL if multiline else CONTROL).search(value):
            raise self.fail(key, "含有控制字符" + ("" if multiline else "（含换行、制表符）"))
        return value

    def number(self, key: str, required: bool = True, default: float | None = None,
               high: float = 100_000) -> float | None:
        value = self._get(key, required, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise self.fail(key, "应为不小于0的数")
        if value > high:
            raise self.fail(key, f"过大（最多 {high:g}）")
        return value

    def integer(self, key: str, default: int = 0, low: int = -10_000, high: int = 10_000) -> int:
        value = self._get(key, False, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "应为整数")
        if not low <= value <= high:
            raise self.fail(key, f"应在 {low} 到 {high} 之间")
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
