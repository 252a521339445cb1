"""The roster and settings pages: adding and editing through the core, mistakes shown in place."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtGui import QColor, QImage

from liaison_desk.gui.app import make_app
from liaison_desk.gui.roster_view import RosterPage
from liaison_desk.gui.settings_view import SettingsPage
from liaison_desk.ledger import settings
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.store.models import Assignment, Cadre, Target


@pytest.fixture
def roster_page(qapp, qtbot, ledger):
    make_app()
    add_cadre("陈书记", "leader", "校领导班子", "党委书记", "党委书记")
    add_target("护理2301班", "班级")
    add_target("南苑3栋", "宿舍")
    assign("陈书记", "护理2301班", "2025-2026", "名誉班主任")
    page = RosterPage()
    qtbot.addWidget(page)
    return page


def test_add_and_edit_cadres(roster_page):
    tab = roster_page.cadres
    tab.name.setText("林处长")
    tab.tier.setCurrentIndex(tab.tier.findData("middle_head"))
    tab.unit.setText("学生工作部")
    tab.position.setText("部长")
    tab.tags.setText("学生工作部门，主要负责人")
    tab.add()
    c = Cadre.get(Cadre.name == "林处长")
    assert (c.tier, c.unit.name, c.tag_set) == ("middle_head", "学生工作部", {"学生工作部门", "主要负责人"})
    row = next(i for i, r in enumerate(tab.model.rows) if r["name"] == "林处长")
    assert tab.model.setData(tab.model.index(row, 3), "学生工作部部长")
    assert Cadre.get(Cadre.name == "林处长").position == "学生工作部部长"
    # A duplicate name is refused with the reason and nothing changes.
    assert not tab.model.setData(tab.model.index(row, 0), "陈书记")
    assert "已存在" in roster_page.status.text()
    tab.name.setText("陈书记")
    tab.add()
    assert Cadre.select().count() == 2 and "已存在" in roster_page.status.text()


def test_signature_image_is_stored_as_png(roster_page, tmp_path):
    tab = roster_page.cadres
    image = QImage(200, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    path = tmp_path / "签名.jpg"
    image.save(str(path), "JPG")
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    tab.choose_signature(str(path))
    assert Cadre.get(Cadre.name == "陈书记").signature.startswith(b"\x89PNG")
    assert tab.model.rows[0]["signature"] == "已上传"


def test_targets_assignments_and_the_roster_list(roster_page):
    roster_page.targets.name.setText("护理学院")
    roster_page.targets.kind.setCurrentText("教学院")
    roster_page.targets.add()
    assert Target.get(Target.name == "护理学院").kind == "教学院"
    tab = roster_page.assignments
    tab.year.setCurrentText("2025-2026")
    tab.cadre.setCurrentText("陈书记")
    tab.target.setCurrentText("南苑3栋")
    tab.add()
    tab.target.setCurrentText("护理学院")
    tab.add()
    assert Assignment.select().count() == 3
    listing = roster_page.roster_list
    listing.year.setCurrentText("2025-2026")
    listing.model.reload()
    row = listing.model.rows[0]
    assert [row[f"c{i}"] for i in range(len(listing.form.columns))] == [
        "1", "陈书记", "党委书记", "护理学院", "护理2301班", "南苑3栋", ""]
    tab.model.reload()
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    tab.remove()
    assert Assignment.select().count() == 2


def test_settings_terms_school_and_backup_folder(qapp, qtbot, ledger, tmp_path):
    make_app()
    page = SettingsPage()
    qtbot.addWidget(page)
    page.school.setText("福建卫生职业技术学院")
    page.save_school()
    assert settings.school_name() == "福建卫生职业技术学院"
    page.term_id.setText("2025-2026-1")
    page.start.setDate(date(2025, 9, 1))
    page.end.setDate(date(2026, 1, 18))
    page.holidays.setText("2025-10-01:2025-10-08，2026-01-01:2026-01-03")
    page.save_term()
    term = settings.get_term("2025-2026-1")
    assert len(term.holidays) == 2 and page.terms.rows[0]["id"] == "2025-2026-1"
    page.holidays.setText("十一放假")
    page.save_term()
    assert "格式不对" in page.status.text() and len(settings.get_term("2025-2026-1").holidays) == 2
    page.backup.setText(str(tmp_path / "备份"))
    page.save_backup()
    assert settings.backup_dir() == str((tmp_path / "备份").resolve())
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    page.backup.setText(str(blocker / "sub"))
    page.save_backup()
    assert "无法使用" in page.status.text() and settings.backup_dir() == str((tmp_path / "备份").resolve())


def test_assignments_for_any_year_and_lists_that_follow_the_roster(roster_page):
    """Issue 12, defect 8: last year's (and next year's, or any typed) assignments can be entered,
    and a cadre or target added on the other tabs is offered at once."""
    from liaison_desk.calendar import academic_year_of

    tab = roster_page.assignments
    this = int(academic_year_of(date.today())[:4])
    offered = [tab.year.itemText(i) for i in range(tab.year.count())]
    assert f"{this - 1}-{this}" in offered and f"{this + 1}-{this + 2}" in offered
    assert tab.year.currentText() == f"{this}-{this + 1}"
    # A cadre and a target added on their tabs are in the lists without a restart.
    roster_page.tabs.setCurrentWidget(roster_page.cadres)
    roster_page.cadres.name.setText("林处长")
    roster_page.cadres.add()
    roster_page.targets.name.setText("护理2301班")
    roster_page.targets.kind.setCurrentText("社团")  # same name as the class, another kind
    roster_page.targets.add()
    roster_page.tabs.setCurrentWidget(tab)
    assert tab.cadre.findText("林处长") >= 0
    assert tab.target.findText("护理2301班（社团）") >= 0 and tab.target.findText("护理2301班（班级）") >= 0
    # Last year, typed in the year box, for the club of that name.
    last = f"{this - 1}-{this}"
    tab.year.setCurrentText(last)
    tab.cadre.setCurrentText("林处长")
    tab.target.setCurrentText("护理2301班（社团）")
    tab.add()
    a = Assignment.get(Assignment.cadre == Cadre.get(Cadre.name == "林处长"))
    assert (a.year, a.target.kind) == (last, "社团")
    assert "林处长" in [r["cadre"] for r in tab.model.rows] and "已添加" in roster_page.status.text()
    # A year long past, typed, is fine too; something that is not a year is refused, nothing written.
    tab.year.setCurrentText("2019-2020")
    tab.add()
    assert Assignment.select().where(Assignment.year == "2019-2020").count() == 1
    count = Assignment.select().count()
    tab.year.setCurrentText("2019")
    tab.add()
    assert "格式不对" in roster_page.status.text() and Assignment.select().count() == count
    # Added from elsewhere (the command line, an import) while the page is open: offered on return.
    add_target("南苑5栋", "宿舍")
    roster_page.tabs.setCurrentWidget(roster_page.cadres)
    roster_page.tabs.setCurrentWidget(tab)
    assert tab.target.findText("南苑5栋（宿舍）") >= 0


@pytest.mark.sqlite_only("backups of the file (a server ledger: tests/gui/test_server_ledger.py)")
def test_settings_shows_how_many_backups_and_the_space_they_take(qapp, qtbot, ledger):
    from liaison_desk.store import backup

    make_app()
    made = [backup.make_backup("manual", now=datetime(2026, 3, d, 9, 0)) for d in (1, 2, 3)]
    folder = made[-1].parent
    on_disk = sum(p.stat().st_size for p in folder.iterdir())  # what the clerk's disk holds
    page = SettingsPage()
    qtbot.addWidget(page)
    page.show()
    text = page.backup_space.text()
    assert f"备份共 3 份，占用 {on_disk / 1e6:,.1f} MB" in text
    assert "2 份已压缩" in text and "最早 2026-03-01" in text
