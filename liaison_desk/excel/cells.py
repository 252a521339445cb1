"""One cell's value as the ledger needs it: text, a date, a number, a yes/no, an academic year.
Each returns the value and, when it cannot be taken, why not (shown beside the cell's place)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from .xlsx import EXCEL_EPOCH, FIRST_VALID_DAY, LAST_VALID_DAY


def as_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, booleans as 是/否."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
                        r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def as_date(value: Any) -> tuple[date | None, str]:
    """A date cell: an Excel date, a day number, or text such as 2025-10-12, 2025/10/12,
    2025.10.12, 2025年10月12日, 20251012. Returns (date, "") or (None, why not)."""
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        serial = int(value)
        if not 36526 <= serial <= 73415:  # 2000-01-01 … 2100-12-31
            return None, "不是有效日期（应如 2025-10-12）"
        d = date.fromordinal(EXCEL_EPOCH + serial)
    elif isinstance(value, str):
        text = value.strip()
        m = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
        if not m:
            return None, "不是有效日期（应如 2025-10-12、2025/10/12、2025.10.12 或 2025年10月12日）"
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None, "日期不存在（请核对月份和日）"
    else:
        return None, "不是有效日期"
    if not FIRST_VALID_DAY <= d <= LAST_VALID_DAY:
        return None, f"日期超出范围（应在 {FIRST_VALID_DAY.year} 至 {LAST_VALID_DAY.year} 年之间）"
    return d, ""


def as_number(value: Any, whole: bool) -> tuple[float | int | None, str]:
    """A count or a number of days, as a number cell or as text."""
    if isinstance(value, bool):
        return None, "应为数字"
    if isinstance(value, str):
        text = value.strip().replace("，", "").replace(",", "")
        for unit in ("人次", "人", "天", "次"):
            text = text.removesuffix(unit)
        try:
            value = float(text)
        except ValueError:
            return None, "应为数字"
    if not isinstance(value, int | float) or value != value:
        return None, "应为数字"
    if whole:
        if not float(value).is_integer():
            return None, "应为整数"
        return int(value), ""
    return float(value), ""


YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "对", "有"})
NO = frozenset({"否", "×", "✗", "n", "no", "false", "0", "不是", "无"})


def as_flag(value: Any) -> tuple[bool | None, str]:
    """是/否 (or √/×, Y/N, 1/0); blank gives None (the default applies)."""
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return value, ""
    text = as_text(value).lower()
    if text in YES:
        return True, ""
    if text in NO:
        return False, ""
    return None, "应填“是”或“否”"


_YEAR_TEXT = re.compile(r"(\d{4})\s*[-—–~～至到]\s*(\d{4})")


def as_year(value: Any) -> tuple[str | None, str]:
    """An academic year: 2025-2026 (also 2025—2026学年, 2025至2026)."""
    m = _YEAR_TEXT.search(as_text(value))
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        return None, "学年格式不对（应如 2025-2026）"
    return f"{m.group(1)}-{m.group(2)}", ""


def year_in(texts: Sequence[str]) -> str | None:
    """An academic year named in a title above the table, e.g. “2025-2026学年…一览表”."""
    for text in texts:
        year, _ = as_year(text)
        if year:
            return year
    return None
