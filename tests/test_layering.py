"""DESIGN.md §5: only liaison_desk/gui/ imports PySide6."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "liaison_desk"


def test_no_core_module_imports_qt():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.relative_to(PACKAGE).parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+PySide6", text, re.MULTILINE):
            offenders.append(str(path))
    assert offenders == []
