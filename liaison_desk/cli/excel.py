"""Excel on the command line: `import`, `export` and `template`.

    liaison-desk import KIND FILE.xlsx [--dry-run] [--year 2025-2026]
    liaison-desk export KIND FILE.xlsx [--term ID | --month YYYY-MM | --year YYYY-YYYY] [--include-private]
    liaison-desk template KIND FILE.xlsx

A refused import prints every problem (sheet, row, column, value, why) and exits 2 with nothing
written; --dry-run prints what would be added, changed and skipped, and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

KIND_HELP = "cadres 干部名册 / targets 联系对象 / assignments 联系安排（含对接一览表） / activities 台账"


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .main import add_db_option

    p = sub.add_parser("import", help="从 Excel 导入（全部检查无误才写入）")
    p.add_argument("kind", metavar="KIND", help=KIND_HELP)
    p.add_argument("file", type=Path, metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="只检查并显示将新增、修改的内容，不写入")
    p.add_argument("--year", default=None, help="学年（文件中没有“学年”列、标题中也没有时使用），如 2025-2026")
    add_db_option(p)

    p = sub.add_parser("export", help="导出为 Excel")
    p.add_argument("kind", metavar="KIND",
                   help="cadres / targets / assignments / roster 对接一览表 / activities 台账 / compliance 达标检查")
    p.add_argument("file", type=Path, metavar="FILE.xlsx")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--term", default=None, help="只导出一个学期，如 2025-2026-1")
    group.add_argument("--month", default=None, help="只导出一个月，如 2025-10")
    group.add_argument("--year", default=None, help="只导出一个学年，如 2025-2026")
    p.add_argument("--include-private", action="store_true",
                   help="包含困难学生姓名（个人信息；默认隐去，隐去的行不能再导入）")
    add_db_option(p)

    p = sub.add_parser("template", help="生成 Excel 导入模板")
    p.add_argument("kind", metavar="KIND", help="cadres / targets / assignments / roster / activities")
    p.add_argument("file", type=Path, metavar="FILE.xlsx")
    add_db_option(p)
    return {"import": cmd_import, "export": cmd_export, "template": cmd_template}


def _progress(done: int, total: int, what: str) -> None:
    if total and what in ("读取", "写入") and done % 20_000 == 0:
        print(f"… {what} {done:,} / {total:,}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> None:
    from ..errors import BadInput
    from ..excel.cells import as_year
    from ..excel.importing import ImportRefused, import_file, problem_lines
    from .main import open_ledger

    open_ledger(args)
    year = None
    if args.year:
        year, why = as_year(args.year)
        if why:
            raise BadInput(f"--year：{why}")
    try:
        preview = import_file(args.kind, args.file, dry_run=args.dry_run, year=year, progress=_progress)
    except ImportRefused as e:
        for line in e.preview.lines():
            print(line, file=sys.stderr)
        for line in problem_lines(e.preview):
            print(f"  {line}", file=sys.stderr)
        raise
    for line in preview.lines():
        print(line)
    if args.dry_run:
        print("试运行：没有写入任何数据")
    elif not preview.written:
        print("没有需要写入的内容：数据已与文件一致")
    else:
        print(f"已导入：一个事务写入，变更日志 {preview.log_entries:,} 条")


def cmd_export(args: argparse.Namespace) -> None:
    from ..excel.export import export
    from .main import open_ledger

    open_ledger(args)
    result = export(args.kind, args.file, term=args.term, month=args.month, year=args.year,
                    include_private=args.include_private)
    hidden = f"（困难学生姓名隐去 {result.hidden:,} 处）" if result.hidden else ""
    print(f"已导出 {result.rows:,} 行到 {result.path}{hidden}")


def cmd_template(args: argparse.Namespace) -> None:
    from ..errors import BadInput
    from ..excel.export import write_template
    from ..store import storage

    with_cadres = False
    try:  # a template works without a ledger; with one, its 姓名 column offers the cadres
        storage.open_database(args.db, create=False)
        with_cadres = True
    except BadInput:
        pass
    path = write_template(args.kind, args.file, with_cadres=with_cadres)
    print(f"已生成模板：{path}")
