"""Command line for record forms (记录表格式): `form import | export | list`.

A school's own form is imported into the ledger (ledger/form_library.py); the shipped forms are
templates to export and start from. The file format is described in docs/forms.md.
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .main import Parser, add_db_option, open_ledger


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], None]]:
    p = sub.add_parser("form", help="记录表格式：导入本校的格式、导出模板、列出")
    fsub = p.add_subparsers(dest="form_command", required=True, parser_class=Parser)
    fi = fsub.add_parser("import", help="从 .toml 文件导入（新增，或替换本台账中同一编号的格式）")
    fi.add_argument("file", type=Path)
    add_db_option(fi)
    fe = fsub.add_parser("export", help="导出一种格式（本台账的或程序自带的模板）为 .toml 文件")
    fe.add_argument("id", help="格式编号，见 form list")
    fe.add_argument("--out", type=Path, default=None, metavar="FILE", help="输出文件（默认：<编号>.toml）")
    add_db_option(fe)
    fl = fsub.add_parser("list", help="列出可用的格式：编号、名称、来源、哪些干部类别在用")
    add_db_option(fl)
    return {"form": cmd_form}


def _ledger_exists(args: argparse.Namespace) -> bool:
    from ..store import storage

    path = Path(args.db) if args.db else storage.default_db_path()
    return path.is_file() and path.stat().st_size > 0


def cmd_form(args: argparse.Namespace) -> None:
    from ..ledger import form_library

    if args.form_command == "import":
        form_library.read_form_file(args.file)  # a bad file is refused before the ledger is opened
        open_ledger(args)
        for line in form_library.import_form(args.file).lines():
            print(line)
        return
    if _ledger_exists(args):  # without a ledger, the shipped templates are still there to export
        open_ledger(args)
    if args.form_command == "export":
        out = args.out or Path(f"{args.id}.toml")
        form_library.export_form(args.id, out)
        print(f"已导出记录表格式“{args.id}”：{out}")
        return
    rows = form_library.form_list()
    width = max(_width(r.id) for r in rows)
    for r in rows:
        used = f"  在用：{'、'.join(r.tiers)}" if r.tiers else ""
        print(f"{r.id}{' ' * (width - _width(r.id))}  {r.title}  〔{r.origin}〕{used}")


def _width(text: str) -> int:
    """Columns a text takes in a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
