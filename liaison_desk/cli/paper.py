"""Commands for paper: `sheet`, `sign`, `signature`, `report monthly|term`.

Heavy imports (reportlab, pyHanko, pypdf) stay inside the handlers, so start-up stays quick.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import BadInput
from . import receipts as cli_receipts
from .main import Parser, add_db_option, open_ledger


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], None]]:
    p = sub.add_parser("sheet", help="输出工作记录表 PDF（已签字的输出存档原件）；sheet revise 办理修订；"
                                     "sheet received 登记纸质表已收到")
    p.add_argument("action", nargs="?", choices=["revise", "received"],
                   help="revise：重新打开已签字封存的记录表（须写明 --reason；原签字作废并存档）；"
                        "received：登记纸质表已收到（--cadre、--unit 或 --all）")
    p.add_argument("--cadre", default="", help="干部姓名")
    p.add_argument("--unit", default="", help="该部门全部在册干部的记录表（received：登记其全部收到）")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--all", action="store_true", help="本月全部干部的记录表（尚无记录的输出空白表）")
    p.add_argument("--include-private", action="store_true", help="印出困难学生姓名（默认隐去）")
    p.add_argument("--allow-missing-glyphs", action="store_true",
                   help="字库中没有的字以“〓”代替照常输出（默认报错并指出该字）")
    p.add_argument("--duplex", action="store_true", help="双面打印：每份记录表从奇数页开始")
    p.add_argument("--format", choices=["pdf", "docx"], default="pdf",
                   help="pdf（默认）；docx：空白记录表的 Word 文档（表头已填），供干部在 Word/WPS 中填写后导入"
                        "（import sheets）")
    p.add_argument("--out", default=None, metavar="FILE.pdf|FILE.docx|DIR/",
                   help="输出文件；与 --all 同用且以 / 结尾（或为已有文件夹）时每人一个文件")
    p.add_argument("--reason", default="", help="修订原因（sheet revise）")
    cli_receipts.add_options(p)
    add_db_option(p)

    p = sub.add_parser("sign", help="工作记录表签字封存（可加数字签名）")
    p.add_argument("--cadre", required=True, help="干部姓名")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--p12", type=Path, metavar="FILE", help="数字证书（.p12/.pfx）；省略时用设置中的证书")
    p.add_argument("--password-env", metavar="VAR", help="存放证书密码的环境变量名")
    p.add_argument("--out", type=Path, metavar="FILE.pdf", help="同时写出签字后的 PDF")
    add_db_option(p)

    p = sub.add_parser("signature", help="录入或删除干部的签名图像")
    p.add_argument("--cadre", required=True, help="干部姓名")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--image", type=Path, metavar="FILE", help="签名扫描图（PNG 或 JPEG）")
    group.add_argument("--remove", action="store_true", help="删除已录入的签名图像")
    add_db_option(p)

    p = sub.add_parser("report", help="月度报告、学期总结（PDF）")
    report_sub = p.add_subparsers(dest="report_command", required=True, parser_class=Parser)
    m = report_sub.add_parser("monthly", help="月度报告")
    m.add_argument("--month", required=True, metavar="YYYY-MM")
    m.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    m.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="按此日期的台账计算（默认今天）")
    m.add_argument("--allow-missing-glyphs", action="store_true", help="字库中没有的字以“〓”代替照常输出")
    add_db_option(m)
    t = report_sub.add_parser("term", help="学期总结")
    t.add_argument("--term", required=True, metavar="ID", help="学期编号，如 2025-2026-1")
    t.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    t.add_argument("--cadre", default=None, help="只输出这位干部的总结")
    t.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="按此日期的台账计算（默认今天）")
    t.add_argument("--allow-missing-glyphs", action="store_true", help="字库中没有的字以“〓”代替照常输出")
    add_db_option(t)
    return {"sheet": cmd_sheet, "sign": cmd_sign, "signature": cmd_signature, "report": cmd_report}


# Output files ----------------------------------------------------------------------------------


def is_folder(out: Path, raw: str) -> bool:
    return raw.endswith(("/", os.sep)) or out.is_dir()


def check_out_file(out: Path) -> Path:
    """A PDF file to write: its folder must exist, and it must not be a folder itself."""
    if out.is_dir():
        raise BadInput(f"输出路径是一个文件夹：{out}（要每人一个文件请用 --all）")
    if not out.parent.is_dir():
        raise BadInput(f"输出文件夹不存在：{out.parent}")
    return out


def write_file(out: Path, data: bytes) -> None:
    """Write whole or not at all: a temporary file beside the target, then a rename."""
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"无法写入 {out}：{e.strerror or e}") from None


def safe_name(text: str) -> str:
    """A file name from a person's name: no path separators or characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "未命名"


# Handlers -------------------------------------------------------------------------------------


def check_glyphs(contents: list, allow: bool) -> None:  # type: ignore[type-arg]
    """Refuse to print a character no bundled font has (it would be a blank on the paper)."""
    from ..paper.glyphs import describe
    from ..paper.sheet_content import unprintable

    for content in contents:
        missing = unprintable(content)
        if missing and not allow:
            raise BadInput(f"{content.cadre} {content.month_label}的记录表中有字库缺少的字：{describe(missing)}，"
                           "打印会缺字；请改用常用字，或加 --allow-missing-glyphs 以“〓”代替输出")
        if missing:
            print(f"注意：{content.cadre} {content.month_label}的记录表中 {describe(missing)} 以“〓”代替",
                  file=sys.stderr)


def sheet_scope(args: argparse.Namespace) -> list:  # type: ignore[type-arg]
    """The sheets the options name: one cadre, a unit's cadres or everyone; blank forms for
    cadres who have nothing entered for the month."""
    from ..paper.sheet_content import month_sheets, sheet_content
    from ..store.models import Cadre, Unit

    chosen = [bool(args.cadre.strip()), bool(args.unit.strip()), args.all]
    if sum(chosen) != 1:
        raise BadInput("请指定 --cadre 姓名、--unit 部门 或 --all（三者选一）")
    if args.cadre.strip():
        return [sheet_content(args.cadre, args.month, blank=True)]
    if args.unit.strip():
        unit = Unit.get_or_none(Unit.name == args.unit.strip())
        if unit is None:
            raise BadInput(f"没有名为“{args.unit.strip()}”的部门")
        ids = [c.id for c in Cadre.select(Cadre.id).where((Cadre.unit == unit) & Cadre.active)]
        if not ids:
            raise BadInput(f"部门“{unit.name}”没有在任干部")
        return month_sheets(args.month, ids, blanks=True)
    contents = month_sheets(args.month, blanks=True)
    if not contents:
        raise BadInput("名册中没有在任干部，没有可输出的记录表")
    return contents


def cmd_sheet(args: argparse.Namespace) -> None:
    import io

    from ..calendar import parse_month
    from ..ledger import settings
    from ..paper.batch import has_digital_signature, write_sheets
    from ..paper.sheet import sheet_pdf
    from ..paper.sheet_content import stored_copies

    open_ledger(args)
    parse_month(args.month)
    if args.action == "received":
        cli_receipts.cmd_received(args)
        return
    cli_receipts.refuse_receipt_options(args)
    if args.action == "revise":
        from ..ledger.sealing import revise_sheet

        if not args.cadre.strip():
            raise BadInput("修订须指定 --cadre 姓名")
        revision = revise_sheet(args.cadre, args.month, args.reason)
        print(f"已重新打开 {args.cadre} {args.month} 的记录表（第 {revision.revision} 次修订），原签字作废并存档")
        return
    if not args.out:
        raise BadInput("请用 --out 指定输出的 PDF 文件（或文件夹）")
    school = settings.school_name()
    out = Path(args.out)
    private = args.include_private
    if args.cadre.strip() and not args.all and not args.unit.strip():
        check_out_file(out)
    contents = sheet_scope(args)
    if args.format == "docx":
        write_docx(args, out, contents)
        return
    check_glyphs(contents, args.allow_missing_glyphs)
    blanks = sum(1 for c in contents if c.sheet_id < 0)
    if args.cadre.strip():
        content = contents[0]
        stored = stored_copies([content.sheet_id]).get(content.sheet_id) if content.signed else None
        data = stored if stored is not None else sheet_pdf(content, school, private)[0]
        write_file(out, data)
        what = ("已签字存档原件" if stored is not None else "空白表，可手填" if blanks
                else "已签字" if content.signed else "未签字，可手签")
        print(f"已输出：{out}（{content.cadre} {content.month_label}，{what}）")
        return
    stored_all = stored_copies([c.sheet_id for c in contents if c.signed])
    blank_note = f"；其中空白表 {blanks} 份" if blanks else ""
    if is_folder(out, args.out):
        folder = out
        if folder.exists() and not folder.is_dir():
            raise BadInput(f"输出路径不是文件夹：{folder}")
        if not folder.parent.is_dir():
            raise BadInput(f"输出文件夹的上级不存在：{folder.parent}")
        folder.mkdir(exist_ok=True)
        for content in contents:
            data = stored_all.get(content.sheet_id) or sheet_pdf(content, school, private)[0]
            write_file(folder / f"{content.month}-{safe_name(content.cadre)}.pdf", data)
        print(f"已输出：{folder}（{len(contents)} 个文件，其中已签字 {len(stored_all)} 份为存档原件{blank_note}）")
        return
    check_out_file(out)
    buf = io.BytesIO()
    pages = write_sheets(contents, buf, school, stored_all, duplex=args.duplex, include_private=private)
    write_file(out, buf.getvalue())
    flattened = sum(1 for pdf in stored_all.values() if has_digital_signature(pdf))
    if flattened:
        print(f"注意：合并文件中 {flattened} 份记录表的数字签名已转为图样，在合并文件中不能验证（页面上已注明）；"
              "要验证请每人一个文件输出（--out 文件夹/）或用 --cadre 输出单份存档原件", file=sys.stderr)
    print(f"已输出：{out}（{len(contents)} 份记录表，共 {pages} 页；"
          f"已签字 {len(stored_all)} 份为存档原件{blank_note}）")


def write_docx(args: argparse.Namespace, out: Path, contents: list) -> None:  # type: ignore[type-arg]
    """The blank forms as Word documents: one file for --cadre, one per cadre in a folder otherwise."""
    from ..paper.sheet_docx import sheet_docx

    if args.cadre.strip():
        content = contents[0]
        write_file(out, sheet_docx(content))
        print(f"已输出：{out}（{content.cadre} {content.month_label}，Word 空白记录表，表头已填）")
        return
    if out.exists() and not out.is_dir():
        raise BadInput(f"Word 记录表每人一个文件：--out 应为文件夹（以 / 结尾），而 {out} 是文件")
    if not out.parent.is_dir():
        raise BadInput(f"输出文件夹的上级不存在：{out.parent}")
    out.mkdir(exist_ok=True)
    for content in contents:
        write_file(out / f"{content.month}-{safe_name(content.cadre)}.docx", sheet_docx(content))
    print(f"已输出：{out}（{len(contents)} 份 Word 空白记录表，表头已填）")


def refuse_missing(found: dict[str, str], allow: bool) -> None:
    """After drawing a report: characters no bundled font has, with the text they are in."""
    from ..paper.glyphs import describe

    if not found:
        return
    where = "；".join(f"{describe([ch])}见于“{text[:40]}”" for ch, text in list(found.items())[:5])
    if not allow:
        raise BadInput(f"报告中有字库缺少的字：{where}，打印会缺字；请改用常用字，"
                       "或加 --allow-missing-glyphs 以“〓”代替输出")
    print(f"注意：报告中字库缺少的字以“〓”代替：{where}", file=sys.stderr)


def certificate_from_args(p12: Path | None, password_env: str | None):  # type: ignore[no-untyped-def]
    """The certificate to sign with: --p12 (or the one in the settings) unlocked with the
    password in the environment variable --password-env; None when neither is given."""
    from ..paper.signing import certificate_path, load_certificate

    if p12 is None and not password_env:
        return None
    path = p12 or certificate_path()
    if path is None:
        raise BadInput("未指定证书：请用 --p12 指定证书文件，或先在设置中选择证书")
    if not password_env:
        raise BadInput("请用 --password-env 指定存放证书密码的环境变量（密码不在命令行上明文输入）")
    password = os.environ.get(password_env)
    if password is None:
        raise BadInput(f"环境变量 {password_env} 未设置（应存放证书密码）")
    return load_certificate(path, password)


def cmd_sign(args: argparse.Namespace) -> None:
    from ..calendar import parse_month
    from ..paper.signing import sign_sheet

    open_ledger(args)
    parse_month(args.month)
    if args.out is not None:
        check_out_file(args.out)
    certificate = certificate_from_args(args.p12, args.password_env)
    signed = sign_sheet(args.cadre, args.month, certificate)
    if args.out is not None:
        write_file(args.out, signed.pdf)
    for warning in signed.warnings:
        print(warning, file=sys.stderr)
    c = signed.content
    how = f"，数字签名：{certificate.subject}" if certificate is not None else ""
    print(f"已签字封存：{c.cadre} {c.month_label}（活动 {c.activity_count} 条，校验码 {c.sealed_hash[:16]}{how}）")


def cmd_signature(args: argparse.Namespace) -> None:
    from ..paper.signing import set_signature_image

    open_ledger(args)
    if args.remove:
        set_signature_image(args.cadre, None)
        print(f"已删除 {args.cadre.strip()} 的签名图像")
        return
    path: Path = args.image
    if not path.is_file():
        raise BadInput(f"签名图像文件不存在：{path}")
    set_signature_image(args.cadre, path.read_bytes())
    print(f"已录入 {args.cadre.strip()} 的签名图像")


def cmd_report(args: argparse.Namespace) -> None:
    from datetime import date

    from ..calendar import parse_date
    from ..paper.glyphs import collect_missing
    from ..paper.report import monthly_report_pdf, term_summary_pdf

    open_ledger(args)
    out = check_out_file(args.out)
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else date.today()
    if args.report_command == "monthly":
        with collect_missing() as found:
            data, pages = monthly_report_pdf(args.month, as_of)
        refuse_missing(found, args.allow_missing_glyphs)
        write_file(out, data)
        print(f"已输出月度报告：{out}（{args.month}，共 {pages} 页）")
        return
    with collect_missing() as found:
        data, pages = term_summary_pdf(args.term, as_of, cadre=args.cadre)
    refuse_missing(found, args.allow_missing_glyphs)
    write_file(out, data)
    who = f"{args.cadre.strip()}，" if args.cadre else ""
    print(f"已输出学期总结：{out}（{who}{args.term}，共 {pages} 页）")
