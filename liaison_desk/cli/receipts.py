"""`sheet received`: record that monthly paper sheets reached the office.

    liaison-desk sheet received --cadre 王丽 --month 2026-11 [--date 2026-12-03]
    liaison-desk sheet received --unit 护理学院 --month 2026-11      (the unit's active cadres)
    liaison-desk sheet received --all --month 2026-11                 (every active cadre)
    liaison-desk sheet received --cadre 王丽 --month 2026-11 --clear  (recorded by mistake)

The `sheet` command's parser lives in cli/paper.py; it hands the `received` action here.
"""

from __future__ import annotations

import argparse

from ..errors import BadInput

RECEIPT_OPTIONS = (("date", "--date"), ("clear", "--clear"))  # --unit is the sheet command's own


def add_options(p: argparse.ArgumentParser) -> None:
    """The `sheet` command's options that only `sheet received` uses."""
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="received：纸质表收到日期（默认今天；已登记的日期只有指定 --cadre 与 --date 时才更正）")
    p.add_argument("--clear", action="store_true", help="received：撤销一位干部误登记的收到日期")


def refuse_receipt_options(args: argparse.Namespace) -> None:
    """Other `sheet` actions must not silently ignore the receipt options."""
    for attr, flag in RECEIPT_OPTIONS:
        if getattr(args, attr, None):
            raise BadInput(f"{flag} 只用于 sheet received")


def _label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:7])}月"


def cmd_received(args: argparse.Namespace) -> None:
    from ..calendar import parse_date
    from ..ledger import settings
    from ..ledger.receipts import cadres_for, mark_received, set_received

    if args.out or args.reason:
        raise BadInput("sheet received 不使用 --out 或 --reason")
    on = parse_date(args.date, "--date") if args.date else None
    policy = settings.current_policy()
    cadres = cadres_for(args.cadre, args.unit, args.all)
    if args.clear:
        if len(cadres) != 1 or not args.cadre.strip() or on is not None:
            raise BadInput("--clear 只能与 --cadre 同用（一次撤销一位干部的收到登记），且不带 --date")
        r = set_received(cadres[0].id, args.month, None, policy)
        if r.before is None:
            print(f"{r.cadre} {_label(r.month)} 的记录表本未登记收到，未改动")
        else:
            print(f"已撤销：{r.cadre} {_label(r.month)} 的记录表收到登记（原为 {r.before}）")
        return
    single = bool(args.cadre.strip())
    receipts = mark_received(cadres, args.month, on, policy, correct=single and on is not None)
    if single:
        r = receipts[0]
        if not r.changed:
            hint = "（如需更正，请用 --date 指定日期）" if on is None else ""
            print(f"{r.cadre} {_label(r.month)} 的记录表已于 {r.before} 登记收到，未改动{hint}")
        elif r.before is not None:
            print(f"已更正：{r.cadre} {_label(r.month)} 的记录表收到日期 {r.before} → {r.after}")
        else:
            print(f"已登记收到：{r.cadre} {_label(r.month)} 的记录表（{r.after}）")
        return
    done = [r for r in receipts if r.changed]
    kept = [r for r in receipts if not r.changed]
    month = receipts[0].month
    when = done[0].after if done else None
    text = f"已登记收到：{_label(month)} 记录表 {len(done)} 份" + (f"（{when}）" if when else "")
    if kept:
        text += f"；另有 {len(kept)} 份此前已登记收到，日期未改动"
    print(text)
