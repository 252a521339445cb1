"""A school's own record form as a clerk would write it (no such file ships with the program)."""

from __future__ import annotations

import hashlib
from pathlib import Path

VISIT_LOG = """# 本校领导干部走访记录簿
id = "visit-log"
title = "领导干部走访记录簿"
source = "本校党委办公室制"
header = [{ key = "month", label = "填表时间" }, { key = "cadre.name", label = "走访人" },
          { key = "cadre.unit", label = "单位" }]

[[sections]]
title = "走访情况"
kind = "activities"
columns = [{ key = "date", label = "日期", width = 2 }, { key = "category", label = "方式", width = 2 },
           { key = "target", label = "走访对象", width = 3 }, { key = "summary", label = "情况", width = 6 }]

[[sections]]
title = "心得体会"
kind = "text"
key = "thoughts"
"""


def write_form(folder: Path, text: str = VISIT_LOG, name: str = "visit-log.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def digest(path: Path) -> str:
    """The ledger file's bytes (with its -wal): unchanged means nothing was written."""
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return hashlib.sha256(data).hexdigest()
