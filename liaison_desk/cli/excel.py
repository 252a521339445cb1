"""Excel on the command line: `import`, `export` and `template`.

    liaison-desk import KIND FILE.xlsx [--dry-run] [--year 2025-2026]
    liaison-desk import sheets FILE.docx … | FOLDER [--dry-run]      (cadres' filled-in Word forms)
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

from ..errors import BadInput

KIND_HELP = ("cadres 干部名册 / targets 联系对象 / assignments 联系安排（含对接一览表） / activities 台账"
             " / sheets 干部填好的 Word 工作记录表（.docx，可多个文件或一个文件夹）")


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], None]]:
    from .main import add_db_option

    p = sub.add_parser("import", help="从 Excel 或 Word 记录表导入（全部检查无误才写入）")
    p.add_argument("kind", metavar="KIND", help=KIND_HELP)
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="FILE.xlsx；sheets：FILE.docx … 或文件夹")
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
    from ..excel.cells import as_year
    from ..excel.importing import ImportRefused, import_file, problem_lines
    from .main import open_ledger

    open_ledger(args)
    if args.kind.strip().lower() in ("sheets", "sheet", "记录表"):
        import_sheets(args)
        return
    if len(args.files) != 1:
        raise BadInput("Excel 导入一次一个文件")
    args.file = args.files[0]
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


def import_sheets(args: argparse.Namespace) -> None:
    """Word record forms: the preview (each line and what it became) on stdout, problems on
    stderr and exit 2 with nothing written; otherwise one transaction."""
    from ..excel.import_sheets import SheetsImport, SheetsRefused, commit_sheets, problem_text

    imp = SheetsImport(args.files)
    imp.read()
    p = imp.plan()
    for line in p.item_lines():
        print(line)
    for f in p.fields:
        print(f"{f.file}：{f.cadre} {f.month} {f.label} → {_shown(f.after)}")
    if p.problems:
        for line in p.lines():
            print(line, file=sys.stderr)
        for problem in p.problems.items:
            print(f"  {problem_text(problem)}", file=sys.stderr)
        if p.problems.count > len(p.problems.items):
            print(f"  ……另有 {p.problems.count - len(p.problems.items):,} 处问题未列出", file=sys.stderr)
        raise SheetsRefused(p)
    if args.dry_run:
        for line in p.lines():
            print(line)
        print("试运行：没有写入任何数据")
        return
    done = commit_sheets(imp)
    for line in done.lines():
        print(line)
    for note in done.notes:
        print(f"注意：{note}")
    if not done.written:
        print("没有需要写入的内容：台账已与记录表一致")
    else:
        print(f"已导入：一个事务写入，变更日志 {done.log_entries:,} 条")


def _shown(value: object) -> str:
    return "、".join(map(str, value)) if isinstance(value, list) else str(value).replace("\n", " ")


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
