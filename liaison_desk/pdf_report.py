"""The monthly report (月度报告) and the term summary (学期总结) as A4 PDFs for the leaders.

Figures come from report_data; this module only lays them out: headings numbered the way office
documents are (一、二、…), ruled tables whose header repeats on each page, and a bar chart
(reportlab.graphics) where a picture reads faster than a column of numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from .pdf_layout import (
    GREY,
    MM,
    PAGE_H,
    PAGE_W,
    SHADE,
    Band,
    Cell,
    Group,
    Node,
    Painter,
    cell,
    fonts,
    paginate,
)
from .pdf_sheet import new_canvas
from .report_data import (
    CadreSummary,
    Completion,
    MonthlyReport,
    ProblemFigures,
    ProblemRow,
    TermSummary,
    monthly_report,
    term_summary,
)

LEFT = 20 * MM
WIDTH = PAGE_W - 2 * LEFT
TOP = PAGE_H - 14 * MM
BOTTOM = 14 * MM
BODY = 10.5
TABLE = 9.0
ACCENT = (0.55, 0.11, 0.07)  # the program's red, for bars and marks
SHORT_FILL = (0.98, 0.89, 0.87)
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Col:
    label: str
    weight: float
    align: str = "left"


class Doc:
    """Collects a report's bands: headings, paragraphs, tables, charts."""

    def __init__(self) -> None:
        self.sans, self.song = fonts()
        self.nodes: list[Node] = []
        self._section = 0

    def title(self, lines: Sequence[str], sub: str = "", meta: str = "") -> None:
        for i, line in enumerate(lines):
            size = 18.0 if i == len(lines) - 1 else 15.0
            self.nodes.append(Band([cell(0, WIDTH, line, self.sans, size, align="center", ruled=False)],
                                   before=2 if i else 6))
        if sub:
            self.nodes.append(Band([cell(0, WIDTH, sub, self.song, 13, align="center", ruled=False)], before=4))
        for line in meta.splitlines():
            self.nodes.append(Band([cell(0, WIDTH, line, self.song, 9, align="center", color=GREY, ruled=False)],
                                   before=2))
        self.nodes.append(Band([Cell(0, WIDTH, [], self.song, 9, ruled=False, draw=_rule_line)], min_height=10))

    def heading(self, text: str) -> None:
        numeral = NUMERALS[self._section] if self._section < len(NUMERALS) else str(self._section + 1)
        self._section += 1
        self.nodes.append(Band([cell(0, WIDTH, f"{numeral}、{text}", self.sans, 13, ruled=False)],
                               before=12, keep_with_next=True))

    def subheading(self, text: str) -> None:
        self.nodes.append(Band([cell(0, WIDTH, text, self.sans, 11, ruled=False)], before=6, keep_with_next=True))

    def para(self, text: str, size: float = BODY, color: tuple[float, float, float] = (0, 0, 0)) -> None:
        indent = 2 * size if size >= BODY else 0.0
        c = cell(indent, WIDTH - indent, text, self.song, size, ruled=False, color=color)
        if indent and c.lines:  # first-line indent: two characters, as Chinese prose is set
            first = cell(0, WIDTH, "\u3000\u3000" + text, self.song, size, ruled=False, color=color)
            c = first
        self.nodes.append(Band([c], before=3))

    def figures(self, pairs: Sequence[tuple[str, str]], per_row: int = 4) -> None:
        """Key figures in a ruled grid: label above, number below."""
        w = WIDTH / per_row
        bands: list[Node] = []
        for start in range(0, len(pairs), per_row):
            chunk = pairs[start:start + per_row]
            cells = []
            for i in range(per_row):
                label, value = chunk[i] if i < len(chunk) else ("", "")
                cells.append(_figure_cell(i * w, w, label, value, self.sans, self.song))
            bands.append(Band(cells, min_height=40))
        self.nodes.append(Group([], bands))
        self.nodes.append(Band([], min_height=4))

    def table(self, cols: Sequence[Col], rows: Sequence[Sequence[str]], marked: set[int] | None = None,
              empty: str = "（无）", size: float = TABLE, keep_together: bool = False) -> None:
        """A ruled table whose header repeats on every page it reaches; keep_together moves a short
        table whole to the next page rather than leave a row or two behind."""
        total = sum(c.weight for c in cols)
        xs = []
        x = 0.0
        for c in cols:
            w = WIDTH * c.weight / total
            xs.append((x, w))
            x += w
        header = Band([cell(x, w, c.label, self.sans, size, align="center", valign="middle", fill=SHADE)
                       for c, (x, w) in zip(cols, xs, strict=True)], min_height=20, repeat=True, keep_with_next=True)
        bands: list[Node] = [header]
        marked = marked or set()
        for i, row in enumerate(rows):
            fill = SHORT_FILL if i in marked else None
            bands.append(Band([cell(x, w, text, self.song, size, align=c.align,
                                    valign="middle" if c.align != "left" else "top", fill=fill)
                               for c, (x, w), text in zip(cols, xs, row, strict=True)], min_height=17))
        if not rows:
            bands.append(Band([cell(0, WIDTH, empty, self.song, size, align="center", valign="middle")],
                              min_height=20))
        if keep_together and len(bands) <= 16:
            for band in bands[:-1]:
                assert isinstance(band, Band)
                band.keep_with_next = True
        self.nodes.append(Group([], bands))
        self.nodes.append(Band([], min_height=4))

    def chart(self, drawing: Drawing) -> None:
        def draw(c: Canvas, x: float, y: float, w: float, h: float) -> None:
            renderPDF.draw(drawing, c, x + (w - drawing.width) / 2, y)

        self.nodes.append(Band([Cell(0, WIDTH, [], self.song, 9, ruled=False, draw=draw)],
                               min_height=drawing.height + 2, before=4))

    def writing_box(self, prompts: Sequence[str], lines_each: int = 5) -> None:
        """Room for the narrative: ruled lines under each prompt, to write or type into later."""
        for prompt in prompts:
            self.nodes.append(Band([cell(0, WIDTH, prompt, self.sans, BODY, ruled=False)], before=6,
                                   keep_with_next=True))
            self.nodes.append(Band([Cell(0, WIDTH, [], self.song, BODY, ruled=False, draw=_writing_lines)],
                                   min_height=lines_each * 24))

    def signoff(self, left: str, right: str) -> None:
        self.nodes.append(Band([cell(0, WIDTH / 2, left, self.song, BODY, ruled=False),
                                cell(WIDTH / 2, WIDTH / 2, right, self.song, BODY, align="right", ruled=False)],
                               before=18))


def _rule_line(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    c.setStrokeColorRGB(*ACCENT)
    c.setLineWidth(1.2)
    c.line(x, y + h / 2, x + w, y + h / 2)


def _writing_lines(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    c.setLineWidth(0.4)
    yy = y + h - 24
    while yy >= y:
        c.line(x, yy, x + w, yy)
        yy -= 24


def _figure_cell(x: float, w: float, label: str, value: str, sans: str, song: str) -> Cell:
    def draw(c: Canvas, cx: float, cy: float, cw: float, ch: float) -> None:
        if not label:
            return
        c.setFillColorRGB(*GREY)
        c.setFont(song, 8.5)
        c.drawCentredString(cx + cw / 2, cy + ch - 13, label)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(sans, 14)
        c.drawCentredString(cx + cw / 2, cy + 7, value)

    return Cell(x, w, [], sans, 9, draw=draw)


def bar_chart(labels: Sequence[str], values: Sequence[float], fmt: str | Callable[[float], str] = "%d",
              value_max: float | None = None, bar: float = 11.0, width: float = WIDTH) -> Drawing:
    """A horizontal bar chart, first label at the top; every label in the bundled fonts."""
    sans, _song = fonts()
    label_w = min(150.0, max(40.0, max((len(s) for s in labels), default=2) * 8.0 + 8))
    height = max(60.0, len(labels) * bar + 24)
    d = Drawing(width, height, initialFontName=sans)  # else reportlab starts from Helvetica, not embedded
    chart = HorizontalBarChart()
    chart.x = label_w
    chart.y = 14
    chart.width = width - label_w - 44
    chart.height = height - 20
    chart.data = [list(values)]
    chart.bars[0].fillColor = colors.Color(*ACCENT)
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 3
    ca = chart.categoryAxis
    ca.categoryNames = list(labels)
    ca.reverseDirection = 1
    ca.labels.fontName = sans
    ca.labels.fontSize = 8
    ca.labels.boxAnchor = "e"
    ca.labels.dx = -3
    ca.strokeColor = colors.Color(0.4, 0.4, 0.4)
    va = chart.valueAxis
    va.valueMin = 0
    if value_max is not None:
        va.valueMax = value_max
    va.labels.fontName = sans
    va.labels.fontSize = 7
    va.strokeColor = colors.Color(0.4, 0.4, 0.4)
    va.visibleGrid = 1
    va.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    va.gridStrokeWidth = 0.4
    if callable(fmt):
        va.labelTextFormat = fmt
    chart.barLabelFormat = fmt
    chart.barLabels.fontName = sans
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


# Rendering ------------------------------------------------------------------------------------


def render(doc: Doc, title: str, running: str, school: str) -> tuple[bytes, int]:
    """Lay the bands out on A4 pages with a running head and page numbers."""
    buf = io.BytesIO()
    canvas = new_canvas(buf, title, school)
    painter = Painter(canvas, LEFT)
    top = TOP - 16
    pages = paginate(doc.nodes, (TOP, BOTTOM + 16), (top, BOTTOM + 16))
    sans, song = fonts()
    from .anchor import footer

    anchor = footer(title)  # 台账校验码: the change log's head, kept in the ledger
    for n, page in enumerate(pages):
        painter.reset()
        if n > 0:
            painter.text(LEFT, TOP - 8, running, song, 8.5, color=GREY)
            canvas.setStrokeColorRGB(*GREY)
            canvas.setLineWidth(0.4)
            canvas.line(LEFT, TOP - 12, LEFT + WIDTH, TOP - 12)
            canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(0.6)
        painter.page(page)
        painter.text(PAGE_W / 2, BOTTOM, f"第 {n + 1} 页　共 {len(pages)} 页", song, 8.5, "center", GREY)
        painter.text(LEFT + WIDTH, BOTTOM, anchor, song, 8.5, "right", GREY)
        canvas.showPage()
    canvas.save()
    del sans
    return buf.getvalue(), len(pages)


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
    return [[f"{p.raised_on.month}月{p.raised_on.day}日", p.description, p.cadre or "—", p.unit or "—",
             p.status + ("（逾期）" if p.overdue else "") + ("（已上报）" if p.reported_up else ""), p.resolution]
            for p in problems]


def _problem_section(doc: Doc, f: ProblemFigures, period: str, closed_table: bool = True) -> None:
    counts = "，".join(f"{k} {v} 条" for k, v in f.by_status.items() if v)
    doc.para(f"{period}新反映问题 {len(f.raised)} 条" + (f"（目前{counts}）" if counts else "")
             + f"；{period}办结（含已解释、已反馈）{len(f.closed)} 条；期末仍未办结 {f.still_open} 条"
             + (f"，其中逾期 {f.overdue} 条" if f.overdue else "") + "。")
    doc.subheading(f"{period}新反映的问题")
    doc.table(PROBLEM_COLS, _problem_rows(f.raised), {i for i, p in enumerate(f.raised) if not p.closed},
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


PROBLEM_COLS = [Col("反映日期", 1.6, "center"), Col("问题", 5), Col("联系干部", 1.6, "center"),
                Col("承办部门", 2.2, "center"), Col("状态", 2.3, "center"), Col("办理情况", 2.8)]


# Monthly report --------------------------------------------------------------------------------


def monthly_report_pdf(month: str, as_of: date | None = None) -> tuple[bytes, int]:
    return draw_monthly(monthly_report(month, as_of))


def draw_monthly(r: MonthlyReport) -> tuple[bytes, int]:
    doc = Doc()
    name = "领导干部深入基层联系师生工作月报"
    doc.title([r.school, name] if r.school else [name], r.month_label,
              f"执行制度：{r.policy}\n统计截至 {r.as_of.year}年{r.as_of.month}月{r.as_of.day}日")
    required_judged = r.met_results + r.short_results
    short_people = len({s.cadre for s in r.shortfalls if s.severity == "required"})
    doc.heading("总体情况")
    doc.para(
        f"本月在册领导干部 {r.cadres} 人，已交工作记录表 {r.submitted} 份（{_pct(r.submitted, r.cadres)}），"
        f"其中签字封存 {r.signed} 份；登记联系活动 {_n(r.activities)} 条，其中面对面 {_n(r.face_to_face)} 条，"
        f"有活动记录的干部 {r.active_cadres} 人。对照联系制度每周、每月的要求，已判定的必须项 {required_judged} 项次中"
        f"达标 {r.met_results} 项次、欠缺 {r.short_results} 项次，涉及干部 {short_people} 人"
        + (f"；另有 {r.open_results} 项次本月尚未结束、仍在进行中" if r.open_results else "")
        + f"。本月新反映问题 {len(r.problems.raised)} 条，办结 {len(r.problems.closed)} 条。")
    doc.figures([("在册干部", f"{r.cadres}"), ("已交记录表", f"{r.submitted}"), ("已签字封存", f"{r.signed}"),
                 ("未交记录表", f"{r.cadres - r.submitted}"), ("联系活动", _n(r.activities)),
                 ("面对面", _n(r.face_to_face)), ("欠缺项次", f"{r.short_results}"),
                 ("新反映问题", f"{len(r.problems.raised)}")])

    doc.heading("工作记录表报送情况")
    rows = [[s.unit, f"{s.cadres}", f"{s.submitted}", f"{s.signed}", "、".join(s.missing) or "—"]
            for s in r.sheets_by_unit]
    marked = {i for i, s in enumerate(r.sheets_by_unit) if s.missing}
    doc.table([Col("部门", 3), Col("应交", 1, "right"), Col("已交", 1, "right"), Col("已签字", 1.1, "right"),
               Col("未交人员", 6)], rows, marked)

    doc.heading("联系活动情况")
    if r.by_category:
        doc.subheading("各类活动次数")
        doc.chart(bar_chart([c for c, _ in r.by_category], [n for _, n in r.by_category]))
    doc.subheading("各部门活动次数")
    cols = [Col("部门", 3)] + [Col(g, 1.2, "right") for g in r.groups] + [
        Col("合计", 1.1, "right"), Col("人均", 1, "right"), Col("面对面", 1.1, "right"), Col("无活动", 1.1, "right")]
    rows = [[a.unit, *[_n(a.by_group.get(g, 0)) for g in r.groups], _n(a.total), f"{a.per_cadre:.1f}",
             _n(a.face_to_face), f"{a.cadres - a.active}" if a.cadres - a.active else "—"]
            for a in r.activity_by_unit]
    doc.table(cols, rows, {i for i, a in enumerate(r.activity_by_unit) if a.active < a.cadres})

    doc.heading("未达要求情况")
    if not r.month_over:
        doc.para(f"本月尚未结束（统计截至 {r.as_of:%m月%d日}），下表只列已经结束而未达标的周期；"
                 "仍在进行中的要求不计入。", size=9, color=GREY)
    rows = [[s.cadre, s.unit, _title(s.title, s.severity), s.period, s.text, s.missed]
            for s in r.shortfalls]
    doc.table([Col("姓名", 1.4, "center"), Col("部门", 2.4), Col("要求", 4.2), Col("周期", 1.5, "center"),
               Col("完成", 1.2, "center"), Col("欠缺", 3.2)], rows, empty="本月没有未达要求的情况")

    doc.heading("问题清单")
    _problem_section(doc, r.problems, "本月")
    doc.signoff("", f"党政办公室　{r.as_of.year}年{r.as_of.month}月{r.as_of.day}日")
    running = f"{r.school}　{name}　{r.month_label}".strip()
    return render(doc, f"{name}（{r.month_label}）", running, r.school)


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
    doc = Doc()
    name = "领导干部深入基层联系师生工作学期总结"
    period = f"{t.term_label}（{t.start:%Y.%m.%d}—{t.end:%Y.%m.%d}）"
    meta = f"执行制度：{t.policy}\n统计截至 {t.as_of.year}年{t.as_of.month}月{t.as_of.day}日"
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
        return render(doc, f"{name}（{person.name}，{t.term_label}）", running, t.school)

    doc.title([t.school, name] if t.school else [name], period, meta)
    total = t.school_total
    doc.heading("总体情况")
    doc.para(
        f"本学期在册领导干部 {t.cadres} 人，登记联系活动 {_n(t.activities)} 条（人均 "
        f"{t.activities / t.cadres if t.cadres else 0:.1f} 条），其中面对面 {_n(t.face_to_face)} 条；"
        f"应交月度工作记录表 {t.sheets_expected} 份，已交 {t.sheets_submitted} 份"
        f"（{_pct(t.sheets_submitted, t.sheets_expected)}），签字封存 {t.sheets_signed} 份。"
        f"对照联系制度的必须项，已判定 {total.met + total.short} 项次，达标 {total.met} 项次，"
        f"达标率 {_rate(total)}；有欠缺的干部 {total.short_cadres} 人"
        + (f"；学期尚未结束，{total.open} 项次仍在进行中" if total.open else "") + "。")
    doc.figures([("在册干部", f"{t.cadres}"), ("联系活动", _n(t.activities)), ("面对面", _n(t.face_to_face)),
                 ("记录表已交", f"{t.sheets_submitted}/{t.sheets_expected}"), ("达标项次", _n(total.met)),
                 ("欠缺项次", _n(total.short)), ("达标率", _rate(total)), ("有欠缺干部", f"{total.short_cadres}")])
    if t.by_category:
        doc.subheading("各类联系活动次数")
        doc.chart(bar_chart([c for c, _ in t.by_category], [n for _, n in t.by_category], bar=10))

    doc.heading("各单位完成情况")
    judged = [c for c in t.by_unit if c.rate is not None]
    if judged:
        doc.chart(bar_chart([c.name for c in judged], [round(100 * (c.rate or 0), 1) for c in judged],
                            fmt=lambda v: f"{v:g}%", value_max=100, bar=10))
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
              [[r.month, r.cadre, f"第{r.revision}次", r.reason, r.actor, f"{r.at:%Y-%m-%d}"] for r in t.revisions],
              empty="本学期没有已签字记录表被重新打开修订")

    doc.heading("工作总结")
    doc.writing_box(["（一）主要做法与成效", "（二）存在的问题", "（三）下一步工作打算"], lines_each=6)

    doc.heading("干部逐人完成情况")
    doc.para("每位干部各项要求在本学期的完成情况：单一周期为“完成/要求”，多个周期为“达标周期数/周期总数”；"
             "底色标出欠缺的项目。", size=9, color=GREY)
    for i, person in enumerate(t.people, start=1):
        _person_table(doc, person, number=i)
    doc.signoff("", f"党政办公室　{t.as_of.year}年{t.as_of.month}月{t.as_of.day}日")
    running = f"{t.school}　{name}　{t.term_label}".strip()
    return render(doc, f"{name}（{t.term_label}）", running, t.school)


def _person_intro(doc: Doc, t: TermSummary, p: CadreSummary) -> None:
    doc.heading("基本情况")
    from .vocabulary import TIERS

    doc.figures([("部门", p.unit or "—"), ("职务", p.position or "—"), ("层级", TIERS.get(p.tier, p.tier)),
                 ("联系活动", _n(p.activities)), ("面对面", _n(p.face_to_face)),
                 ("记录表已交", f"{t.sheets_submitted}/{t.sheets_expected}"),
                 ("已签字封存", f"{t.sheets_signed}"), ("欠缺项目", f"{p.short}")])


def _person_table(doc: Doc, p: CadreSummary, heading: bool = True, number: int = 0) -> None:
    if heading:
        head = f"{number}．{p.name}　{p.unit}{'　' + p.position if p.position else ''}"
        tail = f"活动 {p.activities} 条，面对面 {p.face_to_face} 条"
        tail += f"；欠缺 {p.short} 项" if p.short else "；各项达标或进行中"
        doc.nodes.append(Band([cell(0, WIDTH * 0.55, head, doc.sans, 10, ruled=False),
                               cell(WIDTH * 0.55, WIDTH * 0.45, tail, doc.song, 9, align="right", ruled=False,
                                    color=(0.6, 0.1, 0.05) if p.short else GREY)],
                              before=6, keep_with_next=True))
    rows = [[_title(ln.title, ln.severity), ln.period, ln.text,
             {"met": "达标", "short": "欠缺", "open": "进行中", "exempt": "不适用"}[ln.status], ln.missed]
            for ln in p.lines]
    doc.table([Col("要求", 5), Col("周期", 1.5, "center"), Col("完成/要求", 1.4, "center"), Col("结果", 1, "center"),
               Col("欠缺的周期或对象", 4)], rows, {i for i, ln in enumerate(p.lines) if ln.status == "short"},
              empty="没有适用于该干部的要求", keep_together=heading)



