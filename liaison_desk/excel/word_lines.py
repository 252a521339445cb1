"""A form row's cells split into activities, the way a cadre writes them in Word: one line per
activity in each cell (the date cell's lines say how many), dates as 10月9日 / 10.9 / 2025-10-09 /
9日 with the month taken from 填表时间, list numbers (1. 1、 （1） ①) dropped.

What cannot be read is a reason (for the preview: file, table row, cell), never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .word_form import Entry

_FULL = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*[日号]?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*[日号]?$")
_DAY = re.compile(r"^(\d{1,2})\s*[日号]?$")
_TIME_OF_DAY = re.compile(r"(上午|下午|晚上|中午|晚|全天|\d{1,2}[:：]\d{2}(\s*[-–~至]\s*\d{1,2}[:：]\d{2})?)$")
_NUMBER = re.compile(r"^\s*(\d{1,2}\s*[、.．)）]\s*(?!\d)|[（(]\d{1,2}[)）]\s*|[①-⑳]\s*)")
_LEADING_DATE = re.compile(r"^\s*((?:\d{4}\s*[-./年]\s*)?\d{1,2}\s*[./\-月]\s*\d{1,2}\s*[日号]?|\d{1,2}\s*[日号])"
                           r"[\s，,：:]*")


@dataclass(frozen=True)
class ReadLine:
    """One activity read from a form row."""

    row: int
    section: str
    label: str  # the fixed row (or '' in an activities section)
    category: str
    date: date
    target: str
    summary: str


@dataclass(frozen=True)
class Unread:
    row: int
    column: str  # the cell's heading on the form
    value: str
    reason: str


def parse_day(text: str, year: int, month: int) -> date | str:
    """A date as written in a sheet's time cell, or why it cannot be read."""
    t = unicodedata.normalize("NFKC", text).strip()
    t = _TIME_OF_DAY.sub("", t).strip()
    y, m = year, month
    if found := _FULL.match(t):
        y, m, d = (int(g) for g in found.groups())
    elif found := _MONTH_DAY.match(t):
        m, d = int(found.group(1)), int(found.group(2))
    elif found := _DAY.match(t):
        d = int(found.group(1))
    else:
        return "看不懂的时间（可写作 10月9日、10.9、2025-10-09 或 9日）"
    try:
        when = date(y, m, d)
    except ValueError:
        return "没有这一天"
    if (when.year, when.month) != (year, month):
        return f"不在填表时间 {year}年{month}月 之内"
    return when


def cell_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.replace("\r", "\n").split("\n") if ln.strip()]


def _unnumbered(lines: list[str]) -> list[str]:
    return [_NUMBER.sub("", ln, count=1).strip() for ln in lines]


def split_entry(entry: Entry, year: int, month: int, labels: dict[str, str],
                categories: frozenset[str]) -> tuple[list[ReadLine], list[Unread]]:
    """The activities of one row. `labels`: column key → the heading printed on the form."""
    values = entry.values
    dates = cell_lines(values.get("date", ""))
    targets = _unnumbered(cell_lines(values.get("target", "")))
    summaries = _unnumbered(cell_lines(values.get("summary", "")))
    cats = cell_lines(values.get("category", ""))
    bad: list[Unread] = []

    def unread(key: str, value: str, reason: str) -> tuple[list[ReadLine], list[Unread]]:
        bad.append(Unread(entry.row, labels.get(key, key), value, reason))
        return [], bad

    if not dates and summaries and all(_LEADING_DATE.match(s) for s in summaries):
        dates = [_LEADING_DATE.match(s).group(1) for s in summaries]  # type: ignore[union-attr]
        summaries = [_LEADING_DATE.sub("", s, count=1) for s in summaries]
    if not dates:
        if not (targets or summaries or cats):
            return [], []
        return unread("date", "", "没有填写时间，无法登记（每项活动一行，写明日期）")
    n = len(dates)
    days: list[date] = []
    for text in dates:
        day = parse_day(text, year, month)
        if isinstance(day, str):
            bad.append(Unread(entry.row, labels.get("date", "时间"), text, day))
        else:
            days.append(day)
    if bad:
        return [], bad
    fitted_targets = _fit(targets, n, join="、")
    if fitted_targets is None:
        return unread("target", values.get("target", ""),
                      f"有 {len(cell_lines(values.get('target', '')))} 行，与时间的 {n} 行对不上（每项活动一行）")
    summary_lines = _fit(summaries, n, join="")
    if summary_lines is None:
        return unread("summary", values.get("summary", ""),
                      f"有 {len(summaries)} 行，与时间的 {n} 行对不上（每项活动一行）")
    if entry.category:
        categories_of = [entry.category] * n
    else:
        fitted = _fit(cats, n, join=None)
        if fitted is None or not cats:
            return unread("category", values.get("category", ""),
                          "没有填写类别" if not cats else f"有 {len(cats)} 行，与时间的 {n} 行对不上")
        categories_of = fitted
        for c in set(categories_of):
            if c not in categories:
                return unread("category", c, f"未知的活动类别，可选：{'、'.join(sorted(categories))}")
    return [ReadLine(entry.row, entry.section.title, entry.label, categories_of[i], days[i], fitted_targets[i],
                     summary_lines[i]) for i in range(n)], []


def _fit(lines: list[str], n: int, join: str | None) -> list[str] | None:
    """Lines for n activities: one each; none (blank); one shared by all; or, for a single
    activity, all of them run together (a long text wrapped by Enter). None when they cannot fit."""
    if len(lines) == n:
        return lines
    if not lines:
        return [""] * n
    if len(lines) == 1:
        return lines * n
    if n == 1 and join is not None:
        return [join.join(lines)]
    return None
