"""Activity categories (活动类别) and target kinds (联系对象类别), read from forms/categories.toml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import resources
from .tomlfile import Reader, read_toml


@dataclass(frozen=True)
class Category:
    name: str
    group: str
    face_to_face: bool
    target_kinds: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Vocabulary:
    categories: dict[str, Category]
    target_kinds: tuple[str, ...]
    cadre_tags: tuple[str, ...]

    @property
    def category_names(self) -> frozenset[str]:
        return frozenset(self.categories)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    path = path or resources.forms_dir() / "categories.toml"
    r = Reader(read_toml(path), path.name)
    kinds = tuple(r.texts("target_kinds", required=True))
    tags = tuple(r.texts("cadre_tags", required=True))
    allowed_kinds = frozenset(kinds)
    categories: dict[str, Category] = {}
    for c in r.tables("category", required=True):
        name = c.text("name")
        if name in categories:
            raise c.fail("name", f"类别“{name}”重复")
        categories[name] = Category(
            name=name,
            group=c.text("group"),
            face_to_face=c.flag("face_to_face"),
            target_kinds=tuple(c.texts("target_kinds", allowed=allowed_kinds)),
            description=c.text("description", required=False),
        )
        c.done()
    r.done()
    return Vocabulary(categories, kinds, tags)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled vocabulary, read once."""
    return load_vocabulary()


TIERS: dict[str, str] = {
    "leader": "校领导",
    "middle_head": "中层正职",
    "middle_deputy": "中层副职",
}
TIER_BY_LABEL = {label: key for key, label in TIERS.items()}

#: Personal data: the names of targets of this kind (students in difficulty) are shown as HIDDEN
#: in exports, reports and printed sheets unless asked for (--include-private).
PRIVATE_KIND = "困难学生"
HIDDEN = "（已隐去）"
