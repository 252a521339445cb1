"""The record sheet (工作记录表) as an A4 PDF, drawn from its form definition.

Any form file in forms/sheets/ prints without new code: the header fields, then each section in
the order the file gives, as the school's paper has them (the section title in a merged cell at
the left, fixed rows with a row label beside all of that month's activities). A long month flows
onto further pages with the title, the header and the current section's column headings repeated.
The sheet ends with the signature block: the cadre's signature image and the signing date once
signed, empty lines to sign by hand before.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ..forms import Column
from .layout import (
    GREY,
    LINE_W,
    MM,
    PAD_X,
    PAD_Y,
    PAGE_H,
    PAGE_W,
    Band,
    Cell,
    Group,
    Node,
    Page,
    Painter,
    balanced,
    cell,
    draw_string,
    fonts,
    paginate,
    text_width,
)
from .sheet_content import Line, SectionContent, SheetContent, hide_private

LEFT = 20 * MM
WIDTH = PAGE_W - 2 * LEFT
TOP = PAGE_H - 16 * MM
BOTTOM = 16 * MM
TITLE_SIZE = 16.0
SIZE = 10.5  # 五号
SMALL = 8.0
TITLE_COL = 60.0  # the section titles
LABEL_COL = 60.0  # fixed row labels, field labels
EMPTY_ROW = 2 * SIZE * 1.4 + 2 * PAD_Y  # room to write by hand
TIGHT_ROW = SIZE * 1.25 + 2 * 1.8 + 4  # an empty row when a sheet is tightened to fit one page
TRAILER = 64.0  # the signature block
TABLE_TOP = TOP - 52.0
SPILL_BANDS = 8  # a second page with at most this many bands (headers repeated included) is a spill
STAMP_W = 150.0  # the digital signature's visible stamp, on the signature line
SIGN_W = 120.0  # the signature image, or the line to sign on by hand


@dataclass(frozen=True)
class SignatureSpot:
    """Where the visible digital signature goes: page index and (x1, y1, x2, y2) in points."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class DrawnSheet:
    content: SheetContent
    first_page: int  # index in the document
    pages: int
    spot: SignatureSpot  # page index relative to the sheet


# Building the bands ------------------------------------------------------------------------------


def _widths(columns: Sequence[tuple[str, int]], left: float, total: float,
            grid: Sequence[float] = ()) -> list[tuple[float, float]]:
    """(x, width) of each column by weight; an inner edge within SNAP of an edge of the grid above
    (`grid`) is moved onto it, so the sections' rules line up instead of jogging a few points."""
    weight = sum(w for _, w in columns) or 1
    edges = [left]
    for _, w in columns[:-1]:
        edges.append(edges[-1] + total * w / weight)
    edges.append(left + total)
    for i in range(1, len(edges) - 1):
        near = min(grid, key=lambda g: abs(g - edges[i]), default=None)
        if near is not None and abs(near - edges[i]) <= SNAP and edges[i - 1] < near < edges[i + 1]:
            edges[i] = near
    return [(a, b - a) for a, b in zip(edges, edges[1:], strict=False)]


SNAP = 12.0


def tighten(nodes: Sequence[Node], empty_row: float = 0.0) -> None:
    """Closer lines, less padding and one-line empty rows: a sheet that spills a few lines onto a
    second page fits one page instead."""
    for node in nodes:
        if isinstance(node, Group):
            for c in node.cells:
                c.tight = True
            tighten(node.children, empty_row)
            continue
        for c in node.cells:
            c.tight = True
        if node.min_height == EMPTY_ROW:
            node.min_height = empty_row or TIGHT_ROW
        elif node.min_height > EMPTY_ROW:
            node.min_height *= 0.75
        else:
            node.min_height *= 0.85


class SheetBuilder:
    """Turns one sheet's content into bands for the flow engine."""

    def __init__(self) -> None:
        self.sans, self.song = fonts()
        self.grid: list[float] = []  # the column edges of the fixed-row sections
        self.extra_rows = 0  # writing rows added to an empty activities table (a blank form)
        self.blank = False

    def header_band(self, content: SheetContent) -> Band:
        cells: list[Cell] = []
        pairs = content.header
        label_w = [max(TITLE_COL, text_width(lab, self.sans, SIZE) + 2 * PAD_X + 4) for lab, _ in pairs]
        value_w = (WIDTH - sum(label_w)) / max(1, len(pairs))
        x = 0.0
        for (label, value), lw in zip(pairs, label_w, strict=True):
            cells.append(cell(x, lw, label, self.sans, SIZE, align="center", valign="middle"))
            x += lw
            w = value_w if (label, value) != pairs[-1] else WIDTH - x
            cells.append(cell(x, w, value, self.song, SIZE, align="center", valign="middle"))
            x += w
        return Band(cells, min_height=26.0, repeat=True, keep_with_next=True)

    def bands(self, content: SheetContent) -> list[Node]:
        self.blank = content.activity_count == 0  # to fill in by hand: every section of the paper
        self.grid = [TITLE_COL, TITLE_COL + LABEL_COL]
        for sc in content.sections:
            if sc.section.kind == "rows":
                cols = [(c.label, c.width) for c in sc.section.columns]
                self.grid += [x for x, _ in _widths(cols, TITLE_COL + LABEL_COL, WIDTH - TITLE_COL - LABEL_COL)]
        nodes: list[Node] = [self.header_band(content)] if content.header else []
        for sc in content.sections:
            node = self.section(sc)
            if node is not None:
                nodes.append(node)
        return [Group([], nodes)]

    def section(self, sc: SectionContent) -> Node | None:
        s = sc.section
        kind = s.kind
        if s.optional and sc.empty and not self.blank:
            return None
        title = self.section_title(s.title, s.note if kind != "activities" or not s.text_key else "")
        if kind == "rows":
            return Group([title], [self.column_header(s.columns, TITLE_COL + LABEL_COL, blank_label=True),
                                   *[self.fixed_row(r.label, r.lines, s.columns) for r in sc.rows]])
        if kind == "activities":
            return Group([title], self.activities(sc))
        if kind == "choices":
            return Group([title], self.choices(sc))
        if kind in ("fields", "assigned"):
            pairs = sc.values if kind == "fields" else tuple((r.label, "、".join(r.names)) for r in sc.rows)
            return Group([title], [Band([
                cell(TITLE_COL, LABEL_COL, label, self.sans, SIZE, align="center", valign="middle"),
                cell(TITLE_COL + LABEL_COL, WIDTH - TITLE_COL - LABEL_COL, value, self.song, SIZE,
                     valign="middle"),
            ], min_height=EMPTY_ROW) for label, value in pairs])
        return Group([title], [Band([cell(TITLE_COL, WIDTH - TITLE_COL, sc.text, self.song, SIZE)],
                                    min_height=4 * EMPTY_ROW)])

    def section_title(self, title: str, note: str) -> Cell:
        c = Cell(0, TITLE_COL, balanced(title, self.sans, SIZE, TITLE_COL - 2 * PAD_X), self.sans, SIZE,
                 align="center", valign="middle")
        if not note:
            return c
        note_lines = cell(2, TITLE_COL - 4, note, self.song, SMALL).lines
        title_lines = c.lines

        def draw(cv: Canvas, x: float, y: float, w: float, h: float) -> None:
            lead, small_lead = SIZE * 1.4, SMALL * 1.35
            block = len(title_lines) * lead + 2 + len(note_lines) * small_lead
            top = y + (h + block) / 2
            cv.setFillColorRGB(0, 0, 0)
            for i, line in enumerate(title_lines):
                draw_string(cv, x + w / 2, top - i * lead - (lead - SIZE) / 2 - SIZE * 0.88, line, self.sans, SIZE,
                            "center")
            top -= len(title_lines) * lead + 2
            cv.setFillColorRGB(*GREY)
            for j, line in enumerate(note_lines):
                draw_string(cv, x + w / 2, top - j * small_lead - (small_lead - SMALL) / 2 - SMALL * 0.88, line,
                            self.song, SMALL, "center")

        height = len(title_lines) * SIZE * 1.4 + 2 + len(note_lines) * SMALL * 1.35 + 2 * PAD_Y
        # The lines are drawn by `draw`; keep blank lines of the same total height for the layout.
        rows = int(height // (SIZE * 1.4)) + 1
        return Cell(0, TITLE_COL, [""] * rows, self.sans, SIZE, draw=draw)

    def column_header(self, columns: Sequence[Column], left: float, blank_label: bool = False) -> Band:
        cols = [(c.label, c.width) for c in columns]
        cells = []
        if blank_label:
            cells.append(Cell(TITLE_COL, LABEL_COL, [], self.sans, SIZE))
        for (label, _), (x, w) in zip(cols, _widths(cols, left, WIDTH - left, self.grid), strict=True):
            cells.append(cell(x, w, label, self.sans, SIZE, align="center", valign="middle"))
        return Band(cells, min_height=22.0, repeat=True, keep_with_next=True)

    def line_band(self, line: Line | None, columns: Sequence[Column], left: float) -> Band:
        cols = [(c.key, c.width) for c in columns]
        shown = frozenset(k for k, _ in cols)
        cells = []
        for (key, _), (x, w) in zip(cols, _widths(cols, left, WIDTH - left, self.grid), strict=True):
            text = line.text(key, shown) if line is not None else ""
            centred = key in ("date", "category", "people", "days")
            cells.append(cell(x, w, text, self.song, SIZE, align="center" if centred else "left",
                              valign="middle", repeat=key in ("date", "category", "target")))
        return Band(cells, min_height=EMPTY_ROW if line is None else 0.0)

    def fixed_row(self, label: str, lines: Sequence[Line], columns: Sequence[Column]) -> Group:
        left = TITLE_COL + LABEL_COL
        bands = [self.line_band(ln, columns, left) for ln in lines] or [self.line_band(None, columns, left)]
        return Group([cell(TITLE_COL, LABEL_COL, label, self.sans, SIZE, align="center", valign="middle")], list(bands))

    def activities(self, sc: SectionContent) -> list[Node]:
        s = sc.section
        inner = WIDTH - TITLE_COL
        nodes: list[Node] = []
        if s.text_key:
            if s.note:
                nodes.append(Band([cell(TITLE_COL, inner, s.note, self.song, SMALL, color=GREY, ruled=False)],
                                  keep_with_next=True))
            if sc.text or not sc.lines:
                nodes.append(Band([cell(TITLE_COL, inner, sc.text, self.song, SIZE, ruled=False)],
                                  min_height=0.0 if sc.text else 6 * EMPTY_ROW))
            # The note and the text share one ruled box: draw its frame as a group cell.
            nodes = [Group([Cell(TITLE_COL, inner, [], self.song, SIZE)], nodes)] if nodes else []
        if sc.lines or not s.text_key:
            rows = [self.line_band(ln, s.columns, TITLE_COL) for ln in sc.lines]
            if not rows:
                rows = [self.line_band(None, s.columns, TITLE_COL) for _ in range(3 + self.extra_rows)]
                self.extra_rows = 0
            nodes.append(Group([], [self.column_header(s.columns, TITLE_COL), *rows]))
        return nodes

    def choices(self, sc: SectionContent) -> list[Node]:
        inner = WIDTH - TITLE_COL
        sans, song = self.sans, self.song
        options = sc.choices

        def draw(cv: Canvas, x: float, y: float, w: float, h: float) -> None:
            cx = x + PAD_X + 4
            base = y + h / 2 - SIZE * 0.35
            cv.setFillColorRGB(0, 0, 0)
            for ch in options:
                cv.rect(cx, base - 1, 9, 9, stroke=1, fill=0)
                if ch.chosen:
                    cv.setLineWidth(1.2)
                    path = cv.beginPath()
                    path.moveTo(cx + 1.6, base + 3.6)
                    path.lineTo(cx + 3.8, base + 1.0)
                    path.lineTo(cx + 8.2, base + 7.6)
                    cv.drawPath(path, stroke=1, fill=0)
                    cv.setLineWidth(LINE_W)
                draw_string(cv, cx + 13, base, ch.option, sans, SIZE)
                cx += 13 + text_width(ch.option, sans, SIZE) + 24

        nodes: list[Node] = [Band([Cell(TITLE_COL, inner, [""], sans, SIZE, draw=draw)], min_height=24.0)]
        texts = [f"{c.option}：{c.text}" for c in options if c.chosen and c.text]
        if sc.text:
            texts.append(sc.text)
        nodes.append(Band([cell(TITLE_COL, inner, "\n".join(texts), song, SIZE)],
                          min_height=0.0 if texts else EMPTY_ROW))
        return nodes


# Pages -------------------------------------------------------------------------------------------


class SheetPainter:
    """Draws sheets onto one canvas: a month of sheets goes into one document."""

    def __init__(self, canvas: Canvas, school: str = "", duplex: bool = False, outline: bool = False) -> None:
        self.c = canvas
        self.school = school
        self.duplex = duplex  # each sheet starts on an odd page (a right-hand page in duplex)
        self.outline = outline  # a bookmark per sheet
        self.builder = SheetBuilder()
        self.sans, self.song = fonts()
        self.painter = Painter(canvas, LEFT)
        self.page_index = 0

    def layout(self, content: SheetContent) -> list[Page]:
        """The sheet's pages: tightened when that saves a page, and a blank form's empty
        activities table lengthened to fill its page with rows to write on."""
        def pages_of(extra: int = 0, tight: float | None = None) -> list[Page]:
            self.builder.extra_rows = extra
            nodes = self.builder.bands(content)
            if tight is not None:
                tighten(nodes, tight)
            return paginate(nodes, (TABLE_TOP, BOTTOM + 14), (TABLE_TOP, BOTTOM + 14), trailer=TRAILER)

        pages = pages_of()
        if len(pages) == 2 and len(pages[1].placed) <= SPILL_BANDS:
            # A blank form keeps rows a hand can write in; a filled one may close up its empty rows.
            for row in ((0.8 * EMPTY_ROW, TIGHT_ROW) if content.activity_count == 0 else (TIGHT_ROW,)):
                tight = pages_of(tight=row)
                if len(tight) == 1:
                    return tight
        if content.activity_count == 0 and len(pages) == 1 and pages[0].trailer_top is not None:
            room = pages[0].trailer_top - TRAILER - (BOTTOM + 14)
            extra = int(room // EMPTY_ROW)
            if extra > 0 and any(sc.section.kind == "activities" and not sc.lines and not sc.section.text_key
                                 for sc in content.sections):
                filled = pages_of(extra)
                return filled if len(filled) == 1 else pages
        return pages

    def draw(self, content: SheetContent) -> DrawnSheet:
        pages = self.layout(content)
        spot = SignatureSpot(0, (0, 0, 0, 0))
        if self.duplex and self.page_index % 2:
            self.blank_page()
        first = self.page_index
        if self.outline:
            key = f"sheet{content.sheet_id}"
            self.c.bookmarkPage(key)
            self.c.addOutlineEntry(bookmark_title(content), key, level=0)
        for n, page in enumerate(pages):
            self.painter.reset()
            self.decorate(content, n, len(pages))
            self.painter.page(page)
            if page.trailer_top is not None and n == len(pages) - 1:
                box = self.signature_block(content, page.trailer_top)
                spot = SignatureSpot(n, box)
            self.c.showPage()
            self.page_index += 1
        return DrawnSheet(content, first, len(pages), spot)

    def blank_page(self) -> None:
        """The back of a sheet's last page, so that the next sheet starts on a new leaf."""
        self.painter.reset()
        self.painter.text(PAGE_W / 2, PAGE_H / 2, "（本页空白）", self.song, SMALL, "center", GREY)
        self.c.showPage()
        self.page_index += 1

    def decorate(self, content: SheetContent, n: int, count: int) -> None:
        c, p = self.c, self.painter
        p.text(PAGE_W / 2, TOP - TITLE_SIZE, content.form.title, self.sans, TITLE_SIZE, "center")
        line_y = TABLE_TOP + 8
        label = content.month_field_label
        if label:
            p.text(LEFT + WIDTH, line_y, f"{label}：{content.month_label}", self.song, SIZE, "right")
        if n > 0:
            p.text(LEFT, line_y, "（续表）", self.song, SIZE)
        elif content.revision and not content.signed:
            p.text(LEFT, line_y, f"修订稿（第 {content.revision} 次修订，原签字已作废）", self.sans, SIZE)
        foot = BOTTOM
        source = content.form.source
        if content.signed:
            source = f"{source}　　已签字封存　校验码 {content.sealed_hash[:16]}"
            if content.revision:
                source += f"　第 {content.revision} 次修订"
        elif content.revision:
            source = f"{source}　　修订稿：第 {content.revision} 次修订，待重新签字"
        p.text(LEFT, foot, source, self.song, SMALL, color=GREY)
        p.text(LEFT + WIDTH, foot, f"{content.cadre}　第 {n + 1} 页 共 {count} 页", self.song, SMALL,
               "right", color=GREY)
        if content.anchor:  # 台账校验码 of a signed sheet, a line of its own under the footer
            p.text(LEFT + WIDTH, foot - SMALL * 1.5, content.anchor, self.song, SMALL, "right", color=GREY)
        c.setLineWidth(LINE_W)

    def signature_block(self, content: SheetContent, top: float) -> tuple[float, float, float, float]:
        """本人签字 and the date, under the table; returns the stamp box for a digital signature,
        which sits on the signature line right after the signature (or the line to sign on)."""
        c, p = self.c, self.painter
        y = top - 28
        right = LEFT + WIDTH
        blank_date = "　　　　年　　月　　日"
        date_x = right - text_width("日期：" + blank_date, self.song, SIZE) - 4
        p.text(LEFT, y, "本人签字：", self.sans, SIZE)
        p.text(date_x, y, "日期：", self.sans, SIZE)
        sign_x = LEFT + text_width("本人签字：", self.sans, SIZE) + 2
        date_w = text_width("日期：", self.sans, SIZE)
        stamp_x = sign_x + SIGN_W + 8
        box = (stamp_x, y - 20, min(stamp_x + STAMP_W, date_x - 8), y + 26)
        c.setLineWidth(LINE_W)
        if content.signed and content.signed_at is not None:
            if content.signature:
                from .signing import transparent_background

                img = ImageReader(io.BytesIO(transparent_background(content.signature)))
                iw, ih = img.getSize()
                h = 34.0
                w = min(SIGN_W, h * iw / max(ih, 1))
                c.drawImage(img, sign_x, y - 10, w, h, mask="auto", preserveAspectRatio=True, anchor="sw")
            else:  # sealed in the ledger; the paper is signed by hand on this line
                c.line(sign_x, y - 3, sign_x + SIGN_W, y - 3)
            d = content.signed_at
            p.text(date_x + date_w, y, f"{d.year}年{d.month}月{d.day}日", self.song, SIZE)
        else:
            c.line(sign_x, y - 3, date_x - 16, y - 3)
            x = date_x + date_w
            p.text(x, y, blank_date, self.song, SIZE)
            c.line(x, y - 3, x + 4 * SIZE, y - 3)
            c.line(x + 5 * SIZE, y - 3, x + 7 * SIZE, y - 3)
            c.line(x + 8 * SIZE, y - 3, x + 10 * SIZE, y - 3)
        return box


def new_canvas(out: BinaryIO, title: str, school: str = "", subject: str = "") -> Canvas:
    """A canvas whose only fonts are the bundled ones (no base-14 font the viewer must supply).
    Author is the school (from the settings when not given); Subject says what the file is."""
    _sans, song = fonts()
    rl_config.useA85 = 0  # binary streams: smaller files, and no slow pure-Python ASCII85 pass
    c = Canvas(out, pagesize=(PAGE_W, PAGE_H), initialFontName=song, pageCompression=1, lang="zh-CN")
    c.setTitle(title)
    c.setSubject(subject or title)
    c.setAuthor(school or school_setting() or "联系工作台")
    c.setCreator("联系工作台 liaison-desk")
    c.setLineWidth(LINE_W)
    return c


def school_setting() -> str:
    from ..ledger import settings

    try:
        return settings.school_name()
    except Exception:  # no ledger open (a drawing test): the program's name instead
        return ""


def bookmark_title(content: SheetContent) -> str:
    return f"{content.cadre}（{content.unit}）" if content.unit else content.cadre


def draw_sheets(contents: Iterable[SheetContent], out: BinaryIO, title: str, school: str = "",
                progress: Callable[[int], None] | None = None,
                cancelled: Callable[[], bool] | None = None, duplex: bool = False,
                outline: bool = False, include_private: bool = False) -> list[DrawnSheet]:
    """Draw sheets into one PDF written to `out`; progress gets the number drawn so far. Names
    of students in difficulty are hidden unless include_private (the exports' rule)."""
    contents = list(contents) if include_private else [hide_private(c) for c in contents]
    canvas = new_canvas(out, title, school, sheets_subject(contents))
    painter = SheetPainter(canvas, school, duplex, outline)
    drawn = []
    for i, content in enumerate(contents):
        if cancelled is not None and cancelled():
            raise Cancelled()
        drawn.append(painter.draw(content))
        if progress is not None:
            progress(i + 1)
    if outline and drawn:
        canvas.showOutline()
    canvas.save()
    return drawn


class Cancelled(Exception):
    """The user stopped a long drawing job."""


def sheet_pdf(content: SheetContent, school: str = "", include_private: bool = False) -> tuple[bytes, SignatureSpot]:
    buf = io.BytesIO()
    drawn = draw_sheets([content], buf, f"{content.form.title}（{content.cadre} {content.month_label}）", school,
                        include_private=include_private)
    return buf.getvalue(), drawn[0].spot


def sheets_subject(contents: Sequence[SheetContent]) -> str:
    """The PDF's Subject: what the document is, for a file manager or an archive index."""
    if not contents:
        return "工作记录表"
    first = contents[0]
    if len(contents) == 1:
        return f"{first.cadre}（{first.unit}）{first.month_label}{first.form.title}"
    return f"{first.month_label}工作记录表，{len(contents)} 位干部"
