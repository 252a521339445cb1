"""Read the data files in forms/ and turn any flaw into a BadInput that names the file and key."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
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
        raise BadInput(syntax_message(str(e), text), str(path)) from None


#: tomllib's messages (English) in a clerk's words; the longest patterns first.
SYNTAX_MESSAGES: list[tuple[str, str]] = [
    (r"Expected '=' after a key in a key/value pair", "键的后面应是“=”"),
    (r"Expected ']' at the end of a table declaration", "表名的后面缺少“]”"),
    (r"Expected ']]' at the end of an array declaration", "表名的后面缺少“]]”"),
    (r"Invalid initial character for a key part", "键名以不允许的字符开头（键名只用英文字母、数字、- 和 _）"),
    (r"Invalid statement", "这一行不是“键 = 值”，也不是 [表名]"),
    (r"Invalid value", "值的写法不对（文字要用英文双引号 \"…\" 括起来，数字不加引号）"),
    (r"Unclosed array", "列表缺少结尾的“]”"),
    (r"Unclosed inline table", "花括号表缺少结尾的“}”"),
    (r"Unterminated string", "文字缺少结尾的英文双引号"),
    (r"Unescaped '\\' in a string", "文字中的反斜杠“\\”要写成“\\\\”"),
    (r"Invalid date or datetime", "日期或时间的写法不对（应如 2025-09-01）"),
    (r"Invalid hex value|Escaped character is not a Unicode scalar value", "文字中的转义字符不对"),
    (r"Cannot overwrite a value|Cannot declare .* twice|Cannot redefine namespace .*"
     r"|Cannot mutate immutable namespace .*|Duplicate inline table key .*", "同一个键或表写了两次"),
    (r"Illegal character .*|Found invalid character .*", "有不允许的字符"),
    (r"Expected .*", "缺少应有的符号"),
]
FULL_WIDTH = re.compile("[“”‘’＝［］｛｝，]")


def syntax_message(error: str, text: str) -> str:
    """A TOML syntax error in Chinese, with its line and column and the line itself."""
    m = re.search(r"\(at line (\d+), column (\d+)\)$", error)
    reason = next((zh for pattern, zh in SYNTAX_MESSAGES if re.match(pattern, error)), "写法不对")
    if not m:
        return f"TOML 语法错误：文件末尾{reason}（可能少了结尾的引号或括号）"
    line_no, column = int(m[1]), int(m[2])
    lines = text.splitlines()
    line = lines[line_no - 1].strip() if line_no <= len(lines) else ""
    message = f"TOML 语法错误：第 {line_no} 行第 {column} 列，{reason}"
    if line:
        message += f"（该行：{line[:80]}）"
    if FULL_WIDTH.search(line):
        message += "；该行有中文标点（如 “ ” ＝ ，），引号、等号和逗号须用英文半角"
    return message


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
        self.known: Collection[str] = ()

    def expect(self, keys: Iterable[str]) -> Reader:
        """The keys this table may hold, so that a misspelt one (`minimum`) is named as unknown
        rather than reported as a required key (`min`) missing."""
        self.known = keys if isinstance(keys, Mapping) else list(keys)
        return self

    def where(self, key: str) -> str:
        return f"{self.source}: {self.path + '.' if self.path else ''}{key}"

    def fail(self, key: str, message: str) -> BadInput:
        return BadInput(message, self.where(key))

    def _get(self, key: str, required: bool, default: Any) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                self._refuse_unknown(self.known)
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

    def texts(self, key: str, required: bool = False, allowed: Collection[str] | None = None) -> list[str]:
        value = self._get(key, required, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "应为文字列表")
        if allowed is not None:
            for v in value:
                if v not in allowed:
                    raise self.fail(key, f"未知的值“{v}”，可选：{listing(allowed)}")
        return list(value)

    def choice(self, key: str, allowed: Collection[str], required: bool = True, default: str = "") -> str:
        value = self.text(key, required, default)
        if value not in allowed and (required or value):
            raise self.fail(key, f"未知的值“{value}”，可选：{listing(allowed)}")
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

    def _refuse_unknown(self, allowed: Collection[str]) -> None:
        for key in self.data:
            if key not in allowed:
                absent = [k for k in allowed if k not in self.data]
                raise self.fail(key, unknown_key(key, allowed, absent))

    def done(self) -> None:
        """Refuse keys nobody reads: a misspelt key must not be silently ignored."""
        extra = [k for k in self.used if k not in self.known]
        self._refuse_unknown([*self.known, *extra] if extra else self.known)


def listing(allowed: Collection[str]) -> str:
    """Allowed values for a message: `leader（校领导）` where they have labels."""
    if isinstance(allowed, Mapping):
        return "、".join(f"{k}（{v}）" for k, v in allowed.items())
    return "、".join(sorted(allowed) if isinstance(allowed, set | frozenset) else allowed)


def unknown_key(key: str, allowed: Collection[str], absent: list[str]) -> str:
    """未知的键, with the likely intended key (one not given) and the keys this table may hold."""
    close = difflib.get_close_matches(key, absent, n=1, cutoff=0.6)
    hint = f"是否应为“{close[0]}”？" if close else ""
    return f"未知的键（{hint}可用的键：{listing(allowed)}）" if allowed else "未知的键"
