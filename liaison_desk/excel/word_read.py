"""Reading a Word document (.docx) safely: the file checked before any parser sees it, then its
paragraphs and tables as plain text, merged cells resolved to the grid.

Lives beside the Excel reader because the filled-in record forms are imported with the same
all-or-nothing machinery (import_sheets.py). Old binary .doc files, password-protected (encrypted)
documents, damaged zips, zip bombs and documents over MAX_FILE_BYTES are refused with a Chinese
reason before python-docx opens anything.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from ..errors import BadInput
from .read import OLE_MAGIC, file_head, holds_ole_stream

MAX_FILE_BYTES = 50 * 2**20  # a record form is a few dozen KB; 50 MB is refused
MAX_UNCOMPRESSED = 200 * 2**20  # all parts together, as the zip declares them
MAX_DOCUMENT_XML = 40 * 2**20  # the text part python-docx parses whole
MAX_RATIO = 100  # a part this many times larger than its compressed size…
RATIO_FLOOR = 4 * 2**20  # …once it is larger than this, is a bomb
MAX_PARTS = 2_000


@dataclass(frozen=True)
class Cell:
    text: str
    col: int  # first grid column
    span: int = 1
    continued: bool = False  # the lower part of a vertically merged cell (text copied from above)


@dataclass(frozen=True)
class Row:
    number: int  # 1-based, as the clerk counts the table's rows
    cells: tuple[Cell, ...]

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class WordDocument:
    name: str
    paragraphs: list[str] = field(default_factory=list)  # outside tables
    tables: list[list[Row]] = field(default_factory=list)
    category: str = ""  # core property: the form id, in documents this program wrote


def check_docx(path: Path) -> None:
    """Refuse anything that is not a plain, sane .docx before it is parsed."""
    name = path.name
    head = file_head(path, MAX_FILE_BYTES, "不像一份工作记录表；请删去文档中的大图片后再导入")
    if head.startswith(OLE_MAGIC):
        if _is_encrypted(path):
            raise BadInput(f"“{name}”设有打开密码（已加密），无法读取：请在 Word/WPS 中取消密码后另存为 .docx 再导入")
        raise BadInput(f"“{name}”是旧版 Word 文档（.doc），无法读取：请在 Word/WPS 中“另存为” .docx 后再导入")
    if not head.startswith(b"PK"):
        raise BadInput(f"“{name}”不是 Word 文档（.docx）：请在 Word/WPS 中另存为 .docx 再导入")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_sizes(name, infos)
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                if "xl/workbook.xml" in names:
                    raise BadInput(f"“{name}”是 Excel 工作簿，不是 Word 记录表：Excel 台账请用“从 Excel 导入”")
                raise BadInput(f"“{name}”不是 Word 文档（.docx），或文档已损坏")
            if z.testzip() is not None:
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise BadInput(f"“{name}”已损坏（不是完整的 .docx），请在 Word/WPS 中打开后重新保存再导入") from None
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        raise BadInput(f"“{name}”已损坏（文档结构无法读取），请在 Word/WPS 中打开后重新保存再导入") from None


def _is_encrypted(path: Path) -> bool:
    """An OLE container with an EncryptionInfo stream: a password-protected .docx."""
    return holds_ole_stream(path, "EncryptionInfo")


def _check_sizes(name: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise BadInput(f"“{name}”含有 {len(infos)} 个部件，不像正常的 Word 文档，已拒绝")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise BadInput(f"“{name}”解压后异常膨胀（{info.filename} 压缩比 {ratio:,.0f} 倍），疑似“压缩炸弹”，已拒绝")
        if info.filename == "word/document.xml" and info.file_size > MAX_DOCUMENT_XML:
            raise BadInput(f"“{name}”的正文过大（{info.file_size / 2**20:,.0f} MB），不像一份工作记录表，已拒绝")
    if total > MAX_UNCOMPRESSED:
        raise BadInput(f"“{name}”解压后有 {total / 2**20:,.0f} MB，超过 {MAX_UNCOMPRESSED // 2**20} MB 的上限，"
                       "疑似“压缩炸弹”，已拒绝")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE_CATEGORY = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}category"


def read_docx(path: Path) -> WordDocument:
    """The document's text: paragraphs outside tables, and every table (nested ones too) as rows.

    Read with the standard library's XML parser straight from the zip, not python-docx: this runs
    in the GUI's worker thread, and python-docx parses with one lxml parser shared by every
    thread (lxml parsers must not be shared), which crashed the program."""
    path = Path(path)
    check_docx(path)
    try:
        with zipfile.ZipFile(path) as z:
            body = ElementTree.fromstring(z.read("word/document.xml"))
            names = set(z.namelist())
            core = ElementTree.fromstring(z.read("docProps/core.xml")) if "docProps/core.xml" in names else None
            headers = [ElementTree.fromstring(z.read(n)) for n in sorted(names)
                       if n.startswith("word/header") and n.endswith(".xml")]
    except (ElementTree.ParseError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError):
        raise BadInput(f"“{path.name}”已损坏（文档内容无法读取），请在 Word/WPS 中打开后重新保存再导入") from None
    out = WordDocument(path.name)
    if core is not None:
        out.category = (core.findtext(_CORE_CATEGORY) or "").strip()
    root = body.find(f"{W}body")
    if root is None:
        raise BadInput(f"“{path.name}”不是 Word 文档或已损坏，请在 Word/WPS 中打开后重新保存再导入")
    pending = []
    for child in root:
        if child.tag == f"{W}p":
            out.paragraphs.append(_text(child))
        elif child.tag == f"{W}tbl":
            pending.append(child)
        elif child.tag == f"{W}sdt":  # a content control around paragraphs or tables
            for inner in child.iter():
                if inner.tag == f"{W}tbl":
                    pending.append(inner)
    for header in headers:  # the title is sometimes typed in the page header
        out.paragraphs += [_text(p) for p in header.iter(f"{W}p")]
    while pending:
        tbl = pending.pop(0)
        out.tables.append(_rows(tbl))
        pending += [t for tr in tbl.findall(f"{W}tr") for tc in tr.findall(f"{W}tc") for t in tc.findall(f"{W}tbl")]
    return out


def _text(paragraph: ElementTree.Element) -> str:
    """A paragraph's text as Word shows it: runs' text, line breaks as new lines, tabs, symbols."""
    parts = []
    for e in paragraph.iter():
        if e.tag == f"{W}t":
            parts.append(e.text or "")
        elif e.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif e.tag == f"{W}tab":
            parts.append("\t")
        elif e.tag == f"{W}sym":  # Wingdings boxes: F0FE ☑ / F078 ☒ are ticks, F0A8 ☐ is not
            parts.append("☑" if (e.get(f"{W}char") or "").upper() in ("F0FE", "F078", "F052") else "☐")
        elif e.tag.endswith("}checked") and e.get(e.tag.rsplit("}", 1)[0] + "}val") in ("1", "true"):
            parts.append("☑")  # a Word check-box content control that is ticked
    return "".join(parts)


def _cell_text(tc: ElementTree.Element) -> str:
    return "\n".join(_text(p) for p in tc.findall(f"{W}p")).strip()


def _rows(tbl: ElementTree.Element) -> list[Row]:
    """Each <w:tr>'s cells in grid order; a vertically merged cell's lower parts carry its text."""
    rows: list[Row] = []
    above: dict[int, str] = {}
    for number, tr in enumerate(tbl.findall(f"{W}tr"), start=1):
        before = tr.find(f"{W}trPr/{W}gridBefore")
        col = int(before.get(f"{W}val") or 0) if before is not None else 0
        cells = []
        for tc in tr.findall(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span_el = props.find(f"{W}gridSpan") if props is not None else None
            span = int(span_el.get(f"{W}val") or 1) if span_el is not None else 1
            merge = props.find(f"{W}vMerge") if props is not None else None
            continued = merge is not None and merge.get(f"{W}val") in (None, "continue")
            text = above.get(col, "") if continued else _cell_text(tc)
            above[col] = text
            cells.append(Cell(text, col, span, continued))
            col += span
        rows.append(Row(number, tuple(cells)))
    return rows
