"""Word record forms (#20): a month's 60 filled-in forms imported in one go from a folder.

The data: a ledger of the 闽卫院 policy with 60 cadres (30 leaders on 五联七进, 30 middle-level
cadres on 三特一体), each with the targets of the keystroke benchmark's sheets, and one filled
form per cadre — the two paper sheets of entry_replay.py, typed into the program's own blank
form as a cadre types them in Word (14 lines, or 特长, 联系载体, 工作内容 and 4 lines). Built once
into benchmarks/.data/docx-60/. The run: `liaison-desk import sheets FOLDER` in a fresh process
on a copy of the ledger (start-up, reading, checking, one transaction), wall time and peak memory.

    python -m benchmarks.bench_docx          # build if needed, then the median of 3 runs
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .run import DATA, ROOT, Benchmark, Run, cli, run_process

FOLDER = DATA / "docx-60"
FORMS = FOLDER / "forms"
LEDGER = FOLDER / "ledger.sqlite3"
COUNT = 60

BUILD = """
import sys
from pathlib import Path
from liaison_desk.store import storage
from liaison_desk.ledger import settings
from liaison_desk.ledger.roster import add_cadre, assign
from benchmarks import entry_replay as er
from benchmarks.docx_forms import replay_sheets_as_docx

folder = Path(sys.argv[1])
storage.open_database(folder / "ledger.sqlite3")
settings.init("fjwsxy-2021", "福建卫生职业技术学院")
er.make_roster()
digits = "一二三四五六七八九十"
made = []
for i in range(%(pairs)d):
    leader, middle = f"王{digits[i // 10]}{digits[i %% 10]}", f"李{digits[i // 10]}{digits[i %% 10]}"
    add_cadre(leader, "leader", "校领导班子", "副校长", "党委委员")
    add_cadre(middle, "middle_head", "学生工作部", "部长", "学生工作部门")
    for name in er.ASSIGNED[er.LEADER]:
        assign(leader, name, "2025-2026")
    assign(middle, "护理2302班", "2025-2026")
    er.WULIAN.cadre, er.SANTE.cadre = leader, middle
    work = folder / "work"
    work.mkdir(exist_ok=True)
    for path in replay_sheets_as_docx(work):
        path.rename(folder / "forms" / path.name)
storage.close_database()
"""


def build() -> None:
    if (FORMS.is_dir() and len(list(FORMS.glob("*.docx"))) == COUNT) and LEDGER.exists():
        return
    shutil.rmtree(FOLDER, ignore_errors=True)
    (FOLDER / "forms").mkdir(parents=True)
    subprocess.run([sys.executable, "-c", BUILD % {"pairs": COUNT // 2}, str(FOLDER)], check=True, cwd=ROOT,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIAISON_DESK_HOME": str(FOLDER / "home")})
    shutil.rmtree(FOLDER / "work", ignore_errors=True)


def bench_import_forms() -> Run:
    build()
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "ledger.sqlite3"
        shutil.copy(LEDGER, db)
        return run_process(cli("--db", str(db), "import", "sheets", str(FORMS)))


BENCHMARKS = [
    Benchmark("word: import 60 filled record forms", 10.0, bench_import_forms, "#20"),
]


if __name__ == "__main__":
    runs = [bench_import_forms() for _ in range(3)]
    print(f"60 份 Word 记录表导入：中位数 {statistics.median(r.seconds for r in runs):.2f} s"
          f"（{', '.join(f'{r.seconds:.2f}' for r in runs)}），峰值内存 {max(r.peak_mb for r in runs):.0f} MB")
