"""A month's sheets in one PDF for printing: drawn sheets and the archived copies of signed ones,
a bookmark per cadre, optionally each sheet on an odd page (duplex).

One file cannot keep several signed documents' signatures valid without incremental updates of
each, which a merge does not do (copying a signature field without its form dictionary gave
"Digest Mismatch"). So a digital signature is flattened: its stamp is drawn into the page, the
field is dropped, and the page and the command say so; the single archived copy stays valid.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from .layout import GREY, MM, PAGE_H, PAGE_W, Painter, fonts
from .sheet import (
    LEFT,
    SMALL,
    Cancelled,
    DrawnSheet,
    bookmark_title,
    draw_sheets,
    new_canvas,
    school_setting,
    sheets_subject,
)
from .sheet_content import SheetContent


def month_title(contents: Sequence[SheetContent]) -> str:
    first = contents[0]
    return f"{first.month_label}工作记录表（{len(contents)} 份）"


def has_digital_signature(pdf: bytes) -> bool:
    return b"/ByteRange" in pdf


FLATTENED_NOTE = "合并打印本：此页数字签名已转为图样，不能在本文件中验证；验证请用单份存档原件"


def write_sheets(contents: Sequence[SheetContent], out: BinaryIO, school: str = "",
                 stored: dict[int, bytes] | None = None,
                 progress: Callable[[int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None, duplex: bool = False,
                 include_private: bool = False) -> int:
    """Every sheet into one PDF, a bookmark per cadre; signed sheets as their archived copies
    (`stored`, by sheet id), the rest drawn. One file cannot keep several signatures valid, so a
    digital signature is flattened into its printed stamp and the page says so (FLATTENED_NOTE).
    duplex: each sheet starts on an odd page. Returns the number of pages."""
    stored = {k: v for k, v in (stored or {}).items() if v}
    title = month_title(contents) if contents else "工作记录表"
    if not any(c.sheet_id in stored for c in contents):
        drawn = draw_sheets(contents, out, title, school, progress, cancelled, duplex, outline=len(contents) > 1,
                            include_private=include_private)
        return sum(d.pages for d in drawn) + (_blank_pages(drawn) if duplex else 0)
    from pypdf import PdfReader, PdfWriter

    fresh = [c for c in contents if c.sheet_id not in stored]
    buf = io.BytesIO()
    drawn_by_id = {}
    if fresh:
        for d in draw_sheets(fresh, buf, title, school, progress, cancelled, include_private=include_private):
            drawn_by_id[d.content.sheet_id] = d
    drawn_reader = PdfReader(io.BytesIO(buf.getvalue())) if fresh else None
    note_page = PdfReader(io.BytesIO(_note_pdf())).pages[0]
    writer = PdfWriter()
    done = len(fresh)
    for c in contents:
        if duplex and len(writer.pages) % 2:
            writer.add_blank_page(PAGE_W, PAGE_H)
        start = len(writer.pages)
        if c.sheet_id in stored:
            if cancelled is not None and cancelled():
                raise Cancelled()
            for page in PdfReader(io.BytesIO(stored[c.sheet_id])).pages:
                added = writer.add_page(page)
                if _flatten_signature(writer, added):
                    added.merge_page(note_page)
            done += 1
            if progress is not None:
                progress(done)
        else:
            d = drawn_by_id[c.sheet_id]
            assert drawn_reader is not None
            for i in range(d.first_page, d.first_page + d.pages):
                writer.add_page(drawn_reader.pages[i])
        writer.add_outline_item(title=bookmark_title(c), page_number=start)
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": title, "/Author": school or school_setting() or "联系工作台",
                         "/Subject": sheets_subject(contents), "/Creator": "联系工作台 liaison-desk"})
    writer.write(out)
    return len(writer.pages)


def _blank_pages(drawn: Sequence[DrawnSheet]) -> int:
    return sum(1 for a, b in zip(drawn, drawn[1:], strict=False) if b.first_page > a.first_page + a.pages)


def _note_pdf() -> bytes:
    """One page with only the flattening note, at the top margin, to lay over a stored page."""
    buf = io.BytesIO()
    c = new_canvas(buf, "note")
    Painter(c, LEFT).text(PAGE_W / 2, PAGE_H - 9 * MM, FLATTENED_NOTE, fonts()[1], SMALL, "center", GREY)
    c.showPage()
    c.save()
    return buf.getvalue()


def _flatten_signature(writer: Any, page: Any) -> bool:
    """Draw each signature widget's appearance into the page and drop the widget; True if any."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    annots = page.get("/Annots")
    if not annots:
        return False
    kept = ArrayObject()
    ops = []
    resources = page["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = resources[NameObject("/XObject")] = DictionaryObject()
    xobjects = xobjects.get_object()
    for n, ref in enumerate(annots):
        annot = ref.get_object()
        ap = annot.get("/AP")
        if annot.get("/FT") != "/Sig" or ap is None:
            kept.append(ref)
            continue
        normal = ap.get_object()["/N"]
        x1, y1, x2, y2 = _box(annot["/Rect"])
        bx1, by1, bx2, by2 = _box(normal.get_object()["/BBox"])
        sx, sy = (x2 - x1) / max(bx2 - bx1, 1e-6), (y2 - y1) / max(by2 - by1, 1e-6)
        name = f"/LDSigStamp{n}"
        xobjects[NameObject(name)] = normal
        ops.append(f"q {sx:.4f} 0 0 {sy:.4f} {x1 - bx1 * sx:.2f} {y1 - by1 * sy:.2f} cm {name} Do Q")
    if not ops:
        return False
    stream = DecodedStreamObject()
    stream.set_data(("Q " + " ".join(ops)).encode("ascii"))
    begin = DecodedStreamObject()
    begin.set_data(b"q")
    contents = page["/Contents"]
    parts = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(begin), *parts, writer._add_object(stream)])
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page["/Annots"]
    return True


def _box(values: Any) -> tuple[float, float, float, float]:
    """A PDF rectangle as (left, bottom, right, top), whichever corners it was written with."""
    a, b, c, d = (float(v) for v in values)
    return min(a, c), min(b, d), max(a, c), max(b, d)
