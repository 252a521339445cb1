"""Record entry benchmarks (#3): opening a cadre-month sheet, opening the ledger."""

from __future__ import annotations

from .run import Benchmark, Run, time_in_process

QT_SETUP = """
from liaison_desk.store import storage
from liaison_desk.gui.app import make_app
app = make_app()
storage.open_database(LARGE)
"""


def bench_open_sheet() -> Run:
    """Load a leader's month and lay out the editor's grid (the editor already on screen)."""
    setup = QT_SETUP + """
from liaison_desk.gui.sheet_editor import SheetEditor
from liaison_desk.store.models import Cadre
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


def keystrokes() -> dict[str, tuple[int, int]]:
    """The two paper sheets of #12 replayed by keys into the editor (offscreen, a fresh ledger):
    keystrokes outside Chinese text per sheet, beside the same sheet typed into Excel."""
    import tempfile
    from pathlib import Path

    from liaison_desk.gui.app import make_app
    from liaison_desk.gui.sheet_editor import SheetEditor
    from liaison_desk.ledger import settings
    from liaison_desk.store import storage

    from .entry_replay import MONTH, SANTE, WULIAN, excel_keystrokes, make_roster, replay, sante_script, wulian_script

    app = make_app()
    with tempfile.TemporaryDirectory() as folder:
        storage.open_database(Path(folder) / "ledger.sqlite3")
        settings.init("fjwsxy-2021", "测试学院")
        make_roster()
        page = SheetEditor()
        page.resize(1366, 768)
        page.show()
        page.activateWindow()
        app.processEvents()

        def settle() -> None:
            while page.view.state() == page.view.State.EditingState:
                app.processEvents()

        page.open_sheet(WULIAN.cadre, MONTH)
        page.view.setFocus()
        wulian = replay(page, wulian_script(WULIAN), settle)
        page.open_sheet(SANTE.cadre, MONTH)
        sante = replay(page, sante_script(SANTE), settle)
        page.close()
        storage.close_database()
    return {"五联七进": (wulian, excel_keystrokes("五联七进", WULIAN)),
            "三特一体": (sante, excel_keystrokes("三特一体", SANTE))}


if __name__ == "__main__":  # python -m benchmarks.bench_entry: the keystroke counts
    counts = keystrokes()
    for name, (editor, excel) in counts.items():
        print(f"{name}: 录入 {editor} 键, Excel {excel} 键, {editor / excel:.2f}")
    editor_total = sum(e for e, _ in counts.values())
    excel_total = sum(x for _, x in counts.values())
    print(f"两张表: 录入 {editor_total} 键, Excel {excel_total} 键, {editor_total / excel_total:.2f}")
