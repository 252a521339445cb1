"""Excel benchmarks (#6): importing and exporting 100,000 ledger rows on the large data set.

The workbook to import is made once (benchmarks/.data/ledger-100k.xlsx): 100,000 lines for the
large set's 600 cadres in academic year 2027-2028, after the demo's last month, naming roster
targets and free carriers like a real ledger. Each import runs the CLI on a fresh copy of the
large ledger; the re-import and the export use a copy that already holds those rows. Both copies
are made once, untimed, at the current schema version (so no timed run includes a migration),
and made again when the schema changes.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from liaison_desk.store.safety import read_only_uri

from .run import DATA, Benchmark, Run, cli, ensure_large, run_process

ROWS = 100_000
YEAR = "2027-2028"
LEDGER = DATA / "ledger-100k.xlsx"
CURRENT = DATA / "large-current-schema.sqlite3"
WITH_LEDGER = DATA / "large-plus-ledger-100k.sqlite3"

SUMMARIES = ["走访宿舍，了解学生生活和安全情况", "与学生共进午餐，听取对伙食的意见", "听课并与任课教师交流",
             "参加主题班会，与同学交流学习计划", "与学生谈心，疏导考研压力", "浏览校长信箱并回复学生留言",
             "参加支部组织生活会", "到学院驻点办公，协调解决实验室建设问题", "召开学生代表座谈会，听取意见建议"]


def make_ledger(path: Path = LEDGER, rows: int = ROWS, seed: int = 6) -> Path:
    """The 100,000-line workbook, built from the large set's roster (deterministic)."""
    if path.exists():
        return path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from liaison_desk.excel.kinds import ACTIVITIES, INDEX
    from liaison_desk.excel.xlsx import Book, Column
    from liaison_desk.vocabulary import vocabulary

    conn = sqlite3.connect(ensure_large())
    cadres = [n for (n,) in conn.execute("SELECT name FROM cadre ORDER BY sort_order")]
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for name, kind in conn.execute("SELECT name, kind FROM target WHERE kind != '困难学生'"):
        by_kind.setdefault(kind, []).append((name, kind))
    conn.close()
    rng = random.Random(seed)
    categories = list(vocabulary().categories.values())
    first = date(2027, 9, 1)
    book = Book("台账")
    sheet = book.add_sheet("台账")
    fields = [INDEX, *ACTIVITIES.fields]
    sheet.table([Column(f.label, f.width, f.kind) for f in fields], title="领导干部联系活动台账（基准测试）")
    for i in range(rows):
        c = rng.choice(categories)
        pool = [t for k in c.target_kinds for t in by_kind.get(k, [])]
        if pool and rng.random() < 0.8:
            target, kind = rng.choice(pool)
        else:
            target, kind = ("学生食堂" if c.name == "进食堂" else ""), ""
        people = rng.randint(1, 40) if rng.random() < 0.4 else None
        days = 0.5 if c.name == "驻点办公" else None
        problem = "宿舍热水供应不稳定" if rng.random() < 0.03 else ""
        sheet.append([i + 1, rng.choice(cadres), first + timedelta(days=rng.randrange(366)), c.name, target, kind,
                      f"{rng.choice(SUMMARIES)}（{i % 97 + 1}）", people, days, "是" if c.face_to_face else "否",
                      problem])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _schema(path: Path) -> int:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return int(conn.execute("SELECT version FROM schema_version").fetchone()[0])
    finally:
        conn.close()


def _code_schema() -> int:
    out = subprocess.run([sys.executable, "-c", "from liaison_desk.store.storage import SCHEMA_VERSION as v; print(v)"],
                         capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return int(out.stdout)


def _build(dest: Path, make: Callable[[Path], None]) -> Path:
    """Make `dest` (untimed) unless it is there at the code's schema version."""
    if dest.exists() and _schema(dest) == _code_schema():
        return dest
    tmp = dest.with_suffix(".building")
    make(tmp)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.replace(dest)
    for leftover in DATA.glob(tmp.name + "*"):
        leftover.unlink()
    return dest


def _current() -> Path:
    """The large ledger migrated to the current schema (opening it migrates it)."""
    def make(tmp: Path) -> None:
        shutil.copy(ensure_large(), tmp)
        run_process([sys.executable, "-c", "import sys; from liaison_desk.store import storage; "
                     "storage.open_database(sys.argv[1]); storage.close_database()", str(tmp)])
    return _build(CURRENT, make)


def _with_ledger() -> Path:
    """The large ledger plus the 100,000 imported lines."""
    def make(tmp: Path) -> None:
        shutil.copy(_current(), tmp)
        run_process(cli("--db", str(tmp), "import", "activities", str(make_ledger())))
    return _build(WITH_LEDGER, make)


def _settled_copy(source: Path, dest: Path) -> Path:
    """A copy written through to disk (untimed), so that the timed run does not pay for writing
    out the copy when it syncs the file: a clerk's ledger was not copied a moment before."""
    shutil.copy(source, dest)
    with dest.open("rb+") as f:
        os.fsync(f.fileno())
    return dest


def bench_import() -> Run:
    ledger = make_ledger()
    with tempfile.TemporaryDirectory() as d:
        db = _settled_copy(_current(), Path(d) / "ledger.sqlite3")
        return run_process(cli("--db", str(db), "import", "activities", str(ledger)))


def bench_reimport() -> Run:
    ledger = make_ledger()
    with tempfile.TemporaryDirectory() as d:
        db = _settled_copy(_with_ledger(), Path(d) / "ledger.sqlite3")
        return run_process(cli("--db", str(db), "import", "activities", str(ledger)))


def bench_export() -> Run:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "ledger.sqlite3"
        shutil.copy(_with_ledger(), db)
        return run_process(cli("--db", str(db), "export", "activities", str(Path(d) / "out.xlsx"),
                               "--year", YEAR, "--include-private"))


FLOOR = ("import sys\nfrom python_calamine import CalamineWorkbook\n"
         "book = CalamineWorkbook.from_path(sys.argv[1])\n"
         "rows = sum(1 for _ in book.get_sheet_by_name(book.sheet_names[0]).iter_rows())\n")


def bench_calamine_floor() -> Run:
    """A bare python-calamine read of the same file: the floor the import is judged against
    (#17 aims at an import within 3× of it)."""
    return run_process([sys.executable, "-c", FLOOR, str(make_ledger())])


BENCHMARKS = [
    Benchmark("excel: import 100,000 ledger rows", 5.0, bench_import, "#17"),
    Benchmark("excel: re-import them (all unchanged)", 3.0, bench_reimport, "#17"),
    Benchmark("excel: bare calamine read (the floor)", 5.0, bench_calamine_floor, "#17"),
    Benchmark("excel: export 100,000 ledger rows", 10.0, bench_export, "#6"),
]
