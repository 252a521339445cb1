"""The generated Ui_* modules match their Designer files (regenerate with scripts/uic.sh)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def uic() -> str | None:
    return shutil.which("pyside6-uic") or shutil.which("pyside6-uic", path=str(Path(sys.executable).parent))


@pytest.mark.parametrize("ui", sorted((ROOT / "ui").glob("*.ui")), ids=lambda p: p.name)
def test_generated_ui_module_is_up_to_date(ui):
    tool = uic()
    if tool is None:
        pytest.skip("pyside6-uic not installed")
    generated = ROOT / "liaison_desk" / "gui" / f"ui_{ui.stem}.py"
    fresh = subprocess.run([tool, str(ui)], capture_output=True, text=True, check=True).stdout
    assert generated.read_text(encoding="utf-8") == fresh, f"run scripts/uic.sh: {generated.name} is stale"
