"""Reading a clerk's .xlsx safely: refuse what is not a workbook (or is locked, corrupt or a
zip bomb) before openpyxl opens it, find the header row wherever it is, and stream the rows
with openpyxl's read-only mode, so a 200,000-row ledger never sits in memory as cells.

Cells holding formulas are refused in the columns that are imported (a formula's text is not
data, and its cached result may be stale): the clerk pastes values and imports again. Formulas
in other columns (a 序号 of =ROW()-2, say) are ignored.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..errors import BadInput
from .calamine import CalamineBook, ReadAhead, SheetXml, book_is_plain, scan_sheet
from .xlsx import MAX_CELL_TEXT

MAX_FILE_BYTES = 200 * 2**20  # the file itself
MAX_UNCOMPRESSED = 768 * 2**20  # all parts together, as the zip declares them
MAX_RATIO = 200  # a part this many times larger than its compressed size is a bomb…
RATIO_FLOOR = 8 * 2**20  # …once it is larger than this
MAX_PARTS = 10_000
MAX_STRINGS = 160 * 2**20  # the shared-string table, which openpyxl holds in memory whole
MAX_ROWS = 200_000  # per sheet
HEADER_SCAN = 30  # rows searched for the header
MAX_PROBLEMS = 2000  # listed; more are counted
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class Cancelled(Exception):
    """The clerk pressed 取消; whatever was under way is dropped (a write is rolled back)."""


Progress = Callable[[int, int, str], None]
"""progress(done, total, what): total 0 when unknown; may raise Cancelled."""


def _no_progress(_done: int, _total: int, _what: str) -> None:
    return None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: where it is, what was there, and why it cannot be taken."""

    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”" if self.sheet else "文件"
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"“{self.column}”列"
        shown = f"（{self.value}）" if self.value else ""
        return f"{where}{shown}：{self.reason}"


@dataclass
class Problems:
    """All problems found, the first MAX_PROBLEMS kept in full."""

    items: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, sheet: str, row: int | None, column: str, value: object, reason: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(sheet, row, column, preview(value), reason))

    def __bool__(self) -> bool:
        return self.count > 0


def preview(value: object, limit: int = 30) -> str:
    """A cell's value as the clerk would recognise it, shortened."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)  # as Excel shows it, however the file wrote it (5, 5.0)
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 字）"


# The file as a whole ----------------------------------------------------------------------------


def file_head(path: Path, max_bytes: int, too_big: str) -> bytes:
    """The first bytes of a file a clerk chose to import, once it is known to be a file of a
    sane size (`too_big` says what to do about a larger one)."""
    if not path.exists():
        raise BadInput(f"文件不存在：{path}")
    if not path.is_file():
        raise BadInput(f"不是文件：{path}")
    size = path.stat().st_size
    if size == 0:
        raise BadInput(f"“{path.name}”是空文件")
    if size > max_bytes:
        raise BadInput(f"“{path.name}”太大（{size / 2**20:.0f} MB，上限 {max_bytes // 2**20} MB），{too_big}")
    with path.open("rb") as f:
        return f.read(8)


def check_file(path: Path) -> list[tuple[str, str]]:
    """Refuse anything that is not a plain, sane .xlsx; returns (sheet name, part) pairs.

    Runs before openpyxl sees the file: encrypted or old-format workbooks, other zips, corrupt
    zips, zip bombs (judged by the sizes the zip declares, which zipfile then enforces) and
    sheets whose dimension claims more rows than the limit.
    """
    name = path.name
    head = file_head(path, MAX_FILE_BYTES, "请分成几个文件导入")
    if head.startswith(OLE_MAGIC):
        if _is_encrypted(path):
            raise BadInput(f"“{name}”设有打开密码（已加密），无法读取：请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入")
        raise BadInput(f"“{name}”是旧版 Excel（.xls）或其他 Office 格式，请在 Excel/WPS 中另存为 .xlsx 再导入")
    if not head.startswith(b"PK"):
        kind = "网页或文本文件" if head.lstrip()[:1] in (b"<", b"") or _looks_text(head) else "其他格式的文件"
        raise BadInput(f"“{name}”不是 Excel 工作簿（.xlsx），看起来是{kind}；请在 Excel/WPS 中另存为 .xlsx 再导入")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_sizes(name, infos)
            names = {i.filename for i in infos}
            if "xl/workbook.bin" in names:
                raise BadInput(f"“{name}”是二进制工作簿（.xlsb），请另存为 .xlsx 再导入")
            if "content.xml" in names and "mimetype" in names:
                raise BadInput(f"“{name}”是 OpenDocument 表格（.ods），请另存为 .xlsx 再导入")
            if "xl/workbook.xml" not in names:
                raise BadInput(f"“{name}”不是 Excel 工作簿（是 Word 文档或其他压缩包？），请选择 .xlsx 文件")
            sheets = _sheet_parts(z)
            for sheet, part in sheets:
                rows = _declared_rows(z, part)
                if rows is not None and rows > MAX_ROWS:
                    raise BadInput(f"工作表“{sheet}”声称有 {rows:,} 行，超过每表 {MAX_ROWS:,} 行的上限；"
                                   "请删除多余的空行或分成几个文件导入")
            return sheets
    except zipfile.BadZipFile:
        raise BadInput(f"“{name}”已损坏（不是完整的 .xlsx 压缩包），请重新保存或重新导出后再试") from None
    except (ElementTree.ParseError, KeyError, UnicodeDecodeError, ValueError, OSError, EOFError,
            RuntimeError, NotImplementedError):
        raise BadInput(f"“{name}”已损坏（工作簿结构无法读取），请在 Excel/WPS 中打开后另存为 .xlsx 再导入") from None


def _looks_text(head: bytes) -> bool:
    return all(32 <= b < 127 or b in b"\r\n\t" for b in head)


def _is_encrypted(path: Path) -> bool:
    """An OLE container holding an EncryptedPackage stream: a password-protected .xlsx."""
    return holds_ole_stream(path, "EncryptedPackage")


def holds_ole_stream(path: Path, stream: str) -> bool:
    """Does the file name an OLE stream `stream` (a password-protected Office file keeps its
    EncryptionInfo and EncryptedPackage so)? Read in 1 MB pieces: a large file is not loaded."""
    needle = stream.encode("utf-16-le")
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
    return False


def _check_sizes(name: str, infos: Sequence[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise BadInput(f"“{name}”含有 {len(infos)} 个部件，不像正常的工作簿，已拒绝")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise BadInput(f"“{name}”解压后异常膨胀（{info.filename} 压缩比 {ratio:,.0f} 倍），疑似“压缩炸弹”，已拒绝")
        if info.filename.lower() == "xl/sharedstrings.xml" and info.file_size > MAX_STRINGS:
            raise BadInput(f"“{name}”的文字内容过多（{info.file_size / 2**20:,.0f} MB），请分成几个文件导入")
    if total > MAX_UNCOMPRESSED:
        raise BadInput(f"“{name}”解压后有 {total / 2**20:,.0f} MB，超过 {MAX_UNCOMPRESSED // 2**20} MB 的上限，"
                       "疑似“压缩炸弹”或文件过大，已拒绝")


def _sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip part) for every worksheet, from workbook.xml and its relationships."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    try:
        rels_xml = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets = {}
    for rel in ElementTree.fromstring(rels_xml).iter(f"{NS_PKG}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = target
    sheets = []
    for s in book.iter(f"{NS_MAIN}sheet"):
        part = targets.get(s.get(f"{NS_REL}id"))
        if part:
            sheets.append((s.get("name", ""), part))
    return sheets


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*(?::[A-Z]+(\d+))?\"")


def _declared_rows(z: zipfile.ZipFile, part: str) -> int | None:
    """The last row the sheet's <dimension> claims, read from the part's first 64 KB."""
    try:
        with z.open(part) as f:
            head = f.read(1 << 16)
    except KeyError:
        return None
    m = _DIMENSION.search(head)
    if not m:
        return None
    if m.group(1) is None:
        return 1
    return int(m.group(1))


# Columns and header rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column a kind of import reads (and its export writes)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text / wrap / date / int / number / center — the export's look
    width: float = 12
    limit: int = 60  # most characters accepted
    note: str = ""  # for the 说明 sheet of templates
    example: str = ""


_HEADER_NOISE = re.compile(r"[\s\u3000*＊:：]|（必填）|\(必填\)|（选填）|\(选填\)")


def normalise_header(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return _HEADER_NOISE.sub("", text).replace("(", "（").replace(")", "）")


@dataclass
class Table:
    """A sheet's table: where its header is and which column holds which field."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # field key → 0-based column index
    labels: dict[str, str]  # field key → the header text as written
    ignored: list[str]  # header texts not used
    above: list[str]  # text in the rows above the header (titles)
    first_row: int = 0
    last_row: int = 0
    rows: int = 0


def match_header(cells: Sequence[object], fields: Sequence[Field]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Which column holds which field, for one candidate header row."""
    wanted: dict[str, str] = {}
    for f in fields:
        for name in (f.label, *f.aliases):
            wanted.setdefault(normalise_header(name), f.key)
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for i, cell in enumerate(cells):
        key = wanted.get(normalise_header(cell))
        if key is None:
            if isinstance(cell, str) and cell.strip():
                ignored.append(cell.strip())
            continue
        if key in columns:
            ignored.append(str(cell).strip())
            continue
        columns[key] = i
        labels[key] = str(cell).strip()
    return columns, labels, ignored


# Rows -------------------------------------------------------------------------------------------


@dataclass
class SheetScan:
    """What was seen of each sheet: tables found, sheets skipped and why."""

    tables: list[Table] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_rows(path: Path, fields: Sequence[Field], layouts: Sequence[frozenset[str]],
              problems: Problems, scan: SheetScan,
              progress: Progress | None = None) -> Iterator[tuple[Table, int, list[Any]]]:
    """Every data row of every sheet whose header fits one of `layouts` (sets of field keys that
    must all be present): (table, row number, values in `fields` order, None where absent).

    Formula and error cells in imported columns become problems (value None). Sheets with a
    partial header are problems; sheets with no header at all (notes, lists) are skipped.
    """
    report = progress or _no_progress
    parts = check_file(path)
    total = 0
    xml: dict[str, SheetXml] = {}
    ahead = ReadAhead(path, parts[0][0]) if parts else None  # the first sheet, while the scan runs
    try:
        with zipfile.ZipFile(path) as z:
            for sheet, part in parts:
                total += _declared_rows(z, part) or 0
                xml[sheet] = scan_sheet(z, part)
            fast = any(not (x.refused or x.unsure) for x in xml.values()) and _book_is_plain(z)
    finally:
        loaded = ahead.take() if ahead else None
    with ExitStack() as stack:
        books = _Books(path, stack, fast, loaded if fast else None)
        del loaded
        done = 0
        try:
            for title, visible in books.sheets():
                if not visible:
                    scan.skipped.append(f"{title}（隐藏）")
                    continue
                seen = xml.get(title)
                plain = seen is not None and not seen.refused
                for item in _sheet_rows(title, books.rows(title, seen), fields, layouts, problems, scan, plain):
                    done += 1
                    if done % 2000 == 0:
                        report(done, total, "读取")
                    if item is not None:
                        yield item
        except (BadInput, Cancelled):
            raise
        except Exception as e:
            raise BadInput(f"“{path.name}”读取中途出错（文件可能已损坏）：{type(e).__name__}") from None
        report(done, total, "读取")


def _book_is_plain(z: zipfile.ZipFile) -> bool:
    try:
        return book_is_plain(z)
    except (ElementTree.ParseError, KeyError, ValueError):
        return False  # openpyxl reads it, and says what is wrong


class _Books:
    """The sheets of one workbook, each read by calamine when its XML allows (`fast`), else by
    openpyxl's read-only mode (opened only when a sheet needs it)."""

    def __init__(self, path: Path, stack: ExitStack, fast: bool, ahead: tuple[str, list[Any]] | None = None) -> None:
        self.path, self.stack = path, stack
        self.calamine: CalamineBook | None = None
        self.openpyxl: Any = None
        if fast:
            try:
                self.calamine = CalamineBook(path, ahead)
                stack.callback(self.calamine.close)
            except Exception:
                self.calamine = None
            if self.calamine is not None and self.calamine.sheets() is None:
                self.calamine = None

    def _openpyxl(self) -> Any:
        if self.openpyxl is None:
            from openpyxl import load_workbook

            handle = self.stack.enter_context(self.path.open("rb"))
            try:
                self.openpyxl = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
            except Exception:
                raise BadInput(f"“{self.path.name}”已损坏或不是有效的 Excel 工作簿，"
                               "请在 Excel/WPS 中打开后另存为 .xlsx 再导入") from None
            self.stack.callback(self.openpyxl.close)
        return self.openpyxl

    def sheets(self) -> list[tuple[str, bool]]:
        if self.calamine is not None:
            found = self.calamine.sheets()
            assert found is not None
            return found
        return [(ws.title, getattr(ws, "sheet_state", "visible") == "visible") for ws in self._openpyxl().worksheets]

    def rows(self, title: str, seen: SheetXml | None) -> Iterable[Any]:
        if self.calamine is not None and seen is not None and not (seen.refused or seen.unsure):
            return self.calamine.rows(title, seen.last_row)
        ws = self._openpyxl()[title]
        ws.reset_dimensions()  # trust the rows, not the declared size
        return ws.iter_rows(values_only=seen is not None and not seen.refused)


def _sheet_rows(title: str, rows: Iterable[Any], fields: Sequence[Field], layouts: Sequence[frozenset[str]],
                problems: Problems, scan: SheetScan, plain: bool) -> Iterator[tuple[Table, int, list[Any]] | None]:
    """Rows of one sheet; yields None for rows that hold no data (so the caller can count).

    `plain`: the sheet has no formula or error cells, so values alone are read (much faster
    than cell objects, and a text beginning with = is then certainly text)."""
    table: Table | None = None
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    above: list[str] = []
    keys = [f.key for f in fields]
    labels_by_key = {f.key: f.label for f in fields}
    idx: list[int | None] = []
    limit = MAX_ROWS + HEADER_SCAN
    row_number = 0
    for row in rows:
        row_number += 1
        if row_number > limit:
            raise BadInput(f"工作表“{title}”超过 {MAX_ROWS:,} 行的上限，请分成几个文件导入")
        if table is None:
            if row_number > HEADER_SCAN:
                break
            cells = list(row) if plain else [c.value for c in row]
            columns, labels, ignored = match_header(cells, fields)
            if any(layout <= columns.keys() for layout in layouts):
                table = Table(title, row_number, columns, labels, ignored, above)
                scan.tables.append(table)
                idx = [columns.get(k) for k in keys]
            else:
                if columns and (best is None or len(columns) > best[0]):
                    best = (len(columns), row_number, columns, labels)
                above.extend(str(v).strip() for v in cells if isinstance(v, str) and v.strip())
            yield None
            continue
        width = len(row)
        if plain:
            raw = [row[i] if i is not None and i < width else None for i in idx]
        else:
            raw = [_cell_value(row[i], table, row_number, k, problems) if i is not None and i < width else None
                   for k, i in zip(keys, idx, strict=True)]
        values: list[Any] = []
        blank = True
        for k, v in zip(keys, raw, strict=True):
            if v.__class__ is str:
                if len(v) > MAX_CELL_TEXT:
                    problems.add(title, row_number, table.labels[k], v,
                                 f"文字过长（{len(v):,} 字，超过 Excel 单元格上限 {MAX_CELL_TEXT:,} 字）")
                    v = _REFUSED
                else:
                    v = v.strip() or None
            if v is not None:
                blank = False
                if v is _REFUSED:
                    v = None
            values.append(v)
        if blank:
            yield None
            continue
        if not table.first_row:
            table.first_row = row_number
        table.last_row = row_number
        table.rows += 1
        yield table, row_number, values
    if table is None:
        if best is not None and best[0] >= 2:
            missing = _missing(best[2], layouts, labels_by_key)
            problems.add(title, best[1], "", "", f"表头缺少列：{missing}（找到的列：{'、'.join(best[3].values())}）")
        else:
            scan.skipped.append(title)


_REFUSED = object()  # a cell that held something but was refused (a problem is recorded)


def _cell_value(cell: Any, table: Table, row: int, key: str, problems: Problems) -> Any:
    """A cell's value, or _REFUSED for a formula or an error (with a problem recorded)."""
    dt = cell.data_type
    if dt == "f":
        problems.add(table.sheet, row, table.labels[key], cell.value,
                     "单元格是公式；请先把公式转为数值（复制后“选择性粘贴 → 数值”）再导入")
        return _REFUSED
    if dt == "e":
        problems.add(table.sheet, row, table.labels[key], cell.value, "单元格是错误值，请改正后再导入")
        return _REFUSED
    return cell.value


def has_formulas(z: zipfile.ZipFile, part: str) -> bool:
    """True when the sheet's XML holds any formula (<f>) or error (t="e") cell."""
    return scan_sheet(z, part).refused


def _missing(columns: dict[str, int], layouts: Sequence[frozenset[str]], labels: dict[str, str]) -> str:
    """The missing columns of the layout the header came closest to."""
    closest = min(layouts, key=lambda layout: len(layout - columns.keys()))
    return "、".join(labels[k] for k in sorted(closest - columns.keys(), key=list(labels).index))
