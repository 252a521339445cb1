"""A target name as written (typed in the grid, or in a cadre's Word form) matched to the roster.

The order is the grid's: the exact name; then type-ahead — the first of the suggestions (the
cadre's assigned targets of the category's kinds, then every roster target of those kinds) that
contains what was written, ignoring case, as Tab takes it in the grid; then, only among the
cadre's own assigned targets, a name one character off (a slip of the pen on a name the cadre
writes every month). Anything else is kept as the carrier name (载体名称) and marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store.models import Target
from ..store.records import tuples
from ..vocabulary import vocabulary


def category_kinds(category: str) -> tuple[str, ...]:
    cats = vocabulary().categories
    return cats[category].target_kinds if category in cats else ()


def suggested(assigned: list[str], roster: list[str]) -> list[str]:
    """What the grid's target cell offers, most likely first: assigned targets, then the roster's."""
    return assigned + [n for n in roster if n not in assigned]


def type_ahead(typed: str, words: list[str]) -> str | None:
    """What Tab takes in the grid: the typed text itself when it is a suggestion, else the first
    suggestion containing it (case-insensitive), else nothing."""
    typed = typed.strip()
    if not typed:
        return None
    if typed in words:
        return typed
    low = typed.casefold()
    return next((w for w in words if low in w.casefold()), None)


def one_off(typed: str, words: list[str]) -> str | None:
    """The only word one character away (changed, missing or extra), or None."""
    found = {w for w in words if _one_edit(typed, w)}
    return found.pop() if len(found) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 2:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1:]


@dataclass(frozen=True)
class Match:
    name: str  # the roster name, or the text kept as the carrier name
    on_roster: bool
    how: str  # exact / type-ahead / corrected / carrier
    note: str = ""  # what the clerk should be told


class TargetMatcher:
    """Matches names for many lines at once; roster names are read once per set of kinds."""

    def __init__(self) -> None:
        self.names = {n for (n,) in tuples(Target.select(Target.name))}
        self._by_kinds: dict[tuple[str, ...], list[str]] = {}

    def roster(self, kinds: tuple[str, ...]) -> list[str]:
        if kinds not in self._by_kinds:
            query = Target.select(Target.name).where(Target.kind.in_(kinds)).order_by(Target.name)
            self._by_kinds[kinds] = [n for (n,) in tuples(query)] if kinds else []
        return self._by_kinds[kinds]

    def match(self, text: str, category: str, assigned: dict[str, list[str]]) -> Match:
        """`assigned`: the cadre's assigned target names by kind for the year."""
        name = text.strip()
        if not name:
            return Match("", False, "carrier")
        if name in self.names:
            return Match(name, True, "exact")
        kinds = category_kinds(category)
        mine = [n for k in kinds for n in assigned.get(k, [])]
        ahead = type_ahead(name, suggested(mine, self.roster(kinds)))
        if ahead is not None:
            return Match(ahead, True, "type-ahead", f"“{name}”按名册补全为“{ahead}”")
        fixed = one_off(name, mine)
        if fixed is not None:
            return Match(fixed, True, "corrected", f"“{name}”与本人联系对象“{fixed}”只差一字，已按名册更正")
        if kinds:
            return Match(name, False, "carrier", f"名册中没有“{name}”，作为载体名称登记")
        return Match(name, False, "carrier")
