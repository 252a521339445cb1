"""Record entry benchmarks (#3): opening a cadre-month sheet, opening the ledger."""

from __future__ import annotations

from .run import Benchmark, Run, time_in_process

QT_SETUP = """
from liaison_desk import storage
from liaison_desk.gui.app import make_app
app = make_app()
storage.open_database(LARGE)
"""


def bench_open_sheet() -> Run:
    """Load a leader's month and lay out the editor's grid (the editor already on screen)."""
    setup = QT_SETUP + """
from liaison_desk.gui.sheet_editor import SheetEditor
from liaison_desk.models import Cadre
editor = SheetEditor()
editor.show()
name = Cadre.select().where(Cadre.tier == "leader").first().name
editor.open_sheet(name, "2026-09")
app.processEvents()
"""
    stmt = 'editor.open_sheet(name, "2026-10"); app.processEvents()'
    return time_in_process(setup, stmt)


def bench_open_ledger() -> Run:
    """Build the ledger page: count a million activities, load and show the first page."""
    setup = QT_SETUP + "from liaison_desk.gui.ledger_view import LedgerPage\n"
    stmt = "page = LedgerPage(); page.show(); app.processEvents()"
    return time_in_process(setup, stmt)


BENCHMARKS = [
    Benchmark("open a cadre-month sheet (editor)", 0.1, bench_open_sheet, "#3"),
    Benchmark("open the ledger (large set)", 0.5, bench_open_ledger, "#3"),
]
