"""The record form as a Word document (.docx) for the cadre to fill in Word or WPS, laid out like
the seed's annex and the printed sheet: the title, 填表时间 above the table, one table whose first
column holds the section titles (merged down their rows), the header fields (姓名, 职务, 部门)
filled in, each fixed row (党总支, 进课堂…) one row to write in — several activities in one cell,
one line each — and the signature line under it.

Drawn from the same form definition and sheet content as the PDF (sheet_content.py), so a new
school's form needs no code. The filled-in document comes back through `import sheets`
(excel/import_sheets.py), which finds the table by these same words.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ..forms import Section
from .sheet_content import SectionContent, SheetContent

if TYPE_CHECKING:
    from docx.table import Table, _Cell

FONT = "宋体"  # what a Chinese office's Word and WPS have; other systems substitute
TITLE_FONT = "黑体"
BLANK_ACTIVITY_ROWS = 6  # rows to write in under an activities section's heading
BOX = "☐"  # the cadre ticks it (☑, √ or ■ are all read back)


def sheet_docx(content: SheetContent) -> bytes:
    """The form for one cadre-month as .docx bytes: header filled in (and, where the form lists
    them, the cadre's assigned targets), the rest blank to write in — what is already in the
    ledger stays there and is shown as unchanged when the filled form comes back."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    _east_asian(style.element, FONT)
    props = document.core_properties
    props.title = content.form.title
    props.subject = f"{content.cadre} {content.month_label}"
    props.category = content.form.id  # lets the import know its own forms at once
    props.author = "联系工作台"

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(content.form.title)
    run.bold = True
    run.font.size = Pt(16)
    run.font.name = TITLE_FONT
    _east_asian(run._element, TITLE_FONT)
    label = content.month_field_label
    if label:
        when = document.add_paragraph(f"{label}：{content.month_label}")
        when.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    width = _columns(content)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    table.autofit = False
    _header(table, content, width)
    for sc in content.sections:
        if sc.section.optional and sc.empty:
            continue
        _section(table, sc, width)
    _widths(table, width, content)

    sign = document.add_paragraph()
    sign.paragraph_format.space_before = Pt(18)
    sign.add_run("本人签字：" + "\u3000" * 10 + "日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日")
    foot = section.footer.paragraphs[0]
    foot.text = f"{content.form.source}　　{content.cadre}　{content.month_label}"
    foot.runs[0].font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _east_asian(element: object, font: str) -> None:
    """Word takes Chinese text's font from w:eastAsia, not from the plain font name."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _columns(content: SheetContent) -> int:
    """Grid columns: the section title, the row label, then the widest section's columns; at least
    two per header field (label, value)."""
    drawn = [s for s in content.sections if not (s.section.optional and s.empty)]
    widest = max((len(s.section.columns) for s in drawn), default=0)
    header = 2 * len(content.header)
    return max(2 + widest, header, 4)


def _widths(table: Table, width: int, content: SheetContent) -> None:
    """Column widths as the form gives them (工作简况 wide, 时间 narrow), for Word and LibreOffice
    alike (grid columns and each cell)."""
    from docx.shared import Cm

    first, label = 2.2, 2.2
    rows = next((s.section for s in content.sections if s.section.kind == "rows"), None)
    weights = [c.width for c in rows.columns] if rows is not None and len(rows.columns) == width - 2 \
        else [1] * (width - 2)
    rest = 17.0 - first - label
    sizes = [first, label] + [rest * w / sum(weights) for w in weights]
    for i, column in enumerate(table.columns):
        column.width = Cm(sizes[i])
    for tr in table._tbl.tr_lst:  # a merged cell is as wide as the columns it spans
        col = 0
        for tc in tr.tc_lst:
            tc.width = Cm(sum(sizes[col:col + tc.grid_span]))
            col += tc.grid_span


def _row(table: Table, height_cm: float = 0.0) -> list[_Cell]:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    row = table.add_row()
    if height_cm:
        row.height = Cm(height_cm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return list(row.cells)


def _put(cell: _Cell, text: str, bold: bool = False, center: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _span(cells: list[_Cell], first: int, last: int) -> _Cell:
    return cells[first].merge(cells[last]) if last > first else cells[first]


def _header(table: Table, content: SheetContent, width: int) -> None:
    """姓名 | 王建国 | 职务 | 党委书记 …: the header fields other than the month, share and share alike."""
    if not content.header:
        return
    cells = _row(table, 1.0)
    n = len(content.header)
    share = width // n
    for i, (label, value) in enumerate(content.header):
        start = i * share
        end = width - 1 if i == n - 1 else start + share - 1
        _put(cells[start], label, bold=True, center=True)
        _put(_span(cells, start + 1, end), value, center=True)


def _title_cell(table: Table, first_row: int, section: Section) -> None:
    """The section's title (and note) in the first column, merged down its rows."""
    rows = table.rows[first_row:]
    cell = rows[0].cells[0].merge(rows[-1].cells[0]) if len(rows) > 1 else rows[0].cells[0]
    note = section.note if section.kind != "activities" or not section.text_key else ""
    _put(cell, section.title + (f"\n{note}" if note else ""), bold=True, center=True)


def _section(table: Table, sc: SectionContent, width: int) -> None:
    s = sc.section
    first = len(table.rows)
    if s.kind == "rows":
        cells = _row(table, 0.8)
        _column_heading(cells, s, 2, width)
        for r in sc.rows:
            cells = _row(table, 1.3)
            _put(cells[1], r.label, center=True)
            _blank_columns(cells, s, 2, width)
    elif s.kind == "activities":
        if s.text_key:
            cells = _row(table, 5.0)
            box = _span(cells, 1, width - 1)
            _put(box, s.note)
            if s.note:  # the annex's hint, in grey; the import drops it
                from docx.shared import Pt, RGBColor

                run = box.paragraphs[0].runs[0]
                run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x80, 0x80, 0x80)
                box.vertical_alignment = None
        cells = _row(table, 0.8)
        _column_heading(cells, s, 1, width)
        for _ in range(BLANK_ACTIVITY_ROWS):
            _blank_columns(_row(table, 1.0), s, 1, width)
    elif s.kind == "choices":
        cells = _row(table, 1.2)
        _put(_span(cells, 1, width - 1), "\u3000\u3000".join(f"{BOX}{o}" for o in s.options))
    elif s.kind in ("fields", "assigned"):
        pairs = (tuple((f.label, "") for f in s.fields) if s.kind == "fields"
                 else tuple((r.label, "、".join(r.names)) for r in sc.rows))  # whom the cadre is assigned
        for label, value in pairs:
            cells = _row(table, 1.0)
            _put(cells[1], label, center=True)
            _put(_span(cells, 2, width - 1), value)
    else:
        cells = _row(table, 4.0)
        _put(_span(cells, 1, width - 1), "")
    _title_cell(table, first, s)


def _column_heading(cells: list[_Cell], s: Section, start: int, width: int) -> None:
    for i, col in enumerate(s.columns):
        last = width - 1 if i == len(s.columns) - 1 else start + i
        _put(_span(cells, start + i, last), col.label, bold=True, center=True)


def _blank_columns(cells: list[_Cell], s: Section, start: int, width: int) -> None:
    n = len(s.columns)
    if start + n - 1 < width - 1:
        _span(cells, start + n - 1, width - 1)
