"""The program's name and version, read from pyproject.toml (the one place they are written), for
build.spec, the Windows version resource and the installer.

    python packaging/version_info.py            prints the version, e.g. 0.1.0
    python packaging/version_info.py --numeric  prints the four numbers Windows wants, e.g. 0.1.0.0
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = "联系工作台"
DESCRIPTION = "联系工作台：高校领导干部深入基层联系师生工作台账"
COMPANY = "Liaison Desk"


def project(root: Path = ROOT) -> tuple[str, str]:
    """(name, version) from [project] in pyproject.toml."""
    with open(root / "pyproject.toml", "rb") as f:
        meta = tomllib.load(f)["project"]
    return meta["name"], meta["version"]


def numeric(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' → (0, 1, 0, 0); Windows wants four numbers, so suffixes like 'rc1' are dropped."""
    parts = [int(m) for m in re.findall(r"\d+", version.split("+")[0])[:4]]
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def windows_version_text(name: str, version: str, exe_name: str) -> str:
    """The version resource in PyInstaller's text form (read by EXE(version=…) on Windows)."""
    v = numeric(version)
    strings = {
        "CompanyName": COMPANY, "FileDescription": DESCRIPTION, "FileVersion": version,
        "InternalName": name, "LegalCopyright": "", "OriginalFilename": f"{exe_name}.exe",
        "ProductName": PRODUCT, "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {val!r})" for k, val in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
{table}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def write_windows_version_file(dest: Path, exe_name: str, root: Path = ROOT) -> Path:
    name, version = project(root)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(windows_version_text(name, version, exe_name), encoding="utf-8")
    return dest


if __name__ == "__main__":
    version = project()[1]
    print(".".join(map(str, numeric(version))) if "--numeric" in sys.argv[1:] else version)
