"""The monthly report (月度报告) and the term summary (学期总结) as A4 PDFs for the leaders.

Figures come from report_data; this module only lays them out: headings numbered the way office
documents are (一、二、…), ruled tables whose header repeats on each page, and a bar chart
(reportlab.graphics) where a picture reads faster than a column of numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .report_data import (
    CadreSummary,
    Completion,
    MonthlyReport,
    ProblemFigures,
    ProblemRow,
    TermSummary,
    cn_date,
    cn_dates,
    monthly_report,
    term_summary,
)
from .report_doc import MARK, Col, Doc, bar_chart, continued_header, render


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _rate(c: Completion) -> str:
    return "—" if c.rate is None else f"{100 * c.rate:.1f}%"


def _title(title: str, severity: str) -> str:
    """A rule's title, marked when the rule is advisory (倡导) rather than required."""
    return title if severity == "required" or "提示" in title else f"{title}（提示）"


def _n(x: int) -> str:
    return f"{x:,}"


def _problem_rows(problems: Sequence[ProblemRow]) -> list[list[str]]:
    return [[cn_date(p.raised_on), p.description, p.cadre or "—", p.unit or "—",
             p.status + ("（逾期）" if p.overdue else "") + ("（已上报）" if p.reported_up else ""), p.resolution]
            for p in problems]


def _problem_section(doc: Doc, f: ProblemFigures, period: str, closed_table: bool = True) -> None:
    counts = "，".join(f"{k} {v} 条" for k, v in f.by_status.items() if v)
    doc.para(f"{period}新反映问题 {len(f.raised)} 条" + (f"（目前{counts}）" if counts else "")
             + f"；{period}办结（含已解释、已反馈）{len(f.closed)} 条；期末仍未办结 {f.still_open} 条"
             + (f"，其中逾期 {f.overdue} 条" if f.overdue else "") + "。")
    doc.subheading(f"{period}新反映的问题")
    doc.table(PROBLEM_COLS, _problem_rows(f.raised), {i for i, p in enumerate(f.raised) if p.overdue},
              empty=f"{period}没有新反映的问题")
    if closed_table:
        doc.subheading(f"{period}办结的问题")
        doc.table(PROBLEM_COLS, _problem_rows(f.closed), empty=f"{period}没有办结的问题")
    if f.by_unit:
        doc.subheading("按承办部门")
        doc.table([Col("承办部门", 4), Col(f"{period}反映", 2, "right"), Col(f"{period}办结", 2, "right"),
                   Col("未办结", 2, "right")],
                  [[u, _n(raised), _n(closed), _n(still)] for u, raised, closed, still in f.by_unit])
    if f.reported_up:
        doc.subheading("上报学校党委的问题")
        doc.table(PROBLEM_COLS, _problem_rows(f.reported_up))


PROBLEM_COLS = [Col("反映日期", 2.5, "center"), Col("问题", 4.6), Col("联系干部", 1.6, "center"),
                Col("承办部门", 2.1, "center"), Col("状态", 2.3, "center"), Col("办理情况", 2.6)]
MARK_NOTE = f"表中左侧标“{MARK}”、字体加粗的行未达要求或已逾期。"


# Monthly report --------------------------------------------------------------------------------


def monthly_report_pdf(month: str, as_of: date | None = None) -> tuple[bytes, int]:
    return draw_monthly(monthly_report(month, as_of))


def _names(names: Sequence[str], most: int = 6) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= most:
        return "、".join(names)
    return "、".join(names[:most]) + f"等 {len(names)} 人"


def verdict(r: MonthlyReport) -> str:
    """Page 1's first sentence: who fell short of what this month (or that nobody did, or that
    nothing could be judged yet)."""
    judged = r.met_results + r.short_results
    when = "本月" if r.month_over else f"本月截至{cn_date(r.as_of)}"
    later = ""
    if r.not_judged:
        order = ("学期", "半年", "学年")
        words = "、".join(sorted({w for w, _t in r.not_judged}, key=lambda w: order.index(w) if w in order else 9))
        later = f"本制度另有 {len(r.not_judged)} 项要求按{words}检查，本月尚不判定，到期后再作判定。"
    if judged == 0:
        return f"{when}没有可以判定的按周、按月要求。" + later
    by_rule: dict[str, list[str]] = {}
    for s in r.shortfalls:
        if s.severity == "required":
            by_rule.setdefault(s.title, []).append(s.cadre)
    if not by_rule:
        return f"{when}已判定的 {judged} 项次要求全部达标，没有干部未达要求。" + later
    ranked = sorted(by_rule.items(), key=lambda kv: -len(set(kv[1])))
    parts = [f"{title}——{_names(who, 4)}" for title, who in ranked[:3]]
    if len(ranked) > 3:
        parts.append(f"另有 {len(ranked) - 3} 项要求未达（见下表）")
    return f"{when}有 {r.short_cadres} 名干部未达要求：" + "；".join(parts) + "。" + later


def sheets_sentence(r: MonthlyReport) -> str:
    """The month's sheets as of the report's date, against their deadline."""
    submitted = r.submitted
    due = f"应于{cn_date(r.sheets_due)}前交齐" if r.sheets_due else "月末交齐"
    text = f"{r.month_label}工作记录表应交 {r.cadres} 份，{due}；截至{cn_date(r.as_of)}已交 {submitted} 份"
    if not r.sheets_judged:
        return text + f"，尚未到截止日期（未交 {r.cadres - submitted} 份）。"
    on_time = submitted - r.sheets_late
    text += f"，其中按时 {on_time} 份、逾期 {r.sheets_late} 份"
    missing = r.cadres - submitted
    return text + (f"；仍未交 {missing} 份（其中逾期未交 {r.sheets_overdue} 份）。" if missing else "；已全部交齐。")


def change_sentence(r: MonthlyReport) -> str:
    p = r.previous
    if p is None:
        return ""

    def diff(now: int, before: int, unit: str) -> str:
        if now == before:
            return f"{now} {unit}（上月 {before} {unit}，持平）"
        word = "增加" if now > before else "减少"
        return f"{_n(now)} {unit}（上月 {_n(before)} {unit}，{word} {_n(abs(now - before))} {unit}）"

    parts = []
    if r.met_results + r.short_results and p.met_results + p.short_results:
        parts += [f"未达要求干部 {diff(r.short_cadres, p.short_cadres, '人')}",
                  f"欠缺 {diff(r.short_results, p.short_results, '项次')}"]
    if r.sheets_judged and p.sheets_judged:
        parts.append(f"逾期交表 {diff(r.sheets_late + r.sheets_overdue, p.sheets_late + p.sheets_overdue, '份')}")
    parts.append(f"联系活动 {diff(r.activities, p.activities, '条')}")
    return f"与上月（{p.month_label}）相比：" + "；".join(parts) + "。"


def draw_monthly(r: MonthlyReport) -> tuple[bytes, int]:
    return render(monthly_doc(r))


def _scoped(scope: str, meta: str) -> str:
    """The title's grey lines, a college secretary's scope first (its units' figures only)."""
    return f"{scope}\n{meta}" if scope else meta


def monthly_doc(r: MonthlyReport) -> Doc:
    """The monthly report's bands, before they are laid out on pages."""
    doc = Doc()
    name = "领导干部深入基层联系师生工作月报"
    doc.title([r.school, name] if r.school else [name], r.month_label,
              _scoped(r.scope, f"执行制度：{r.policy}\n统计截至{cn_date(r.as_of)}"))
    doc.heading("本月结论")
    doc.para(verdict(r), bold=True)
    doc.para(sheets_sentence(r))
    doc.para(change_sentence(r))
    if r.shortfalls:
        doc.subheading("未达要求的干部")
        if not r.month_over:
            doc.note(f"本月尚未结束，下表只列截至{cn_date(r.as_of)}已经结束而未达标的周期；仍在进行中的要求不计入。")
        rows = [[s.cadre, s.unit, _title(s.title, s.severity), s.text, s.missed] for s in r.shortfalls]
        doc.table([Col("姓名", 1.5, "center"), Col("部门", 2.6), Col("要求", 4.2), Col("完成", 1.2, "center"),
                   Col("欠缺", 4)], rows, {i for i, s in enumerate(r.shortfalls) if s.severity == "required"})
    overdue = r.problems.overdue_rows
    if overdue:
        doc.subheading(f"{'月末' if r.month_over else '目前'}逾期未办结的问题（{len(overdue)} 条）")
        doc.table(PROBLEM_COLS, _problem_rows(overdue))
    judged = r.met_results + r.short_results
    doc.figures([("在册干部", f"{r.cadres}"), ("已交记录表", f"{r.submitted}"),
                 ("逾期交表", f"{r.sheets_late + r.sheets_overdue}" if r.sheets_judged else "未到期"),
                 ("未达要求干部", f"{r.short_cadres}" if judged else "未判定"),
                 ("联系活动", _n(r.activities)), ("面对面", _n(r.face_to_face)),
                 ("欠缺项次", f"{r.short_results}" if judged else "未判定"),
                 ("逾期问题", f"{r.problems.overdue}")])
    doc.para(f"本月在册领导干部 {r.cadres} 人；登记联系活动 {_n(r.activities)} 条，其中面对面 "
             f"{_n(r.face_to_face)} 条，有活动记录的干部 {r.active_cadres} 人。"
             + (f"对照联系制度每周、每月的要求，已判定的必须项 {judged} 项次中达标 {r.met_results} 项次、"
                f"欠缺 {r.short_results} 项次" if judged else "")
             + (f"；另有 {r.open_results} 项次本月尚未结束、仍在进行中" if r.open_results else "")
             + ("。" if judged or r.open_results else "")
             + f"本月新反映问题 {len(r.problems.raised)} 条，办结 {len(r.problems.closed)} 条。")
    if r.shortfalls or overdue:
        doc.note(MARK_NOTE)
    if r.rule_met:
        doc.subheading("各项要求达标人数")
        doc.note("本月已判定的干部中达标的比例，从低到高排列；虚线为要求（全部达标）。")
        ranked = sorted(r.rule_met, key=lambda x: x[1] / x[2])
        doc.chart(bar_chart([f"{t}（{m}/{j}人）" for t, m, j in ranked],
                            [round(100 * m / j, 1) for _t, m, j in ranked], fmt=lambda v: f"{v:g}%",
                            value_max=110, required=[100.0] * len(ranked), legend_text="要求：100%（全部达标）"))

    doc.heading("工作记录表报送情况")
    rows = [[s.unit, f"{s.cadres}", f"{s.submitted}", f"{len(s.late)}" if s.late else "—", f"{s.signed}",
             "、".join(s.missing) or "—"] for s in r.sheets_by_unit]
    marked = {i for i, s in enumerate(r.sheets_by_unit) if s.late or s.overdue}
    doc.table([Col("部门", 3), Col("应交", 1, "right"), Col("已交", 1, "right"), Col("逾期", 1, "right"),
               Col("已签字", 1.1, "right"), Col("未交人员", 5.5)], rows, marked)
    late = [n for s in r.sheets_by_unit for n in s.late]
    if late:
        doc.para(f"逾期交表：{'、'.join(late)}。")

    doc.heading("联系活动情况")
    if r.by_category:
        doc.subheading("各类活动次数")
        by_count = sorted(r.by_category, key=lambda kv: -kv[1])
        doc.chart(bar_chart([c for c, _ in by_count], [n for _, n in by_count],
                            required=[r.category_required.get(c) for c, _ in by_count]))
    doc.subheading("各部门活动次数")
    groups = r.groups if r.uses_groups else []
    cols = [Col("部门", 3)] + [Col(g, 1.2, "right") for g in groups] + [
        Col("合计", 1.1, "right"), Col("人均", 1, "right"), Col("面对面", 1.1, "right"), Col("无活动", 1.1, "right")]
    rows = [[a.unit, *[_n(a.by_group.get(g, 0)) for g in groups], _n(a.total), f"{a.per_cadre:.1f}",
             _n(a.face_to_face), f"{a.cadres - a.active}" if a.cadres - a.active else "—"]
            for a in r.activity_by_unit]
    doc.table(cols, rows, {i for i, a in enumerate(r.activity_by_unit) if a.active < a.cadres})

    doc.heading("问题清单")
    _problem_section(doc, r.problems, "本月")
    doc.signoff("", f"党政办公室　{cn_date(r.as_of)}")
    running = f"{r.school}　{name}　{r.month_label}　{r.scope}".strip()
    return doc.finish(f"{name}（{r.month_label}）", running, r.school)


# Term summary ----------------------------------------------------------------------------------


def term_summary_pdf(term_id: str, as_of: date | None = None, cadre: str | None = None) -> tuple[bytes, int]:
    return draw_term(term_summary(term_id, as_of, cadre))


def _completion_rows(items: Sequence[Completion]) -> list[list[str]]:
    return [[c.name, f"{c.cadres}", _n(c.activities), f"{c.activities / c.cadres:.1f}" if c.cadres else "—",
             _n(c.met), _n(c.short), _n(c.open) if c.open else "—", _rate(c), f"{c.short_cadres}"]
            for c in items]


COMPLETION_COLS = [Col("", 3), Col("干部", 0.9, "right"), Col("活动", 1.1, "right"), Col("人均", 0.9, "right"),
                   Col("达标", 1, "right"), Col("欠缺", 1, "right"), Col("进行中", 1.1, "right"),
                   Col("达标率", 1.2, "right"), Col("有欠缺干部", 1.5, "right")]


def draw_term(t: TermSummary) -> tuple[bytes, int]:
    return render(term_doc(t))


def term_doc(t: TermSummary) -> Doc:
    """The term summary's bands (the school's, or one cadre's), before they are laid out."""
    doc = Doc()
    name = "领导干部深入基层联系师生工作学期总结"
    period = f"{t.term_label}（{cn_date(t.start)}—{cn_date(t.end)}）"
    meta = f"执行制度：{t.policy}\n统计截至{cn_date(t.as_of)}"
    if t.only_cadre:
        person = t.people[0]
        doc.title([t.school, name] if t.school else [name], f"{period}　{person.name}", meta)
        _person_intro(doc, t, person)
        doc.heading("各项要求完成情况")
        _person_table(doc, person, heading=False)
        doc.heading("个人小结")
        doc.writing_box(["主要做法与成效：", "存在问题与改进措施："], lines_each=6)
        doc.signoff("", "本人签字：　　　　　　　　日期：　　　年　　月　　日")
        running = f"{t.school}　{name}　{t.term_label}　{person.name}".strip()
        return doc.finish(f"{name}（{person.name}，{t.term_label}）", running, t.school)

    doc.title([t.school, name] if t.school else [name], period, _scoped(t.scope, meta))
    total = t.school_total
    doc.heading("总体情况")
    doc.para(
        f"本学期在册领导干部 {t.cadres} 人，登记联系活动 {_n(t.activities)} 条（人均 "
        f"{t.activities / t.cadres if t.cadres else 0:.1f} 条），其中面对面 {_n(t.face_to_face)} 条；"
        f"截至{cn_date(t.as_of)}已过报送期限的月度工作记录表 {t.sheets_expected} 份，已交 {t.sheets_submitted} 份"
        f"（{_pct(t.sheets_submitted, t.sheets_expected)}）"
        + (f"，其中逾期 {t.sheets_late} 份" if t.sheets_late else "")
        + f"，签字封存 {t.sheets_signed} 份"
        + (f"；另有尚未到期的记录表已提前交来 {t.sheets_early} 份" if t.sheets_early else "") + "。"
        f"对照联系制度的必须项，已判定 {total.met + total.short} 项次，达标 {total.met} 项次，"
        f"达标率 {_rate(total)}；有欠缺的干部 {total.short_cadres} 人"
        + (f"；学期尚未结束，{total.open} 项次仍在进行中" if total.open else "") + "。")
    doc.figures([("在册干部", f"{t.cadres}"), ("联系活动", _n(t.activities)), ("面对面", _n(t.face_to_face)),
                 ("记录表已交", f"{t.sheets_submitted}/{t.sheets_expected}"), ("达标项次", _n(total.met)),
                 ("欠缺项次", _n(total.short)), ("达标率", _rate(total)), ("有欠缺干部", f"{total.short_cadres}")])
    if t.by_category:
        doc.subheading("各类联系活动次数")
        ranked = sorted(t.by_category, key=lambda kv: -kv[1])
        doc.chart(bar_chart([c for c, _ in ranked], [n for _, n in ranked], bar=11))

    doc.heading("各单位完成情况")
    judged = sorted((c for c in t.by_unit if c.rate is not None), key=lambda c: c.rate or 0.0)
    if judged:
        doc.note("各单位按达标率从低到高排列。")
        doc.chart(bar_chart([c.name for c in judged], [round(100 * (c.rate or 0), 1) for c in judged],
                            fmt=lambda v: f"{v:g}%", value_max=100, bar=11))
    doc.table([Col("部门", 3), *COMPLETION_COLS[1:]], _completion_rows(t.by_unit),
              {i for i, c in enumerate(t.by_unit) if c.short_cadres})

    doc.heading("各层级完成情况")
    doc.table([Col("层级", 3), *COMPLETION_COLS[1:]], _completion_rows([*t.by_tier, total]))

    doc.heading("问题清单")
    if t.problems is not None:
        _problem_section(doc, t.problems, "本学期", closed_table=False)

    doc.heading("记录表修订")
    doc.table([Col("月份", 1.6, "center"), Col("干部", 1.6, "center"), Col("修订", 1, "center"),
               Col("原因", 6), Col("办理人", 1.6, "center"), Col("日期", 2, "center")],
              [[cn_dates(r.month), r.cadre, f"第{r.revision}次", r.reason, r.actor, cn_date(r.at.date())]
               for r in t.revisions],
              empty="本学期没有已签字记录表被重新打开修订")

    doc.heading("工作总结")
    doc.writing_box(["（一）主要做法与成效", "（二）存在的问题", "（三）下一步工作打算"], lines_each=6)

    doc.heading("干部逐人完成情况")
    doc.note("每位干部各项要求在本学期的完成情况：单一周期为“完成/要求”，多个周期为“达标周期数/周期总数”；"
             f"以“{MARK}”和粗体标出欠缺的项目；一位干部的表格跨页时，下一页重复其姓名并注“（续）”。")
    for i, person in enumerate(t.people, start=1):
        _person_table(doc, person, number=i)
    doc.signoff("", f"党政办公室　{cn_date(t.as_of)}")
    running = f"{t.school}　{name}　{t.term_label}　{t.scope}".strip()
    return doc.finish(f"{name}（{t.term_label}）", running, t.school)


def _person_intro(doc: Doc, t: TermSummary, p: CadreSummary) -> None:
    doc.heading("基本情况")
    from ..vocabulary import TIERS

    doc.figures([("部门", p.unit or "—"), ("职务", p.position or "—"), ("层级", TIERS.get(p.tier, p.tier)),
                 ("联系活动", _n(p.activities)), ("面对面", _n(p.face_to_face)),
                 ("记录表已交", f"{t.sheets_submitted}/{t.sheets_expected}"),
                 ("已签字封存", f"{t.sheets_signed}"), ("欠缺项目", f"{p.short}")])


PERSON_COLS = [Col("要求", 5), Col("周期", 1.5, "center"), Col("完成/要求", 1.4, "center"), Col("结果", 1, "center"),
               Col("欠缺的周期或对象", 4)]


def _person_table(doc: Doc, p: CadreSummary, heading: bool = True, number: int = 0) -> None:
    rows = [[_title(ln.title, ln.severity), ln.period, ln.text,
             {"met": "达标", "short": "欠缺", "open": "进行中", "exempt": "不适用"}[ln.status], ln.missed]
            for ln in p.lines]
    header = None
    if heading:  # the name heads the table, and again with （续） on every page it continues to
        head = f"{number}．{p.name}　{p.unit}{'　' + p.position if p.position else ''}"
        tail = f"活动 {p.activities} 条，面对面 {p.face_to_face} 条"
        tail += f"；欠缺 {p.short} 项" if p.short else "；各项达标或进行中"
        header = continued_header(doc, PERSON_COLS, head, f"{number}．{p.name}（续）", tail)
    doc.table(PERSON_COLS, rows, {i for i, ln in enumerate(p.lines) if ln.status == "short"},
              empty="没有适用于该干部的要求", keep_together=heading, header=header)
