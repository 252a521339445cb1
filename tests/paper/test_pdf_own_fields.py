"""The printed sheet of the sixth school's one-table form (issue 16): the form's columns in its
order, 地点 among them, read back with pdftotext; and a place kept on a form without that column
is not left off the paper."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import paper_data as pd
import pytest
from sixth_school import register, use_for_every_tier

from liaison_desk.ledger.activities import ActivityInput, add_activity, update_activity
from liaison_desk.ledger.roster import add_cadre, add_target
from liaison_desk.paper.sheet import sheet_pdf
from liaison_desk.paper.sheet_content import content_hash, sheet_content
from liaison_desk.store.models import Activity

LINES = [(date(2025, 10, 12), "进班级", "教学楼A101", "计算2501班", "主题班会：学风建设", "自习室座位不足"),
         (date(2025, 10, 20), "进宿舍", "南苑3栋201", "南苑3栋", "走访宿舍", "")]


def pdftotext(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def school(ledger, monkeypatch):
    policy = use_for_every_tier(monkeypatch, ledger)
    add_cadre("周校长", "leader", "校领导班子", "校长")
    add_target("计算2501班", "班级")
    add_target("南苑3栋", "宿舍")
    for day, category, place, target, summary, problems in LINES:
        add_activity(ActivityInput("周校长", day, category, target=target, summary=summary, problems=problems,
                                   extra={"地点": place}), policy)
    return policy


def test_the_one_table_sheet_prints_the_forms_columns_with_the_places(school, tmp_path):
    pdf, _spot = sheet_pdf(sheet_content("周校长", "2025-10"), "第六学院")
    text = pdftotext(pdf, tmp_path)
    assert "领导干部深入基层联系学生工作记录表" in text
    for label in ("月份", "姓名", "周校长", "职务", "校长", "单位", "校领导班子"):
        assert label in text, label
    heading = next(line for line in text.splitlines() if "地点" in line and "联系对象" in line)
    assert [w for w in heading.split() if w in ("时间", "地点", "联系对象", "内容", "发现问题")] == [
        "时间", "地点", "联系对象", "内容", "发现问题"]  # the form's order, left to right
    for day, _category, place, target, summary, problems in LINES:
        row = next(line for line in text.splitlines() if place in line)
        assert f"{day.month}月{day.day}日" in row and target in row and summary in row and problems in row, row
        assert row.index(place) < row.rindex(target)
    flat = pd.text(pdf)
    assert "主题班会：学风建设" in flat and "自习室座位不足" in flat
    assert "类别" not in flat  # the grid's 类别 column is not on this paper form


def test_a_place_kept_on_another_form_goes_with_the_summary(ledger, monkeypatch, tmp_path):
    register(monkeypatch)  # the field is known, but this cadre's form (五联七进) has no 地点 column
    add_cadre("陈书记", "leader", "校领导班子", "党委书记")
    add_activity(ActivityInput("陈书记", date(2025, 10, 14), "进宿舍", carrier="南苑5栋", summary="走访宿舍",
                               extra={"地点": "南苑5栋402室"}), ledger)
    assert "走访宿舍（地点：南苑5栋402室）" in pd.text(sheet_pdf(sheet_content("陈书记", "2025-10"))[0])


def test_the_seal_of_a_signed_sheet_covers_the_place(school):
    """The seal hashes what the sheet prints, so a place changed after signing breaks it."""
    cadre_id = sheet_content("周校长", "2025-10").cadre_id
    before = content_hash(cadre_id, "2025-10")
    first = Activity.select().order_by(Activity.id).first()
    update_activity(first.id, {"extra": {"place": "图书馆"}}, school)
    assert content_hash(cadre_id, "2025-10") != before
