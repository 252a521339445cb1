"""`--selftest`: a quick end-to-end check of an installation, from source or frozen."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .. import resources


def _check_database(tmp: Path) -> str:
    from ..calendar import Term
    from ..ledger import settings
    from ..ledger.activities import ActivityInput, add_activity
    from ..ledger.roster import add_cadre
    from ..store import storage

    storage.open_database(tmp / "selftest.sqlite3")
    try:
        policy = settings.init("fjwsxy-2021", "自检学校")
        settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
        add_cadre("自检干部", "leader", "校领导班子", "党委书记", "党委书记")
        add_activity(ActivityInput("自检干部", date(2025, 10, 12), "进宿舍", summary="走访宿舍"), policy)
        from ..store.changelog import verify_chain
        if verify_chain() is not None:
            raise AssertionError("变更日志校验失败")
    finally:
        storage.close_database()
    return "临时数据库：建表、写入、变更日志"


def _check_forms() -> str:
    from ..forms import all_forms
    from ..policy import check_forms, form_ids, load_preset, preset_ids

    ids = preset_ids()
    for pid in ids:
        check_forms(load_preset(pid), form_ids(), f"{pid}.toml")  # every preset's forms are shipped
    return f"政策预设 {len(ids)} 个、记录表 {len(all_forms())} 种"


def _check_fonts() -> str:
    for name in (resources.SANS_FONT, resources.SONG_FONT):
        if not resources.font_path(name).is_file():
            raise AssertionError(f"缺少字体 {name}")
    return "字体：文泉驿微米黑、文鼎简报宋"


def draw_test_pdf() -> bytes:
    """One A4 page of Chinese text in both bundled fonts."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ..paper.fonts import register_fonts

    sans, song = register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(song, 18)
    c.drawString(72, 760, "领导班子成员“五联七进”工作记录表")
    c.setFont(sans, 12)
    c.drawString(72, 730, "联系工作台 自检页")
    c.showPage()
    c.save()
    return buf.getvalue()


def _check_pdf() -> str:
    data = draw_test_pdf()
    if b"/FontFile2" not in data:
        raise AssertionError("PDF 未嵌入字体")
    return f"PDF：中文页面，字体已嵌入（{len(data) // 1024} KB）"


def _check_excel(tmp: Path) -> str:
    """The program's own writer and its import path (calamine for plain sheets, openpyxl for the
    rest): a small ledger written with xlsx.Book is read back as a dry-run import."""
    import python_calamine  # noqa: F401 — the fast reader must be in the bundle

    from ..excel.importing import import_file
    from ..excel.kinds import ACTIVITIES
    from ..excel.xlsx import Book, Column
    from ..store import storage
    from ..store.models import Activity

    path = tmp / "selftest.xlsx"
    book = Book("自检")
    sheet = book.add_sheet("台账")
    sheet.table([Column(f.label, f.width, f.kind) for f in ACTIVITIES.fields], title="自检台账")
    row = {"cadre": "自检干部", "date": date(2025, 10, 13), "category": "进食堂", "summary": "=与学生共进午餐"}
    sheet.append([row.get(f.key) for f in ACTIVITIES.fields])
    book.save(path)
    storage.open_database(tmp / "selftest.sqlite3")
    try:
        before = Activity.select().count()
        preview = import_file("activities", path, dry_run=True)
        if preview.added != 1 or Activity.select().count() != before:
            raise AssertionError(f"Excel 读回内容不符：{'；'.join(preview.lines())}")
    finally:
        storage.close_database()
    return "Excel：用本程序的写入器写出，经导入流程读回（试导入，未写入）"


def _check_word(tmp: Path) -> str:
    """python-docx with its default template (bundled data files) and lxml write a 五联七进 form's
    table; the import's reader finds the form in it by its words."""
    import docx

    from ..excel.word_form import recognise
    from ..excel.word_read import read_docx
    from ..forms import get_form

    form = get_form("wulian-qijin")
    document = docx.Document()
    document.add_paragraph(form.title)
    labels = ["姓名", "职务"] + [t for s in form.sections if not s.optional
                                 for t in (s.title, *(c.label for c in s.columns), *(r.label for r in s.rows))]
    table = document.add_table(rows=len(labels), cols=2)
    for row, label in zip(table.rows, labels, strict=True):
        row.cells[0].text = label
    path = tmp / "selftest.docx"
    document.save(str(path))
    found = recognise(read_docx(path))
    if found is None or found[0].id != form.id:
        raise AssertionError("Word 记录表读回时没有认出表格")
    return "Word：用 python-docx 写出记录表，经导入流程认出表格"
def _check_server_driver() -> str:
    """The PostgreSQL driver a server ledger needs loads, with its compiled libpq."""
    from ..store.server import load_driver

    load_driver()
    import psycopg

    if psycopg.pq.__impl__ != "binary":
        raise AssertionError(f"psycopg 未带编译版本（{psycopg.pq.__impl__}）")
    version = psycopg.pq.version()
    return f"服务器台账驱动：psycopg {psycopg.__version__}，libpq {version // 10000}.{version % 10000}"


def run(extra: list[tuple[str, Callable[[], str]]] | None = None, out: Callable[[str], None] = print) -> bool:
    """Run every check, print one line each; True when all passed."""
    ok = True
    with tempfile.TemporaryDirectory(prefix="liaison-selftest-") as d:
        tmp = Path(d)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("政策与记录表", _check_forms), ("字体", _check_fonts),
            ("数据库", lambda: _check_database(tmp)), ("PDF", _check_pdf),
            ("Excel", lambda: _check_excel(tmp)), ("Word", lambda: _check_word(tmp)),
            ("服务器台账驱动", _check_server_driver), *(extra or [])]
        for name, check in checks:
            try:
                out(f"✓ {check()}")
            except Exception as e:  # every failure is reported, the rest still run
                ok = False
                out(f"✗ {name}：{e}")
    out("自检通过" if ok else "自检未通过")
    return ok
