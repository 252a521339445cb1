"""The integrity check of an import's session (#17): it runs while the workbook is read, and the
first write waits for it. A damaged ledger is still refused before anything is written, with the
damage named, and a sound one imports as before."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from ledger_files import flip_page, folder_hashes
from openpyxl import Workbook

from liaison_desk.store import safety, storage

DEMO = ("demo", "--cadres", "6", "--months", "2", "--end", "2025-12")


pytestmark = pytest.mark.sqlite_only("the file's integrity check (SQLite's quick_check)")


def _workbook(path: Path, cadre: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["干部姓名", "时间", "活动类别", "载体名称", "工作内容"])
    ws.append([cadre, "2025-12-03", "进食堂", "学生食堂", "与学生共进午餐"])
    wb.save(path)
    return path


def _a_cadre(db_path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return str(conn.execute("SELECT name FROM cadre ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def test_an_import_into_a_damaged_ledger_is_refused_before_any_write(cli, db_path, tmp_path):
    assert cli(*DEMO)[0] == 0
    xlsx = _workbook(tmp_path / "台账.xlsx", _a_cadre(db_path))
    flip_page(db_path)
    before = folder_hashes(db_path.parent)
    for args in (("import", "activities", str(xlsx)), ("import", "activities", str(xlsx), "--dry-run")):
        code, out, err = cli(*args)
        assert code == 2 and "已损坏" in err and "没有写入任何内容" in err
        assert "已导入" not in out
    assert folder_hashes(db_path.parent) == before


def test_the_first_write_waits_for_the_check_that_ran_while_reading(cli, db_path, tmp_path, monkeypatch):
    assert cli(*DEMO)[0] == 0
    xlsx = _workbook(tmp_path / "台账.xlsx", _a_cadre(db_path))
    checking, go_on = threading.Event(), threading.Event()
    order: list[str] = []
    real_check, real_settle = safety.quick_check, storage.settle_check

    def slow_check(path: Path) -> str:
        checking.set()
        go_on.wait(10)
        order.append("checked")
        return real_check(path)

    def settle() -> None:
        assert checking.is_set()  # the check was started before the reading…
        order.append("reading done")
        go_on.set()  # …and is let finish only now: the write must wait for it
        real_settle()
        order.append("writes let through")

    monkeypatch.setattr(safety, "quick_check", slow_check)
    monkeypatch.setattr(storage, "settle_check", settle)
    code, out, _err = cli("import", "activities", str(xlsx))
    assert code == 0 and "已导入" in out
    assert order[:3] == ["reading done", "checked", "writes let through"]
