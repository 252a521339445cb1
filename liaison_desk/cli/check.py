"""Command line for compliance: `check`, `filing` (term summaries, arrangements), `policy`
(export, import, show the database's own policy)."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .main import Parser, add_db_option, open_ledger

FORMATS = ("table", "json")


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], None]]:
    p = sub.add_parser("check", help="达标检查：按学期、月或学年检查每位干部是否达到要求")
    p.add_argument("--term", metavar="ID", help="学期，如 2025-2026-1")
    p.add_argument("--month", metavar="YYYY-MM", help="月份，如 2025-10")
    p.add_argument("--year", metavar="YYYY-YYYY", help="学年，如 2025-2026")
    p.add_argument("--cadre", metavar="NAME", help="只检查这位干部")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="按此日期的情况检查（默认今天）")
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式：table（表格）或 json")
    add_db_option(p)

    p = sub.add_parser("filing", help="报送：学期工作总结、学年联系安排及本校制度声明的报送（如年度书面报告）")
    fsub = p.add_subparsers(dest="filing_command", required=True, parser_class=Parser)
    fa = fsub.add_parser("add", help="登记一次报送")
    fa.add_argument("cadre", nargs="?", default="", help="报送的干部（或用 --unit 指定部门）")
    fa.add_argument("--unit", default="", help="代本部门全体干部报送的部门")
    fa.add_argument("--kind", required=True, help="term_summary（学期工作总结）、arrangement（学年联系安排）"
                    "或本校制度声明的报送类别名称（policy show 列出）")
    fa.add_argument("--period", required=True, help="学期（如 2025-2026-1）或学年（如 2025-2026），按报送类别")
    fa.add_argument("--date", required=True, help="报送日期 YYYY-MM-DD")
    fa.add_argument("--note", default="")
    add_db_option(fa)
    fl = fsub.add_parser("list", help="列出报送")
    fl.add_argument("--period", default=None)
    add_db_option(fl)

    p = sub.add_parser("policy", help="本台账的联系制度：查看、导出、导入")
    psub = p.add_subparsers(dest="policy_command", required=True, parser_class=Parser)
    ps = psub.add_parser("show", help="列出规则")
    add_db_option(ps)
    pe = psub.add_parser("export", help="导出为 .toml 或 .json 文件")
    pe.add_argument("file", type=Path)
    add_db_option(pe)
    pi = psub.add_parser("import", help="从 .toml 或 .json 文件导入（校验后替换本台账的制度）")
    pi.add_argument("file", type=Path)
    add_db_option(pi)
    return {"check": cmd_check, "filing": cmd_filing, "policy": cmd_policy}


def cmd_check(args: argparse.Namespace) -> None:
    from ..calendar import parse_date, parse_month, parse_term_id, parse_year_id
    from ..errors import BadInput
    from ..rules.compliance import check
    from ..rules.periods import plan_for

    # Check the arguments' form before opening anything (one Chinese line, exit 2).
    given = [name for name in ("term", "month", "year") if getattr(args, name) is not None]
    if len(given) != 1:
        raise BadInput("请指定 --term、--month、--year 中的一个（如 --term 2025-2026-1）")
    if args.term:
        parse_term_id(args.term)
        scope, period_id = "term", args.term
    elif args.month:
        y, m = parse_month(args.month)
        scope, period_id = "month", f"{y:04d}-{m:02d}"
    else:
        parse_year_id(args.year)
        scope, period_id = "year", args.year
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else None
    open_ledger(args)
    results = check(scope, period_id, as_of=as_of, cadre=args.cadre)
    for note in plan_for(scope, period_id).notes:
        print(f"注意：{note}", file=sys.stderr)
    from ..ledger.clerks import scope_line

    if scope_line():  # a college secretary's results are its units' alone: said where it is read
        print(f"注意：{scope_line()}（只含本部门的干部）", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=1))
        return
    print_table(results)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _num(x: float) -> str:
    return f"{x:g}"


def print_table(results: list) -> None:
    """Aligned columns for a terminal (Chinese characters count double width)."""
    from ..rules.compliance import STATUSES

    if not results:
        print("没有适用的规则或干部。")
        return
    header = ["干部", "规则", "期间", "对象", "要求", "实际", "状态", "说明"]
    rows = []
    for r in results:
        need = f"{_num(r.required)}{r.unit}"
        if r.maximum is not None:
            need = f"{_num(r.required)}–{_num(r.maximum)}{r.unit}"
        status = STATUSES[r.status] + ("（提示）" if r.severity == "advisory" else "")
        rows.append([r.cadre, r.title, r.period_label, r.target or "", need,
                     f"{_num(r.actual)}{r.unit}", status, r.detail])
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        print("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])) + "  " + row[-1])
    counts = Counter(r.status for r in results)
    print("合计：" + "，".join(f"{STATUSES[s]} {counts[s]}" for s in STATUSES if counts[s]))


def cmd_filing(args: argparse.Namespace) -> None:
    from ..ledger.filings import add_filing, filings, kind_label

    if args.filing_command == "list":
        open_ledger(args)
        for f in filings(args.period):
            who = f.cadre.name if f.cadre else f"{f.unit.name if f.unit else '（已删除的部门）'}（部门）"
            print(f"{f.period}  {kind_label(f.kind)}  {who}  {f.filed_on}  {f.note}")
        return
    from ..calendar import parse_date

    filed_on = parse_date(args.date, "报送日期")
    open_ledger(args)
    filing = add_filing(args.kind, args.period, filed_on, cadre=args.cadre, unit=args.unit, note=args.note)
    who = args.cadre or f"{args.unit}（部门）"
    print(f"已登记报送：{who} {filing.period} {kind_label(filing.kind)}，{filing.filed_on}")


def cmd_policy(args: argparse.Namespace) -> None:
    from ..ledger import settings
    from ..ledger.policy_edit import export_policy, import_policy, read_policy_file
    from ..policy import MEASURES, PERIODS

    if args.policy_command == "import":
        read_policy_file(args.file)  # a bad file is refused before the ledger is touched
        open_ledger(args)
        policy = import_policy(args.file)
        print(f"已导入：{policy.label}，规则 {len(policy.rules)} 条")
        return
    open_ledger(args)
    policy = settings.current_policy()
    if args.policy_command == "export":
        export_policy(policy, args.file)
        print(f"已导出：{args.file}（规则 {len(policy.rules)} 条）")
        return
    print(f"{policy.label}，规则 {len(policy.rules)} 条")
    for r in policy.rules:
        advisory = "（提示）" if r.severity == "advisory" and "（提示）" not in r.title else ""
        amount = f"{r.min:g}–{r.max:g}" if r.max is not None else f"≥{r.min:g}"
        term_months = "（仅学期月）" if r.term_months_only else ""
        print(f"  {r.id}  {r.title}{advisory}  每{PERIODS[r.period]}{term_months} {amount}{MEASURES[r.measure]}")
    for f in policy.filings:
        print(f"  报送类别：{f.name}，每{PERIODS[f.period]}，截止 {f.due_text}")
