"""DESIGN.md §5: the core never imports Qt, and imports run one way only:
cli/gui → paper/excel → rules → ledger → store, with the top-level definitions (forms, policy
files, words, calendar, errors, resources) below them all, usable from every level.

Read from the source (every import statement, including those inside functions), so a module
that reaches upwards fails here, whatever the tests happen to exercise."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "liaison_desk"

#: How high each area sits; a module may import its own area and any lower one. paper and excel
#: share a level but stay apart; cli and gui are the two faces and may use each other.
LEVELS = {"definitions": 0, "store": 1, "ledger": 2, "rules": 3, "paper": 4, "excel": 4, "cli": 5, "gui": 5}
FACES = {"cli", "gui", "entry"}


def area(module: str) -> str:
    """liaison_desk.store.backup → store; liaison_desk.forms → definitions; the package's own
    __init__ and __main__ are the program's entry."""
    parts = module.split(".")[1:]
    if not parts or parts == ["__main__"]:
        return "entry"
    if (PACKAGE / parts[0]).is_dir():
        return parts[0]
    return "definitions"


def level(name: str) -> int:
    return 5 if name == "entry" else LEVELS[name]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every liaison_desk module this file imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "liaison_desk":
                continue
            if node.module is None or target == "liaison_desk":  # `from . import x`: x may be a module
                found.update(f"{target}.{a.name}" for a in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "liaison_desk")
    return found


def upward_imports() -> list[str]:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        src = area(module_name(path))
        for target in sorted(imports(path)):
            dst = area(target)
            if dst == src or level(dst) < level(src) or (src in FACES and dst in FACES):
                continue
            wrong.append(f"{module_name(path)} ({src}) imports {target} ({dst})")
    return wrong


def test_no_core_module_imports_qt():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.relative_to(PACKAGE).parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+PySide6", text, re.MULTILINE):
            offenders.append(str(path))
    assert offenders == []


def test_imports_run_one_way():
    assert upward_imports() == []


def test_every_area_is_known():
    """A new subpackage must be given its level here before it can hold code."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(LEVELS)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The direction check itself: a store module importing the rules is caught."""
    fake = tmp_path / "liaison_desk"
    (fake / "store").mkdir(parents=True)
    (fake / "rules").mkdir()
    for folder in (fake, fake / "store", fake / "rules"):
        (folder / "__init__.py").write_text("")
    (fake / "rules" / "compliance.py").write_text("X = 1\n")
    (fake / "store" / "backup.py").write_text("def f():\n    from ..rules.compliance import X\n    return X\n")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert upward_imports() == ["liaison_desk.store.backup (store) imports liaison_desk.rules.compliance (rules)"]
