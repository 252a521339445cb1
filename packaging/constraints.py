"""The exact versions in constraints.txt, and which installed packages differ from them.

build.spec refuses to bundle a program whose own dependencies (pyproject's `dependencies`) are
not the tested versions; tests/test_constraints.py checks the same for the test run."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(root: Path = ROOT) -> dict[str, str]:
    """Package (normalised name) → exact version, from constraints.txt."""
    found = {}
    for line in (root / "constraints.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[_key(name)] = version.strip()
    return found


def runtime(root: Path = ROOT) -> list[str]:
    """The program's own dependencies (what the bundle ships), by normalised name."""
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    return [_key(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in project["dependencies"]]


def mismatches(root: Path = ROOT) -> list[str]:
    """One line per runtime dependency that is unpinned, missing, or installed at another version."""
    pins = pinned(root)
    out = []
    for name in runtime(root):
        want = pins.get(name)
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = None
        if want is None:
            out.append(f"{name}: not pinned in constraints.txt")
        elif have != want:
            out.append(f"{name}: installed {have or 'nothing'}, constraints.txt says {want}")
    return out
