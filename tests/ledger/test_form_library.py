"""The ledger's own forms (issue 16): kept in the ledger, so an upgrade that replaces the program
folder keeps them; a sheet whose form is gone still opens and prints, saying so."""

from __future__ import annotations

import json
import logging
from datetime import date

import paper_data as pd
import pytest
from form_files import VISIT_LOG, write_form

from liaison_desk import forms
from liaison_desk.calendar import Term
from liaison_desk.ledger import form_library, settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.policy_edit import save_policy, with_fields
from liaison_desk.ledger.roster import add_cadre
from liaison_desk.ledger.sheets import load_sheet
from liaison_desk.paper.sheet import sheet_pdf
from liaison_desk.paper.sheet_content import sheet_content
from liaison_desk.store.models import Cadre, FormRecord, db
from liaison_desk.store.verify import verify


@pytest.fixture
def school(ledger, tmp_path):
    """A ledger whose leaders use the school's own form, imported from a file, with a month's work."""
    form_library.import_form(write_form(tmp_path))
    policy = save_policy(with_fields(ledger, forms={**ledger.forms, "leader": "visit-log"}))
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18)))
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_cadre("吴部长", "middle_head", "学生工作部", "部长")
    add_activity(ActivityInput("周校长", date(2025, 10, 14), "进宿舍", carrier="南苑5栋", summary="走访宿舍查看热水"),
                 policy)
    add_activity(ActivityInput("吴部长", date(2025, 10, 15), "进课堂", carrier="护理2301班", summary="随堂听课"),
                 policy)
    return policy


def test_an_imported_form_is_kept_in_the_ledger_and_logged(school):
    row = FormRecord.get_by_id("visit-log")
    assert row.text == VISIT_LOG and row.title == "领导干部走访记录簿"
    assert verify().ok
    content = sheet_content("周校长", "2025-10")
    assert content.form.title == "领导干部走访记录簿"
    page = pd.text(sheet_pdf(content)[0])
    for expected in ("领导干部走访记录簿", "走访人", "周校长", "走访情况", "走访宿舍查看热水", "心得体会"):
        assert expected in page, expected


def test_a_changed_form_row_is_found_by_verify(school):
    FormRecord.update(text=VISIT_LOG.replace("走访情况", "情况")).where(FormRecord.id == "visit-log").execute()
    assert any("记录表格式 #visit-log" in p for p in verify().problems)


def test_upgrade_keeps_the_schools_form_and_a_sheet_whose_form_is_gone_still_prints(school, fresh_install):
    fresh_install()
    assert "wulian-qijin" not in forms.all_forms()
    assert settings.current_policy().forms["leader"] == "visit-log"  # the ledger still opens
    page = pd.text(sheet_pdf(sheet_content("周校长", "2025-10"))[0])
    assert "领导干部走访记录簿" in page and "走访宿舍查看热水" in page
    gone = sheet_content("吴部长", "2025-10")  # 三特一体, not in this install
    assert gone.form.notice and "santeyiti" in gone.form.notice
    page = pd.text(sheet_pdf(gone)[0])
    assert "工作记录表（通用格式）" in page and "随堂听课" in page and "santeyiti" in page
    editor_view = load_sheet(Cadre.get(Cadre.name == "吴部长").id, "2025-10", settings.current_policy())
    assert editor_view.form.notice and [ln.summary for ln in editor_view.lines] == ["随堂听课"]


def test_a_gone_form_keeps_the_sheets_own_values_on_paper(school, fresh_install):
    sheet = sheet_content("吴部长", "2025-10")
    from liaison_desk.store.models import Sheet

    Sheet.update(fields=json.dumps({"work": "协调后勤维修热水", "specialties": ["工作职能"]}, ensure_ascii=False)
                 ).where(Sheet.id == sheet.sheet_id).execute()  # as 三特一体 had them
    fresh_install()
    page = pd.text(sheet_pdf(sheet_content("吴部长", "2025-10"))[0])
    assert "协调后勤维修热水" in page and "工作职能" in page


def test_a_stored_form_a_later_program_no_longer_accepts_is_skipped_alone(school, caplog):
    with db.atomic():
        FormRecord.update(text=VISIT_LOG.replace('key = "date"', 'key = "when"')).where(
            FormRecord.id == "visit-log").execute()
    with caplog.at_level(logging.WARNING):
        in_use = form_library.forms_in_use()
    assert "visit-log" not in in_use and "wulian-qijin" in in_use
    assert "visit-log" in caplog.text
    content = sheet_content("周校长", "2025-10")  # prints, with the stand-in
    assert content.form.notice and "走访宿舍查看热水" in pd.text(sheet_pdf(content)[0])


@pytest.mark.sqlite_only("backups of the file")
def test_the_form_travels_in_a_backup_to_another_pc(school, tmp_path, fresh_install):
    from liaison_desk.store import storage
    from liaison_desk.store.backup import make_backup

    copy = make_backup("manual", out=tmp_path / "to-usb.sqlite3", pack=False)
    storage.close_database()
    fresh_install()  # the other PC: a program folder without the templates
    storage.open_database(copy, create=False)
    assert form_library.get_form("visit-log").title == "领导干部走访记录簿"
    assert "走访宿舍查看热水" in pd.text(sheet_pdf(sheet_content("周校长", "2025-10"))[0])


def test_a_ledgers_forms_stay_with_it(school, tmp_path):
    from liaison_desk.cli.selftest import run
    from liaison_desk.store import storage

    storage.close_database()
    storage.open_database(tmp_path / "other.sqlite3")
    settings.init("fjwsxy-2021")
    assert "visit-log" not in form_library.forms_in_use()
    storage.close_database()
    lines: list[str] = []
    assert run(out=lines.append), lines  # --selftest knows nothing of any ledger's forms


def test_replacing_a_form_leaves_signed_sheets_as_signed(school, tmp_path):
    from liaison_desk.paper.sheet_content import stored_copies
    from liaison_desk.paper.signing import sign_sheet

    sign_sheet("周校长", "2025-10")
    path = write_form(tmp_path, VISIT_LOG.replace("领导干部走访记录簿", "走访记录簿（第二版）"))
    result = form_library.import_form(path)
    assert result.replaced == "台账" and (result.sheets, result.signed) == (1, 1)
    assert any("已签字封存的 1 张仍按签字时存档的原件打印" in line for line in result.lines())
    signed = sheet_content("周校长", "2025-10")
    assert signed.intact  # the seal covers what was recorded, not the layout
    archived = pd.text(stored_copies([signed.sheet_id])[signed.sheet_id])
    assert "领导干部走访记录簿" in archived and "第二版" not in archived
    assert signed.form.title == "走访记录簿（第二版）"  # what a revision would print


def test_a_replaced_form_without_a_field_says_how_many_sheets_hold_a_value_there(school, tmp_path):
    from liaison_desk.ledger.sheets import set_field

    cadre = Cadre.get(Cadre.name == "周校长")
    set_field(cadre.id, "2025-10", "thoughts", "学生最关心就业", school)
    text = VISIT_LOG[:VISIT_LOG.index("[[sections]]\ntitle = \"心得体会\"")]
    result = form_library.import_form(write_form(tmp_path, text))
    assert result.hidden == 1 and any("1 张记录表在新格式没有的栏目中填有内容" in line for line in result.lines())
    form_library.import_form(write_form(tmp_path))  # the field back: the value shows again
    assert "学生最关心就业" in pd.text(sheet_pdf(sheet_content("周校长", "2025-10"))[0])
