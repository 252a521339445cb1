"""Writing .xlsx workbooks that a clerk is happy to hand on: titled, frozen header, widths,
wrapped text, dates as dates, drop-down lists, print set-up — and text that never runs.

A small streaming SpreadsheetML writer rather than openpyxl: the ledger export of 100,000 rows
must finish in a few seconds (openpyxl's per-cell objects take about ten), and every cell here
is written by one f-string. Strings go to the shared-string table, so Excel, WPS and openpyxl
read them back quickly. Text that begins with = + - @ is a string cell with the quotePrefix
style: no spreadsheet evaluates it, not even after the cell is edited.

Reading is python-calamine's, or openpyxl's read-only mode: see read and calamine.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from ..errors import BadInput
from .xlsx_styles import HEADER, NS_MAIN, REQUIRED_HEADER, SUBTITLE, TITLE, XML_HEAD, Look, Styles, xml_escape

FORMULA_START = ("=", "+", "-", "@")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
MAX_ROWS = 1_048_576
EXCEL_EPOCH = date(1899, 12, 30).toordinal()
DATE_FORMAT = "yyyy-mm-dd"
FIRST_VALID_DAY, LAST_VALID_DAY = date(2000, 1, 1), date(2100, 12, 31)

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

_EXCEL_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")


def needs_quote(text: str) -> bool:
    """True for text a spreadsheet would take as a formula (or as the start of one)."""
    return text.startswith(FORMULA_START)


def excel_serial(d: date | datetime) -> float | int:
    """Excel's day number (1900 date system) for a date or a date-time."""
    if isinstance(d, datetime):
        seconds = d.hour * 3600 + d.minute * 60 + d.second + d.microsecond / 1e6
        return d.date().toordinal() - EXCEL_EPOCH + seconds / 86400
    return d.toordinal() - EXCEL_EPOCH


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sst_text(text: str) -> str:
    """Text for the shared-string table: Excel reads `_xHHHH_` as an escape, so a literal one is
    itself escaped (`_x005F_`), as Excel does when it saves."""
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F\1", text)
    return xml_escape(text)


# Sheets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table sheet. `kind`: text, wrap (long text), date, int, number, center."""

    header: str
    width: float = 12
    kind: str = "text"
    required: bool = False  # marked in templates


@dataclass(frozen=True)
class Validation:
    """A drop-down list or a value range for one column's data cells."""

    column: int
    kind: str  # list / date / whole / decimal
    source: str = ""  # list: "'选项'!$A$1:$A$9" or an inline "是,否"
    low: float | int = 0
    high: float | int = 0
    message: str = ""


BODY_LOOKS = {
    "text": Look(border=True),
    "center": Look(border=True, halign="center"),
    "wrap": Look(border=True, wrap=True, valign="top"),
    "date": Look(border=True, halign="center", number_format=DATE_FORMAT),
    "int": Look(border=True, halign="center"),
    "number": Look(border=True, halign="center"),  # General: 1 shows 1, 0.5 shows 0.5
}


class Sheet:
    """A worksheet written row by row to a temporary file; assembled when the book is saved."""

    def __init__(self, book: Book, name: str, hidden: bool = False) -> None:
        self.book = book
        self.name = name
        self.hidden = hidden
        self.columns: list[Column] = []
        self.widths: dict[int, float] = {}
        self.rows = 0
        self.max_col = 0
        self.freeze_row = 0  # rows above the split
        self.filter_row = 0  # header row of the auto-filter (1-based), 0 for none
        self.merges: list[str] = []
        self.validations: list[Validation] = []
        self.validation_rows = 0
        self.print_title_rows = 0
        self.landscape = True
        self._data: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 — closed in write_to
        self._buffer: list[str] = []

    # Writing rows ------------------------------------------------------------------------------

    def _cell(self, ref: str, value: Any, style: int, quote_style: int) -> str:
        if value is None or value == "":
            return f'<c r="{ref}" s="{style}"/>' if style else ""
        if isinstance(value, str):
            if len(value) > MAX_CELL_TEXT:
                raise BadInput(f"单元格 {self.name}!{ref} 的文字超过 Excel 上限 {MAX_CELL_TEXT} 字")
            s = quote_style if value.startswith(FORMULA_START) else style
            return f'<c r="{ref}" s="{s}" t="s"><v>{self.book.string(value)}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, date):
            return f'<c r="{ref}" s="{style}"><v>{excel_serial(value)}</v></c>'
        if isinstance(value, int | float):
            if value != value or value in (float("inf"), float("-inf")):
                return ""
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
        return self._cell(ref, str(value), style, quote_style)

    def write_row(self, values: Sequence[Any], looks: Sequence[Look | None] | None = None,
                  height: float | None = None) -> None:
        """One row of cells with their own looks (titles, headers, notes)."""
        self.rows += 1
        r = self.rows
        cells = []
        for i, value in enumerate(values):
            look = looks[i] if looks and i < len(looks) else None
            style = self.book.styles.index(look) if look else 0
            quote = self.book.styles.index(_quoted(look or Look(valign="")))
            cells.append(self._cell(f"{column_letter(i)}{r}", value, style, quote))
        self.max_col = max(self.max_col, len(values))
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        self._buffer.append(f'<row r="{r}"{ht}>{"".join(cells)}</row>')
        self._flush_if_full()

    def table(self, columns: Sequence[Column], title: str = "", subtitle: str = "",
              mark_required: bool = False) -> None:
        """Start a table: optional title (merged across) and subtitle rows, then the header row,
        frozen, filtered and repeated on every printed page."""
        self.columns = list(columns)
        width = len(columns)
        last = column_letter(width - 1)
        if title:
            self.write_row([title], [TITLE], height=30)
            if width > 1:
                self.merges.append(f"A{self.rows}:{last}{self.rows}")
        if subtitle:
            self.write_row([subtitle], [SUBTITLE])
            if width > 1:
                self.merges.append(f"A{self.rows}:{last}{self.rows}")
        looks = [REQUIRED_HEADER if mark_required and c.required else HEADER for c in columns]
        self.write_row([c.header for c in columns], looks, height=22)
        self.freeze_row = self.filter_row = self.print_title_rows = self.rows
        for i, c in enumerate(columns):
            self.widths[i] = c.width
        self._body = [(column_letter(i), self.book.styles.index(BODY_LOOKS[c.kind]),
                       self.book.styles.index(_quoted(BODY_LOOKS[c.kind]))) for i, c in enumerate(columns)]
        self._wrap = [(i, max(1.0, c.width - 1)) for i, c in enumerate(columns) if c.kind == "wrap"]

    def append(self, values: Sequence[Any], marks: dict[int, Look] | None = None) -> None:
        """One data row of the table, each value in its column's look (or in `marks[column]`)."""
        self.rows += 1
        r = self.rows
        if r > MAX_ROWS:
            raise BadInput(f"工作表“{self.name}”超过 Excel 的行数上限 {MAX_ROWS}")
        cell = self._cell
        parts = [cell(f"{letter}{r}", v, s, q) for (letter, s, q), v in zip(self._body, values, strict=False)]
        if marks:
            styles = self.book.styles
            for i, look in marks.items():
                letter = self._body[i][0]
                parts[i] = cell(f"{letter}{r}", values[i], styles.index(look), styles.index(_quoted(look)))
        lines = max((_lines(values[i], width) for i, width in self._wrap if i < len(values)), default=1)
        height = f' ht="{lines * LINE_HEIGHT:g}"' if lines > 1 else ""
        self._buffer.append(f'<row r="{r}"{height}>{"".join(parts)}</row>')
        if len(self._buffer) >= 2000:
            self._flush()

    def validate(self, v: Validation) -> None:
        self.validations.append(v)

    def _flush_if_full(self) -> None:
        if len(self._buffer) >= 2000:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._data.write("".join(self._buffer).encode("utf-8"))
            self._buffer = []

    # Assembling --------------------------------------------------------------------------------

    def _head(self, index: int) -> str:
        width = max(self.max_col, len(self.columns), 1)
        last = f"{column_letter(width - 1)}{max(self.rows, 1)}"
        selected = ' tabSelected="1"' if index == 0 else ""
        parts = [XML_HEAD, f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">',
                 '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>', f'<dimension ref="A1:{last}"/>',
                 "<sheetViews>", f'<sheetView workbookViewId="0"{selected}>']
        if self.freeze_row:
            top = f"A{self.freeze_row + 1}"
            parts.append(f'<pane ySplit="{self.freeze_row}" topLeftCell="{top}" activePane="bottomLeft" '
                         f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>')
        parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            parts.append("<cols>")
            parts += [f'<col min="{i + 1}" max="{i + 1}" width="{w:g}" customWidth="1"/>'
                      for i, w in sorted(self.widths.items())]
            parts.append("</cols>")
        parts.append("<sheetData>")
        return "".join(parts)

    def _tail(self) -> str:
        parts = ["</sheetData>"]
        if self.filter_row and self.columns:
            parts.append(f'<autoFilter ref="{self.filter_range()}"/>')
        if self.merges:
            parts.append(f'<mergeCells count="{len(self.merges)}">')
            parts += [f'<mergeCell ref="{m}"/>' for m in self.merges]
            parts.append("</mergeCells>")
        if self.validations:
            first = self.filter_row + 1
            last = max(self.rows, self.filter_row + self.validation_rows)
            parts.append(f'<dataValidations count="{len(self.validations)}">')
            parts += [_validation_xml(v, first, last) for v in self.validations]
            parts.append("</dataValidations>")
        parts.append('<printOptions horizontalCentered="1"/>'
                     '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                     f'<pageSetup paperSize="9" orientation="{"landscape" if self.landscape else "portrait"}" '
                     'fitToWidth="1" fitToHeight="0"/>'
                     "<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>"
                     "</worksheet>")
        return "".join(parts)

    def filter_range(self) -> str:
        last = column_letter(len(self.columns) - 1)
        return f"A{self.filter_row}:{last}{max(self.rows, self.filter_row)}"

    def write_to(self, out: IO[bytes], index: int) -> None:
        self._flush()
        out.write(self._head(index).encode("utf-8"))
        self._data.seek(0)
        while chunk := self._data.read(1 << 20):
            out.write(chunk)
        self._data.close()
        out.write(self._tail().encode("utf-8"))


LINE_HEIGHT = 14.25  # points, one line of 11-point 宋体


def _lines(value: Any, width: float) -> int:
    """How many lines a wrapped cell needs in a column `width` characters wide: the height is
    written with the row, since not every spreadsheet fits rows to wrapped text on opening.
    A Chinese character is two characters wide (as its GBK encoding is two bytes long)."""
    if not isinstance(value, str) or not value:
        return 1
    total = 0
    for line in value.split("\n"):
        total += max(1, -(-len(line.encode("gbk", "replace")) // int(width)))
    return min(total, 40)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _quoted(look: Look) -> Look:
    return Look(**{**look.__dict__, "quote": True})


def _validation_xml(v: Validation, first: int, last: int) -> str:
    col = column_letter(v.column)
    ref = f"{col}{first}:{col}{last}"
    msg = xml_escape(v.message)
    common = (f'allowBlank="1" showInputMessage="1" showErrorMessage="1" errorTitle="输入有误" '
              f'error="{msg}" sqref="{ref}"')
    if v.kind == "list":
        source = v.source if "!" in v.source else f'"{v.source}"'
        return f'<dataValidation type="list" {common}><formula1>{xml_escape(source)}</formula1></dataValidation>'
    low, high = v.low, v.high
    return (f'<dataValidation type="{v.kind}" operator="between" {common}>'
            f"<formula1>{low}</formula1><formula2>{high}</formula2></dataValidation>")


class Book:
    """One workbook, saved all at once (to a temporary file, then moved into place)."""

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.styles = Styles()
        self.sheets: list[Sheet] = []
        self._strings: dict[str, int] = {}
        self._string_count = 0

    def string(self, text: str) -> int:
        self._string_count += 1
        found = self._strings.get(text)
        if found is None:
            found = self._strings[text] = len(self._strings)
        return found

    def add_sheet(self, name: str, hidden: bool = False) -> Sheet:
        bad = set(name) & set("[]:*?/\\")
        if bad or not name or len(name) > 31:
            raise ValueError(f"bad sheet name {name!r}")
        sheet = Sheet(self, name, hidden)
        self.sheets.append(sheet)
        return sheet

    def add_lists(self, name: str, lists: dict[str, Sequence[str]]) -> dict[str, str]:
        """A hidden sheet with one list per column, for drop-downs; returns each list's range."""
        sheet = self.add_sheet(name, hidden=True)
        keys = list(lists)
        height = max((len(v) for v in lists.values()), default=0)
        sheet.write_row(keys)
        for r in range(height):
            sheet.write_row([lists[k][r] if r < len(lists[k]) else None for k in keys])
        ranges = {}
        for i, k in enumerate(keys):
            col = column_letter(i)
            ranges[k] = f"'{name}'!${col}$2:${col}${max(2, len(lists[k]) + 1)}"
        return ranges

    def save(self, path: Path) -> Path:
        """Write the file; a failure leaves any earlier file at `path` as it was."""
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise BadInput(f"导出文件名应以 .xlsx 结尾：{path.name}")
        if not path.parent.is_dir():
            raise BadInput(f"文件夹不存在：{path.parent}")
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=path.parent)
        except OSError as e:
            raise BadInput(f"无法在 {path.parent} 中写入文件：{e.strerror}") from None
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            self._write(tmp)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an export is an ordinary file
            os.replace(tmp, path)
        except PermissionError:
            tmp.unlink(missing_ok=True)
            raise BadInput(f"无法写入 {path}：文件可能正被 Excel 或 WPS 打开，请关闭后重试") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return path

    def _write(self, path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            visible = [s for s in self.sheets if not s.hidden]
            ordered = visible + [s for s in self.sheets if s.hidden]
            for i, sheet in enumerate(ordered):
                with z.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=True) as out:
                    sheet.write_to(out, i)
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                self._write_strings(out)
            z.writestr("xl/styles.xml", self.styles.xml())
            z.writestr("xl/workbook.xml", self._workbook_xml(ordered))
            z.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels(len(ordered)))
            z.writestr("[Content_Types].xml", _content_types(len(ordered)))
            z.writestr("_rels/.rels", ROOT_RELS)
            z.writestr("docProps/core.xml", self._core_xml())
            z.writestr("docProps/app.xml", APP_XML)

    def _write_strings(self, out: IO[bytes]) -> None:
        out.write((f'{XML_HEAD}<sst xmlns="{NS_MAIN}" count="{self._string_count}" '
                   f'uniqueCount="{len(self._strings)}">').encode())
        batch = []
        for text in self._strings:
            batch.append(f'<si><t xml:space="preserve">{_sst_text(text)}</t></si>')
            if len(batch) >= 5000:
                out.write("".join(batch).encode("utf-8"))
                batch = []
        batch.append("</sst>")
        out.write("".join(batch).encode("utf-8"))

    def _workbook_xml(self, sheets: list[Sheet]) -> str:
        parts = [XML_HEAD, f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}">',
                 '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>']
        for i, s in enumerate(sheets):
            state = ' state="hidden"' if s.hidden else ""
            parts.append(f'<sheet name="{xml_escape(s.name)}" sheetId="{i + 1}"{state} r:id="rId{i + 1}"/>')
        parts.append("</sheets>")
        names = []
        for i, s in enumerate(sheets):
            quoted = "'" + s.name.replace("'", "''") + "'"
            if s.filter_row and s.columns:
                ref = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", s.filter_range())
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                             f"{xml_escape(quoted)}!{ref}</definedName>")
            if s.print_title_rows:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                             f"{xml_escape(quoted)}!$1:${s.print_title_rows}</definedName>")
        if names:
            parts.append("<definedNames>" + "".join(names) + "</definedNames>")
        parts.append('<calcPr calcId="191029"/></workbook>')
        return "".join(parts)

    @staticmethod
    def _workbook_rels(n: int) -> str:
        rels = [f'<Relationship Id="rId{i + 1}" Type="{NS_R}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(n)]
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{NS_R}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{NS_R}/sharedStrings" Target="sharedStrings.xml"/>')
        return f'{XML_HEAD}<Relationships xmlns="{NS_PKG}">{"".join(rels)}</Relationships>'

    def _core_xml(self) -> str:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (f'{XML_HEAD}<cp:coreProperties '
                'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f"<dc:title>{xml_escape(self.title)}</dc:title><dc:creator>联系工作台</dc:creator>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
                "</cp:coreProperties>")


MAIN_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
ROOT_RELS = (f'{XML_HEAD}<Relationships xmlns="{NS_PKG}">'
             f'<Relationship Id="rId1" Type="{NS_R}/officeDocument" Target="xl/workbook.xml"/>'
             '<Relationship Id="rId2" '
             'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
             'Target="docProps/core.xml"/>'
             f'<Relationship Id="rId3" Type="{NS_R}/extended-properties" Target="docProps/app.xml"/>'
             "</Relationships>")
APP_XML = (f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>Liaison Desk</Application></Properties>")


def _content_types(n: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{MAIN_CT}.worksheet+xml"/>'
                     for i in range(n))
    return (f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{MAIN_CT}.sheet.main+xml"/>{sheets}'
            f'<Override PartName="/xl/styles.xml" ContentType="{MAIN_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{MAIN_CT}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>")
