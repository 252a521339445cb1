"""The sheet editor as the tests open it: a real, active window at a clerk's size, on a sheet."""

from __future__ import annotations

from liaison_desk.gui.sheet_editor import SheetEditor


def open_editor(qtbot, cadre: str | None = None, month: str | None = None, size: tuple[int, int] = (1200, 900),
                focus_grid: bool = True) -> SheetEditor:
    """Shown and active (keys reach it as they would a clerk's), on `cadre`'s sheet of `month`."""
    page = SheetEditor()
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    if cadre is not None and month is not None:
        page.open_sheet(cadre, month)
        if focus_grid:
            page.view.setFocus()
    return page
