"""#19 with a real login: a college secretary signs in to a server ledger (its own PostgreSQL
login, the session's server) and the window is theirs — named in the status and title bar, its
unit alone in the lists, the ledger's rows its unit's (the database's row filtering), signing
greyed out with the word why. Runs in both test passes (the `pg` fixture)."""

from __future__ import annotations

import io
import sys

import psycopg
import pytest
from PySide6.QtWidgets import QLabel

from liaison_desk.cli.main import main
from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.ledger import clerks
from liaison_desk.store import storage

SECRETARY_PW = "college-gui-secret-1"


def items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


@pytest.fixture
def secretary(pg, capsys, monkeypatch):
    """A demo ledger on the server and a college secretary of its largest unit: (url, unit)."""
    import pg_server

    url = pg.new_database()
    login = f"gui_{url.rsplit('/', 1)[1]}"

    def run(*args: str, stdin: str = "") -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--db", url, *args])
        assert code == 0, capsys.readouterr().err

    run("demo", "--cadres", "12", "--months", "2", "--end", "2025-11")
    with psycopg.connect(url, password=pg_server.PASSWORD) as c:
        (unit,) = c.execute("SELECT u.name FROM cadre JOIN unit u ON u.id = cadre.unit_id "
                            "GROUP BY u.name ORDER BY count(*) DESC, u.name LIMIT 1").fetchone()
    run("clerk", "add", login, "--units", unit, "--name", "王秘书", "--password-stdin", stdin=SECRETARY_PW + "\n")
    run("clerk", "add", f"o{login}", "--office", "--name", "李主任", "--password-stdin", stdin=SECRETARY_PW + "\n")
    monkeypatch.setenv("PGPASSWORD", SECRETARY_PW)
    storage.open_database(url.replace("liaison@", f"{login}@"))
    yield url, unit
    storage.close_database()
    monkeypatch.setenv("PGPASSWORD", pg_server.PASSWORD)


def test_a_college_secretary_s_window_on_a_server_ledger(qapp, qtbot, secretary):
    _url, unit = secretary
    make_app()
    assert clerks.current().units == (unit,) and not clerks.current().office
    w = MainWindow()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.home.due_soon.loaded, timeout=60000):  # its worker done before the ledger closes
        w.show()
    assert w.clerk_label.isVisible() and w.clerk_label.text() == f"登录：王秘书（{unit}）"
    assert w.windowTitle().endswith(f"— 王秘书（{unit}）")
    for area in ("台账", "达标检查", "问题清单", "报表"):
        w.show_area(area)
    ledger = w.page("台账")
    assert items(ledger.unit)[1:] == [unit]
    shown = {row.unit for row in ledger.model.rows}
    assert shown == {unit}  # the database gives a secretary its unit's activities only
    assert items(w.page("达标检查").unit_combo)[1:] == [unit]
    assert items(w.page("问题清单").unit_box)[1:] == [unit]
    reports = w.page("报表")
    assert not reports.sign_button.isEnabled()
    notes = [n.text() for n in reports.findChildren(QLabel, "officeOnly") if n.isVisibleTo(reports)]
    assert "仅党委办公室可签字封存记录表" in notes
    assert not w.ui.actionImportForm.isEnabled()
    assert not reports.signing.certificate_choose_button.isEnabled()
    assert not w.page("达标检查").policy_button.isEnabled()
    w.close()  # before the ledger closes: no page reads it afterwards


def test_the_office_s_own_login_on_the_same_ledger_sees_every_unit(qapp, qtbot, secretary):
    """The same ledger, signed in as the office's clerk: every unit, every row, signing offered."""
    url, unit = secretary
    storage.close_database()
    storage.open_database(url.replace("liaison@", f"ogui_{url.rsplit('/', 1)[1]}@"))
    make_app()
    assert clerks.current().office and clerks.current().name == "李主任"
    w = MainWindow()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.home.due_soon.loaded, timeout=60000):
        w.show()
    assert w.clerk_label.text() == "登录：李主任（党委办公室）"
    for area in ("台账", "达标检查", "问题清单", "报表"):
        w.show_area(area)
    ledger = w.page("台账")
    assert len(items(ledger.unit)) > 2 and unit in items(ledger.unit)
    assert len({row.unit for row in ledger.model.rows}) > 1  # other units' activities too
    assert len(items(w.page("达标检查").unit_combo)) > 2
    assert w.page("报表").signing.certificate_choose_button.isEnabled()  # greyed for the secretary
    assert w.page("达标检查").policy_button.isEnabled()
    assert w.ui.actionImportForm.isEnabled()
    w.close()
