"""The building blocks of the printed reports: headings, paragraphs, ruled tables, bar charts.

paper.report composes the monthly report and the term summary from these; paper.layout places the
bands on pages. Reports are printed in black and white as often as not, so nothing is told by
colour alone: rows that fall short are set bold with a ▲ (both bundled faces have the glyph),
column headers carry a darker grey than any row. A date or a number with its unit is never
broken over two lines (第5周, 2026年11月30日, 40 份).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from ..store.anchor import footer
from .layout import GREY, MM, PAGE_H, PAGE_W, Band, Cell, Group, Node, Page, Painter, fonts, paginate, wrap
from .sheet import new_canvas

LEFT = 20 * MM
WIDTH = PAGE_W - 2 * LEFT
TOP = PAGE_H - 14 * MM
BOTTOM = 14 * MM
BODY = 10.5  # prose: the least a leader reads comfortably on paper
TABLE = 9.5
SMALL = 9.0  # running heads, page numbers, chart labels
ACCENT = (0.55, 0.11, 0.07)  # the program's red, for bars and rules
HEAD_FILL = (0.80, 0.80, 0.80)  # column headers: darker than anything a row carries
MARK = "▲"
NUMERALS = "一二三四五六七八九十"

#: Runs that must stay on one line: dates, week numbers, counts with their unit, ratios.
UNBROKEN = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|第\d+(?:周|次|页)|\d+(?:/\d+)?(?:周|次|个|人)"
    r"|\d[\d,.]*\s?(?:%|份|条|人次|项次|项|人|次|天)|\d+/\d+")


def wrap_unbroken(text: str, font: str, size: float, width: float) -> list[str]:
    """layout.wrap, except that a line never ends inside one of the UNBROKEN runs: the run
    moves whole to the next line."""
    if not UNBROKEN.search(text):
        return wrap(text, font, size, width)
    out: list[str] = []
    for para in text.split("\n"):
        rest = para
        while True:
            lines = wrap(rest, font, size, width)
            if len(lines) <= 1:
                out.append(lines[0] if lines else "")
                break
            cut = len(lines[0])
            for m in UNBROKEN.finditer(rest):
                if m.start() < cut < m.end():
                    if m.start() > 0:
                        cut = m.start()
                    else:  # the run alone is wider than the line: break after its 年 or 月
                        cut = max((i + 1 for i in range(cut) if rest[i] in "年月"), default=cut)
                    break
            out.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
    return out


def cell(x: float, w: float, text: str, font: str, size: float, **style: object) -> Cell:
    """A report cell: wrapped to its width, dates and numbers kept whole."""
    lines = wrap_unbroken(text, font, size, w - 6.0) if text else []
    return Cell(x, w, lines, font, size, **style)  # type: ignore[arg-type]


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
        self.charts: list[Drawing] = []
        self._section = 0
        self.pdf_title = self.running = self.school = ""

    def finish(self, pdf_title: str, running: str, school: str) -> Doc:
        """The document's title (PDF metadata), running head and school, for rendering."""
        self.pdf_title, self.running, self.school = pdf_title, running, school
        return self

    def title(self, lines: Sequence[str], sub: str = "", meta: str = "") -> None:
        for i, line in enumerate(lines):
            size = 18.0 if i == len(lines) - 1 else 15.0
            self.nodes.append(Band([cell(0, WIDTH, line, self.sans, size, align="center", ruled=False)],
                                   before=2 if i else 6))
        if sub:
            self.nodes.append(Band([cell(0, WIDTH, sub, self.song, 13, align="center", ruled=False)], before=4))
        for line in meta.splitlines():  # room is left below for further lines (a ledger check code)
            self.nodes.append(Band([cell(0, WIDTH, line, self.song, BODY, align="center", color=GREY,
                                         ruled=False)], before=2))
        self.nodes.append(Band([Cell(0, WIDTH, [], self.song, SMALL, ruled=False, draw=_rule_line)], min_height=10))

    def heading(self, text: str) -> None:
        numeral = NUMERALS[self._section] if self._section < len(NUMERALS) else str(self._section + 1)
        self._section += 1
        self.nodes.append(Band([cell(0, WIDTH, f"{numeral}、{text}", self.sans, 13, ruled=False)],
                               before=12, keep_with_next=True))

    def subheading(self, text: str) -> None:
        self.nodes.append(Band([cell(0, WIDTH, text, self.sans, 11, ruled=False)], before=6, keep_with_next=True))

    def para(self, text: str, size: float = BODY, color: tuple[float, float, float] = (0, 0, 0),
             bold: bool = False, indent: bool = True) -> None:
        """Prose, its first line indented two characters as Chinese prose is set."""
        lead = "\u3000\u3000" if indent else ""
        font = self.sans if bold else self.song
        self.nodes.append(Band([cell(0, WIDTH, lead + text, font, size, ruled=False, color=color)], before=3))

    def note(self, text: str) -> None:
        """A reading aid under a heading: grey, still body size."""
        self.para(text, color=GREY, indent=False)
        last = self.nodes[-1]
        assert isinstance(last, Band)
        last.keep_with_next = True  # it explains what follows: never left at a page's foot

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
            bands.append(Band(cells, min_height=42))
        self.nodes.append(Group([], bands))
        self.nodes.append(Band([], min_height=4))

    def table(self, cols: Sequence[Col], rows: Sequence[Sequence[str]], marked: set[int] | None = None,
              empty: str = "（无）", size: float = TABLE, keep_together: bool = False,
              header: Band | None = None) -> None:
        """A ruled table whose header repeats on every page it reaches. The header never stands
        at a page's foot with fewer than two rows under it, nor a last row alone on a new page;
        keep_together moves a short table whole to the next page. Marked rows (short of a
        requirement) are set in the sans face (the bold of Chinese print), a ▲ in the margin."""
        xs = _columns(cols)
        head = header or Band([cell(x, w, c.label, self.sans, size, align="center", valign="middle",
                                    fill=HEAD_FILL) for c, (x, w) in zip(cols, xs, strict=True)],
                              min_height=20, repeat=True, keep_with_next=True)
        bands: list[Band] = [head]
        marked = marked or set()
        for i, row in enumerate(rows):
            hit = i in marked
            font = self.sans if hit else self.song
            cells = [cell(x, w, text, font, size, align=c.align, valign="middle" if c.align != "left" else "top")
                     for c, (x, w), text in zip(cols, xs, row, strict=True)]
            if hit:  # in the margin, so it takes no column's width and reads in any print
                cells.append(Cell(-13.0, 12.0, [MARK], self.sans, BODY, align="right", valign="middle", ruled=False))
            bands.append(Band(cells, min_height=18))
        if not rows:
            bands.append(Band([cell(0, WIDTH, empty, self.song, size, align="center", valign="middle")],
                              min_height=20))
        if len(bands) > 2:
            bands[1].keep_with_next = True  # header + at least two rows
            if len(bands) > 3:
                bands[-2].keep_with_next = True  # no last row alone
        if keep_together and len(bands) <= 16:
            for band in bands[:-1]:
                band.keep_with_next = True
        self.nodes.append(Group([], list(bands)))
        self.nodes.append(Band([], min_height=4))

    def chart(self, drawing: Drawing) -> None:
        self.charts.append(drawing)
        def draw(c: Canvas, x: float, y: float, w: float, h: float) -> None:
            renderPDF.draw(drawing, c, x + (w - drawing.width) / 2, y)

        self.nodes.append(Band([Cell(0, WIDTH, [], self.song, SMALL, ruled=False, draw=draw)],
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


def _columns(cols: Sequence[Col]) -> list[tuple[float, float]]:
    total = sum(c.weight for c in cols)
    xs = []
    x = 0.0
    for c in cols:
        w = WIDTH * c.weight / total
        xs.append((x, w))
        x += w
    return xs


def continued_header(doc: Doc, cols: Sequence[Col], first: str, again: str, tail: str = "",
                     size: float = TABLE) -> Band:
    """A table header with a title line above the column labels: `first` where the table starts,
    `again` (the name with （续）) on every page it continues to, so a split block keeps its name."""
    xs = _columns(cols)
    title_h = 18.0
    drawn = [0]

    def draw(c: Canvas, x: float, y: float, w: float, h: float) -> None:
        text = first if drawn[0] == 0 else again
        drawn[0] += 1
        c.setFillColorRGB(0, 0, 0)
        c.setFont(doc.sans, 10.5)
        c.drawString(x, y + h - 13, text)
        if tail and text == first:
            c.setFont(doc.song, TABLE)
            c.setFillColorRGB(*GREY)
            c.drawRightString(x + w, y + h - 13, tail)
        c.setLineWidth(0.6)
        c.setStrokeColorRGB(0, 0, 0)
        row_h = h - title_h
        for col, (cx, cw) in zip(cols, xs, strict=True):
            c.setFillColorRGB(*HEAD_FILL)
            c.rect(x + cx, y, cw, row_h, stroke=1, fill=1)
            c.setFillColorRGB(0, 0, 0)
            c.setFont(doc.sans, size)
            c.drawCentredString(x + cx + cw / 2, y + row_h / 2 - size * 0.35, col.label)

    return Band([Cell(0, WIDTH, [], doc.sans, size, ruled=False, draw=draw)], min_height=title_h + 20,
                repeat=True, keep_with_next=True, before=6)


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
        c.setFont(song, 10)
        c.drawCentredString(cx + cw / 2, cy + ch - 14, label)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(sans, 14)
        c.drawCentredString(cx + cw / 2, cy + 7, value)

    return Cell(x, w, [], sans, 10, draw=draw)


def bar_chart(labels: Sequence[str], values: Sequence[float], fmt: str | Callable[[float], str] = "%d",
              value_max: float | None = None, bar: float = 12.0, width: float = WIDTH,
              required: Sequence[float | None] | None = None,
              legend_text: str = "要求：联系制度规定的次数 × 适用人数") -> Drawing:
    """A horizontal bar chart, first label at the top; every label in the bundled fonts. Where a
    bar has a requirement (`required`), a dashed mark is drawn across it at that value, labelled
    要求 in the legend line under the chart."""
    sans, _song = fonts()
    marks = list(required or [None] * len(values))
    label_w = min(160.0, max(40.0, max((len(s) for s in labels), default=2) * SMALL + 10))
    top = max([*values, *[m for m in marks if m is not None], 1])
    value_max = value_max if value_max is not None else _nice(top * 1.08)
    legend = 12.0 if any(m is not None for m in marks) else 0.0
    height = max(60.0, len(labels) * bar + 26 + legend)
    d = Drawing(width, height, initialFontName=sans)  # else reportlab starts from Helvetica, not embedded
    chart = HorizontalBarChart()
    chart.x = label_w
    chart.y = 16 + legend
    chart.width = width - label_w - 44
    chart.height = height - 22 - legend
    chart.data = [list(values)]
    chart.bars[0].fillColor = colors.Color(*ACCENT)
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 3
    ca = chart.categoryAxis
    ca.categoryNames = list(labels)
    ca.reverseDirection = 1
    ca.labels.fontName = sans
    ca.labels.fontSize = SMALL
    ca.labels.boxAnchor = "e"
    ca.labels.dx = -3
    ca.strokeColor = colors.Color(0.4, 0.4, 0.4)
    va = chart.valueAxis
    va.valueMin = 0
    va.valueMax = value_max
    va.labels.fontName = sans
    va.labels.fontSize = SMALL
    va.strokeColor = colors.Color(0.4, 0.4, 0.4)
    va.visibleGrid = 1
    va.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    va.gridStrokeWidth = 0.4
    if callable(fmt):
        va.labelTextFormat = fmt
    chart.barLabelFormat = fmt
    chart.barLabels.fontName = sans
    chart.barLabels.fontSize = SMALL
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    step = chart.height / max(1, len(values))
    for i, m in enumerate(marks):
        if m is None:
            continue
        x = chart.x + chart.width * min(m, value_max) / value_max
        y0 = chart.y + chart.height - (i + 1) * step
        d.add(Line(x, y0 + 0.5, x, y0 + step - 0.5, strokeColor=colors.black, strokeWidth=1.4,
                   strokeDashArray=[2, 1.5]))
    if legend:
        d.add(Line(chart.x, 6, chart.x + 12, 6, strokeColor=colors.black, strokeWidth=1.4,
                   strokeDashArray=[2, 1.5]))
        d.add(String(chart.x + 16, 3, legend_text, fontName=sans, fontSize=SMALL))
    return d


def _nice(x: float) -> float:
    """A round axis end above x: 10, 20, 50, 100, 200…"""
    step = 1.0
    while step * 10 < x:
        step *= 10
    for k in (1, 2, 5, 10):
        if k * step >= x:
            return k * step
    return 10 * step


# Rendering ------------------------------------------------------------------------------------


def layout(doc: Doc) -> list[Page]:
    """The bands on pages (what render draws)."""
    return paginate(doc.nodes, (TOP, BOTTOM + 16), (TOP - 16, BOTTOM + 16))


def render(doc: Doc) -> tuple[bytes, int]:
    """Lay the bands out on A4 pages with a running head and page numbers."""
    buf = io.BytesIO()
    canvas = new_canvas(buf, doc.pdf_title, doc.school)
    painter = Painter(canvas, LEFT)
    running = doc.running
    pages = layout(doc)
    _sans, song = fonts()
    anchor = footer(doc.pdf_title)  # 台账校验码: the change log's head, kept in the ledger
    for n, page in enumerate(pages):
        painter.reset()
        if n > 0:
            painter.text(LEFT, TOP - 8, running, song, SMALL, color=GREY)
            canvas.setStrokeColorRGB(*GREY)
            canvas.setLineWidth(0.4)
            canvas.line(LEFT, TOP - 12, LEFT + WIDTH, TOP - 12)
            canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(0.6)
        painter.page(page)
        painter.text(PAGE_W / 2, BOTTOM, f"第 {n + 1} 页　共 {len(pages)} 页", song, SMALL, "center", GREY)
        painter.text(LEFT + WIDTH, BOTTOM, anchor, song, SMALL, "right", GREY)
        canvas.showPage()
    canvas.save()
    return buf.getvalue(), len(pages)
