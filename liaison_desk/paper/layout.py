"""A small flow engine for A4 pages of ruled tables with wrapped Chinese text (reportlab canvas).

The record sheets and the reports share it. Platypus tables would do the flow too, but a month of
600 sheets must draw in a few seconds; laying out bands ourselves and drawing straight onto the
canvas is several times faster, and it gives the paper form's merged cells (a section title beside
all its rows, a row label beside all that month's activities) without span bookkeeping.

The model: a document is a list of *nodes*. A `Band` is one horizontal strip of cells of equal
height; a `Group` draws its own cells (the merged ones) beside the bands it contains, on every
page the group reaches. A band marked `repeat` is its group's column header: it is drawn again at
the top of a page when the group continues there. A band too tall for a page is split between its
text lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from . import glyphs
from .fonts import register_fonts

#: The reportlab whose private canvas internals (`_code`, see Painter) were checked against this
#: module; tests/test_constraints.py fails when another one is installed (see constraints.txt).
CHECKED_REPORTLAB = "5.1.0"

PAGE_W, PAGE_H = A4
MM = 72 / 25.4
PAD_X = 3.0
PAD_Y = 3.0
LINE_W = 0.6
INK = (0, 0, 0)
GREY = (0.35, 0.35, 0.35)
SHADE = (0.93, 0.93, 0.93)

#: Characters that must not begin a line (they hang at the end of the previous one instead) and
#: characters that must not end one (they move to the next line with what follows).
NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—．,.;:?!)]}%·～")
NO_END = frozenset("（《「『【〔〈“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9_\-–.@/:#%+]+|\s|.")


def fonts() -> tuple[str, str]:
    """(sans, song): the bundled fonts, registered once; both embedded as subsets."""
    return register_fonts()


@lru_cache(maxsize=64)
def _metrics(font: str, size: float) -> tuple[dict[int, int], float, float]:
    face = pdfmetrics.getFont(font).face
    return glyphs.widths(font), face.defaultWidth, size / 1000.0


def text_width(text: str, font: str, size: float) -> float:
    widths, default, scale = _metrics(font, size)
    get = widths.get
    return sum(get(ord(ch), default) for ch in text) * scale


def draw_string(canvas: Canvas, x: float, y: float, text: str, font: str, size: float,
                align: str = "left") -> None:
    """canvas.drawString with the per-character fallback face, for drawings outside a Painter."""
    if align != "left":
        w = text_width(text, font, size)
        x -= w / 2 if align == "center" else w
    for face, run in glyphs.runs(text, font):
        canvas.setFont(face, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, face, size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than `width`: between any two Chinese characters, between
    words of Latin text, with the usual rules for Chinese punctuation. Newlines are kept."""
    widths, default, scale = _metrics(font, size)
    get = widths.get
    limit = width / scale  # compare in font units
    lines: list[str] = []
    for para in text.split("\n"):
        if not para:
            lines.append("")
            continue
        if len(para) < 200 and sum(get(ord(ch), default) for ch in para) <= limit:
            lines.append(para)
            continue
        current: list[str] = []
        used = 0.0
        for token in _TOKEN.findall(para):
            w = sum(get(ord(ch), default) for ch in token)
            if used + w <= limit or not current:
                if w > limit and len(token) > 1:  # a word longer than the line: cut it
                    for ch in token:
                        cw = get(ord(ch), default)
                        if used + cw > limit and current:
                            lines.append("".join(current))
                            current, used = [], 0.0
                        current.append(ch)
                        used += cw
                    continue
                current.append(token)
                used += w
                continue
            if token.isspace():  # drop a breaking space
                continue
            carry: list[str] = []
            if token in NO_START:  # punctuation never starts a line: it takes the last character along
                while len(current) > 1 and current[-1] in NO_START:
                    carry.insert(0, current.pop())
                if len(current) > 1:
                    carry.insert(0, current.pop())
                else:  # a line of one character and its punctuation: let it hang
                    current.extend(carry)
                    current.append(token)
                    used += w
                    continue
            while len(current) > 1 and current[-1] in NO_END:
                carry.insert(0, current.pop())
            lines.append("".join(current).rstrip())
            current = [*carry, token]
            used = sum(get(ord(ch), default) for ch in "".join(current))
        lines.append("".join(current).rstrip())
    return lines


# The model ---------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One ruled (or unruled) box of wrapped text, at x (points from the table's left edge)."""

    x: float
    w: float
    lines: list[str]
    font: str
    size: float
    align: str = "left"  # left / center / right
    valign: str = "top"  # top / middle
    color: tuple[float, float, float] = INK
    fill: tuple[float, float, float] | None = None
    ruled: bool = True
    draw: Callable[[Canvas, float, float, float, float], None] | None = None  # custom content
    tight: bool = False  # closer lines and less padding: to keep a sheet that just spills on one page
    repeat: bool = False  # printed again beside the rest of its row when the row continues on a new page

    @property
    def leading(self) -> float:
        return self.size * (1.25 if self.tight else 1.4)

    @property
    def pad_y(self) -> float:
        return 1.8 if self.tight else PAD_Y

    @property
    def text_height(self) -> float:
        return len(self.lines) * self.leading + 2 * self.pad_y


def cell(x: float, w: float, text: str, font: str, size: float, **style: object) -> Cell:
    """A cell whose text is wrapped to its width."""
    return Cell(x, w, list(_wrapped(text, font, size, w - 2 * PAD_X)) if text else [], font, size, **style)  # type: ignore[arg-type]


@lru_cache(maxsize=8192)
def _wrapped(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """wrap, remembered: a sheet laid out a second time (tightened) wraps nothing again."""
    return tuple(wrap(text, font, size, width))


def balanced(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap a short label into lines of even length (自主选择 / 联系载体, not 自主选择联 / 系载体)."""
    lines = wrap(text, font, size, width)
    if len(lines) < 2 or " " in text or "\n" in text:
        return lines
    if len(lines) == 2:  # the most even split that keeps the two-character words whole
        n = len(text)
        for i in sorted(range(1, n), key=lambda i: (abs(2 * i - n), i)):
            if text[i - 1:i + 1] not in LABEL_WORDS and max(i, n - i) * size <= width + 0.5:
                return [text[:i], text[i:]]
    per = -(-len(text) // len(lines))
    return [text[i:i + per] for i in range(0, len(text), per)]


#: Two-character words of the forms' labels that a label must not be broken inside.
LABEL_WORDS = frozenset(re.findall("..", "其他联系活动载体自主选择工作内容名称简况对象情况时间类别特长职能专长业务主体"
                                         "支部总支教师学生青年班子院系教研开展具体"))


@dataclass
class Band:
    cells: list[Cell]
    min_height: float = 0.0
    repeat: bool = False  # the column header of its group: drawn again on each continuing page
    keep_with_next: bool = False
    before: float = 0.0  # space above the band (unruled layouts: headings, paragraphs)

    @property
    def height(self) -> float:
        h = max((c.text_height for c in self.cells), default=0.0)
        return max(self.min_height, h)

    @property
    def splittable(self) -> bool:
        return all(c.draw is None for c in self.cells)

    def split(self, room: float) -> tuple[Band, Band] | None:
        """The lines that fit in `room`, and the rest; None when not even one line fits."""
        heads: list[Cell] = []
        tails: list[Cell] = []
        any_left = False
        for c in self.cells:
            n = int((room - 2 * c.pad_y) // c.leading)
            if c.draw is not None or n < 1 and c.lines:
                return None
            heads.append(_with_lines(c, c.lines[:n]))
            rest = c.lines[n:]
            tails.append(_with_lines(c, rest if rest or not c.repeat else c.lines))  # target, date again
            any_left = any_left or len(c.lines) > n
        if not any_left:
            return None
        return (Band(heads, 0.0, False, False, self.before),
                Band(tails, 0.0, False, self.keep_with_next, 0.0))


def _with_lines(c: Cell, lines: list[str]) -> Cell:
    return Cell(c.x, c.w, lines, c.font, c.size, c.align, c.valign, c.color, c.fill, c.ruled, c.draw, c.tight,
                c.repeat)


@dataclass
class Group:
    """Bands (and groups) with merged cells beside them: a section title, a row label."""

    cells: list[Cell]
    children: list[Band | Group] = field(default_factory=list)

    @property
    def header(self) -> Band | None:
        first = self.children[0] if self.children else None
        return first if isinstance(first, Band) and first.repeat else None


Node = Band | Group


@dataclass
class Placed:
    band: Band
    top: float  # y of the band's top edge
    height: float
    groups: tuple[Group, ...]


@dataclass
class Page:
    placed: list[Placed] = field(default_factory=list)
    trailer_top: float | None = None


def _flatten(nodes: Sequence[Node], groups: tuple[Group, ...] = ()) -> list[tuple[Band, tuple[Group, ...]]]:
    out: list[tuple[Band, tuple[Group, ...]]] = []
    for node in nodes:
        if isinstance(node, Band):
            out.append((node, groups))
        else:
            _fit_group(node)
            out.extend(_flatten(node.children, (*groups, node)))
    return out


def _fit_group(group: Group) -> None:
    """Make the bands of a group at least as tall as its merged cells need."""
    need = max((c.text_height for c in group.cells), default=0.0)
    bands = [b for b, _ in _flatten(group.children)] if group.children else []
    if not bands:
        group.children.append(Band([], min_height=need))
        return
    have = sum(b.height for b in bands)
    if need > have:
        bands[-1].min_height = bands[-1].height + need - have


def paginate(nodes: Sequence[Node], first_room: tuple[float, float], room: tuple[float, float],
             trailer: float = 0.0) -> list[Page]:
    """Place the nodes on pages. `first_room` and `room` are the (top, bottom) y of the table area
    on the first and on later pages; `trailer` is the height kept after the last band (the
    signature block), which must share the page with at least that band."""
    queue = _flatten(nodes)
    pages = [Page()]
    y, bottom = first_room
    fresh = True  # nothing but repeated headers on this page yet
    i = 0
    while i < len(queue):
        band, groups = queue[i]
        last = i == len(queue) - 1
        before = 0.0 if fresh else band.before
        keep = trailer if last else 0.0
        j = i
        while queue[j][0].keep_with_next and j + 1 < len(queue):  # a heading stays with what follows
            j += 1
            after = queue[j][0]
            whole = after.keep_with_next or not after.splittable
            keep += after.before + (after.height if whole else min(after.height, 3 * PAD_Y + 14))
        if y - before - band.height - keep >= bottom:
            pages[-1].placed.append(Placed(band, y - before, band.height, groups))
            y -= before + band.height
            fresh = False
            i += 1
            continue
        space = y - before - bottom - (trailer if last else 0.0)
        tall = band.height > (room[0] - room[1]) * 0.4
        parts = band.split(space) if fresh or (tall and space > 40) else None
        if parts is not None:
            head, tail = parts
            pages[-1].placed.append(Placed(head, y - before, head.height, groups))
            queue[i] = (tail, groups)
        elif fresh:  # does not fit on an empty page and cannot be split: place it, clipped
            pages[-1].placed.append(Placed(band, y - before, band.height, groups))
            y -= before + band.height
            i += 1
            if i == len(queue):
                break
        pages.append(Page())
        y, bottom = room
        y = _repeat_headers(pages[-1], queue[i], y)
        fresh = True
    pages[-1].trailer_top = y
    return pages


def _repeat_headers(page: Page, item: tuple[Band, tuple[Group, ...]], y: float) -> float:
    """At the top of a new page, the column headers of the groups the next band continues."""
    band, groups = item
    for depth, g in enumerate(groups):
        header = g.header
        if header is not None and header is not band:
            page.placed.append(Placed(header, y, header.height, groups[:depth + 1]))
            y -= header.height
    return y


# Drawing -----------------------------------------------------------------------------------------


class Painter:
    """Draws placed bands onto a canvas.

    Text and rules are written as PDF operators straight into the page (the canvas' `_code`,
    which reportlab's own drawString fills the same way), because reportlab's text objects cost
    more than the rest of a sheet together; fonts still go through reportlab, so they are
    subset and embedded as usual."""

    def __init__(self, canvas: Canvas, left: float) -> None:
        self.c = canvas
        self.left = left
        self._color: tuple[float, float, float] | None = None
        self._fonts: dict[str, object] = {}

    def color(self, rgb: tuple[float, float, float]) -> None:
        if self._color != rgb:
            self.c._code.append(f"{rgb[0]:.3g} {rgb[1]:.3g} {rgb[2]:.3g} rg")
            self._color = rgb

    def reset(self) -> None:
        """Forget the state after a page break (reportlab resets it per page)."""
        self._color = None
        self.c.setLineWidth(LINE_W)

    def forget(self) -> None:
        """After drawing through the canvas' own calls, which may change the colour."""
        self._color = None

    def text(self, x: float, y: float, text: str, font: str, size: float, align: str = "left",
             color: tuple[float, float, float] = INK) -> None:
        if align != "left":
            w = text_width(text, font, size)
            x -= w / 2 if align == "center" else w
        f = self._fonts.get(font)
        if f is None:
            f = self._fonts[font] = pdfmetrics.getFont(font)
        self.color(color)
        doc = self.c._doc
        escape = self.c._escape
        ops = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm"]
        for face, run in glyphs.runs(text, font):  # one run unless a character needs the fallback face
            if face != font:
                f = self._fonts.get(face)
                if f is None:
                    f = self._fonts[face] = pdfmetrics.getFont(face)
            else:
                f = self._fonts[font]
            for subset, chunk in f.splitString(run, doc):  # type: ignore[attr-defined]
                ops.append(f"{f.getSubsetInternalName(subset, doc)} {size:g} Tf ({escape(chunk)}) Tj")  # type: ignore[attr-defined]
        ops.append("ET")
        self.c._code.append(" ".join(ops))

    def rect(self, x: float, y: float, w: float, h: float, fill: bool = False) -> None:
        self.c._code.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re {'f' if fill else 'S'}")

    def cell(self, cell: Cell, top: float, height: float) -> None:
        x = self.left + cell.x
        if cell.fill is not None:
            self.color(cell.fill)
            self.rect(x, top - height, cell.w, height, fill=True)
        if cell.draw is not None:
            self.c.saveState()
            cell.draw(self.c, x, top - height, cell.w, height)
            self.c.restoreState()
            self._color = None
        if cell.lines:
            lead = cell.leading
            block = len(cell.lines) * lead
            y0 = top - cell.pad_y if cell.valign == "top" else top - (height - block) / 2
            y = y0 - cell.size * 0.88 - (lead - cell.size) / 2
            if cell.align == "center":
                tx = x + cell.w / 2
            elif cell.align == "right":
                tx = x + cell.w - PAD_X
            else:
                tx = x + PAD_X
            for line in cell.lines:
                if line:
                    self.text(tx, y, line, cell.font, cell.size, cell.align, cell.color)
                y -= lead
        if cell.ruled:
            self.rect(x, top - height, cell.w, height)

    def page(self, page: Page) -> None:
        spans: dict[int, tuple[Group, float, float]] = {}
        for p in page.placed:
            for c in p.band.cells:
                self.cell(c, p.top, p.height)
            for g in p.groups:
                first = spans.get(id(g))
                spans[id(g)] = (g, first[1] if first else p.top, p.top - p.height)
        for g, top, bottom in spans.values():
            for c in g.cells:
                self.cell(c, top, top - bottom)
